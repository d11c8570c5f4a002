/// The (anti-)affinity terms of placed pods, grouped by equal term, with how many pods carry
/// each group per node. InterPodAffinity checks existing pods' anti-affinity (symmetry) and
/// scores their preferences against an incoming pod per group rather than per pod.
final class ExistingTermIndex {
    enum Kind: Int {
        case requiredAffinity, requiredAntiAffinity, preferredAffinity, preferredAntiAffinity
    }

    final class Group {
        let kind: Kind
        let term: AffinityTerm
        let weight: Int64
        /// Creation order.
        let sequence: Int
        var nodeCounts: [Int: Int] = [:]
        init(kind: Kind, term: AffinityTerm, weight: Int64, sequence: Int) {
            self.kind = kind
            self.term = term
            self.weight = weight
            self.sequence = sequence
        }
    }

    private var groups: [String: Group] = [:]
    /// Groups whose selector requires one label value (`app=web`, `app in (web)`), by
    /// `key\0value`, and the rest. An incoming pod is matched against the groups its own
    /// labels can satisfy instead of every group (one per Deployment with a preference).
    private var byRequiredLabel: [String: [Group]] = [:]
    private var unkeyed: [Group] = []
    /// How many groups of each kind have pods on some node.
    private var placedPerKind = [Int](repeating: 0, count: 4)

    /// Whether any group of `kind` has pods placed.
    func hasPlaced(_ kind: Kind) -> Bool { placedPerKind[kind.rawValue] > 0 }

    /// Whether any group other than `kind` has pods placed.
    func hasPlaced(otherThan kind: Kind) -> Bool {
        placedPerKind.indices.contains { $0 != kind.rawValue && placedPerKind[$0] > 0 }
    }

    /// The groups with pods placed whose selector could match a pod with `labels`, in
    /// creation order; the caller still checks each term (namespaces, the whole selector).
    func placedGroups(mightSelect labels: [String: String]) -> [Group] {
        var out = unkeyed.filter { !$0.nodeCounts.isEmpty }
        var keyed = false
        for (key, value) in labels {
            guard let gs = byRequiredLabel[key + "\u{0}" + value] else { continue }
            for g in gs where !g.nodeCounts.isEmpty { out.append(g) }
            keyed = true
        }
        if keyed { out.sort { $0.sequence < $1.sequence } }
        return out
    }

    func add(_ pod: PodInfo, node: Int, sign: Int = 1) {
        guard pod.hasPodAffinity else { return }
        for t in pod.requiredAffinity { count(.requiredAffinity, t, 0, node, sign) }
        for t in pod.requiredAntiAffinity { count(.requiredAntiAffinity, t, 0, node, sign) }
        for (w, t) in pod.preferredAffinity { count(.preferredAffinity, t, w, node, sign) }
        for (w, t) in pod.preferredAntiAffinity { count(.preferredAntiAffinity, t, w, node, sign) }
    }

    private func count(_ kind: Kind, _ term: AffinityTerm, _ weight: Int64, _ node: Int, _ sign: Int) {
        let key = "\(kind.rawValue)|\(weight)|\(term.signature)"
        let g: Group
        if let existing = groups[key] {
            g = existing
        } else {
            g = Group(kind: kind, term: term, weight: weight, sequence: groups.count)
            groups[key] = g
            if let label = Self.requiredLabel(term.selector) {
                byRequiredLabel[label, default: []].append(g)
            } else {
                unkeyed.append(g)
            }
        }
        let wasPlaced = !g.nodeCounts.isEmpty
        let n = (g.nodeCounts[node] ?? 0) + sign
        g.nodeCounts[node] = n > 0 ? n : nil
        let isPlaced = !g.nodeCounts.isEmpty
        if wasPlaced != isPlaced { placedPerKind[kind.rawValue] += isPlaced ? 1 : -1 }
    }

    /// `key\0value` of a requirement every selected pod must meet with one value.
    private static func requiredLabel(_ selector: LabelSelector?) -> String? {
        for r in selector?.requirements ?? [] {
            // `=` and `==` hold one value; `in` selects one value only when it lists one.
            let oneValue: Bool
            switch r.op {
            case .equals, .doubleEquals: oneValue = true
            case .in_: oneValue = r.values.count == 1
            default: oneValue = false
            }
            if oneValue, let v = r.values.first { return r.key + "\u{0}" + v }
        }
        return nil
    }
}
