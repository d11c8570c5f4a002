/// The kubelet's pod workers (pkg/kubelet/pod_workers.go, kuberuntime SyncPod): one small
/// state machine per pod on the node. A class, changed where it lies in the kubelet's table:
/// each step would otherwise copy the worker (its pod retained) out of the table and back.
final class PodWorker {
    enum Step: Equatable {
        case waitingForNetwork
        /// The pod sandbox (its network namespace) is being created.
        case creatingSandbox
        /// Container `i` is being pulled.
        case pulled(Int)
        /// Container `i` was created and is starting.
        case started(Int)
        case running
        case stopping
        case stopped
    }
    var pod: JSON
    var step: Step = .waitingForNetwork
    /// Bumped whenever the worker changes course, so stale timers are ignored.
    var epoch = 0
    var ip: String?
    var startTime: String?
    var pullStarted: VirtualTime?
    /// `status.podIPs` for the IP it was built for: each status write repeats it.
    var podIPs: (ip: String, list: JSON)?
    /// The final delete was sent while the node was cut off, and so lost.
    var finalDeleteLost = false

    init(pod: JSON) { self.pod = pod }
}

extension Kubelet {
    func podChanged(_ event: WatchEvent, _ ctx: inout Context) {
        let pod = event.object
        let key = event.key
        switch event.type {
        case .deleted:
            if let w = workers.removeValue(forKey: key) { retire(w) }
        case .added, .modified:
            if event.type == .added { unlisted?.remove(key) }
            if let w = workers[key] {
                if w.pod.uid.hasSameUTF8(as: pod.uid) {
                    w.pod = pod
                    if pod.isTerminating, w.step != .stopping, w.step != .stopped {
                        terminate(w, key, &ctx)
                    } else if !pod.isTerminating, w.step == .running, !PodStatus.isReady(pod),
                              PodStatus.condition(pod, "ContainersReady") == "True" {
                        // The status manager puts back what the API server holds otherwise
                        // (the node lifecycle controller marked the pod not ready while we
                        // were away).
                        postPodStatus(w, podIP: w.ip ?? config.internalIP, runningUpTo: containers(pod).count, &ctx)
                    }
                    return
                }
                // A pod deleted and created again under its name while the kubelet was cut
                // off (a partition drops watch events) arrives as the same key: its old
                // worker ends, and the new pod gets one of its own below.
                workers.removeValue(forKey: key)
                retire(w)
            }
            let phase = pod["status", "phase"].string ?? ""
            guard phase != "Succeeded", phase != "Failed" else { return }
            let w = PodWorker(pod: pod)
            workers[key] = w
            if pod.isTerminating {
                terminate(w, key, &ctx)
            } else {
                advance(w, key, .waitingForNetwork, &ctx)
            }
        }
    }

    /// Pods deleted while the kubelet could not watch: their workers end, as a DELETED event
    /// would have ended them. In key order, so that the addresses go back in a fixed order.
    func podsGone(_ keys: StringSet) {
        for key in keys.sorted() {
            if let w = workers.removeValue(forKey: key) { retire(w) }
        }
    }

    /// After a partition's relist: the pods whose final delete was lost while the kubelet
    /// was cut off, still listed, are deleted again, as upstream's status manager retries it
    /// on its next sync.
    func resendFinalDeletes(_ ctx: inout Context) {
        for key in workers.keys.sorted() {
            guard let w = workers[key], w.step == .stopped, w.finalDeleteLost else { continue }
            w.finalDeleteLost = false
            sendFinalDelete(w.pod, &ctx)
        }
    }

    /// The kubelet's final delete once the containers have stopped: the API server removes
    /// the object now. Its answer (the DELETED event) comes on the pod watch. Only this pod:
    /// its uid is a precondition (as upstream's status manager sends it), so a pod created
    /// under the name meanwhile is left alone.
    private func sendFinalDelete(_ pod: JSON, _ ctx: inout Context) {
        var request = APIRequest(.delete, "pods", namespace: pod.namespace, name: pod.name)
        request.gracePeriodSeconds = 0
        request.preconditionUID = pod.uid
        request.wantsResponse = false
        client.send(request, &ctx)
    }

    /// Ends a worker taken out of `workers`: the steps it armed find their epoch gone and do
    /// nothing (a pod created again under the name has a new worker, whose epochs start
    /// over), and its address is free.
    private func retire(_ w: PodWorker) {
        w.epoch += 1
        releaseIP(of: w)
    }

    private var containers: (JSON) -> [JSON] { { $0["spec", "containers"].array ?? [] } }

    /// Whether the kubelet owns a pod condition (`PodConditionsByKubelet`); it keeps others
    /// as they are.
    static func ownsCondition(_ type: String, v36: Bool) -> Bool {
        switch type {
        case "PodScheduled", "Ready", "Initialized", "ContainersReady": return true
        case "PodReadyToStartContainers": return v36  // 1.29+
        default: return false
        }
    }

