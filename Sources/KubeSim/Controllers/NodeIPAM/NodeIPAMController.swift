/// Gives each node a pod CIDR from the cluster CIDR (pkg/controller/nodeipam, the range
/// allocator): `10.244.<n>.0/24` in order of node registration, as minikube and kind
/// configure it. Kubelets read their range from their Node object.
final class NodeIPAMController: Component {
    private var client = ClientRuntime()
    private var allocated: Set<Int> = []
    private var assigned: [String: Int] = [:]
    private var watchTag: UInt64 = 0
    /// Third octet range of the /16 cluster CIDR.
    static let maxNodes = 256

    func handle(_ message: Message, _ ctx: inout Context) {
        switch message {
        case .start:
            watchTag = client.watch("nodes", &ctx)
        case .watch(let event) where event.tag == watchTag:
            let node = event.object
            switch event.type {
            case .deleted:
                if let n = assigned.removeValue(forKey: node.name) { allocated.remove(n) }
            case .added, .modified:
                if let cidr = node["spec", "podCIDR"].string, !cidr.isEmpty {
                    if let n = Self.octet(cidr), assigned[node.name] == nil {
                        assigned[node.name] = n
                        allocated.insert(n)
                    }
                    return
                }
                guard assigned[node.name] == nil,
                    let n = (0..<Self.maxNodes).first(where: { !allocated.contains($0) })
                else { return }
                allocated.insert(n)
                assigned[node.name] = n
                let cidr = "10.244.\(n).0/24"
                var request = APIRequest(.patch, "nodes", name: node.name)
                request.body = ["spec": ["podCIDR": .string(cidr), "podCIDRs": [.string(cidr)]]]
                client.send(request, &ctx)
            }
        default:
            break
        }
    }

    static func octet(_ cidr: String) -> Int? {
        let parts = cidr.split(separator: ".")
        guard parts.count == 4, parts[0] == "10", parts[1] == "244" else { return nil }
        return Int(parts[2])
    }
}
