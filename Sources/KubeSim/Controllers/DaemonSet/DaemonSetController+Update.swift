/// The RollingUpdate strategy and the status of a DaemonSet (pkg/controller/daemon/update.go
/// `rollingUpdate` without surge, and daemon_controller.go `updateDaemonSetStatus`).
extension DaemonSetController {
    /// Deletes old pods, at most maxUnavailable unavailable at a time; the manage pass then
    /// creates their replacements from the current template.
    func rollingUpdate(_ ds: JSON, key: String, hash: String, _ placement: [Decision], _ ctx: inout Context) {
        let byNode = podsByNode(ds)
        let generation = DaemonSetUtil.templateGeneration(ds)
        let minReady = ds["spec", "minReadySeconds"].int ?? 0
        let desired = placement.reduce(0) { $0 + ($1.run ? 1 : 0) }
        let rolling = ds["spec", "updateStrategy", "rollingUpdate"]
        var maxUnavailable = DeploymentUtil.scaled(rolling["maxUnavailable"].isNull ? 1 : rolling["maxUnavailable"],
                                                   total: desired, roundUp: true, default: 1)
        let maxSurge = DeploymentUtil.scaled(rolling["maxSurge"].isNull ? 0 : rolling["maxSurge"],
                                             total: desired, roundUp: true, default: 0)
        if maxUnavailable == 0, maxSurge == 0 { maxUnavailable = 1 }

        var unavailable = 0
        var replaceNow: [JSON] = []
        var candidates: [JSON] = []
        var nextCheck: Duration?
        for (node, list) in byNode.sorted(by: { $0.key < $1.key }) where !node.isEmpty {
            var newPod: JSON?, oldPod: JSON?, ambiguous = false
            for pod in list where !pod.isTerminating {
                if DaemonSetUtil.isUpdated(pod, hash: hash, generation: generation) {
                    if newPod != nil { ambiguous = true }
                    newPod = pod
                } else {
                    if oldPod != nil { ambiguous = true }
                    oldPod = pod
                }
            }
            if ambiguous || (newPod == nil) == (oldPod == nil) {
                unavailable += 1  // the manage pass sorts this node out
                continue
            }
            if let newPod {
                if !DaemonSetUtil.isAvailable(newPod, minReadySeconds: minReady, now: ctx.now) {
                    unavailable += 1
                    if PodStatus.isReady(newPod), let since = PodStatus.readySince(newPod) {
                        let wait = since + .seconds(Int64(minReady)) - ctx.now
                        nextCheck = nextCheck.map { min($0, wait) } ?? wait
                    }
                }
            } else if let oldPod {
                if !DaemonSetUtil.isAvailable(oldPod, minReadySeconds: minReady, now: ctx.now) {
                    replaceNow.append(oldPod)  // an unavailable old pod is replaced at once
                } else if unavailable < maxUnavailable {
                    candidates.append(oldPod)
                }
            }
        }
        if let nextCheck, nextCheck > .zero { queue.add(key, after: nextCheck, &ctx) }
        let room = min(max(0, maxUnavailable - unavailable), candidates.count)
        let victims = replaceNow + candidates.prefix(room)
        syncNodes(ds, key: key, delete: victims, create: [], hash: hash, &ctx)
    }

    func updateStatus(_ ds: JSON, hash: String, _ placement: [Decision], _ ctx: inout Context) {
        let byNode = podsByNode(ds)
        let generation = DaemonSetUtil.templateGeneration(ds)
        let minReady = ds["spec", "minReadySeconds"].int ?? 0
        var desired = 0, current = 0, misscheduled = 0, ready = 0, available = 0, updated = 0
        var nextCheck: Duration?
        for (node, run, _) in placement {
            let list = byNode[node.name] ?? []
            guard run else {
                if !list.isEmpty { misscheduled += 1 }
                continue
            }
            desired += 1
            guard let pod = list.first else { continue }
            current += 1
            if PodStatus.isReady(pod) {
                ready += 1
                if DaemonSetUtil.isAvailable(pod, minReadySeconds: minReady, now: ctx.now) {
                    available += 1
                } else if let since = PodStatus.readySince(pod) {
                    let wait = since + .seconds(Int64(minReady)) - ctx.now
                    nextCheck = nextCheck.map { min($0, wait) } ?? wait
                }
            }
            if DaemonSetUtil.isUpdated(pod, hash: hash, generation: generation) { updated += 1 }
        }
        if let nextCheck, nextCheck > .zero { queue.add(ds.objectKey, after: nextCheck, &ctx) }
        // apps/v1 DaemonSetStatus member order; the last four are omitted when zero.
        var status: JSON = [
            "currentNumberScheduled": .int(current), "numberMisscheduled": .int(misscheduled),
            "desiredNumberScheduled": .int(desired), "numberReady": .int(ready),
        ]
        if ds.generation != 0 { status["observedGeneration"] = .int(ds.generation) }
        if updated != 0 { status["updatedNumberScheduled"] = .int(updated) }
        if available != 0 { status["numberAvailable"] = .int(available) }
        if desired - available != 0 { status["numberUnavailable"] = .int(desired - available) }
        for field in ["collisionCount", "conditions"] where !ds["status", field].isNull {
            status[field] = ds["status", field]
        }
        guard status != ds["status"] else { return }
        var request = APIRequest(.update, "daemonsets", namespace: ds.namespace, name: ds.name)
        request.subresource = "status"
        var body = ds
        body["status"] = status
        request.body = body
        pending[client.send(request, &ctx)] = .status
    }
}
