/// The kube-apiserver: the only component that touches the store.
///
/// Requests arrive as messages; each is resolved against the resource registry, defaulted,
/// admitted and validated, then written with an etcd-style transaction (create = compare
/// mod_revision 0, update = compare mod_revision == resourceVersion). Every change the store
/// reports is fanned out to the watches whose resource, namespace and selectors match.
final class APIServer: Component {
    let registry: ResourceRegistry
    private var recentResources: ((name: String, info: ResourceInfo)?, (name: String, info: ResourceInfo)?) = (nil, nil)
    var store: MVCCStore
    let version: KubernetesVersion
    /// Names for `generateName` and object uids.
    var random: SeededRandom
    /// The names and uids of dry-run creates, drawn from their own stream: a dry run leaves
    /// the cluster's later names and uids as they would have been without it.
    var dryRunRandom: SeededRandom
    var watches = WatchRegistry()
    /// PodScheduled conditions set by bindings in the same second share one object.
    var scheduledConditions = ConditionCache(capacity: 16)
    /// Set when the data lives in etcd members; nil for the in-process store.
    var etcd: EtcdLink?
    /// The request being served (its answer may wait for etcd).
    private(set) var replying: (client: ComponentID, tag: UInt64, wantsResponse: Bool)?

    /// kube-apiserver's `--etcd-compaction-interval` (5 min).
    let compactionInterval = Duration.seconds(300)
    private var lastCompactionCandidate: Int64 = 0
    private enum TimerTag: Int { case compaction = 1, eventExpiry = 2 }

    /// kube-apiserver's `--event-ttl` (1 h): an Event expires an hour after its last write.
    let eventTTL = Duration.seconds(3600)
    /// Pods by node, for kubelets' lists and watches of their own pods.
    private var podsByNode = PodNodeIndex()
    /// Every write of an Event, in write order (so in deadline order): the write whose
    /// revision is still the Event's latest when its hour is up deletes it.
    private var eventExpiryQueue: [(deadline: VirtualTime, key: String, revision: Int64)] = []
    private var eventExpiryHead = 0
    /// The namespace a create last found present and not terminating, until a namespace
    /// changes (every change to the store passes through `publish`, which forgets it): nearly
    /// every create names the namespace the one before it named.
    var knownActiveNamespace: String?
    /// The warnings of the embedding program's request being served (the HTTP `Warning`
    /// headers): `unknown field "…"` for each member a `Warn` request dropped.
    var requestWarnings: [String] = []
    /// The global default PriorityClass as last found (`.some(nil)`: none), until a
    /// PriorityClass changes: every change to the store passes through `publish`, which
    /// forgets it. Every pod create asks.
    var knownDefaultPriorityClass: JSON?? = .none
    /// What create last found valid: a controller's pods share their spec, labels and owner
    /// references.
    let validationMemo = ValidationMemo()
    /// The pod spec create last defaulted, and the result.
    let podCreateDefaults = PodCreateDefaults()

    /// `/registry/namespaces/<namespace>`, where a create looks for the namespace it writes in.
    func namespaceKey(_ namespace: String) -> String {
        .concatenating("/registry/namespaces/", namespace)
    }

    /// `metadata.resourceVersion` is the revision of the write, stamped as etcd3's store does on decode.
    static let stampResourceVersion: @Sendable (inout JSON, Int64) -> Void = { value, rev in
        value.stampResourceVersion(rev)
    }

    init(registry: ResourceRegistry, version: KubernetesVersion, seed: UInt64) {
        self.registry = registry
        self.version = version
        self.random = SeededRandom(seed: seed, stream: "kube-apiserver")
        self.dryRunRandom = SeededRandom(seed: seed, stream: "kube-apiserver-dry-run")
        var store = MVCCStore()
        store.stamp = Self.stampResourceVersion
        self.store = store
    }

    func handle(_ message: consuming Message, _ ctx: inout Context) {
        // A request is moved out of its message (`if case` moves where `switch` copies), and
        // out of its box, so the body a create stores is not shared with the message and
        // changes in place.
        guard case .request = message else { return handleOther(message, &ctx) }
        guard case .request(var box) = consume message else { return }
        let request = RequestBox.take(&box)
        if request.verb == .watch {
            if case .failure(let error) = openWatch(request, &ctx) {
                ctx.deliver(.response(APIResponse(tag: request.tag, result: .failure(error))), to: request.client)
            }
            return
        }
        let (client, tag, wantsResponse) = (request.client, request.tag, request.wantsResponse)
        let reply = serve(answering: consume request, &ctx)
        if case .done(let result) = reply, wantsResponse {
            ctx.deliver(.response(APIResponse(tag: tag, result: result)), to: client)
        }
    }

