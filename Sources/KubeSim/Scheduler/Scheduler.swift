/// kube-scheduler (pkg/scheduler): watches pods and nodes, keeps its cache of nodes and the
/// pods placed on them, and schedules each pending pod through the framework
/// (schedule_one.go): PreFilter, Filter over the nodes from a round-robin start until
/// percentageOfNodesToScore of them fit, PreScore/Score/NormalizeScore weighted, the best
/// node (ties broken at random), Reserve (assume), then Bind. A pod that fits nowhere runs
/// PostFilter (preemption), gets `FailedScheduling`, and waits in the queue
/// (SchedulingQueue) for an event that may help.
final class Scheduler: Component {
    private var client = ClientRuntime()
    private var recorder: EventRecorder
    let wording: Wording
    let framework: Framework
    let snapshot = Snapshot()
    private var queue: SchedulingQueue
    private var random: SeededRandom
    /// Every live pod the scheduler knows, decoded.
    private var podInfos = StringTable<PodInfo>()
    /// The pod decoded last (`decode`).
    private var lastDecoded: PodInfo?
    /// Pod key → node it is counted on (bound, or assumed while binding).
    private(set) var placement = StringTable<String>()
    /// Binding requests in flight: tag → (pod key, node, the queue entry).
    private var binding: [UInt64: (key: String, node: String, queued: SchedulingQueue.QueuedPod)] = [:]
    private var bindingKeys = StringSet()
    /// Pods nominated to a node by preemption.
    private var nominatedNode = StringTable<String>()
    /// The last attempt's outcome per pod, for the explanation.
    private var lastAttempt = StringTable<(time: VirtualTime, node: String?, message: String)>()
    private(set) var podWatch: UInt64 = 0
    private(set) var nodeWatch: UInt64 = 0
    private var nextStartNodeIndex = 0
    private var cycleArmed = false
    private var backoffArmedAt: VirtualTime?
    private var flushArmed = false
    private static let cycleTimer = 1
    private static let backoffTimer = 2
    private static let flushTimer = 3
    /// Decisions made, for the benchmark.
    private(set) var scheduledCount = 0
    private(set) var failedCount = 0

    /// percentageOfNodesToScore 0 = adaptive (schedule_one.go numFeasibleNodesToFind).
    static let minFeasibleNodesToFind = 100
    static let minFeasibleNodesPercentageToFind = 5

    init(wording: Wording, host: String, seed: UInt64) {
        self.wording = wording
        self.recorder = EventRecorder(component: "default-scheduler", host: host, version: wording.version,
                                      usesEventsAPI: true)
        self.random = SeededRandom(seed: seed, stream: "kube-scheduler")
        self.framework = Framework.defaultProfile(wording: wording)
        // podInitialBackoffSeconds 1, podMaxBackoffSeconds 10 (apis/config/v1/defaults.go);
        // podMaxInUnschedulablePodsDuration 5 min (1.18: unschedulableQTimeInterval 60 s).
        queue = SchedulingQueue(initialBackoff: .seconds(1), maxBackoff: .seconds(10),
                                maxInUnschedulable: wording.version == .v1_18 ? .seconds(60) : .seconds(300))
    }

    func handle(_ message: consuming Message, _ ctx: inout Context) {
        switch message {
        case .start:
            nodeWatch = client.watch("nodes", &ctx)
            podWatch = client.watch("pods", &ctx)
        case .watch(let event):
            if event.tag == nodeWatch { nodeChanged(event, &ctx) } else if event.tag == podWatch { podChanged(event, &ctx) }
        case .timer(let tag):
            switch tag {
            case Self.cycleTimer:
                cycleArmed = false
                scheduleActive(&ctx)
            case Self.backoffTimer:
                backoffArmedAt = nil
                queue.flushBackoffCompleted(now: ctx.now)
                armTimers(&ctx)
            case Self.flushTimer:
                flushArmed = false
                queue.flushUnschedulableLeftover(now: ctx.now)
                armTimers(&ctx)
            default:
                break
            }
        case .response(let response):
            bindingDone(response, &ctx)
        case .request, .store:
            break
        }
    }

