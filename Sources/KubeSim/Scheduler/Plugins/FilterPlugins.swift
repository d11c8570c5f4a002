/// A Filter extension point: can this pod run on this node? (framework/interface.go).
/// A rejection carries upstream's reason strings, which FailedScheduling counts.
protocol FilterPlugin {
    static var name: String { get }
    /// Whether preemption could ever help (`Unschedulable`) or not (`UnschedulableAndUnresolvable`).
    static var resolvable: Bool { get }
    /// Appends the reasons `node` cannot take `pod` to `reasons`; true when it can.
    func filter(_ pod: PodInfo, _ node: NodeInfo, _ reasons: inout [String]) -> Bool
}

/// NodeUnschedulable: cordoned nodes take only pods that tolerate
/// `node.kubernetes.io/unschedulable:NoSchedule`.
struct NodeUnschedulable: FilterPlugin {
    static let name = "NodeUnschedulable"
    static let resolvable = false
    static let reason = "node(s) were unschedulable"
    static let taint = Taint(key: "node.kubernetes.io/unschedulable", effect: "NoSchedule")
    func filter(_ pod: PodInfo, _ node: NodeInfo, _ reasons: inout [String]) -> Bool {
        guard node.unschedulable, !pod.tolerates(Self.taint) else { return true }
        reasons.append(Self.reason)
        return false
    }
}

/// NodeName: a pod naming a node runs only there.
struct NodeName: FilterPlugin {
    static let name = "NodeName"
    static let resolvable = false
    static let reason = "node(s) didn't match the requested node name"
    func filter(_ pod: PodInfo, _ node: NodeInfo, _ reasons: inout [String]) -> Bool {
        guard !pod.nodeName.isEmpty, pod.nodeName != node.name else { return true }
        reasons.append(Self.reason)
        return false
    }
}

/// TaintToleration: NoSchedule and NoExecute taints must be tolerated.
struct TaintToleration: FilterPlugin {
    static let name = "TaintToleration"
    static let resolvable = false
    let wording: Wording
    func filter(_ pod: PodInfo, _ node: NodeInfo, _ reasons: inout [String]) -> Bool {
        for taint in node.taints where taint.effect == "NoSchedule" || taint.effect == "NoExecute" {
            if !pod.tolerates(taint) {
                reasons.append(wording.untoleratedTaint(key: taint.key, value: taint.value))
                return false
            }
        }
        return true
    }
}

/// NodeAffinity: `spec.nodeSelector` and required node affinity terms.
struct NodeAffinity: FilterPlugin {
    static let name = "NodeAffinity"
    static let resolvable = false
    let wording: Wording
    func filter(_ pod: PodInfo, _ node: NodeInfo, _ reasons: inout [String]) -> Bool {
        for (k, v) in pod.nodeSelector where node.labels[k] != v {
            reasons.append(wording.nodeAffinityMismatch)
            return false
        }
        // Terms are ORed; expressions within a term are ANDed.
        if !pod.requiredTerms.isEmpty, !pod.requiredTerms.contains(where: { NodeSelectorTerm.matches($0, node: node.node) }) {
            reasons.append(wording.nodeAffinityMismatch)
            return false
        }
        return true
    }
}

/// NodePorts: a host port can be used once per node.
struct NodePorts: FilterPlugin {
    static let name = "NodePorts"
    static let resolvable = true
    static let reason = "node(s) didn't have free ports for the requested pod ports"
    func filter(_ pod: PodInfo, _ node: NodeInfo, _ reasons: inout [String]) -> Bool {
        guard pod.requests.hostPorts.contains(where: node.usedHostPorts.contains) else { return true }
        reasons.append(Self.reason)
        return false
    }
}

/// NodeResourcesFit: requested cpu, memory and pod count must fit allocatable. A node can
/// fail for several resources at once, and each counts.
struct NodeResourcesFit: FilterPlugin {
    static let name = "NodeResourcesFit"
    static let resolvable = true
    func filter(_ pod: PodInfo, _ node: NodeInfo, _ reasons: inout [String]) -> Bool {
        let requests = pod.requests
        let before = reasons.count
        if node.podCount + 1 > node.allocatablePods { reasons.append("Too many pods") }
        if requests.milliCPU > 0, node.requestedMilliCPU + requests.milliCPU > node.allocatableMilliCPU {
            reasons.append("Insufficient cpu")
        }
        if requests.memory > 0, node.requestedMemory + requests.memory > node.allocatableMemory {
            reasons.append("Insufficient memory")
        }
        return reasons.count == before
    }
}

/// One node selector term (`matchExpressions` on labels, `matchFields` on metadata.name).
enum NodeSelectorTerm {
    static func matches(_ term: JSON, node: JSON) -> Bool {
        let expressions = term["matchExpressions"].array ?? []
        let fields = term["matchFields"].array ?? []
        if expressions.isEmpty, fields.isEmpty { return false }
        let labels = node.labels
        for e in expressions where !requirement(e, value: labels[e["key"].string ?? ""].string) { return false }
        for f in fields {
            guard f["key"].string == "metadata.name", requirement(f, value: node.name) else { return false }
        }
        return true
    }

    private static func requirement(_ e: JSON, value: String?) -> Bool {
        let values = (e["values"].array ?? []).compactMap(\.string)
        switch e["operator"].string ?? "" {
        case "In": return value.map(values.contains) ?? false
        case "NotIn": return value.map { !values.contains($0) } ?? true
        case "Exists": return value != nil
        case "DoesNotExist": return value == nil
        case "Gt", "Lt":
            guard let v = value.flatMap({ Int64($0) }), values.count == 1, let bound = Int64(values[0]) else {
                return false
            }
            return e["operator"].string == "Gt" ? v > bound : v < bound
        default: return false
        }
    }
}
