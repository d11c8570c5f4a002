import XCTest
@testable import KubeSim

/// The embedding program's view of the loop (`Cluster.messageObserver`): every message a
/// component handles, from start-up on, labelled by component and kind, in matched pairs.
final class MessageObserverTests: XCTestCase {
    final class Tally: MessageObserver {
        var counts: [String: Int] = [:]
        var open = 0, unmatched = 0
        func willHandle(component: String, message: String) {
            if open != 0 { unmatched += 1 }
            open += 1
            counts[component + " " + message, default: 0] += 1
        }
        func didHandle() { open -= 1 }
    }

    func testTheObserverSeesEveryMessageFromStartUpOn() throws {
        let tally = Tally()
        var config = ClusterConfig()
        config.seed = 1
        let cluster = Cluster(config: config, messageObserver: tally)
        // Start-up: three kubelets register their nodes and the controller manager starts.
        XCTAssertEqual(tally.counts["APIServer create nodes"], 3)
        XCTAssertEqual(tally.counts["ControllerManager start"], 1)
        guard case .success = cluster.apply(manifests: Seed.nginxDeployment) else { return XCTFail("apply failed") }
        cluster.run(for: .seconds(10))
        XCTAssertEqual(tally.unmatched, 0)
        XCTAssertEqual(tally.open, 0)
        XCTAssertEqual(tally.counts.values.reduce(0, +), cluster.messagesHandled)
        // The seed's chain as message kinds: the ReplicaSet controller creates 3 more pods
        // (after the system DaemonSets' 6 and the 4 static pods' mirrors), the scheduler binds them.
        XCTAssertEqual(tally.counts["APIServer create pods"], 13)
        XCTAssertEqual(tally.counts["APIServer create pods/binding"], 9)
        XCTAssertGreaterThan(tally.counts["Kubelet watch Pod ADDED"] ?? 0, 0)
        cluster.messageObserver = nil
        let before = tally.counts.values.reduce(0, +)
        cluster.run(for: .seconds(10))
        XCTAssertEqual(tally.counts.values.reduce(0, +), before)
    }
}