    // MARK: Cache

    private func nodeChanged(_ event: WatchEvent, _ ctx: inout Context) {
        let node = event.object
        switch event.type {
        case .added:
            let existed = snapshot.byName[node.name] != nil
            let info = snapshot.addNode(node)
            if !existed {
                // Pods the scheduler placed here before it saw the node.
                for (key, name) in placement.sorted(by: { $0.key < $1.key }) where name == node.name {
                    if let p = podInfos[key] { snapshot.place(p, on: info) }
                }
            }
            moveOnEvent(.nodeAdd, &ctx)
        case .modified:
            guard let info = snapshot.byName[node.name] else {
                snapshot.addNode(node)
                moveOnEvent(.nodeAdd, &ctx)
                return
            }
            let labels = info.labels, taints = info.taints, unschedulable = info.unschedulable
            let allocatable = [info.allocatableMilliCPU, info.allocatableMemory, Int64(info.allocatablePods),
                               info.allocatableEphemeralStorage]
            snapshot.updateNode(node)
            // Heartbeats change nothing the plugins read; only real changes requeue.
            if labels != info.labels || taints != info.taints || unschedulable != info.unschedulable
                || allocatable != [info.allocatableMilliCPU, info.allocatableMemory, Int64(info.allocatablePods),
                                   info.allocatableEphemeralStorage]
            {
                moveOnEvent(.nodeUpdate, &ctx)
            }
        case .deleted:
            snapshot.removeNode(node.name)
        }
    }

    private func podChanged(_ event: WatchEvent, _ ctx: inout Context) {
        let pod = event.object
        let key = event.key
        let node = pod.nodeName
        let phase = pod["status", "phase"].string ?? ""
        if event.type == .deleted || (pod.isTerminating && node.isEmpty) || phase == "Succeeded" || phase == "Failed" {
            // Terminal pods leave the cache (they use nothing); deleted ones leave everything.
            let wasPlaced = unplace(key)
            queue.delete(key)
            clearNomination(key)
            if event.type == .deleted || node.isEmpty { podInfos[key] = nil; lastAttempt[key] = nil }
            if wasPlaced { moveOnEvent(.assignedPodDelete, &ctx) }
            return
        }
        if !node.isEmpty {
            queue.delete(key)
            clearNomination(key)
            if placement[key] == node, let known = podInfos[key], known.isTerminating == pod.isTerminating,
               known.hasLabels(of: pod)
            {
                return  // our own assumption confirmed, or a change the plugins don't read
            }
            let info = decode(pod)
            let moved = placement[key] != nil
            unplace(key)
            podInfos[key] = info
            placement[key] = node
            if let n = snapshot.byName[node] { snapshot.place(info, on: n) }
            moveOnEvent(moved ? .assignedPodUpdate : .assignedPodAdd, &ctx)
            return
        }
        guard (pod["spec", "schedulerName"].string ?? "default-scheduler") == "default-scheduler" else { return }
        let info = decode(pod)
        podInfos[key] = info
        guard placement[key] == nil, !bindingKeys.contains(key) else { return }
        if queue.location(of: key) == nil {
            queue.add(key, priority: info.priority, now: ctx.now)
        } else if event.type == .modified {
            queue.update(key, priority: info.priority, now: ctx.now)
        }
        armTimers(&ctx)
    }

    /// The pod's `PodInfo`, sharing what it can with the one decoded before it: a
    /// controller's pods arrive one after another with one spec.
    private func decode(_ pod: JSON) -> PodInfo {
        let info = PodInfo(pod, sibling: lastDecoded)
        lastDecoded = info
        return info
    }

    @discardableResult
    private func unplace(_ key: String) -> Bool {
        guard let node = placement.removeValue(forKey: key) else { return false }
        if let info = podInfos[key], let n = snapshot.byName[node] { snapshot.unplace(info, from: n) }
        return true
    }

    private func clearNomination(_ key: String) {
        guard let node = nominatedNode.removeValue(forKey: key) else { return }
        snapshot.byName[node]?.nominated.removeAll { $0.key == key }
    }

