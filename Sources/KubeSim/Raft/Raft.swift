/// Why a proposal or request was not accepted (etcd `ErrProposalDropped` and friends).
enum RaftError: Error, Sendable, Equatable {
    /// No leader is known, a leadership transfer is in progress, or this member was removed.
    case proposalDropped
    /// A local-only message type arrived from the network, or a response from an unknown member.
    case invalidMessage
}

/// How a campaign is run (etcd `CampaignType`).
enum CampaignType: Sendable {
    /// PreVote first (Raft thesis §9.6).
    case preElection
    /// A real election: bump the term and ask for votes.
    case election
    /// An election ordered by the leader (MsgTimeoutNow): skips PreVote and voters' leases.
    case transfer
}

/// The Raft protocol for one member, as a pure state machine (etcd-io/raft `raft`).
///
/// Everything enters through `step` (messages, including local ones such as `MsgHup`) and
/// `tick`. Nothing is performed: outgoing messages pile up in `msgs`, new entries in
/// `raftLog.unstable`, and `RawNode` hands them to the embedding in a `Ready`.
/// The role selects the step function: `stepLeader`, `stepCandidate` (also pre-candidates) or
/// `stepFollower`.
struct Raft {
    let id: UInt64
    var term: UInt64 = 0
    var vote: UInt64 = 0
    var readStates: [ReadState] = []
    var raftLog: RaftLog
    let maxMsgSize: UInt64
    var trk: ProgressTracker
    var state: RaftStateType = .follower
    /// This member is a learner in the current configuration.
    var isLearner = false
    var msgs: [RaftMessage] = []
    /// The leader of the current term, 0 if unknown.
    var lead: UInt64 = 0
    /// The target of a leadership transfer in progress, 0 if none.
    var leadTransferee: UInt64 = 0
    /// Index of the latest conf change appended by this leader; a new one waits until it is
    /// applied (at most one pending configuration change).
    var pendingConfIndex: UInt64 = 0
    var readOnly = ReadOnly()
    /// ReadIndex requests that arrived before this leader committed an entry of its term.
    var pendingReadIndexMessages: [RaftMessage] = []
    /// Leader: ticks since the last CheckQuorum. Others: ticks since the last valid leader
    /// contact (the leader lease for votes) or the start of the current campaign.
    var electionElapsed = 0
    var heartbeatElapsed = 0
    let checkQuorum: Bool
    let preVote: Bool
    let heartbeatTimeout: Int
    let electionTimeout: Int
    var randomizedElectionTimeout = 0
    /// Test hook: a fixed value instead of a random draw after every reset.
    var _fixedRandomizedElectionTimeout: Int?
    let disableProposalForwarding: Bool
    let stepDownOnRemoval: Bool
    var rng: SeededRandom
    var logger: (any RaftLogSink)?

    init(config: RaftConfig, storage: RaftStorage, logger: (any RaftLogSink)? = nil) {
        id = config.id
        raftLog = RaftLog(storage: storage, maxNextEntsSize: config.maxCommittedSizePerReady)
        maxMsgSize = config.maxSizePerMsg
        trk = ProgressTracker(maxInflight: max(1, config.maxInflightMsgs))
        checkQuorum = config.checkQuorum
        preVote = config.preVote
        heartbeatTimeout = max(1, config.heartbeatTick)
        electionTimeout = max(heartbeatTimeout + 1, config.electionTick)
        disableProposalForwarding = config.disableProposalForwarding
        stepDownOnRemoval = config.stepDownOnRemoval
        rng = SeededRandom(seed: config.seed, stream: "raft/\(config.id)")
        self.logger = logger

        let (hardState, confState) = storage.initialState()
        applyConfState(confState)
        if !hardState.isEmpty { loadState(hardState) }
        if config.applied > 0 { raftLog.appliedTo(config.applied) }
        becomeFollower(term: term, lead: 0)

        log(.info, "newRaft \(id) [peers: [\(trk.ids.map(String.init).joined(separator: ","))], term: \(term), commit: \(raftLog.committed), applied: \(raftLog.applied), lastindex: \(raftLog.lastIndex), lastterm: \(raftLog.lastTerm)]")
    }

    // MARK: logging

    func log(_ level: RaftLogLevel, _ line: @autoclosure () -> String) {
        guard let logger, level >= logger.minimumLevel else { return }
        logger.log(level, line())
    }

