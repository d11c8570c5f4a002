/// Keeps each PodDisruptionBudget's status: how many selected pods are healthy, how many must
/// be, and so how many disruptions (evictions) are allowed now. Mirrors
/// pkg/controller/disruption/disruption.go: `trySync`, `getExpectedPodCount`,
/// `buildDisruptedPodMap`, `countHealthyPods`, `updatePdbStatus` and `failSafe`.
final class DisruptionController: Controller {
    var client = ClientRuntime()
    private var recorder: EventRecorder
    private let budgets: SharedInformer
    private let pods: SharedInformer
    private let replicaSets: SharedInformer
    private let deployments: SharedInformer
    /// Namespace → keys of the pods in it, to fill a new budget's members.
    private var podsByNamespace = StringTable<StringSet>()
    /// Namespace → keys of its budgets.
    private var budgetsByNamespace = StringTable<StringSet>()
    /// Budget key → its selector (nil selects nothing) and the keys of the pods it selects,
    /// kept as pods change, so a sync reads only its own pods.
    private var selectors = StringTable<LabelSelector?>()
    private var members = StringTable<StringSet>()
    private var queue = WorkQueue()
    /// `DeletionTimeout`: how long an eviction's pod counts as disrupted before it is deleted.
    static let deletionTimeout = Duration.seconds(120)

    init(informers: SharedInformerFactory, version: KubernetesVersion) {
        budgets = informers.informer("poddisruptionbudgets")
        pods = informers.informer("pods")
        replicaSets = informers.informer("replicasets")
        deployments = informers.informer("deployments")
        recorder = EventRecorder(component: "controllermanager", version: version)
    }

    var handledInformers: [SharedInformer] { [budgets, pods, replicaSets, deployments] }

    func observe(_ informer: SharedInformer, _ event: WatchEvent, old: JSON?, _ ctx: inout Context) {
        if informer === budgets {
            budgetChanged(event, old: old)
            queue.enqueue(event.key, &ctx)
        } else if informer === pods {
            let key = event.key
            let ns = event.object.namespace
            if event.type == .deleted {
                podsByNamespace[ns]?.remove(key)
            } else if case .none = old {
                podsByNamespace[ns, default: []].insert(key)
            }
            // The budgets that selected the pod before or select it now.
            for budget in (budgetsByNamespace[ns] ?? []).sorted() {
                let was = members[budget]?.contains(key) ?? false
                var now = false
                if event.type != .deleted, case let selector?? = selectors[budget] { now = selector.matches(event.object.labels) }
                if now { members[budget, default: []].insert(key) } else if was { members[budget]?.remove(key) }
                if was || now { queue.enqueue(budget, &ctx) }
            }
        } else {
            // A ReplicaSet or Deployment: the scale of the budgets' pods may have changed.
            enqueueBudgets(namespace: event.object.namespace, matching: nil, &ctx)
        }
    }

    func timerFired(_ tag: Int, _ ctx: inout Context) {
        if queue.timerFired(tag, &ctx) {
            while let key = queue.pop() { sync(key, &ctx) }
        }
    }

    /// A budget added, changed or removed: its selector is parsed once, and its members
    /// recounted when the selector changed.
    private func budgetChanged(_ event: WatchEvent, old: JSON?) {
        let key = event.key
        let ns = event.object.namespace
        if event.type == .deleted {
            budgetsByNamespace[ns]?.remove(key)
            selectors[key] = nil
            members[key] = nil
            return
        }
        budgetsByNamespace[ns, default: []].insert(key)
        if selectors[key] != nil, old?["spec", "selector"] == event.object["spec", "selector"] { return }
        var selector: LabelSelector?
        if case .success(let s) = LabelSelector.fromJSON(event.object["spec", "selector"], fieldPath: "spec.selector") { selector = s }
        selectors[key] = .some(selector)
        var selected = StringSet()
        if let selector {
            for podKey in podsByNamespace[ns] ?? [] {
                if let pod = pods[podKey], selector.matches(pod.labels) { selected.insert(podKey) }
            }
        }
        members[key] = selected
    }

    /// Enqueues every budget of the namespace (a controller's scale changed).
    private func enqueueBudgets(namespace: String, matching labels: [JSON]?, _ ctx: inout Context) {
        for key in (budgetsByNamespace[namespace] ?? []).sorted() { queue.enqueue(key, &ctx) }
    }

    private func podsFor(_ pdb: JSON) -> [JSON] {
        (members[pdb.objectKey] ?? []).sorted().compactMap { pods[$0] }
    }

