/// The kubelet of one simulated node: registers the Node, renews its Lease, and runs the
/// pods bound to it through the same steps and events as the real kubelet
/// (Pulling → Pulled → Created → Started, then Running and Ready), with pod IPs from the
/// node's pod CIDR. Containers are simulated: they start after configured delays and run
/// until deleted.
final class Kubelet: Component {
    let config: NodeConfig
    /// `status.hostIPs` of every pod here (1.30+), built once.
    let hostIPs: JSON
    let timing: Timing
    let wording: Wording
    var client = ClientRuntime()
    var recorder: EventRecorder
    /// Our own Node object as last seen.
    var node: JSON = .null
    var podCIDRBase: String?
    var addresses = AddressPool()
    /// Images present on the node.
    var images: Set<String> = []
    /// Status parts equal across this node's pods, built once and shared.
    var sharedValues = SharedStatusValues()
    /// Container Event texts, shared by the Events that repeat them.
    var texts: ContainerEventTexts
    var workers = StringTable<PodWorker>()
    /// Pending pod steps, each holding its worker: a step fires without looking the pod up.
    /// A worker taken out of `workers` is retired (`retire(_:)`), so its steps lapse;
    /// a node failure drops them all with the table.
    var timers = TimerTable<(worker: PodWorker, key: String, epoch: Int, step: PodWorker.Step)>()
    var nextTimer = 100
    var nodeWatch: UInt64 = 0
    var podWatch: UInt64 = 0
    /// While the pod watch lists again after a partition: the pods the kubelet ran that the
    /// list has not named yet. Those left when the list ends were deleted meanwhile
    /// (client-go's relist turns them into deletions).
    var unlisted: StringSet?
    var registerTag: UInt64 = 0
    var leaseExists = false
    var registered = false
    var lastUnschedulable = false
    /// Faults (`ks_node` fail / partition / restore), delivered as timers at their virtual time.
    enum TimerTag: Int { case lease = 1, status = 2, fail = 3, partition = 4, restore = 5 }
    enum FaultState { case running, failed, partitioned }
    private(set) var fault = FaultState.running
    /// Whether the lease and status timer chains are armed; a timer that fires while the host
    /// is down is lost, and restore re-arms the chain.
    private var leaseChain = false, statusChain = false
    /// A status post that puts the conditions back is on its way.
    private var repairingStatus = false

    init(config: NodeConfig, timing: Timing, wording: Wording) {
        self.config = config
        self.timing = timing
        self.wording = wording
        texts = ContainerEventTexts(wording: wording)
        self.recorder = EventRecorder(component: "kubelet", host: config.name, version: wording.version)
        self.nodeRef = ["kind": "Node", "metadata": ["name": .string(config.name), "uid": .string(config.name)]]
        self.hostIPs = [["ip": .string(config.internalIP)]]
        if config.controlPlane {
            // minikube preloads the control plane's images.
            images = Set(StaticPods.manifests(wording.version).map(\.image))
        }
    }

    /// What the kubelet's events about its Node refer to (pkg/kubelet's `nodeRef`): kind and
    /// name, with the name as uid; no apiVersion, namespace or resourceVersion. Every node
    /// event names it so, and a repeat counts up on the same Event.
    private let nodeRef: JSON

    func handle(_ message: consuming Message, _ ctx: inout Context) {
        if case .timer(let tag) = message, let t = TimerTag(rawValue: tag), t.rawValue >= TimerTag.fail.rawValue {
            applyFault(t, &ctx)
            return
        }
        switch fault {
        case .running:
            run(message, &ctx)
        case .failed:
            // The host is down: nothing runs, every message and timer is lost.
            if case .timer(let tag) = message {
                if tag == TimerTag.lease.rawValue { leaseChain = false }
                if tag == TimerTag.status.rawValue { statusChain = false }
            }
        case .partitioned:
            // The kubelet runs its pods but cannot reach the API server: nothing arrives from
            // it, and what it sends is lost.
            switch message {
            case .response, .watch: return
            default: break
            }
            run(message, &ctx)
            ctx.outbox.removeAll { !$0.isTimer && $0.target == ctx.apiServer }
        }
    }

