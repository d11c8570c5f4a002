/// A key-value pair as a client saw it in a response, with etcd's per-key revisions.
///
/// Values are compared as strings: a workload should write a unique value per request
/// (`"c3-17"`), so a read can always be traced back to the write that produced it.
struct ObservedKeyValue: Equatable, Hashable, Sendable {
    var key: String
    var value: String
    var createRevision: Int64
    var modRevision: Int64
    var version: Int64

    init(key: String, value: String, createRevision: Int64, modRevision: Int64, version: Int64) {
        self.key = key
        self.value = value
        self.createRevision = createRevision
        self.modRevision = modRevision
        self.version = version
    }

    /// A store key-value as a response carries it; the value is its serialized JSON.
    init(_ kv: KeyValue) {
        self.init(key: kv.key, value: kv.value.serialized(), createRevision: kv.createRevision,
                  modRevision: kv.modRevision, version: kv.version)
    }
}

/// What a client asked the store, in the shapes the Kubernetes API server sends.
///
/// Each maps to one etcd request, as `tests/robustness/traffic/kubernetes.go` issues them:
/// - `create`: `Txn(If(mod_revision(key) == 0), Then(Put))`, no else branch;
/// - `update`: `Txn(If(mod_revision(key) == rv), Then(Put), Else(Get(key)))`;
/// - `delete`: `Txn(If(mod_revision(key) == rv), Then(Delete), Else(Get(key)))`, or a plain
///   `Delete` when there is no precondition;
/// - `get`: a linearizable `Range(key)`; `range`: a linearizable `Range(prefix)` (a list).
enum KVRequest: Equatable, Hashable, Sendable {
    case create(key: String, value: String)
    case update(key: String, value: String, expectedModRevision: Int64)
    case delete(key: String, expectedModRevision: Int64?)
    case get(key: String)
    case range(prefix: String)

    /// Reads never change the store, so an unanswered read constrains nothing.
    var isRead: Bool {
        switch self {
        case .get, .range: return true
        case .create, .update, .delete: return false
        }
    }

    /// The one key a write or get touches; nil for a range.
    var key: String? {
        switch self {
        case .create(let key, _), .update(let key, _, _), .delete(let key, _), .get(let key): return key
        case .range: return nil
        }
    }
}

/// What the client got back.
///
/// - Writes: `succeeded` is the txn's compare outcome and `revision` the response header's
///   revision (after the write when it succeeded). When an update's or delete's compare
///   failed, `kvs` holds what its else-branch `Get` returned (zero or one key-value), which
///   the API server turns into a 409 Conflict; otherwise `kvs` is empty.
/// - Reads: `succeeded` is true, `revision` is the header revision the read was served at,
///   and `kvs` the key-values returned in key order.
struct KVResponse: Equatable, Hashable, Sendable {
    var succeeded: Bool
    var revision: Int64
    var kvs: [ObservedKeyValue]

    init(succeeded: Bool, revision: Int64, kvs: [ObservedKeyValue] = []) {
        self.succeeded = succeeded
        self.revision = revision
        self.kvs = kvs
    }

    /// A write whose compare held.
    static func ok(revision: Int64) -> KVResponse { KVResponse(succeeded: true, revision: revision) }

    /// A write whose compare failed; `current` is the else-branch Get (nil for a create, or
    /// when the key is gone).
    static func failed(revision: Int64, current: ObservedKeyValue? = nil) -> KVResponse {
        KVResponse(succeeded: false, revision: revision, kvs: current.map { [$0] } ?? [])
    }

    /// A read served at `revision`.
    static func read(revision: Int64, kvs: [ObservedKeyValue]) -> KVResponse {
        KVResponse(succeeded: true, revision: revision, kvs: kvs)
    }
}

/// One request as a client saw it: porcupine's `Operation{ClientId, Input, Call, Output, Return}`.
///
/// Times are virtual nanoseconds. A nil `completion` is an indeterminate outcome (a timeout, a
/// lost connection): the request may have taken effect at any point after `call`, or never.
struct HistoryOperation: Equatable, Hashable, Sendable {
    struct Completion: Equatable, Hashable, Sendable {
        var time: Int64
        var response: KVResponse
    }

