import XCTest
@testable import KubeSim

/// How a ReplicaSet claims pods (upstream's ClaimPods): a pod it controls but no longer
/// selects is released and replaced; an orphan it selects is adopted, not replaced.
final class ControllerOwnershipTests: XCTestCase {
    private func nginxCluster() -> Cluster {
        let cluster = Cluster.seedCluster()
        cluster.applyOK(Seed.nginxDeployment)
        cluster.run(for: .seconds(20))
        return cluster
    }

    private func replicaSet(_ cluster: Cluster) throws -> JSON {
        try XCTUnwrap(cluster.request(.list, "replicasets", namespace: "default").get()["items"].array?.first)
    }

    private func created(_ cluster: Cluster) -> Int {
        cluster.eventList().filter { $0["reason"].string == "SuccessfulCreate" }.count
    }

    func testAPodRelabelledOutOfTheSelectorIsReleasedAndReplaced() throws {
        let cluster = nginxCluster()
        let pods = cluster.pods("app=nginx-pod").map(\.name).sorted()
        XCTAssertEqual(pods.count, 3)
        let debug = try XCTUnwrap(pods.first)
        // The classic way to take a pod out of service for debugging: change its labels.
        _ = try cluster.request(.patch, "pods", namespace: "default", name: debug) {
            $0.body = ["metadata": ["labels": ["app": "debug"]]]
        }.get()
        cluster.run(for: .seconds(20))

        let released = try XCTUnwrap(cluster.get("pods", debug))
        XCTAssertNil(released.controllerRef, "the ReplicaSet let go of the pod")
        XCTAssertNil(released["metadata", "ownerReferences"].array, "an empty list is not kept")
        XCTAssertEqual(released["status", "phase"].string, "Running")
        let serving = cluster.pods("app=nginx-pod")
        XCTAssertEqual(serving.count, 3)
        XCTAssertFalse(serving.contains { $0.name == debug })
        XCTAssertEqual(created(cluster), 4)
        XCTAssertEqual(try replicaSet(cluster)["status", "replicas"].int, 3)
    }

    func testAnOrphanTheSelectorMatchesIsAdoptedNotReplaced() throws {
        let cluster = nginxCluster()
        let rs = try replicaSet(cluster)
        let pod = try XCTUnwrap(cluster.pods("app=nginx-pod").map(\.name).sorted().first)
        _ = try cluster.request(.patch, "pods", namespace: "default", name: pod) {
            $0.patchType = .json
            $0.body = [["op": "remove", "path": "/metadata/ownerReferences"]]
        }.get()
        cluster.run(for: .seconds(20))

        let adopted = try XCTUnwrap(cluster.get("pods", pod))
        XCTAssertEqual(adopted.controllerRef?["uid"].string, rs.uid)
        XCTAssertEqual(adopted.controllerRef?["kind"].string, "ReplicaSet")
        XCTAssertEqual(adopted.controllerRef?["blockOwnerDeletion"].bool, true)
        XCTAssertEqual(cluster.pods("app=nginx-pod").count, 3)
        XCTAssertEqual(created(cluster), 3, "nothing was created in the orphan's place")
    }

    func testAReplicaSetAdoptsAMatchingPodThatWasThereFirst() throws {
        let cluster = Cluster.seedCluster()
        cluster.applyOK("""
            apiVersion: v1
            kind: Pod
            metadata:
              name: hand-made
              labels:
                app: web
            spec:
              containers:
              - name: nginx
                image: nginx:1.15
            """)
        cluster.run(for: .seconds(10))
        cluster.applyOK("""
            apiVersion: apps/v1
            kind: ReplicaSet
            metadata:
              name: web
            spec:
              replicas: 3
              selector:
                matchLabels:
                  app: web
              template:
                metadata:
                  labels:
                    app: web
                spec:
                  containers:
                  - name: nginx
                    image: nginx:1.15
            """)
        cluster.run(for: .seconds(20))
        let rs = try XCTUnwrap(cluster.get("replicasets", "web"))
        let pods = cluster.pods("app=web")
        XCTAssertEqual(pods.count, 3)
        XCTAssertTrue(pods.allSatisfy { $0.controllerRef?["uid"].string == rs.uid })
        XCTAssertEqual(cluster.get("pods", "hand-made")?.controllerRef?["name"].string, "web")
        XCTAssertEqual(created(cluster), 2, "the adopted pod counts as one of the three")
        XCTAssertEqual(rs["status", "replicas"].int, 3)
    }
}
