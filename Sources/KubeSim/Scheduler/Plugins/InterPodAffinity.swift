/// InterPodAffinity (plugins/interpodaffinity). Filter: the pod's required affinity terms
/// need a matching pod in the node's domain (or, for the first of a series, that no pod
/// matches anywhere and the pod matches its own terms); its required anti-affinity terms
/// forbid domains holding a matching pod; and placed pods' required anti-affinity terms that
/// match the pod forbid their domains (symmetry). Score: preferred terms of the pod and of
/// placed pods (and placed pods' required affinity, at hardPodAffinityWeight 1) add or take
/// their weight in each domain, normalised to 0…100 between the lowest and highest node.
final class InterPodAffinity: PreFilterPlugin, FilterPlugin, PreScorePlugin, ScorePlugin {
    let name = "InterPodAffinity"
    let wording: Wording
    static let hardPodAffinityWeight: Int64 = 1
    init(wording: Wording) { self.wording = wording }

    /// Counts per topology key, then value (a node checks each key once rather than every
    /// pair). A class: filters read it per node without copying.
    final class PreFilterState {
        var existingAntiAffinity: [String: [String: Int]] = [:]
        var affinity: [String: [String: Int]] = [:]
        var antiAffinity: [String: [String: Int]] = [:]
    }

    // MARK: Filter

    func preFilter(_ state: CycleState, _ pod: PodInfo, _ snapshot: Snapshot) -> Status {
        let terms = snapshot.terms
        if pod.requiredAffinity.isEmpty, pod.requiredAntiAffinity.isEmpty, !terms.hasPlaced(.requiredAntiAffinity) {
            return .skip
        }
        let s = PreFilterState()
        // Placed pods whose anti-affinity selects this pod.
        for g in terms.placedGroups(mightSelect: pod.labels)
        where g.kind == .requiredAntiAffinity && g.term.matches(namespace: pod.namespace, labels: pod.labels) {
            for (id, n) in g.nodeCounts {
                if let v = snapshot.byID[id]?.labels[g.term.topologyKey] {
                    s.existingAntiAffinity[g.term.topologyKey, default: [:]][v, default: 0] += n
                }
            }
        }
        // Affinity: placed pods matching all of the pod's terms count in each term's domain.
        if !pod.requiredAffinity.isEmpty {
            var sets = snapshot.labelSets.matching(pod.requiredAffinity[0])
            for t in pod.requiredAffinity.dropFirst() {
                let other = snapshot.labelSets.matching(t)
                sets = sets.filter { e in other.contains { $0 === e } }
            }
            for e in sets {
                for (id, n) in e.nodeCounts {
                    guard let node = snapshot.byID[id] else { continue }
                    for t in pod.requiredAffinity {
                        if let v = node.labels[t.topologyKey] { s.affinity[t.topologyKey, default: [:]][v, default: 0] += n }
                    }
                }
            }
        }
        for t in pod.requiredAntiAffinity {
            for e in snapshot.labelSets.matching(t) {
                for (id, n) in e.nodeCounts {
                    if let v = snapshot.byID[id]?.labels[t.topologyKey] {
                        s.antiAffinity[t.topologyKey, default: [:]][v, default: 0] += n
                    }
                }
            }
        }
        state.affinityFilter = s
        return .success
    }

    func filter(_ state: CycleState, _ pod: PodInfo, _ node: NodeInfo) -> Status? {
        guard let s = state.affinityFilter else { return nil }
        if pod.requiredAffinity.isEmpty, pod.requiredAntiAffinity.isEmpty, s.existingAntiAffinity.isEmpty { return nil }
        var legacy: [String] { wording.version == .v1_18 ? ["node(s) didn't match pod affinity/anti-affinity"] : [] }
        if !satisfiesAffinity(s, pod, node) {
            return Status(code: .unschedulableAndUnresolvable, reasons: legacy + ["node(s) didn't match pod affinity rules"],
                          plugin: name)
        }
        for t in pod.requiredAntiAffinity {
            if let v = node.label(t.topologyKey), (s.antiAffinity[t.topologyKey]?[v] ?? 0) > 0 {
                return Status(code: .unschedulable, reasons: legacy + ["node(s) didn't match pod anti-affinity rules"],
                              plugin: name)
            }
        }
        for (key, values) in s.existingAntiAffinity {
            guard let v = node.label(key), (values[v] ?? 0) > 0 else { continue }
            return Status(code: .unschedulable,
                          reasons: legacy + ["node(s) didn't satisfy existing pods anti-affinity rules"], plugin: name)
        }
        return nil
    }

    /// satisfyPodAffinity.
    private func satisfiesAffinity(_ s: PreFilterState, _ pod: PodInfo, _ node: NodeInfo) -> Bool {
        var podsExist = true
        for t in pod.requiredAffinity {
            guard let v = node.label(t.topologyKey) else { return false }
            if (s.affinity[t.topologyKey]?[v] ?? 0) <= 0 { podsExist = false }
        }
        if podsExist { return true }
        return s.affinity.isEmpty
            && pod.requiredAffinity.allSatisfy { $0.matches(namespace: pod.namespace, labels: pod.labels) }
    }

    // MARK: Score

    func preScore(_ state: CycleState, _ pod: PodInfo, _ snapshot: Snapshot, _ nodes: [NodeInfo]) -> Status {
        let terms = snapshot.terms
        if pod.preferredAffinity.isEmpty, pod.preferredAntiAffinity.isEmpty, !terms.hasPlaced(otherThan: .requiredAntiAffinity) {
            return .skip
        }
        let groups = terms.placedGroups(mightSelect: pod.labels).filter { $0.kind != .requiredAntiAffinity }
        var scores: [String: [String: Int64]] = [:]
        func add(_ key: String, _ nodeID: Int, _ amount: Int64) {
            guard amount != 0, let v = snapshot.byID[nodeID]?.labels[key] else { return }
            scores[key, default: [:]][v, default: 0] += amount
        }
        for (weight, term) in pod.preferredAffinity {
            for e in snapshot.labelSets.matching(term) { for (id, n) in e.nodeCounts { add(term.topologyKey, id, weight * Int64(n)) } }
        }
        for (weight, term) in pod.preferredAntiAffinity {
            for e in snapshot.labelSets.matching(term) { for (id, n) in e.nodeCounts { add(term.topologyKey, id, -weight * Int64(n)) } }
        }
        for g in groups where g.term.matches(namespace: pod.namespace, labels: pod.labels) {
            let weight: Int64
            switch g.kind {
            case .requiredAffinity: weight = Self.hardPodAffinityWeight
            case .preferredAffinity: weight = g.weight
            case .preferredAntiAffinity: weight = -g.weight
            case .requiredAntiAffinity: continue
            }
            for (id, n) in g.nodeCounts { add(g.term.topologyKey, id, weight * Int64(n)) }
        }
        state.affinityScore = scores
        return .success
    }

    func score(_ state: CycleState, _ pod: PodInfo, _ node: NodeInfo) -> Int64 {
        var total: Int64 = 0
        for (key, values) in state.affinityScore {
            if let v = node.label(key) { total += values[v] ?? 0 }
        }
        return total
    }

    func normalize(_ state: CycleState, _ pod: PodInfo, _ nodes: [NodeInfo], _ scores: inout [Int64]) {
        guard !state.affinityScore.isEmpty, let lo = scores.min(), let hi = scores.max() else { return }
        let diff = hi - lo
        for i in scores.indices {
            scores[i] = diff > 0 ? Int64(Double(maxNodeScore) * (Double(scores[i] - lo) / Double(diff))) : 0
        }
    }
}
