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
        var nodeCounts: [Int: Int] = [:]
        init(kind: Kind, term: AffinityTerm, weight: Int64) {
            self.kind = kind
            self.term = term
            self.weight = weight
        }
    }

    private var groups: [String: Group] = [:]
    /// Groups in creation order (deterministic iteration).
    private(set) var ordered: [Group] = []

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
            g = Group(kind: kind, term: term, weight: weight)
            groups[key] = g
            ordered.append(g)
        }
        let n = (g.nodeCounts[node] ?? 0) + sign
        g.nodeCounts[node] = n > 0 ? n : nil
    }

    var isEmpty: Bool { ordered.allSatisfy { $0.nodeCounts.isEmpty } }
}
