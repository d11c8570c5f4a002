/// kube-controller-manager's node lifecycle controller (pkg/controller/nodelifecycle/
/// node_lifecycle_controller.go), with taint-based eviction as upstream runs it.
///
/// Every node monitor period (5 s) it checks each node's last heartbeat: a Lease renewal or
/// a change of the Ready condition's heartbeat, noted when seen. A node silent for longer than
/// the grace period (40 s; 50 s since 1.32) gets Ready, MemoryPressure, DiskPressure and
/// PIDPressure `Unknown` ("Kubelet stopped posting node status."), the `NodeNotReady` event,
/// and its pods are marked not ready. Taints follow the Ready condition: `NoSchedule` at once
/// (`doNoScheduleTaintingPass`), `NoExecute` through the zone's rate-limited queue
/// (`doNoExecuteTaintingPass`, every 100 ms), whose rate depends on the zone's health
/// (`handleDisruption`). The taint eviction controller then deletes the pods.
///
/// The per-node work of a pass is a few comparisons; watch events only note what changed.
final class NodeLifecycleController: Controller {
    /// What the controller keeps per node (upstream's nodeHealthData), with what a pass needs
    /// from the Node object read once when it changes. A class: a pass updates it in place.
    final class NodeHealth {
        let name: String
        var node: JSON { didSet { derive() } }
        var zone: String
        var probe: VirtualTime
        var readyTransition: VirtualTime
        /// The Ready condition's lastHeartbeatTime when last looked at.
        var savedHeartbeat: String?
        /// The lease renewTime when last looked at, and as last seen on the watch.
        var savedLease: String?
        var seenLease: String?
        var resourceVersion: Int64 = 0
        /// Counted in a pass already (upstream's knownNodeSet).
        var known = false
        /// In its zone's NoExecute queue (or processed there and not removed since).
        var queued = false
        /// Derived from `node`.
        private(set) var ready: String?, heartbeat: String?, hasReady = false
        private(set) var unreachableNoExecute = false, notReadyNoExecute = false
        /// Labelled `node.kubernetes.io/exclude-disruption`: not counted in its zone's health.
        private(set) var excludedFromDisruption = false

        init(name: String, node: JSON, zone: String, now: VirtualTime) {
            self.name = name
            self.node = node
            self.zone = zone
            probe = now
            readyTransition = now
            derive()
        }

        private func derive() {
            let condition = NodeLifecycleController.condition(node, "Ready")
            hasReady = condition != nil
            ready = condition?["status"].string
            heartbeat = condition?["lastHeartbeatTime"].string
            excludedFromDisruption = !node["metadata", "labels", "node.kubernetes.io/exclude-disruption"].isNull
            let taints = node["spec", "taints"].array ?? []
            unreachableNoExecute = taints.contains { $0["key"].string == NodeLifecycleController.unreachableKey && $0["effect"].string == "NoExecute" }
            notReadyNoExecute = taints.contains { $0["key"].string == NodeLifecycleController.notReadyKey && $0["effect"].string == "NoExecute" }
        }
    }
    enum ZoneState: String { case initial = "Initial", normal = "Normal", partialDisruption = "PartialDisruption", fullDisruption = "FullDisruption" }

    var client = ClientRuntime()
    var recorder: EventRecorder
    let nodes: SharedInformer
    let leases: SharedInformer
    let pods: SharedInformer
    let timing: Timing
    let gracePeriod: Duration
    /// Nodes by name, and in name order (passes run in name order, for determinism).
    var health = StringTable<NodeHealth>()
    var ordered: [NodeHealth] = []
    var orderedSorted = true
    /// Nodes deleted since the last pass.
    var removed: [JSON] = []
    /// Pods by node, for MarkPodsNotReady.
    var podsByNode = StringTable<StringSet>()
    var zoneStates = StringTable<ZoneState>()
    var zoneTainters = StringTable<RateLimitedTimedQueue>()
    /// Nodes whose NoSchedule taints must be recomputed.
    var noScheduleQueue = WorkQueue()
    var evictionPassArmed = false
    /// Pending writes: request tag → node name, so that the answer refreshes the cache.
    var nodeWrites: [UInt64: String] = [:]

    enum TimerTag: Int { case monitor = 2, evictionPass = 3 }
    static let nodeEvictionPeriod = Duration.millis(100)

    init(informers: SharedInformerFactory, timing: Timing, version: KubernetesVersion) {
        self.timing = timing
        self.gracePeriod = timing.gracePeriod(version)
        nodes = informers.informer("nodes")
        leases = informers.informer("leases", namespace: "kube-node-lease")
        pods = informers.informer("pods")
        recorder = EventRecorder(component: "node-controller", version: version)
    }

    var handledInformers: [SharedInformer] { [nodes, leases, pods] }

    func start(_ ctx: inout Context) {
        ctx.after(timing.nodeMonitorPeriod, timer: TimerTag.monitor.rawValue)
    }

