/// The RollingUpdate strategy (pkg/controller/deployment/rolling.go).
extension DeploymentController {
    func rolloutRolling(_ d: JSON, newRS: JSON?, old: [JSON], _ ctx: inout Context) {
        let replicas = d["spec", "replicas"].int ?? 1
        guard let newRS else {
            let allPods = DeploymentUtil.specReplicas(old)
            let maxTotal = replicas + DeploymentUtil.maxSurge(d)
            let start = old.isEmpty ? replicas : max(0, min(replicas, maxTotal - allPods))
            createNewReplicaSet(d, old: old, replicas: start, &ctx)
            return
        }
        let all = old + [newRS]
        if reconcileNewReplicaSet(d, newRS: newRS, all: all, &ctx) {
            syncStatus(d, newRS: newRS, all: all, &ctx)
            return
        }
        if reconcileOldReplicaSets(d, newRS: newRS, old: old, all: all, &ctx) {
            syncStatus(d, newRS: newRS, all: all, &ctx)
            return
        }
        if isComplete(d, newRS: newRS, all: all) { cleanup(d, old: old, &ctx) }
        syncStatus(d, newRS: newRS, all: all, &ctx)
    }

    /// Scales the new ReplicaSet up within maxSurge (or down if it exceeds replicas).
    private func reconcileNewReplicaSet(_ d: JSON, newRS: JSON, all: [JSON], _ ctx: inout Context) -> Bool {
        let replicas = d["spec", "replicas"].int ?? 1
        let current = newRS["spec", "replicas"].int ?? 0
        if current == replicas { return false }
        if current > replicas { return scaleReplicaSet(newRS, to: replicas, of: d, &ctx) }
        let maxTotal = replicas + DeploymentUtil.maxSurge(d)
        let allPods = DeploymentUtil.specReplicas(all)
        if allPods >= maxTotal { return false }
        let up = min(maxTotal - allPods, replicas - current)
        return scaleReplicaSet(newRS, to: current + up, of: d, &ctx)
    }

    /// Scales old ReplicaSets down while keeping `replicas - maxUnavailable` pods available.
    private func reconcileOldReplicaSets(_ d: JSON, newRS: JSON, old: [JSON], all: [JSON],
                                         _ ctx: inout Context) -> Bool
    {
        let oldPods = DeploymentUtil.specReplicas(old)
        if oldPods == 0 { return false }
        let replicas = d["spec", "replicas"].int ?? 1
        let allPods = DeploymentUtil.specReplicas(all)
        let minAvailable = replicas - DeploymentUtil.maxUnavailable(d)
        let newUnavailable = (newRS["spec", "replicas"].int ?? 0) - (newRS["status", "availableReplicas"].int ?? 0)
        let maxScaledDown = allPods - minAvailable - newUnavailable
        if maxScaledDown <= 0 { return false }

        // First drop old pods that are not available anyway (cleanupUnhealthyReplicas).
        var budget = maxScaledDown
        var scaledDown = false
        var remaining: [JSON] = []
        for rs in old {
            let spec = rs["spec", "replicas"].int ?? 0
            let unhealthy = spec - (rs["status", "availableReplicas"].int ?? 0)
            let cut = min(budget, unhealthy)
            if cut > 0, spec > 0 {
                var scaled = rs
                scaled["spec", "replicas"] = .int(spec - cut)
                if scaleReplicaSet(rs, to: spec - cut, of: d, &ctx) { scaledDown = true }
                budget -= cut
                remaining.append(scaled)
            } else {
                remaining.append(rs)
            }
        }
        // Then available ones, oldest first, keeping minAvailable.
        let available = DeploymentUtil.availableReplicas(remaining + [newRS])
        var total = available - minAvailable
        if total <= 0 { return scaledDown }
        for rs in remaining {
            let spec = rs["spec", "replicas"].int ?? 0
            if total <= 0 { break }
            if spec == 0 { continue }
            let cut = min(spec, total)
            if scaleReplicaSet(rs, to: spec - cut, of: d, &ctx) { scaledDown = true }
            total -= cut
        }
        return scaledDown
    }

    func isComplete(_ d: JSON, newRS: JSON, all: [JSON]) -> Bool {
        let replicas = d["spec", "replicas"].int ?? 1
        return (newRS["status", "replicas"].int ?? 0) == replicas
            && (newRS["status", "availableReplicas"].int ?? 0) == replicas
            && DeploymentUtil.statusReplicas(all) == replicas
    }

    /// Deletes old, empty ReplicaSets beyond revisionHistoryLimit (upstream `cleanupDeployment`).
    func cleanup(_ d: JSON, old: [JSON], _ ctx: inout Context) {
        let limit = d["spec", "revisionHistoryLimit"].int ?? 10
        let empty = old.filter { ($0["spec", "replicas"].int ?? 0) == 0 && ($0["status", "replicas"].int ?? 0) == 0
            && !$0.isTerminating }
        let excess = empty.count - limit
        guard excess > 0 else { return }
        let byRevision = empty.sorted { DeploymentUtil.revision($0) < DeploymentUtil.revision($1) }
        for rs in byRevision.prefix(excess) {
            pending[client.send(APIRequest(.delete, "replicasets", namespace: rs.namespace, name: rs.name), &ctx)] =
                d.objectKey
        }
    }
}
