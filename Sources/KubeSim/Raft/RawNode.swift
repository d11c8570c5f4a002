/// A member's status as `etcdctl endpoint status` and the harness report it (etcd `Status`).
struct RaftStatus: Sendable {
    var id: UInt64
    var hardState: HardState
    var softState: SoftState
    var applied: UInt64
    var lastIndex: UInt64
    var leadTransferee: UInt64
    var randomizedElectionTimeout: Int
    var config: ConfState
    /// Every member's progress, in id order; only filled on the leader.
    var progress: [(id: UInt64, progress: Progress)]
}

/// Why a `RawNode` could not be created.
struct RaftConfigError: Error, Sendable, Equatable, CustomStringConvertible {
    var description: String
}

/// The synchronous driver of one Raft member (etcd `RawNode`, "a thread-unsafe Node").
///
/// The embedding calls `tick()` on a timer, feeds network messages to `step`, and after any
/// call checks `hasReady`; it then takes `ready()`, performs it (see `Ready`) and calls
/// `advance`. A restarted member is a new `RawNode` over the same `RaftStorage`.
struct RawNode {
    private(set) var raft: Raft
    private var prevSoftState: SoftState
    private var prevHardState: HardState

    init(config: RaftConfig, storage: RaftStorage, logger: (any RaftLogSink)? = nil) throws(RaftConfigError) {
        if let problem = config.validate() { throw RaftConfigError(description: problem) }
        raft = Raft(config: config, storage: storage, logger: logger)
        prevSoftState = raft.softState
        prevHardState = raft.hardState
    }

    var id: UInt64 { raft.id }

    mutating func tick() { raft.tick() }

    /// Starts an election now (a pre-election first if PreVote is on).
    mutating func campaign() {
        raft.step(RaftMessage(type: .hup, from: raft.id))
    }

    /// Proposes one command; a follower forwards it to the leader. Fails when there is no leader
    /// to take it. Acceptance is no promise of commit: watch `committedEntries`.
    @discardableResult
    mutating func propose(_ data: [UInt8]) -> Result<Void, RaftError> {
        raft.step(RaftMessage(type: .prop, from: raft.id, entries: [RaftEntry(data: data)]))
    }

    /// On a leader, the index and term of its last entry (a proposal it has just appended
    /// takes it); nil on any other member.
    var leaderLastEntry: (index: UInt64, term: UInt64)? {
        mutating get {
            guard raft.state == .leader else { return nil }
            let last = raft.raftLog.lastIndex
            guard raft.raftLog.term(last) == raft.term else { return nil }
            return (last, raft.term)
        }
    }

    /// Proposes several commands in one message, so they travel in one MsgApp.
    @discardableResult
    mutating func propose(batch: [[UInt8]]) -> Result<Void, RaftError> {
        guard !batch.isEmpty else { return .success(()) }
        return raft.step(RaftMessage(type: .prop, from: raft.id, entries: batch.map { RaftEntry(data: $0) }))
    }

    @discardableResult
    mutating func proposeConfChange(_ cc: RaftConfChange) -> Result<Void, RaftError> {
        raft.step(RaftMessage(type: .prop, from: raft.id, entries: [RaftEntry(type: .confChange, data: cc.encoded())]))
    }

    /// Delivers a message from the network. Local-only types, messages for another member,
    /// termless messages other than forwarded proposals and reads, and responses from members
    /// we do not track are refused without effect (etcd `ErrStepLocalMsg`, `ErrStepPeerNotFound`).
    @discardableResult
    mutating func step(_ m: RaftMessage) -> Result<Void, RaftError> {
        if m.type.isLocal || m.type == .hup { return .failure(.invalidMessage) }
        if m.to != raft.id || m.from == 0 || m.from == raft.id { return .failure(.invalidMessage) }
        if m.term == 0 && m.type != .prop && m.type != .readIndex { return .failure(.invalidMessage) }
        if m.type.isResponse && !raft.trk.contains(m.from) { return .failure(.invalidMessage) }
        if !RawNode.inRange(m) { return .failure(.invalidMessage) }
        return raft.step(m)
    }

    /// No real cluster comes near 2^62 terms or entries; refusing such numbers up front means
    /// no `+ 1` on an index or term from the network can wrap, and every index fits in `Int`.
    static let maxSaneValue: UInt64 = 1 << 62

    static func inRange(_ m: RaftMessage) -> Bool {
        let limit = maxSaneValue
        guard m.term < limit, m.logTerm < limit, m.index < limit, m.commit < limit, m.rejectHint < limit else {
            return false
        }
        for e in m.entries where e.index >= limit || e.term >= limit { return false }
        if let s = m.snapshot, s.index >= limit || s.term >= limit { return false }
        return true
    }

