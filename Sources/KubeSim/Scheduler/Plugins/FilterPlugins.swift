/// A Filter extension point: can this pod run on this node? (framework/interface.go).
/// A rejection carries upstream's reason strings, which FailedScheduling counts.
protocol FilterPlugin {
    static var name: String { get }
    /// Whether preemption could ever help (`Unschedulable`) or not (`UnschedulableAndUnresolvable`).
    static var resolvable: Bool { get }
    func filter(_ pod: JSON, _ requests: PodRequests, _ node: NodeInfo) -> [String]
}

/// NodeUnschedulable: cordoned nodes take only pods that tolerate
/// `node.kubernetes.io/unschedulable:NoSchedule`.
struct NodeUnschedulable: FilterPlugin {
    static let name = "NodeUnschedulable"
    static let resolvable = false
    static let reason = "node(s) were unschedulable"
    func filter(_ pod: JSON, _ requests: PodRequests, _ node: NodeInfo) -> [String] {
        guard node.node["spec", "unschedulable"].bool == true else { return [] }
        let taint: JSON = ["key": "node.kubernetes.io/unschedulable", "effect": "NoSchedule"]
        return Taints.tolerated(taint, by: pod["spec", "tolerations"].array ?? []) ? [] : [Self.reason]
    }
}

/// NodeName: a pod naming a node runs only there.
struct NodeName: FilterPlugin {
    static let name = "NodeName"
    static let resolvable = false
    static let reason = "node(s) didn't match the requested node name"
    func filter(_ pod: JSON, _ requests: PodRequests, _ node: NodeInfo) -> [String] {
        guard let wanted = pod["spec", "nodeName"].string, !wanted.isEmpty else { return [] }
        return wanted == node.name ? [] : [Self.reason]
    }
}

/// TaintToleration: NoSchedule and NoExecute taints must be tolerated.
struct TaintToleration: FilterPlugin {
    static let name = "TaintToleration"
    static let resolvable = false
    let wording: Wording
    func filter(_ pod: JSON, _ requests: PodRequests, _ node: NodeInfo) -> [String] {
        let tolerations = pod["spec", "tolerations"].array ?? []
        for taint in node.node["spec", "taints"].array ?? [] {
            let effect = taint["effect"].string ?? ""
            guard effect == "NoSchedule" || effect == "NoExecute" else { continue }
            if !Taints.tolerated(taint, by: tolerations) {
                return [wording.untoleratedTaint(key: taint["key"].string ?? "", value: taint["value"].string ?? "")]
            }
        }
        return []
    }
}

/// NodeAffinity: `spec.nodeSelector` and required node affinity terms.
struct NodeAffinity: FilterPlugin {
    static let name = "NodeAffinity"
    static let resolvable = false
    let wording: Wording
    func filter(_ pod: JSON, _ requests: PodRequests, _ node: NodeInfo) -> [String] {
        let labels = node.node.labels
        for (k, v) in pod["spec", "nodeSelector"].object ?? [:] where labels[k].string != v.string {
            return [wording.nodeAffinityMismatch]
        }
        let required = pod["spec", "affinity", "nodeAffinity", "requiredDuringSchedulingIgnoredDuringExecution"]
        if let terms = required["nodeSelectorTerms"].array, !terms.isEmpty {
            // Terms are ORed; expressions within a term are ANDed.
            let any = terms.contains { NodeSelectorTerm.matches($0, node: node.node) }
            if !any { return [wording.nodeAffinityMismatch] }
        }
        return []
    }
}

/// NodePorts: a host port can be used once per node.
struct NodePorts: FilterPlugin {
    static let name = "NodePorts"
    static let resolvable = true
    static let reason = "node(s) didn't have free ports for the requested pod ports"
    func filter(_ pod: JSON, _ requests: PodRequests, _ node: NodeInfo) -> [String] {
        requests.hostPorts.contains(where: node.usedHostPorts.contains) ? [Self.reason] : []
    }
}

/// NodeResourcesFit: requested cpu, memory and pod count must fit allocatable. A node can
/// fail for several resources at once, and each counts.
struct NodeResourcesFit: FilterPlugin {
    static let name = "NodeResourcesFit"
    static let resolvable = true
    func filter(_ pod: JSON, _ requests: PodRequests, _ node: NodeInfo) -> [String] {
        var reasons: [String] = []
        if node.podCount + 1 > node.allocatablePods { reasons.append("Too many pods") }
        if requests.milliCPU > 0, node.requestedMilliCPU + requests.milliCPU > node.allocatableMilliCPU {
            reasons.append("Insufficient cpu")
        }
        if requests.memory > 0, node.requestedMemory + requests.memory > node.allocatableMemory {
            reasons.append("Insufficient memory")
        }
        return reasons
    }
}

/// Taint and toleration matching (k8s.io/api/core/v1 Toleration.ToleratesTaint).
enum Taints {
    static func tolerated(_ taint: JSON, by tolerations: [JSON]) -> Bool {
        tolerations.contains { t in
            let effect = t["effect"].string ?? ""
            if !effect.isEmpty, effect != (taint["effect"].string ?? "") { return false }
            let key = t["key"].string ?? ""
            let op = t["operator"].string ?? "Equal"
            if key.isEmpty { return op == "Exists" }
            guard key == (taint["key"].string ?? "") else { return false }
            switch op {
            case "Exists": return true
            case "Equal", "": return (t["value"].string ?? "") == (taint["value"].string ?? "")
            default: return false
            }
        }
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
