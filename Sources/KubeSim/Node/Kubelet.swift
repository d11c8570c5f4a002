/// The kubelet of one simulated node: registers the Node, renews its Lease, and runs the
/// pods bound to it through the same steps and events as the real kubelet
/// (Pulling → Pulled → Created → Started, then Running and Ready), with pod IPs from the
/// node's pod CIDR. Containers are simulated: they start after configured delays and run
/// until deleted.
final class Kubelet: Component {
    let config: NodeConfig
    let timing: Timing
    let wording: Wording
    var client = ClientRuntime()
    var recorder: EventRecorder
    /// Our own Node object as last seen.
    var node: JSON = .null
    var podCIDRBase: String?
    var allocatedIPs: Set<Int> = []
    /// Images present on the node.
    var images: Set<String> = []
    var workers: [String: PodWorker] = [:]
    var timers: [Int: (key: String, epoch: Int, step: PodWorker.Step)] = [:]
    var nextTimer = 100
    var nodeWatch: UInt64 = 0
    var podWatch: UInt64 = 0
    var registerTag: UInt64 = 0
    var leaseExists = false
    var registered = false
    var lastUnschedulable = false
    enum TimerTag: Int { case lease = 1, status = 2 }

    init(config: NodeConfig, timing: Timing, wording: Wording) {
        self.config = config
        self.timing = timing
        self.wording = wording
        self.recorder = EventRecorder(component: "kubelet", host: config.name)
        if config.controlPlane {
            // minikube preloads the control plane's images.
            images = Set(StaticPods.manifests(wording.version).map(\.image))
        }
    }

    func handle(_ message: Message, _ ctx: inout Context) {
        switch message {
        case .start:
            register(&ctx)
        case .response(let response):
            if response.tag == registerTag { registered(response, &ctx) }
        case .watch(let event):
            if event.tag == nodeWatch {
                nodeChanged(event, &ctx)
            } else if event.tag == podWatch {
                podChanged(event, &ctx)
            }
        case .timer(let tag):
            switch TimerTag(rawValue: tag) {
            case .lease:
                renewLease(&ctx)
                ctx.after(timing.leaseRenew, timer: tag)
            case .status:
                postStatus(&ctx)
                ctx.after(timing.nodeStatusReport, timer: tag)
            case nil:
                guard let t = timers.removeValue(forKey: tag), let w = workers[t.key], w.epoch == t.epoch else { return }
                advance(t.key, t.step, &ctx)
            }
        case .request, .store:
            break
        }
    }

    // MARK: Node registration, status and lease

    private func register(_ ctx: inout Context) {
        var request = APIRequest(.create, "nodes")
        request.body = NodeObject.make(config, wording: wording, now: ctx.now)
        registerTag = client.send(request, &ctx)
    }

    private func registered(_ response: APIResponse, _ ctx: inout Context) {
        if case .failure(let error) = response.result, error.code != 409 {
            // Retry registration, as the kubelet does every few seconds.
            registerTag = 0
            ctx.after(.seconds(7), timer: TimerTag.status.rawValue)
            return
        }
        guard !registered else { return }
        registered = true
        if case .success(let created) = response.result { node = created }
        nodeWatch = client.watch("nodes", fieldSelector: "metadata.name=\(config.name)", &ctx)
        podWatch = client.watch("pods", fieldSelector: "spec.nodeName=\(config.name)", &ctx)
        // Node events name the node by name and use its name as uid, as the kubelet does.
        let nodeRef: JSON = ["kind": "Node", "apiVersion": "v1",
                             "metadata": ["name": .string(config.name), "uid": .string(config.name)]]
        recorder.record(nodeRef, reason: "Starting", message: "Starting kubelet.", client: &client, &ctx)
        for reason in ["NodeHasSufficientMemory", "NodeHasNoDiskPressure", "NodeHasSufficientPID"] {
            recorder.record(nodeRef, reason: reason, message: "Node \(config.name) status is now: \(reason)",
                            client: &client, &ctx)
        }
        recorder.record(nodeRef, reason: "NodeAllocatableEnforced",
                        message: "Updated Node Allocatable limit across pods", client: &client, &ctx)
        recorder.record(nodeRef, reason: "NodeReady", message: "Node \(config.name) status is now: NodeReady",
                        client: &client, &ctx)
        if config.controlPlane, !node.isNull {
            for manifest in StaticPods.manifests(wording.version) {
                var request = APIRequest(.create, "pods", namespace: "kube-system")
                request.body = StaticPods.mirrorPod(manifest, node: node, now: ctx.now)
                request.wantsResponse = false
                client.send(request, &ctx)
            }
        }
        renewLease(&ctx)
        ctx.after(timing.leaseRenew, timer: TimerTag.lease.rawValue)
        ctx.after(timing.nodeStatusReport, timer: TimerTag.status.rawValue)
    }

