/// Scaling without a rollout (pkg/controller/deployment/sync.go `scale`): the replica count
/// changed, so resize the active ReplicaSets.
extension DeploymentController {
    func scale(_ d: JSON, newRS: JSON?, old: [JSON], _ ctx: inout Context) {
        let replicas = d["spec", "replicas"].int ?? 1
        let all = old + (newRS.map { [$0] } ?? [])
        let active = all.filter { ($0["spec", "replicas"].int ?? 0) > 0 }

        // One active ReplicaSet (or none): it takes the whole count (upstream FindActiveOrLatest).
        if active.count <= 1 {
            guard let target = active.first ?? newRS ?? all.last else { return }
            scaleReplicaSet(target, to: replicas, of: d, &ctx)
            for rs in all where rs.uid != target.uid && (rs["spec", "replicas"].int ?? 0) == 0 {
                scaleReplicaSet(rs, to: 0, of: d, &ctx)
            }
            return
        }
        // Several active during a rollout: spread the difference, newest first when growing
        // and oldest first when shrinking (a simplification of upstream's proportional
        // scaling, which divides by each ReplicaSet's share).
        let allowed = replicas + DeploymentUtil.maxSurge(d)
        var delta = allowed - DeploymentUtil.specReplicas(all)
        var sizes = active.map { $0["spec", "replicas"].int ?? 0 }
        if delta > 0 {
            let i = newRS.flatMap { n in active.firstIndex { $0.uid == n.uid } } ?? active.count - 1
            sizes[i] += delta
            delta = 0
        } else {
            for i in sizes.indices where delta < 0 {
                let cut = min(sizes[i], -delta)
                sizes[i] -= cut
                delta += cut
            }
        }
        for (rs, size) in zip(active, sizes) { scaleReplicaSet(rs, to: size, of: d, &ctx) }
    }
}
