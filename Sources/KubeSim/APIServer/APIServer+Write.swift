/// Create, update, patch and delete: the write path of `k8s.io/apiserver`'s generic registry
/// (`registry/generic/registry/store.go`) with each resource's strategy folded in.
extension APIServer {
    func create(_ info: ResourceInfo, _ request: consuming APIRequest, _ ctx: inout Context) -> Reply {
        if info.plural == "pods", request.subresource == "binding" {
            return bind(info, request, &ctx)
        }
        if info.plural == "pods", request.subresource == "eviction" {
            return evict(request, &ctx)
        }
        if request.dryRun {
            swap(&random, &dryRunRandom)
            defer { swap(&random, &dryRunRandom) }
            return createObject(info, request, &ctx)
        }
        return createObject(info, request, &ctx)
    }

    private func createObject(_ info: ResourceInfo, _ request: consuming APIRequest, _ ctx: inout Context) -> Reply {
        // Taken from the request, so that a body nothing else holds changes in place.
        var object = JSON.null
        swap(&object, &request.body)
        guard object.object != nil else {
            return .failure(.badRequest("the body of the request was in an unknown format - accepted media types include: application/json, application/yaml"))
        }
        // A component's body names its type and carries no server-owned metadata, by
        // construction; a debug build, which checks every request, holds it to that.
        let checked = checkTypes(request)
        assert(!request.fromComponent || object.apiVersion == info.apiVersion && object.kind == info.kind,
               "a component created \(info.plural) without its apiVersion and kind")
        if checked, let error = checkTypeMeta(info, &object) { return .failure(error) }
        // The object's namespace from here on (nothing below writes another).
        var namespace: String?
        if info.namespaced {
            let ns = namespaceOf(info, request) ?? "default"
            let bodyNS = object.namespace
            if !bodyNS.isEmpty, bodyNS != ns {
                return .failure(.badRequest("the namespace of the provided object does not match the namespace sent on the request"))
            }
            // Written only where it differs: a component's body names its namespace already.
            if !bodyNS.hasSameUTF8(as: ns) { object["metadata", "namespace"] = .string(ns) }
            namespace = ns
        } else {
            object["metadata", "namespace"] = .null
        }
        // Server-owned metadata is never taken from the client.
        assert(!request.fromComponent || !(object["metadata"].object?.keys.contains(where: Self.isServerOwnedMetadata) ?? false),
               "a component created \(info.plural) with server-owned metadata")
        if checked { object.updateMember("metadata") { $0.removeMembers(where: Self.isServerOwnedMetadata) } }
        switch dropUnknownFields(&object, info, request) {
        case .dropped: break
        case .wrongType(let failure): return .failure(failure)
        case .refused(let unknown): return .failure(strictDecodingFailure(info, unknown))
        }
        normalizeNulls(&object, info, request)
        if info.plural == "pods" {
            // A controller's burst of pods, sharing its template's spec, is defaulted once.
            podCreateDefaults.apply(to: &object, info, version: version, now: ctx.now)
        } else {
            Defaulting.apply(kind: info.kind, to: &object, version: version)
            Admission.admitCreate(info, &object, now: ctx.now)
        }
        if let error = admitPriority(info, &object) { return .failure(error) }

        // Name: given, or generated from generateName (retried on collision, as the API
        // server does since RetryGenerateName).
        var name = object.name
        let generate = name.isEmpty ? object["metadata", "generateName"].string ?? "" : ""
        if !generate.isEmpty {
            object["metadata", "name"] = .string(generatedName(generate, info, namespaceOf(info, request)))
            name = object.name
        }

        let errors = Validation.validateCreate(kind: info.kind, object: object, namespaced: info.namespaced,
                                               version: version, checkTypes: checkTypes(request),
                                               memo: validationMemo)
        if !errors.isEmpty {
            // A value of the wrong JSON type fails decoding (400) before validation (422).
            if let decode = Validation.decodeFailure(kind: info.kind, apiVersion: info.apiVersion, errors: errors) {
                return .failure(decode)
            }
            return .failure(.invalid(kind: info.kind, group: info.group, name: name, errors))
        }
        if let ns = namespace, ns != knownActiveNamespace {
            guard let nsObject = store.read(namespaceKey(ns))?.value else {
                return .failure(.notFound(GroupResource(group: "", resource: "namespaces"), ns))
            }
            if nsObject.isTerminating {
                return .failure(.forbidden(info.groupResource, name,
                    "unable to create new content in namespace \(ns) because it is being terminated"))
            }
            knownActiveNamespace = ns
        }

        // uid, creationTimestamp, perhaps generation, and the store's resourceVersion: room
        // for them at once, where each would otherwise grow (copy) metadata again. The first
        // three are server-owned, taken out above, so they are appended without a look.
        let withGeneration = tracksGeneration(info)
        let uid = newUID(), now = ctx.nowRFC3339
        object.updateMember("metadata") { meta in
            meta.reserveObjectCapacity(adding: withGeneration ? 4 : 3)
            meta.setMember("uid", at: nil, to: .string(uid))
            meta.setMember("creationTimestamp", at: nil, to: .string(now))
            if withGeneration { meta.setMember("generation", at: nil, to: 1) }
        }
        if info.plural == "daemonsets" { object["metadata", "annotations", DaemonSetUtil.templateGenerationAnnotation] = "1" }

        let key = info.key(namespace: namespace, name: name)
        let answer = PutAnswer(resource: info.groupResource, name: name, refusal: .alreadyExists)
        if request.dryRun {
            // DryRunnableStorage.Create: refused as the write would be, else the object as it
            // would be stored, without a resourceVersion.
            return .done(store.read(key) == nil ? .success(object) : answer.reply(nil))
        }
        return commitPut(key, consume object, ifModRevision: 0, &ctx, answer: answer)
    }