    // MARK: state

    var softState: SoftState { SoftState(lead: lead, raftState: state) }

    var hardState: HardState { HardState(term: term, vote: vote, commit: raftLog.committed) }

    /// Restores term, vote and commit after a restart. A commit index outside the log is
    /// ignored rather than trusted.
    mutating func loadState(_ hs: HardState) {
        raftLog.commitTo(hs.commit)
        term = hs.term
        vote = hs.vote
    }

    /// Only a voter can campaign; a member that was removed, a learner, or one still applying
    /// a received snapshot cannot (etcd `promotable`).
    var promotable: Bool {
        trk.isVoter(id) && !raftLog.hasPendingSnapshot
    }

    var pastElectionTimeout: Bool { electionElapsed >= randomizedElectionTimeout }

    mutating func resetRandomizedElectionTimeout() {
        if let fixed = _fixedRandomizedElectionTimeout {
            randomizedElectionTimeout = fixed
        } else {
            randomizedElectionTimeout = electionTimeout + rng.int(below: electionTimeout)
        }
    }

    /// Clears everything that belongs to a term (etcd `reset`).
    mutating func reset(term newTerm: UInt64) {
        if term != newTerm {
            term = newTerm
            vote = 0
        }
        lead = 0
        electionElapsed = 0
        heartbeatElapsed = 0
        resetRandomizedElectionTimeout()
        abortLeaderTransfer()
        trk.resetVotes()
        let last = raftLog.lastIndex
        let me = id
        let maxInflight = trk.maxInflight
        trk.updateAll { pid, pr in
            var fresh = Progress(next: last &+ 1, maxInflight: maxInflight, isLearner: pr.isLearner)
            if pid == me { fresh.match = last }
            pr = fresh
        }
        pendingConfIndex = 0
        readOnly = ReadOnly()
        pendingReadIndexMessages = []
    }

    mutating func becomeFollower(term newTerm: UInt64, lead newLead: UInt64) {
        reset(term: newTerm)
        lead = newLead
        state = .follower
        log(.info, "\(id) became follower at term \(term)")
    }

    mutating func becomeCandidate() {
        guard state != .leader else {
            log(.error, "\(id) invalid transition [leader -> candidate]")
            return
        }
        reset(term: term &+ 1)
        vote = id
        state = .candidate
        log(.info, "\(id) became candidate at term \(term)")
    }

    /// A pre-candidate keeps its term and vote: the pre-election changes nothing durable.
    mutating func becomePreCandidate() {
        guard state != .leader else {
            log(.error, "\(id) invalid transition [leader -> pre-candidate]")
            return
        }
        trk.resetVotes()
        lead = 0
        state = .preCandidate
        log(.info, "\(id) became pre-candidate at term \(term)")
    }

    mutating func becomeLeader() {
        guard state != .follower else {
            log(.error, "\(id) invalid transition [follower -> leader]")
            return
        }
        reset(term: term)
        lead = id
        state = .leader
        // The leader trivially replicates to itself (reset set its match to lastIndex).
        trk.update(id) { pr in
            pr.becomeReplicate()
            pr.recentActive = true
        }
        // An unapplied conf change may sit in the uncommitted tail: be conservative.
        pendingConfIndex = raftLog.lastIndex
        // The empty entry commits everything before it and lets ReadIndex proceed
        // (Raft paper §5.4.2, thesis §6.4).
        _ = appendEntries([RaftEntry()])
        log(.info, "\(id) became leader at term \(term)")
    }

    // MARK: sending

    /// Queues a message. Term is stamped here, except on votes (which carry the campaign's
    /// term) and on proposals/read requests being forwarded (which are local to the leader).
    mutating func send(_ m: consuming RaftMessage) {
        // Taken, not copied: callers build the message to send it (a copy retains its arrays).
        var m = m
        if m.from == 0 { m.from = id }
        switch m.type {
        case .vote, .voteResp, .preVote, .preVoteResp:
            break
        case .prop, .readIndex:
            m.term = 0
        default:
            m.term = term
        }
        msgs.append(m)
    }

    // MARK: ticking

    /// Advances logical time by one tick (etcd `tick`).
    mutating func tick() {
        switch state {
        case .leader: tickHeartbeat()
        case .follower, .candidate, .preCandidate: tickElection()
        }
    }

