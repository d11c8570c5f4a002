/// Clients that drive an etcd cluster with the requests the Kubernetes API server sends
/// (create = compare mod_revision 0, update = compare mod_revision == rv, delete with a
/// precondition, get, list) and record every call and answer for the linearizability checker.
///
/// Each client has one request in flight and keeps to one member until a request to it
/// times out, then moves to another (as clientv3's balancer drops an unhealthy endpoint); an
/// answer that never came is recorded as indeterminate: it may or may not have taken effect.
final class KVWorkload: Component {
    let clients: Int
    let members: [ComponentID]
    let keys: [String]
    let prefix: String
    /// How long a client waits for an answer (etcd's own default is 7 s: 5 s plus twice
    /// the election timeout; clients usually give up sooner).
    var requestTimeout = Duration.seconds(2)
    /// No new requests at or after this instant.
    var stopAt: VirtualTime
    private var operations: [HistoryOperation] = []
    /// Calls answered with an error before reaching Raft: they never happened.
    private var refused: [Bool] = []
    private var random: SeededRandom
    private var nextRequest: UInt64 = 0
    private var nextValue = 0
    private struct InFlight {
        var client: Int
        var operation: Int
        var request: KVRequest
    }
    private var inFlight: [UInt64: InFlight] = [:]

    /// Watchers, as Kubernetes reflectors: list, then watch from the list's revision + 1;
    /// every few seconds the watch is closed and resumed from the last revision received on
    /// another member (the resumable guarantee); a compacted revision means a new list.
    let watchClients: Int
    private(set) var streams: [WatchChecker.Stream] = []
    private struct WatchState {
        var lastRevision: Int64 = 0
        var request: UInt64 = 0
        var member: ComponentID = 0
        var stream = -1
    }
    private var watchStates: [WatchState]
    private enum WatchCall { case list(Int), watch(Int) }
    private var watchCalls: [UInt64: WatchCall] = [:]
    private static let watchBase = 500_000
    /// The mod revision each key was last seen at, per client (what an informer would hold).
    private var seen: [[String: Int64]]
    /// The member each client talks to.
    private var endpoint: [Int]
    private static let timeoutBase = 1_000_000

    init(clients: Int, members: [ComponentID], keys: Int, seed: UInt64, stopAt: VirtualTime, watchers: Int = 2) {
        self.clients = clients
        self.watchClients = watchers
        self.watchStates = Array(repeating: WatchState(), count: watchers)
        self.members = members
        self.prefix = "/registry/pods/default/"
        // Equal-length names: none is a prefix of another, so a get by prefix is a get by key.
        self.keys = (0..<keys).map { "/registry/pods/default/pod-\(String(UnicodeScalar(UInt8(97 + $0 % 26))))" }
        self.random = SeededRandom(seed: seed, stream: "kv-workload")
        self.stopAt = stopAt
        self.seen = Array(repeating: [:], count: clients)
        self.endpoint = (0..<clients).map { $0 % max(1, members.count) }
    }

    /// Every call that may have happened, in call order.
    var history: History {
        History(operations: operations.indices.filter { !refused[$0] }.map { operations[$0] })
    }

    func handle(_ message: consuming Message, _ ctx: inout Context) {
        switch message {
        case .start:
            for c in 0..<clients { ctx.after(.millis(Int64(random.int(below: 50))), timer: c) }
            for w in 0..<watchClients { ctx.after(.millis(1_500 + Int64(random.int(below: 500))), timer: Self.watchBase + w) }
        case .timer(let tag) where tag >= Self.watchBase && tag < Self.timeoutBase:
            rewatch(tag - Self.watchBase, &ctx)
        case .store(.response(let response)) where watchCalls[response.id] != nil:
            watchAnswered(response, &ctx)
        case .timer(let tag) where tag < Self.timeoutBase:
            issue(client: tag, &ctx)
        case .timer(let tag):
            // The request timed out: its outcome stays unknown, and the client moves on.
            guard let f = inFlight.removeValue(forKey: UInt64(truncatingIfNeeded: tag &- Self.timeoutBase)) else { return }
            if members.count > 1 {
                endpoint[f.client] = (endpoint[f.client] + 1 + random.int(below: members.count - 1)) % members.count
            }
            ctx.after(.millis(Int64(random.int(below: 50))), timer: f.client)
        case .store(.response(let response)):
            guard let f = inFlight.removeValue(forKey: response.id) else { return }
            switch response.result {
            case .success(let value):
                guard let answer = kvResponse(value) else { break }
                operations[f.operation].completion = .init(time: ctx.now.nanos, response: answer)
                learn(from: answer, to: f.request, client: f.client)
            case .failure:
                // Refused (no leader): the request was never proposed, so it did not happen.
                refused[f.operation] = true
            }
            ctx.after(.millis(Int64(random.int(below: 50))), timer: f.client)
        default:
            return
        }
    }

    // MARK: Watchers

    private func rewatch(_ w: Int, _ ctx: inout Context) {
        guard watchStates.indices.contains(w), !members.isEmpty else { return }
        let old = watchStates[w]
        if old.request != 0 {
            watchCalls[old.request] = nil
            send(.cancelWatch(watchID: old.request), to: old.member, &ctx)
        }
        if ctx.now < stopAt {
            if old.lastRevision == 0 {
                // List first (a linearizable read), then watch from its revision + 1.
                nextRequest &+= 1
                watchCalls[nextRequest] = .list(w)
                watchStates[w].request = 0
                send(.range(prefix: prefix, serializable: false), id: nextRequest,
                     to: members[random.int(below: members.count)], &ctx)
            } else {
                openWatch(w, from: old.lastRevision + 1, &ctx)
            }
        }
        ctx.after(.millis(2_000 + Int64(random.int(below: 2_000))), timer: Self.watchBase + w)
    }

