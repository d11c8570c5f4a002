/// The taint eviction controller (pkg/controller/tainteviction/taint_eviction.go; in 1.18 the
/// NoExecuteTaintManager of the node lifecycle controller, recording as `taint-controller`):
/// deletes the pods of a node tainted NoExecute that do not tolerate the taint, at once, or
/// after the shortest matching `tolerationSeconds`. Pods that tolerate the taints forever stay.
///
/// It records as its own component, and its writes expect no answer.
final class TaintEvictionController: Controller {
    /// A scheduled eviction (TimedWorker); `done` once run, until cancelled (upstream keeps the
    /// key with a nil worker, so the pod is not scheduled again).
    enum Work { case scheduled(createdAt: VirtualTime, timer: Int), done }

    var client = ClientRuntime()
    private var recorder: EventRecorder
    private let version: KubernetesVersion
    private let nodes: SharedInformer
    private let pods: SharedInformer
    /// NoExecute taints per node (taintedNodes).
    private var taintedNodes = StringTable<[JSON]>()
    private var podsByNode = StringTable<StringSet>()
    private var work = StringTable<Work>()
    private var timers: [Int: String] = [:]
    private var nextTimer = 1

    init(informers: SharedInformerFactory, version: KubernetesVersion) {
        self.version = version
        nodes = informers.informer("nodes")
        pods = informers.informer("pods")
        recorder = EventRecorder(component: version == .v1_18 ? "taint-controller" : "taint-eviction-controller",
                                 version: version)
    }

    var handledInformers: [SharedInformer] { [nodes, pods] }

    func observe(_ informer: SharedInformer, _ event: WatchEvent, old: JSON?, _ ctx: inout Context) {
        if informer === nodes { nodeEvent(event, &ctx) } else { podEvent(event, old: old, &ctx) }
    }

    func timerFired(_ tag: Int, _ ctx: inout Context) {
        guard let key = timers.removeValue(forKey: tag), case .scheduled(_, let t)? = work[key], t == tag else { return }
        work[key] = .done
        evict(key, &ctx)
    }

    private func nodeEvent(_ event: WatchEvent, _ ctx: inout Context) {
        let name = event.object.name
        let taints = event.type == .deleted ? [] : (event.object["spec", "taints"].array ?? []).filter { $0["effect"].string == "NoExecute" }
        // Only a change of the NoExecute taints matters (NodeUpdated).
        guard taints != (taintedNodes[name] ?? []) else { return }
        taintedNodes[name] = taints.isEmpty ? nil : taints
        let keys = (podsByNode[name] ?? []).sorted()
        if taints.isEmpty {
            for key in keys { cancelWorkWithEvent(key, &ctx) }
            return
        }
        for key in keys {
            guard let pod = pods[key] else { continue }
            processPodOnNode(key, pod, taints, &ctx)
        }
    }

    private func podEvent(_ event: WatchEvent, old: JSON?, _ ctx: inout Context) {
        let key = event.key
        if event.type == .deleted {
            if let oldNode = old?["spec", "nodeName"].string, !oldNode.isEmpty { podsByNode[oldNode]?.remove(key) }
            cancelWorkWithEvent(key, &ctx)
            return
        }
        let pod = event.object
        // A status write leaves the spec (one buffer): the node and the tolerations, all
        // this reads, are as they were.
        if let old, old.sharesSpec(with: pod) { return }
        let oldNode = old?.nodeName ?? ""
        let node = pod.nodeName
        // Most changes (status) leave the pod on its node: the index stays as it is.
        if oldNode != node {
            if !oldNode.isEmpty { podsByNode[oldNode]?.remove(key) }
            if !node.isEmpty { podsByNode[node, default: []].insert(key) }
        }
        // Only a pod on a tainted node, and there only a new pod, a new node or new
        // tolerations matter (PodUpdated).
        guard !node.isEmpty, let taints = taintedNodes[node] else { return }
        if let old, oldNode == node, old["spec", "tolerations"] == pod["spec", "tolerations"] { return }
        processPodOnNode(key, pod, taints, &ctx)
    }

