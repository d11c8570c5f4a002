/// Where the API server's writes go, and how their answers come back.
///
/// With the in-process store a transaction runs at once. With etcd members the transaction
/// is sent to the API server's etcd member, the request waits, and the answer is finished
/// when etcd's reply arrives (or fails with etcd's "request timed out" after its request
/// timeout, as when the cluster has lost quorum). Either way the API server's view of the
/// data (`store`) changes only through the changes etcd reports (its watch cache), and watches
/// are fed from those changes.
extension APIServer {
    /// A request's outcome: answered now, or when etcd answers.
    enum Reply {
        case done(Result<JSON, StatusError>)
        case pending

        static func success(_ value: JSON) -> Reply { .done(.success(value)) }
        static func failure(_ error: StatusError) -> Reply { .done(.failure(error)) }
    }

    /// The etcd side: the member this API server talks to, and writes waiting for it.
    /// A class: the table of waiting writes is changed on every write and must never be
    /// copied (a struct held in an optional would copy it on each change).
    final class EtcdLink {
        struct PendingWrite {
            var client: ComponentID
            var tag: UInt64
            var wantsResponse: Bool
            var txn: Txn
            var then: (TxnResult, inout Context) -> Result<JSON, StatusError>
        }

        /// Every member, and the one in use (clientv3 moves to the next when one refuses).
        var members: [ComponentID]
        var current = 0
        var member: ComponentID { members.isEmpty ? -1 : members[current % members.count] }
        var nextID: UInt64 = 0
        var pending: [UInt64: PendingWrite] = [:]
        /// Gets and lists waiting for etcd's linearizable range (a quorum read).
        struct PendingRead {
            var client: ComponentID
            var tag: UInt64
            var wantsResponse: Bool
            var info: ResourceInfo
            var request: APIRequest
            var prefix: String
        }
        var pendingReads: [UInt64: PendingRead] = [:]
        /// The id of the watch that feeds the cache, and of a list that refills it.
        var watchID: UInt64 = 0
        var relistID: UInt64 = 0
        /// etcd's request timeout: 5 s plus twice the election timeout. A constant: the one
        /// armed timer below relies on deadlines being appended in time order.
        let requestTimeout = Duration.seconds(7)
        /// When each request sent gives up, oldest first, with the sequence number its timer
        /// would have had. One timer is armed at a time, for the oldest request still
        /// unanswered: a timer per request would wait, and fire for nothing, for nearly every
        /// request (most are answered in milliseconds). Armed with the reserved sequence
        /// number, it fires exactly where that request's own timer would have.
        var deadlines: [(deadline: VirtualTime, sequence: UInt64, id: UInt64)] = []
        var deadlinesHead = 0
        var deadlineArmed = false

        func isWaiting(_ id: UInt64) -> Bool { pending[id] != nil || pendingReads[id] != nil }
        /// Set while the cache's watch waits to be opened again (after its member refused).
        var watchRetryArmed = false
        /// Refused sends since the last answer from a live member.
        var refusalsInARow = 0

        init(members: [ComponentID]) { self.members = members }
    }

    /// Timer tag: the oldest request waiting for etcd may have timed out.
    static let etcdTimeoutTimer = 1 << 40
    /// Timer tag: open the cache's watch again (a reflector's backoff, about a second).
    static let etcdRewatchTimer = 1 << 39
    static let etcdRewatchBackoff = Duration.seconds(1)

    /// How a conditional put (`commitPut`) answers.
    struct PutAnswer {
        enum Refusal { case conflict, alreadyExists }
        /// The object written (its resource is the one its key is stored under), named in a
        /// refusal.
        let resource: GroupResource
        let name: String
        /// The error when the comparison fails: the key changed, or (create) exists.
        let refusal: Refusal
        /// What a write that succeeded answers; nil: the object as stored.
        var success: JSON? = nil

        func reply(_ stored: KeyValue?) -> Result<JSON, StatusError> {
            guard let stored else {
                return .failure(refusal == .conflict ? .conflict(resource, name) : .alreadyExists(resource, name))
            }
            return .success(success ?? stored.value)
        }
    }