    func update(_ info: ResourceInfo, _ request: APIRequest, _ ctx: inout Context) -> Reply {
        var object = request.body
        guard object.object != nil else {
            return .failure(.badRequest("the body of the request was in an unknown format - accepted media types include: application/json, application/yaml"))
        }
        if let error = checkTypeMeta(info, &object) { return .failure(error) }
        switch dropUnknownFields(&object, info, request) {
        case .dropped: break
        case .wrongType(let failure): return .failure(failure)
        case .refused(let unknown): return .failure(strictDecodingFailure(info, unknown))
        }
        normalizeNulls(&object, info, request)
        let name = request.name ?? object.name
        if name.isEmpty { return .failure(.badRequest("resource name may not be empty")) }
        if object.name.isEmpty { object["metadata", "name"] = .string(name) }
        if object.name != name {
            return .failure(.badRequest("the name of the object (\(object.name)) does not match the name on the URL (\(name))"))
        }
        let ns = namespaceOf(info, request)
        if info.namespaced {
            let bodyNS = object.namespace
            if !bodyNS.isEmpty, bodyNS != ns {
                return .failure(.badRequest("the namespace of the provided object does not match the namespace sent on the request"))
            }
            // Written only where it differs: a controller's update is its cached copy, whose
            // metadata the stored object shares.
            let namespace = ns ?? "default"
            if !bodyNS.hasSameUTF8(as: namespace) { object["metadata", "namespace"] = .string(namespace) }
        }
        guard let current = stored(info, namespace: ns, name: name) else {
            return .failure(.notFound(info.groupResource, name))
        }
        let requestedRV = object.resourceVersion
        if !requestedRV.isEmpty, requestedRV != String.decimal(current.modRevision) {
            return .failure(.conflict(info.groupResource, name))
        }
        return write(info, key: current.key, current: current, proposed: object, subresource: request.subresource,
                     checkTypes: checkTypes(request), dryRun: request.dryRun, &ctx)
    }

