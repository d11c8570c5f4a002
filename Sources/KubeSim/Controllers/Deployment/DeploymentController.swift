/// Rolls Deployments out through ReplicaSets (pkg/controller/deployment): finds or creates
/// the new ReplicaSet for the current template, scales it up and the old ones down within
/// maxSurge and maxUnavailable, and reports status. The decision list follows upstream's
/// `syncDeployment`: deleted → nothing; scaling event → `scale`; otherwise the strategy's
/// rollout (`DeploymentController+Rolling.swift`, `+Recreate`), then status.
final class DeploymentController: Controller {
    var client = ClientRuntime()
    var recorder: EventRecorder
    let deployments: SharedInformer
    let replicaSets: SharedInformer
    /// Deployment uid → keys of the ReplicaSets it controls.
    var replicaSetsByOwner = StringTable<StringSet>()
    var queue = WorkQueue()
    let wording: Wording
    /// Requests whose failure should requeue a deployment: tag → deployment key.
    var pending: [UInt64: String] = [:]
    /// ReplicaSets created but not yet seen on the watch: deployment key → RS name.
    var expectedReplicaSets = StringTable<String>()

    init(informers: SharedInformerFactory, wording: Wording) {
        self.wording = wording
        deployments = informers.informer("deployments")
        replicaSets = informers.informer("replicasets")
        recorder = EventRecorder(component: "deployment-controller", version: wording.version)
    }

    var handledInformers: [SharedInformer] { [deployments, replicaSets] }

    func observe(_ informer: SharedInformer, _ event: WatchEvent, old: JSON?, _ ctx: inout Context) {
        if informer === deployments {
            enqueue(event.key, &ctx)
        } else {
            replicaSetChanged(event, &ctx)
        }
    }

    func timerFired(_ tag: Int, _ ctx: inout Context) {
        if queue.timerFired(tag, &ctx) {
            while let key = queue.pop() { sync(key, &ctx) }
        }
    }

    func answered(_ response: APIResponse, _ ctx: inout Context) {
        guard let key = pending.removeValue(forKey: response.tag) else { return }
        if case .failure(let error) = response.result {
            expectedReplicaSets[key] = nil
            if error.code != 404 { queue.addRateLimited(key, &ctx) }
        }
    }

    func enqueue(_ key: String, _ ctx: inout Context) { queue.enqueue(key, &ctx) }

    private func replicaSetChanged(_ event: WatchEvent, _ ctx: inout Context) {
        let rs = event.object
        guard let ref = rs.controllerRef, ref["kind"].string == "Deployment", let owner = ref["uid"].string,
            let name = ref["name"].string
        else { return }
        let key = rs.objectKey
        let deploymentKey = String.concatenating(rs.namespace, "/", name)
        if event.type == .deleted {
            replicaSetsByOwner[owner]?.remove(key)
        } else {
            replicaSetsByOwner[owner, default: []].insert(key)
            if expectedReplicaSets[deploymentKey] == rs.name { expectedReplicaSets[deploymentKey] = nil }
        }
        enqueue(deploymentKey, &ctx)
    }

    /// The ReplicaSets a Deployment controls, oldest first (upstream's `ReplicaSetsByCreationTimestamp`).
    func ownedReplicaSets(_ d: JSON) -> [JSON] {
        let keys = replicaSetsByOwner[d.uid] ?? []
        return keys.compactMap { replicaSets[$0] }.sorted { a, b in
            let ta = a.creationTimestamp?.nanos ?? 0, tb = b.creationTimestamp?.nanos ?? 0
            return ta != tb ? ta < tb : a.name < b.name
        }
    }

