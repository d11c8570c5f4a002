/// A DaemonSet's ControllerRevisions (pkg/controller/daemon/update.go `constructHistory`,
/// `cleanupHistory`, and pkg/controller/history): one per template the set has had, named
/// `<ds>-<hash>`, holding the patch that restores that template, numbered by revision.
extension DaemonSetController {
    /// `getPatch`: `{"spec":{"template":{..., "$patch":"replace"}}}`, keys sorted as Go's
    /// encoding/json writes a map.
    static func revisionData(_ ds: JSON) -> JSON {
        var template = ds["spec", "template"]
        // ObjectMeta's creationTimestamp has no omitempty: Go writes null.
        var metadata = template["metadata"].object ?? JSONObject()
        if metadata["creationTimestamp"] == nil { metadata["creationTimestamp"] = .null }
        template["metadata"] = .object(metadata)
        template["$patch"] = "replace"
        return ["spec": ["template": template]]
    }

    /// `HashControllerRevision`: FNV-1 (32-bit) of the data's bytes, plus the collision count,
    /// printed in decimal through SafeEncodeString.
    static func revisionHash(_ data: JSON, collisionCount: Int) -> String {
        var h: UInt32 = 0x811c_9dc5
        func write(_ bytes: some Sequence<UInt8>) {
            for b in bytes { h = (h &* 0x0100_0193) ^ UInt32(b) }
        }
        write(data.utf8Text(sortKeys: true))
        if collisionCount > 0 { write(String(collisionCount).utf8) }
        return DeploymentUtil.safeEncode(String(h))
    }

    /// `revisionData` and `revisionHash` of the set, remembered until its spec (generation)
    /// or collision count changes.
    func templateHash(_ ds: JSON) -> (data: JSON, hash: String) {
        let key = ds.objectKey
        let collisionCount = ds["status", "collisionCount"].int ?? 0
        guard let generation = ds["metadata", "generation"].int else {
            let data = Self.revisionData(ds)
            return (data, Self.revisionHash(data, collisionCount: collisionCount))
        }
        if let known = templateHashes[key], known.uid == ds.uid, known.generation == generation,
           known.collisionCount == collisionCount
        {
            return (known.data, known.hash)
        }
        let data = Self.revisionData(ds)
        let hash = Self.revisionHash(data, collisionCount: collisionCount)
        templateHashes[key] = TemplateHash(uid: ds.uid, generation: generation, collisionCount: collisionCount,
                                           data: data, hash: hash)
        return (data, hash)
    }

    /// The set's current revision hash; creates the ControllerRevision for the template when
    /// it has none, and renumbers an old one that matches (a rollback). Deletes revisions past
    /// `revisionHistoryLimit` that no pod uses.
    func constructHistory(_ ds: JSON, _ ctx: inout Context) -> String {
        let (data, hash) = templateHash(ds)
        let owned = revisionKeys(ds).compactMap { revisions[$0] }
        let maxRevision = owned.map { $0["revision"].int ?? 0 }.max() ?? 0
        if let current = owned.first(where: { $0["data"] == data }) {
            if (current["revision"].int ?? 0) < maxRevision {
                var updated = current
                updated["revision"] = .int(maxRevision + 1)
                var request = APIRequest(.update, "controllerrevisions", namespace: ds.namespace, name: current.name)
                request.body = updated
                client.send(request, &ctx)
            }
            return current.labels[DaemonSetUtil.revisionHashLabel].string ?? hash
        }
        if !pendingRevisions.contains("\(ds.namespace)/\(ds.name)-\(hash)") {
            pendingRevisions.insert("\(ds.namespace)/\(ds.name)-\(hash)")
            var labels = ds["spec", "template", "metadata", "labels"].object ?? JSONObject()
            labels[DaemonSetUtil.revisionHashLabel] = .string(hash)
            // `snapshot`: the set's annotations go with it (a change-cause among them).
            var metadata: JSONObject = [
                "name": .string("\(ds.name)-\(hash)"), "namespace": .string(ds.namespace), "labels": .object(labels),
            ]
            if !(ds.annotations.object?.isEmpty ?? true) { metadata["annotations"] = ds.annotations }
            metadata["ownerReferences"] = [ds.ownerReference(controller: true)]
            let revision: JSON = [
                "apiVersion": "apps/v1", "kind": "ControllerRevision", "metadata": .object(metadata),
                "data": data, "revision": .int(maxRevision + 1),
            ]
            var request = APIRequest(.create, "controllerrevisions", namespace: ds.namespace)
            request.body = revision
            client.send(request, &ctx)
        }
        cleanupHistory(ds, owned: owned, current: hash, &ctx)
        return hash
    }

    /// `cleanupHistory`: beyond the limit, the oldest revisions no live pod carries go.
    private func cleanupHistory(_ ds: JSON, owned: [JSON], current: String, _ ctx: inout Context) {
        let limit = ds["spec", "revisionHistoryLimit"].int ?? 10
        var inUse: Set<String> = [current]
        for key in podsByOwner[ds.uid] ?? [] {
            if let h = pods[key]?.labels[DaemonSetUtil.revisionHashLabel].string { inUse.insert(h) }
        }
        let old = owned.filter { !inUse.contains($0.labels[DaemonSetUtil.revisionHashLabel].string ?? "") }
            .sorted { ($0["revision"].int ?? 0) < ($1["revision"].int ?? 0) }
        guard old.count > limit else { return }
        for revision in old.prefix(old.count - limit) {
            client.send(APIRequest(.delete, "controllerrevisions", namespace: revision.namespace, name: revision.name), &ctx)
        }
    }

    func revisionKeys(_ ds: JSON) -> [String] {
        (revisionsByOwner[ds.uid] ?? []).sorted()
    }
}
