import XCTest
@testable import KubeSim

/// The node lifecycle controller and taint-based eviction (pkg/controller/nodelifecycle,
/// pkg/controller/tainteviction), driven by node faults.
final class NodeLifecycleTests: XCTestCase {
    func node(_ c: Cluster, _ name: String) -> JSON { c.get("nodes", name, namespace: nil) ?? .null }

    func ready(_ c: Cluster, _ name: String) -> JSON? {
        node(c, name)["status", "conditions"].array?.first { $0["type"].string == "Ready" }
    }

    func taints(_ c: Cluster, _ name: String) -> [String] {
        (node(c, name)["spec", "taints"].array ?? []).map { "\($0["key"].string ?? ""):\($0["effect"].string ?? "")" }
    }

    /// Runs one second at a time until `done` holds (at most `limit` seconds); returns the
    /// seconds it took, or nil.
    func runUntil(_ c: Cluster, limit: Int, _ done: () -> Bool) -> Int? {
        for s in 0...limit {
            if done() { return s }
            c.run(for: .seconds(1))
        }
        return nil
    }

    func testNodeGoesUnknownAfterTheGracePeriodOfEachVersion() throws {
        for (version, grace) in [(KubernetesVersion.v1_18, 40), (.v1_36, 50)] {
            let c = Cluster.seedCluster(version: version)
            c.applyOK(Seed.nginx(replicas: 3))
            c.run(for: .seconds(20))
            let faultAt = c.now
            _ = try c.fault(.fail, scope: .host, name: "minikube-m02").get()
            let renewTime = { () -> VirtualTime? in
                c.get("leases", "minikube-m02", namespace: "kube-node-lease")?["spec", "renewTime"].string.flatMap { VirtualTime(rfc3339: $0) }
            }
            let took = try XCTUnwrap(runUntil(c, limit: 120) { self.ready(c, "minikube-m02")?["status"].string == "Unknown" })
            let lastRenew = try XCTUnwrap(renewTime())
            XCTAssertLessThanOrEqual(lastRenew, faultAt)
            // Unknown at the first 5 s monitor pass past the grace period after the pass that
            // saw the last renewal (up to 5 s after it): grace + 5 to grace + 10 of silence.
            let silence = (c.now - lastRenew).nanos / 1_000_000_000
            XCTAssertGreaterThan(silence, Int64(grace + 4), "\(version)")
            XCTAssertLessThanOrEqual(silence, Int64(grace + 11), "\(version)")
            XCTAssertLessThanOrEqual(took, grace + 11)
            let conditions = node(c, "minikube-m02")["status", "conditions"].array ?? []
            for type in ["Ready", "MemoryPressure", "DiskPressure", "PIDPressure"] {
                let cond = try XCTUnwrap(conditions.first { $0["type"].string == type })
                XCTAssertEqual(cond["status"].string, "Unknown")
                XCTAssertEqual(cond["reason"].string, "NodeStatusUnknown")
                XCTAssertEqual(cond["message"].string, "Kubelet stopped posting node status.")
            }
            // The other nodes stay Ready.
            XCTAssertEqual(ready(c, "minikube-m03")?["status"].string, "True")
            let events = c.eventList()
            let notReady = events.filter { $0["reason"].string == "NodeNotReady" && $0["involvedObject", "kind"].string == "Node" }
            XCTAssertEqual(notReady.map { $0["message"].string ?? "" }, ["Node minikube-m02 status is now: NodeNotReady"])
            XCTAssertEqual(notReady.first?["source", "component"].string, "node-controller")
            XCTAssertTrue(events.contains { $0["reason"].string == "RegisteredNode"
                && $0["message"].string == "Node minikube event: Registered Node minikube in Controller" })
            // Its pods are marked not ready, each with a Warning.
            let onNode = c.pods().filter { $0["spec", "nodeName"].string == "minikube-m02" }
            XCTAssertFalse(onNode.isEmpty)
            for pod in onNode {
                XCTAssertEqual(PodStatus.condition(pod, "Ready"), "False")
                XCTAssertTrue(events.contains { $0["reason"].string == "NodeNotReady" && $0["type"].string == "Warning"
                    && $0["involvedObject", "name"].string == pod.name && $0["message"].string == "Node is not ready" })
            }
        }
    }

