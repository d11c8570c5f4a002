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

    /// Matching pods per domain of one topology key, by the key's value id (a node reads its
    /// domain's count with two array loads).
    struct DomainCounts {
        let topology: TopologyValues
        var counts: [Int64]
        /// Whether any pod was counted (on a node carrying the key).
        private(set) var counted = false

        init(_ topology: TopologyValues) {
            self.topology = topology
            counts = [Int64](repeating: 0, count: topology.count)
        }

        mutating func add(node id: Int, _ n: Int64) {
            let v = topology.valueID(ofNode: id)
            guard v >= 0 else { return }
            counts[v] &+= n
            counted = true
        }

        /// The index of `key`'s counts in `list`, appended if absent.
        static func index(of key: String, in list: inout [DomainCounts], _ snapshot: Snapshot) -> Int {
            if let i = list.firstIndex(where: { $0.topology.key == key }) { return i }
            list.append(DomainCounts(snapshot.topology(key)))
            return list.count - 1
        }

        /// The count in the node's domain; nil when the node lacks the key.
        @inline(__always)
        func count(onNode id: Int) -> Int64? {
            let v = topology.valueID(ofNode: id)
            guard v >= 0 else { return nil }
            return v < counts.count ? counts[v] : 0
        }
    }

    /// A class: filters read it per node without copying.
    final class PreFilterState {
        /// Placed pods' anti-affinity terms that select this pod, one entry per topology key.
        @exclusivity(unchecked) var existingAntiAffinity: [DomainCounts] = []
        /// Pods matching all of the pod's required affinity terms, one entry per term.
        @exclusivity(unchecked) var affinity: [DomainCounts] = []
        /// Pods matching each of the pod's required anti-affinity terms, one entry per term.
        @exclusivity(unchecked) var antiAffinity: [DomainCounts] = []
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
            let i = DomainCounts.index(of: g.term.topologyKey, in: &s.existingAntiAffinity, snapshot)
            for (id, n) in g.nodeCounts { s.existingAntiAffinity[i].add(node: id, Int64(n)) }
        }
        s.existingAntiAffinity.removeAll { !$0.counted }
        // Affinity: placed pods matching all of the pod's terms count in each term's domain.
        if !pod.requiredAffinity.isEmpty {
            var sets = snapshot.labelSets.matching(pod.requiredAffinity[0])
            for t in pod.requiredAffinity.dropFirst() {
                let other = snapshot.labelSets.matching(t)
                sets = sets.filter { e in other.contains { $0 === e } }
            }
            s.affinity = pod.requiredAffinity.map { DomainCounts(snapshot.topology($0.topologyKey)) }
            for e in sets {
                for (id, n) in e.nodeCounts {
                    for t in s.affinity.indices { s.affinity[t].add(node: id, Int64(n)) }
                }
            }
        }
        s.antiAffinity = pod.requiredAntiAffinity.map { t in
            var d = DomainCounts(snapshot.topology(t.topologyKey))
            for e in snapshot.labelSets.matching(t) {
                for (id, n) in e.nodeCounts { d.add(node: id, Int64(n)) }
            }
            return d
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
        for d in s.antiAffinity where (d.count(onNode: node.id) ?? 0) > 0 {
            return Status(code: .unschedulable, reasons: legacy + ["node(s) didn't match pod anti-affinity rules"],
                          plugin: name)
        }
        for d in s.existingAntiAffinity where (d.count(onNode: node.id) ?? 0) > 0 {
            return Status(code: .unschedulable,
                          reasons: legacy + ["node(s) didn't satisfy existing pods anti-affinity rules"], plugin: name)
        }
        return nil
    }

    /// Nothing to check: no terms of its own, and no placed pod's anti-affinity selects it.
    func passesEveryNode(_ state: CycleState, _ pod: PodInfo, _ snapshot: Snapshot) -> Bool {
        guard let s = state.affinityFilter else { return true }
        return pod.requiredAffinity.isEmpty && pod.requiredAntiAffinity.isEmpty && s.existingAntiAffinity.isEmpty
    }

    /// satisfyPodAffinity.
    private func satisfiesAffinity(_ s: PreFilterState, _ pod: PodInfo, _ node: NodeInfo) -> Bool {
        var podsExist = true
        for d in s.affinity {
            guard let n = d.count(onNode: node.id) else { return false }
            if n <= 0 { podsExist = false }
        }
        if podsExist { return true }
        return !s.affinity.contains { $0.counted }
            && pod.requiredAffinity.allSatisfy { $0.matches(namespace: pod.namespace, labels: pod.labels) }
    }

    // MARK: Score

    func preScore(_ state: CycleState, _ pod: PodInfo, _ snapshot: Snapshot, _ nodes: NodeSelection) -> Status {
        let terms = snapshot.terms
        if pod.preferredAffinity.isEmpty, pod.preferredAntiAffinity.isEmpty, !terms.hasPlaced(otherThan: .requiredAntiAffinity) {
            return .skip
        }
        let groups = terms.placedGroups(mightSelect: pod.labels).filter { $0.kind != .requiredAntiAffinity }
        var scores: [DomainCounts] = []
        func add(_ key: String, _ nodeID: Int, _ amount: Int64) {
            guard amount != 0 else { return }
            let i = DomainCounts.index(of: key, in: &scores, snapshot)
            scores[i].add(node: nodeID, amount)
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
        state.affinityScore = scores.filter(\.counted)
        return .success
    }

    func score(_ state: CycleState, _ pod: PodInfo, _ node: NodeInfo) -> Int64 {
        var total: Int64 = 0
        for d in state.affinityScore { total += d.count(onNode: node.id) ?? 0 }
        return total
    }

    func normalize(_ state: CycleState, _ pod: PodInfo, _ nodes: NodeSelection, _ scores: inout [Int64]) {
        guard !state.affinityScore.isEmpty, let lo = scores.min(), let hi = scores.max() else { return }
        let diff = hi - lo
        for i in scores.indices {
            scores[i] = diff > 0 ? Int64(Double(maxNodeScore) * (Double(scores[i] - lo) / Double(diff))) : 0
        }
    }
}
