import XCTest
@testable import KubeSim

/// The whole cluster with its data in Raft-replicated etcd members.
final class ClusterOnEtcdTests: XCTestCase {
    private let deployment = Seed.nginxDeployment

    private func cluster(members: Int = 3, seed: UInt64 = 1) throws -> Cluster {
        var config = ClusterConfig()
        config.seed = seed
        config.etcdMembers = members
        return Cluster(config: config)
    }

    private func runningPods(_ c: Cluster) -> Int {
        guard case .success(let list) = c.request(.list, "pods", namespace: "default") else { return -1 }
        return (list["items"].array ?? []).filter { $0["status", "phase"].string == "Running" }.count
    }

    func testTheSeedDeploymentRunsOnAThreeMemberStore() throws {
        let c = try cluster()
        XCTAssertEqual(c.kubectl(["get", "nodes"]).stdout.components(separatedBy: "\n").filter { $0.contains(" Ready ") }.count, 3)
        XCTAssertNotNil(c.etcd?.leader)
        guard case .success = c.apply(manifests: deployment) else { return XCTFail("apply failed") }
        // Past the 30 s mark, where the node leases renew, with nothing left in flight.
        c.run(for: .seconds(35))
        XCTAssertEqual(runningPods(c), 3)
        // Every member holds the same data at the same revision as the API server's cache.
        let revisions = Set((c.etcd?.members ?? []).map(\.kv.revision))
        XCTAssertEqual(revisions, [c.apiServer.store.revision])
    }

    func testKillingTheEtcdLeaderElectsAnotherAndWritesContinue() throws {
        let c = try cluster(seed: 4)
        guard case .success = c.apply(manifests: deployment) else { return XCTFail("apply failed") }
        c.run(for: .seconds(20))
        let etcd = try XCTUnwrap(c.etcd)
        let leader = try XCTUnwrap(etcd.leader)
        try etcd.crash(leader)
        c.run(for: .seconds(5))
        let next = try XCTUnwrap(etcd.leader)
        XCTAssertNotEqual(next, leader)
        XCTAssertTrue(etcd.events.contains { $0.message.hasPrefix("member \(next) elected leader") })
        let scaled = c.kubectl(["scale", "deployment", "nginx-deployment", "--replicas=5"])
        XCTAssertEqual(scaled.stdout, "deployment.apps/nginx-deployment scaled\n", scaled.stderr)
        c.run(for: .seconds(30))
        XCTAssertEqual(runningPods(c), 5)
    }

    func testWithoutQuorumWritesFailAsTheAPIServerReportsEtcdTimeoutsThenRecover() throws {
        let c = try cluster(seed: 2)
        guard case .success = c.apply(manifests: deployment) else { return XCTFail("apply failed") }
        c.run(for: .seconds(20))
        let etcd = try XCTUnwrap(c.etcd)
        // Lose two of three members: no quorum.
        let down = etcd.members.map(\.id).filter { $0 != 1 }
        for id in down { try etcd.crash(id) }
        let before = c.now
        let result = c.request(.create, "configmaps", namespace: "default",
                               body: ["apiVersion": "v1", "kind": "ConfigMap", "metadata": ["name": "during-outage"]])
        // The leader still believes it leads: the write waits for a quorum that never answers.
        guard case .failure(let error) = result else { return XCTFail("a write without quorum succeeded") }
        XCTAssertEqual(error.code, 500)
        XCTAssertEqual(error.reason, "")
        XCTAssertEqual(error.message, "etcdserver: request timed out")
        let waited = c.now.nanos - before.nanos
        XCTAssertTrue((7_000_000_000...7_010_000_000).contains(waited), "answered after etcd's 7 s request timeout, not \(waited) ns")
        // By now CheckQuorum has made the leader step down: the member refuses at once.
        let printed = c.kubectl(["scale", "deployment", "nginx-deployment", "--replicas=4"])
        XCTAssertEqual(printed.stderr, "Error from server: etcdserver: no leader\n")
        XCTAssertNil(etcd.leader)
        // Heal: the members come back, the controllers resume, nothing written before is lost.
        for id in down { try etcd.restart(id) }
        c.run(for: .seconds(10))
        XCTAssertEqual(runningPods(c), 3)
        XCTAssertEqual(c.kubectl(["scale", "deployment", "nginx-deployment", "--replicas=4"]).stdout,
                       "deployment.apps/nginx-deployment scaled\n")
        c.run(for: .seconds(30))
        XCTAssertEqual(runningPods(c), 4)
        // The timed-out create was in the old leader's log: like any timed-out etcd write, it
        // may still take effect once a quorum is back (here it does, as that leader is re-elected
        // or its log wins). Either way every member agrees.
        let revisions = Set(etcd.members.map(\.kv.revision))
        XCTAssertEqual(revisions.count, 1)
    }

    func testTheSameSeedGivesTheSameStateOnEtcd() throws {
        func final() throws -> String {
            let c = try cluster(seed: 9)
            _ = c.apply(manifests: deployment)
            c.run(for: .seconds(15))
            try c.etcd?.crash(c.etcd?.leader ?? 1)
            c.run(for: .seconds(15))
            return c.state().serialized()
        }
        XCTAssertEqual(try final(), try final())
    }

