/// Membership changes, as `etcdctl member add [--learner]`, `member promote` and
/// `member remove` make them: one configuration change at a time through Raft, with etcd's
/// safety checks (a learner is promoted only once it has caught up; a change may not leave
/// fewer started voters than a quorum). Each call waits, in virtual time, until the leader
/// has applied the change, or fails after etcd's request timeout.
extension EtcdCluster {
    /// The voters of the configuration in force (as the leader, or the most advanced
    /// member, has applied it).
    var voters: [UInt64] { currentMembership.voters }

    var learners: [UInt64] { currentMembership.learners }

    private var currentMembership: ConfState {
        if let lead = leader, let m = try? member(lead) { return m.membership }
        let known = members.filter { !$0.isRemoved }
        return known.max { $0.appliedIndex < $1.appliedIndex }?.membership ?? ConfState()
    }

    private func isStarted(_ id: UInt64) -> Bool {
        guard let m = try? member(id) else { return false }
        return m.isRunning
    }

    /// Adds a member (a learner unless `learner` is false) that starts empty and catches up
    /// from the leader's snapshot. Returns its id.
    @discardableResult
    func addMember(learner: Bool) throws(FaultError) -> UInt64 {
        guard let lead = leader else { throw .noLeader }
        guard members.filter({ !$0.isRemoved }).count < 7 else { throw .tooManyMembers }
        if learner {
            // etcd's --experimental-max-learners is 1 by default.
            guard learners.isEmpty else { throw .tooManyLearners }
        } else {
            // The new voter counts toward quorum before it has started.
            let started = voters.filter(isStarted).count
            guard started >= (voters.count + 1) / 2 + 1 else { throw .notEnoughStartedMembers }
        }
        let id = UInt64(members.count + 1)
        let template = members[0]
        let joining: EtcdMember
        do {
            joining = try EtcdMember(id: id, voters: [], peers: [:], tickInterval: template.tickInterval,
                                     seed: seed &+ id &* 0x9E37_79B9_7F4A_7C15)
        } catch {
            throw .tooManyMembers
        }
        joining.snapshotCount = template.snapshotCount
        joining.catchUpEntries = template.catchUpEntries
        joining.walSyncLatency = template.walSyncLatency
        joining.proposalCache = template.proposalCache
        joining.setStamp(template.stamp)
        joining.onSoftStateChange = { [unowned self] _, _ in self.observe() }
        joining.onRemoved = { [unowned self] m in self.record("member \(m.id) removed") }
        joining.onApply = template.onApply.map { _ in { [unowned self] events in self.noteCommitted(events) } }
        members.append(joining)
        let component = simulation.register(joining)
        componentIDs.append(component)
        for (i, other) in members.enumerated() {
            joining.connect(other.id, at: componentIDs[i])
            other.connect(id, at: component)
        }
        try propose(RaftConfChange(type: learner ? .addLearnerNode : .addNode, nodeID: id), via: lead)
        record("member \(id) added\(learner ? " as a learner" : "")")
        return id
    }

    /// Makes a learner a voter, once its log is within 10% of the leader's (etcd's
    /// `isLearnerReady`).
    func promote(_ id: UInt64) throws(FaultError) {
        guard let lead = leader else { throw .noLeader }
        guard currentMembership.contains(id) else { throw .memberNotFound }
        guard learners.contains(id) else { throw .notLearner }
        let leaderMember = try member(lead)
        let matches = leaderMember.matchIndexes
        let leaderMatch = Double(matches[lead] ?? leaderMember.appliedIndex)
        guard Double(matches[id] ?? 0) >= leaderMatch * 0.9 else { throw .learnerNotReady }
        try propose(RaftConfChange(type: .addNode, nodeID: id), via: lead)
        record("member \(id) promoted to voter")
    }

    /// Removes a member from the configuration; it stops once it applies its removal (or at
    /// once, if it cannot hear of it). A leader hands its leadership to another voter first.
    func removeMember(_ id: UInt64) throws(FaultError) {
        guard var lead = leader else { throw .noLeader }
        guard currentMembership.contains(id) else { throw .memberNotFound }
        if voters.contains(id), isStarted(id) {
            let remaining = voters.filter { $0 != id }
            guard remaining.filter(isStarted).count >= remaining.count / 2 + 1 else { throw .notEnoughStartedMembers }
        }
        if lead == id {
            guard let heir = voters.first(where: { $0 != id && isStarted($0) }) else { throw .notEnoughStartedMembers }
            let old = try member(lead)
            simulation.act(as: try componentID(of: lead)) { ctx in old.transferLeadership(to: heir, &ctx) }
            let deadline = simulation.now + EtcdMember.requestTimeout
            while leader == id || leader == nil, simulation.step(limit: deadline) {}
            guard let next = leader, next != id else { throw .timedOut }
            lead = next
        }
        try propose(RaftConfChange(type: .removeNode, nodeID: id), via: lead)
        // A member that was down or cut off never applies its own removal: it is gone anyway.
        let removed = try member(id)
        if !removed.isRemoved {
            simulation.act(as: try componentID(of: id)) { ctx in removed.crash(&ctx) }
            removed.markRemoved()
            record("member \(id) removed")
        }
    }

    /// Proposes `change` on the leader and runs the cluster until the leader has applied it.
    private func propose(_ change: RaftConfChange, via lead: UInt64) throws(FaultError) {
        let leaderMember = try member(lead)
        let before = leaderMember.membership
        let accepted = simulation.act(as: try componentID(of: lead)) { ctx in
            leaderMember.proposeConfChange(change, &ctx)
        }
        guard accepted else { throw .noLeader }
        let deadline = simulation.now + EtcdMember.requestTimeout
        while leaderMember.membership == before, simulation.step(limit: deadline) {}
        guard leaderMember.membership != before else { throw .timedOut }
        observe()
    }
}