    private func moveOnEvent(_ event: ClusterEvent, _ ctx: inout Context) {
        if queue.moveOnEvent(event, now: ctx.now) > 0 { armTimers(&ctx) }
    }

    /// Arms the cycle (activeQ not empty), the backoff flush (at the earliest backoff end)
    /// and the unschedulable flush (every 30 s while pods are unschedulable).
    private func armTimers(_ ctx: inout Context) {
        if queue.hasActive, !cycleArmed {
            cycleArmed = true
            ctx.after(.zero, timer: Self.cycleTimer)
        }
        if let next = queue.nextBackoffExpiry, backoffArmedAt.map({ next < $0 }) ?? true {
            backoffArmedAt = next
            ctx.after(max(.zero, next - ctx.now), timer: Self.backoffTimer)
        }
        if queue.unschedulableCount > 0, !flushArmed {
            flushArmed = true
            ctx.after(.seconds(30), timer: Self.flushTimer)
        }
    }

    // MARK: Scheduling cycle

    private func scheduleActive(_ ctx: inout Context) {
        while let queued = queue.pop() {
            scheduleOne(queued, &ctx)
        }
        armTimers(&ctx)
    }

    /// numFeasibleNodesToFind: all nodes below 100; else (50 − n/125)% (at least 5%) of
    /// them, at least 100.
    static func numFeasibleNodesToFind(_ n: Int) -> Int {
        if n < minFeasibleNodesToFind { return n }
        let percentage = max(50 - n / 125, minFeasibleNodesPercentageToFind)
        return max(n * percentage / 100, minFeasibleNodesToFind)
    }