    func testTaintsFollowTheConditionAndGoWhenTheNodeRecovers() throws {
        let c = Cluster.seedCluster(version: .v1_36)
        _ = try c.fault(.fail, scope: .host, name: "minikube-m03").get()
        XCTAssertNotNil(runUntil(c, limit: 120) { self.ready(c, "minikube-m03")?["status"].string == "Unknown" })
        c.run(for: .millis(10))
        XCTAssertEqual(taints(c, "minikube-m03"), ["node.kubernetes.io/unreachable:NoSchedule"])
        // NoExecute at the next pass, through the zone's queue.
        XCTAssertNotNil(runUntil(c, limit: 7) { self.taints(c, "minikube-m03").contains("node.kubernetes.io/unreachable:NoExecute") })
        for t in node(c, "minikube-m03")["spec", "taints"].array ?? [] { XCTAssertNotNil(t["timeAdded"].string) }

        let restoredAt = c.now
        _ = try c.fault(.restore, scope: .host, name: "minikube-m03").get()
        XCTAssertNotNil(runUntil(c, limit: 10) { self.ready(c, "minikube-m03")?["status"].string == "True" })
        XCTAssertNotNil(runUntil(c, limit: 10) { self.taints(c, "minikube-m03").isEmpty })
        let ready = try XCTUnwrap(self.ready(c, "minikube-m03"))
        XCTAssertEqual(ready["reason"].string, "KubeletReady")
        XCTAssertGreaterThanOrEqual(try XCTUnwrap(ready["lastTransitionTime"].string.flatMap { VirtualTime(rfc3339: $0) }),
                                    VirtualTime(nanos: restoredAt.nanos / 1_000_000_000 * 1_000_000_000))
        XCTAssertTrue(c.eventList().contains { $0["reason"].string == "NodeReady" && $0["source", "component"].string == "kubelet"
            && $0["source", "host"].string == "minikube-m03" && ($0["count"].int ?? 0) >= 2 })
        // Still healthy a while later: the lease is renewed again.
        c.run(for: .seconds(120))
        XCTAssertEqual(self.ready(c, "minikube-m03")?["status"].string, "True")
    }

    func testCordonTaintsTheNodeUnschedulable() throws {
        let c = Cluster.seedCluster()
        _ = c.kubectl(["cordon", "minikube-m02"])
        c.run(for: .seconds(1))
        XCTAssertEqual(taints(c, "minikube-m02"), ["node.kubernetes.io/unschedulable:NoSchedule"])
        _ = c.kubectl(["uncordon", "minikube-m02"])
        c.run(for: .seconds(1))
        XCTAssertEqual(taints(c, "minikube-m02"), [])
    }

    /// The time the node got its NoExecute taint.
    func noExecuteSince(_ c: Cluster, _ name: String) -> VirtualTime? {
        (node(c, name)["spec", "taints"].array ?? []).first { $0["effect"].string == "NoExecute" }?["timeAdded"].string
            .flatMap { VirtualTime(rfc3339: $0) }
    }