    /// Fails, partitions or restores this node's kubelet.
    private func applyFault(_ tag: TimerTag, _ ctx: inout Context) {
        switch tag {
        case .fail:
            guard fault != .failed else { return }
            fault = .failed
            // The machine stops: its containers are gone, restore starts them again.
            workers.removeAll()
            timers.removeAll()
            addresses.removeAll()
        case .partition:
            guard fault == .running else { return }
            fault = .partitioned
        case .restore:
            guard fault != .running else { return }
            fault = .running
            guard registered else {
                // Down or cut off before its registration was answered: the answer was lost.
                // The kubelet registers again, as it retries until it is registered (a Node
                // created meanwhile answers 409, and the kubelet then reads it).
                register(&ctx)
                return
            }
            // The reflectors list and watch again (what changed meanwhile was missed), the
            // lease is renewed at once, and the node's status is put right when it is seen.
            nodeWatch = client.watch("nodes", fieldSelector: "metadata.name=\(config.name)", replacing: nodeWatch, &ctx)
            podWatch = client.watch("pods", fieldSelector: "spec.nodeName=\(config.name)", announcesListEnd: true,
                                    replacing: podWatch, &ctx)
            unlisted = StringSet(workers.keys)
            repairingStatus = false
            renewLease(&ctx)
            if !leaseChain {
                leaseChain = true
                ctx.after(timing.leaseRenew, timer: TimerTag.lease.rawValue)
            }
            if !statusChain {
                statusChain = true
                ctx.after(timing.nodeStatusReport, timer: TimerTag.status.rawValue)
            }
        case .lease, .status:
            break
        }
    }