    private func scheduleOne(_ queued: SchedulingQueue.QueuedPod, _ ctx: inout Context) {
        let key = queued.key
        guard let pod = podInfos[key], placement[key] == nil, !bindingKeys.contains(key) else { return }
        let nodes = snapshot.nodeList()
        guard !nodes.isEmpty else {
            fail(queued, pod, message: "no nodes available to schedule pods", plugins: [], &ctx)
            return
        }
        let state = CycleState()
        let pre = framework.runPreFilter(state, pod, snapshot)
        if pre.isRejection {
            fail(queued, pod, message: FitError.message(nodeCount: nodes.count, preFilter: pre.reasons.joined(separator: ", ")),
                 plugins: [pre.plugin], &ctx)
            return
        }
        let filters = framework.activeFilters(state)
        // A pod nominated by an earlier preemption tries that node first.
        let nominated = pod.pod["status", "nominatedNodeName"].string ?? ""
        if !nominated.isEmpty, let n = snapshot.byName[nominated], Framework.runFilters(filters, state, pod, n) == nil {
            assumeAndBind(queued, pod, n, &ctx)
            return
        }
        // Nodes outside the PreFilter result are not evaluated; they count as rejected by it.
        let allNodes = nodes
        let candidates = state.preFilterNodeNames.map { names in
            names.sorted().compactMap { snapshot.byName[$0] }
        } ?? allNodes
        let absent = allNodes.count - candidates.count
        // 1.18 had no PreFilter result: those nodes failed the NodeAffinity filter itself.
        let absentReason = wording.version == .v1_18 ? wording.nodeAffinityMismatch
            : "node(s) didn't satisfy plugin(s) [NodeAffinity]"
        guard !candidates.isEmpty || absent == 0 else {
            fail(queued, pod, message: FitError.message(nodeCount: allNodes.count, reasons: [absentReason: absent]),
                 plugins: ["NodeAffinity"], &ctx)
            return
        }
        let toFind = Self.numFeasibleNodesToFind(allNodes.count)
        // Positions in `candidates` (see NodeSelection).
        var feasible: [Int] = []
        feasible.reserveCapacity(min(toFind, candidates.count))
        // Positions in `candidates` of the nodes a filter rejected.
        var rejected: [Int] = []
        let start = candidates.isEmpty ? 0 : nextStartNodeIndex % candidates.count
        // Upstream filters node by node from `start` until `toFind` fit. Runs of as many nodes
        // as are still to find give the same nodes and the same stopping point (a run cannot
        // hold more fits than are missing) with each plugin called once per run.
        var processed = 0
        while processed < candidates.count, feasible.count < toFind {
            let k = min(toFind - feasible.count, candidates.count - processed)
            var alive: [Int] = []
            alive.reserveCapacity(k)
            for j in 0..<k { alive.append((start + processed + j) % candidates.count) }
            Framework.runFilters(filters, state, pod, snapshot, candidates, alive: &alive, rejected: &rejected)
            feasible.append(contentsOf: alive)
            processed += k
        }
        if !candidates.isEmpty { nextStartNodeIndex = (start + processed) % candidates.count }
        guard !feasible.isEmpty else {
            var reasons: [String: Int] = [:]
            var plugins: Set<String> = []
            var statuses: [Int: Status] = [:]
            // The filters are asked again for the reasons (see FilterPlugin.filterAll).
            for i in rejected {
                let node = candidates[i]
                guard let s = Framework.runFilters(filters, state, pod, node) else {
                    assertionFailure("a node's filters rejected it in a run but pass it alone")
                    continue
                }
                statuses[node.id] = s
                plugins.insert(s.plugin)
                for r in s.reasons { reasons[r, default: 0] += 1 }
            }
            if absent > 0 { reasons[absentReason, default: 0] += absent }
            var message = FitError.message(nodeCount: allNodes.count, reasons: reasons)
            var nominate: String?
            for p in framework.postFilters {
                let result = p.postFilter(state, pod, snapshot, statuses, framework)
                if wording.reportsPreemption, !result.message.isEmpty { message += " " + result.message }
                if let node = result.nominatedNode {
                    nominate = node
                    preempt(pod, result.victims, node, &ctx)
                    break
                }
            }
            fail(queued, pod, message: message, plugins: plugins, nominatedNode: nominate, &ctx)
            return
        }
        if feasible.count == 1 {
            assumeAndBind(queued, pod, candidates[feasible[0]], &ctx)
            return
        }
        let totals = framework.runScore(state, pod, snapshot, NodeSelection(candidates, positions: feasible),
                                        detail: false).totals
        // selectHost: the highest total; ties broken uniformly at random (reservoir sampling).
        var best = 0
        var ties = 1
        for j in 1..<totals.count {
            if totals[j] > totals[best] {
                best = j
                ties = 1
            } else if totals[j] == totals[best] {
                ties += 1
                if random.int(below: ties) == 0 { best = j }
            }
        }
        assumeAndBind(queued, pod, candidates[feasible[best]], &ctx)
    }

    /// Reserve (assume: later pods see this one's requests), then Bind.
    private func assumeAndBind(_ queued: SchedulingQueue.QueuedPod, _ pod: PodInfo, _ node: NodeInfo, _ ctx: inout Context) {
        placement[pod.key] = node.name
        snapshot.place(pod, on: node)
        for r in framework.reservers { r.reserve(pod, node.name) }
        let tag = framework.binder.bind(pod, node.name, &client, &ctx)
        binding[tag] = (pod.key, node.name, queued)
        bindingKeys.insert(pod.key)
        lastAttempt[pod.key] = (ctx.now, node.name, "")
        scheduledCount += 1
    }

