import XCTest
@testable import KubeSim

/// Same seed and inputs, same bytes.
final class DeterminismTests: XCTestCase {
    private func scenario(seed: UInt64) -> String {
        let cluster = Cluster.seedCluster(seed: seed)
        cluster.applyOK(Seed.nginxDeployment)
        cluster.run(for: .seconds(5))
        _ = cluster.setUnschedulable("minikube-m02", true)
        _ = cluster.kubectl(["scale", "deployment/nginx-deployment", "--replicas=6"])
        cluster.run(for: .seconds(30))
        cluster.applyOK(Seed.labelPods(bApp: "imagetrain"))
        cluster.run(for: .seconds(30))
        return cluster.state().serialized() + cluster.kubectl(["get", "pods", "-o", "wide"]).stdout
    }

    func testSameSeedSameBytes() {
        let a = scenario(seed: 7)
        let b = scenario(seed: 7)
        XCTAssertEqual(a, b)
        XCTAssertNotEqual(a, scenario(seed: 8))
    }
}
