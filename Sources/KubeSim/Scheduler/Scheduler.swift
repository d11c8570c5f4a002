/// kube-scheduler: watches pods and nodes, and binds each pending pod to the node that
/// passes every filter with the best weighted score (pkg/scheduler/schedule_one.go).
///
/// Pods wait in an active queue ordered by priority then arrival. A pod that fits nowhere
/// gets `FailedScheduling` and waits in the unschedulable set until a node or a pod change
/// might make room, then retries after its backoff (1 s doubling to 10 s).
final class Scheduler: Component {
    private var client = ClientRuntime()
    private var recorder: EventRecorder
    let wording: Wording
    /// Node states in name order (re-sorted lazily after nodes come or go), and their index.
    private var nodeList: [NodeInfo] = []
    private var nodeIndex: [String: Int] = [:]
    private var nodeListSorted = true
    private var random: SeededRandom
    /// Every pod the scheduler knows, by key; assigned ones are accounted on their node.
    private var pods: [String: JSON] = [:]
    /// Pod key → node it is counted on (bound, or assumed while binding).
    private var placement: [String: String] = [:]
    private var requestsCache: [String: PodRequests] = [:]
    private var active: [(key: String, priority: Int, sequence: Int)] = []
    private var activeSet: Set<String> = []
    private var unschedulable: [String: Int] = [:]  // key → attempts
    private var attempts: [String: Int] = [:]
    private var sequence = 0
    private var cycleArmed = false
    /// Binding requests in flight: tag → (pod key, node).
    private var binding: [UInt64: (key: String, node: String)] = [:]
    private var bindingKeys: Set<String> = []
    private var podWatch: UInt64 = 0
    private var nodeWatch: UInt64 = 0
    private var backoffTimers: [Int: String] = [:]
    private var nextTimer = 2
    private static let cycleTimer = 1
    private let filters: [any FilterPlugin]
    private let scorers: [any ScorePlugin]
    static let initialBackoff = Duration.seconds(1)
    static let maxBackoff = Duration.seconds(10)

    init(wording: Wording, host: String, seed: UInt64) {
        self.wording = wording
        self.recorder = EventRecorder(component: "default-scheduler", host: host, usesEventsAPI: true)
        self.random = SeededRandom(seed: seed, stream: "kube-scheduler")
        // Default plugin order and weights of each version (1.18 algorithmprovider;
        // today's apis/config/v1/default_plugins.go).
        switch wording.version {
        case .v1_18:
            filters = [NodeUnschedulable(), NodeResourcesFit(), NodeName(), NodePorts(),
                       NodeAffinity(wording: wording), TaintToleration(wording: wording)]
            scorers = [BalancedAllocation(version: wording.version), LeastAllocated(),
                       SelectorSpread(weight: 1), TaintTolerationScore(weight: 1)]
        case .v1_36:
            filters = [NodeUnschedulable(), NodeName(), TaintToleration(wording: wording),
                       NodeAffinity(wording: wording), NodePorts(), NodeResourcesFit()]
            scorers = [TaintTolerationScore(weight: 3), SelectorSpread(weight: 2), LeastAllocated(),
                       BalancedAllocation(version: wording.version)]
        }
    }

    func handle(_ message: Message, _ ctx: inout Context) {
        switch message {
        case .start:
            nodeWatch = client.watch("nodes", &ctx)
            podWatch = client.watch("pods", &ctx)
        case .watch(let event):
            if event.tag == nodeWatch { nodeChanged(event, &ctx) } else if event.tag == podWatch { podChanged(event, &ctx) }
        case .timer(let tag):
            if tag == Self.cycleTimer {
                cycleArmed = false
                scheduleAll(&ctx)
            } else if let key = backoffTimers.removeValue(forKey: tag) {
                activate(key, &ctx)
            }
        case .response(let response):
            bindingDone(response, &ctx)
        case .request, .store:
            break
        }
    }

    // MARK: Cache

    private func nodeChanged(_ event: WatchEvent, _ ctx: inout Context) {
        let name = event.object.name
        switch event.type {
        case .added:
            let info = NodeInfo(node: event.object)
            for (key, node) in placement where node == name {
                if let r = requestsCache[key] { info.add(r) }
            }
            if let i = nodeIndex[name] {
                nodeList[i] = info
            } else {
                nodeIndex[name] = nodeList.count
                nodeList.append(info)
                nodeListSorted = false
            }
        case .modified:
            if let i = nodeIndex[name] { nodeList[i].update(node: event.object) }
        case .deleted:
            if let i = nodeIndex.removeValue(forKey: name) {
                nodeList.remove(at: i)
                for j in i..<nodeList.count { nodeIndex[nodeList[j].name] = j }
            }
        }
        // A node event may make room: retry what was unschedulable (upstream's NodeAdd /
        // NodeUpdate cluster events).
        retryUnschedulable(&ctx)
    }

