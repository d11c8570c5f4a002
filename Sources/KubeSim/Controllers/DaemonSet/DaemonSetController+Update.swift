/// The RollingUpdate strategy and the status of a DaemonSet (pkg/controller/daemon/update.go
/// `rollingUpdate` without surge, and daemon_controller.go `updateDaemonSetStatus`).
extension DaemonSetController {
    /// Deletes old pods, at most maxUnavailable unavailable at a time; the manage pass then
    /// creates their replacements from the current template. Runs only while old pods remain.
    func rollingUpdate(_ ds: JSON, key: String, hash: String, _ state: DaemonSetState, _ ctx: inout Context) {
        let desired = state.totals.desired
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
        for node in (podsByOwnerNode[ds.uid] ?? [:]).keys.sorted() where !node.isEmpty {
            let list = podsOn(ds, node)
            if list.isEmpty { continue }
            var newPod: JSON?, oldPod: JSON?, ambiguous = false
            for pod in list where !pod.isTerminating {
                if DaemonSetUtil.isUpdated(pod, hash: hash, generation: state.generation) {
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
                if !DaemonSetUtil.isAvailable(newPod, minReadySeconds: state.minReadySeconds, now: ctx.now) {
                    unavailable += 1
                    if PodStatus.isReady(newPod), let since = PodStatus.readySince(newPod) {
                        let wait = since + .seconds(Int64(state.minReadySeconds)) - ctx.now
                        nextCheck = nextCheck.map { min($0, wait) } ?? wait
                    }
                }
            } else if let oldPod {
                if !DaemonSetUtil.isAvailable(oldPod, minReadySeconds: state.minReadySeconds, now: ctx.now) {
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

    func updateStatus(_ ds: JSON, _ state: DaemonSetState, _ ctx: inout Context) {
        let t = state.totals
        if let wait = state.nextCheck, wait > .zero { queue.add(ds.objectKey, after: wait, &ctx) }
        // apps/v1 DaemonSetStatus member order; the last four are omitted when zero.
        var status: JSON = [
            "currentNumberScheduled": .int(t.current), "numberMisscheduled": .int(t.misscheduled),
            "desiredNumberScheduled": .int(t.desired), "numberReady": .int(t.ready),
        ]
        if ds.generation != 0 { status["observedGeneration"] = .int(ds.generation) }
        if t.updated != 0 { status["updatedNumberScheduled"] = .int(t.updated) }
        if t.available != 0 { status["numberAvailable"] = .int(t.available) }
        if t.desired - t.available != 0 { status["numberUnavailable"] = .int(t.desired - t.available) }
        for field in ["collisionCount", "conditions"] where !ds["status", field].isNull {
            status[field] = ds["status", field]
        }
        guard status != ds["status"] else { return }
        pending[client.send(.updateStatus("daemonsets", ds, status: status), &ctx)] = .status
    }
}
