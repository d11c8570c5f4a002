import XCTest
@testable import KubeSim

/// The node IPAM controller's range allocator: a /24 per node out of the cluster CIDR.
final class NodeIPAMTests: XCTestCase {
    private func cluster(_ settings: String) throws -> Cluster {
        Cluster(config: try ClusterConfig.parse(JSON.parse(settings)).get())
    }

    func testMinikubesCIDRHoldsTwoHundredFiftySixNodes() throws {
        let c = try cluster(#"{"nodes": 258, "systemDaemonSets": false}"#)
        c.run(for: .seconds(5))
        let nodes = c.apiServer.store.all().filter { $0.key.hasPrefix("/registry/nodes/") }.map(\.value)
        let withRange = nodes.compactMap { $0["spec", "podCIDR"].string }
        XCTAssertEqual(withRange.count, 256)
        XCTAssertEqual(Set(withRange).count, 256)
        XCTAssertTrue(withRange.contains("10.244.255.0/24"))
        let refused = c.apiServer.store.all().filter { $0.key.hasPrefix("/registry/events/") }.map(\.value)
            .filter { $0["reason"].string == "CIDRNotAvailable" }
        XCTAssertEqual(refused.count, 2)
        XCTAssertEqual(refused.first?["message"].string?.hasSuffix("status is now: CIDRNotAvailable"), true)
    }

    func testABiggerClusterCIDRServesMoreNodes() throws {
        let c = try cluster(#"{"nodes": 300, "clusterCIDR": "10.96.0.0/12", "systemDaemonSets": false}"#)
        c.run(for: .seconds(5))
        let ranges = c.apiServer.store.all().filter { $0.key.hasPrefix("/registry/nodes/") }
            .compactMap { $0.value["spec", "podCIDR"].string }
        XCTAssertEqual(Set(ranges).count, 300)
        XCTAssertTrue(ranges.contains("10.96.0.0/24"))
        XCTAssertTrue(ranges.contains("10.97.43.0/24"), "the 300th range crosses into the next /16")
    }

    func testBadClusterCIDRsAreRefused() {
        for bad in ["10.244.0.0", "10.244.0.0/25", "10.244.0.0/7", "300.1.1.1/16", "a.b.c.d/16", "10.244.0/16"] {
            let parsed = (try? JSON.parse(#"{"clusterCIDR": "\#(bad)"}"#)).map(ClusterConfig.parse)
            guard case .failure(let e)? = parsed else { XCTFail("accepted \(bad)"); continue }
            XCTAssertEqual(e.message, "clusterCIDR must be an IPv4 network with a prefix of /8 to /24, such as 10.244.0.0/16")
        }
        XCTAssertEqual(ClusterCIDR("10.244.7.9/16")?.description, "10.244.0.0/16")
    }
}
