import XCTest
@testable import KubeSim

final class EtcdClusterTests: XCTestCase {
    private func cluster(_ n: Int, seed: UInt64 = 1) throws -> (Simulation, EtcdCluster) {
        let sim = Simulation(epoch: VirtualTime(nanos: 0), linkLatency: .millis(2))
        return (sim, try EtcdCluster(simulation: sim, members: n, seed: seed))
    }

    func testALeaderIsElectedWithinTheElectionTimeoutRange() throws {
        for seed in 1...20 as ClosedRange<UInt64> {
            let (sim, etcd) = try cluster(3, seed: seed)
            sim.run(until: VirtualTime(nanos: 0) + .seconds(3))
            let leader = try XCTUnwrap(etcd.leader, "seed \(seed): no leader")
            let elected = try XCTUnwrap(etcd.events.first { $0.message.hasPrefix("member \(leader) elected leader") })
            // Randomized timeout in [1 s, 2 s), plus a PreVote and a vote round trip.
            XCTAssertGreaterThanOrEqual(elected.time.nanos, 1_000_000_000, "seed \(seed)")
            XCTAssertLessThan(elected.time.nanos, 2_100_000_000, "seed \(seed)")
            XCTAssertEqual(etcd.status().filter { $0.role == .leader }.count, 1)
        }
    }

    func testAfterALeaderCrashAnotherIsElectedAndTheOldOneRejoinsAsFollower() throws {
        let (sim, etcd) = try cluster(3, seed: 7)
        sim.run(until: VirtualTime(nanos: 0) + .seconds(3))
        let first = try XCTUnwrap(etcd.leader)
        try etcd.crash(first)
        sim.run(until: VirtualTime(nanos: 0) + .seconds(6))
        let second = try XCTUnwrap(etcd.leader)
        XCTAssertNotEqual(first, second)
        XCTAssertTrue(etcd.events.contains { $0.message == "member \(first) down" })
        try etcd.restart(first)
        sim.run(until: VirtualTime(nanos: 0) + .seconds(9))
        XCTAssertEqual(etcd.leader, second)
        let status = etcd.status()
        XCTAssertEqual(Set(status.map(\.term)).count, 1, "every member at the leader's term: \(status)")
        XCTAssertEqual(status.first { $0.id == first }?.role, .follower)
    }

    func testLosingQuorumIsReportedAndStopsProgressUntilRestart() throws {
        let (sim, etcd) = try cluster(3, seed: 3)
        sim.run(until: VirtualTime(nanos: 0) + .seconds(3))
        let leader = try XCTUnwrap(etcd.leader)
        let others = etcd.members.map(\.id).filter { $0 != leader }
        for id in others { try etcd.crash(id) }
        XCTAssertTrue(etcd.events.contains { $0.message == "quorum lost (1/3 members running)" })
        sim.run(until: VirtualTime(nanos: 0) + .seconds(6))
        // CheckQuorum: a leader that hears from no one steps down.
        XCTAssertNil(etcd.leader)
        for id in others { try etcd.restart(id) }
        XCTAssertTrue(etcd.events.contains { $0.message == "quorum regained (2/3 members running)" })
        sim.run(until: VirtualTime(nanos: 0) + .seconds(10))
        XCTAssertNotNil(etcd.leader)
    }

    /// A proposal made just before the leader lost its quorum is never committed by it; the
    /// member forgets it after etcd's request timeout instead of keeping it forever.
    func testLostProposalsAndReadsAreForgottenAfterTheRequestTimeout() throws {
        let (sim, etcd) = try cluster(3, seed: 3)
        sim.run(until: VirtualTime(nanos: 0) + .seconds(3))
        let leader = try XCTUnwrap(etcd.leader)
        let member = try etcd.member(leader)
        let target = try etcd.componentID(of: leader)
        for id in etcd.members.map(\.id) where id != leader { try etcd.crash(id) }
        for i in 1...5 as ClosedRange<UInt64> {
            let put = Txn(success: [.put(key: "/registry/configmaps/default/c\(i)", value: "v")])
            sim.inject(.store(.request(EtcdRequest(id: i, client: target, operation: .txn(put)))), to: target)
            sim.inject(.store(.request(EtcdRequest(id: 100 + i, client: target,
                                                   operation: .range(prefix: "/registry/", serializable: false)))),
                       to: target)
        }
        sim.run(until: sim.now + .millis(10))
        XCTAssertEqual(member.waitingRequests, 10)
        sim.run(until: sim.now + .seconds(8))
        XCTAssertEqual(member.waitingRequests, 0)
    }