    private func handleOther(_ message: borrowing Message, _ ctx: inout Context) {
        switch message {
        case .start:
            ctx.after(compactionInterval, timer: TimerTag.compaction.rawValue)
            ctx.after(.seconds(60), timer: TimerTag.eventExpiry.rawValue)
            openEtcdWatch(&ctx)
        case .request:
            break
        case .timer(Self.etcdTimeoutTimer):
            etcdDeadlineReached(&ctx)
        case .timer(Self.etcdRewatchTimer):
            etcdRewatch(&ctx)
        case .timer(let tag) where tag >= Self.etcdResendBase && tag < Self.etcdRewatchTimer:
            etcdResend(UInt64(truncatingIfNeeded: tag &- Self.etcdResendBase), &ctx)
        case .store(.response(let response)):
            etcdAnswered(response, &ctx)
        case .timer(let tag):
            if tag == TimerTag.compaction.rawValue {
                // Compact to the revision seen one interval ago, as the apiserver's compactor does.
                // etcd compacts through Raft on every member; the cache follows at once.
                if let link = etcd, lastCompactionCandidate > 0 {
                    let compact = EtcdRequest(id: 0, client: ctx.me, operation: .compact(revision: lastCompactionCandidate))
                    ctx.deliver(.store(.request(compact)), to: link.member)
                }
                store.compact(lastCompactionCandidate)
                lastCompactionCandidate = store.revision
                ctx.after(compactionInterval, timer: tag)
            } else if tag == TimerTag.eventExpiry.rawValue {
                expireEvents(&ctx)
                ctx.after(.seconds(60), timer: tag)
            }
        case .response, .watch, .store:
            break
        }
    }

    /// Serves a request whose answer, if it has to wait for etcd, goes to `request.client`.
    func serve(answering request: consuming APIRequest, _ ctx: inout Context) -> Reply {
        replying = (request.client, request.tag, request.wantsResponse)
        defer { replying = nil }
        return serve(consume request, &ctx)
    }

    /// Serves one non-watch request at `ctx.now`, fanning out whatever it changed. A write to
    /// etcd answers later (`.pending`).
    func serve(_ request: consuming APIRequest, _ ctx: inout Context) -> Reply {
        guard let info = resolve(request.resource) else {
            return .failure(StatusError(code: 404, reason: "NotFound",
                                        message: "the server could not find the requested resource"))
        }
        switch request.verb {
        case .get where etcd != nil && (request.resourceVersion ?? "").isEmpty:
            return consistentRead(info, request, &ctx)
        case .list where etcd != nil && (request.resourceVersion ?? "").isEmpty:
            return consistentRead(info, request, &ctx)
        case .get: return .done(get(info, request))
        case .list: return .done(list(info, request))
        case .create: return create(info, consume request, &ctx)
        case .update: return update(info, request, &ctx)
        case .patch: return patch(info, request, &ctx)
        case .delete: return delete(info, request, &ctx)
        case .watch: return .done(watchOnce(info, request))
        }
    }

    /// `registry.resolve`, remembering the last two names: the components spell their
    /// resources the same way every time (the kubelet's `pods`, a recorder's `events`), and
    /// comparing their bytes costs less than the table's hash and probe.
    private func resolve(_ name: String) -> ResourceInfo? {
        if let last = recentResources.0, last.name.hasSameUTF8(as: name) { return last.info }
        if let other = recentResources.1, other.name.hasSameUTF8(as: name) {
            recentResources = (other, recentResources.0)
            return other.info
        }
        guard let info = registry.resolve(name) else { return nil }
        recentResources = ((name, info), recentResources.0)
        return info
    }

    // MARK: Reads

    /// The stored entry of `name`, looked up from its key's bytes on the stack: a read of a
    /// key the store may hold (a get's, a patch's, a binding's, a generated name's) makes no
    /// key string; a write goes under the entry's own key.
    func stored(_ info: ResourceInfo, namespace: String?, name: String) -> KeyValue? {
        info.withKeyBytes(namespace: namespace, name: name) { store.read(utf8: $0) }
    }

    func namespaceOf(_ info: ResourceInfo, _ request: APIRequest) -> String? {
        guard info.namespaced else { return nil }
        return request.namespace ?? "default"
    }

    func get(_ info: ResourceInfo, _ request: APIRequest) -> Result<JSON, StatusError> {
        guard let name = request.name, !name.isEmpty else {
            return .failure(.badRequest("resource name may not be empty"))
        }
        guard let kv = stored(info, namespace: namespaceOf(info, request), name: name) else {
            return .failure(.notFound(info.groupResource, name))
        }
        return .success(kv.value)
    }