    /// Writes `value` at `key` if the key's mod revision is still `modRevision` (0: if the
    /// key does not exist), the one transaction of every create, update and binding, and
    /// answers as `answer` says. The cluster's own store takes it without a transaction's
    /// lists or a continuation; etcd gets it as a `Txn`, as every other write.
    func commitPut(_ key: String, _ value: consuming JSON, ifModRevision modRevision: Int64, _ ctx: inout Context,
                   answer: PutAnswer) -> Reply
    {
        guard etcd != nil else {
            // Bound once and read in place: an optional change read twice (`if let`, then
            // `change?.kv`) was copied and destroyed twice for every write.
            guard let change = store.put(key, consume value, ifModRevision: modRevision) else {
                return .done(answer.reply(nil))
            }
            publish(change, resource: answer.resource.resource, &ctx)
            return .done(.success(answer.success ?? change.kv.value))
        }
        let txn = Txn(compares: [.init(key: key, target: .modRevision, relation: .equal, value: modRevision)],
                      success: [.put(key: key, value: value)])
        return commit(txn, &ctx) { result, _ in
            guard result.succeeded, case .put(let kv)? = result.results.first else { return answer.reply(nil) }
            return answer.reply(kv)
        }
    }

    /// Runs `txn` and finishes the request with `then` on its result.
    func commit(_ txn: consuming Txn, _ ctx: inout Context,
                then: @escaping (TxnResult, inout Context) -> Result<JSON, StatusError>) -> Reply
    {
        guard let link = etcd else {
            let result = store.txn(consume txn)
            publish(result.events, &ctx)
            return .done(then(result, &ctx))
        }
        let txn = copy txn
        // Outside a request (nobody to answer), the write still goes to etcd.
        let caller = replying ?? (client: ctx.me, tag: 0, wantsResponse: false)
        link.nextID &+= 1
        link.pending[link.nextID] = EtcdLink.PendingWrite(client: caller.client, tag: caller.tag,
                                                          wantsResponse: caller.wantsResponse, txn: txn, then: then)
        send(txn, id: link.nextID, to: link.member, &ctx)
        waitForAnswer(link.nextID, &ctx)
        return .pending
    }

    /// A get or list without a resourceVersion: read from etcd with a quorum read, as the API
    /// server does (its cache serves only `resourceVersion=0`), so it fails as writes do when
    /// etcd has no quorum, and never answers from a cache that fell behind.
    func consistentRead(_ info: ResourceInfo, _ request: APIRequest, _ ctx: inout Context) -> Reply {
        guard let link = etcd else { return .done(request.verb == .get ? get(info, request) : list(info, request)) }
        let prefix: String
        switch readScope(info, request) {
        case .failure(let e): return .failure(e)
        case .success(let scope): prefix = scope.prefix
        }
        let caller = replying ?? (client: ctx.me, tag: 0, wantsResponse: false)
        link.nextID &+= 1
        link.pendingReads[link.nextID] = EtcdLink.PendingRead(client: caller.client, tag: caller.tag,
                                                              wantsResponse: caller.wantsResponse, info: info,
                                                              request: request, prefix: prefix)
        sendRange(prefix, id: link.nextID, to: link.member, &ctx)
        waitForAnswer(link.nextID, &ctx)
        return .pending
    }

    private func sendRange(_ prefix: String, id: UInt64, to member: ComponentID, _ ctx: inout Context) {
        let request = EtcdRequest(id: id, client: ctx.me, operation: .range(prefix: prefix, serializable: false))
        ctx.deliver(.store(.request(request)), to: member)
    }

    /// etcd answered a consistent read: finish it, or send it elsewhere if the member refused.
    private func readAnswered(_ read: EtcdLink.PendingRead, _ response: EtcdResponse, _ ctx: inout Context) {
        guard let link = etcd else { return }
        if case .failure(.unavailable) = response.result {
            if let member = retryRefused(response, &ctx) { sendRange(read.prefix, id: response.id, to: member, &ctx) }
            return
        }
        link.pendingReads[response.id] = nil
        link.refusalsInARow = 0
        let result: Result<JSON, StatusError>
        switch response.result {
        case .success(.range(let kvs, let revision)):
            result = readResult(read.info, read.request, kvs, revision: revision)
        case .success: result = .failure(.internalError("unexpected etcd answer"))
        case .failure(let error): result = .failure(Self.etcdError(error))
        }
        if read.wantsResponse {
            ctx.deliver(.response(APIResponse(tag: read.tag, result: result)), to: read.client)
        }
    }

    /// Runs `txn` with nobody waiting for the outcome (expiring events, emptying a namespace).
    func commitQuietly(_ txn: consuming Txn, _ ctx: inout Context) {
        guard let link = etcd else {
            publish(store.txn(txn).events, &ctx)
            return
        }
        link.nextID &+= 1
        send(txn, id: link.nextID, to: link.member, &ctx)
    }