    private mutating func tickElection() {
        electionElapsed += 1
        if promotable && pastElectionTimeout {
            electionElapsed = 0
            _ = step(RaftMessage(type: .hup, from: id))
        }
    }

    private mutating func tickHeartbeat() {
        heartbeatElapsed += 1
        electionElapsed += 1
        if electionElapsed >= electionTimeout {
            electionElapsed = 0
            if checkQuorum { _ = step(RaftMessage(type: .checkQuorum, from: id)) }
            // A transfer that has not finished within an election timeout is abandoned.
            if state == .leader && leadTransferee != 0 { abortLeaderTransfer() }
        }
        guard state == .leader else { return }
        if heartbeatElapsed >= heartbeatTimeout {
            heartbeatElapsed = 0
            _ = step(RaftMessage(type: .beat, from: id))
        }
    }

    // MARK: step

    /// Handles one message (etcd `Step`): first the term rules common to every role
    /// (Raft paper §5.1), then the role's step function.
    @discardableResult
    mutating func step(_ m: RaftMessage) -> Result<Void, RaftError> {
        if m.term == 0 {
            // Local message (or a proposal/read request forwarded by a follower).
        } else if m.term > term {
            if m.type == .vote || m.type == .preVote {
                let force = m.context == raftCampaignTransferContext
                let inLease = checkQuorum && lead != 0 && electionElapsed < electionTimeout
                if !force && inLease {
                    // We heard from a leader within the minimum election timeout: a vote now
                    // could only disrupt it (Raft thesis §4.2.3; etcd with CheckQuorum).
                    log(.info, "\(id) [logterm: \(raftLog.lastTerm), index: \(raftLog.lastIndex), vote: \(vote)] ignored \(m.type) from \(m.from) [logterm: \(m.logTerm), index: \(m.index)] at term \(term): lease is not expired (remaining ticks: \(electionTimeout - electionElapsed))")
                    return .success(())
                }
            }
            switch m.type {
            case .preVote:
                // A pre-vote never changes our term.
                break
            case .preVoteResp where !m.reject:
                // The term in a granted pre-vote is the one we would campaign at; the term is
                // bumped only when the pre-election is won.
                break
            default:
                log(.info, "\(id) [term: \(term)] received a \(m.type) message with higher term from \(m.from) [term: \(m.term)]")
                if m.type == .app || m.type == .heartbeat || m.type == .snap {
                    becomeFollower(term: m.term, lead: m.from)
                } else {
                    becomeFollower(term: m.term, lead: 0)
                }
            }
        } else if m.term < term {
            if (checkQuorum || preVote) && (m.type == .heartbeat || m.type == .app) {
                // A member cut off by a partition may have raised its term by campaigning and
                // now ignores the leader forever. Answering tells the leader our term, so it
                // steps down and a new election includes us (etcd; see TestFreeStuckCandidate).
                send(RaftMessage(type: .appResp, to: m.from))
            } else if m.type == .preVote {
                log(.info, "\(id) [logterm: \(raftLog.lastTerm), index: \(raftLog.lastIndex), vote: \(vote)] rejected \(m.type) from \(m.from) [logterm: \(m.logTerm), index: \(m.index)] at term \(term)")
                send(RaftMessage(type: .preVoteResp, to: m.from, term: term, reject: true))
            } else {
                log(.info, "\(id) [term: \(term)] ignored a \(m.type) message with lower term from \(m.from) [term: \(m.term)]")
            }
            return .success(())
        }

        switch m.type {
        case .hup:
            hup(preVote ? .preElection : .election)
        case .vote, .preVote:
            // We can vote if this is a repeat of a vote we cast, or we have not voted and know no
            // leader this term, or it is a pre-vote for a future term.
            let canVote = vote == m.from
                || (vote == 0 && lead == 0)
                || (m.type == .preVote && m.term > term)
            if canVote && raftLog.isUpToDate(lastIndex: m.index, term: m.logTerm) {
                log(.info, "\(id) [logterm: \(raftLog.lastTerm), index: \(raftLog.lastIndex), vote: \(vote)] cast \(m.type) for \(m.from) [logterm: \(m.logTerm), index: \(m.index)] at term \(term)")
                // The response carries the request's term: a pre-vote grant must be
                // recognisable by the pre-candidate, whose own term is lower.
                send(RaftMessage(type: m.type.voteResponse, to: m.from, term: m.term))
                if m.type == .vote {
                    electionElapsed = 0
                    vote = m.from
                }
            } else {
                log(.info, "\(id) [logterm: \(raftLog.lastTerm), index: \(raftLog.lastIndex), vote: \(vote)] rejected \(m.type) from \(m.from) [logterm: \(m.logTerm), index: \(m.index)] at term \(term)")
                send(RaftMessage(type: m.type.voteResponse, to: m.from, term: term, reject: true))
            }
        default:
            switch state {
            case .leader: return stepLeader(m)
            case .candidate, .preCandidate: return stepCandidate(m)
            case .follower: return stepFollower(m)
            }
        }
        return .success(())
    }