    /// The store key a get reads, or the key prefix a list reads (with its selectors); a
    /// Status error for a request that cannot be served at all.
    func readScope(_ info: ResourceInfo, _ request: APIRequest) -> Result<(filter: ObjectFilter?, prefix: String), StatusError> {
        if request.verb == .get {
            guard let name = request.name, !name.isEmpty else {
                return .failure(.badRequest("resource name may not be empty"))
            }
            return .success((nil, info.key(namespace: namespaceOf(info, request), name: name)))
        }
        return scope(info, request).map { (Optional($0.filter), $0.prefix) }
    }

    /// The answer to a get or list from key-values read at `revision` (etcd's, for a
    /// consistent read).
    func readResult(_ info: ResourceInfo, _ request: APIRequest, _ kvs: [KeyValue], revision: Int64) -> Result<JSON, StatusError> {
        switch readScope(info, request) {
        case .failure(let e): return .failure(e)
        case .success((nil, let key)):
            guard let kv = kvs.first(where: { $0.key == key }) else {
                return .failure(.notFound(info.groupResource, request.name ?? ""))
            }
            return .success(kv.value)
        case .success((let filter?, _)):
            return .success(listObject(info, kvs.filter { filter.matches($0.value) }.map(\.value), revision: revision))
        }
    }

    private func listObject(_ info: ResourceInfo, _ items: [JSON], revision: Int64) -> JSON {
        [
            "kind": .string(info.kind + "List"),
            "apiVersion": .string(info.apiVersion),
            "metadata": ["resourceVersion": .string(String(revision))],
            "items": .array(items),
        ]
    }

    /// The selectors and store key prefix a list or watch request covers.
    private func scope(_ info: ResourceInfo, _ request: APIRequest) -> Result<(filter: ObjectFilter, prefix: String), StatusError> {
        switch ObjectFilter.make(info, request, version: version) {
        case .failure(let e): return .failure(e)
        case .success(let filter):
            var prefix = info.keyPrefix
            if info.namespaced, let ns = request.namespace, !ns.isEmpty { prefix += ns + "/" }
            return .success((filter, prefix))
        }
    }

    /// Every change under `prefix` after revision `from` that `filter` lets through, as the
    /// watch would report it; a compacted revision is 410 Expired, a future one 504.
    private func changes(after from: Int64, prefix: String, filter: ObjectFilter)
        -> Result<[(type: WatchEvent.EventType, object: JSON)], StatusError>
    {
        switch store.events(after: from, prefix: prefix) {
        case .failure(.compacted(let requested, let compacted)):
            return .failure(.gone("too old resource version: \(requested) (\(compacted))"))
        case .failure(.futureRevision(let requested, let current)):
            return .failure(.timeout("Too large resource version: \(requested), current: \(current)"))
        case .success(let events):
            return .success(events.compactMap { event in filter.eventType(event).map { ($0, event.kv.value) } })
        }
    }

    func list(_ info: ResourceInfo, _ request: APIRequest) -> Result<JSON, StatusError> {
        let filter: ObjectFilter, prefix: String
        switch scope(info, request) {
        case .success(let s): (filter, prefix) = s
        case .failure(let e): return .failure(e)
        }
        guard let items = current(info, prefix: prefix, filter: filter) else {
            return .failure(.internalError("list failed"))
        }
        var out: [JSON] = []
        for kv in items where filter.matches(kv.value) { out.append(kv.value) }
        return .success(listObject(info, out, revision: store.revision))
    }

    /// A watch answered at once: every matching change after `resourceVersion`, as a list of
    /// watch events (the C interface's poll-style watch).
    func watchOnce(_ info: ResourceInfo, _ request: APIRequest) -> Result<JSON, StatusError> {
        let filter: ObjectFilter, prefix: String
        switch scope(info, request) {
        case .success(let s): (filter, prefix) = s
        case .failure(let e): return .failure(e)
        }
        switch parseResourceVersion(request.resourceVersion).flatMap({ changes(after: $0, prefix: prefix, filter: filter) }) {
        case .failure(let e): return .failure(e)
        case .success(let items):
            return .success([
                "kind": "WatchEventList",
                "items": .array(items.map { ["type": .string($0.type.rawValue), "object": $0.object] }),
                "resourceVersion": .string(String(store.revision)),
            ])
        }
    }

    func parseResourceVersion(_ text: String?) -> Result<Int64, StatusError> {
        guard let text, !text.isEmpty else { return .success(0) }
        guard let rv = Int64(text), rv >= 0 else {
            return .failure(StatusError(code: 400, reason: "BadRequest",
                                        message: "invalid resource version: \(text)"))
        }
        return .success(rv)
    }

