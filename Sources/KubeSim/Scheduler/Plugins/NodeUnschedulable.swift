/// NodeUnschedulable: a cordoned node takes only pods that tolerate
/// `node.kubernetes.io/unschedulable:NoSchedule` (plugins/nodeunschedulable).
final class NodeUnschedulable: FilterPlugin {
    let name = "NodeUnschedulable"
    static let reason = "node(s) were unschedulable"
    static let taint = Taint(key: "node.kubernetes.io/unschedulable", effect: "NoSchedule")

    func filter(_ state: CycleState, _ pod: PodInfo, _ node: NodeInfo) -> Status? {
        guard node.unschedulable, !pod.tolerates(Self.taint) else { return nil }
        return .unresolvable(name, Self.reason)
    }

    func passesEveryNode(_ state: CycleState, _ pod: PodInfo, _ snapshot: Snapshot) -> Bool {
        snapshot.unschedulableNodes == 0
    }
}