    func sync(_ key: String, _ ctx: inout Context) {
        guard let d = deployments[key], !d.isTerminating else { return }
        // Wait until the ReplicaSet we created shows up, so it is never created twice.
        if expectedReplicaSets[key] != nil { return }
        let all = ownedReplicaSets(d)
        let template = d["spec", "template"]
        let newRS = all.first { DeploymentUtil.templatesEqualIgnoringHash($0["spec", "template"], template) }
        let old = all.filter { $0.uid != newRS?.uid }
        // A ReplicaSet brought back (a rollback) first becomes the newest revision again.
        if let newRS, syncNewReplicaSetAnnotations(d, newRS, old: old, &ctx) { return }

        if d["spec", "paused"].bool == true || isScalingEvent(d, all) {
            scale(d, newRS: newRS, old: old, &ctx)
            syncStatus(d, newRS: newRS, all: all, &ctx)
            return
        }
        if d["spec", "strategy", "type"].string == "Recreate" {
            rolloutRecreate(d, newRS: newRS, old: old, &ctx)
        } else {
            rolloutRolling(d, newRS: newRS, old: old, &ctx)
        }
    }

    /// A change of `spec.replicas` shows as an active ReplicaSet whose desired-replicas
    /// annotation no longer matches (upstream `isScalingEvent`).
    private func isScalingEvent(_ d: JSON, _ all: [JSON]) -> Bool {
        let replicas = d["spec", "replicas"].int ?? 1
        for rs in all where (rs["spec", "replicas"].int ?? 0) > 0 {
            if let desired = rs.annotations[DeploymentUtil.desiredReplicasAnnotation].string,
                Int(desired) != replicas
            {
                return true
            }
        }
        return false
    }

    /// Sets a ReplicaSet's replicas (and its desired/max annotations), recording the
    /// ScalingReplicaSet event on the Deployment.
    @discardableResult
    func scaleReplicaSet(_ rs: JSON, to replicas: Int, of d: JSON, _ ctx: inout Context) -> Bool {
        let current = rs["spec", "replicas"].int ?? 0
        let desired = String(d["spec", "replicas"].int ?? 1)
        let maxReplicas = String((d["spec", "replicas"].int ?? 1) + DeploymentUtil.maxSurge(d))
        let annotationsChanged = rs.annotations[DeploymentUtil.desiredReplicasAnnotation].string != desired
            || rs.annotations[DeploymentUtil.maxReplicasAnnotation].string != maxReplicas
        guard current != replicas || annotationsChanged else { return false }
        var updated = rs
        updated["spec", "replicas"] = .int(replicas)
        updated["metadata", "annotations", DeploymentUtil.desiredReplicasAnnotation] = .string(desired)
        updated["metadata", "annotations", DeploymentUtil.maxReplicasAnnotation] = .string(maxReplicas)
        var request = APIRequest(.update, "replicasets", namespace: rs.namespace, name: rs.name)
        request.body = updated
        pending[client.send(request, &ctx)] = d.objectKey
        if current != replicas {
            recorder.record(d, reason: "ScalingReplicaSet",
                            message: wording.scaledReplicaSet(up: replicas > current, name: rs.name,
                                                              from: current, to: replicas),
                            client: &client, &ctx)
        }
        return current != replicas
    }

    /// `getNewReplicaSet` for a ReplicaSet that already exists (`SetNewReplicaSetAnnotations`):
    /// it takes the Deployment's annotations (a change-cause among them) and, brought back by
    /// a rollback, the next revision, its old number kept in `revision-history`. True when an
    /// update was sent (the sync goes on when it comes back).
    private func syncNewReplicaSetAnnotations(_ d: JSON, _ rs: JSON, old: [JSON], _ ctx: inout Context) -> Bool {
        let current = rs.annotations
        let copied = (d.annotations.object ?? [:]).filter { key, value in
            !DeploymentUtil.skipCopyAnnotation(key) && current[key] != value
        }
        // Alone, a ReplicaSet keeps the revision it was made with.
        let newRevision = old.isEmpty ? 0 : DeploymentUtil.maxRevision(old) + 1
        let behind = newRevision > 0 && DeploymentUtil.revision(rs) < newRevision
        guard !copied.isEmpty || behind else { return false }
        var annotations = current.object ?? JSONObject()
        for (key, value) in copied { annotations[key] = value }
        let oldRevision = current[DeploymentUtil.revisionAnnotation].string
        if behind {
            annotations[DeploymentUtil.revisionAnnotation] = .string(String(newRevision))
            if let oldRevision {
                // Earlier numbers first, within 2,000 characters (maxRevHistoryLengthInChars).
                let history = annotations[DeploymentUtil.revisionHistoryAnnotation]?.string ?? ""
                var revisions = history.isEmpty ? [] : history.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
                var length = history.count + oldRevision.count + 1
                while length > 2000, !revisions.isEmpty { length -= revisions.removeFirst().count + 1 }
                if length <= 2000 || revisions.isEmpty {
                    annotations[DeploymentUtil.revisionHistoryAnnotation] = .string((revisions + [oldRevision]).joined(separator: ","))
                }
            }
        }
        var updated = rs
        updated["metadata", "annotations"] = .object(annotations)
        var request = APIRequest(.update, "replicasets", namespace: rs.namespace, name: rs.name)
        request.body = updated
        pending[client.send(request, &ctx)] = d.objectKey
        if let revision = annotations[DeploymentUtil.revisionAnnotation]?.string { followRevision(d, revision, &ctx) }
        return true
    }

