/// What plugins compute at PreFilter/PreScore and read per node, for one scheduling attempt
/// (framework/cycle_state.go). Typed fields rather than upstream's map of keys: a filter
/// reads its state once per node, and this keeps that a field load.
final class CycleState {
    /// Plugins that answered `.skip` at PreFilter (their Filter does not run) or PreScore.
    @exclusivity(unchecked) var skipFilter = PluginNames()
    /// PreFilterResult.NodeNames: when set, only these nodes can fit (NodeAffinity's
    /// `matchFields metadata.name In [...]`, as every DaemonSet pod has), so only they are
    /// filtered; nil means every node.
    @exclusivity(unchecked) var preFilterNodeNames: Set<String>?
    @exclusivity(unchecked) var skipScore = PluginNames()
    @exclusivity(unchecked) var spreadFilter: PodTopologySpread.PreFilterState?
    @exclusivity(unchecked) var spreadScore: PodTopologySpread.PreScoreState?
    @exclusivity(unchecked) var affinityFilter: InterPodAffinity.PreFilterState?
    /// Score per domain of each topology key in use (InterPodAffinity PreScore).
    @exclusivity(unchecked) var affinityScore: [InterPodAffinity.DomainCounts] = []
    @exclusivity(unchecked) var taintTolerations: [Toleration] = []
    /// Node id → pods of the pod's controller there (SelectorSpread PreScore).
    @exclusivity(unchecked) var controllerPodsPerNode: [Int: Int] = [:]
}

/// A few plugin names (a profile has about a dozen plugins): scanning a short array is
/// cheaper than hashing the names, once per attempt and plugin.
struct PluginNames: Equatable {
    private var names: [String] = []
    var isEmpty: Bool { names.isEmpty }
    func contains(_ name: String) -> Bool { names.contains(name) }
    mutating func insert(_ name: String) {
        guard !names.contains(name) else { return }
        // Room for the few a cycle skips at once (growing one at a time copied the list each
        // time, for every pod).
        if names.isEmpty { names.reserveCapacity(4) }
        names.append(name)
    }
}

/// The scheduler's cache as the plugins see it during one attempt: nodes in name order and
/// the indexes over placed pods. The scheduler is single-threaded, so the cache itself is
/// the snapshot (upstream copies it because its cache changes under a running cycle).
final class Snapshot {
    private(set) var nodes: [NodeInfo] = []
    private(set) var byID: [Int: NodeInfo] = [:]
    private(set) var byName = StringTable<NodeInfo>()
    let labelSets = LabelSetIndex()
    let terms = ExistingTermIndex()
    /// Controller → node id → its pods placed there. Spreading reads one small map per pod
    /// instead of a map in each of hundreds of nodes (one cache miss per node).
    private(set) var podsPerController = StringTable<[Int: Int]>()
    private var nextID = 1
    /// Nodes cordoned, and nodes with any taint: while there are none, the filters and
    /// scores that only look at those pass or score every node alike without looking.
    private(set) var unschedulableNodes = 0
    private(set) var taintedNodes = 0
    /// The zone label's values, always kept: nodes carry their id as `zoneID`.
    private let zones = TopologyValues(key: NodeInfo.zoneKey)
    /// Distinct zone label values seen (ids 0..<zoneCount).
    var zoneCount: Int { zones.count }

    /// Interns the node's zone and its value for every topology key in use; the placed pods'
    /// per-zone sums follow a node whose zone changed.
    private func internLabels(_ info: NodeInfo) {
        let before = info.zoneID
        for t in topologies.values { t.setNode(info) }
        info.zoneID = zones.valueID(ofNode: info.id)
        if before != info.zoneID, !info.pods.isEmpty { labelSets.moveNode(info.id, fromZone: before, toZone: info.zoneID) }
    }

