/// The leader's step function and replication (etcd `stepLeader`, `maybeSendAppend`).
extension Raft {
    mutating func stepLeader(_ m: RaftMessage) -> Result<Void, RaftError> {
        // Messages that need no progress of the sender.
        switch m.type {
        case .beat:
            bcastHeartbeat()
            return .success(())
        case .checkQuorum:
            if !trk.quorumActive() {
                log(.warn, "\(id) stepped down to follower since quorum is not active")
                becomeFollower(term: term, lead: 0)
            }
            // Start a new activity window: everyone but us must prove itself again.
            let me = id
            trk.updateAll { pid, pr in if pid != me { pr.recentActive = false } }
            return .success(())
        case .prop:
            return propose(m)
        case .readIndex:
            // A lone voter is trivially still the leader.
            if trk.isSingleton {
                respondToReadIndex(m, readIndex: raftLog.committed)
                return .success(())
            }
            // A new leader does not know the commit index of its predecessor until it commits
            // an entry of its own term (thesis §6.4): postpone the read until then.
            if !committedEntryInCurrentTerm() {
                pendingReadIndexMessages.append(m)
                return .success(())
            }
            sendReadIndexConfirmation(m)
            return .success(())
        default:
            break
        }

        guard let k = trk.position(of: m.from) else {
            log(.debug, "\(id) no progress available for \(m.from)")
            return .success(())
        }
        switch m.type {
        case .appResp:
            trk.progress[k].recentActive = true
            if m.reject {
                handleAppendRejection(m, at: k)
            } else {
                handleAppendSuccess(m, at: k)
            }
        case .heartbeatResp:
            trk.progress[k].recentActive = true
            trk.progress[k].msgAppFlowPaused = false
            // The follower is alive: if the window is full, assume the oldest MsgApp was lost.
            if trk.progress[k].state == .replicate && trk.progress[k].inflights.isFull {
                trk.progress[k].inflights.freeFirstOne()
            }
            if trk.progress[k].match < raftLog.lastIndex {
                sendAppend(to: m.from)
            }
            guard !m.context.isEmpty,
                  let acks = readOnly.recvAck(from: m.from, context: m.context),
                  trk.voteResult(acks: acks) == .won
            else { return .success(()) }
            for rs in readOnly.advance(context: m.context) {
                respondToReadIndex(rs.request, readIndex: rs.index)
            }
        case .snapStatus:
            guard trk.progress[k].state == .snapshot else { return .success(()) }
            if m.reject {
                // Forget the snapshot: probe again, which sends a new one if still needed.
                trk.progress[k].pendingSnapshot = 0
                trk.progress[k].becomeProbe()
                log(.debug, "\(id) snapshot failed, resumed sending replication messages to \(m.from) [\(trk.progress[k])]")
            } else {
                trk.progress[k].becomeProbe()
                log(.debug, "\(id) snapshot succeeded, resumed sending replication messages to \(m.from) [\(trk.progress[k])]")
            }
            // Wait for the follower's MsgAppResp (or a heartbeat) before probing.
            trk.progress[k].msgAppFlowPaused = true
        case .unreachable:
            // The transport lost a MsgApp: stop optimistic streaming until we hear back.
            if trk.progress[k].state == .replicate { trk.progress[k].becomeProbe() }
            log(.debug, "\(id) failed to send message to \(m.from) because it is unreachable [\(trk.progress[k])]")
        case .transferLeader:
            handleTransferLeader(m, at: k)
        default:
            break
        }
        return .success(())
    }

    private mutating func propose(_ m: RaftMessage) -> Result<Void, RaftError> {
        guard !m.entries.isEmpty else { return .failure(.proposalDropped) }
        guard trk.contains(id) else {
            // Removed from the configuration: we cannot commit anything any more.
            return .failure(.proposalDropped)
        }
        if leadTransferee != 0 {
            log(.debug, "\(id) [term \(term)] transfer leadership to \(leadTransferee) is in progress; dropping proposal")
            return .failure(.proposalDropped)
        }
        var entries = m.entries
        for k in entries.indices where entries[k].type == .confChange {
            // Single-server changes are only safe one at a time: a second change while the
            // first is unapplied becomes an empty entry (etcd; Raft thesis §4.1).
            if pendingConfIndex > raftLog.applied {
                let text = RaftConfChange(decoding: entries[k].data).map(\.description) ?? "?"
                log(.info, "\(id) ignoring conf change \(text) at config \(configDescription): possible unapplied conf change at index \(pendingConfIndex) (applied to \(raftLog.applied))")
                entries[k] = RaftEntry(type: .normal)
            } else {
                pendingConfIndex = raftLog.lastIndex &+ UInt64(k) &+ 1
            }
        }
        guard appendEntries(entries) else { return .failure(.proposalDropped) }
        bcastAppend()
        return .success(())
    }