    /// The Deployment's revision annotation follows its newest ReplicaSet's.
    private func followRevision(_ d: JSON, _ revision: String, _ ctx: inout Context) {
        guard !revision.isEmpty, d.annotations[DeploymentUtil.revisionAnnotation].string != revision else { return }
        var patch = APIRequest(.patch, "deployments", namespace: d.namespace, name: d.name)
        patch.body = ["metadata": ["annotations": [DeploymentUtil.revisionAnnotation: .string(revision)]]]
        pending[client.send(patch, &ctx)] = d.objectKey
    }

    /// Creates the ReplicaSet for the Deployment's current template
    /// (upstream `getNewReplicaSet` with createIfNotExisted).
    func createNewReplicaSet(_ d: JSON, old: [JSON], replicas: Int, _ ctx: inout Context) {
        let template = d["spec", "template"]
        let collisions = d["status", "collisionCount"].int ?? 0
        let hash = DeploymentUtil.podTemplateHash(template, collisionCount: collisions)
        let name = "\(d.name)-\(hash)"
        var rsTemplate = template
        rsTemplate["metadata", "labels", DeploymentUtil.podTemplateHashLabel] = .string(hash)
        var selector = d["spec", "selector"]
        selector["matchLabels", DeploymentUtil.podTemplateHashLabel] = .string(hash)
        let revision = DeploymentUtil.maxRevision(old) + 1
        var labels = template["metadata", "labels"]
        labels[DeploymentUtil.podTemplateHashLabel] = .string(hash)
        let replicasSpec = d["spec", "replicas"].int ?? 1
        var annotations: JSON = .emptyObject
        for (k, v) in d.annotations.object ?? [:] where !DeploymentUtil.skipCopyAnnotation(k) { annotations[k] = v }
        annotations[DeploymentUtil.desiredReplicasAnnotation] = .string(String(replicasSpec))
        annotations[DeploymentUtil.maxReplicasAnnotation] = .string(String(replicasSpec + DeploymentUtil.maxSurge(d)))
        annotations[DeploymentUtil.revisionAnnotation] = .string(String(revision))
        var spec: JSON = ["replicas": .int(replicas)]
        if let minReady = d["spec", "minReadySeconds"].int { spec["minReadySeconds"] = .int(minReady) }
        spec["selector"] = selector
        spec["template"] = rsTemplate
        let rs: JSON = [
            "apiVersion": "apps/v1", "kind": "ReplicaSet",
            "metadata": [
                "name": .string(name), "namespace": .string(d.namespace), "labels": labels,
                "annotations": annotations, "ownerReferences": .array([d.ownerReference(controller: true)]),
            ],
            "spec": spec,
        ]
        var request = APIRequest(.create, "replicasets", namespace: d.namespace)
        request.body = rs
        pending[client.send(request, &ctx)] = d.objectKey
        expectedReplicaSets[d.objectKey] = name
        if replicas > 0 {
            recorder.record(d, reason: "ScalingReplicaSet",
                            message: wording.scaledReplicaSet(up: true, name: name, from: 0, to: replicas),
                            client: &client, &ctx)
        }
        followRevision(d, String(revision), &ctx)
    }
}