    private func send(_ txn: Txn, id: UInt64, to member: ComponentID, _ ctx: inout Context) {
        ctx.deliver(.store(.request(EtcdRequest(id: id, client: ctx.me, operation: .txn(txn)))), to: member)
    }

    /// Opens the watch on etcd that keeps the cache (and every API watch) current, closing
    /// the one it replaces.
    func openEtcdWatch(_ ctx: inout Context) {
        guard let link = etcd else { return }
        if link.watchID != 0 {
            let cancel = EtcdRequest(id: link.nextID &+ 1, client: ctx.me, operation: .cancelWatch(watchID: link.watchID))
            ctx.deliver(.store(.request(cancel)), to: link.member)
            link.nextID &+= 1
        }
        link.nextID &+= 1
        link.watchID = link.nextID
        let request = EtcdRequest(id: link.watchID, client: ctx.me,
                                  operation: .watch(prefix: "/registry/", startRevision: store.revision + 1))
        ctx.deliver(.store(.request(request)), to: link.member)
    }

    /// An answer or watch change from etcd.
    func etcdAnswered(_ response: EtcdResponse, _ ctx: inout Context) {
        guard let link = etcd else { return }
        if response.id == link.watchID {
            switch response.result {
            case .success(.watchEvents(let events)):
                store.replay(events)
                publish(events, &ctx)
            case .failure(.unavailable):
                // The member is down: watch from another one, from where the cache is, after
                // a backoff (every member may be down).
                failOver(from: response.member, &ctx)
                scheduleRewatch(&ctx)
            case .failure:
                // The member lost the history the cache needs (it restored a snapshot): list
                // everything again, then watch from there, as the apiserver's cacher does.
                link.nextID &+= 1
                link.relistID = link.nextID
                let list = EtcdRequest(id: link.relistID, client: ctx.me, operation: .range(prefix: "/registry/", serializable: false))
                ctx.deliver(.store(.request(list)), to: link.member)
            default:
                break
            }
            return
        }
        if response.id == link.relistID {
            switch response.result {
            case .success(.range(let kvs, let revision)) where revision >= store.revision:
                // A linearizable list, never older than the cache. The API watches missed
                // what changed in between: they get it as the differences.
                let missed = store.differences(to: kvs, at: revision)
                store.replaceState(revision: revision, with: kvs)
                publish(missed, &ctx)
                openEtcdWatch(&ctx)
            default:
                // Refused or stale: try again (elsewhere) after a backoff; the rewatch lists
                // again if the history is still gone.
                failOver(from: response.member, &ctx)
                scheduleRewatch(&ctx)
            }
            return
        }
        if let read = link.pendingReads[response.id] {
            readAnswered(read, response, &ctx)
            return
        }
        if case .failure(.unavailable) = response.result, let waiting = link.pending[response.id] {
            if let member = retryRefused(response, &ctx) { send(waiting.txn, id: response.id, to: member, &ctx) }
            return
        }
        guard let waiting = link.pending.removeValue(forKey: response.id) else { return }
        link.refusalsInARow = 0
        let result: Result<JSON, StatusError>
        switch response.result {
        case .success(.txn(let txn)): result = waiting.then(txn, &ctx)
        case .success: result = .failure(.internalError("unexpected etcd answer"))
        case .failure(let error): result = .failure(Self.etcdError(error))
        }
        if waiting.wantsResponse {
            ctx.deliver(.response(APIResponse(tag: waiting.tag, result: result)), to: waiting.client)
        }
    }

    static let etcdResendBase = 1 << 38

    /// A member refused a request before it reached etcd (its process is down): the member
    /// to send it to now, or nil when every member refused in a row and it waits a backoff
    /// (they may all be down); the request's own timeout still bounds the wait.
    private func retryRefused(_ response: EtcdResponse, _ ctx: inout Context) -> ComponentID? {
        guard let link = etcd else { return nil }
        if failOver(from: response.member, &ctx) {
            // The cache's watch was on the member that failed: resume it on the next.
            scheduleRewatch(&ctx, after: .zero)
        }
        link.refusalsInARow += 1
        if link.refusalsInARow < link.members.count { return link.member }
        link.refusalsInARow = 0
        ctx.after(Self.etcdRewatchBackoff, timer: Self.etcdResendBase &+ Int(truncatingIfNeeded: response.id))
        return nil
    }

