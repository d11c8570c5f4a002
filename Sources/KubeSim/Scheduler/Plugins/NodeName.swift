/// NodeName: a pod that names a node in `spec.nodeName` fits only there (plugins/nodename).
final class NodeName: FilterPlugin {
    let name = "NodeName"
    static let reason = "node(s) didn't match the requested node name"

    func filter(_ state: CycleState, _ pod: PodInfo, _ node: NodeInfo) -> Status? {
        guard !pod.nodeName.isEmpty, pod.nodeName != node.name else { return nil }
        return .unresolvable(name, Self.reason)
    }

    func passesEveryNode(_ state: CycleState, _ pod: PodInfo, _ snapshot: Snapshot) -> Bool {
        pod.nodeName.isEmpty
    }
}