    // MARK: Watch fan-out

    /// Sends each store change to every watch that should see it.
    func publish(_ events: [StoreEvent], _ ctx: inout Context) {
        for event in events { publish(event, &ctx) }
    }

    func publish(_ event: StoreEvent, _ ctx: inout Context) {
        publish(event, resource: WatchRegistry.resource(ofKey: event.kv.key), &ctx)
    }

    /// `resource`: the plural the change's key is stored under (`/registry/<resource>/…`).
    func publish(_ event: StoreEvent, resource: String, _ ctx: inout Context) {
        if event.kind == .put, resource == "events" {
            eventExpiryQueue.append((ctx.now + eventTTL, event.kv.key, event.kv.modRevision))
        }
        if resource == "pods" { podsByNode.apply(podChange: event) }
        if resource == "priorityclasses" { knownDefaultPriorityClass = .none }
        if resource == "namespaces" { knownActiveNamespace = nil }
        watches.dispatch(event, resource: resource, &ctx)
    }

    /// The current objects under `prefix`, in key order: a pod list for one node through the
    /// node index, anything else by range.
    private func current(_ info: ResourceInfo, prefix: String, filter: ObjectFilter) -> [KeyValue]? {
        if info.plural == "pods", let node = filter.nodeName {
            return podsByNode.keys(on: node).filter { $0.utf8HasPrefix(prefix) }.compactMap { store.read($0) }
        }
        // metadata.name=<name> (each kubelet watches its own Node): one key, when the scope
        // names it whole.
        if let name = filter.objectName, !info.namespaced || prefix.hasSuffix("/") && prefix != info.keyPrefix {
            return store.read(prefix + name).map { [$0] } ?? []
        }
        guard case .success(let kvs) = store.range(prefix: prefix, revision: nil) else { return nil }
        return kvs
    }

    /// Deletes Events whose TTL ran out (etcd's lease expiry, checked every minute here).
    private func expireEvents(_ ctx: inout Context) {
        while eventExpiryHead < eventExpiryQueue.count, eventExpiryQueue[eventExpiryHead].deadline <= ctx.now {
            let (_, key, revision) = eventExpiryQueue[eventExpiryHead]
            eventExpiryHead += 1
            // A later write moved the deadline (that write's own entry will come), or the
            // Event is gone already.
            guard store.read(key)?.modRevision == revision else { continue }
            commitQuietly(Txn(compares: [.init(key: key, target: .modRevision, relation: .equal, value: revision)],
                              success: [.delete(key: key)]), &ctx)
        }
        if eventExpiryHead > 4096, eventExpiryHead * 2 > eventExpiryQueue.count {
            eventExpiryQueue.removeFirst(eventExpiryHead)
            eventExpiryHead = 0
        }
    }

    private func openWatch(_ request: APIRequest, _ ctx: inout Context) -> Result<Void, StatusError> {
        guard let info = registry.resolve(request.resource) else {
            return .failure(StatusError(code: 404, reason: "NotFound",
                                        message: "the server could not find the requested resource"))
        }
        let filter: ObjectFilter, prefix: String
        switch scope(info, request) {
        case .success(let s): (filter, prefix) = s
        case .failure(let e): return .failure(e)
        }
        let from: Int64
        switch parseResourceVersion(request.resourceVersion) {
        case .success(let rv): from = rv
        case .failure(let e): return .failure(e)
        }
        if from == 0 {
            // No resourceVersion: start with the current state (ADDED for each object), as a
            // list followed by a watch does.
            if let kvs = current(info, prefix: prefix, filter: filter) {
                for kv in kvs where filter.matches(kv.value) {
                    ctx.deliver(.watch(WatchEvent(tag: request.tag, type: .added, object: kv.value)),
                                to: request.client)
                }
                // Only after a list: without one, a client would take every object it knew
                // for gone.
                if request.announcesListEnd {
                    ctx.deliver(.response(APIResponse(tag: request.tag,
                                                      result: .success(["resourceVersion": .string(String(store.revision))]))),
                                to: request.client)
                }
            }
        } else {
            switch changes(after: from, prefix: prefix, filter: filter) {
            case .failure(let e): return .failure(e)
            case .success(let items):
                for item in items {
                    ctx.deliver(.watch(WatchEvent(tag: request.tag, type: item.type, object: item.object)),
                                to: request.client)
                }
            }
        }
        if let old = request.replacesWatch { watches.close(client: request.client, tag: old) }
        watches.add(Watch(client: request.client, tag: request.tag, resource: info.plural, filter: filter))
        return .success(())
    }
}
