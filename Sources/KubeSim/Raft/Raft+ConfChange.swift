/// Single-server membership changes (Raft thesis §4.1; etcd ConfChange v1).
///
/// A change takes effect when the embedding applies its committed entry and calls
/// `RawNode.applyConfChange`, as in etcd (not on append, as in the thesis): every member then
/// switches at the same log position. Because only one voter changes at a time, any majority
/// of the old configuration overlaps any majority of the new one.
extension Raft {
    /// "voters=(1 2 3)" plus " learners=(4)" when there are learners, as etcd prints it.
    var configDescription: String {
        var s = "voters=(\(trk.voters.map(String.init).joined(separator: " ")))"
        let learners = trk.learners
        if !learners.isEmpty { s += " learners=(\(learners.map(String.init).joined(separator: " ")))" }
        return s
    }

    /// Installs a configuration wholesale (at start-up from storage, or from a snapshot).
    mutating func applyConfState(_ cs: ConfState) {
        let next = max(raftLog.lastIndex, 1)
        for v in cs.voters where v != 0 {
            var pr = Progress(next: next, maxInflight: trk.maxInflight, isLearner: false)
            pr.recentActive = true
            trk.insert(v, pr)
        }
        for l in cs.learners where l != 0 && !trk.contains(l) {
            var pr = Progress(next: next, maxInflight: trk.maxInflight, isLearner: true)
            pr.recentActive = true
            trk.insert(l, pr)
        }
        isLearner = trk[id]?.isLearner ?? false
        log(.info, "\(id) switched to configuration \(configDescription)")
    }

    /// Applies one committed conf change and returns the resulting configuration. Changes that
    /// make no sense (id 0, removing the last voter) leave the configuration as it is.
    mutating func applyConfChange(_ cc: RaftConfChange) -> ConfState {
        guard cc.nodeID != 0 else { return trk.confState }
        // A new member starts probing at our last index and counts as active, so CheckQuorum
        // does not depose us before it had a chance to answer (etcd `confchange`).
        var fresh = Progress(next: max(raftLog.lastIndex, 1), maxInflight: trk.maxInflight, isLearner: false)
        fresh.recentActive = true
        switch cc.type {
        case .addNode:
            if trk.contains(cc.nodeID) {
                // Promoting a learner keeps its progress: it is already caught up.
                trk.update(cc.nodeID) { $0.isLearner = false }
            } else {
                trk.insert(cc.nodeID, fresh)
            }
        case .addLearnerNode:
            if let pr = trk[cc.nodeID] {
                if !pr.isLearner {
                    guard trk.voterCount > 1 else {
                        log(.warn, "\(id) ignoring conf change \(cc): cannot demote the last voter")
                        return trk.confState
                    }
                    trk.update(cc.nodeID) { $0.isLearner = true }
                }
            } else {
                fresh.isLearner = true
                trk.insert(cc.nodeID, fresh)
            }
        case .removeNode:
            if trk.isVoter(cc.nodeID) && trk.voterCount == 1 {
                log(.warn, "\(id) ignoring conf change \(cc): removing the last voter")
                return trk.confState
            }
            trk.remove(cc.nodeID)
        }
        switchToConfig()
        return trk.confState
    }

    /// Reacts to a new configuration (etcd `switchToConfig`).
    private mutating func switchToConfig() {
        log(.info, "\(id) switched to configuration \(configDescription)")
        let me = trk[id]
        isLearner = me?.isLearner ?? false
        if (me == nil || isLearner) && state == .leader {
            // We were removed or demoted: a leader that is not a voter cannot count itself
            // towards a quorum, so hand over (StepDownOnRemoval).
            if stepDownOnRemoval {
                becomeFollower(term: term, lead: 0)
            }
            return
        }
        guard state == .leader, trk.voterCount > 0 else { return }
        if maybeCommit() {
            // The quorum may have shrunk: entries waiting for it may commit now.
            bcastAppend()
        } else {
            // Start probing new members right away instead of at the next heartbeat.
            for peer in trk.ids where peer != id {
                maybeSendAppend(to: peer, sendIfEmpty: false)
            }
        }
        if leadTransferee != 0 && !trk.isVoter(leadTransferee) {
            abortLeaderTransfer()
        }
    }
}