    private mutating func handleAppendRejection(_ m: RaftMessage, at k: Int) {
        log(.debug, "\(id) received MsgAppResp(rejected, hint: (index \(m.rejectHint), term \(m.logTerm))) from \(m.from) for index \(m.index)")
        // Fast backtracking (etcd; Raft paper §5.3 "optimization"): the follower's hint names
        // its last index whose term is ≤ the probed term. If that term is known we can skip
        // every index of ours with a larger term, so each round trip skips a whole term.
        var nextProbe = m.rejectHint
        if m.logTerm > 0 {
            nextProbe = raftLog.findConflictByTerm(index: m.rejectHint, term: m.logTerm).index
        }
        guard trk.progress[k].maybeDecrTo(rejected: m.index, matchHint: nextProbe) else { return }
        log(.debug, "\(id) decreased progress of \(m.from) to [\(trk.progress[k])]")
        if trk.progress[k].state == .replicate { trk.progress[k].becomeProbe() }
        sendAppend(to: m.from)
    }

    private mutating func handleAppendSuccess(_ m: RaftMessage, at k: Int) {
        // A follower cannot hold more of this term's log than the leader: such an ack is bogus.
        guard m.index <= raftLog.lastIndex else { return }
        let wasPaused = trk.progress[k].isPaused
        guard trk.progress[k].maybeUpdate(m.index) else { return }
        switch trk.progress[k].state {
        case .probe:
            trk.progress[k].becomeReplicate()
        case .snapshot where trk.progress[k].match &+ 1 >= raftLog.firstIndex:
            // Whatever snapshot got it there, the follower can now be caught up from the log.
            log(.debug, "\(id) recovered from needing snapshot, resumed sending replication messages to \(m.from) [\(trk.progress[k])]")
            trk.progress[k].becomeProbe()
            trk.progress[k].becomeReplicate()
        case .replicate:
            trk.progress[k].inflights.freeLE(m.index)
        case .snapshot:
            break
        }
        if maybeCommit() {
            releasePendingReadIndexMessages()
            bcastAppend()
        } else if wasPaused {
            // The follower was waiting on us: answer now rather than at the next heartbeat.
            sendAppend(to: m.from)
        }
        // The window may have opened for several size-limited MsgApps.
        while maybeSendAppend(to: m.from, sendIfEmpty: false) {}
        if m.from == leadTransferee, trk.progress[k].match == raftLog.lastIndex {
            log(.info, "\(id) sent MsgTimeoutNow to \(m.from) after received MsgAppResp")
            send(RaftMessage(type: .timeoutNow, to: m.from))
        }
    }

    private mutating func handleTransferLeader(_ m: RaftMessage, at k: Int) {
        let transferee = m.from
        if trk.progress[k].isLearner {
            log(.debug, "\(id) is learner. Ignored transferring leadership")
            return
        }
        if leadTransferee != 0 {
            if leadTransferee == transferee {
                log(.info, "\(id) [term \(term)] transfer leadership to \(transferee) is in progress, ignores request to same node \(transferee)")
                return
            }
            log(.info, "\(id) [term \(term)] abort previous transferring leadership to \(leadTransferee)")
            abortLeaderTransfer()
        }
        if transferee == id {
            log(.debug, "\(id) is already leader. Ignored transferring leadership to self")
            return
        }
        log(.info, "\(id) [term \(term)] starts to transfer leadership to \(transferee)")
        // The transfer must finish within one election timeout (Raft thesis §3.10).
        electionElapsed = 0
        leadTransferee = transferee
        if trk.progress[k].match == raftLog.lastIndex {
            send(RaftMessage(type: .timeoutNow, to: transferee))
            log(.info, "\(id) sends MsgTimeoutNow to \(transferee) immediately as \(transferee) already has up-to-date log")
        } else {
            sendAppend(to: transferee)
        }
    }

