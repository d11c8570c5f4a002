/// The role a member plays (etcd `StateType`).
enum RaftStateType: UInt8, Sendable, CustomStringConvertible {
    case follower, candidate, leader, preCandidate

    var description: String {
        switch self {
        case .follower: "StateFollower"
        case .candidate: "StateCandidate"
        case .leader: "StateLeader"
        case .preCandidate: "StatePreCandidate"
        }
    }
}

/// The durable per-member state that must reach stable storage before any message sent in the
/// same `Ready` (Raft paper Figure 2: currentTerm and votedFor are persistent).
struct HardState: Sendable, Equatable {
    var term: UInt64 = 0
    var vote: UInt64 = 0
    var commit: UInt64 = 0

    var isEmpty: Bool { term == 0 && vote == 0 && commit == 0 }
}

/// Volatile state worth reporting when it changes: who leads and in which role we are.
struct SoftState: Sendable, Equatable {
    var lead: UInt64 = 0
    var raftState: RaftStateType = .follower
}

/// The membership a snapshot (or the current configuration) describes. Both lists are kept
/// sorted so that iteration order is the same on every run.
struct ConfState: Sendable, Equatable, CustomStringConvertible {
    var voters: [UInt64] = []
    var learners: [UInt64] = []

    init(voters: [UInt64] = [], learners: [UInt64] = []) {
        self.voters = voters.sorted()
        self.learners = learners.sorted()
    }

    func contains(_ id: UInt64) -> Bool { voters.contains(id) || learners.contains(id) }

    var description: String {
        "Voters:[\(voters.map(String.init).joined(separator: " "))] Learners:[\(learners.map(String.init).joined(separator: " "))]"
    }
}

/// A point-in-time image of the applied state machine plus the log position it covers.
struct RaftSnapshot: Sendable, Equatable, CustomStringConvertible {
    var index: UInt64 = 0
    var term: UInt64 = 0
    var confState = ConfState()
    var data: [UInt8] = []

    var isEmpty: Bool { index == 0 }

    var description: String { "Index:\(index) Term:\(term) ConfState:\(confState)" }
}

/// The answer to a ReadIndex request: once the local applied index reaches `index`, a read with
/// `requestCtx` may be served and is linearizable (Raft thesis §6.4).
struct ReadState: Sendable, Equatable {
    var index: UInt64
    var requestCtx: [UInt8]
}