    func observe(_ informer: SharedInformer, _ event: WatchEvent, old: JSON?, _ ctx: inout Context) {
        if informer === nodes {
            nodeEvent(event, &ctx)
        } else if informer === leases {
            if event.type != .deleted, let h = health[event.object.name] {
                h.seenLease = event.object["spec", "renewTime"].string
            }
        } else {
            podEvent(event, old: old)
        }
    }

    func timerFired(_ tag: Int, _ ctx: inout Context) {
        if tag == TimerTag.monitor.rawValue {
            monitorNodeHealth(&ctx)
            ctx.after(timing.nodeMonitorPeriod, timer: tag)
        } else if tag == TimerTag.evictionPass.rawValue {
            evictionPassArmed = false
            doNoExecuteTaintingPass(&ctx)
        } else if noScheduleQueue.timerFired(tag, &ctx) {
            while let name = noScheduleQueue.pop() { doNoScheduleTaintingPass(name, &ctx) }
        }
    }

    func answered(_ response: APIResponse, _ ctx: inout Context) {
        guard let name = nodeWrites.removeValue(forKey: response.tag) else { return }
        if case .success(let node) = response.result { refresh(name, node) }
    }

    // MARK: Watches

    private func nodeEvent(_ event: WatchEvent, _ ctx: inout Context) {
        let name = event.object.name
        if event.type == .deleted {
            guard let h = health.removeValue(forKey: name) else { return }
            ordered.removeAll { $0 === h }
            if h.queued { zoneTainters[h.zone]?.remove(name) }
            // The next pass notices it gone (RemovingNode), as it noticed it come.
            if h.known { removed.append(h.node) }
            return
        }
        if let h = health[name] {
            // An answer to our own write may have brought a newer version already.
            guard Self.revision(event.object) >= h.resourceVersion else { return }
            h.node = event.object
            h.resourceVersion = Self.revision(event.object)
        } else {
            let h = NodeHealth(name: name, node: event.object, zone: Self.zoneKey(event.object), now: ctx.now)
            h.resourceVersion = Self.revision(event.object)
            health[name] = h
            ordered.append(h)
            orderedSorted = false
        }
        noScheduleQueue.enqueue(name, &ctx)
    }

    private func podEvent(_ event: WatchEvent, old: JSON?) {
        let key = event.key
        let deleted = event.type == .deleted
        // A status write leaves the spec (one buffer) and so the node as they were.
        if !deleted, let old, old.sharesSpec(with: event.object) { return }
        let oldNode = old?.nodeName ?? ""
        let newNode = deleted ? "" : event.object.nodeName
        // Most changes (status) leave the pod on its node: the index stays as it is.
        guard oldNode != newNode else { return }
        if !oldNode.isEmpty { podsByNode[oldNode]?.remove(key) }
        if !newNode.isEmpty { podsByNode[newNode, default: []].insert(key) }
    }

    func refresh(_ name: String, _ node: JSON) {
        guard let h = health[name], Self.revision(node) >= h.resourceVersion else { return }
        h.node = node
        h.resourceVersion = Self.revision(node)
    }

    static func revision(_ object: JSON) -> Int64 { Int64(object.resourceVersion) ?? 0 }

    /// pkg/util/node GetZoneKey: region and zone, "" when the node has neither.
    static func zoneKey(_ node: JSON) -> String {
        let labels = node["metadata", "labels"]
        let region = labels["topology.kubernetes.io/region"].string ?? labels["failure-domain.beta.kubernetes.io/region"].string ?? ""
        let zone = labels["topology.kubernetes.io/zone"].string ?? labels["failure-domain.beta.kubernetes.io/zone"].string ?? ""
        if region.isEmpty, zone.isEmpty { return "" }
        return region + ":\u{0}:" + zone
    }

    static func condition(_ node: JSON, _ type: String) -> JSON? {
        node["status", "conditions"].array?.first { $0["type"].string == type }
    }

    /// A reference to a node for its events (name and uid, no namespace), as RecordNodeEvent.
    static func nodeRef(_ node: JSON) -> JSON {
        ["kind": "Node", "apiVersion": "v1", "metadata": ["name": .string(node.name), "uid": .string(node.uid)]]
    }

    // MARK: Monitor pass

