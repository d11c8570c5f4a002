/// The kinds of Raft message, named as etcd-io/raft's `raftpb.MessageType`.
///
/// Local messages (`hup`, `beat`, `checkQuorum`, `unreachable`, `snapStatus`) never cross the
/// network: a tick or the embedding steps them into the member itself, so timers are replayable
/// as messages (etcd-io/raft `raft.go`, `tickElection`/`tickHeartbeat`).
enum RaftMessageType: UInt8, Sendable, CustomStringConvertible {
    case hup, beat, prop, app, appResp, vote, voteResp, snap, heartbeat, heartbeatResp
    case unreachable, snapStatus, checkQuorum, transferLeader, timeoutNow
    case readIndex, readIndexResp, preVote, preVoteResp

    var description: String {
        switch self {
        case .hup: "MsgHup"
        case .beat: "MsgBeat"
        case .prop: "MsgProp"
        case .app: "MsgApp"
        case .appResp: "MsgAppResp"
        case .vote: "MsgVote"
        case .voteResp: "MsgVoteResp"
        case .snap: "MsgSnap"
        case .heartbeat: "MsgHeartbeat"
        case .heartbeatResp: "MsgHeartbeatResp"
        case .unreachable: "MsgUnreachable"
        case .snapStatus: "MsgSnapStatus"
        case .checkQuorum: "MsgCheckQuorum"
        case .transferLeader: "MsgTransferLeader"
        case .timeoutNow: "MsgTimeoutNow"
        case .readIndex: "MsgReadIndex"
        case .readIndexResp: "MsgReadIndexResp"
        case .preVote: "MsgPreVote"
        case .preVoteResp: "MsgPreVoteResp"
        }
    }

    /// Messages a member only ever sends to itself (etcd `IsLocalMsg`).
    var isLocal: Bool {
        switch self {
        case .hup, .beat, .unreachable, .snapStatus, .checkQuorum: true
        default: false
        }
    }

    /// Responses, which are meaningless from a member the receiver does not track
    /// (etcd `IsResponseMsg`).
    var isResponse: Bool {
        switch self {
        case .appResp, .voteResp, .heartbeatResp, .unreachable, .preVoteResp: true
        default: false
        }
    }

    /// The response type for a (pre-)vote request.
    var voteResponse: RaftMessageType {
        switch self {
        case .preVote: .preVoteResp
        default: .voteResp
        }
    }
}

/// One Raft message: a request or response between members, or a local event.
///
/// As in etcd's `raftpb.Message`, the meaning of `index`/`logTerm` depends on the type: for
/// `MsgApp` they name the entry preceding `entries`; for votes the candidate's last entry; for
/// `MsgAppResp` the index acknowledged or rejected. `context` carries the ReadIndex request
/// context (on `MsgReadIndex`, `MsgHeartbeat` and their responses) and the transfer marker on votes.
struct RaftMessage: Sendable, Equatable {
    var type: RaftMessageType
    var to: UInt64 = 0
    var from: UInt64 = 0
    var term: UInt64 = 0
    var logTerm: UInt64 = 0
    var index: UInt64 = 0
    var entries: [RaftEntry] = []
    var commit: UInt64 = 0
    var snapshot: RaftSnapshot? = nil
    var reject: Bool = false
    var rejectHint: UInt64 = 0
    var context: [UInt8] = []

    init(type: RaftMessageType, to: UInt64 = 0, from: UInt64 = 0, term: UInt64 = 0,
         logTerm: UInt64 = 0, index: UInt64 = 0, entries: [RaftEntry] = [], commit: UInt64 = 0,
         snapshot: RaftSnapshot? = nil, reject: Bool = false, rejectHint: UInt64 = 0,
         context: [UInt8] = []) {
        self.type = type
        self.to = to
        self.from = from
        self.term = term
        self.logTerm = logTerm
        self.index = index
        self.entries = entries
        self.commit = commit
        self.snapshot = snapshot
        self.reject = reject
        self.rejectHint = rejectHint
        self.context = context
    }
}

/// The marker a leadership-transfer campaign puts in its vote requests, so voters skip the
/// leader-lease check (etcd `campaignTransfer`).
let raftCampaignTransferContext: [UInt8] = Array("CampaignTransfer".utf8)
