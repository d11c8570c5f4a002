/// Building pods from a controller's template (pkg/controller/controller_utils.go
/// `GetPodFromTemplate`): the template's labels, annotations and spec, a controller owner
/// reference, and `generateName` `<owner>-`.
enum PodTemplate {
    static func pod(from template: JSON, owner: JSON, generateName: String) -> JSON {
        pod(from: template, namespace: owner.namespace, ownerReferences: ownerReferences(controller: owner),
            generateName: generateName)
    }

    /// As above, with the owner's parts given: a controller creating a burst of pods builds
    /// them once, and its pods share them (the API server then finds them valid in a step).
    static func pod(from template: JSON, namespace: String, ownerReferences: JSON, generateName: String) -> JSON {
        var metadata: JSON = ["generateName": .string(generateName), "namespace": .string(namespace)]
        if !template["metadata", "labels"].isNull { metadata["labels"] = template["metadata", "labels"] }
        if !template["metadata", "annotations"].isNull { metadata["annotations"] = template["metadata", "annotations"] }
        metadata["ownerReferences"] = ownerReferences
        return [
            "apiVersion": "v1",
            "kind": "Pod",
            "metadata": metadata,
            "spec": template["spec"],
        ]
    }

    /// `metadata.ownerReferences` naming `owner` as the controller.
    static func ownerReferences(controller owner: JSON) -> JSON {
        .array([owner.ownerReference(controller: true)])
    }
}

/// The order in which a controller deletes its pods on scale-down
/// (pkg/controller/controller_utils.go `ActivePodsWithRanks.Less`): the pods that matter
/// least go first.
enum PodRanking {
    static func deletionOrder(_ pods: [JSON], related: [JSON]) -> [JSON] {
        var perNode: [String: Int] = [:]
        for p in related {
            if let n = p["spec", "nodeName"].string, !n.isEmpty { perNode[n, default: 0] += 1 }
        }
        struct Ranked {
            var pod: JSON
            var assigned: Bool
            var phaseRank: Int
            var ready: Bool
            var deletionCost: Int
            var doubledUp: Int
            var readySince: Int64
            var restarts: Int
            var created: Int64
            var key: String
        }
        let ranked = pods.map { pod -> Ranked in
            let node = pod.nodeName
            let phase = pod["status", "phase"].string ?? ""
            let restarts = (pod["status", "containerStatuses"].array ?? []).reduce(0) { $0 + ($1["restartCount"].int ?? 0) }
            let cost = Int(pod.annotations["controller.kubernetes.io/pod-deletion-cost"].string ?? "") ?? 0
            return Ranked(
                pod: pod, assigned: !node.isEmpty,
                phaseRank: phase == "Pending" ? 0 : phase == "Unknown" ? 1 : phase == "Running" ? 2 : 3,
                ready: PodStatus.isReady(pod), deletionCost: cost, doubledUp: node.isEmpty ? 0 : perNode[node] ?? 0,
                readySince: PodStatus.readySince(pod)?.nanos ?? 0, restarts: restarts,
                created: pod.creationTimestamp?.nanos ?? 0, key: pod.objectKey)
        }
        return ranked.sorted { a, b in
            if a.assigned != b.assigned { return !a.assigned }
            if a.phaseRank != b.phaseRank { return a.phaseRank < b.phaseRank }
            if a.ready != b.ready { return !a.ready }
            if a.deletionCost != b.deletionCost { return a.deletionCost < b.deletionCost }
            if a.doubledUp != b.doubledUp { return a.doubledUp > b.doubledUp }
            if a.ready, b.ready, a.readySince != b.readySince { return a.readySince > b.readySince }
            if a.restarts != b.restarts { return a.restarts > b.restarts }
            if a.created != b.created { return a.created > b.created }
            return a.key < b.key
        }.map(\.pod)
    }
}