    /// processPodOnNode.
    private func processPodOnNode(_ key: String, _ pod: JSON, _ taints: [JSON], _ ctx: inout Context) {
        let tolerations = pod["spec", "tolerations"].array ?? []
        var used: [JSON] = []
        for taint in taints {
            guard let t = tolerations.first(where: { Self.tolerates($0, taint) }) else {
                // Not every taint is tolerated: delete right away.
                cancelWorkWithEvent(key, &ctx)
                addWork(key, createdAt: ctx.now, fireAt: ctx.now, &ctx)
                return
            }
            used.append(t)
        }
        guard let seconds = Self.minTolerationSeconds(used) else {
            cancelWorkWithEvent(key, &ctx)
            return
        }
        var start = ctx.now
        let trigger = ctx.now + .seconds(seconds)
        if case .scheduled(let createdAt, _)? = work[key] {
            start = createdAt
            if start + .seconds(seconds) < trigger { return }
            cancelWorkWithEvent(key, &ctx)
        }
        addWork(key, createdAt: start, fireAt: start + .seconds(seconds), &ctx)
    }

    /// ToleratesTaint (k8s.io/api/core/v1/toleration.go).
    static func tolerates(_ t: JSON, _ taint: JSON) -> Bool {
        let effect = t["effect"].string ?? ""
        if !effect.isEmpty, effect != taint["effect"].string { return false }
        let key = t["key"].string ?? ""
        if !key.isEmpty, key != taint["key"].string { return false }
        switch t["operator"].string ?? "Equal" {
        case "Exists": return true
        case "", "Equal": return (t["value"].string ?? "") == (taint["value"].string ?? "")
        default: return false
        }
    }

    /// getMinTolerationTime: the shortest tolerationSeconds (≤ 0 counts as 0), nil when every
    /// toleration used holds forever.
    static func minTolerationSeconds(_ tolerations: [JSON]) -> Int64? {
        if tolerations.isEmpty { return 0 }
        var best: Int64?
        for t in tolerations {
            guard let s = t["tolerationSeconds"].int else { continue }
            if s <= 0 { return 0 }
            best = min(best ?? Int64(s), Int64(s))
        }
        return best
    }

    private func addWork(_ key: String, createdAt: VirtualTime, fireAt: VirtualTime, _ ctx: inout Context) {
        // AddWork on an existing key (even a finished one) does nothing.
        guard work[key] == nil else { return }
        if fireAt <= ctx.now {
            work[key] = .done
            evict(key, &ctx)
            return
        }
        let tag = nextTimer
        nextTimer += 1
        timers[tag] = key
        work[key] = .scheduled(createdAt: createdAt, timer: tag)
        ctx.after(fireAt - ctx.now, timer: tag)
    }

    /// CancelWork, with the `Cancelling deletion` event when an eviction was pending.
    private func cancelWorkWithEvent(_ key: String, _ ctx: inout Context) {
        guard let w = work.removeValue(forKey: key) else { return }
        guard case .scheduled(_, let tag) = w else { return }
        timers.removeValue(forKey: tag)
        recorder.record(podRef(key), reason: "TaintManagerEviction", message: "Cancelling deletion of Pod \(key)",
                        client: &client, &ctx)
    }

    /// A reference to the pod by namespace and name only, as the controller's events carry.
    private func podRef(_ key: String) -> JSON {
        let parts = key.split(separator: "/", maxSplits: 1).map(String.init)
        var ref: JSON = ["kind": "Pod", "metadata": ["name": .string(parts.last ?? key), "namespace": .string(parts.first ?? "")]]
        if version != .v1_18 { ref["apiVersion"] = "v1" }
        return ref
    }

    /// deletePodHandler: the event, the DisruptionTarget condition (1.26+, on by default since
    /// 1.31), then the delete with the pod's own grace period.
    private func evict(_ key: String, _ ctx: inout Context) {
        guard let pod = pods[key] else { return }
        recorder.record(podRef(key), reason: "TaintManagerEviction", message: "Marking for deletion Pod \(key)",
                        client: &client, &ctx)
        if version != .v1_18 {
            var updated = pod
            PodStatus.setCondition(&updated, type: "DisruptionTarget", status: "True", reason: "DeletionByTaintManager",
                                   message: "Taint manager: deleting due to NoExecute taint", at: ctx.nowRFC3339,
                                   observedGeneration: pod.generation)
            var request = APIRequest(.patch, "pods", namespace: pod.namespace, name: pod.name)
            request.subresource = "status"
            request.body = ["status": ["conditions": updated["status", "conditions"]]]
            request.wantsResponse = false
            client.send(request, &ctx)
        }
        var request = APIRequest(.delete, "pods", namespace: pod.namespace, name: pod.name)
        request.wantsResponse = false
        client.send(request, &ctx)
    }
}