    private func podChanged(_ event: WatchEvent, _ ctx: inout Context) {
        let pod = event.object
        let key = pod.objectKey
        let node = pod["spec", "nodeName"].string ?? ""
        if event.type == .deleted || (pod.isTerminating && node.isEmpty) {
            pods[key] = nil
            forgetPlacement(key)
            dequeue(key)
            if !node.isEmpty { retryUnschedulable(&ctx) }
            return
        }
        pods[key] = pod
        if !node.isEmpty {
            dequeue(key)
            if placement[key] != node {
                forgetPlacement(key)
                place(key, pod, on: node)
            }
            let phase = pod["status", "phase"].string ?? ""
            if phase == "Succeeded" || phase == "Failed" {
                forgetPlacement(key)
                retryUnschedulable(&ctx)
            }
            return
        }
        guard (pod["spec", "schedulerName"].string ?? "default-scheduler") == "default-scheduler" else { return }
        if placement[key] == nil, !activeSet.contains(key), unschedulable[key] == nil,
            !bindingKeys.contains(key)
        {
            enqueue(key, pod, &ctx)
        }
    }

    /// Keeps `nodeList` in name order, so that filter order, ties and messages are the same
    /// whatever order nodes registered in.
    private func sortNodesIfNeeded() {
        guard !nodeListSorted else { return }
        nodeList.sort { $0.name < $1.name }
        for (i, n) in nodeList.enumerated() { nodeIndex[n.name] = i }
        nodeListSorted = true
    }

    private func place(_ key: String, _ pod: JSON, on node: String) {
        let r = requestsCache[key] ?? PodRequests(pod)
        requestsCache[key] = r
        placement[key] = node
        if let i = nodeIndex[node] { nodeList[i].add(r) }
    }

    private func forgetPlacement(_ key: String) {
        if let node = placement.removeValue(forKey: key), let r = requestsCache[key] {
            if let i = nodeIndex[node] { nodeList[i].add(r, sign: -1) }
        }
        requestsCache[key] = nil
    }

    // MARK: Queue

    private func enqueue(_ key: String, _ pod: JSON, _ ctx: inout Context) {
        guard activeSet.insert(key).inserted else { return }
        sequence += 1
        active.append((key, pod["spec", "priority"].int ?? 0, sequence))
        if !cycleArmed {
            cycleArmed = true
            ctx.after(.zero, timer: Self.cycleTimer)
        }
    }

    private func dequeue(_ key: String) {
        if activeSet.remove(key) != nil { active.removeAll { $0.key == key } }
        unschedulable[key] = nil
    }

    private func activate(_ key: String, _ ctx: inout Context) {
        guard let pod = pods[key], placement[key] == nil else { return }
        enqueue(key, pod, &ctx)
    }

    private func retryUnschedulable(_ ctx: inout Context) {
        guard !unschedulable.isEmpty else { return }
        for key in unschedulable.keys.sorted() {
            let n = attempts[key] ?? 1
            unschedulable[key] = nil
            // Backoff: 1 s · 2^(attempts−1), at most 10 s.
            let backoff = min(Duration.seconds(1 << Int64(min(n - 1, 10))), Self.maxBackoff)
            let tag = nextTimer
            nextTimer += 1
            backoffTimers[tag] = key
            ctx.after(backoff, timer: tag)
        }
    }

    // MARK: Scheduling cycle

    private func scheduleAll(_ ctx: inout Context) {
        let batch = active.sorted { $0.priority != $1.priority ? $0.priority > $1.priority : $0.sequence < $1.sequence }
        active.removeAll(keepingCapacity: true)
        activeSet.removeAll(keepingCapacity: true)
        for item in batch {
            guard let pod = pods[item.key], placement[item.key] == nil else { continue }
            scheduleOne(item.key, pod, &ctx)
        }
    }