    /// The body as decoding it into Go structs and encoding those leaves it (`GoRoundTrip`):
    /// nulls and empty collections. A component's body is already so; a debug build checks it.
    private func normalizeNulls(_ object: inout JSON, _ info: ResourceInfo, _ request: APIRequest) {
        guard checkTypes(request) else { return }
        let changed = GoRoundTrip.normalize(&object, kind: info.kind, status: request.subresource == "status",
                                             version: version)
        assert(!changed || !request.fromComponent,
               "a component sent what Go would not keep: \(info.plural) \(request.body.serialized().prefix(500))")
    }

    /// What decoding a body into the kind's Go structs makes of members they do not have.
    enum UnknownFields {
        /// None, or dropped (from the body).
        case dropped
        /// `Strict`, with a value of the wrong type: decoding fails on that first.
        case wrongType(StatusError)
        /// `Strict`: refused, the members in the order the decoder reports them.
        case refused([KnownFields.Unknown])
    }

    /// Drops the members of a body that the kind's Go structs do not have, as decoding it does
    /// (`KnownFields`), with a warning each under `Warn` (the default since 1.27); `Strict`
    /// refuses them. 1.18's server had no field validation and drops them whatever is asked.
    /// Components send no unknown fields.
    func dropUnknownFields(_ object: inout JSON, _ info: ResourceInfo, _ request: APIRequest) -> UnknownFields {
        guard !request.fromComponent else { return .dropped }
        let known = KnownFields.of(version)
        guard known.hasUnknown(in: object, kind: info.kind) else { return .dropped }
        // The decoder meets members in the body's order: a client that marshals a map (kubectl)
        // sends its keys sorted. A patcher's errors come sorted by their text.
        var unknown: [KnownFields.Unknown] {
            let found = known.unknown(in: object, kind: info.kind, sortedKeys: request.bodyKeysSorted)
            guard request.verb == .patch else { return found }
            return found.sorted { $0.path.utf8.lexicographicallyPrecedes($1.path.utf8) }
        }
        switch (version, request.fieldValidation ?? .warn) {
        case (.v1_18, _), (_, .ignore):
            break
        case (_, .warn):
            requestWarnings += unknown.map { "unknown field \"\($0.path)\"" }
        case (_, .strict):
            if let wrongType = Validation.decodeError(kind: info.kind, object: object),
               let decode = Validation.decodeFailure(kind: info.kind, apiVersion: info.apiVersion, errors: [wrongType])
            {
                return .wrongType(decode)
            }
            return .refused(unknown)
        }
        known.prune(&object, kind: info.kind)
        return .dropped
    }

    /// A create's or an update's refusal under `Strict`, as the API server's decoder words it.
    private func strictDecodingFailure(_ info: ResourceInfo, _ unknown: [KnownFields.Unknown]) -> StatusError {
        let version = info.apiVersion.split(separator: "/").last.map(String.init) ?? info.apiVersion
        return .badRequest("\(info.kind) in version \"\(version)\" cannot be handled as a \(info.kind): "
            + KnownFields.strictDecodingError(unknown))
    }

    /// Whether to check field types (and, on create, the type fields and server-owned
    /// metadata): always for the embedding program's requests; for the components' own
    /// writes only in debug builds, where it guards our components' code.
    func checkTypes(_ request: APIRequest) -> Bool {
        #if DEBUG
        return true
        #else
        return !request.fromComponent
        #endif
    }

