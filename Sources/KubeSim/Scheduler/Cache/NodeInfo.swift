/// The scheduler's view of one node: the Node decoded once per update, and what the pods
/// placed on it use (framework/types.go NodeInfo). A reference type: filters and scores read
/// the same state on every attempt and must not copy it.
final class NodeInfo {
    // Stored properties in the order the filters and scores read them: the ones every
    // attempt reads for hundreds of nodes come first, in the object's first cache lines.

    /// Stable for the node's life in the cache; indexes count pods per node by it.
    let id: Int
    @exclusivity(unchecked) var unschedulable = false
    /// hostnameLabel != nil, read per node by spreading without touching the string (it
    /// packs beside `unschedulable`).
    @exclusivity(unchecked) private(set) var hasHostnameLabel = false
    /// pods.count, kept as a plain field for the filters' hot path.
    @exclusivity(unchecked) private(set) var podCount = 0
    @exclusivity(unchecked) var allocatablePods: Int = 0
    @exclusivity(unchecked) var allocatableMilliCPU: Int64 = 0
    @exclusivity(unchecked) var allocatableMemory: Int64 = 0
    @exclusivity(unchecked) var requestedMilliCPU: Int64 = 0
    @exclusivity(unchecked) var requestedMemory: Int64 = 0
    @exclusivity(unchecked) var nonZeroMilliCPU: Int64 = 0
    @exclusivity(unchecked) var nonZeroMemory: Int64 = 0
    /// The zone label's value interned by the Snapshot (−1: no zone label), so spreading
    /// over zones counts in arrays.
    @exclusivity(unchecked) var zoneID = -1
    @exclusivity(unchecked) var taints: [Taint] = []
    /// Pods nominated to this node by preemption, whose room later pods must leave.
    @exclusivity(unchecked) var nominated: [PodInfo] = []
    @exclusivity(unchecked) var usedHostPorts: [HostPort] = []
    @exclusivity(unchecked) var allocatableEphemeralStorage: Int64 = 0
    @exclusivity(unchecked) var requestedEphemeralStorage: Int64 = 0
    /// The two topology labels spreading reads for every node, cached.
    @exclusivity(unchecked) var hostnameLabel: String? { didSet { hasHostnameLabel = hostnameLabel != nil } }
    @exclusivity(unchecked) var zoneLabel: String?
    @exclusivity(unchecked) var node: JSON
    @exclusivity(unchecked) var name: String
    /// Pods placed here (bound, or assumed while binding), in placement order.
    @exclusivity(unchecked) var pods: [PodInfo] = []
    @exclusivity(unchecked) var labels: [String: String] = [:]

    init(id: Int, node: JSON) {
        self.id = id
        self.node = node
        self.name = node.name
        update(node: node)
    }

    /// Takes a new version of the Node; what its pods request stays.
    func update(node: JSON) {
        self.node = node
        name = node.name
        unschedulable = node["spec", "unschedulable"].bool ?? false
        taints = (node["spec", "taints"].array ?? []).map(Taint.init)
        labels = node.labelMap
        hostnameLabel = labels[NodeInfo.hostnameKey]
        zoneLabel = labels[NodeInfo.zoneKey]
        let allocatable = node["status", "allocatable"]
        allocatableMilliCPU = Quantity(json: allocatable["cpu"])?.milliValue ?? 0
        allocatableMemory = Quantity(json: allocatable["memory"])?.value ?? 0
        allocatableEphemeralStorage = Quantity(json: allocatable["ephemeral-storage"])?.value ?? 0
        allocatablePods = Int(clamping: Quantity(json: allocatable["pods"])?.value ?? 0)
    }

    static let hostnameKey = "kubernetes.io/hostname"
    static let zoneKey = "topology.kubernetes.io/zone"

    /// A label's value; the hostname and zone labels without hashing.
    @inline(__always)
    func label(_ key: String) -> String? {
        if key == NodeInfo.hostnameKey { return hostnameLabel }
        if key == NodeInfo.zoneKey { return zoneLabel }
        return labels[key]
    }

    func add(_ pod: PodInfo) {
        account(pod.requests, sign: 1)
        pods.append(pod)
        podCount = pods.count
        usedHostPorts += pod.requests.hostPorts
    }

    func remove(_ pod: PodInfo) {
        guard let i = pods.firstIndex(where: { $0 === pod }) else { return }
        pods.remove(at: i)
        podCount = pods.count
        account(pod.requests, sign: -1)
        for port in pod.requests.hostPorts {
            if let j = usedHostPorts.firstIndex(of: port) { usedHostPorts.remove(at: j) }
        }
    }

    private func account(_ r: PodRequests, sign: Int64) {
        requestedMilliCPU = requestedMilliCPU.addingClamped(sign * r.milliCPU)
        requestedMemory = requestedMemory.addingClamped(sign * r.memory)
        requestedEphemeralStorage = requestedEphemeralStorage.addingClamped(sign * r.ephemeralStorage)
        nonZeroMilliCPU = nonZeroMilliCPU.addingClamped(sign * r.nonZeroMilliCPU)
        nonZeroMemory = nonZeroMemory.addingClamped(sign * r.nonZeroMemory)
    }

    /// A copy with its own pod list, for preemption's what-if (removing victims).
    func clone() -> NodeInfo {
        let c = NodeInfo(id: id, node: node)
        for p in pods { c.add(p) }
        c.nominated = nominated
        return c
    }
}