    /// Per topology key in use: each node's value id (built on first use, kept current as
    /// nodes come, change and go; the zone's from the start).
    private lazy var topologies: [String: TopologyValues] = [zones.key: zones]

    func topology(_ key: String) -> TopologyValues {
        if let t = topologies[key] { return t }
        let t = TopologyValues(key: key)
        for n in nodes { t.setNode(n) }
        topologies[key] = t
        return t
    }
    private var sorted = true
    /// Per set of topology keys: the nodes carrying all of them and the domains per key
    /// (PodTopologySpread's eligible nodes for pods without node affinity).
    private var domainCache = StringTable<Domains>()

    struct Domains {
        var nodes: [NodeInfo]
        var valuesPerKey: [String: Set<String>]
    }

    func nodeList() -> [NodeInfo] {
        if !sorted {
            nodes.sort { $0.name < $1.name }
            sorted = true
        }
        return nodes
    }

    @discardableResult
    func addNode(_ node: JSON) -> NodeInfo {
        if let existing = byName[node.name] {
            updateNode(node)
            return existing
        }
        let info = NodeInfo(id: nextID, node: node)
        nextID += 1
        count(info, sign: 1)
        internLabels(info)
        nodes.append(info)
        byID[info.id] = info
        byName[info.name] = info
        sorted = false
        domainCache.removeAll()
        return info
    }

    func updateNode(_ node: JSON) {
        guard let info = byName[node.name] else { addNode(node); return }
        let labelsBefore = info.labels
        count(info, sign: -1)
        info.update(node: node)
        count(info, sign: 1)
        internLabels(info)
        if info.labels != labelsBefore { domainCache.removeAll() }
    }

    /// Removes the node; its pods stay known to the scheduler but are no longer counted.
    func removeNode(_ name: String) {
        guard let info = byName.removeValue(forKey: name) else { return }
        byID[info.id] = nil
        count(info, sign: -1)
        nodes.removeAll { $0 === info }
        for t in topologies.values { t.removeNode(info.id) }
        for pod in info.pods {
            labelSets.add(pod, node: info, sign: -1)
            terms.add(pod, node: info.id, sign: -1)
            countController(pod, node: info.id, sign: -1)
        }
        domainCache.removeAll()
    }

    private func count(_ info: NodeInfo, sign: Int) {
        if info.unschedulable { unschedulableNodes += sign }
        if !info.taints.isEmpty { taintedNodes += sign }
    }

    func place(_ pod: PodInfo, on node: NodeInfo) {
        node.add(pod)
        labelSets.add(pod, node: node)
        terms.add(pod, node: node.id)
        countController(pod, node: node.id, sign: 1)
    }

    func unplace(_ pod: PodInfo, from node: NodeInfo) {
        node.remove(pod)
        labelSets.add(pod, node: node, sign: -1)
        terms.add(pod, node: node.id, sign: -1)
        countController(pod, node: node.id, sign: -1)
    }

    /// Counts the pod in (sign 1) or out of (sign −1) its controller's pods on `node`.
    func countController(_ pod: PodInfo, node: Int, sign: Int) {
        guard let owner = pod.controllerUID else { return }
        let n = (podsPerController[owner]?[node] ?? 0) + sign
        podsPerController[owner, default: [:]][node] = n > 0 ? n : nil
        if podsPerController[owner]?.isEmpty == true { podsPerController[owner] = nil }
    }

    func domains(for keys: [String]) -> Domains {
        let cacheKey = keys.joined(separator: "\u{0}")
        if let hit = domainCache[cacheKey] { return hit }
        var d = Domains(nodes: [], valuesPerKey: [:])
        for key in keys { d.valuesPerKey[key] = [] }
        for n in nodeList() where keys.allSatisfy({ n.labels[$0] != nil }) {
            d.nodes.append(n)
            for key in keys { d.valuesPerKey[key]?.insert(n.labels[key] ?? "") }
        }
        domainCache[cacheKey] = d
        return d
    }
}