    func testPodsAreEvictedAfterTheDefault300SecondsAndNotBefore() throws {
        for version in KubernetesVersion.allCases {
            let c = Cluster.seedCluster(version: version)
            c.applyOK(Seed.nginx(replicas: 3))
            c.run(for: .seconds(20))
            let victims = c.pods().filter { $0["spec", "nodeName"].string == "minikube-m02" }.map(\.name)
            XCTAssertEqual(victims.count, 1)
            // DefaultTolerationSeconds admission added both tolerations.
            let tolerations = c.pods().first?["spec", "tolerations"].array ?? []
            XCTAssertTrue(tolerations.contains { $0["key"].string == "node.kubernetes.io/unreachable" && $0["tolerationSeconds"].int == 300 })
            _ = try c.fault(.fail, scope: .host, name: "minikube-m02").get()
            XCTAssertNotNil(runUntil(c, limit: 120) { self.noExecuteSince(c, "minikube-m02") != nil })
            let tainted = try XCTUnwrap(noExecuteSince(c, "minikube-m02"))
            let evictionMessage = "Marking for deletion Pod default/\(victims[0])"
            let evicted = { c.eventList().contains { $0["reason"].string == "TaintManagerEviction" && $0["message"].string == evictionMessage } }
            c.run(for: (tainted + .seconds(299)) - c.now)
            XCTAssertFalse(evicted(), "\(version): evicted before 300 s")
            XCTAssertNil(c.get("pods", victims[0])?["metadata", "deletionTimestamp"].string)
            c.run(for: .seconds(2))
            XCTAssertTrue(evicted(), "\(version)")
            let event = try XCTUnwrap(c.eventList().first { $0["message"].string == evictionMessage })
            XCTAssertEqual(event["source", "component"].string, version == .v1_18 ? "taint-controller" : "taint-eviction-controller")
            let pod = try XCTUnwrap(c.get("pods", victims[0]))
            XCTAssertNotNil(pod["metadata", "deletionTimestamp"].string)
            XCTAssertEqual(PodStatus.condition(pod, "DisruptionTarget"), version == .v1_18 ? nil : "True")
            // The ReplicaSet replaces it on a healthy node.
            c.run(for: .seconds(10))
            let running = c.pods().filter { !$0.isTerminating && $0["status", "phase"].string == "Running" }
            XCTAssertEqual(running.count, 3)
            XCTAssertFalse(running.contains { $0["spec", "nodeName"].string == "minikube-m02" })
        }
    }

    func testCustomTolerationSecondsAndForeverTolerations() throws {
        let c = Cluster.seedCluster(version: .v1_36)
        func pod(_ name: String, _ toleration: String) -> String {
            """
            apiVersion: v1
            kind: Pod
            metadata:
              name: \(name)
            spec:
              nodeName: minikube-m02
              tolerations:
            \(toleration)
              containers:
              - name: app
                image: nginx
            """
        }
        c.applyOK(pod("short", "  - {key: node.kubernetes.io/unreachable, operator: Exists, effect: NoExecute, tolerationSeconds: 60}"))
        c.applyOK(pod("forever", "  - {operator: Exists}"))
        c.applyOK(pod("untolerating", "  - {key: other, operator: Exists}"))
        c.run(for: .seconds(10))
        _ = try c.fault(.fail, scope: .host, name: "minikube-m02").get()
        XCTAssertNotNil(runUntil(c, limit: 120) { self.noExecuteSince(c, "minikube-m02") != nil })
        let tainted = try XCTUnwrap(noExecuteSince(c, "minikube-m02"))
        func evicted(_ name: String) -> Bool {
            c.eventList().contains { $0["message"].string == "Marking for deletion Pod default/\(name)" }
        }
        c.run(for: .millis(100))
        // "untolerating" got the 300 s default for unreachable, from the admission plugin.
        XCTAssertFalse(evicted("short"))
        c.run(for: (tainted + .seconds(59)) - c.now)
        XCTAssertFalse(evicted("short"))
        c.run(for: .seconds(2))
        XCTAssertTrue(evicted("short"))
        XCTAssertFalse(evicted("untolerating"))
        c.run(for: .seconds(250))
        XCTAssertTrue(evicted("untolerating"))
        c.run(for: .seconds(3600))
        XCTAssertFalse(evicted("forever"))
        XCTAssertNil(c.get("pods", "forever")?["metadata", "deletionTimestamp"].string)
    }

