/// The candidate's and follower's step functions and the handlers of leader messages
/// (etcd `stepCandidate`, `stepFollower`, `handleAppendEntries`, `handleSnapshot`).
extension Raft {
    /// Shared by candidates and pre-candidates; only the vote response type differs.
    mutating func stepCandidate(_ m: RaftMessage) -> Result<Void, RaftError> {
        let myVoteResp: RaftMessageType = state == .preCandidate ? .preVoteResp : .voteResp
        switch m.type {
        case .prop:
            log(.info, "\(id) no leader at term \(term); dropping proposal")
            return .failure(.proposalDropped)
        case .app:
            // A leader of our term exists: it won the election we were running (§5.2).
            becomeFollower(term: m.term, lead: m.from)
            handleAppendEntries(m)
        case .heartbeat:
            becomeFollower(term: m.term, lead: m.from)
            handleHeartbeat(m)
        case .snap:
            becomeFollower(term: m.term, lead: m.from)
            handleSnapshot(m)
        case myVoteResp:
            switch poll(m.from, m.type, granted: !m.reject) {
            case .won:
                if state == .preCandidate {
                    campaign(.election)
                } else {
                    becomeLeader()
                    bcastAppend()
                }
            case .lost:
                // A pre-candidate's rejections may carry a higher term; the common term rules
                // already moved us to it. Either way we wait for the next timeout.
                becomeFollower(term: term, lead: 0)
            case .pending:
                break
            }
        case .timeoutNow:
            log(.debug, "\(id) [term \(term) state \(state)] ignored MsgTimeoutNow from \(m.from)")
        default:
            break
        }
        return .success(())
    }

    mutating func stepFollower(_ m: RaftMessage) -> Result<Void, RaftError> {
        switch m.type {
        case .prop:
            if lead == 0 {
                log(.info, "\(id) no leader at term \(term); dropping proposal")
                return .failure(.proposalDropped)
            }
            if disableProposalForwarding {
                log(.info, "\(id) not forwarding to leader \(lead) at term \(term); dropping proposal")
                return .failure(.proposalDropped)
            }
            var fwd = m
            fwd.to = lead
            send(fwd)
        case .app:
            electionElapsed = 0
            lead = m.from
            handleAppendEntries(m)
        case .heartbeat:
            electionElapsed = 0
            lead = m.from
            handleHeartbeat(m)
        case .snap:
            electionElapsed = 0
            lead = m.from
            handleSnapshot(m)
        case .transferLeader:
            if lead == 0 {
                log(.info, "\(id) no leader at term \(term); dropping leader transfer msg")
                return .failure(.proposalDropped)
            }
            var fwd = m
            fwd.to = lead
            send(fwd)
        case .timeoutNow:
            log(.info, "\(id) [term \(term)] received MsgTimeoutNow from \(m.from) and starts an election to get leadership")
            // The leader asked for it: no pre-vote, and voters skip their lease check.
            hup(.transfer)
        case .readIndex:
            if lead == 0 {
                log(.info, "\(id) no leader at term \(term); dropping index reading msg")
                return .failure(.proposalDropped)
            }
            var fwd = m
            fwd.to = lead
            send(fwd)
        case .readIndexResp:
            readStates.append(ReadState(index: m.index, requestCtx: m.context))
        default:
            break
        }
        return .success(())
    }

    /// The consistency check and append of Raft paper §5.3, answering with the last index we
    /// now match, or a rejection with a hint for fast backtracking.
    mutating func handleAppendEntries(_ m: RaftMessage) {
        // Entries must be contiguous and follow m.index; anything else is corrupt.
        for (k, e) in m.entries.enumerated() where e.index != m.index &+ 1 &+ UInt64(k) {
            log(.warn, "\(id) ignored MsgApp from \(m.from) with non-contiguous entries at index \(e.index)")
            return
        }
        if m.index < raftLog.committed {
            // Already committed here: tell the leader how far we are.
            send(RaftMessage(type: .appResp, to: m.from, index: raftLog.committed))
            return
        }
        if let lastNew = raftLog.maybeAppend(index: m.index, logTerm: m.logTerm, committed: m.commit, entries: m.entries) {
            send(RaftMessage(type: .appResp, to: m.from, index: lastNew))
            return
        }
        log(.debug, "\(id) [logterm: \(raftLog.term(m.index) ?? 0), index: \(m.index)] rejected MsgApp [logterm: \(m.logTerm), index: \(m.index)] from \(m.from)")
        // Hint: our last index whose term is ≤ the probed term. The leader can then skip all of
        // its own entries with a larger term in one round trip.
        let hint = raftLog.findConflictByTerm(index: min(m.index, raftLog.lastIndex), term: m.logTerm)
        send(RaftMessage(type: .appResp, to: m.from, logTerm: hint.term, index: m.index,
                         reject: true, rejectHint: hint.index))
    }

    mutating func handleHeartbeat(_ m: RaftMessage) {
        raftLog.commitTo(m.commit)
        send(RaftMessage(type: .heartbeatResp, to: m.from, context: m.context))
    }

    mutating func handleSnapshot(_ m: RaftMessage) {
        guard let s = m.snapshot else { return }
        if restore(s) {
            log(.info, "\(id) [commit: \(raftLog.committed)] restored snapshot [index: \(s.index), term: \(s.term)]")
            send(RaftMessage(type: .appResp, to: m.from, index: raftLog.lastIndex))
        } else {
            log(.info, "\(id) [commit: \(raftLog.committed)] ignored snapshot [index: \(s.index), term: \(s.term)]")
            send(RaftMessage(type: .appResp, to: m.from, index: raftLog.committed))
        }
    }

    /// Replaces our log and configuration with a snapshot. Returns false if it is not newer than
    /// what we have committed, or names a configuration without us.
    mutating func restore(_ s: RaftSnapshot) -> Bool {
        guard s.index > raftLog.committed else { return false }
        guard state == .follower else {
            // Only a follower is sent snapshots; a leader receiving one is confused. Step down
            // into a new term so that the cluster sorts it out (etcd's defence in depth).
            log(.warn, "\(id) attempted to restore snapshot as leader; should never happen")
            becomeFollower(term: term &+ 1, lead: 0)
            return false
        }
        guard s.confState.contains(id) else {
            log(.warn, "\(id) attempted to restore snapshot but it is not in the ConfState \(s.confState); should never happen")
            return false
        }
        if raftLog.matchTerm(s.index, s.term) {
            // We already have the entries: just commit up to the snapshot.
            log(.info, "\(id) [commit: \(raftLog.committed), lastindex: \(raftLog.lastIndex), lastterm: \(raftLog.lastTerm)] fast-forwarded commit to snapshot [index: \(s.index), term: \(s.term)]")
            raftLog.commitTo(s.index)
            return false
        }
        raftLog.restore(s)
        // The snapshot's configuration replaces ours entirely.
        trk = ProgressTracker(maxInflight: trk.maxInflight)
        applyConfState(s.confState)
        log(.info, "\(id) [commit: \(raftLog.committed), lastindex: \(raftLog.lastIndex), lastterm: \(raftLog.lastTerm)] restored snapshot [index: \(s.index), term: \(s.term)]")
        return true
    }
}