    func patch(_ info: ResourceInfo, _ request: APIRequest, _ ctx: inout Context) -> Reply {
        guard let name = request.name, !name.isEmpty else {
            return .failure(.badRequest("resource name may not be empty"))
        }
        guard let current = stored(info, namespace: namespaceOf(info, request), name: name) else {
            return .failure(.notFound(info.groupResource, name))
        }
        var patched: JSON
        switch request.patchType {
        case .merge:
            guard request.body.object != nil else {
                return .failure(.badRequest("json: cannot unmarshal \(request.body.typeName) into Go value of type map[string]interface {}"))
            }
            patched = Patch.merge(current.value, request.body)
        case .json:
            switch Patch.json(current.value, request.body) {
            case .success(let doc): patched = doc
            case .failure(let e): return .failure(e)
            }
        case .strategic:
            switch StrategicMergePatch.apply(current.value, request.body, kind: info.kind) {
            case .success(let doc): patched = doc
            case .failure(let e): return .failure(e)
            }
        }
        // What the patchers name when the result does not decode (a JSON or merge patch's
        // result as encoding/json writes it, keys sorted).
        let asPatched = patched
        // A resourceVersion in the patch makes it conditional; otherwise it applies to the
        // version just read.
        let rv = patched.resourceVersion
        let currentRV = String.decimal(current.modRevision)
        if !rv.isEmpty, rv != currentRV {
            return .failure(.conflict(info.groupResource, name))
        }
        // Set where the patch left another (it removed it): a patch that leaves it alone
        // shares the stored metadata, which setting even the same value would copy.
        if !rv.hasSameUTF8(as: currentRV) { patched["metadata", "resourceVersion"] = .string(currentRV) }
        if let error = checkTypeMeta(info, &patched) { return .failure(error) }
        switch dropUnknownFields(&patched, info, request) {
        case .dropped, .wrongType:
            // A wrong type fails below, in validation's decoding check.
            break
        case .refused(let unknown):
            // The patchers' wording: the patch (strategic, printed as a Go map) or the patched
            // object (JSON and merge patches) as the invalid value of `patch`.
            let value = request.patchType == .strategic ? GoFormat.plain(request.body) : asPatched.canonical()
            // An invalid request, not an invalid object: `NewInvalid(schema.GroupKind{}, "", …)`,
            // which kubectl prints as `The request is invalid`.
            return .failure(.invalid(kind: "", group: "", name: "", [
                .invalid("patch", .string(value), KnownFields.strictDecodingError(unknown)),
            ]))
        }
        normalizeNulls(&patched, info, request)
        return write(info, key: current.key, current: current, proposed: patched, subresource: request.subresource,
                     checkTypes: checkTypes(request), dryRun: request.dryRun, &ctx)
    }

