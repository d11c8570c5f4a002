import XCTest
@testable import KubeSim

/// `etcdctl member add / promote / remove` through ks_etcd: one configuration change at a
/// time through Raft, with etcd's checks and wording.
final class EtcdMembershipTests: XCTestCase {
    private func cluster(seed: UInt64 = 1) throws -> Cluster {
        var config = ClusterConfig()
        config.seed = seed
        config.etcdMembers = 3
        let c = Cluster(config: config)
        _ = c.apply(manifests: Seed.nginxDeployment)
        c.run(for: .seconds(20))
        return c
    }

    private func call(_ c: Cluster, _ request: JSON) -> Result<JSON, StatusError> { c.etcdCall(request) }

    private func createConfigMaps(_ c: Cluster, _ names: ClosedRange<Int>) {
        for i in names {
            let created = c.request(.create, "configmaps", namespace: "default",
                                    body: ["apiVersion": "v1", "kind": "ConfigMap", "metadata": ["name": .string("cm-\(i)")]])
            if case .failure(let e) = created { XCTFail("create cm-\(i): \(e.message)") }
        }
    }

    func testALearnerCatchesUpFromASnapshotAndIsPromoted() throws {
        let c = try cluster()
        let etcd = try XCTUnwrap(c.etcd)
        let added = try call(c, ["action": "add"]).get()
        XCTAssertEqual(added["added"].int, 4)
        let learner = (added["members"].array ?? []).first { $0["id"].int == 4 }
        XCTAssertEqual(learner?["isLearner"].bool, true)
        c.run(for: .seconds(2))
        let member4 = try etcd.member(4)
        XCTAssertEqual(member4.snapshotsInstalled, 1, "a new member starts from the leader's snapshot")
        XCTAssertEqual(Set(etcd.members.map(\.kv.revision)), [c.apiServer.store.revision])
        XCTAssertEqual(etcd.voters, [1, 2, 3])
        XCTAssertEqual(etcd.learners, [4])
        _ = try call(c, ["action": "promote", "member": 4]).get()
        XCTAssertEqual(etcd.voters, [1, 2, 3, 4])
        XCTAssertEqual(etcd.learners, [])
        let messages = etcd.events.map(\.message)
        XCTAssertTrue(messages.contains("member 4 added as a learner"), "\(messages)")
        XCTAssertTrue(messages.contains("member 4 promoted to voter"), "\(messages)")
        // The new voter takes part: with member 1 down, 2, 3 and 4 are a quorum of four.
        try etcd.crash(1)
        c.run(for: .seconds(5))
        createConfigMaps(c, 1...3)
    }

    func testARemovedMemberStopsAndTheRestKeepWorking() throws {
        let c = try cluster(seed: 2)
        let etcd = try XCTUnwrap(c.etcd)
        let follower = try XCTUnwrap(etcd.members.map(\.id).first { $0 != etcd.leader })
        let status = try call(c, ["action": "remove", "member": .int(Int(follower))]).get()
        XCTAssertEqual((status["members"].array ?? []).count, 2)
        XCTAssertEqual(etcd.voters.count, 2)
        XCTAssertFalse(try etcd.member(follower).isRunning)
        XCTAssertTrue(etcd.events.map(\.message).contains("member \(follower) removed"))
        XCTAssertEqual(c.kubectl(["scale", "deployment", "nginx-deployment", "--replicas=4"]).stdout,
                       "deployment.apps/nginx-deployment scaled\n")
        c.run(for: .seconds(10))
        XCTAssertEqual(c.kubectl(["get", "pods"]).stdout.components(separatedBy: "Running").count - 1, 4)
        guard case .failure(let e) = call(c, ["action": "restart", "member": .int(Int(follower))]) else {
            return XCTFail("a removed member restarted")
        }
        XCTAssertEqual(e.message, "etcd member \(follower) was removed from the cluster")
    }

    func testRemovingTheLeaderHandsLeadershipOverFirst() throws {
        let c = try cluster(seed: 3)
        let etcd = try XCTUnwrap(c.etcd)
        let old = try XCTUnwrap(etcd.leader)
        _ = try call(c, ["action": "remove", "member": .int(Int(old))]).get()
        let next = try XCTUnwrap(etcd.leader)
        XCTAssertNotEqual(next, old)
        XCTAssertFalse(etcd.voters.contains(old))
        c.run(for: .seconds(2))
        createConfigMaps(c, 1...2)
    }

    func testMembershipChangesAreCheckedAsEtcdChecksThem() throws {
        let c = try cluster(seed: 4)
        let etcd = try XCTUnwrap(c.etcd)
        func refused(_ request: JSON) -> String {
            guard case .failure(let e) = call(c, request) else { XCTFail("accepted \(request.serialized())"); return "" }
            return e.message
        }
        XCTAssertEqual(refused(["action": "promote", "member": 2]), "etcdserver: can only promote a learner member")
        XCTAssertEqual(refused(["action": "promote", "member": 9]), "etcdserver: member not found")
        XCTAssertEqual(refused(["action": "add", "learner": "yes"]), "\"learner\" must be true or false")
        // With one of three voters down, neither removing a started voter nor adding a voter
        // (which counts toward quorum before it starts) leaves enough started members.
        let lead = try XCTUnwrap(etcd.leader)
        let followers = etcd.voters.filter { $0 != lead }
        try etcd.crash(followers[0])
        XCTAssertEqual(refused(["action": "remove", "member": .int(Int(followers[1]))]),
                       "etcdserver: re-configuration failed due to not enough started members")
        XCTAssertEqual(refused(["action": "add", "learner": false]),
                       "etcdserver: re-configuration failed due to not enough started members")
        try etcd.restart(followers[0])
        c.run(for: .seconds(2))
        // One learner at a time; a learner that fell behind is not promoted.
        _ = try call(c, ["action": "add"]).get()
        c.run(for: .seconds(1))
        XCTAssertEqual(refused(["action": "add"]), "etcdserver: too many learner members in cluster")
        try etcd.isolate(4)
        createConfigMaps(c, 1...200)
        XCTAssertEqual(refused(["action": "promote", "member": 4]),
                       "etcdserver: can only promote a learner member which is in sync with leader")
        etcd.heal()
        c.run(for: .seconds(2))
        _ = try call(c, ["action": "promote", "member": 4]).get()
        // A member that is down may be removed.
        try etcd.crash(followers[0])
        _ = try call(c, ["action": "remove", "member": .int(Int(followers[0]))]).get()
        XCTAssertEqual(etcd.voters, [lead, followers[1], 4].sorted())
        XCTAssertTrue(try etcd.member(followers[0]).isRemoved)
    }
}
