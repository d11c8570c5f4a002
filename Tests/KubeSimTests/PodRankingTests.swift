import XCTest
@testable import KubeSim

/// The scale-down order (`PodRanking.deletionOrder`, upstream's `ActivePodsWithRanks`). The
/// ReplicaSet controller hands it its pods in no particular order (a set's), so the order it
/// returns must not depend on the order it is given: pods that tie on every rank go by key.
final class PodRankingTests: XCTestCase {
    private func pod(_ name: String, node: String, phase: String = "Running", ready: Bool = true,
                     created: String = "2024-01-01T00:00:00Z") -> JSON {
        [
            "metadata": ["name": .string(name), "namespace": "default", "creationTimestamp": .string(created)],
            "spec": ["nodeName": .string(node)],
            "status": [
                "phase": .string(phase),
                "conditions": [["type": "Ready", "status": ready ? "True" : "False",
                                "lastTransitionTime": "2024-01-01T00:00:05Z"]],
            ],
        ]
    }

    func testPodsThatTieOnEveryRankGoInKeyOrderWhateverTheInputOrder() {
        let pods = [pod("web-c", node: "m01"), pod("web-a", node: "m02"), pod("web-b", node: "m03")]
        for permutation in [[0, 1, 2], [0, 2, 1], [1, 0, 2], [1, 2, 0], [2, 0, 1], [2, 1, 0]] {
            let input = permutation.map { pods[$0] }
            XCTAssertEqual(PodRanking.deletionOrder(input, related: input).map(\.name), ["web-a", "web-b", "web-c"],
                           "input order \(permutation)")
        }
    }

    func testRanksComeBeforeKeys() {
        // Not ready before ready; then the newer of two otherwise equal pods; the key last.
        let pods = [
            pod("web-a", node: "m01"),
            pod("web-b", node: "m02", created: "2024-01-01T00:00:03Z"),
            pod("web-c", node: "m03", ready: false),
            pod("web-d", node: "m04"),
        ]
        for input in [pods, pods.reversed()] {
            XCTAssertEqual(PodRanking.deletionOrder(input, related: input).map(\.name),
                           ["web-c", "web-b", "web-a", "web-d"])
        }
    }
}
