/// One ReadIndex request waiting for its heartbeat quorum.
struct ReadIndexStatus: Sendable {
    var request: RaftMessage
    /// The leader's commit index when the request arrived: the read must wait for it.
    var index: UInt64
    /// Members that acknowledged the heartbeat carrying this request's context, sorted.
    var acks: [UInt64]
}

/// Linearizable reads in etcd's `ReadOnlySafe` mode (etcd `readOnly`; Raft thesis §6.4).
///
/// The leader records its commit index with each request and piggybacks the request context on
/// a heartbeat round. Once a quorum answers a heartbeat with that context, the leader knows it
/// was still leader when the request arrived, so the recorded index is safe to read at. A quorum
/// for one request also confirms every request queued before it.
struct ReadOnly: Sendable {
    /// Pending requests by context; only looked up, never iterated (order lives in the queue).
    private var pendingReadIndex: [[UInt8]: ReadIndexStatus] = [:]
    private var readIndexQueue: [[UInt8]] = []

    init() {}

    var isEmpty: Bool { readIndexQueue.isEmpty }

    /// Queues a request made when the commit index was `index`. A duplicate context is ignored.
    mutating func addRequest(index: UInt64, _ m: RaftMessage) {
        guard pendingReadIndex[m.context] == nil else { return }
        pendingReadIndex[m.context] = ReadIndexStatus(request: m, index: index, acks: [])
        readIndexQueue.append(m.context)
    }

    /// Records `id`'s acknowledgement of the heartbeat that carried `context`; returns the
    /// acknowledgements so far, or nil when the context is unknown.
    mutating func recvAck(from id: UInt64, context: [UInt8]) -> [UInt64]? {
        guard var rs = pendingReadIndex[context] else { return nil }
        if !rs.acks.contains(id) {
            let k = rs.acks.firstIndex { $0 > id } ?? rs.acks.count
            rs.acks.insert(id, at: k)
        }
        pendingReadIndex[context] = rs
        return rs.acks
    }

    /// Releases every request up to and including the one with `context`, oldest first.
    mutating func advance(context: [UInt8]) -> [ReadIndexStatus] {
        guard let position = readIndexQueue.firstIndex(of: context) else { return [] }
        var released: [ReadIndexStatus] = []
        for ctx in readIndexQueue[...position] {
            if let rs = pendingReadIndex.removeValue(forKey: ctx) { released.append(rs) }
        }
        readIndexQueue.removeSubrange(...position)
        return released
    }

    /// The context of the newest pending request, sent with every heartbeat so that one round
    /// can confirm all pending requests.
    var lastPendingRequestCtx: [UInt8] { readIndexQueue.last ?? [] }
}