    private func openWatch(_ w: Int, from start: Int64, _ ctx: inout Context) {
        nextRequest &+= 1
        let member = members[random.int(below: members.count)]
        watchCalls[nextRequest] = .watch(w)
        watchStates[w].request = nextRequest
        watchStates[w].member = member
        watchStates[w].stream = streams.count
        streams.append(WatchChecker.Stream(watchID: streams.count, prefix: prefix, startRevision: start, responses: []))
        send(.watch(prefix: prefix, startRevision: start), id: nextRequest, to: member, &ctx)
    }

    private func watchAnswered(_ response: EtcdResponse, _ ctx: inout Context) {
        guard let call = watchCalls[response.id] else { return }
        switch (call, response.result) {
        case (.list(let w), .success(.range(_, let revision))):
            watchCalls[response.id] = nil
            watchStates[w].lastRevision = revision
            if ctx.now < stopAt { openWatch(w, from: revision + 1, &ctx) }
        case (.watch(let w), .success(.watchEvents(let events))):
            guard watchStates[w].request == response.id, streams.indices.contains(watchStates[w].stream) else { return }
            streams[watchStates[w].stream].responses.append(events.map(WatchChecker.Event.init))
            if let last = events.last { watchStates[w].lastRevision = max(watchStates[w].lastRevision, last.revision) }
        case (.watch(let w), .failure(.compacted)):
            watchStates[w].lastRevision = 0  // start over with a list
        default:
            watchCalls[response.id] = nil  // refused: the next rewatch tries again
        }
    }

    private func send(_ operation: EtcdRequest.Operation, id: UInt64 = 0, to member: ComponentID, _ ctx: inout Context) {
        ctx.deliver(.store(.request(EtcdRequest(id: id, client: ctx.me, operation: operation))), to: member)
    }

    // MARK: Requests

    private func issue(client: Int, _ ctx: inout Context) {
        guard ctx.now < stopAt, !members.isEmpty, !keys.isEmpty else { return }
        let key = keys[random.int(below: keys.count)]
        nextValue += 1
        // A unique number per write, so that every value read names the write that made it.
        let value = String(nextValue)
        let known = seen[client][key]
        let request: KVRequest
        switch random.int(below: 10) {
        case 0, 1: request = .create(key: key, value: value)
        case 2, 3, 4: request = known.map { .update(key: key, value: value, expectedModRevision: $0) } ?? .get(key: key)
        case 5: request = .delete(key: key, expectedModRevision: known)
        case 6, 7: request = .get(key: key)
        default: request = .range(prefix: prefix)
        }
        nextRequest &+= 1
        let operation = operations.count
        operations.append(HistoryOperation(clientID: client, request: request, call: ctx.now.nanos, completion: nil))
        refused.append(false)
        inFlight[nextRequest] = InFlight(client: client, operation: operation, request: request)
        let etcd = EtcdRequest(id: nextRequest, client: ctx.me, operation: Self.operation(request))
        ctx.deliver(.store(.request(etcd)), to: members[endpoint[client] % members.count])
        ctx.after(requestTimeout, timer: Self.timeoutBase &+ Int(truncatingIfNeeded: nextRequest))
    }

    /// The etcd request each Kubernetes-shaped call becomes (the API server's etcd3 store).
    static func operation(_ request: KVRequest) -> EtcdRequest.Operation {
        func rev(_ key: String, _ value: Int64) -> Txn.Compare {
            Txn.Compare(key: key, target: .modRevision, relation: .equal, value: value)
        }
        switch request {
        case .create(let key, let value):
            return .txn(Txn(compares: [rev(key, 0)], success: [.put(key: key, value: decoded(value))]))
        case .update(let key, let value, let expected):
            return .txn(Txn(compares: [rev(key, expected)], success: [.put(key: key, value: decoded(value))],
                            failure: [.get(key: key)]))
        case .delete(let key, let expected?):
            return .txn(Txn(compares: [rev(key, expected)], success: [.delete(key: key)], failure: [.get(key: key)]))
        case .delete(let key, nil):
            return .txn(Txn(success: [.delete(key: key)]))
        case .get(let key):
            return .range(prefix: key, serializable: false)
        case .range(let prefix):
            return .range(prefix: prefix, serializable: false)
        }
    }

    private func kvResponse(_ value: EtcdResponse.Value) -> KVResponse? {
        switch value {
        case .txn(let result):
            guard result.succeeded else {
                var current: ObservedKeyValue?
                for r in result.results { if case .get(let kv?) = r { current = ObservedKeyValue(kv) } }
                return .failed(revision: result.revision, current: current)
            }
            return .ok(revision: result.revision)
        case .range(let kvs, let revision):
            return .read(revision: revision, kvs: kvs.map(ObservedKeyValue.init))
        case .watchEvents:
            return nil  // not an answer to a read or write
        }
    }

    private static func decoded(_ value: String) -> JSON { (try? JSON.parse(value)) ?? .string(value) }

    /// What the client now knows of the keys it touched: a write's new revision, a read's.
    private func learn(from response: KVResponse, to request: KVRequest, client: Int) {
        if response.succeeded, let key = request.key {
            switch request {
            case .create, .update: seen[client][key] = response.revision
            case .delete: seen[client][key] = nil
            case .get: if response.kvs.isEmpty { seen[client][key] = nil }
            case .range: break
            }
        }
        for kv in response.kvs { seen[client][kv.key] = kv.modRevision }
    }
}