    /// The shared tail of update and patch: keep what the client may not change, bump the
    /// generation on spec changes, validate, skip no-op writes, compare-and-swap.
    private func write(_ info: ResourceInfo, key: String, current: KeyValue, proposed: JSON, subresource: String?,
                       checkTypes: Bool, dryRun: Bool, _ ctx: inout Context) -> Reply
    {
        let old = current.value
        var object = proposed
        if subresource == "status" {
            // The status subresource changes only status (and nothing else).
            var merged = old
            merged["status"] = object["status"]
            object = merged
        } else if info.hasStatus {
            object["status"] = old["status"]
        }
        // A status write's metadata is the stored object's own: nothing to keep. Elsewhere
        // written only where they differ: writing even an equal value would copy it.
        if subresource != "status" {
            for field in Self.keptMetadata {
                let kept = old["metadata", field]
                if object["metadata", field] != kept { object["metadata", field] = kept }
            }
            if info.namespaced {
                let kept = old["metadata", "namespace"]
                if object["metadata", "namespace"] != kept { object["metadata", "namespace"] = kept }
            }
            Defaulting.apply(kind: info.kind, to: &object, version: version)
            let keptVersion = old["metadata", "resourceVersion"]
            if object["metadata", "resourceVersion"] != keptVersion { object["metadata", "resourceVersion"] = keptVersion }
        }

        if tracksGeneration(info), object["spec"] != old["spec"] {
            object["metadata", "generation"] = .int(old.generation + 1)
        }
        if info.plural == "daemonsets", subresource != "status" {
            // The DaemonSet strategy keeps spec.templateGeneration (this annotation in apps/v1)
            // and bumps it when the template changes (pkg/registry/apps/daemonset/strategy.go).
            let key = DaemonSetUtil.templateGenerationAnnotation
            let previous = Int(old.annotations[key].string ?? "") ?? 1
            let bumped = object["spec", "template"] != old["spec", "template"] ? previous + 1 : previous
            object["metadata", "annotations", key] = .string(String(bumped))
        }
        // The status subresource validates what it may change (upstream's
        // ValidatePodStatusUpdate and friends), not the whole spec again.
        let errors = subresource == "status"
            ? Validation.validateStatusUpdate(kind: info.kind, new: object, old: old, version: version,
                                              checkTypes: checkTypes)
            : Validation.validateUpdate(kind: info.kind, new: object, old: old, namespaced: info.namespaced,
                                        version: version, checkTypes: checkTypes)
        if !errors.isEmpty {
            if let decode = Validation.decodeFailure(kind: info.kind, apiVersion: info.apiVersion, errors: errors) {
                return .failure(decode)
            }
            return .failure(.invalid(kind: info.kind, group: info.group, name: old.name, errors))
        }
        if dryRun {
            // DryRunnableStorage.GuaranteedUpdate: the object as it would be stored (the
            // stored one's resourceVersion), nothing written, nothing removed.
            return .done(.success(object))
        }
        // An object with deletionTimestamp whose last finalizer was removed goes away now,
        // unless a grace period still runs (a pod the kubelet has yet to stop).
        if old.isTerminating, (object["metadata", "finalizers"].array ?? []).isEmpty,
           (old["metadata", "deletionGracePeriodSeconds"].int ?? 0) == 0
        {
            return remove(info, key: key, current: current, &ctx)
        }
        if object == old { return .done(.success(old)) }
        return commitPut(key, consume object, ifModRevision: current.modRevision, &ctx,
                         answer: PutAnswer(resource: info.groupResource, name: old.name, refusal: .conflict))
    }