    /// Moves a pod worker forward from `step`.
    func advance(_ w: PodWorker, _ key: String, _ step: PodWorker.Step, _ ctx: inout Context) {
        let pod = w.pod
        let list = containers(pod)
        switch step {
        case .waitingForNetwork:
            // The sandbox needs an address: host network pods use the node's, others one from
            // the pod CIDR (none yet: wait for the node IPAM controller).
            let hostNetwork = pod["spec", "hostNetwork"].bool == true
            guard let ip = hostNetwork ? config.internalIP : allocateIP() else {
                w.step = .waitingForNetwork
                return
            }
            w.ip = hostNetwork ? nil : ip
            w.startTime = ctx.nowRFC3339
            w.step = .creatingSandbox
            postPodStatus(w, podIP: ip, runningUpTo: -1, &ctx)
            arm(w, key, .creatingSandbox, after: timing.sandboxCreate, &ctx)
        case .creatingSandbox:
            startContainer(w, key, 0, &ctx)
        case .pulled(let i):
            guard list.indices.contains(i) else { return }
            let image = list[i]["image"].string ?? ""
            images.insert(image)
            let took = w.pullStarted.map { ctx.now - $0 } ?? timing.imagePull
            recorder.record(pod, reason: "Pulled",
                            message: wording.pulledImage(image, took: took, sizeBytes: NodeObject.imageSize(image)),
                            fieldPath: texts.fieldPath(list[i]["name"].string ?? ""), client: &client, &ctx)
            create(w, key, i, &ctx)
        case .started(let i):
            guard list.indices.contains(i) else { return }
            let name = list[i]["name"].string ?? ""
            recorder.record(pod, reason: "Started", message: texts.started(name),
                            fieldPath: texts.fieldPath(name), client: &client, &ctx)
            startContainer(w, key, i + 1, &ctx)
        case .running:
            break
        case .stopping:
            w.step = .stopped
            releaseIP(of: w)
            sendFinalDelete(pod, &ctx)
            w.finalDeleteLost = fault == .partitioned
        case .stopped:
            break
        }
    }

    /// Pulls (if needed), creates and starts container `i`; past the last one, the pod runs.
    private func startContainer(_ w: PodWorker, _ key: String, _ i: Int, _ ctx: inout Context) {
        let list = containers(w.pod)
        guard list.indices.contains(i) else {
            w.step = .running
            postPodStatus(w, podIP: w.ip ?? config.internalIP, runningUpTo: list.count, &ctx)
            return
        }
        let container = list[i]
        let image = container["image"].string ?? ""
        let policy = container["imagePullPolicy"].string ?? "IfNotPresent"
        let field = texts.fieldPath(container["name"].string ?? "")
        if policy != "Always", images.contains(image) || policy == "Never" {
            recorder.record(w.pod, reason: "Pulled", message: wording.imagePresent(image), fieldPath: field,
                            client: &client, &ctx)
            create(w, key, i, &ctx)
            return
        }
        recorder.record(w.pod, reason: "Pulling", message: texts.pulling(image), fieldPath: field,
                        client: &client, &ctx)
        w.step = .pulled(i)
        w.pullStarted = ctx.now
        arm(w, key, .pulled(i), after: timing.imagePull, &ctx)
    }

    private func create(_ w: PodWorker, _ key: String, _ i: Int, _ ctx: inout Context) {
        let list = containers(w.pod)
        guard list.indices.contains(i) else { return }
        let name = list[i]["name"].string ?? ""
        recorder.record(w.pod, reason: "Created", message: texts.created(name),
                        fieldPath: texts.fieldPath(name), client: &client, &ctx)
        w.step = .started(i)
        arm(w, key, .started(i), after: timing.containerStart, &ctx)
    }

    /// Graceful termination: stop the containers, then delete the pod for good.
    private func terminate(_ w: PodWorker, _ key: String, _ ctx: inout Context) {
        let wasRunning: Int
        switch w.step {
        case .running: wasRunning = containers(w.pod).count
        case .started(let i), .pulled(let i): wasRunning = i
        case .creatingSandbox: wasRunning = 0
        default: wasRunning = 0
        }
        w.epoch += 1
        w.step = .stopping
        for container in containers(w.pod).prefix(wasRunning) {
            let name = container["name"].string ?? ""
            recorder.record(w.pod, reason: "Killing", message: "Stopping container \(name)",
                            fieldPath: texts.fieldPath(name), client: &client, &ctx)
        }
        arm(w, key, .stopping, after: wasRunning > 0 ? timing.containerStop : .zero, &ctx)
    }