    func testRecoveryBeforeTheTolerationCancelsTheEviction() throws {
        let c = Cluster.seedCluster(version: .v1_36)
        c.applyOK(Seed.nginx(replicas: 3))
        c.run(for: .seconds(20))
        let victim = try XCTUnwrap(c.pods().first { $0["spec", "nodeName"].string == "minikube-m02" })
        _ = try c.fault(.partition, scope: .host, name: "minikube-m02").get()
        XCTAssertNotNil(runUntil(c, limit: 120) { self.noExecuteSince(c, "minikube-m02") != nil })
        c.run(for: .seconds(100))
        _ = try c.fault(.restore, scope: .host, name: "minikube-m02").get()
        c.run(for: .seconds(20))
        XCTAssertTrue(c.eventList().contains { $0["reason"].string == "TaintManagerEviction"
            && $0["message"].string == "Cancelling deletion of Pod default/\(victim.name)" })
        c.run(for: .seconds(400))
        let pod = try XCTUnwrap(c.get("pods", victim.name))
        XCTAssertNil(pod["metadata", "deletionTimestamp"].string)
        // The partitioned kubelet kept the pod running and put its Ready condition back.
        XCTAssertEqual(PodStatus.condition(pod, "Ready"), "True")
    }
}

extension NodeLifecycleTests {
    /// A bare nginx pod named `name`, bound to minikube-m02 (no scheduler involved).
    static func podOnM02(_ name: String) -> String {
        """
        apiVersion: v1
        kind: Pod
        metadata: {name: \(name)}
        spec:
          nodeName: minikube-m02
          containers: [{name: app, image: "nginx:1.15"}]
        """
    }

    /// A pod deleted while its node was cut off is gone from the kubelet once the node is
    /// back: its pod watch lists again, and what the list no longer names ends as a deletion
    /// would have ended it. Its address is free again, so the next pod on the node takes it.
    func testPodDeletedDuringAPartitionIsReleasedOnRestore() throws {
        let c = Cluster.seedCluster()
        c.applyOK(Self.podOnM02("first"))
        c.run(for: .seconds(30))
        let address = try XCTUnwrap(c.get("pods", "first")?["status", "podIP"].string)

        _ = try c.fault(.partition, scope: .host, name: "minikube-m02").get()
        c.run(for: .seconds(5))
        XCTAssertEqual(c.kubectl(["delete", "pod", "first", "--force", "--grace-period=0"]).exitCode, 0)
        c.run(for: .seconds(5))
        _ = try c.fault(.restore, scope: .host, name: "minikube-m02").get()
        c.run(for: .seconds(5))

        c.applyOK(Self.podOnM02("second"))
        c.run(for: .seconds(30))
        let second = try XCTUnwrap(c.get("pods", "second"))
        XCTAssertEqual(second["status", "phase"].string, "Running")
        XCTAssertEqual(second["status", "podIP"].string, address)
    }

    /// A kubelet's watches broken by a partition or a failure are replaced, not added to: the
    /// API server closes the old ones when the kubelet watches again, so repeated faults
    /// leave the same open watches, and each change to the node's pods goes to one of them.
    func testRestoredKubeletReplacesItsWatches() throws {
        let c = Cluster.seedCluster()
        c.run(for: .seconds(1))
        let open = c.apiServer.watches.count
        XCTAssertEqual(c.apiServer.watches.podWatchCount(node: "minikube-m02"), 1)
        for fault in [Fault.Action.partition, .fail, .partition] {
            _ = try c.fault(fault, scope: .host, name: "minikube-m02").get()
            c.run(for: .seconds(2))
            _ = try c.fault(.restore, scope: .host, name: "minikube-m02").get()
            c.run(for: .seconds(2))
        }
        XCTAssertEqual(c.apiServer.watches.count, open)
        XCTAssertEqual(c.apiServer.watches.podWatchCount(node: "minikube-m02"), 1)
        c.applyOK(Self.podOnM02("after"))
        c.run(for: .seconds(30))
        XCTAssertEqual(c.get("pods", "after")?["status", "phase"].string, "Running")
    }