    func delete(_ info: ResourceInfo, _ request: APIRequest, _ ctx: inout Context) -> Reply {
        guard let name = request.name, !name.isEmpty else {
            return .failure(.badRequest("resource name may not be empty"))
        }
        let key = info.key(namespace: namespaceOf(info, request), name: name)
        guard let current = store.read(key) else { return .failure(.notFound(info.groupResource, name)) }
        var object = current.value
        if let uid = request.preconditionUID, !uid.hasSameUTF8(as: object.uid) {
            // etcd3's checkPreconditions: an invalid-object StorageError, which
            // storeerr.InterpretDeleteError turns into a Conflict.
            return .failure(.conflict(info.groupResource, name,
                                      "StorageError: invalid object, Code: 4, Key: \(key), ResourceVersion: 0, "
                                          + "AdditionalErrorMsg: Precondition failed: UID in precondition: \(uid), "
                                          + "UID in object meta: \(object.uid)"))
        }
        let finalizers = object["metadata", "finalizers"].array ?? []

        // Graceful deletion of a pod on a node: mark it and let the kubelet finish
        // (pkg/registry/core/pod/strategy.go CheckGracefulDelete).
        var grace = 0
        if info.plural == "pods" {
            let bound = !object.nodeName.isEmpty
            let phase = object["status", "phase"].string ?? ""
            let terminal = phase == "Succeeded" || phase == "Failed"
            grace = request.gracePeriodSeconds ?? object["spec", "terminationGracePeriodSeconds"].int ?? 30
            if !bound || terminal { grace = 0 }
        }
        if info.plural == "namespaces" {
            return deleteNamespace(current, dryRun: request.dryRun, &ctx)
        }
        // A dry run answers as the delete would (the object marked Terminating, or as it was
        // when it would go at once) and writes nothing (DryRunnableStorage).
        func markDeleting(_ object: JSON) -> Reply {
            if request.dryRun { return .done(.success(object)) }
            return commitPut(key, object, ifModRevision: current.modRevision, &ctx,
                             answer: PutAnswer(resource: info.groupResource, name: name, refusal: .conflict))
        }
        /// `marked`: a pod as a delete marks it before it goes (BeforeDelete: every pod is
        /// deleted gracefully, at once with a grace period of 0), which a dry run answers
        /// with; other kinds answer as they were.
        func removeNow(_ marked: JSON) -> Reply {
            if request.dryRun { return .done(.success(marked)) }
            return remove(info, key: key, current: current, &ctx)
        }
        let pendingGrace = object["metadata", "deletionGracePeriodSeconds"].int ?? 0
        if object.isTerminating, pendingGrace > 0 {
            // A graceful deletion is pending (BeforeDelete): only a shorter grace period
            // changes it, moving the deadline by the difference; finalizers stay as they are.
            guard let shorter = request.gracePeriodSeconds.map({ max(0, $0) }), shorter < pendingGrace else {
                return .done(.success(object))
            }
            let pending = object["metadata", "deletionTimestamp"].string.flatMap { VirtualTime(rfc3339: $0) } ?? ctx.now
            var deadline = pending + .seconds(Int64(shorter - pendingGrace))
            if version == .v1_36 { deadline = max(deadline, ctx.now) }  // 1.36 never sets one in the past
            object["metadata", "deletionTimestamp"] = .string(deadline.rfc3339)
            object["metadata", "deletionGracePeriodSeconds"] = .int(shorter)
            if shorter == 0, finalizers.isEmpty { return removeNow(object) }
            return markDeleting(object)
        }
        // Orphaning and foreground deletion are the garbage collector's work, as upstream: the
        // object waits, Terminating, behind the `orphan` finalizer until its dependents'
        // references to it are gone, or behind `foregroundDeletion` until they are. A
        // propagation policy replaces whichever of the two the object has
        // (`deletionFinalizersForGarbageCollection`); kinds the collector here does not follow
        // get neither, as no one would remove it.
        var wanted = finalizers
        if let policy = request.propagationPolicy {
            wanted = finalizers.filter { $0 != "orphan" && $0 != "foregroundDeletion" }
            // A pod owns nothing here: the collector would release it at once, so it is not
            // held (upstream adds the finalizer and the collector removes it).
            if GarbageCollector.collectedResources.contains(info.plural), info.plural != "pods" {
                if policy == "Orphan" { wanted.append("orphan") }
                if policy == "Foreground" { wanted.append("foregroundDeletion") }
            }
        }
        let finalizersChange = Set(wanted.compactMap(\.string)) != Set(finalizers.compactMap(\.string))
        // BeforeDelete and markAsDeleting: the deadline, the grace period, and a generation,
        // where there is one, moves on.
        func markAsDeleting(_ object: inout JSON) {
            object["metadata", "deletionTimestamp"] = .string((ctx.now + .seconds(Int64(grace))).rfc3339)
            object["metadata", "deletionGracePeriodSeconds"] = .int(grace)
            if object.generation > 0 { object["metadata", "generation"] = .int(object.generation + 1) }
        }
        if grace == 0, wanted.isEmpty {
            // A pod is marked even when it goes at once (kubesim removes it without writing the
            // mark); a dry run answers with the mark.
            if request.dryRun, info.plural == "pods", !object.isTerminating { markAsDeleting(&object) }
            return removeNow(object)
        }
        if !object.isTerminating {
            markAsDeleting(&object)
        } else if !finalizersChange {
            return .done(.success(object))
        }
        if finalizersChange { object["metadata", "finalizers"] = .array(wanted) }
        return markDeleting(object)
    }

    private func remove(_ info: ResourceInfo, key: String, current: KeyValue, _ ctx: inout Context) -> Reply {
        let txn = Txn(compares: [.init(key: key, target: .modRevision, relation: .equal, value: current.modRevision)],
                      success: [.delete(key: key)])
        return commit(txn, &ctx) { result, _ in
            guard result.succeeded else { return .failure(.conflict(info.groupResource, current.value.name)) }
            return .success(result.events.first?.kv.value ?? current.value)
        }
    }