    private func fail(_ queued: SchedulingQueue.QueuedPod, _ info: PodInfo, message: String, plugins: Set<String>,
                      nominatedNode node: String? = nil, _ ctx: inout Context)
    {
        failedCount += 1
        let pod = info.pod
        queue.addUnschedulable(queued, plugins: plugins, now: ctx.now)
        lastAttempt[info.key] = (ctx.now, nil, message)
        // The event note is cut at 1024 bytes (events NoteLengthLimit); the condition keeps all.
        var note = message
        if note.utf8.count > 1024 { note = String(decoding: Array(note.utf8.prefix(1020)), as: UTF8.self) + " ..." }
        recorder.record(pod, type: "Warning", reason: "FailedScheduling", message: note, action: "Scheduling",
                        client: &client, &ctx)
        var updated = pod
        PodStatus.setCondition(&updated, type: "PodScheduled", status: "False", reason: "Unschedulable",
                               message: message, at: ctx.nowRFC3339, observedGeneration: pod.generation)
        if let node { updated["status", "nominatedNodeName"] = .string(node) }
        armTimers(&ctx)
        guard updated["status"] != pod["status"] else { return }
        var request = APIRequest(.patch, "pods", namespace: pod.namespace, name: pod.name)
        request.subresource = "status"
        var status: JSON = ["conditions": updated["status", "conditions"]]
        if let node { status["nominatedNodeName"] = .string(node) }
        request.body = ["status": status]
        client.send(request, &ctx)
    }

    /// prepareCandidate: each victim gets `Preempted` (and, since 1.26, a DisruptionTarget
    /// condition) and is deleted; the preemptor is nominated to the node, whose room later
    /// pods of lower priority leave to it.
    private func preempt(_ pod: PodInfo, _ victims: [PodInfo], _ node: String, _ ctx: inout Context) {
        for v in victims {
            recorder.record(v.pod, reason: "Preempted", message: wording.preempted(by: pod, node: node),
                            action: "Preempting", client: &client, &ctx)
            if wording.version != .v1_18 {
                var updated = v.pod
                PodStatus.setCondition(&updated, type: "DisruptionTarget", status: "True", reason: "PreemptionByScheduler",
                                       message: "default-scheduler: preempting to accommodate a higher priority pod",
                                       at: ctx.nowRFC3339, observedGeneration: v.pod.generation)
                var patch = APIRequest(.patch, "pods", namespace: v.namespace, name: v.name)
                patch.subresource = "status"
                patch.body = ["status": ["conditions": updated["status", "conditions"]]]
                client.send(patch, &ctx)
            }
            var delete = APIRequest(.delete, "pods", namespace: v.namespace, name: v.name)
            delete.gracePeriodSeconds = nil
            client.send(delete, &ctx)
        }
        clearNomination(pod.key)
        nominatedNode[pod.key] = node
        snapshot.byName[node]?.nominated.append(pod)
    }

    private func bindingDone(_ response: APIResponse, _ ctx: inout Context) {
        guard let (key, node, queued) = binding.removeValue(forKey: response.tag) else { return }
        bindingKeys.remove(key)
        switch response.result {
        case .success:
            guard let pod = podInfos[key] else { return }
            clearNomination(key)
            recorder.record(pod.pod, reason: "Scheduled",
                            // Two sized writes, where an interpolation of five parts grows
                            // its buffer at each (every pod's Scheduled event).
                            message: .concatenating(.concatenating("Successfully assigned ", pod.namespace, "/", pod.name),
                                                    " to ", node),
                            action: "Binding", client: &client, &ctx)
        case .failure:
            // Binding failed (the pod changed or went away): forget the assumption and retry
            // after the backoff.
            if placement[key] == node { unplace(key) }
            if let pod = podInfos[key], pod.nodeName.isEmpty {
                queue.addBackoff(queued, now: ctx.now)
                armTimers(&ctx)
            }
        }
    }

    // MARK: Explanation

