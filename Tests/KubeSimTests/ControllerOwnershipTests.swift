import XCTest
@testable import KubeSim

/// How ReplicaSets and DaemonSets claim pods (upstream's ClaimPods): a pod one controls but
/// no longer selects is released and replaced; an orphan one selects is adopted, not replaced.
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

    /// A pod made by hand, labelled as the `web` ReplicaSets select.
    private let handMadePod = """
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
        """

    /// A ReplicaSet selecting `app=web`; its pods carry `app: web` and `extraLabel`.
    private func webReplicaSet(_ name: String, replicas: Int, extraLabel: String = "") -> String {
        """
        apiVersion: apps/v1
        kind: ReplicaSet
        metadata:
          name: \(name)
        spec:
          replicas: \(replicas)
          selector:
            matchLabels:
              app: web
          template:
            metadata:
              labels:
                app: web
                \(extraLabel)
            spec:
              containers:
              - name: nginx
                image: nginx:1.15
        """
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
        cluster.applyOK(handMadePod)
        cluster.run(for: .seconds(10))
        cluster.applyOK(webReplicaSet("web", replicas: 3))
        cluster.run(for: .seconds(20))
        let rs = try XCTUnwrap(cluster.get("replicasets", "web"))
        let pods = cluster.pods("app=web")
        XCTAssertEqual(pods.count, 3)
        XCTAssertTrue(pods.allSatisfy { $0.controllerRef?["uid"].string == rs.uid })
        XCTAssertEqual(cluster.get("pods", "hand-made")?.controllerRef?["name"].string, "web")
        XCTAssertEqual(created(cluster), 2, "the adopted pod counts as one of the three")
        XCTAssertEqual(rs["status", "replicas"].int, 3)
    }

    /// `fullyLabeledReplicas` counts the pods that carry every label of the template, which an
    /// adopted pod need not.
    func testAnAdoptedPodWithoutTheTemplatesLabelsIsNotFullyLabelled() throws {
        let cluster = Cluster.seedCluster()
        cluster.applyOK(handMadePod)
        cluster.run(for: .seconds(10))
        cluster.applyOK(webReplicaSet("web", replicas: 3, extraLabel: "tier: front"))
        cluster.run(for: .seconds(20))
        let rs = try XCTUnwrap(cluster.get("replicasets", "web"))
        XCTAssertEqual(cluster.get("pods", "hand-made")?.controllerRef?["name"].string, "web")
        XCTAssertEqual(cluster.pods("app=web,tier=front").count, 2)
        XCTAssertEqual(rs["status", "replicas"].int, 3)
        XCTAssertEqual(rs["status", "fullyLabeledReplicas"].int, 2)
        XCTAssertEqual(rs["status", "readyReplicas"].int, 3)
    }

    func testADaemonSetAdoptsItsOrphanAndReplacesAPodRelabelledAway() throws {
        let cluster = Cluster.seedCluster()
        cluster.run(for: .seconds(5))
        let ds = try XCTUnwrap(cluster.get("daemonsets", "kube-proxy", namespace: "kube-system"))
        let proxies = cluster.pods("k8s-app=kube-proxy", namespace: "kube-system").sorted { $0.name < $1.name }
        XCTAssertEqual(proxies.count, 3)
        let orphaned = proxies[0], relabelled = proxies[1]
        _ = try cluster.request(.patch, "pods", namespace: "kube-system", name: orphaned.name) {
            $0.patchType = .json
            $0.body = [["op": "remove", "path": "/metadata/ownerReferences"]]
        }.get()
        _ = try cluster.request(.patch, "pods", namespace: "kube-system", name: relabelled.name) {
            $0.body = ["metadata": ["labels": ["k8s-app": "debug"]]]
        }.get()
        cluster.run(for: .seconds(20))

        // The orphan is the set's again; the relabelled pod is let go and its node gets a new one.
        XCTAssertEqual(cluster.get("pods", orphaned.name, namespace: "kube-system")?.controllerRef?["uid"].string, ds.uid)
        let away = try XCTUnwrap(cluster.get("pods", relabelled.name, namespace: "kube-system"))
        XCTAssertNil(away.controllerRef)
        let now = cluster.pods("k8s-app=kube-proxy", namespace: "kube-system")
        XCTAssertEqual(now.count, 3)
        XCTAssertTrue(now.allSatisfy { $0.controllerRef?["uid"].string == ds.uid })
        let node = relabelled["spec", "nodeName"].string
        XCTAssertEqual(now.filter { $0["spec", "nodeName"].string == node }.count, 1)
        XCTAssertFalse(now.contains { $0.name == relabelled.name })
        let status = try XCTUnwrap(cluster.get("daemonsets", "kube-proxy", namespace: "kube-system"))["status"]
        XCTAssertEqual(status["currentNumberScheduled"].int, 3)
        XCTAssertEqual(status["numberMisscheduled"].int ?? 0, 0)
    }

    func testTwoReplicaSetsSelectingOneOrphanDoNotBothTakeIt() throws {
        let cluster = Cluster.seedCluster()
        cluster.applyOK(handMadePod)
        cluster.run(for: .seconds(10))
        cluster.applyOK(webReplicaSet("a", replicas: 1) + "\n---\n" + webReplicaSet("b", replicas: 1))
        cluster.run(for: .seconds(20))

        let a = try XCTUnwrap(cluster.get("replicasets", "a")), b = try XCTUnwrap(cluster.get("replicasets", "b"))
        let pods = cluster.pods("app=web")
        XCTAssertEqual(pods.count, 2, pods.map(\.name).description)
        XCTAssertEqual(cluster.get("pods", "hand-made")?.controllerRef?["uid"].string, a.uid)
        XCTAssertEqual(pods.filter { $0.controllerRef?["uid"].string == b.uid }.count, 1)
        XCTAssertTrue(pods.allSatisfy { ($0["metadata", "ownerReferences"].array ?? []).count == 1 })
        XCTAssertEqual(a["status", "replicas"].int, 1)
        XCTAssertEqual(b["status", "replicas"].int, 1)
    }

    /// The pod and its ReplicaSet applied together: the adoption races the kubelet's first
    /// status writes (a refused adoption is noted again and retried after a backoff).
    func testAnOrphanStillStartingIsAdoptedInTheEnd() throws {
        let cluster = Cluster.seedCluster()
        cluster.applyOK(handMadePod + "\n---\n" + webReplicaSet("web", replicas: 2))
        cluster.run(for: .seconds(30))
        let rs = try XCTUnwrap(cluster.get("replicasets", "web"))
        XCTAssertEqual(cluster.get("pods", "hand-made")?.controllerRef?["uid"].string, rs.uid)
        XCTAssertEqual(cluster.pods("app=web").count, 2)
        XCTAssertEqual(rs["status", "readyReplicas"].int, 2)
    }
}