    private func run(_ message: Message, _ ctx: inout Context) {
        switch message {
        case .start:
            register(&ctx)
        case .response(let response):
            // Registration's answer, and the end of the pod list after a partition: the
            // kubelet's writes ask for none.
            if response.tag == registerTag { registered(response, &ctx) }
            if response.tag == podWatch, let gone = unlisted {
                unlisted = nil
                if case .success = response.result {
                    podsGone(gone)
                    resendFinalDeletes(&ctx)
                }
            }
        case .watch(let event):
            if event.tag == nodeWatch {
                nodeChanged(event, &ctx)
            } else if event.tag == podWatch {
                podChanged(event, &ctx)
            }
        case .timer(let tag):
            switch TimerTag(rawValue: tag) {
            case .fail, .partition, .restore:
                break
            case .lease:
                renewLease(&ctx)
                ctx.after(timing.leaseRenew, timer: tag)
            case .status:
                postStatus(&ctx)
                ctx.after(timing.nodeStatusReport, timer: tag)
            case nil:
                guard let t = timers.remove(tag: tag), t.worker.epoch == t.epoch else { return }
                advance(t.worker, t.key, t.step, &ctx)
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
        guard !registered else { return }
        switch response.result {
        case .success(let created):
            node = created
        case .failure(let error) where error.code == 409:
            // The Node exists (an earlier registration whose answer was lost): read it, as
            // the kubelet's tryRegisterWithAPIServer does, and go on with it (its uid owns the
            // lease).
            registerTag = client.send(APIRequest(.get, "nodes", name: config.name), &ctx)
            return
        case .failure:
            // Retry registration, as the kubelet does every few seconds: the status timer's
            // chain registers while the kubelet is not registered.
            registerTag = 0
            if !statusChain {
                statusChain = true
                ctx.after(.seconds(7), timer: TimerTag.status.rawValue)
            }
            return
        }
        registered = true
        nodeWatch = client.watch("nodes", fieldSelector: "metadata.name=\(config.name)", &ctx)
        podWatch = client.watch("pods", fieldSelector: "spec.nodeName=\(config.name)", &ctx)
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
        leaseChain = true
        ctx.after(timing.leaseRenew, timer: TimerTag.lease.rawValue)
        // A retry's status chain runs already (a second would post status twice a period).
        if !statusChain {
            statusChain = true
            ctx.after(timing.nodeStatusReport, timer: TimerTag.status.rawValue)
        }
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
            request.wantsResponse = false
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
        let conditions = healthyConditions(&ctx)
        var request = APIRequest(.patch, "nodes", name: config.name)
        request.subresource = "status"
        request.body = ["status": ["conditions": .array(conditions), "images": NodeObject.images(images)]]
        request.wantsResponse = false
        client.send(request, &ctx)
    }

    /// The kubelet's own view of its conditions (its setters, pkg/kubelet/nodestatus): the
    /// node is healthy. A condition the API server holds otherwise (Unknown after the node
    /// lifecycle controller gave up on us) is set back, with a new transition time and the
    /// kubelet's event for it.
    private func healthyConditions(_ ctx: inout Context) -> [JSON] {
        let now = ctx.nowRFC3339
        var conditions = node["status", "conditions"].array ?? []
        let healthy: [(type: String, status: String, reason: String, message: String, event: String)] = [
            ("MemoryPressure", "False", "KubeletHasSufficientMemory", "kubelet has sufficient memory available", "NodeHasSufficientMemory"),
            ("DiskPressure", "False", "KubeletHasNoDiskPressure", "kubelet has no disk pressure", "NodeHasNoDiskPressure"),
            ("PIDPressure", "False", "KubeletHasSufficientPID", "kubelet has sufficient PID available", "NodeHasSufficientPID"),
            ("Ready", "True", "KubeletReady", "kubelet is posting ready status", "NodeReady"),
        ]
        for h in healthy {
            let i = conditions.firstIndex { $0["type"].string == h.type }
            if let i, conditions[i]["status"].string == h.status {
                conditions[i]["lastHeartbeatTime"] = .string(now)
                continue
            }
            let c: JSON = ["type": .string(h.type), "status": .string(h.status), "lastHeartbeatTime": .string(now),
                           "lastTransitionTime": .string(now), "reason": .string(h.reason), "message": .string(h.message)]
            if let i { conditions[i] = c } else { conditions.append(c) }
            recorder.record(nodeRef, reason: h.event, message: "Node \(config.name) status is now: \(h.event)",
                            client: &client, &ctx)
        }
        return conditions
    }

    private func nodeChanged(_ event: WatchEvent, _ ctx: inout Context) {
        guard event.type != .deleted else { return }
        let firstSight = node.isNull
        node = event.object
        // Back from a fault: the conditions say Unknown; the next status update repairs them
        // (the kubelet posts at once when its status differs from the API server's).
        let ready = node["status", "conditions"].array?.first { $0["type"].string == "Ready" }?["status"].string
        if ready == "True" {
            repairingStatus = false
        } else if registered, !repairingStatus {
            repairingStatus = true
            postStatus(&ctx)
        }
        let unschedulable = node["spec", "unschedulable"].bool ?? false
        if !firstSight, unschedulable != lastUnschedulable {
            let reason = unschedulable ? "NodeNotSchedulable" : "NodeSchedulable"
            recorder.record(nodeRef, reason: reason, message: "Node \(config.name) status is now: \(reason)",
                            client: &client, &ctx)
        }
        lastUnschedulable = unschedulable
        if podCIDRBase == nil, let cidr = node["spec", "podCIDR"].string, let base = Self.base(of: cidr) {
            podCIDRBase = base
            // Pods that arrived before the range was known start now.
            for key in workers.keys.sorted() {
                guard let w = workers[key], w.step == .waitingForNetwork else { continue }
                advance(w, key, .waitingForNetwork, &ctx)
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
        guard let base = podCIDRBase, let n = addresses.allocate() else { return nil }
        return base + String(n)
    }

    /// Gives the worker's address back, once: the worker forgets it, so a later release (the
    /// DELETED event after the final delete) cannot free it while another pod holds it.
    func releaseIP(of w: PodWorker) {
        guard let ip = w.ip else { return }
        w.ip = nil
        guard let base = podCIDRBase, ip.hasPrefix(base), let n = Int(ip.dropFirst(base.count)) else { return }
        addresses.release(n)
    }

    func arm(_ w: PodWorker, _ key: String, _ step: PodWorker.Step, after delay: Duration, _ ctx: inout Context) {
        let tag = nextTimer
        nextTimer += 1
        timers.insert((w, key, w.epoch, step), tag: tag)
        ctx.after(delay, timer: tag)
    }
}