    /// A kubelet cut off between sending its registration and the answer (a node joining a
    /// running cluster) registers once it is back: the API server created the Node, so the
    /// second try is answered 409 and the kubelet reads the Node, as upstream's does. It then
    /// owns its lease and runs pods. Restored before the first answer would have come, that
    /// answer's tag is stale and the second try decides.
    func testKubeletCutOffBeforeItsRegistrationIsAnsweredRegistersOnRestore() throws {
        for (fault, restore) in [(Fault.Action.partition, Duration.seconds(5)), (.fail, .seconds(5)),
                                 (.partition, .micros(1800)), (.fail, .micros(1800))] {
            let c = Cluster.seedCluster()
            c.run(for: .seconds(1))
            let config = NodeConfig(name: "joiner", controlPlane: false, internalIP: "192.168.49.9")
            let kubelet = Kubelet(config: config, timing: c.config.timing, wording: c.wording)
            let id = c.simulation.register(kubelet)
            // The request reaches the API server after 1 ms; its answer would arrive at 2 ms.
            let tag: Kubelet.TimerTag = fault == .partition ? .partition : .fail
            c.simulation.inject(.timer(tag.rawValue), to: id, after: .micros(1500))
            c.simulation.inject(.timer(Kubelet.TimerTag.restore.rawValue), to: id, after: restore)
            let label = "\(fault) restored after \(restore.nanos / 1000) µs"
            if restore > .seconds(1) {
                c.run(for: .seconds(3))
                XCTAssertNotNil(c.get("nodes", "joiner", namespace: nil), "the API server created the Node")
                XCTAssertFalse(kubelet.registered)
            }
            c.run(for: .seconds(5))
            XCTAssertTrue(kubelet.registered, label)
            let node = try XCTUnwrap(c.get("nodes", "joiner", namespace: nil), label)
            let lease = try XCTUnwrap(c.get("leases", "joiner", namespace: "kube-node-lease"), label)
            XCTAssertEqual(lease["metadata", "ownerReferences"].array?.first?["uid"].string, node.uid, label)
            c.applyOK(Self.podOnM02("joined").replacingOccurrences(of: "minikube-m02", with: "joiner"))
            c.run(for: .seconds(30))
            XCTAssertEqual(c.get("pods", "joined")?["status", "phase"].string, "Running", label)
        }
    }

    /// A pod whose containers stopped while its node was cut off is removed once the node is
    /// back: the kubelet's final delete was lost on the way, and it sends it again when its
    /// relist shows the pod still there.
    func testFinalDeleteLostInAPartitionIsSentAgain() throws {
        let c = Cluster.seedCluster()
        c.applyOK(Self.podOnM02("leaving"))
        c.run(for: .seconds(30))
        // The kubelet sees the deletion 1 ms later and stops the container for 500 ms; the
        // partition falls in between, so its final delete is lost.
        _ = try c.request(.delete, "pods", namespace: "default", name: "leaving").get()
        c.run(for: .millis(100))
        _ = try c.fault(.partition, scope: .host, name: "minikube-m02").get()
        c.run(for: .seconds(5))
        XCTAssertNotNil(c.get("pods", "leaving")?["metadata", "deletionTimestamp"].string)
        _ = try c.fault(.restore, scope: .host, name: "minikube-m02").get()
        c.run(for: .seconds(1))
        XCTAssertFalse(c.pods().contains { $0.name == "leaving" }, "the pod is still there")
    }

    /// A pod's address is released once, when its containers have stopped. A pod that takes
    /// it in the round trip before the API server reports the first pod gone keeps it: the
    /// report releases nothing more, and the next pod gets another address.
    func testAnAddressIsReleasedOnceWhenAPodStops() throws {
        let c = Cluster.seedCluster()
        c.applyOK(Self.podOnM02("first"))
        c.run(for: .seconds(30))
        let address = try XCTUnwrap(c.get("pods", "first")?["status", "podIP"].string)
        // The kubelet sees the deletion 1 ms later (the default link latency), stops the
        // container in 500 ms and frees the address; its final delete reaches the API server
        // 1 ms after that, and the API server's DELETED event reaches it 1 ms later again.
        // "second" is created as the address is freed, so it arrives in that round trip.
        _ = try c.request(.delete, "pods", namespace: "default", name: "first").get()
        c.run(for: .millis(501))
        c.applyOK(Self.podOnM02("second"))
        c.run(for: .seconds(30))
        XCTAssertNil(c.get("pods", "first"))
        XCTAssertEqual(c.get("pods", "second")?["status", "podIP"].string, address)
        c.applyOK(Self.podOnM02("third"))
        c.run(for: .seconds(30))
        let third = try XCTUnwrap(c.get("pods", "third")?["status", "podIP"].string)
        XCTAssertNotEqual(third, address)
    }
}