    func testBadFaultRequestsAreErrorsNotCrashes() throws {
        let sim = Simulation(epoch: VirtualTime(nanos: 0), linkLatency: .millis(2))
        XCTAssertThrowsError(try EtcdCluster(simulation: sim, members: 0, seed: 1)) {
            XCTAssertEqual("\($0)", "an etcd cluster has 1 to 7 members, not 0")
        }
        XCTAssertThrowsError(try EtcdCluster(simulation: sim, members: 8, seed: 1))
        let even = try EtcdCluster(simulation: sim, members: 4, seed: 1)
        XCTAssertEqual(even.warnings, ["an even number of etcd members (4) tolerates no more failures than 3; prefer 3, 5 or 7"])

        let (_, etcd) = try cluster(3)
        XCTAssertThrowsError(try etcd.crash(9)) { XCTAssertEqual("\($0)", "no etcd member with id 9") }
        XCTAssertThrowsError(try etcd.crash(0)) { XCTAssertEqual("\($0)", "no etcd member with id 0") }
        try etcd.crash(2)
        XCTAssertThrowsError(try etcd.crash(2)) { XCTAssertEqual("\($0)", "etcd member 2 is not running") }
        XCTAssertThrowsError(try etcd.restart(1)) { XCTAssertEqual("\($0)", "etcd member 1 is already running") }
        XCTAssertThrowsError(try etcd.partition([[1, 2], [2, 3]])) {
            XCTAssertEqual("\($0)", "etcd member 2 is in more than one group of the partition")
        }
        XCTAssertThrowsError(try etcd.isolate(4))
    }

    func testAFaultFreeRunIsLinearizableAndMembersAgree() {
        var schedule = NemesisSchedule()
        schedule.faultRate = 0
        let outcome = schedule.run(seed: 11)
        XCTAssertTrue(outcome.passed, outcome.report)
        XCTAssertGreaterThan(outcome.operations, 200)
        XCTAssertEqual(outcome.indeterminate, 0)
        XCTAssertGreaterThan(outcome.watchStreams, 4)
        XCTAssertGreaterThan(outcome.watchEvents, 100)
    }

    func testNemesisSchedulesAreLinearizable() {
        let count = Int(ProcessInfo.processInfo.environment["KUBESIM_NEMESIS_SEEDS"] ?? "") ?? 20
        for seed in 1...UInt64(count) {
            let outcome = NemesisSchedule().run(seed: seed)
            XCTAssertTrue(outcome.passed, outcome.report)
            if !outcome.passed { break }
        }
    }

    func testFiveMembersSurviveTwoFailures() {
        var schedule = NemesisSchedule()
        schedule.members = 5
        for seed in 100...104 as ClosedRange<UInt64> {
            let outcome = schedule.run(seed: seed)
            XCTAssertTrue(outcome.passed, outcome.report)
        }
    }

    func testLaggingMembersAreSentSnapshotsAndStillAgree() {
        var taken = 0, installed = 0
        for seed in 200...219 as ClosedRange<UInt64> {
            let outcome = NemesisSchedule().run(seed: seed)
            XCTAssertTrue(outcome.passed, outcome.report)
            taken += outcome.snapshotsTaken
            installed += outcome.snapshotsInstalled
        }
        XCTAssertGreaterThan(taken, 20)
        XCTAssertGreaterThan(installed, 0, "no member fell far enough behind to be sent a snapshot")
    }

    func testTheSameSeedGivesTheSameHistory() {
        let a = NemesisSchedule().run(seed: 42), b = NemesisSchedule().run(seed: 42)
        XCTAssertEqual(a.faults, b.faults)
        XCTAssertEqual(a.operations, b.operations)
        XCTAssertEqual(a.indeterminate, b.indeterminate)
        XCTAssertFalse(a.faults.isEmpty)
    }
}