    // MARK: replication

    mutating func sendAppend(to: UInt64) {
        _ = maybeSendAppend(to: to, sendIfEmpty: true)
    }

    /// Sends a MsgApp with new entries (or, if `sendIfEmpty`, an empty one that carries the
    /// commit index and probes) unless the follower's flow is paused. Falls back to a snapshot
    /// when the entries it needs are compacted. Returns whether a message was sent.
    @discardableResult
    mutating func maybeSendAppend(to: UInt64, sendIfEmpty: Bool) -> Bool {
        guard to != id, let k = trk.position(of: to) else { return false }
        if trk.progress[k].isPaused { return false }
        let next = trk.progress[k].next
        guard next >= 1 else { return false }
        let prevIndex = next - 1
        let prevTerm = raftLog.term(prevIndex)
        let ents: [RaftEntry]?
        do {
            ents = try raftLog.entries(from: next, maxSize: maxMsgSize)
        } catch {
            ents = nil
        }
        if let ents, ents.isEmpty, !sendIfEmpty { return false }
        guard let prevTerm, let ents else {
            return maybeSendSnapshot(to: to, at: k)
        }
        trk.progress[k].sentEntries(ents.count, lastIndex: ents.last?.index ?? prevIndex)
        send(RaftMessage(type: .app, to: to, logTerm: prevTerm, index: prevIndex, entries: ents,
                         commit: raftLog.committed))
        return true
    }

    private mutating func maybeSendSnapshot(to: UInt64, at k: Int) -> Bool {
        guard trk.progress[k].recentActive else {
            log(.debug, "\(id) ignore sending snapshot to \(to) since it is not recently active")
            return false
        }
        guard let snap = raftLog.snapshot else {
            log(.debug, "\(id) failed to send snapshot to \(to) because snapshot is temporarily unavailable")
            return false
        }
        log(.debug, "\(id) [firstindex: \(raftLog.firstIndex), commit: \(raftLog.committed)] sent snapshot[index: \(snap.index), term: \(snap.term)] to \(to) [\(trk.progress[k])]")
        trk.progress[k].becomeSnapshot(snap.index)
        log(.debug, "\(id) paused sending replication messages to \(to) [\(trk.progress[k])]")
        send(RaftMessage(type: .snap, to: to, snapshot: snap))
        return true
    }

    /// Sends new entries (or the new commit index) to every follower.
    mutating func bcastAppend() {
        for peer in trk.ids where peer != id {
            sendAppend(to: peer)
        }
    }

    mutating func bcastHeartbeat() {
        bcastHeartbeat(context: readOnly.lastPendingRequestCtx)
    }

    private mutating func bcastHeartbeat(context: [UInt8]) {
        for (k, peer) in trk.ids.enumerated() where peer != id {
            // Never tell a follower to commit beyond what it is known to hold.
            let commit = min(trk.progress[k].match, raftLog.committed)
            send(RaftMessage(type: .heartbeat, to: peer, commit: commit, context: context))
        }
    }

    // MARK: ReadIndex

    /// Records the read at the current commit index and starts a heartbeat round to confirm
    /// leadership (etcd `sendMsgReadIndexResponse` in ReadOnlySafe mode).
    private mutating func sendReadIndexConfirmation(_ m: RaftMessage) {
        readOnly.addRequest(index: raftLog.committed, m)
        // The leader acknowledges its own heartbeat.
        _ = readOnly.recvAck(from: id, context: m.context)
        bcastHeartbeat(context: m.context)
    }

    mutating func releasePendingReadIndexMessages() {
        guard !pendingReadIndexMessages.isEmpty, committedEntryInCurrentTerm() else { return }
        let pending = pendingReadIndexMessages
        pendingReadIndexMessages = []
        for m in pending { sendReadIndexConfirmation(m) }
    }

    /// A local request becomes a `ReadState`; a follower's gets a MsgReadIndexResp.
    private mutating func respondToReadIndex(_ req: RaftMessage, readIndex: UInt64) {
        if req.from == 0 || req.from == id {
            readStates.append(ReadState(index: readIndex, requestCtx: req.context))
        } else {
            send(RaftMessage(type: .readIndexResp, to: req.from, index: readIndex, context: req.context))
        }
    }
}
