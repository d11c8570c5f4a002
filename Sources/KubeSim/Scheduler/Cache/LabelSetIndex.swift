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
        /// The same counts summed per zone id (the snapshot's interned zones), and on nodes
        /// without a zone label: spreading over zones reads a few sums, not every node.
        @exclusivity(unchecked) private(set) var zoneCounts: [Int32] = []
        private(set) var noZoneCount = 0
        /// The sets holding all of this set's labels (what a selector of exactly these labels
        /// matches), among the first `supersetsChecked` of `ordered`.
        fileprivate var supersets: [Entry] = []
        fileprivate var supersetsChecked = 0
        init(namespace: String, labels: [String: String]) {
            self.namespace = namespace
            self.labels = labels
        }

        @inline(__always)
        func count(onNode id: Int) -> Int { id < dense.count ? Int(dense[id]) : 0 }

        @inline(__always)
        func count(inZone zone: Int) -> Int {
            if zone < 0 { return noZoneCount }
            return zone < zoneCounts.count ? Int(zoneCounts[zone]) : 0
        }

        func set(_ id: Int, zone: Int, _ n: Int) {
            let before = count(onNode: id)
            nodeCounts[id] = n > 0 ? n : nil
            if id >= dense.count { dense.append(contentsOf: repeatElement(0, count: id + 1 - dense.count)) }
            dense[id] = Int32(clamping: max(0, n))
            addToZone(zone, Int(dense[id]) - before)
        }

        func addToZone(_ zone: Int, _ delta: Int) {
            guard delta != 0 else { return }
            if zone < 0 {
                noZoneCount += delta
                return
            }
            if zone >= zoneCounts.count { zoneCounts.append(contentsOf: repeatElement(0, count: zone + 1 - zoneCounts.count)) }
            zoneCounts[zone] = Int32(clamping: Int(zoneCounts[zone]) + delta)
        }
    }

    private var entries: [String: Entry] = [:]
    /// Entries in creation order (deterministic iteration).
    private(set) var ordered: [Entry] = []
    /// Per selector: the sets it matches among the first `checked` of `ordered`. Sets are
    /// only ever appended, so a cached match is brought up to date by checking the new ones.
    private var matchCache: [String: (entries: [Entry], checked: Int)] = [:]

    /// The label set last used by each controller's pods: its pods share their labels, and
    /// comparing them costs less than building the set's key.
    private var byController: [String: Entry] = [:]

    func entry(for pod: PodInfo) -> Entry {
        if let e = pod.labelSet { return e }
        if let owner = pod.controllerUID, let e = byController[owner], e.namespace == pod.namespace,
           e.labels == pod.labels
        {
            return e
        }
        let e = lookUp(pod)
        if let owner = pod.controllerUID { byController[owner] = e }
        return e
    }

    private func lookUp(_ pod: PodInfo) -> Entry {
        // `namespace NUL k1=v1 NUL k2=v2 …`, keys in order, written into one string (the pieces
        // of an interpolation and a join each allocated).
        let labels = pod.labels.sorted { $0.key < $1.key }
        var key = pod.namespace
        key.reserveCapacity(labels.reduce(key.utf8.count) { $0 + 2 + $1.key.utf8.count + $1.value.utf8.count })
        for (name, value) in labels {
            key.append("\u{0}")
            key.append(name)
            key.append("=")
            key.append(value)
        }
        if let e = entries[key] { return e }
        let e = Entry(namespace: pod.namespace, labels: pod.labels)
        entries[key] = e
        ordered.append(e)
        return e
    }

    /// The label sets in the pod's namespace that hold all of the pod's labels: what a
    /// selector made of them matches (the system default spreading's selector), without
    /// building and hashing the selector's text for every pod.
    func matchingOwnLabels(_ pod: PodInfo) -> [Entry] {
        let e = entry(for: pod)
        pod.labelSet = e
        while e.supersetsChecked < ordered.count {
            let other = ordered[e.supersetsChecked]
            e.supersetsChecked += 1
            if other.namespace == e.namespace, e.labels.allSatisfy({ other.labels[$0.key] == $0.value }) {
                e.supersets.append(other)
            }
        }
        return e.supersets
    }

    func add(_ pod: PodInfo, node: NodeInfo, sign: Int = 1) {
        guard !pod.isTerminating else { return }
        let e = entry(for: pod)
        pod.labelSet = e
        e.set(node.id, zone: node.zoneID, (e.nodeCounts[node.id] ?? 0) + sign)
    }

    /// A node's zone label changed: its pods move to the new zone's sums.
    func moveNode(_ id: Int, fromZone old: Int, toZone new: Int) {
        guard old != new else { return }
        for e in ordered {
            let n = e.count(onNode: id)
            guard n > 0 else { continue }
            e.addToZone(old, -n)
            e.addToZone(new, n)
        }
    }

    /// The label sets `selector` matches in `namespace`.
    func matching(_ selector: LabelSelector?, namespace: String) -> [Entry] {
        guard let selector else { return [] }
        return cachedMatch(namespace + "\u{0}" + selector.description) {
            $0.namespace == namespace && selector.matches($0.labels)
        }
    }

    /// The cached match under `key`, brought up to date with the sets added since.
    private func cachedMatch(_ key: String, _ matches: (Entry) -> Bool) -> [Entry] {
        var cached = matchCache.removeValue(forKey: key) ?? ([], 0)
        if cached.checked < ordered.count {
            for e in ordered[cached.checked...] where matches(e) { cached.entries.append(e) }
            cached.checked = ordered.count
        }
        matchCache[key] = cached
        return cached.entries
    }

    /// The label sets an affinity term selects (its namespaces and selector).
    func matching(_ term: AffinityTerm) -> [Entry] {
        guard let selector = term.selector else { return [] }
        return cachedMatch("term\u{0}" + term.signature) {
            (term.allNamespaces || term.namespaces.contains($0.namespace)) && selector.matches($0.labels)
        }
    }
}