    private func scheduleOne(_ key: String, _ pod: JSON, _ ctx: inout Context) {
        let info = PodInfo(pod)
        sortNodesIfNeeded()
        guard !nodeList.isEmpty else {
            fail(key, pod, message: "no nodes available to schedule pods", &ctx)
            return
        }
        var feasible: [Int] = []
        var reasons: [String: Int] = [:]
        var unresolvable = 0
        var buffer: [String] = []
        for i in nodeList.indices {
            var rejected = false
            for plugin in filters where !plugin.filter(info, nodeList[i], &buffer) {
                for reason in buffer { reasons[reason, default: 0] += 1 }
                buffer.removeAll(keepingCapacity: true)
                if !type(of: plugin).resolvable { unresolvable += 1 }
                rejected = true
                break
            }
            if !rejected { feasible.append(i) }
        }
        guard !feasible.isEmpty else {
            let histogram = reasons.map { "\($0.value) \($0.key)" }.sorted().joined(separator: ", ")
            var message = "0/\(nodeList.count) nodes are available: \(histogram)."
            if wording.reportsPreemption {
                // Every pod has priority 0 here, so no node has lower-priority victims.
                var parts: [String] = []
                if unresolvable > 0 { parts.append("\(unresolvable) Preemption is not helpful for scheduling") }
                let rest = nodeList.count - unresolvable
                if rest > 0 { parts.append("\(rest) No preemption victims found for incoming pod") }
                message += " preemption: 0/\(nodeList.count) nodes are available: \(parts.sorted().joined(separator: ", "))."
            }
            fail(key, pod, message: message, &ctx)
            return
        }
        var totals = [Int64](repeating: 0, count: feasible.count)
        for plugin in scorers {
            let scores = plugin.score(info, nodeList, feasible)
            for i in totals.indices where i < scores.count { totals[i] += plugin.weight * scores[i] }
        }
        // The best score wins; ties are broken uniformly at random (reservoir sampling, as
        // upstream's selectHost).
        var best = 0
        var ties = 1
        for i in 1..<totals.count {
            if totals[i] > totals[best] {
                best = i
                ties = 1
            } else if totals[i] == totals[best] {
                ties += 1
                if random.int(below: ties) == 0 { best = i }
            }
        }
        let node = nodeList[feasible[best]].name
        attempts[key] = nil
        place(key, pod, on: node)  // assume: later pods see this one's requests
        var request = APIRequest(.create, "pods", namespace: pod.namespace, name: pod.name)
        request.subresource = "binding"
        request.body = [
            "apiVersion": "v1", "kind": "Binding",
            "metadata": ["name": .string(pod.name), "namespace": .string(pod.namespace), "uid": .string(pod.uid)],
            "target": ["kind": "Node", "name": .string(node)],
        ]
        binding[client.send(request, &ctx)] = (key, node)
        bindingKeys.insert(key)
    }

    private func fail(_ key: String, _ pod: JSON, message: String, _ ctx: inout Context) {
        let n = (attempts[key] ?? 0) + 1
        attempts[key] = n
        unschedulable[key] = n
        recorder.record(pod, type: "Warning", reason: "FailedScheduling", message: message, action: "Scheduling",
                        client: &client, &ctx)
        var updated = pod
        PodStatus.setCondition(&updated, type: "PodScheduled", status: "False", reason: "Unschedulable",
                               message: message, now: ctx.now)
        guard updated["status"] != pod["status"] else { return }
        var request = APIRequest(.patch, "pods", namespace: pod.namespace, name: pod.name)
        request.subresource = "status"
        request.body = ["status": ["conditions": updated["status", "conditions"]]]
        client.send(request, &ctx)
    }

    private func bindingDone(_ response: APIResponse, _ ctx: inout Context) {
        guard let (key, node) = binding.removeValue(forKey: response.tag) else { return }
        bindingKeys.remove(key)
        switch response.result {
        case .success:
            guard let pod = pods[key] else { return }
            recorder.record(pod, reason: "Scheduled",
                            message: "Successfully assigned \(pod.namespace)/\(pod.name) to \(node)",
                            action: "Binding", client: &client, &ctx)
        case .failure:
            // Binding failed (the pod changed or went away): un-assume and try again later.
            forgetPlacement(key)
            if let pod = pods[key], (pod["spec", "nodeName"].string ?? "").isEmpty {
                attempts[key] = (attempts[key] ?? 0) + 1
                unschedulable[key] = attempts[key]
                retryUnschedulable(&ctx)
            }
        }
    }
}