    var clientID: Int
    var request: KVRequest
    var call: Int64
    var completion: Completion?

    init(clientID: Int, request: KVRequest, call: Int64, completion: Completion?) {
        self.clientID = clientID
        self.request = request
        self.call = call
        self.completion = completion
    }

    init(clientID: Int, request: KVRequest, call: Int64, returned: Int64, response: KVResponse) {
        self.init(clientID: clientID, request: request, call: call,
                  completion: Completion(time: returned, response: response))
    }

    var isIndeterminate: Bool { completion == nil }

    /// True when this operation provably left the store unchanged: a read, or a write whose
    /// compare failed. Removing such an operation from a history never makes it harder to
    /// linearize, which is what makes it safe for the shrinker to drop.
    var leavesStoreUnchanged: Bool {
        if request.isRead { return true }
        if let completion, !completion.response.succeeded { return true }
        return false
    }
}

/// A recorded history: the store's state when recording began, then every operation.
///
/// The initial state defaults to an empty etcd, whose revision is 1.
struct History: Equatable, Sendable {
    var initialRevision: Int64
    var initialKeyValues: [ObservedKeyValue]
    var operations: [HistoryOperation]

    init(operations: [HistoryOperation], initialRevision: Int64 = 1, initialKeyValues: [ObservedKeyValue] = []) {
        self.operations = operations
        self.initialRevision = initialRevision
        self.initialKeyValues = initialKeyValues
    }

    /// Problems that make the history unusable as a record (not linearizability violations):
    /// a return before its call, or one client with two overlapping determinate operations
    /// (porcupine assumes each client id is one sequential stream; after a timeout a client
    /// continues under a new id, as etcd's `AppendableHistory` does).
    func malformations() -> [String] {
        var problems: [String] = []
        for (index, op) in operations.enumerated() {
            if let completion = op.completion, completion.time < op.call {
                problems.append("operation \(index) returns at \(completion.time) before its call at \(op.call)")
            }
        }
        var byClient: [Int: [Int]] = [:]
        for (index, op) in operations.enumerated() { byClient[op.clientID, default: []].append(index) }
        for client in byClient.keys.sorted() {
            let indices = (byClient[client] ?? []).sorted { (operations[$0].call, $0) < (operations[$1].call, $1) }
            for (a, b) in zip(indices, indices.dropFirst()) {
                let first = operations[a]
                guard let end = first.completion?.time else {
                    problems.append("client \(client) continues after indeterminate operation \(a); use a new client id")
                    continue
                }
                if operations[b].call < end {
                    problems.append("client \(client) overlaps operations \(a) and \(b)")
                }
            }
        }
        return problems
    }
}

/// Collects a history as clients run: `invoke` when a request is sent, `complete` when its
/// response arrives. A request never completed is recorded as indeterminate.
///
///     var recorder = HistoryRecorder()
///     let id = recorder.invoke(client: 3, .get(key: "/registry/pods/default/a"), at: now)
///     recorder.complete(id, .read(revision: 18, kvs: []), at: later)
///     let history = recorder.history
struct HistoryRecorder: Sendable {
    private(set) var operations: [HistoryOperation] = []
    private var initialRevision: Int64
    private var initialKeyValues: [ObservedKeyValue]

    init(initialRevision: Int64 = 1, initialKeyValues: [ObservedKeyValue] = []) {
        self.initialRevision = initialRevision
        self.initialKeyValues = initialKeyValues
    }

    /// Records a call; the returned id names it in `complete`.
    mutating func invoke(client: Int, _ request: KVRequest, at time: Int64) -> Int {
        operations.append(HistoryOperation(clientID: client, request: request, call: time, completion: nil))
        return operations.count - 1
    }

    /// Records the response to call `id`. Unknown ids and second completions are ignored.
    mutating func complete(_ id: Int, _ response: KVResponse, at time: Int64) {
        guard operations.indices.contains(id), operations[id].completion == nil else { return }
        operations[id].completion = HistoryOperation.Completion(time: time, response: response)
    }

    var history: History {
        History(operations: operations, initialRevision: initialRevision, initialKeyValues: initialKeyValues)
    }
}
