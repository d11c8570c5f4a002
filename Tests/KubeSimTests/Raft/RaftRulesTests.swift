import XCTest
@testable import KubeSim

/// Focused checks of the rules that are easy to get subtly wrong, each citing the Raft paper
/// section or etcd-io/raft test it mirrors.
final class RaftRulesTests: XCTestCase {
    // MARK: helpers

    /// A storage whose log holds entries 1...n with the given terms (entry 1 as the snapshot).
    static func storage(voters: [UInt64], terms: [UInt64], hard: HardState = HardState()) -> RaftStorage {
        let s = RaftStorage()
        try? s.applySnapshot(RaftSnapshot(index: 1, term: terms.first ?? 1, confState: ConfState(voters: voters)))
        var ents: [RaftEntry] = []
        for (k, t) in terms.enumerated().dropFirst() { ents.append(RaftEntry(term: t, index: UInt64(k + 1))) }
        s.append(ents)
        s.setHardState(hard)
        return s
    }

    static func node(_ id: UInt64, _ storage: RaftStorage, checkQuorum: Bool = false, preVote: Bool = false,
                     electionTick: Int = 10) throws -> RawNode {
        var cfg = RaftConfig(id: id)
        cfg.checkQuorum = checkQuorum
        cfg.preVote = preVote
        cfg.electionTick = electionTick
        cfg.seed = id
        return try RawNode(config: cfg, storage: storage)
    }

    /// An environment over hand-made members, silent.
    static func env(_ nodes: [(RawNode, RaftStorage)]) -> InteractionEnv {
        let env = InteractionEnv()
        env.output.level = nil
        for (rn, st) in nodes {
            env.nodes.append(InteractionEnv.Node(rawNode: rn, storage: st, config: RaftConfig(id: rn.id)))
        }
        return env
    }

    static func refused(_ r: Result<Void, RaftError>) -> Bool {
        if case .failure(.invalidMessage) = r { return true }
        return false
    }

    /// Handles a Ready as the embedding must (persist, then hand out the messages).
    static func takeMessages(_ rn: inout RawNode) -> [RaftMessage] {
        let rd = rn.ready()
        let storage = rn.raft.raftLog.storage
        if let snap = rd.snapshot { try? storage.applySnapshot(snap) }
        storage.append(rd.entries)
        if let hs = rd.hardState { storage.setHardState(hs) }
        rn.advance(rd)
        return rd.messages
    }

    // MARK: Figure 8

    /// Raft paper §5.4.2 / etcd `TestLeaderOnlyCommitsLogFromCurrentTerm`: a leader of term 3
    /// whose log holds an uncommitted term-2 entry does not commit it when a majority acks it,
    /// only when its own term-3 entry is acknowledged.
    func testLeaderOnlyCommitsEntriesFromItsTermByCounting() throws {
        let st = Self.storage(voters: [1, 2], terms: [1, 2], hard: HardState(term: 2, vote: 0, commit: 1))
        var leader = try Self.node(1, st)
        leader.campaign()
        leader.step(RaftMessage(type: .voteResp, to: 1, from: 2, term: 3))
        XCTAssertEqual(leader.raft.state, .leader)
        XCTAssertEqual(leader.raft.raftLog.lastIndex, 3, "empty entry of term 3 at index 3")
        _ = Self.takeMessages(&leader)

        // Follower 2 stores entry 2 (term 2): 2 of 2 voters hold it, yet it is not committed.
        leader.step(RaftMessage(type: .appResp, to: 1, from: 2, term: 3, index: 2))
        XCTAssertEqual(leader.raft.raftLog.committed, 1)
        // Entry 3 is of term 3: counting commits it and, with it, entry 2.
        leader.step(RaftMessage(type: .appResp, to: 1, from: 2, term: 3, index: 3))
        XCTAssertEqual(leader.raft.raftLog.committed, 3)
    }

    // MARK: election restriction