extension NodeLifecycleTests {
    /// Ready=False (as a kubelet reporting NotReady writes it) gives the not-ready taints; when
    /// the node then falls silent, Unknown swaps them for unreachable at once.
    func testNotReadyTaintsAndTheSwapToUnreachable() throws {
        let c = Cluster.seedCluster(version: .v1_36)
        // Cut the kubelet off so that it does not put its own status back.
        _ = try c.fault(.partition, scope: .host, name: "minikube-m02").get()
        c.run(for: .seconds(1))
        var conditions = node(c, "minikube-m02")["status", "conditions"].array ?? []
        for i in conditions.indices where conditions[i]["type"].string == "Ready" {
            conditions[i]["status"] = "False"
            conditions[i]["reason"] = "KubeletNotReady"
            conditions[i]["message"] = "container runtime network not ready"
            conditions[i]["lastHeartbeatTime"] = .string(c.now.rfc3339)
        }
        _ = try c.request(.patch, "nodes", name: "minikube-m02", body: ["status": ["conditions": .array(conditions)]]) {
            $0.subresource = "status"
        }.get()
        c.run(for: .millis(100))
        XCTAssertEqual(taints(c, "minikube-m02"), ["node.kubernetes.io/not-ready:NoSchedule"])
        XCTAssertNotNil(runUntil(c, limit: 11) { self.taints(c, "minikube-m02").contains("node.kubernetes.io/not-ready:NoExecute") })
        // No NodeNotReady from the controller: the Ready change was not its own.
        XCTAssertFalse(c.eventList().contains { $0["reason"].string == "NodeNotReady" && $0["source", "component"].string == "node-controller" })
        XCTAssertNotNil(runUntil(c, limit: 120) { self.ready(c, "minikube-m02")?["status"].string == "Unknown" })
        XCTAssertNotNil(runUntil(c, limit: 6) {
            Set(self.taints(c, "minikube-m02")) == ["node.kubernetes.io/unreachable:NoSchedule", "node.kubernetes.io/unreachable:NoExecute"]
        })
    }
}

extension NodeLifecycleTests {
    func testRegisteredAndRemovedNodeEvents() throws {
        let c = Cluster.seedCluster()
        c.run(for: .seconds(6))
        _ = try c.request(.delete, "nodes", name: "minikube-m03").get()
        c.run(for: .seconds(6))
        let messages = c.eventList().filter { $0["source", "component"].string == "node-controller" }.compactMap { $0["message"].string }
        XCTAssertEqual(messages, ["Node minikube event: Registered Node minikube in Controller",
                                  "Node minikube-m02 event: Registered Node minikube-m02 in Controller",
                                  "Node minikube-m03 event: Registered Node minikube-m03 in Controller",
                                  "Node minikube-m03 event: Removing Node minikube-m03 from Controller"])
    }
}

extension NodeLifecycleTests {
    /// A node labelled node.kubernetes.io/exclude-disruption does not count for its zone: with
    /// the only healthy node excluded, the zone is fully disrupted and nothing is evicted.
    func testExcludedNodeDoesNotCountForTheZone() throws {
        for excluded in [false, true] {
            var config = ClusterConfig()
            if excluded { config.nodes[0].labels.append(("node.kubernetes.io/exclude-disruption", "")) }
            let c = Cluster(config: config)
            _ = try c.fault(.fail, scope: .host, name: "minikube-m02").get()
            _ = try c.fault(.fail, scope: .host, name: "minikube-m03").get()
            c.run(for: .seconds(120))
            let tainted = ["minikube-m02", "minikube-m03"].filter { noExecuteSince(c, $0) != nil }
            XCTAssertEqual(tainted.count, excluded ? 0 : 2, "excluded: \(excluded)")
        }
    }
}