    /// Moves to the next member when `member` (the one that refused) is the current one;
    /// true when it moved. Answers from a member already left behind change nothing.
    @discardableResult
    private func failOver(from member: UInt64, _ ctx: inout Context) -> Bool {
        guard let link = etcd, link.members.count > 1,
              member >= 1, member <= UInt64(link.members.count),
              Int(member) - 1 == link.current % link.members.count else { return false }
        link.current = (link.current + 1) % link.members.count
        return true
    }

    /// Opens the cache's watch again after `delay` (once, however many refusals asked).
    private func scheduleRewatch(_ ctx: inout Context, after delay: Duration = APIServer.etcdRewatchBackoff) {
        guard let link = etcd, !link.watchRetryArmed else { return }
        link.watchRetryArmed = true
        ctx.after(delay, timer: Self.etcdRewatchTimer)
    }

    /// A backoff ran out: reopen the cache's watch.
    func etcdRewatch(_ ctx: inout Context) {
        guard let link = etcd else { return }
        link.watchRetryArmed = false
        openEtcdWatch(&ctx)
    }

    /// A refused request waited out its backoff: send it to the member in use now.
    func etcdResend(_ id: UInt64, _ ctx: inout Context) {
        if let link = etcd, let read = link.pendingReads[id] {
            sendRange(read.prefix, id: id, to: link.member, &ctx)
            return
        }
        guard let link = etcd, let waiting = link.pending[id] else { return }
        send(waiting.txn, id: id, to: link.member, &ctx)
    }

    /// Starts the request timeout of request `id`, just sent.
    private func waitForAnswer(_ id: UInt64, _ ctx: inout Context) {
        guard let link = etcd else { return }
        link.deadlines.append((ctx.now + link.requestTimeout, ctx.reserveSequence(), id))
        if !link.deadlineArmed { armDeadline(&ctx) }
    }

    /// Arms the timer of the oldest request still waiting, forgetting answered ones before it.
    private func armDeadline(_ ctx: inout Context) {
        guard let link = etcd else { return }
        while link.deadlinesHead < link.deadlines.count, !link.isWaiting(link.deadlines[link.deadlinesHead].id) {
            link.deadlinesHead += 1
        }
        if link.deadlinesHead > 1024, link.deadlinesHead * 2 > link.deadlines.count {
            link.deadlines.removeFirst(link.deadlinesHead)
            link.deadlinesHead = 0
        }
        guard link.deadlinesHead < link.deadlines.count else { return }
        let next = link.deadlines[link.deadlinesHead]
        link.deadlineArmed = true
        ctx.after(next.deadline - ctx.now, timer: Self.etcdTimeoutTimer, sequence: next.sequence)
    }

    /// The armed timer fired: the oldest request waiting has timed out if still unanswered.
    func etcdDeadlineReached(_ ctx: inout Context) {
        guard let link = etcd else { return }
        link.deadlineArmed = false
        if link.deadlinesHead < link.deadlines.count, link.deadlines[link.deadlinesHead].deadline <= ctx.now {
            let id = link.deadlines[link.deadlinesHead].id
            link.deadlinesHead += 1
            etcdTimedOut(id, &ctx)
        }
        armDeadline(&ctx)
    }

    /// A request etcd did not answer in time.
    private func etcdTimedOut(_ id: UInt64, _ ctx: inout Context) {
        guard let link = etcd else { return }
        let caller: (client: ComponentID, tag: UInt64, wantsResponse: Bool)
        if let read = link.pendingReads.removeValue(forKey: id) {
            caller = (read.client, read.tag, read.wantsResponse)
        } else if let write = link.pending.removeValue(forKey: id) {
            caller = (write.client, write.tag, write.wantsResponse)
        } else {
            return
        }
        guard caller.wantsResponse else { return }
        let error = Self.etcdError("etcdserver: request timed out")
        ctx.deliver(.response(APIResponse(tag: caller.tag, result: .failure(error))), to: caller.client)
    }

    /// etcd's own errors pass through the API server as 500s with no reason
    /// (`ErrorToAPIStatus`), so kubectl prints `Error from server: <etcd text>`.
    static func etcdError(_ message: String) -> StatusError {
        StatusError(code: 500, reason: "", message: message)
    }

    /// The error a failed etcd request gives the client.
    static func etcdError(_ error: EtcdError) -> StatusError {
        if case .noLeader = error { return etcdError("etcdserver: no leader") }
        return etcdError("etcdserver: request timed out")
    }
}