    /// monitorNodeHealth: one pass over every node.
    private func monitorNodeHealth(_ ctx: inout Context) {
        if !orderedSorted {
            ordered.sort { $0.name < $1.name }
            orderedSorted = true
        }
        for node in removed {
            recorder.record(Self.nodeRef(node), reason: "RemovingNode",
                            message: "Node \(node.name) event: Removing Node \(node.name) from Controller", client: &client, &ctx)
        }
        removed.removeAll()
        var zoneConditions: [String: (ready: Int, notReady: Int)] = [:]
        var zoneOrder: [String] = []
        // Nodes of one zone are mostly next to each other: count runs, not every node.
        var runZone: String?
        var run = (ready: 0, notReady: 0)
        func flush() {
            // A zone of excluded nodes only is not counted at all, as upstream.
            guard let z = runZone, run.ready + run.notReady > 0 else { return }
            if zoneConditions[z] == nil { zoneOrder.append(z) }
            let c = zoneConditions[z] ?? (0, 0)
            zoneConditions[z] = (c.ready + run.ready, c.notReady + run.notReady)
            run = (0, 0)
        }
        for h in ordered {
            if !h.known {
                h.known = true
                recorder.record(Self.nodeRef(h.node), reason: "RegisteredNode",
                                message: "Node \(h.name) event: Registered Node \(h.name) in Controller", client: &client, &ctx)
                addZone(h.zone, &ctx)
                markNodeAsReachable(h, &ctx)
            }
            let (observed, current) = tryUpdateNodeHealth(h, &ctx)
            if h.zone != runZone {
                flush()
                runZone = h.zone
            }
            if h.excludedFromDisruption {
                // isNodeExcludedFromDisruptionChecks: not counted.
            } else if current == "True" {
                run.ready += 1
            } else {
                run.notReady += 1
            }
            guard let current else { continue }
            processTaintBaseEviction(h, observed: observed ?? "Unknown", &ctx)
            if current != "True", observed == "True" {
                recorder.record(Self.nodeRef(h.node), reason: "NodeNotReady",
                                message: "Node \(h.name) status is now: NodeNotReady", client: &client, &ctx)
                markPodsNotReady(h.name, &ctx)
            }
        }
        flush()
        handleDisruption(zoneConditions, zoneOrder: zoneOrder, &ctx)
    }

    /// tryUpdateNodeHealth: notes a new heartbeat, and past the grace period sets the
    /// conditions Unknown. Returns the Ready status before and after.
    private func tryUpdateNodeHealth(_ h: NodeHealth, _ ctx: inout Context) -> (observed: String?, current: String?) {
        let now = ctx.now
        let observed = h.ready
        let grace = h.hasReady ? gracePeriod : timing.nodeStartupGracePeriod
        if h.heartbeat != h.savedHeartbeat {
            h.savedHeartbeat = h.heartbeat
            h.probe = now
        }
        if let lease = h.seenLease, lease != h.savedLease {
            h.savedLease = lease
            h.probe = now
        }
        guard now > h.probe + grace else { return (observed, observed) }
        var node = h.node
        var conditions = node["status", "conditions"].array ?? []
        var changed = false
        let t = now.rfc3339
        for type in ["Ready", "MemoryPressure", "DiskPressure", "PIDPressure"] {
            if let i = conditions.firstIndex(where: { $0["type"].string == type }) {
                guard conditions[i]["status"].string != "Unknown" else { continue }
                conditions[i]["status"] = "Unknown"
                conditions[i]["reason"] = "NodeStatusUnknown"
                conditions[i]["message"] = "Kubelet stopped posting node status."
                conditions[i]["lastTransitionTime"] = .string(t)
            } else {
                conditions.append(["type": .string(type), "status": "Unknown",
                                   "lastHeartbeatTime": .string(node["metadata", "creationTimestamp"].string ?? t),
                                   "lastTransitionTime": .string(t), "reason": "NodeStatusNeverUpdated",
                                   "message": "Kubelet never posted node status."])
            }
            changed = true
        }
        guard changed, observed != "Unknown" else { return (observed, "Unknown") }
        node["status", "conditions"] = .array(conditions)
        var request = APIRequest(.patch, "nodes", name: node.name)
        request.subresource = "status"
        request.body = ["status": ["conditions": .array(conditions)]]
        nodeWrites[client.send(request, &ctx)] = node.name
        h.node = node
        // The heartbeat seen is the one before the change: the new Unknown conditions keep it.
        h.savedHeartbeat = h.heartbeat
        h.readyTransition = now
        return (observed, "Unknown")
    }

    /// MarkPodsNotReady (pkg/controller/util/node): each pod's Ready condition to False,
    /// with a Warning `NodeNotReady` event on the pod.
    private func markPodsNotReady(_ node: String, _ ctx: inout Context) {
        for key in (podsByNode[node] ?? []).sorted() {
            guard var pod = pods[key], PodStatus.condition(pod, "Ready") == "True" else { continue }
            PodStatus.setCondition(&pod, type: "Ready", status: "False", at: ctx.nowRFC3339)
            var request = APIRequest(.patch, "pods", namespace: pod.namespace, name: pod.name)
            request.subresource = "status"
            request.body = ["status": ["conditions": pod["status", "conditions"]]]
            request.wantsResponse = false
            client.send(request, &ctx)
            recorder.record(pod, type: "Warning", reason: "NodeNotReady", message: "Node is not ready", client: &client, &ctx)
        }
    }
}
