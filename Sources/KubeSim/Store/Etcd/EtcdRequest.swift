/// What travels between etcd members and their clients besides Raft's own messages.
enum StoreMessage {
    /// Raft traffic between members.
    case raft(RaftMessage)
    /// A client's call to a member.
    case request(EtcdRequest)
    /// A member's answer, matched by the request's id.
    case response(EtcdResponse)
}

/// A client's call to an etcd member: a transaction (every write, and reads inside one), or
/// a range read.
struct EtcdRequest {
    enum Operation {
        case txn(Txn)
        /// Keys under a prefix: linearizable (ReadIndex, etcd's default) unless `serializable`,
        /// which answers from the member's own applied state.
        case range(prefix: String, serializable: Bool)
        /// Every change under a prefix from `startRevision` (inclusive) on, as the member
        /// applies them; answered by a stream of responses with this request's id.
        case watch(prefix: String, startRevision: Int64)
        /// Closes the watch the client opened with request `watchID`.
        case cancelWatch(watchID: UInt64)
        /// Forgets history at and below `revision` on every member (etcd's Compact, which goes
        /// through Raft like a write).
        case compact(revision: Int64)
    }

    /// Unique per client; the response carries it back.
    var id: UInt64
    /// Where to answer.
    var client: ComponentID
    var operation: Operation
}

struct EtcdResponse {
    enum Value {
        case txn(TxnResult)
        case range([KeyValue], revision: Int64)
        /// Changes of one or more whole revisions, in order.
        case watchEvents([StoreEvent])
    }

    var id: UInt64
    /// The member that answered.
    var member: UInt64
    var result: Result<Value, EtcdError>
}

/// Why a member could not serve a request. Most failures are silence instead (a proposal
/// lost with a deposed leader, a member that crashed): the client's timeout covers those.
enum EtcdError: Error, Equatable {
    /// No leader is known, so the proposal or read cannot be forwarded (`etcdserver: no leader`).
    case noLeader
    /// The member was removed from the cluster.
    case removed
    /// The member's process is down: its host refuses the connection at once, and the
    /// client tries another member.
    case unavailable
    /// A watch asked for history at or below the compacted revision (`mvcc: required
    /// revision has been compacted`).
    case compacted(Int64)
}

/// The bytes of a proposal: the proposing member and its request id (so that the member can
/// answer when it applies the entry) and the transaction, in a compact binary form that every
/// member decodes the same way.
struct EtcdProposal {
    var member: UInt64
    var requestID: UInt64
    var txn: Txn
    /// Set for a compaction; `txn` is then empty.
    var compactRevision: Int64?

    func encoded() -> [UInt8] {
        let size = encodedSize
        let bytes = ByteWriter.inPlace(count: size) { write(to: &$0) }
        // `encodedSize` and the writing disagree: a bug for tests (debug builds) to catch; the
        // bytes are right either way.
        assert(bytes.count == size, "sized \(size) bytes, wrote \(bytes.count)")
        return bytes
    }

    /// `encoded()` in one pass: written into `scratch` (the caller's, kept from one proposal
    /// to the next and grown when too small), then copied out at its exact size. Sizing a
    /// value first walks its whole tree a second time, which costs more than the copy.
    func encoded(scratch: inout [UInt8]) -> [UInt8] {
        while true {
            let (written, overflowed) = scratch.withUnsafeMutableBytes { raw in
                var w = RawByteWriter(raw, at: 0)
                write(to: &w)
                return (w.written, w.overflowed)
            }
            if !overflowed { return Array(scratch[..<written]) }
            scratch = [UInt8](repeating: 0, count: scratch.count * 2 + 4096)
        }
    }