    /// Raft paper §5.4.1 / etcd `TestVoter`: a vote goes only to a candidate whose log is at
    /// least as up to date (higher last term, or same last term and at least as long).
    func testVoteOnlyForUpToDateLog() throws {
        struct Case { var voterTerms: [UInt64]; var logTerm: UInt64; var index: UInt64; var granted: Bool }
        let cases = [
            Case(voterTerms: [1], logTerm: 1, index: 1, granted: true),
            Case(voterTerms: [1], logTerm: 1, index: 2, granted: true),
            Case(voterTerms: [1, 1], logTerm: 1, index: 1, granted: false),  // shorter log
            Case(voterTerms: [1], logTerm: 2, index: 1, granted: true),
            Case(voterTerms: [2], logTerm: 1, index: 1, granted: false),
            Case(voterTerms: [2], logTerm: 1, index: 2, granted: false),     // longer, older
            Case(voterTerms: [2, 2], logTerm: 1, index: 1, granted: false),
        ]
        for (k, c) in cases.enumerated() {
            let st = Self.storage(voters: [1, 2], terms: c.voterTerms)
            var voter = try Self.node(1, st)
            voter.step(RaftMessage(type: .vote, to: 1, from: 2, term: 3, logTerm: c.logTerm, index: c.index))
            let resp = Self.takeMessages(&voter).filter { $0.type == .voteResp }
            XCTAssertEqual(resp.count, 1, "case \(k)")
            XCTAssertEqual(resp.first?.reject, !c.granted, "case \(k): voter \(c.voterTerms) candidate \(c.logTerm)/\(c.index)")
        }
    }

    /// Raft paper Figure 2 (votedFor is persistent): a vote cast before a crash binds after it.
    func testVoteSurvivesRestart() throws {
        let st = Self.storage(voters: [1, 2, 3], terms: [1])
        var voter = try Self.node(1, st)
        voter.step(RaftMessage(type: .vote, to: 1, from: 2, term: 5, logTerm: 1, index: 1))
        let rd = voter.ready()
        XCTAssertEqual(rd.messages.first?.reject, false)
        if let hs = rd.hardState { st.setHardState(hs) }
        // Crash: the RawNode is gone, the storage stays.
        var restarted = try Self.node(1, st)
        XCTAssertEqual(restarted.raft.term, 5)
        XCTAssertEqual(restarted.raft.vote, 2)
        // Same term, same log, another candidate: refused. The first candidate again: granted.
        restarted.step(RaftMessage(type: .vote, to: 1, from: 3, term: 5, logTerm: 1, index: 1))
        restarted.step(RaftMessage(type: .vote, to: 1, from: 2, term: 5, logTerm: 1, index: 1))
        let resps = Self.takeMessages(&restarted)
        XCTAssertEqual(resps.map(\.to), [3, 2])
        XCTAssertEqual(resps.map(\.reject), [true, false])
    }

    // MARK: randomized timeouts

    /// Raft paper §5.2 / etcd `testNonleaderElectionTimeoutRandomized`: every timeout in
    /// [electionTick, 2 * electionTick) occurs, nothing outside, and the draws depend on the seed only.
    func testRandomizedElectionTimeoutRange() throws {
        var seen = Set<Int>()
        var firstRun: [Int] = []
        for run in 0..<2 {
            let st = Self.storage(voters: [1, 2, 3], terms: [1])
            var rn = try Self.node(1, st)
            for term in 1...300 {
                rn.step(RaftMessage(type: .heartbeat, to: 1, from: 2, term: UInt64(term)))
                let t = rn.raft.randomizedElectionTimeout
                XCTAssertTrue((10..<20).contains(t), "timeout \(t)")
                seen.insert(t)
                if run == 0 { firstRun.append(t) } else { XCTAssertEqual(firstRun[term - 1], t, "same seed, same draws") }
            }
        }
        XCTAssertEqual(seen, Set(10..<20))
    }

    // MARK: CheckQuorum