    /// The scheduler's view of one pod, for `Cluster.explainScheduling`: where it is in the
    /// queue, its last attempt, and what a scheduling cycle run now over the scheduler's
    /// cache finds on every node — each filter's verdict, each score plugin's raw,
    /// normalised and weighted score. Read-only: no queue move, no random draw.
    func explain(namespace: String, name: String) -> JSON? {
        let key = "\(namespace)/\(name)"
        guard let pod = podInfos[key] else { return nil }
        var out: JSON = ["pod": .string(key), "priority": .int(pod.priority)]
        if let node = placement[key] {
            out["state"] = bindingKeys.contains(key) ? "Binding" : "Assigned"
            out["nodeName"] = .string(node)
        } else {
            out["state"] = .string(queue.location(of: key)?.rawValue ?? "Pending")
            out["attempts"] = .int(queue.attempts(of: key))
        }
        if let n = nominatedNode[key] { out["nominatedNodeName"] = .string(n) }
        if let last = lastAttempt[key] {
            var a: JSON = ["time": .string(last.time.rfc3339Micro)]
            if let node = last.node { a["result"] = "Scheduled"; a["node"] = .string(node) } else {
                a["result"] = "Unschedulable"
                a["message"] = .string(last.message)
            }
            out["lastAttempt"] = a
        }
        let all = snapshot.nodeList()
        // A placed pod is explained as if it were pending again: its own node without it,
        // and its controller's count there one lower while the explanation runs.
        let nodes = all.map { n -> NodeInfo in
            guard placement[key] == n.name else { return n }
            let c = n.clone()
            c.remove(pod)
            return c
        }
        let counted = placement[key].flatMap { name in all.first { $0.name == name && $0.pods.contains { $0 === pod } } }
        if let counted { snapshot.countController(pod, node: counted.id, sign: -1) }
        defer { if let counted { snapshot.countController(pod, node: counted.id, sign: 1) } }
        let state = CycleState()
        var pre: [JSON] = []
        var preRejection: Status?
        for p in framework.preFilters {
            let s = p.preFilter(state, pod, snapshot)
            pre.append(["plugin": .string(p.name), "result": .string(Self.codeName(s.code))])
            if s.code == .skip { state.skipFilter.insert(p.name) }
            if s.isRejection, preRejection == nil { preRejection = Status(code: s.code, reasons: s.reasons, plugin: p.name) }
        }
        out["preFilter"] = .array(pre)
        out["numNodes"] = .int(nodes.count)
        out["numFeasibleNodesToFind"] = .int(Self.numFeasibleNodesToFind(nodes.count))
        var rows: [JSON] = []
        var feasible: [NodeInfo] = []
        for n in nodes {
            var row: JSON = ["name": .string(n.name)]
            var filters: [JSON] = []
            var fits = preRejection == nil
            if preRejection == nil {
                for v in framework.filterVerdicts(state, pod, n) {
                    var f: JSON = ["plugin": .string(v.plugin)]
                    if !v.ran {
                        f["result"] = state.skipFilter.contains(v.plugin) ? "Skip" : "NotRun"
                    } else if let s = v.status {
                        f["result"] = .string(Self.codeName(s.code))
                        f["reasons"] = .array(s.reasons.map { .string($0) })
                        fits = false
                    } else {
                        f["result"] = "Success"
                    }
                    filters.append(f)
                }
            }
            row["filters"] = .array(filters)
            row["feasible"] = .bool(fits)
            if fits { feasible.append(n) }
            rows.append(row)
        }
        if feasible.count > 0 {
            let (totals, plugins) = framework.runScore(state, pod, snapshot, NodeSelection(all: feasible), detail: true)
            var index: [String: Int] = [:]
            for (i, r) in rows.enumerated() { index[r["name"].string ?? ""] = i }
            for (j, n) in feasible.enumerated() {
                guard let i = index[n.name] else { continue }
                var scores: [JSON] = []
                for p in plugins {
                    scores.append(["plugin": .string(p.plugin), "raw": .int(Int(p.raw[j])),
                                   "normalized": .int(Int(p.normalized[j])), "weight": .int(Int(p.weight)),
                                   "weighted": .int(Int(p.normalized[j] * p.weight))])
                }
                rows[i]["scores"] = .array(scores)
                rows[i]["totalScore"] = .int(Int(totals[j]))
            }
            let top = totals.max() ?? 0
            out["bestNodes"] = .array(feasible.indices.filter { totals[$0] == top }.map { .string(feasible[$0].name) })
        }
        out["nodes"] = .array(rows)
        return out
    }

    static func codeName(_ code: Status.Code) -> String {
        switch code {
        case .success: return "Success"
        case .skip: return "Skip"
        case .unschedulable: return "Unschedulable"
        case .unschedulableAndUnresolvable: return "UnschedulableAndUnresolvable"
        }
    }
}