    // MARK: elections

    mutating func hup(_ t: CampaignType) {
        if state == .leader {
            log(.debug, "\(id) ignoring MsgHup because already leader")
            return
        }
        if !promotable {
            log(.warn, "\(id) is unpromotable and can not campaign")
            return
        }
        if hasUnappliedConfChanges() {
            log(.warn, "\(id) cannot campaign at term \(term) since there are still pending configuration changes to apply")
            return
        }
        log(.info, "\(id) is starting a new election at term \(term)")
        campaign(t)
    }

    /// A member must not campaign while a committed conf change is unapplied: it might not
    /// know its own (new) configuration yet.
    func hasUnappliedConfChanges() -> Bool {
        guard raftLog.applied < raftLog.committed else { return false }
        let ents = (try? raftLog.slice(raftLog.applied &+ 1, raftLog.committed &+ 1, maxSize: .max)) ?? []
        return ents.contains { $0.type == .confChange }
    }

    mutating func campaign(_ t: CampaignType) {
        guard promotable else {
            log(.warn, "\(id) is unpromotable; campaign() should have been called")
            return
        }
        let voteType: RaftMessageType
        let campaignTerm: UInt64
        if t == .preElection {
            becomePreCandidate()
            voteType = .preVote
            // The pre-vote asks about the term we would use, without adopting it.
            campaignTerm = term &+ 1
        } else {
            becomeCandidate()
            voteType = .vote
            campaignTerm = term
        }
        // Vote for ourselves first; a single-voter cluster wins right here.
        if poll(id, voteType.voteResponse, granted: true) == .won {
            if t == .preElection {
                campaign(.election)
            } else {
                becomeLeader()
            }
            return
        }
        let lastIndex = raftLog.lastIndex, lastTerm = raftLog.lastTerm
        for voter in trk.voters where voter != id {
            log(.info, "\(id) [logterm: \(lastTerm), index: \(lastIndex)] sent \(voteType) request to \(voter) at term \(term)")
            send(RaftMessage(type: voteType, to: voter, term: campaignTerm, logTerm: lastTerm, index: lastIndex,
                             context: t == .transfer ? raftCampaignTransferContext : []))
        }
    }

    mutating func poll(_ from: UInt64, _ t: RaftMessageType, granted: Bool) -> VoteResult {
        if granted {
            log(.info, "\(id) received \(t) from \(from) at term \(term)")
        } else {
            log(.info, "\(id) received \(t) rejection from \(from) at term \(term)")
        }
        trk.recordVote(from, granted: granted)
        let tally = trk.tallyVotes()
        log(.info, "\(id) has received \(tally.granted) \(t) votes and \(tally.rejected) vote rejections")
        return tally.result
    }

    // MARK: log

    /// Appends entries proposed to this leader, stamping term and index, and counts them as
    /// replicated on the leader itself (thesis §10.2.1: the leader may write in parallel).
    mutating func appendEntries(_ es: [RaftEntry]) -> Bool {
        var es = es
        let li = raftLog.lastIndex
        for k in es.indices {
            es[k].term = term
            es[k].index = li &+ 1 &+ UInt64(k)
        }
        let newLast = raftLog.append(es)
        trk.update(id) { _ = $0.maybeUpdate(newLast) }
        // A single-voter cluster commits on append.
        _ = maybeCommit()
        return true
    }

    /// Advances the commit index to what a quorum has stored, if that entry is of this term.
    mutating func maybeCommit() -> Bool {
        raftLog.maybeCommit(maxIndex: trk.committed(), term: term)
    }

    func committedEntryInCurrentTerm() -> Bool {
        raftLog.term(raftLog.committed) == term
    }

    mutating func abortLeaderTransfer() { leadTransferee = 0 }
}
