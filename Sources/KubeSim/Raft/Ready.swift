/// Everything a member wants done, handed out by `RawNode.ready()` (etcd `Ready`).
///
/// The embedding must, in this order:
/// 1. write `snapshot` (if any), then `entries`, then `hardState` to the member's `RaftStorage`
///    (an entry at index i replaces every stored entry from i on);
/// 2. only then deliver `messages`: a vote or an acknowledgement must never be sent before
///    the term, vote and entries it promises are durable (Raft paper Figure 2);
/// 3. apply `snapshot` and `committedEntries` to the state machine, calling
///    `RawNode.applyConfChange` for each conf-change entry; serve `readStates` once applied;
/// 4. call `RawNode.advance(_:)` with this value.
struct Ready {
    /// The new leader and role, nil if unchanged.
    var softState: SoftState?
    /// The new term/vote/commit to persist, nil if unchanged.
    var hardState: HardState?
    /// Linearizable read points released since the last `Ready`.
    var readStates: [ReadState] = []
    /// New entries to append to stable storage.
    var entries: [RaftEntry] = []
    /// A snapshot received from the leader, to store and apply.
    var snapshot: RaftSnapshot?
    /// Entries now committed, to apply in order.
    var committedEntries: [RaftEntry] = []
    /// Messages to send after the above is durable.
    var messages: [RaftMessage] = []
    /// Whether the write must be synced (entries, or a new term or vote).
    var mustSync = false
}
