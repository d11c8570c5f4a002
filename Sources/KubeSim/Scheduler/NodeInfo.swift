/// The scheduler's view of one node: the Node object and the resources its pods request
/// (pkg/scheduler/framework/types.go NodeInfo). A reference type: filters and scores read
/// the same state for every node on every attempt, and must not copy it.
final class NodeInfo {
    var node: JSON
    var name: String
    var allocatableMilliCPU: Int64
    var allocatableMemory: Int64
    var allocatablePods: Int
    var requestedMilliCPU: Int64 = 0
    var requestedMemory: Int64 = 0
    /// Requests with upstream's non-zero defaults for pods that request nothing (for scoring).
    var nonZeroMilliCPU: Int64 = 0
    var nonZeroMemory: Int64 = 0
    var podCount = 0
    /// Pods per controller uid on this node (for spreading).
    var podsByOwner: [String: Int] = [:]
    var usedHostPorts: Set<String> = []
    /// Read once per node update, so that filters never walk the Node's JSON.
    var unschedulable: Bool
    var taints: [Taint]
    var labels: [String: String]

    init(node: JSON) {
        self.node = node
        self.name = node.name
        (unschedulable, taints, labels) = (false, [], [:])
        (allocatableMilliCPU, allocatableMemory, allocatablePods) = (0, 0, 0)
        update(node: node)
    }

    /// Takes a new version of the Node; what its pods request stays.
    func update(node: JSON) {
        self.node = node
        name = node.name
        unschedulable = node["spec", "unschedulable"].bool ?? false
        taints = (node["spec", "taints"].array ?? []).map(Taint.init)
        labels = node.labelMap
        let allocatable = node["status", "allocatable"]
        allocatableMilliCPU = Quantity(json: allocatable["cpu"])?.milliValue ?? 0
        allocatableMemory = Quantity(json: allocatable["memory"])?.value ?? 0
        allocatablePods = Int(Quantity(json: allocatable["pods"])?.value ?? 0)
    }

    func add(_ pod: PodRequests, sign: Int64 = 1) {
        requestedMilliCPU += sign * pod.milliCPU
        requestedMemory += sign * pod.memory
        nonZeroMilliCPU += sign * pod.nonZeroMilliCPU
        nonZeroMemory += sign * pod.nonZeroMemory
        podCount += Int(sign)
        if let owner = pod.ownerUID {
            podsByOwner[owner, default: 0] += Int(sign)
            if podsByOwner[owner] == 0 { podsByOwner[owner] = nil }
        }
        for port in pod.hostPorts {
            if sign > 0 { usedHostPorts.insert(port) } else { usedHostPorts.remove(port) }
        }
    }
}

/// A node taint, decoded.
struct Taint: Equatable {
    var key: String
    var value: String
    var effect: String
    init(_ json: JSON) {
        key = json["key"].string ?? ""
        value = json["value"].string ?? ""
        effect = json["effect"].string ?? ""
    }
    init(key: String, value: String = "", effect: String) {
        self.key = key
        self.value = value
        self.effect = effect
    }
}

/// A pod toleration, decoded.
struct Toleration {
    var key: String
    var op: String
    var value: String
    var effect: String
    init(_ json: JSON) {
        key = json["key"].string ?? ""
        op = json["operator"].string ?? "Equal"
        value = json["value"].string ?? ""
        effect = json["effect"].string ?? ""
    }

    /// k8s.io/api/core/v1 `Toleration.ToleratesTaint`.
    func tolerates(_ taint: Taint) -> Bool {
        if !effect.isEmpty, effect != taint.effect { return false }
        if key.isEmpty { return op == "Exists" }
        guard key == taint.key else { return false }
        switch op {
        case "Exists": return true
        case "Equal", "": return value == taint.value
        default: return false
        }
    }
}

/// What the filters and scores need of a pod, decoded once per scheduling attempt.
struct PodInfo {
    var pod: JSON
    var requests: PodRequests
    var nodeName: String
    var tolerations: [Toleration]
    var nodeSelector: [(String, String)]
    var requiredTerms: [JSON]

    init(_ pod: JSON) {
        self.pod = pod
        requests = PodRequests(pod)
        nodeName = pod["spec", "nodeName"].string ?? ""
        tolerations = (pod["spec", "tolerations"].array ?? []).map(Toleration.init)
        nodeSelector = (pod["spec", "nodeSelector"].object ?? [:]).map { ($0.key, $0.value.string ?? "") }
        requiredTerms = pod["spec", "affinity", "nodeAffinity", "requiredDuringSchedulingIgnoredDuringExecution",
                            "nodeSelectorTerms"].array ?? []
    }

    func tolerates(_ taint: Taint) -> Bool { tolerations.contains { $0.tolerates(taint) } }
}

/// What a pod asks of a node, computed once per pod.
struct PodRequests {
    var milliCPU: Int64 = 0
    var memory: Int64 = 0
    var nonZeroMilliCPU: Int64 = 0
    var nonZeroMemory: Int64 = 0
    var ownerUID: String?
    var hostPorts: [String] = []

    /// `schedutil.DefaultMilliCPURequest` and `DefaultMemoryRequest`: what scoring assumes for
    /// a container that requests nothing.
    static let defaultMilliCPU: Int64 = 100
    static let defaultMemory: Int64 = 200 * 1024 * 1024

    /// Sum of container requests, or the largest init container's if larger
    /// (pkg/api/v1/resource PodRequests).
    init(_ pod: JSON) {
        var cpu: Int64 = 0, mem: Int64 = 0, nzCPU: Int64 = 0, nzMem: Int64 = 0
        for c in pod["spec", "containers"].array ?? [] {
            let requests = c["resources", "requests"]
            let limits = c["resources", "limits"]
            let cReq = Quantity(json: requests["cpu"].isNull ? limits["cpu"] : requests["cpu"])?.milliValue
            let mReq = Quantity(json: requests["memory"].isNull ? limits["memory"] : requests["memory"])?.value
            cpu &+= cReq ?? 0
            mem &+= mReq ?? 0
            nzCPU &+= cReq ?? Self.defaultMilliCPU
            nzMem &+= mReq ?? Self.defaultMemory
            for p in c["ports"].array ?? [] {
                if let hp = p["hostPort"].int, hp > 0 {
                    hostPorts.append("\(p["protocol"].string ?? "TCP")/\(p["hostIP"].string ?? "0.0.0.0")/\(hp)")
                }
            }
        }
        for c in pod["spec", "initContainers"].array ?? [] {
            let requests = c["resources", "requests"]
            cpu = max(cpu, Quantity(json: requests["cpu"])?.milliValue ?? 0)
            mem = max(mem, Quantity(json: requests["memory"])?.value ?? 0)
        }
        milliCPU = cpu
        memory = mem
        nonZeroMilliCPU = nzCPU
        nonZeroMemory = nzMem
        ownerUID = pod.controllerRef?["uid"].string
    }
}
