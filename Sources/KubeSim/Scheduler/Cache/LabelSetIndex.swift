/// Placed pods grouped by (namespace, labels), with their count per node: PodTopologySpread
/// and InterPodAffinity count the pods a selector matches per node or domain without walking
/// every pod of every node (upstream walks NodeInfo.Pods in parallel; one thread cannot).
/// Pods of one ReplicaSet share a label set, so a cluster has few of them.
final class LabelSetIndex {
    final class Entry {
        let namespace: String
        let labels: [String: String]
        /// node id → matching pods placed there (terminating pods excluded, as
        /// countPodsMatchSelector does).
        var nodeCounts: [Int: Int] = [:]
        /// The same counts indexed by node id, for per-node lookups without hashing.
        @exclusivity(unchecked) private(set) var dense: [Int32] = []
        init(namespace: String, labels: [String: String]) {
            self.namespace = namespace
            self.labels = labels
        }

        @inline(__always)
        func count(onNode id: Int) -> Int { id < dense.count ? Int(dense[id]) : 0 }

        func set(_ id: Int, _ n: Int) {
            nodeCounts[id] = n > 0 ? n : nil
            if id >= dense.count { dense.append(contentsOf: repeatElement(0, count: id + 1 - dense.count)) }
            dense[id] = Int32(clamping: max(0, n))
        }
    }

    private var entries: [String: Entry] = [:]
    /// Entries in creation order (deterministic iteration).
    private(set) var ordered: [Entry] = []
    private var matchCache: [String: [Entry]] = [:]

    func entry(for pod: PodInfo) -> Entry {
        if let e = pod.labelSet { return e }
        let key = pod.namespace + "\u{0}" + pod.labels.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
            .joined(separator: "\u{0}")
        if let e = entries[key] { return e }
        let e = Entry(namespace: pod.namespace, labels: pod.labels)
        entries[key] = e
        ordered.append(e)
        matchCache.removeAll(keepingCapacity: true)
        return e
    }

    func add(_ pod: PodInfo, node: Int, sign: Int = 1) {
        guard !pod.isTerminating else { return }
        let e = entry(for: pod)
        pod.labelSet = e
        e.set(node, (e.nodeCounts[node] ?? 0) + sign)
    }

    /// The label sets `selector` matches in `namespace` (cached until a new set appears).
    func matching(_ selector: LabelSelector?, namespace: String) -> [Entry] {
        guard let selector else { return [] }
        let key = namespace + "\u{0}" + selector.description
        if let hit = matchCache[key] { return hit }
        let found = ordered.filter { $0.namespace == namespace && selector.matches($0.labels) }
        matchCache[key] = found
        return found
    }

    /// The label sets an affinity term selects (its namespaces and selector).
    func matching(_ term: AffinityTerm) -> [Entry] {
        guard let selector = term.selector else { return [] }
        let key = "term\u{0}" + term.signature
        if let hit = matchCache[key] { return hit }
        let found = ordered.filter {
            (term.allNamespaces || term.namespaces.contains($0.namespace)) && selector.matches($0.labels)
        }
        matchCache[key] = found
        return found
    }
}
