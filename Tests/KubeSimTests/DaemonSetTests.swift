import XCTest
@testable import KubeSim

/// The DaemonSet controller: one pod per eligible node, upstream's tolerations and node
/// affinity, cordon, taints, rolling update and status; the system DaemonSets of a new cluster.
final class DaemonSetTests: XCTestCase {
    static func agent(image: String = "fluentd:1", extraSpec: String = "") -> String {
        """
        apiVersion: apps/v1
        kind: DaemonSet
        metadata:
          name: agent
        spec:
          selector:
            matchLabels:
              app: agent
          template:
            metadata:
              labels:
                app: agent
            spec:
              containers:
              - name: agent
                image: \(image)
        \(extraSpec)
        """
    }

    private func cluster(nodes: String = "3") -> Cluster {
        try! Cluster.create(configText: "{\"nodes\": \(nodes), \"systemDaemonSets\": false}").get()
    }

    func testOnePodPerNodeWithUpstreamTolerationsAndAffinity() throws {
        let cluster = cluster()
        cluster.applyOK(Self.agent())
        cluster.run(for: .seconds(30))
        let pods = cluster.pods("app=agent")
        XCTAssertEqual(pods.count, 3)
        XCTAssertEqual(Set(pods.compactMap { $0["spec", "nodeName"].string }), ["minikube", "minikube-m02", "minikube-m03"])
        let ds = try XCTUnwrap(cluster.get("daemonsets", "agent"))
        XCTAssertEqual(ds.annotations["deprecated.daemonset.template.generation"].string, "1")
        for pod in pods {
            XCTAssertEqual(pod["status", "phase"].string, "Running")
            XCTAssertEqual(pod.labels["pod-template-generation"].string, "1")
            XCTAssertEqual(pod.labels["controller-revision-hash"].string, DaemonSetUtil.hash(ds))
            XCTAssertTrue(pod.name.hasPrefix("agent-"))
            let terms = pod["spec", "affinity", "nodeAffinity", "requiredDuringSchedulingIgnoredDuringExecution", "nodeSelectorTerms"]
            XCTAssertEqual(terms, [["matchFields": [["key": "metadata.name", "operator": "In",
                                                     "values": [pod["spec", "nodeName"]]]]]])
            let tolerations = (pod["spec", "tolerations"].array ?? []).map { "\($0["key"].string ?? ""):\($0["effect"].string ?? ""):\($0["tolerationSeconds"].int.map(String.init) ?? "-")" }
            XCTAssertEqual(tolerations, [
                "node.kubernetes.io/not-ready:NoExecute:-", "node.kubernetes.io/unreachable:NoExecute:-",
                "node.kubernetes.io/disk-pressure:NoSchedule:-", "node.kubernetes.io/memory-pressure:NoSchedule:-",
                "node.kubernetes.io/pid-pressure:NoSchedule:-", "node.kubernetes.io/unschedulable:NoSchedule:-",
            ])
        }
        // The template's ControllerRevision, which the pods' hash label names.
        let revisions = try XCTUnwrap(cluster.request(.list, "controllerrevisions", namespace: "default").get()["items"].array)
        XCTAssertEqual(revisions.count, 1)
        XCTAssertEqual(revisions[0].name, "agent-\(DaemonSetUtil.hash(ds))")
        XCTAssertEqual(revisions[0]["revision"].int, 1)
        XCTAssertEqual(revisions[0].labels["controller-revision-hash"].string, DaemonSetUtil.hash(ds))
        XCTAssertEqual(revisions[0]["data", "spec", "template", "$patch"].string, "replace")
        XCTAssertEqual(revisions[0].controllerRef?["name"].string, "agent")
        let status = ds["status"]
        XCTAssertEqual(status, ["currentNumberScheduled": 3, "numberMisscheduled": 0, "desiredNumberScheduled": 3,
                                "numberReady": 3, "observedGeneration": 1, "updatedNumberScheduled": 3,
                                "numberAvailable": 3])
        let events = cluster.eventList().filter { $0["involvedObject", "kind"].string == "DaemonSet" }
        XCTAssertEqual(Set(events.compactMap { $0["message"].string }), Set(pods.map { "Created pod: \($0.name)" }))
        XCTAssertTrue(events.allSatisfy { $0["source", "component"].string == "daemonset-controller" })

        let table = cluster.kubectl(["get", "ds"]).stdout
        let lines = table.split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.first, "NAME    DESIRED   CURRENT   READY   UP-TO-DATE   AVAILABLE   NODE SELECTOR   AGE")
        XCTAssertTrue(lines.last?.hasPrefix("agent   3         3         3       3            3           <none>          ") ?? false, table)
    }

    func testNewNodeCordonedNodeAndTaintedNode() throws {
        let cluster = cluster(nodes: """
            [{"name": "minikube"}, {"name": "m02"},
             {"name": "tainted", "taints": [{"key": "dedicated", "value": "db", "effect": "NoSchedule"}]}]
            """)
        XCTAssertEqual(try cluster.setUnschedulable("m02", true).get(), "node/m02 cordoned")
        cluster.applyOK(Self.agent())
        cluster.run(for: .seconds(30))
        var nodes = Set(cluster.pods("app=agent").compactMap { $0["spec", "nodeName"].string })
        // The cordoned node still gets its pod (the unschedulable toleration); the tainted one does not.
        XCTAssertEqual(nodes, ["minikube", "m02"])
        var ds = try XCTUnwrap(cluster.get("daemonsets", "agent"))
        XCTAssertEqual(ds["status", "desiredNumberScheduled"].int, 2)

        // Tolerating the taint puts a pod there too (a template change: generation 2).
        cluster.applyOK(Self.agent(extraSpec: """
                  tolerations:
                  - key: dedicated
                    operator: Equal
                    value: db
                    effect: NoSchedule
            """))
        cluster.run(for: .seconds(120))
        nodes = Set(cluster.pods("app=agent").compactMap { $0["spec", "nodeName"].string })
        XCTAssertEqual(nodes, ["minikube", "m02", "tainted"])
        ds = try XCTUnwrap(cluster.get("daemonsets", "agent"))
        XCTAssertEqual(ds.annotations["deprecated.daemonset.template.generation"].string, "2")
        XCTAssertEqual(ds["status", "updatedNumberScheduled"].int, 3)
        XCTAssertEqual(cluster.pods("app=agent").count, 3)
    }

    /// A node that joins gets the set's pod; a node that leaves takes it away.
    func testNodesJoiningAndLeaving() throws {
        let cluster = cluster()
        cluster.applyOK(Self.agent())
        cluster.run(for: .seconds(30))
        let node: JSON = ["apiVersion": "v1", "kind": "Node",
                          "metadata": ["name": "late", "labels": ["kubernetes.io/hostname": "late"]]]
        _ = try cluster.request(.create, "nodes", body: node).get()
        cluster.run(for: .seconds(5))
        let forLate = cluster.pods("app=agent").filter { DaemonSetUtil.targetNode($0) == "late" }
        XCTAssertEqual(forLate.count, 1)
        XCTAssertEqual(try XCTUnwrap(cluster.get("daemonsets", "agent"))["status", "desiredNumberScheduled"].int, 4)

        _ = try cluster.request(.delete, "nodes", name: "late").get()
        cluster.run(for: .seconds(5))
        XCTAssertTrue(cluster.pods("app=agent").allSatisfy { DaemonSetUtil.targetNode($0) != "late" || $0.isTerminating })
        XCTAssertEqual(try XCTUnwrap(cluster.get("daemonsets", "agent"))["status", "desiredNumberScheduled"].int, 3)
    }

    /// More nodes than one sync's burst (250 creations): the next syncs create the rest.
    func testManyNodes() throws {
        let cluster = cluster(nodes: "300")
        cluster.applyOK(Self.agent())
        cluster.run(for: .seconds(30))
        let ds = try XCTUnwrap(cluster.get("daemonsets", "agent"))
        XCTAssertEqual(ds["status", "desiredNumberScheduled"].int, 300)
        XCTAssertEqual(ds["status", "currentNumberScheduled"].int, 300)
        XCTAssertEqual(cluster.pods("app=agent").count, 300)
        XCTAssertEqual(Set(cluster.pods("app=agent").compactMap { DaemonSetUtil.targetNode($0) }).count, 300)
    }

    func testMinReadySecondsDelaysAvailability() throws {
        let cluster = cluster()
        cluster.applyOK(Self.agent().replacingOccurrences(of: "  selector:\n", with: "  minReadySeconds: 20\n  selector:\n"))
        cluster.run(for: .seconds(10))
        var ds = try XCTUnwrap(cluster.get("daemonsets", "agent"))
        XCTAssertEqual(ds["status", "numberReady"].int, 3)
        XCTAssertNil(ds["status", "numberAvailable"].int)
        XCTAssertEqual(ds["status", "numberUnavailable"].int, 3)
        cluster.run(for: .seconds(30))
        ds = try XCTUnwrap(cluster.get("daemonsets", "agent"))
        XCTAssertEqual(ds["status", "numberAvailable"].int, 3)
        XCTAssertNil(ds["status", "numberUnavailable"].int)
    }

    func testNodeSelectorLimitsNodes() throws {
        let cluster = cluster(nodes: """
            [{"name": "a", "labels": {"disk": "ssd"}}, {"name": "b"}, {"name": "c", "labels": {"disk": "ssd"}}]
            """)
        cluster.applyOK(Self.agent(extraSpec: """
                  nodeSelector:
                    disk: ssd
            """))
        cluster.run(for: .seconds(30))
        XCTAssertEqual(Set(cluster.pods("app=agent").compactMap { $0["spec", "nodeName"].string }), ["a", "c"])
        let table = cluster.kubectl(["get", "daemonsets"]).stdout
        XCTAssertTrue(table.contains("disk=ssd"), table)
    }

    func testRollingUpdateReplacesPodsOneAtATime() throws {
        let cluster = cluster()
        cluster.applyOK(Self.agent(image: "fluentd:1"))
        cluster.run(for: .seconds(30))
        cluster.applyOK(Self.agent(image: "fluentd:2"))
        // Sample the pods every second: never more than one node without an available pod.
        var maxMissing = 0
        for _ in 0..<180 {
            cluster.run(for: .seconds(1))
            let pods = cluster.pods("app=agent")
            let readyNodes = Set(pods.filter { !$0.isTerminating && PodStatus.isReady($0) }.compactMap { $0["spec", "nodeName"].string })
            maxMissing = max(maxMissing, 3 - readyNodes.count)
        }
        XCTAssertEqual(maxMissing, 1)
        let pods = cluster.pods("app=agent")
        XCTAssertEqual(pods.count, 3)
        XCTAssertTrue(pods.allSatisfy { $0["spec", "containers", "0"].isNull && $0.labels["pod-template-generation"].string == "2" })
        XCTAssertTrue(pods.allSatisfy { ($0["spec", "containers"].array?.first?["image"].string) == "fluentd:2" })
        let deletes = cluster.eventList().filter { $0["reason"].string == "SuccessfulDelete" }
        XCTAssertEqual(deletes.count, 3)
        let revisions = try XCTUnwrap(cluster.request(.list, "controllerrevisions", namespace: "default").get()["items"].array)
        XCTAssertEqual(revisions.map { $0["revision"].int ?? 0 }.sorted(), [1, 2])
    }

    func testOnDeleteWaitsForManualDeletion() throws {
        let cluster = cluster()
        cluster.applyOK(Self.agent(image: "fluentd:1", extraSpec: """
              updateStrategy:
                type: OnDelete
            """.replacingOccurrences(of: "      updateStrategy", with: "  updateStrategy")))
        cluster.run(for: .seconds(30))
        let before = cluster.pods("app=agent")
        XCTAssertEqual(before.count, 3)
        cluster.applyOK(Self.agent(image: "fluentd:2", extraSpec: """
              updateStrategy:
                type: OnDelete
            """.replacingOccurrences(of: "      updateStrategy", with: "  updateStrategy")))
        cluster.run(for: .seconds(60))
        XCTAssertEqual(Set(cluster.pods("app=agent").map(\.name)), Set(before.map(\.name)))
        _ = cluster.kubectl(["delete", "pod", before[0].name])
        cluster.run(for: .seconds(60))
        let after = cluster.pods("app=agent")
        XCTAssertEqual(after.count, 3)
        XCTAssertEqual(after.filter { $0.labels["pod-template-generation"].string == "2" }.count, 1)
        let ds = try XCTUnwrap(cluster.get("daemonsets", "agent"))
        XCTAssertEqual(ds["status", "updatedNumberScheduled"].int, 1)
    }

    func testSystemDaemonSetsRunOnEveryNode() throws {
        let cluster = Cluster.seedCluster()
        cluster.run(for: .seconds(60))
        let pods = cluster.pods(namespace: "kube-system")
        XCTAssertEqual(pods.filter { $0.name.hasPrefix("kindnet-") }.count, 3)
        XCTAssertEqual(pods.filter { $0.name.hasPrefix("kube-proxy-") }.count, 3)
        XCTAssertTrue(pods.allSatisfy { $0["status", "phase"].string == "Running" })
        let table = cluster.kubectl(["get", "ds", "-n", "kube-system"]).stdout
        XCTAssertTrue(table.contains("kube-proxy   3         3         3       3            3           kubernetes.io/os=linux"), table)
        let history = cluster.kubectl(["get", "controllerrevisions", "-n", "kube-system"]).stdout
        XCTAssertEqual(history.split(separator: "\n").first?.split(separator: " ").map(String.init),
                       ["NAME", "CONTROLLER", "REVISION", "AGE"], history)
        XCTAssertTrue(history.contains("daemonset.apps/kube-proxy   1          "), history)
        // Default-namespace output is unchanged.
        XCTAssertEqual(cluster.kubectl(["get", "pods"]).stderr, "No resources found in default namespace.\n")
    }
}