    /// etcd `TestLeaderStepdownWhenQuorumLost`: a leader hearing from nobody steps down after at
    /// most two election timeouts (the first check closes the window in which followers were
    /// active); one responsive follower of two keeps it leader (`…WhenQuorumActive`).
    func testCheckQuorumStepDownTiming() throws {
        func electedLeader() throws -> RawNode {
            let st = Self.storage(voters: [1, 2, 3], terms: [1])
            var leader = try Self.node(1, st, checkQuorum: true)
            leader.campaign()
            leader.step(RaftMessage(type: .voteResp, to: 1, from: 2, term: 1))
            XCTAssertEqual(leader.raft.state, .leader)
            _ = Self.takeMessages(&leader)
            // Both followers acknowledge the empty entry: they were active in this window.
            leader.step(RaftMessage(type: .appResp, to: 1, from: 2, term: 1, index: 2))
            leader.step(RaftMessage(type: .appResp, to: 1, from: 3, term: 1, index: 2))
            return leader
        }
        var silent = try electedLeader()
        for _ in 0..<10 { silent.tick() }
        XCTAssertEqual(silent.raft.state, .leader, "first check: the followers were active in the window")
        for _ in 0..<9 { silent.tick() }
        XCTAssertEqual(silent.raft.state, .leader)
        silent.tick()
        XCTAssertEqual(silent.raft.state, .follower, "stepped down at the second check, tick 20")
        XCTAssertEqual(silent.raft.term, 1, "stepping down does not change the term")

        var supported = try electedLeader()
        for _ in 0..<50 {
            supported.tick()
            supported.step(RaftMessage(type: .heartbeatResp, to: 1, from: 2, term: 1))
        }
        XCTAssertEqual(supported.raft.state, .leader)
    }

    /// etcd `checkquorum.txt` / Raft thesis §4.2.3: with CheckQuorum a follower that heard from
    /// its leader within the election timeout ignores a higher-term vote request (and keeps its
    /// term); once the timeout has passed it grants.
    func testLeaderLeaseIgnoresVotes() throws {
        let st = Self.storage(voters: [1, 2, 3], terms: [1])
        var follower = try Self.node(2, st, checkQuorum: true)
        follower._setRandomizedElectionTimeout(1000)  // never campaign during the test
        follower.step(RaftMessage(type: .heartbeat, to: 2, from: 1, term: 1))
        _ = Self.takeMessages(&follower)
        follower.step(RaftMessage(type: .vote, to: 2, from: 3, term: 2, logTerm: 1, index: 1))
        XCTAssertEqual(follower.raft.term, 1)
        XCTAssertTrue(Self.takeMessages(&follower).isEmpty, "ignored, not even rejected")
        for _ in 0..<10 { follower.tick() }
        follower.step(RaftMessage(type: .vote, to: 2, from: 3, term: 2, logTerm: 1, index: 1))
        XCTAssertEqual(follower.raft.term, 2)
        let resp = Self.takeMessages(&follower)
        XCTAssertEqual(resp.map(\.type), [.voteResp])
        XCTAssertEqual(resp.first?.reject, false)
    }

    // MARK: fast backtracking

    /// etcd `TestFastLogRejection`: leader log terms [1,2,2,4,4,4,4], follower
    /// [1,2,2,3,3,3,3,3,3,3,3]. With the reject hint the leader finds the match point (index 3)
    /// after one rejection, not four.
    func testConflictHintsBacktrackInFewRoundTrips() throws {
        let leaderStorage = Self.storage(voters: [1, 2], terms: [1, 2, 2, 4, 4, 4, 4], hard: HardState(term: 4, vote: 0, commit: 1))
        let followerStorage = Self.storage(voters: [1, 2], terms: [1, 2, 2, 3, 3, 3, 3, 3, 3, 3, 3], hard: HardState(term: 4, vote: 0, commit: 1))
        let env = Self.env([(try Self.node(1, leaderStorage), leaderStorage), (try Self.node(2, followerStorage), followerStorage)])
        _ = env.handle(InteractionEnv.Command(name: "campaign", positional: ["1"], line: 0))
        _ = env.handle(InteractionEnv.Command(name: "stabilize", line: 0))
        let rejections = env.delivered.filter { $0.type == .appResp && $0.reject }
        XCTAssertEqual(rejections.count, 1, "one rejection: \(rejections.map { RaftDescribe.message($0) })")
        XCTAssertEqual(rejections.first?.rejectHint, 7)
        XCTAssertEqual(rejections.first?.logTerm, 3)
        let leaderLog = try leaderStorage.entries(2, leaderStorage.lastIndex + 1, maxSize: .max)
        let followerLog = try followerStorage.entries(2, followerStorage.lastIndex + 1, maxSize: .max)
        XCTAssertEqual(followerLog.map(\.term), leaderLog.map(\.term))
        XCTAssertEqual(followerLog.map(\.term), [2, 2, 4, 4, 4, 4, 5])
    }