    /// Creates, then renews, `kube-node-lease/<node>` (the node heartbeat).
    private func renewLease(_ ctx: inout Context) {
        let now = ctx.now.rfc3339Micro
        if !leaseExists {
            var request = APIRequest(.create, "leases", namespace: "kube-node-lease")
            request.body = [
                "apiVersion": "coordination.k8s.io/v1", "kind": "Lease",
                "metadata": [
                    "name": .string(config.name), "namespace": "kube-node-lease",
                    "ownerReferences": [["apiVersion": "v1", "kind": "Node", "name": .string(config.name),
                                         "uid": .string(node.uid)]],
                ],
                "spec": ["holderIdentity": .string(config.name),
                         "leaseDurationSeconds": .int(timing.leaseDurationSeconds), "renewTime": .string(now)],
            ]
            if node.uid.isEmpty { request.body["metadata", "ownerReferences"] = .null }
            client.send(request, &ctx)
            leaseExists = true
            return
        }
        var request = APIRequest(.patch, "leases", namespace: "kube-node-lease", name: config.name)
        request.body = ["spec": ["renewTime": .string(now)]]
        request.wantsResponse = false
        client.send(request, &ctx)
    }

    /// Posts node status: the periodic report refreshes the conditions' heartbeat times.
    private func postStatus(_ ctx: inout Context) {
        guard registered, !node.isNull else {
            if !registered, registerTag == 0 { register(&ctx) }
            return
        }
        let heartbeat = ctx.now.rfc3339
        var conditions = node["status", "conditions"].array ?? []
        for i in conditions.indices { conditions[i]["lastHeartbeatTime"] = .string(heartbeat) }
        var request = APIRequest(.patch, "nodes", name: config.name)
        request.subresource = "status"
        request.body = ["status": ["conditions": .array(conditions), "images": NodeObject.images(images)]]
        client.send(request, &ctx)
    }

    private func nodeChanged(_ event: WatchEvent, _ ctx: inout Context) {
        guard event.type != .deleted else { return }
        let firstSight = node.isNull
        node = event.object
        let unschedulable = node["spec", "unschedulable"].bool ?? false
        if !firstSight, unschedulable != lastUnschedulable {
            let reason = unschedulable ? "NodeNotSchedulable" : "NodeSchedulable"
            recorder.record(node, reason: reason, message: "Node \(config.name) status is now: \(reason)",
                            client: &client, &ctx)
        }
        lastUnschedulable = unschedulable
        if podCIDRBase == nil, let cidr = node["spec", "podCIDR"].string, let base = Self.base(of: cidr) {
            podCIDRBase = base
            // Pods that arrived before the range was known start now.
            for key in workers.keys.sorted() where workers[key]?.step == .waitingForNetwork {
                advance(key, .waitingForNetwork, &ctx)
            }
        }
    }

    /// `10.244.1.0/24` → `10.244.1.` (the simulation hands out /24s).
    static func base(of cidr: String) -> String? {
        guard let slash = cidr.firstIndex(of: "/") else { return nil }
        let ip = cidr[cidr.startIndex..<slash]
        guard let lastDot = ip.lastIndex(of: ".") else { return nil }
        return String(ip[...lastDot])
    }

    /// The lowest free address of the node's range, from .2 (host-local IPAM keeps .1 for the
    /// gateway).
    func allocateIP() -> String? {
        guard let base = podCIDRBase, let n = (2...254).first(where: { !allocatedIPs.contains($0) }) else { return nil }
        allocatedIPs.insert(n)
        return base + String(n)
    }

    func releaseIP(_ ip: String?) {
        guard let ip, let base = podCIDRBase, ip.hasPrefix(base), let n = Int(ip.dropFirst(base.count)) else { return }
        allocatedIPs.remove(n)
    }

    func arm(_ key: String, _ step: PodWorker.Step, after delay: Duration, _ ctx: inout Context) {
        guard let w = workers[key] else { return }
        let tag = nextTimer
        nextTimer += 1
        timers[tag] = (key, w.epoch, step)
        ctx.after(delay, timer: tag)
    }
}