    /// Writes the pod's status: containers before `runningUpTo` running, the rest creating.
    private func postPodStatus(_ w: PodWorker, podIP: String, runningUpTo: Int, _ ctx: inout Context) {
        let pod = w.pod
        let list = containers(pod)
        let now = ctx.nowRFC3339
        var statuses: [JSON] = []
        var notReady: [String] = []
        for (i, c) in list.enumerated() {
            let name = c["name"].string ?? ""
            let running = i < runningUpTo
            // Built member by member: every key is new, so none is looked for first.
            var s = JSONObject(minimumCapacity: 9)
            s.append(key: "name", value: .string(name))
            if running {
                s.append(key: "state", value: sharedValues.runningState(since: now))
            } else {
                s.append(key: "state", value: SharedStatusValues.containerCreating)
                notReady.append(name)
            }
            s.append(key: "lastState", value: .emptyObject)
            s.append(key: "ready", value: .bool(running))
            s.append(key: "restartCount", value: 0)
            let image = c["image"]
            if !image.isNull { s.append(key: "image", value: image) }
            s.append(key: "imageID", value: running ? sharedValues.imageID(image.string ?? "") : "")
            if running { s.append(key: "containerID", value: .string(NodeObject.containerID(pod.uid, name))) }
            s.append(key: "started", value: .bool(running))
            statuses.append(.object(s))
        }
        let ready = notReady.isEmpty
        let unready = ready ? nil : sharedValues.unreadyMessage(notReady)
        // Only the status is sent: built from the pod's own. Its conditions are those the
        // kubelet does not own, then its own in the order generateAPIPodStatus appends them
        // (mergePodStatus); the status manager's patch carries that order
        // ($setElementOrder), so the stored list ends in PodScheduled, as upstream's does.
        var status = pod["status"]
        let v36 = wording.version == .v1_36
        let generation = pod.generation
        // The first write adds its members to the API server's Pending status at once, where
        // each would otherwise grow (copy) the object again.
        if status["containerStatuses"].isNull {
            status.reserveObjectCapacity(adding: 6 + (v36 ? 1 : 0) + (generation > 0 ? 1 : 0))
        }
        let old = status["conditions"].array ?? []
        // Each condition's type, read once for the look-ups below.
        let oldTypes = old.map { $0["type"].string }
        var conditions: [JSON] = []
        conditions.reserveCapacity(old.count + 1)
        for (c, type) in zip(old, oldTypes) where !Self.ownsCondition(type ?? "", v36: v36) { conditions.append(c) }
        func set(_ type: String, _ value: Bool, reason: String? = nil, message: String? = nil) {
            let existing = oldTypes.firstIndex { $0 == type }.map { old[$0] }
            conditions.append(PodStatus.condition(existing, type: type, status: value ? "True" : "False",
                                                  reason: reason, message: message, at: now,
                                                  observedGeneration: generation, sharing: &sharedValues.conditions))
        }
        // 1.29+: true once the sandbox (with its network) exists, which the first write
        // precedes.
        if v36 { set("PodReadyToStartContainers", runningUpTo >= 0) }
        set("Initialized", true)
        set("Ready", ready, reason: ready ? nil : "ContainersNotReady", message: unready)
        set("ContainersReady", ready, reason: ready ? nil : "ContainersNotReady", message: unready)
        set("PodScheduled", true)
        if conditions.count != old.count || zip(conditions, old).contains(where: { !$0.isIdentical(to: $1) }) {
            status["conditions"] = .array(conditions)
        }
        // 1.35+: the generation of the pod this status describes (pods have one from 1.33).
        if generation > 0, status["observedGeneration"].int != generation {
            status["observedGeneration"] = .int(generation)
        }
        status["phase"] = .string(ready ? "Running" : "Pending")
        status["hostIP"] = .string(config.internalIP)
        // 1.30+ (HostIPs GA): the node's addresses as a list too.
        if v36 { status["hostIPs"] = hostIPs }
        status["podIP"] = .string(podIP)
        if let cached = w.podIPs, cached.ip.hasSameUTF8(as: podIP) {
            status["podIPs"] = cached.list
        } else {
            let list: JSON = [["ip": .string(podIP)]]
            w.podIPs = (podIP, list)
            status["podIPs"] = list
        }
        status["startTime"] = .string(w.startTime ?? now)
        status["containerStatuses"] = .array(statuses)
        // The patch `{"status": …}`, built directly (a dictionary literal first makes a list
        // of its pairs). Nothing waits for the answer: the kubelet reads none of its writes'
        // answers (see `run`), and sees them come back on its pod watch.
        var body = JSONObject(minimumCapacity: 1)
        body.append(key: "status", value: status)
        client.send(APIRequest(.patch, "pods", namespace: pod.namespace, name: pod.name, subresource: "status",
                               body: .object(body), wantsResponse: false), &ctx)
    }
}