    /// Deleting a namespace marks it Terminating and removes everything in it (the namespace
    /// controller's work, done here in one step), then the namespace itself.
    private func deleteNamespace(_ current: KeyValue, dryRun: Bool, _ ctx: inout Context) -> Reply {
        let ns = current.value.name
        if ["default", "kube-system", "kube-public"].contains(ns) {
            return .done(.failure(.forbidden(GroupResource(group: "", resource: "namespaces"), ns,
                                             "this namespace may not be deleted")))
        }
        if dryRun {
            // The namespace as its deletion marks it: Terminating, until its contents are gone.
            var marked = current.value
            if !marked.isTerminating { marked["metadata", "deletionTimestamp"] = .string(ctx.nowRFC3339) }
            marked["status", "phase"] = "Terminating"
            return .done(.success(marked))
        }
        for info in registry.resources where info.namespaced {
            guard case .success(let kvs) = store.range(prefix: info.keyPrefix + ns + "/", revision: nil) else { continue }
            for kv in kvs { commitQuietly(Txn(success: [.delete(key: kv.key)]), &ctx) }
        }
        var gone = current.value
        gone["status", "phase"] = "Terminating"
        return commit(Txn(success: [.delete(key: current.key)]), &ctx) { _, _ in .success(gone) }
    }

    /// `POST pods/<name>/binding`: the scheduler's assignment of a pod to a node
    /// (pkg/registry/core/pod/storage/storage.go assignPod).
    func bind(_ info: ResourceInfo, _ request: APIRequest, _ ctx: inout Context) -> Reply {
        let pods = GroupResource(group: "", resource: "pods")
        let name = request.name ?? request.body.name
        let ns = request.namespace ?? "default"
        guard let node = request.body["target", "name"].string, !node.isEmpty else {
            return .failure(.invalid(kind: "Binding", group: "", name: name, [.required("target.name")]))
        }
        guard let current = stored(info, namespace: ns, name: name) else { return .failure(.notFound(pods, name)) }
        let key = current.key
        var pod = current.value
        if pod.isTerminating {
            return .failure(.conflict(pods, name, "pod \(name) is being deleted, cannot be assigned to a host"))
        }
        if let assigned = pod["spec", "nodeName"].string, !assigned.isEmpty {
            return .failure(.conflict(pods, name, "pod \(name) is already assigned to node \"\(assigned)\""))
        }
        pod["spec", "nodeName"] = .string(node)
        PodStatus.setCondition(&pod, type: "PodScheduled", status: "True", at: ctx.nowRFC3339,
                               sharing: &scheduledConditions)
        return commitPut(key, consume pod, ifModRevision: current.modRevision, &ctx,
                         answer: PutAnswer(resource: pods, name: name, refusal: .conflict, success: Self.bindingSucceeded))
    }

    /// What a binding answers.
    static let bindingSucceeded: JSON = ["kind": "Status", "apiVersion": "v1", "metadata": .emptyObject,
                                          "status": "Success", "code": 201]

    /// Checks (and fills) `apiVersion` and `kind` against the resource being written.
    private func checkTypeMeta(_ info: ResourceInfo, _ object: inout JSON) -> StatusError? {
        let apiVersion = object.apiVersion
        let kind = object.kind
        if !apiVersion.isEmpty, apiVersion != info.apiVersion {
            return .badRequest("the API version in the data (\(apiVersion)) does not match the expected API version (\(info.apiVersion))")
        }
        if !kind.isEmpty, kind != info.kind {
            return .badRequest("the kind in the data (\(kind)) does not match the expected kind (\(info.kind))")
        }
        if apiVersion.isEmpty || kind.isEmpty {
            // Put the type fields first, where clients expect them.
            var typed: JSON = ["apiVersion": .string(info.apiVersion), "kind": .string(info.kind)]
            for (k, v) in object.object ?? [:] where k != "apiVersion" && k != "kind" { typed[k] = v }
            object = typed
        }
        return nil
    }