    private func sync(_ key: String, _ ctx: inout Context) {
        guard let pdb = budgets[key] else { return }
        let selected = podsFor(pdb)
        if selected.isEmpty {
            recorder.record(pdb, reason: "NoPods", message: "No matching pods found", client: &client, &ctx)
        }
        let expected: Int, desired: Int
        var unmanaged: [String] = []
        switch expectedCount(pdb, selected, unmanaged: &unmanaged) {
        case .failure(let message):
            recorder.record(pdb, type: "Warning", reason: "CalculateExpectedPodCountFailed",
                            message: "Failed to calculate the number of expected pods: \(message)", client: &client, &ctx)
            failSafe(pdb, message: message, &ctx)
            return
        case .success(let counts):
            (expected, desired) = counts
        }
        if !unmanaged.isEmpty {
            recorder.record(pdb, type: "Warning", reason: "UnmanagedPods", message:
                "Pods selected by this PodDisruptionBudget (selector: \(Self.goSelector(pdb["spec", "selector"]))) were found "
                + "to be unmanaged. As a result, the status of the PDB cannot be calculated correctly, which may result in "
                + "undefined behavior. To account for these pods please set \".spec.minAvailable\" field of the PDB to an "
                + "integer value.", client: &client, &ctx)
        }
        let (disrupted, recheck) = disruptedPods(pdb, selected, now: ctx.now)
        var healthy = 0
        for pod in selected where !pod.isTerminating && disrupted[pod.name] == nil && PodStatus.isReady(pod) {
            healthy += 1
        }
        if let recheck { queue.add(key, after: recheck, &ctx) }
        var allowed = healthy - desired
        if expected <= 0 || allowed <= 0 { allowed = 0 }

        var status: JSON = .emptyObject
        status["observedGeneration"] = .int(pdb.generation)
        if !disrupted.isEmpty {
            var map = JSONObject()
            for name in disrupted.keys.sorted() { map[name] = disrupted[name] }
            status["disruptedPods"] = .object(map)
        }
        status["disruptionsAllowed"] = .int(allowed)
        status["currentHealthy"] = .int(healthy)
        status["desiredHealthy"] = .int(desired)
        status["expectedPods"] = .int(expected)
        status["conditions"] = Self.disruptionAllowedCondition(pdb["status", "conditions"], allowed: allowed > 0,
                                                                reason: nil, message: "", generation: pdb.generation,
                                                                now: ctx.now)
        write(pdb, status: status, &ctx)
    }

    /// `getExpectedPodCount`: the expected number of pods and the number that must stay
    /// healthy. An integer minAvailable counts the selected pods; a percentage or
    /// maxUnavailable needs the scale of the pods' controllers (rounded up, as upstream).
    private func expectedCount(_ pdb: JSON, _ selected: [JSON], unmanaged: inout [String]) -> Result<(Int, Int), FailureMessage> {
        let maxUnavailable = pdb["spec", "maxUnavailable"]
        let minAvailable = pdb["spec", "minAvailable"]
        if !maxUnavailable.isNull {
            let scale: Int
            switch expectedScale(selected, unmanaged: &unmanaged) {
            case .failure(let e): return .failure(e)
            case .success(let s): scale = s
            }
            let unavailable = DeploymentUtil.scaled(maxUnavailable, total: scale, roundUp: true, default: 0)
            return .success((scale, max(0, scale - unavailable)))
        }
        if case .int(let n) = minAvailable { return .success((selected.count, n)) }
        if case .string = minAvailable {
            let scale: Int
            switch expectedScale(selected, unmanaged: &unmanaged) {
            case .failure(let e): return .failure(e)
            case .success(let s): scale = s
            }
            return .success((scale, DeploymentUtil.scaled(minAvailable, total: scale, roundUp: true, default: 0)))
        }
        return .success((selected.count, 0))
    }

    struct FailureMessage: Error { var text: String }

    /// `*metav1.LabelSelector`'s generated String(): `&LabelSelector{MatchLabels:map[string]string{app: nginx,},
    /// MatchExpressions:[]LabelSelectorRequirement{},}`.
    static func goSelector(_ selector: JSON) -> String {
        guard selector.object != nil else { return "nil" }
        var labels = "map[string]string{"
        let matchLabels = selector["matchLabels"].object ?? JSONObject()
        for key in matchLabels.map(\.key).sorted() { labels += "\(key): \(matchLabels[key]?.string ?? ""),"  }
        labels += "}"
        var expressions = "[]LabelSelectorRequirement{"
        for e in selector["matchExpressions"].array ?? [] {
            let values = (e["values"].array ?? []).compactMap(\.string).joined(separator: " ")
            expressions += "LabelSelectorRequirement{Key:\(e["key"].string ?? ""),Operator:\(e["operator"].string ?? ""),Values:[\(values)],},"
        }
        expressions += "}"
        return "&LabelSelector{MatchLabels:\(labels),MatchExpressions:\(expressions),}"
    }

