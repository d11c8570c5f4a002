/// The leader's view of one follower's log (etcd `tracker.Progress`; see etcd-io/raft
/// `design.md` for the state diagram).
///
/// - probe: we do not know where the follower's log matches ours; send one MsgApp per
///   heartbeat interval and wait for the answer.
/// - replicate: we know `match`; stream entries optimistically, bounded by `inflights`.
/// - snapshot: the entries the follower needs are compacted; a snapshot is on its way and no
///   MsgApp is sent until it is acknowledged.
struct Progress: Sendable, CustomStringConvertible {
    enum State: UInt8, Sendable, CustomStringConvertible {
        case probe, replicate, snapshot

        var description: String {
            switch self {
            case .probe: "StateProbe"
            case .replicate: "StateReplicate"
            case .snapshot: "StateSnapshot"
            }
        }
    }

    /// The highest index known to match the leader's log.
    var match: UInt64 = 0
    /// The next index to send.
    var next: UInt64
    var state: State = .probe
    /// The index of the snapshot in flight (snapshot state only).
    var pendingSnapshot: UInt64 = 0
    /// Heard from in the current CheckQuorum window.
    var recentActive = false
    /// In probe state: a probe is outstanding. In replicate state: the inflight window is full.
    var msgAppFlowPaused = false
    var inflights: Inflights
    var isLearner = false

    init(next: UInt64, maxInflight: Int, isLearner: Bool) {
        self.next = next
        self.inflights = Inflights(capacity: maxInflight)
        self.isLearner = isLearner
    }

    private mutating func resetState(_ s: State) {
        msgAppFlowPaused = false
        pendingSnapshot = 0
        state = s
        inflights.reset()
    }

    /// Back to probing after a rejection or a finished snapshot.
    mutating func becomeProbe() {
        if state == .snapshot {
            // Probe from just after the snapshot, or from match if it got further.
            let pending = pendingSnapshot
            resetState(.probe)
            next = max(match &+ 1, pending &+ 1)
        } else {
            resetState(.probe)
            next = match &+ 1
        }
    }

    mutating func becomeReplicate() {
        resetState(.replicate)
        next = match &+ 1
    }

    mutating func becomeSnapshot(_ snapshotIndex: UInt64) {
        resetState(.snapshot)
        pendingSnapshot = snapshotIndex
    }

    /// Bookkeeping after a MsgApp carrying `entryCount` entries was sent from `next`.
    mutating func sentEntries(_ entryCount: Int, lastIndex: UInt64) {
        switch state {
        case .replicate:
            if entryCount > 0 {
                next = lastIndex &+ 1
                inflights.add(lastIndex)
            }
            msgAppFlowPaused = inflights.isFull
        case .probe:
            // One probe per round trip (or heartbeat), whatever it carried.
            msgAppFlowPaused = true
        case .snapshot:
            break
        }
    }

    /// An acknowledgement up to `n`. Returns whether `match` advanced (the message was not stale).
    mutating func maybeUpdate(_ n: UInt64) -> Bool {
        var updated = false
        if match < n {
            match = n
            updated = true
            msgAppFlowPaused = false
        }
        next = max(next, n &+ 1)
        return updated
    }

    /// A rejection of the MsgApp whose preceding index was `rejected`; `matchHint` is the
    /// follower's (or our term-based) guess of the last possibly matching index. Returns false
    /// when the rejection is stale.
    mutating func maybeDecrTo(rejected: UInt64, matchHint: UInt64) -> Bool {
        if state == .replicate {
            // In replicate state a rejection of anything at or below match is out of date.
            guard rejected > match else { return false }
            next = match &+ 1
            return true
        }
        // In probe state only the answer to the current probe (at next - 1) counts.
        guard next >= 1, next - 1 == rejected else { return false }
        next = max(min(rejected, matchHint &+ 1), match &+ 1)
        msgAppFlowPaused = false
        return true
    }

    /// Sending is paused: waiting for a probe's answer, a full window, or a snapshot.
    var isPaused: Bool {
        switch state {
        case .probe, .replicate: msgAppFlowPaused
        case .snapshot: true
        }
    }

    var description: String {
        var s = "\(state) match=\(match) next=\(next)"
        if isLearner { s += " learner" }
        if isPaused { s += " paused" }
        if pendingSnapshot > 0 { s += " pendingSnap=\(pendingSnapshot)" }
        if !recentActive { s += " inactive" }
        if inflights.count > 0 { s += " inflight=\(inflights.count)" }
        if inflights.isFull { s += "[full]" }
        return s
    }
}
