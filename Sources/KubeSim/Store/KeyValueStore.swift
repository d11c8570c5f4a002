/// One key's current state, with etcd's per-key revisions.
struct KeyValue {
    var key: String
    var value: JSON
    /// Revision of the put that created this generation of the key.
    var createRevision: Int64
    /// Revision of the last change.
    var modRevision: Int64
    /// Number of puts since creation (1 after the first).
    var version: Int64
}

/// A change applied at one revision, as etcd's watch reports it.
struct StoreEvent {
    enum Kind { case put, delete }
    var kind: Kind
    var revision: Int64
    /// For a put, the new state; for a delete, the key with its last value.
    var kv: KeyValue
    /// The state before this change, if the key existed.
    var previous: KeyValue?
}

/// etcd's transaction: if every comparison holds, run `success`, else `failure`.
struct Txn {
    enum Target { case modRevision, createRevision, version }
    enum Relation { case equal, notEqual, less, greater }
    struct Compare {
        var key: String
        var target: Target
        var relation: Relation
        var value: Int64
    }
    enum Op {
        case put(key: String, value: JSON)
        case delete(key: String)
        case get(key: String)
    }
    var compares: [Compare] = []
    var success: [Op] = []
    var failure: [Op] = []
}

struct TxnResult {
    enum OpResult {
        case put(KeyValue)
        case delete(previous: KeyValue?)
        case get(KeyValue?)
    }
    var succeeded: Bool
    /// The store's revision after the transaction.
    var revision: Int64
    var results: [OpResult]
    /// The changes the transaction made, in order: what watchers see.
    var events: [StoreEvent]
}

enum StoreError: Error, Equatable {
    /// The revision asked for was compacted away (etcd's `ErrCompacted`).
    case compacted(requested: Int64, compacted: Int64)
    /// The revision asked for is newer than the store (etcd's `ErrFutureRev`).
    case futureRevision(requested: Int64, current: Int64)
}

/// The storage interface the API server uses: etcd's KV and watch model. `MVCCStore` is a
/// single member; the Raft-replicated store implements the same operations.
protocol KeyValueStore {
    var revision: Int64 { get }
    var compactedRevision: Int64 { get }
    mutating func txn(_ txn: Txn) -> TxnResult
    func get(_ key: String) -> KeyValue?
    /// Keys under `prefix` in byte order, at `revision` (nil: the latest). Mutating: a
    /// store may keep its keys' order for the next range.
    mutating func range(prefix: String, revision: Int64?) -> Result<[KeyValue], StoreError>
    /// Every change under `prefix` with a revision greater than `after`, in order.
    func events(after: Int64, prefix: String) -> Result<[StoreEvent], StoreError>
    /// Forgets history at and below `revision`.
    mutating func compact(_ revision: Int64)
}
