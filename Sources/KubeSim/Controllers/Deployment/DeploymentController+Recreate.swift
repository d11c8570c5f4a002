/// The Recreate strategy (pkg/controller/deployment/recreate.go): scale every old
/// ReplicaSet to zero, wait until their pods are gone, then bring up the new one.
extension DeploymentController {
    func rolloutRecreate(_ d: JSON, newRS: JSON?, old: [JSON], _ ctx: inout Context) {
        var scaled = false
        for rs in old where (rs["spec", "replicas"].int ?? 0) > 0 {
            if scaleReplicaSet(rs, to: 0, of: d, &ctx) { scaled = true }
        }
        if scaled {
            syncStatus(d, newRS: newRS, all: old + (newRS.map { [$0] } ?? []), &ctx)
            return
        }
        if old.contains(where: { ($0["status", "replicas"].int ?? 0) > 0 }) {
            syncStatus(d, newRS: newRS, all: old + (newRS.map { [$0] } ?? []), &ctx)
            return
        }
        let replicas = d["spec", "replicas"].int ?? 1
        guard let newRS else {
            createNewReplicaSet(d, old: old, replicas: replicas, &ctx)
            return
        }
        scaleReplicaSet(newRS, to: replicas, of: d, &ctx)
        if isComplete(d, newRS: newRS, all: old + [newRS]) { cleanup(d, old: old, &ctx) }
        syncStatus(d, newRS: newRS, all: old + [newRS], &ctx)
    }
}
