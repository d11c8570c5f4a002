/// Gives each node a pod CIDR from the cluster CIDR (pkg/controller/nodeipam, the range
/// allocator): consecutive /24s of `--cluster-cidr` (minikube's and kind's 10.244.0.0/16 by
/// default, room for 256 nodes) in order of node registration. A node that finds no free
/// range gets the allocator's `CIDRNotAvailable` event and no pod CIDR, so its pods cannot
/// start, as on a real cluster whose CIDR is too small. Kubelets read their range from their
/// Node object.
final class NodeIPAMController: Controller {
    var client = ClientRuntime()
    private var recorder: EventRecorder
    private let clusterCIDR: ClusterCIDR
    private var allocated: Set<Int> = []
    private var assigned: [String: Int] = [:]
    /// Nodes already told that no range was free (told once, as the allocator retries quietly).
    private var refused: Set<String> = []
    /// The lowest range that may be free: ranges are taken in order and searched from here.
    private var firstFree = 0
    let handledInformers: [SharedInformer]

    init(informers: SharedInformerFactory, clusterCIDR: ClusterCIDR = .minikube, version: KubernetesVersion) {
        self.clusterCIDR = clusterCIDR
        handledInformers = [informers.informer("nodes")]
        recorder = EventRecorder(component: "cidrAllocator", version: version)
    }

    func timerFired(_ tag: Int, _ ctx: inout Context) {}

    func observe(_ informer: SharedInformer, _ event: WatchEvent, old: JSON?, _ ctx: inout Context) {
        let node = event.object
        switch event.type {
        case .deleted:
            if let n = assigned.removeValue(forKey: node.name) {
                allocated.remove(n)
                firstFree = min(firstFree, n)
            }
            refused.remove(node.name)
        case .added, .modified:
            if let cidr = node["spec", "podCIDR"].string, !cidr.isEmpty {
                if let n = clusterCIDR.index(of: cidr), assigned[node.name] == nil {
                    assigned[node.name] = n
                    allocated.insert(n)
                }
                return
            }
            guard assigned[node.name] == nil else { return }
            while firstFree < clusterCIDR.nodeRanges, allocated.contains(firstFree) { firstFree += 1 }
            guard firstFree < clusterCIDR.nodeRanges else {
                if refused.insert(node.name).inserted {
                    recorder.record(node, reason: "CIDRNotAvailable",
                                    message: "Node \(node.name) status is now: CIDRNotAvailable", client: &client, &ctx)
                }
                return
            }
            let n = firstFree
            allocated.insert(n)
            assigned[node.name] = n
            let cidr = clusterCIDR.range(n)
            var request = APIRequest(.patch, "nodes", name: node.name)
            request.body = ["spec": ["podCIDR": .string(cidr), "podCIDRs": [.string(cidr)]]]
            client.send(request, &ctx)
        }
    }
}
