/// NodePorts: a host port (protocol, IP, port) is used once per node (plugins/nodeports).
final class NodePorts: PreFilterPlugin, FilterPlugin {
    let name = "NodePorts"
    static let reason = "node(s) didn't have free ports for the requested pod ports"

    func preFilter(_ state: CycleState, _ pod: PodInfo, _ snapshot: Snapshot) -> Status {
        pod.requests.hostPorts.isEmpty ? .skip : .success
    }

    func filter(_ state: CycleState, _ pod: PodInfo, _ node: NodeInfo) -> Status? {
        for want in pod.requests.hostPorts where node.usedHostPorts.contains(where: want.conflicts) {
            return .unschedulable(name, Self.reason)
        }
        return nil
    }
}