    func testBadEtcdConfigIsRejected() {
        XCTAssertEqual(failure(#"{"etcd": {"members": 0}}"#),
                       "etcd members must be between 1 and 7 (an odd number: 3, 5 or 7 tolerate 1, 2 or 3 failures)")
        XCTAssertEqual(failure(#"{"etcd": {"members": 9}}"#),
                       "etcd members must be between 1 and 7 (an odd number: 3, 5 or 7 tolerate 1, 2 or 3 failures)")
        XCTAssertEqual(failure(#"{"etcd": {"voters": 3}}"#), "unknown etcd config field \"voters\"")
        XCTAssertEqual(failure(#"{"etcd": 3}"#), "etcd must be an object such as {\"members\": 3}")
    }

    private func failure(_ text: String) -> String? {
        guard let json = try? JSON.parse(text), case .failure(let e) = ClusterConfig.parse(json) else { return nil }
        return e.message
    }
}

extension ClusterOnEtcdTests {
    /// With every member down the API server backs off instead of retrying in a tight loop
    /// (with zero link latency a loop would never let virtual time advance).
    func testAllMembersDownDoesNotSpinAndTheClusterRecovers() throws {
        for latency in [Duration.zero, .millis(1)] {
            var config = ClusterConfig()
            config.seed = 1
            config.etcdMembers = 3
            config.timing.apiLatency = latency
            let c = Cluster(config: config)
            c.run(for: .seconds(5))
            let etcd = try XCTUnwrap(c.etcd)
            let up = c.simulation.processed
            c.run(for: .seconds(10))
            let baseline = c.simulation.processed - up
            for m in etcd.members { try etcd.crash(m.id) }
            c.run(for: .seconds(1))
            let before = c.simulation.processed
            c.run(for: .seconds(10))
            XCTAssertLessThan(c.simulation.processed - before, baseline * 3, "latency \(latency.nanos) ns")
            for m in etcd.members { try etcd.restart(m.id) }
            c.run(for: .seconds(10))
            XCTAssertNotNil(etcd.leader)
            let created = c.request(.create, "configmaps", namespace: "default",
                                    body: ["apiVersion": "v1", "kind": "ConfigMap", "metadata": ["name": "after"]])
            if case .failure(let e) = created { XCTFail("write after recovery failed: \(e.message)") }
            XCTAssertEqual(Set(etcd.members.map(\.kv.revision)), [c.apiServer.store.revision])
        }
    }
}

extension ClusterOnEtcdTests {
    /// The API server compacts etcd every 5 minutes to the revision of the previous round, as
    /// kube-apiserver's compactor does: through Raft on every member, and in its cache.
    func testCompactionReachesEveryMemberAndOldWatchesAreGone() throws {
        let c = try cluster(seed: 5)
        _ = c.apply(manifests: deployment)
        c.run(for: .seconds(11 * 60))
        let etcd = try XCTUnwrap(c.etcd)
        let compacted = etcd.members.map(\.kv.compactedRevision)
        XCTAssertEqual(Set(compacted).count, 1, "\(compacted)")
        XCTAssertGreaterThan(compacted.first ?? 0, 1)
        XCTAssertEqual(c.apiServer.store.compactedRevision, compacted.first)
        let watch = c.request(.watch, "pods", namespace: "default") { $0.resourceVersion = "1" }
        guard case .failure(let gone) = watch else { return XCTFail("a watch from a compacted revision succeeded") }
        XCTAssertEqual(gone.code, 410)
        XCTAssertTrue(gone.message.hasPrefix("too old resource version: 1 ("), gone.message)
    }
}

extension ClusterOnEtcdTests {
    /// A get or list without a resourceVersion is a quorum read on etcd (the API server's
    /// cache serves only resourceVersion=0): without quorum it fails as writes do.
    func testReadsWithoutQuorumFailAndTheCacheStillServesResourceVersionZero() throws {
        let c = try cluster(seed: 2)
        guard case .success = c.apply(manifests: deployment) else { return XCTFail("apply failed") }
        c.run(for: .seconds(20))
        XCTAssertEqual(c.kubectl(["get", "pods"]).stdout.components(separatedBy: "Running").count - 1, 3)
        let etcd = try XCTUnwrap(c.etcd)
        for id in etcd.members.map(\.id) where id != 1 { try etcd.crash(id) }
        let before = c.now
        let printed = c.kubectl(["get", "pods"])
        XCTAssertEqual(printed.stdout, "")
        XCTAssertEqual(printed.stderr, "Error from server: etcdserver: request timed out\n")
        let waited = (c.now - before).nanos
        XCTAssertTrue((7_000_000_000...7_010_000_000).contains(waited), "answered after etcd's 7 s request timeout, not \(waited) ns")
        guard case .failure(let single) = c.request(.get, "deployments", namespace: "default", name: "nginx-deployment") else {
            return XCTFail("a quorum read without quorum succeeded")
        }
        XCTAssertEqual(single.code, 500)
        // resourceVersion=0 asks for whatever the cache holds.
        let cached = c.request(.list, "pods", namespace: "default") { $0.resourceVersion = "0" }
        guard case .success(let list) = cached else { return XCTFail("the cache refused a resourceVersion=0 list") }
        XCTAssertEqual(list["items"].array?.count, 3)
        for id in etcd.members.map(\.id) where id != 1 { try etcd.restart(id) }
        c.run(for: .seconds(10))
        guard case .success(let fresh) = c.request(.get, "deployments", namespace: "default", name: "nginx-deployment") else {
            return XCTFail("no read after healing")
        }
        XCTAssertEqual(fresh["status", "readyReplicas"].int, 3)
    }
}

extension ClusterOnEtcdTests {
    /// The API server's member falls behind and is sent a snapshot: the changes in between
    /// cannot be replayed, so the API server lists everything again, as the apiserver's
    /// cacher does, and tells its watches only what differs. Nothing it held is lost, the
    /// controllers see no pod go (none is replaced), and what was written meanwhile (here by
    /// another etcd client) is there.
    func testAfterItsMemberRestoresASnapshotTheAPIServerRelistsWithoutLosingObjects() throws {
        let c = try cluster(seed: 3)
        guard case .success = c.apply(manifests: deployment) else { return XCTFail("apply failed") }
        c.run(for: .seconds(20))
        XCTAssertEqual(runningPods(c), 3)
        let etcd = try XCTUnwrap(c.etcd)
        etcd.configureSnapshots(every: 10, catchUp: 2)
        let link = try XCTUnwrap(c.apiServer.etcd)
        let apiMember = link.member
        let memberID = try XCTUnwrap(etcd.componentIDs.firstIndex(of: apiMember)).advanced(by: 1)
        let other = try XCTUnwrap(etcd.componentIDs.first { $0 != apiMember })
        let podNames = { (c: Cluster) -> [String] in
            let list = (try? c.request(.list, "pods", namespace: "default") { $0.resourceVersion = "0" }.get()) ?? .null
            return (list["items"].array ?? []).map(\.name).sorted()
        }
        let podsBefore = podNames(c)
        XCTAssertEqual(podsBefore.count, 3)
        let oldRevision = String(c.apiServer.store.revision)

        // Cut the API server's member off from the others; another etcd client writes 40
        // ConfigMaps through the rest, so their logs are compacted past the cut-off member.
        try etcd.isolate(UInt64(memberID))
        // The other two elect a leader among themselves if the cut-off member led.
        c.run(for: .seconds(3))
        for i in 0..<40 {
            let key = "/registry/configmaps/default/written-elsewhere-\(i)"
            let value: JSON = ["apiVersion": "v1", "kind": "ConfigMap",
                               "metadata": ["name": .string("written-elsewhere-\(i)"), "namespace": "default",
                                            "uid": .string("elsewhere-\(i)"), "creationTimestamp": "2024-01-01T00:00:20Z"]]
            let put = Txn(compares: [], success: [.put(key: key, value: value)])
            c.simulation.act(as: c.clientID) { ctx in
                ctx.deliver(.store(.request(EtcdRequest(id: UInt64(1_000 + i), client: ctx.me, operation: .txn(put)))), to: other)
            }
            c.run(for: .millis(50))
        }
        let cutOff = try XCTUnwrap(etcd.members.first { $0.id == UInt64(memberID) })
        XCTAssertEqual(cutOff.snapshotsInstalled, 0)
        try etcd.partition([])  // heal every link
        c.run(for: .seconds(5))
        XCTAssertEqual(cutOff.snapshotsInstalled, 1, "the cut-off member was not sent a snapshot")
        XCTAssertEqual(link.member, apiMember, "the API server moved to another member")

        // The cache holds everything again, at the members' revision.
        XCTAssertEqual(Set(etcd.members.map(\.kv.revision)), [c.apiServer.store.revision])
        XCTAssertEqual(podNames(c), podsBefore)
        let configMaps = try c.request(.list, "configmaps", namespace: "default") { $0.resourceVersion = "0" }.get()
        XCTAssertEqual(configMaps["items"].array?.filter { ($0.name).hasPrefix("written-elsewhere-") }.count, 40)
        // The cache's history starts again at the list: a watch from before it is too old.
        let expired = c.request(.watch, "pods", namespace: "default") { $0.resourceVersion = oldRevision }.failure
        XCTAssertEqual(expired?.code, 410)
        // The controllers saw no pod go: none was replaced, and the same three keep running.
        let since = c.events(since: 0, namespace: "default").cursor
        c.run(for: .seconds(30))
        XCTAssertEqual(podNames(c), podsBefore)
        let later = c.events(since: since, namespace: "default").items
        XCTAssertFalse(later.contains { $0["reason"].string == "SuccessfulCreate" }, "\(later)")
        XCTAssertEqual(runningPods(c), 3)
    }
}