    // MARK: bad input

    /// The host never crashes: messages from unknown members, with stale or absurd terms and
    /// indexes, local types from the network, corrupt entries, are refused or ignored, and the
    /// member's invariants still hold.
    func testBadMessagesNeverCrash() throws {
        var rng = SeededRandom(seed: 7)
        let types: [RaftMessageType] = [.hup, .beat, .prop, .app, .appResp, .vote, .voteResp, .snap, .heartbeat,
                                        .heartbeatResp, .unreachable, .snapStatus, .checkQuorum, .transferLeader,
                                        .timeoutNow, .readIndex, .readIndexResp, .preVote, .preVoteResp]
        let extremes: [UInt64] = [0, 1, 2, 3, 5, 1 << 40, (1 << 62) - 1, 1 << 62, .max - 1, .max]
        func pick(_ small: UInt64) -> UInt64 {
            rng.int(below: 4) == 0 ? extremes[rng.int(below: extremes.count)] : UInt64(rng.int(below: Int(small)))
        }
        let env = InteractionEnv()
        env.output.level = nil
        _ = env.handle(RaftInteractionTests.parse("add-nodes 3 voters=(1,2,3) index=2 prevote=true checkquorum=true", line: 0))
        _ = env.handle(RaftInteractionTests.parse("campaign 1", line: 0))
        _ = env.handle(RaftInteractionTests.parse("stabilize", line: 0))
        for round in 0..<3000 {
            let target = UInt64(rng.int(below: 3) + 1)
            var m = RaftMessage(type: types[rng.int(below: types.count)])
            m.to = rng.int(below: 10) == 0 ? pick(8) : target
            m.from = pick(6)
            m.term = pick(6)
            m.logTerm = pick(6)
            m.index = pick(12)
            m.commit = pick(12)
            m.reject = rng.int(below: 2) == 0
            m.rejectHint = pick(12)
            let n = rng.int(below: 4)
            let base = m.index
            for k in 0..<n {
                let contiguous = rng.int(below: 3) != 0
                m.entries.append(RaftEntry(term: pick(6), index: contiguous ? base &+ 1 &+ UInt64(k) : pick(20),
                                           type: rng.int(below: 5) == 0 ? .confChange : .normal,
                                           data: (0..<rng.int(below: 12)).map { _ in UInt8(truncatingIfNeeded: rng.next()) }))
            }
            if rng.int(below: 8) == 0 {
                m.snapshot = RaftSnapshot(index: pick(20), term: pick(6),
                                          confState: ConfState(voters: [1, 2, 3].filter { _ in rng.int(below: 4) != 0 }))
            }
            m.context = rng.int(below: 3) == 0 ? [UInt8(rng.int(below: 3))] : []
            if var rn = env.nodes[Int(target - 1)].rawNode {
                rn.step(m)
                env.nodes[Int(target - 1)].rawNode = rn
            }
            if round % 50 == 0 {
                for id in 1...3 { _ = env.handle(RaftInteractionTests.parse("tick \(id) \(rng.int(below: 4))", line: 0)) }
                _ = env.handle(RaftInteractionTests.parse("stabilize", line: 0))
            }
            for node in env.nodes {
                guard let rn = node.rawNode else { continue }
                let log = rn.raft.raftLog
                XCTAssertLessThanOrEqual(log.applied, log.committed, "round \(round)")
                XCTAssertLessThanOrEqual(log.committed, log.lastIndex, "round \(round)")
            }
        }
    }

    /// Local message types never enter from the network, and responses from strangers are refused.
    func testRawNodeRefusesLocalAndUnknownMessages() throws {
        let st = Self.storage(voters: [1, 2, 3], terms: [1])
        var rn = try Self.node(1, st)
        XCTAssertTrue(Self.refused(rn.step(RaftMessage(type: .hup, to: 1, from: 2, term: 1))))
        XCTAssertTrue(Self.refused(rn.step(RaftMessage(type: .beat, to: 1, from: 2, term: 1))))
        XCTAssertTrue(Self.refused(rn.step(RaftMessage(type: .appResp, to: 1, from: 9, term: 1))))
        XCTAssertTrue(Self.refused(rn.step(RaftMessage(type: .app, to: 1, from: 2, term: 0))))
        XCTAssertTrue(Self.refused(rn.step(RaftMessage(type: .app, to: 1, from: 2, term: .max))))
        XCTAssertEqual(rn.raft.term, 0)
        XCTAssertEqual(rn.raft.state, .follower)
    }