    private func write(to w: inout RawByteWriter) {
        w.u64(member)
        w.u64(requestID)
        if let compactRevision {
            w.u8(1)
            w.u64(UInt64(bitPattern: compactRevision))
            return
        }
        w.u8(0)
        w.u32(UInt32(truncatingIfNeeded: txn.compares.count))
        for c in txn.compares {
            w.string(c.key)
            w.u8(Self.code(c.target))
            w.u8(Self.code(c.relation))
            w.u64(UInt64(bitPattern: c.value))
        }
        Self.write(txn.success, to: &w)
        Self.write(txn.failure, to: &w)
    }

    private static func write(_ ops: [Txn.Op], to w: inout RawByteWriter) {
        w.u32(UInt32(truncatingIfNeeded: ops.count))
        for op in ops {
            switch op {
            case .put(let key, let value):
                w.u8(0)
                w.string(key)
                w.json(value)
            case .delete(let key):
                w.u8(1)
                w.string(key)
            case .get(let key):
                w.u8(2)
                w.string(key)
            }
        }
    }

    private static func size(of op: Txn.Op) -> Int {
        switch op {
        case .put(let key, let value): 1 + ByteWriter.size(of: key) + ByteWriter.size(of: value)
        case .delete(let key), .get(let key): 1 + ByteWriter.size(of: key)
        }
    }

    /// The bytes `encoded()` writes.
    var encodedSize: Int {
        if compactRevision != nil { return 25 }
        var n = 17 + 4 + 8
        for c in txn.compares { n += ByteWriter.size(of: c.key) + 10 }
        for op in txn.success { n += Self.size(of: op) }
        for op in txn.failure { n += Self.size(of: op) }
        return n
    }

    init(member: UInt64, requestID: UInt64, txn: Txn, compactRevision: Int64? = nil) {
        self.member = member
        self.requestID = requestID
        self.txn = txn
        self.compactRevision = compactRevision
    }

    /// Nil for bytes this codec did not write (never from a member; kept total for safety).
    init?(decoding bytes: [UInt8]) {
        var r = ByteReader(bytes)
        guard let member = r.u64(), let requestID = r.u64(), let kind = r.u8() else { return nil }
        if kind == 1 {
            guard let revision = r.u64() else { return nil }
            self.init(member: member, requestID: requestID, txn: Txn(), compactRevision: Int64(bitPattern: revision))
            return
        }
        guard kind == 0, let compareCount = r.u32() else { return nil }
        var txn = Txn()
        for _ in 0..<compareCount {
            guard let key = r.string(), let t = r.u8(), let rel = r.u8(), let v = r.u64(),
                  let target = Self.target(t), let relation = Self.relation(rel) else { return nil }
            txn.compares.append(Txn.Compare(key: key, target: target, relation: relation, value: Int64(bitPattern: v)))
        }
        for branch in 0..<2 {
            guard let count = r.u32() else { return nil }
            var ops: [Txn.Op] = []
            for _ in 0..<count {
                guard let tag = r.u8(), let key = r.string() else { return nil }
                switch tag {
                case 0:
                    guard let value = r.json() else { return nil }
                    ops.append(.put(key: key, value: value))
                case 1: ops.append(.delete(key: key))
                case 2: ops.append(.get(key: key))
                default: return nil
                }
            }
            if branch == 0 { txn.success = ops } else { txn.failure = ops }
        }
        self.init(member: member, requestID: requestID, txn: txn)
    }

    private static func code(_ t: Txn.Target) -> UInt8 {
        switch t {
        case .modRevision: 0
        case .createRevision: 1
        case .version: 2
        }
    }

    private static func target(_ c: UInt8) -> Txn.Target? {
        switch c {
        case 0: .modRevision
        case 1: .createRevision
        case 2: .version
        default: nil
        }
    }

    private static func code(_ r: Txn.Relation) -> UInt8 {
        switch r {
        case .equal: 0
        case .notEqual: 1
        case .less: 2
        case .greater: 3
        }
    }

    private static func relation(_ c: UInt8) -> Txn.Relation? {
        switch c {
        case 0: .equal
        case 1: .notEqual
        case 2: .less
        case 3: .greater
        default: nil
        }
    }
}