    /// Asks for a linearizable read point; the answer arrives as a `ReadState` with `context`.
    /// Fails when no leader is known (the request cannot be forwarded).
    @discardableResult
    mutating func readIndex(_ context: [UInt8]) -> Result<Void, RaftError> {
        raft.step(RaftMessage(type: .readIndex, context: context))
    }

    /// Asks the leader to hand leadership to `transferee` (forwarded if we are a follower).
    /// Fails when no leader is known.
    @discardableResult
    mutating func transferLeader(to transferee: UInt64) -> Result<Void, RaftError> {
        raft.step(RaftMessage(type: .transferLeader, from: transferee))
    }

    /// Applies a committed conf change; returns the configuration now in force.
    @discardableResult
    mutating func applyConfChange(_ cc: RaftConfChange) -> ConfState {
        raft.applyConfChange(cc)
    }

    /// The transport could not reach `id`.
    mutating func reportUnreachable(_ id: UInt64) {
        raft.step(RaftMessage(type: .unreachable, from: id))
    }

    /// Whether the snapshot sent to `id` arrived.
    mutating func reportSnapshot(_ id: UInt64, failed: Bool) {
        raft.step(RaftMessage(type: .snapStatus, from: id, reject: failed))
    }

    /// A mutating getter only so that it reads the node in place: a plain getter on a node
    /// stored in a class (an etcd member) copies the whole node, with every array in it,
    /// on each call, and this is asked after every message.
    var hasReady: Bool {
        mutating get {
            if raft.softState != prevSoftState { return true }
            let hs = raft.hardState
            if !hs.isEmpty && hs != prevHardState { return true }
            if raft.raftLog.hasPendingSnapshot { return true }
            if !raft.msgs.isEmpty || !raft.raftLog.unstable.entries.isEmpty || !raft.readStates.isEmpty { return true }
            return raft.raftLog.hasNextCommittedEnts
        }
    }

    /// Collects the pending work. Messages and read states are handed over once; entries,
    /// hard state and committed entries stay pending until `advance`.
    mutating func ready() -> Ready {
        var rd = Ready()
        rd.entries = raft.raftLog.unstable.entries
        rd.committedEntries = raft.raftLog.nextCommittedEnts()
        rd.messages = raft.msgs
        rd.readStates = raft.readStates
        rd.snapshot = raft.raftLog.unstable.snapshot
        let soft = raft.softState
        if soft != prevSoftState {
            rd.softState = soft
            prevSoftState = soft
        }
        let hard = raft.hardState
        if !hard.isEmpty && hard != prevHardState { rd.hardState = hard }
        rd.mustSync = !rd.entries.isEmpty || hard.term != prevHardState.term || hard.vote != prevHardState.vote
        raft.msgs.removeAll(keepingCapacity: true)
        raft.readStates.removeAll()
        return rd
    }

    /// Acknowledges that `rd` was persisted, sent and applied.
    mutating func advance(_ rd: Ready) {
        if let hs = rd.hardState { prevHardState = hs }
        if let last = rd.committedEntries.last {
            raft.raftLog.appliedTo(last.index)
        } else if let s = rd.snapshot {
            raft.raftLog.appliedTo(s.index)
        }
        if let e = rd.entries.last { raft.raftLog.stableTo(e.index, term: e.term) }
        if let s = rd.snapshot { raft.raftLog.stableSnapTo(s.index) }
        // A single voter commits on append, so it may release reads held for its first commit.
        if raft.state == .leader { raft.releasePendingReadIndexMessages() }
    }

    func status() -> RaftStatus {
        var progress: [(id: UInt64, progress: Progress)] = []
        if raft.state == .leader {
            progress = Array(zip(raft.trk.ids, raft.trk.progress)).map { (id: $0.0, progress: $0.1) }
        }
        return RaftStatus(id: raft.id, hardState: raft.hardState, softState: raft.softState,
                          applied: raft.raftLog.applied, lastIndex: raft.raftLog.lastIndex,
                          leadTransferee: raft.leadTransferee,
                          randomizedElectionTimeout: raft.randomizedElectionTimeout,
                          config: raft.trk.confState, progress: progress)
    }

    /// Test hook: pins the randomized election timeout (also after every reset), as etcd's
    /// `set-randomized-election-timeout` does; nil restores random draws.
    mutating func _setRandomizedElectionTimeout(_ ticks: Int?) {
        raft._fixedRandomizedElectionTimeout = ticks.map { max(1, $0) }
        raft.resetRandomizedElectionTimeout()
    }
}
