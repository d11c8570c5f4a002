import XCTest
@testable import KubeSim

/// Where the etcd members run decides how long a write takes: a write commits once a quorum
/// has it, so it pays for the nearest quorum's distance.
final class EtcdPlacementTests: XCTestCase {
    private func cluster(_ places: [(String, String)]) throws -> Cluster {
        let locations = places.map { #"{"region": "\#($0.0)", "zone": "\#($0.1)"}"# }.joined(separator: ", ")
        let json = #"{"etcd": {"members": \#(places.count), "locations": [\#(locations)]}}"#
        let config = try ClusterConfig.parse(JSON.parse(json)).get()
        return Cluster(config: config)
    }

    /// Virtual time one ConfigMap create takes, from the call to its answer.
    private func writeLatency(_ c: Cluster, _ name: String) -> Duration {
        c.run(for: .seconds(1))
        let start = c.now
        let created = c.request(.create, "configmaps", namespace: "default",
                                body: ["apiVersion": "v1", "kind": "ConfigMap", "metadata": ["name": .string(name)]])
        if case .failure(let e) = created { XCTFail("create failed: \(e.message)") }
        return c.now - start
    }

    func testOneZoneCommitsInMilliseconds() throws {
        let c = try cluster([("koreacentral", "1"), ("koreacentral", "1"), ("koreacentral", "1")])
        let took = writeLatency(c, "near")
        XCTAssertLessThan(took, .millis(10), "\(took.nanos) ns")
    }

    func testThreeRegionsPayTwoCrossings() throws {
        let c = try cluster([("koreacentral", "1"), ("koreasouth", "1"), ("japaneast", "1")])
        // The leader (member 1, beside the API server) waits for one member 10 ms away:
        // there and back, plus that member's WAL write.
        let took = writeLatency(c, "far")
        XCTAssertGreaterThanOrEqual(took, .millis(21), "\(took.nanos) ns")
        XCTAssertLessThan(took, .millis(40), "\(took.nanos) ns")
    }

    func testAQuorumInOneRegionKeepsWritesFast() throws {
        // Two members in Korea Central make a quorum without crossing to Korea South.
        let c = try cluster([("koreacentral", "1"), ("koreacentral", "2"), ("koreasouth", "1")])
        let took = writeLatency(c, "quorum")
        XCTAssertLessThan(took, .millis(10), "\(took.nanos) ns")
        XCTAssertGreaterThanOrEqual(took, .millis(4), "\(took.nanos) ns")
    }

    func testStatusShowsWhereMembersRun() throws {
        let c = try cluster([("koreacentral", "1"), ("koreacentral", "2"), ("koreasouth", "1")])
        let status = try c.etcdCall(["action": "status"]).get()
        let regions = (status["members"].array ?? []).map { $0["region"].string ?? "" }
        XCTAssertEqual(regions, ["koreacentral", "koreacentral", "koreasouth"])
    }

    func testBadLocationsAreRefused() {
        for (json, wording) in [
            (#"{"etcd": {"members": 3, "locations": [{"region": "a", "zone": "1"}]}}"#, "one place per member: 1 locations for 3 members"),
            (#"{"etcd": {"members": 1, "locations": [{"region": "a"}]}}"#, "locations[0] needs a non-empty \"region\" and \"zone\""),
            (#"{"etcd": {"members": 1, "crossRegionMillis": -1}}"#, "crossRegionMillis must be a number of milliseconds"),
        ] {
            guard let parsed = try? JSON.parse(json), case .failure(let e) = ClusterConfig.parse(parsed) else {
                XCTFail("accepted \(json)")
                continue
            }
            XCTAssertEqual(e.code, 400)
            XCTAssertTrue(e.message.contains(wording), e.message)
        }
    }
}
