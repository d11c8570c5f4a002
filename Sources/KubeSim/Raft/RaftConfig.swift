/// Parameters of one Raft member (etcd `raft.Config`).
///
/// Time is counted in ticks: the embedding calls `RawNode.tick()` every 100 ms of virtual time,
/// so the defaults (heartbeat 1 tick, election 10 ticks) are etcd's 100 ms heartbeat and
/// 1000 ms election timeout (etcd tuning guide; the seed's figures).
struct RaftConfig: Sendable {
    /// This member's id; never 0 (0 means "none" in every message field).
    var id: UInt64
    /// Ticks a follower waits without hearing from a leader before campaigning. The actual
    /// timeout is randomized in `[electionTick, 2 * electionTick)` (Raft paper §5.2).
    var electionTick = 10
    /// Ticks between a leader's heartbeats.
    var heartbeatTick = 1
    /// The index the embedding has already applied (0 on a fresh start: re-apply from the
    /// snapshot).
    var applied: UInt64 = 0
    /// Byte budget of one MsgApp's entries (at least one entry is always sent; 0 means one
    /// entry per message).
    var maxSizePerMsg: UInt64 = 1 << 20
    /// Byte budget of the committed entries handed out in one `Ready`.
    var maxCommittedSizePerReady: UInt64 = 64 << 20
    /// MsgApps in flight to one follower in replicate state.
    var maxInflightMsgs = 256
    /// Run a pre-election that does not bump terms, so a member rejoining from a partition
    /// cannot depose a healthy leader (Raft thesis §9.6).
    var preVote = true
    /// A leader steps down when it has not heard from a quorum in an election timeout, and
    /// followers ignore votes while their leader lease holds (etcd `CheckQuorum`).
    var checkQuorum = true
    /// A leader removed from the configuration steps down once the removal is applied (etcd
    /// `StepDownOnRemoval`; etcd defaults to false, we default to true).
    var stepDownOnRemoval = true
    /// Followers drop proposals instead of forwarding them to the leader.
    var disableProposalForwarding = false
    /// Seeds this member's randomized election timeouts (with the id as stream label).
    var seed: UInt64 = 0

    init(id: UInt64) { self.id = id }

    /// Why the configuration cannot be used, or nil (etcd `Config.validate`).
    func validate() -> String? {
        if id == 0 { return "cannot use none as id" }
        if heartbeatTick <= 0 { return "heartbeat tick must be greater than 0" }
        if electionTick <= heartbeatTick { return "election tick must be greater than heartbeat tick" }
        if maxInflightMsgs <= 0 { return "max inflight messages must be greater than 0" }
        return nil
    }
}