    // MARK: membership

    /// Raft thesis §4.1 / etcd `TestStepIgnoreConfig`: a second conf change while one is
    /// unapplied becomes an empty normal entry.
    func testOnlyOnePendingConfChange() throws {
        let st = Self.storage(voters: [1], terms: [1])
        var rn = try Self.node(1, st)
        rn.campaign()
        XCTAssertEqual(rn.raft.state, .leader)
        let rd = rn.ready()
        st.append(rd.entries)
        rn.advance(rd)
        rn.proposeConfChange(RaftConfChange(type: .addNode, nodeID: 2))
        rn.proposeConfChange(RaftConfChange(type: .addNode, nodeID: 3))
        let ents = rn.ready().entries
        XCTAssertEqual(ents.map(\.type), [.confChange, .normal])
        XCTAssertEqual(ents.last?.data, [])
    }

    /// etcd `StepDownOnRemoval` (our default): a leader that applies its own removal steps down
    /// and cannot campaign any more; the remaining members elect a leader among themselves.
    func testRemovedLeaderStepsDown() throws {
        let env = InteractionEnv()
        env.output.level = nil
        for line in ["add-nodes 3 voters=(1,2,3) index=2", "campaign 1", "stabilize",
                     "propose-conf-change 1 r1", "stabilize"] {
            _ = env.handle(RaftInteractionTests.parse(line, line: 0))
        }
        let st1 = try XCTUnwrap(env.nodes[0].rawNode?.status())
        XCTAssertEqual(st1.softState.raftState, .follower)
        XCTAssertEqual(st1.config.voters, [2, 3])
        _ = env.handle(RaftInteractionTests.parse("campaign 1", line: 0))
        XCTAssertEqual(env.nodes[0].rawNode?.raft.state, .follower, "a removed member does not campaign")
        _ = env.handle(RaftInteractionTests.parse("campaign 2", line: 0))
        _ = env.handle(RaftInteractionTests.parse("stabilize", line: 0))
        XCTAssertEqual(env.nodes[1].rawNode?.raft.state, .leader)
        XCTAssertEqual(env.nodes[2].rawNode?.raft.lead, 2)
    }

    /// Learners never campaign and do not count towards a commit quorum.
    func testLearnerNeitherCampaignsNorCounts() throws {
        let st = RaftStorage()
        try st.applySnapshot(RaftSnapshot(index: 1, term: 1, confState: ConfState(voters: [1, 2, 3], learners: [4])))
        var learner = try Self.node(4, st)
        for _ in 0..<100 { learner.tick() }
        XCTAssertEqual(learner.raft.state, .follower)
        XCTAssertEqual(learner.raft.term, 0)

        let st1 = RaftStorage()
        try st1.applySnapshot(RaftSnapshot(index: 1, term: 1, confState: ConfState(voters: [1, 2, 3], learners: [4])))
        var leader = try Self.node(1, st1)
        leader.campaign()
        leader.step(RaftMessage(type: .voteResp, to: 1, from: 4, term: 1))
        XCTAssertEqual(leader.raft.state, .candidate, "a learner's vote does not count")
        leader.step(RaftMessage(type: .voteResp, to: 1, from: 2, term: 1))
        XCTAssertEqual(leader.raft.state, .leader)
        leader.step(RaftMessage(type: .appResp, to: 1, from: 4, term: 1, index: 2))
        XCTAssertEqual(leader.raft.raftLog.committed, 1, "the learner's ack does not commit")
        leader.step(RaftMessage(type: .appResp, to: 1, from: 3, term: 1, index: 2))
        XCTAssertEqual(leader.raft.raftLog.committed, 2)
    }

    // MARK: benchmark smoke

    /// The micro benchmark runs to completion and every member applies every write.
    func testRaftBenchAppliesEverything() {
        let result = RaftBench.run(writes: 5_000, batchSize: 100)
        XCTAssertEqual(result, [5_000, 5_000, 5_000])
    }
}