    /// Metadata an update keeps from the stored object, whatever the client sent.
    static let keptMetadata = ["uid", "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds", "generation"]

    /// Metadata the server sets on create, whatever the client sent.
    static func isServerOwnedMetadata(_ key: String) -> Bool {
        // By length first: every create asks this of each of its metadata keys, and most
        // (name, namespace, labels) match no candidate's length.
        switch key.utf8.count {
        case 3: key == "uid"
        case 8: key == "selfLink"
        case 10: key == "generation"
        case 13: key == "managedFields"
        case 15: key == "resourceVersion"
        case 17: key == "creationTimestamp" || key == "deletionTimestamp"
        case 26: key == "deletionGracePeriodSeconds"
        default: false
        }
    }

    /// Whether the resource's objects carry `metadata.generation`, bumped on spec changes:
    /// pods from 1.33 (the pod strategy's updatePodGeneration).
    func tracksGeneration(_ info: ResourceInfo) -> Bool {
        // Cases are compared in order: Events and Pods, most of all writes, leave at the first.
        switch info.plural {
        case "events": false
        case "pods": version == .v1_36
        case "deployments", "replicasets", "daemonsets", "statefulsets", "services", "poddisruptionbudgets": true
        default: false
        }
    }

    /// A name from `generateName`: the base cut to 58 characters plus 5 random characters
    /// from the upstream alphabet (apiserver/pkg/storage/names, apimachinery/pkg/util/rand).
    func generatedName(_ base: String, _ info: ResourceInfo, _ namespace: String?) -> String {
        let alphabet: StaticString = "bcdfghjklmnpqrstvwxz2456789"
        // At most 58 characters: a shorter base is already its own prefix.
        let prefix = base.utf8.count <= 58 ? base : String(base.prefix(58))
        var candidate = prefix
        for _ in 0..<8 {
            // Five letters as bytes: a Character array of the alphabet cost more than the rest.
            let suffix = String(unsafeUninitializedCapacity: 5) { out in
                for i in 0..<5 { out[i] = alphabet.utf8Start[random.int(below: alphabet.utf8CodeUnitCount)] }
                return 5
            }
            candidate = .concatenating(prefix, suffix)
            if stored(info, namespace: namespace, name: candidate) == nil { break }
        }
        return candidate
    }

    /// A random (version 4) UUID from the server's seeded stream.
    func newUID() -> String {
        let a = random.next(), b = random.next()
        return Self.uuid(a, b)
    }

    /// The UUID text of two random words: 32 hex digits, each word's nibbles lowest first, the
    /// version (4) and variant (10xx) bits set, dashes after digits 8, 12, 16 and 20. Written
    /// straight into the string's storage, a run of nibbles at a time.
    static func uuid(_ a: UInt64, _ b: UInt64) -> String {
        String(unsafeUninitializedCapacity: 36) { out in
            let hex: StaticString = "0123456789abcdef"
            let digits = hex.utf8Start
            var o = 0
            func put(_ word: UInt64, from first: Int, count: Int) {
                var w = word >> UInt64(first * 4)
                for _ in 0..<count {
                    out[o] = digits[Int(w & 0xf)]
                    w >>= 4
                    o += 1
                }
            }
            func dash() {
                out[o] = UInt8(ascii: "-")
                o += 1
            }
            put(a, from: 0, count: 8)
            dash()
            put(a, from: 8, count: 4)
            dash()
            out[o] = UInt8(ascii: "4")  // version 4 in place of nibble 12
            o += 1
            put(a, from: 13, count: 3)
            dash()
            out[o] = digits[Int(8 | (b & 3))]  // variant bits over nibble 16
            o += 1
            put(b, from: 1, count: 3)
            dash()
            put(b, from: 4, count: 12)
            return o
        }
    }
}