    /// `getExpectedScale`: the sum of the scales of the selected pods' controllers
    /// (a Deployment through its ReplicaSet, or a bare ReplicaSet).
    private func expectedScale(_ selected: [JSON], unmanaged: inout [String]) -> Result<Int, FailureMessage> {
        var scales: [(String, Int)] = []
        var seen: Set<String> = []
        for pod in selected where !pod.isTerminating {
            // A pod without a controller is unmanaged: left out of the count, with a warning.
            guard let ref = pod.controllerRef, let uid = ref["uid"].string else {
                unmanaged.append(pod.name)
                continue
            }
            if seen.contains(uid) { continue }
            guard ref["kind"].string == "ReplicaSet", let rs = replicaSets[.concatenating(pod.namespace, "/", ref["name"].string ?? "")],
                rs.uid == uid
            else {
                return .failure(FailureMessage(text: "found no controllers for pod \"\(pod.name)\""))
            }
            if let dref = rs.controllerRef, dref["kind"].string == "Deployment" {
                guard let d = deployments[.concatenating(rs.namespace, "/", dref["name"].string ?? "")], d.uid == dref["uid"].string else {
                    return .failure(FailureMessage(text: "found no controllers for pod \"\(pod.name)\""))
                }
                if seen.insert(d.uid).inserted { scales.append((d.uid, d["spec", "replicas"].int ?? 1)) }
                seen.insert(uid)
            } else {
                seen.insert(uid)
                scales.append((uid, rs["spec", "replicas"].int ?? 1))
            }
        }
        return .success(scales.reduce(0) { $0 + $1.1 })
    }

    /// `buildDisruptedPodMap`: evicted pods not yet deleted count as disrupted for
    /// `deletionTimeout`; returns when the earliest of them expires.
    private func disruptedPods(_ pdb: JSON, _ selected: [JSON], now: VirtualTime) -> ([String: JSON], Duration?) {
        let recorded = pdb["status", "disruptedPods"]
        var out: [String: JSON] = [:]
        var recheck: Duration?
        for pod in selected where !pod.isTerminating {
            guard let stamp = recorded[pod.name].string, let at = VirtualTime(rfc3339: stamp) else { continue }
            let expires = at + Self.deletionTimeout
            if expires < now { continue }  // upstream logs that the pod was not deleted
            out[pod.name] = .string(stamp)
            let wait = expires - now
            recheck = recheck.map { min($0, wait) } ?? wait
        }
        return (out, recheck)
    }

    /// `failSafe`: no disruptions while the budget cannot be computed.
    private func failSafe(_ pdb: JSON, message: String, _ ctx: inout Context) {
        var status = pdb["status"]
        status["disruptionsAllowed"] = 0
        status["conditions"] = Self.disruptionAllowedCondition(status["conditions"], allowed: false, reason: "SyncFailed",
                                                                message: message, generation: pdb.generation, now: ctx.now)
        write(pdb, status: status, &ctx)
    }

    private func failSafe(_ pdb: JSON, message: FailureMessage, _ ctx: inout Context) {
        failSafe(pdb, message: message.text, &ctx)
    }

    /// `UpdateDisruptionAllowedCondition` (metav1.Condition: type, status, observedGeneration,
    /// lastTransitionTime, reason, message; the time moves only when the status changes).
    static func disruptionAllowedCondition(_ conditions: JSON, allowed: Bool, reason: String?, message: String,
                                           generation: Int, now: VirtualTime) -> JSON
    {
        var list = conditions.array ?? []
        let status = allowed ? "True" : "False"
        let index = list.firstIndex { $0["type"].string == "DisruptionAllowed" }
        var since = now.rfc3339
        if let index, list[index]["status"].string == status, let t = list[index]["lastTransitionTime"].string { since = t }
        let condition: JSON = [
            "type": "DisruptionAllowed", "status": .string(status), "observedGeneration": .int(generation),
            "lastTransitionTime": .string(since),
            "reason": .string(reason ?? (allowed ? "SufficientPods" : "InsufficientPods")), "message": .string(message),
        ]
        if let index { list[index] = condition } else { list.append(condition) }
        return .array(list)
    }

    private func write(_ pdb: JSON, status: JSON, _ ctx: inout Context) {
        guard status != pdb["status"] else { return }
        client.send(.updateStatus("poddisruptionbudgets", pdb, status: status), &ctx)
    }
}
