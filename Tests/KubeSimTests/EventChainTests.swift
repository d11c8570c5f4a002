import XCTest
@testable import KubeSim

/// The seed's event chain: Deployment → ReplicaSet → pods → scheduler → kubelet.
final class EventChainTests: XCTestCase {
    func testSeedDeploymentProducesTheEventChain() throws {
        let cluster = Cluster.seedCluster()
        let start = cluster.events(since: 0, namespace: "default").cursor
        cluster.applyOK(Seed.nginxDeployment)
        cluster.run(for: .seconds(10))

        let rsList = try XCTUnwrap(cluster.request(.list, "replicasets", namespace: "default").get()["items"].array)
        XCTAssertEqual(rsList.count, 1)
        let rs = try XCTUnwrap(rsList.first)
        let hash = try XCTUnwrap(rs.labels["pod-template-hash"].string)
        XCTAssertEqual(rs.name, "nginx-deployment-\(hash)")
        XCTAssertTrue(hash.allSatisfy { "456789bcdf".contains($0) }, hash)

        let pods = cluster.pods()
        XCTAssertEqual(pods.count, 3)
        for pod in pods {
            XCTAssertTrue(pod.name.hasPrefix(rs.name + "-"))
            let suffix = pod.name.dropFirst(rs.name.count + 1)
            XCTAssertEqual(suffix.count, 5)
            XCTAssertTrue(suffix.allSatisfy { "bcdfghjklmnpqrstvwxz2456789".contains($0) }, String(suffix))
            XCTAssertEqual(pod["status", "phase"].string, "Running")
            XCTAssertEqual(PodStatus.condition(pod, "Ready"), "True")
            XCTAssertTrue(pod["status", "podIP"].string?.hasPrefix("10.244.") ?? false)
            XCTAssertEqual(pod.controllerRef?["name"].string, rs.name)
        }

        let events = cluster.events(since: start, namespace: "default").items
        func messages(_ reason: String) -> [String] {
            events.filter { $0["reason"].string == reason }.compactMap { $0["message"].string }
        }
        XCTAssertEqual(messages("ScalingReplicaSet"), ["Scaled up replica set \(rs.name) to 3"])
        XCTAssertEqual(Set(messages("SuccessfulCreate")), Set(pods.map { "Created pod: \($0.name)" }))
        XCTAssertEqual(Set(messages("Scheduled")), Set(pods.map {
            "Successfully assigned default/\($0.name) to \($0["spec", "nodeName"].string ?? "")"
        }))
        XCTAssertEqual(messages("Pulling").count + messages("Pulled").filter { $0.contains("already present") }.count, 3)
        XCTAssertTrue(messages("Pulling").allSatisfy { $0 == "Pulling image \"nginx:1.15\"" })
        XCTAssertEqual(messages("Created"), ["Created container nginx", "Created container nginx", "Created container nginx"])
        XCTAssertEqual(messages("Started"), ["Started container nginx", "Started container nginx", "Started container nginx"])

        // Order per pod: SuccessfulCreate → Scheduled → Pulling/Pulled → Created → Started.
        for pod in pods {
            let chain = events.filter { $0["involvedObject", "name"].string == pod.name }.compactMap { $0["reason"].string }
            XCTAssertEqual(chain.first, "Scheduled")
            XCTAssertEqual(Array(chain.suffix(2)), ["Created", "Started"])
        }
        let reasons = events.compactMap { $0["reason"].string }
        XCTAssertEqual(reasons.first, "ScalingReplicaSet")
        XCTAssertLessThan(try XCTUnwrap(reasons.lastIndex(of: "SuccessfulCreate")),
                          try XCTUnwrap(reasons.lastIndex(of: "Started")))

        let deployment = try XCTUnwrap(cluster.get("deployments", "nginx-deployment"))
        XCTAssertEqual(deployment["status", "readyReplicas"].int, 3)
        XCTAssertEqual(deployment["status", "availableReplicas"].int, 3)
        XCTAssertEqual(deployment["status", "updatedReplicas"].int, 3)
    }

    /// involvedObject is an ObjectReference, whose fields are all `omitempty`. The kubelet's
    /// reference to its Node carries kind, name and the name as uid only; a container event's
    /// reference to its Pod carries the namespace, resourceVersion and fieldPath too.
    func testInvolvedObjectsOmitEmptyFields() throws {
        let cluster = Cluster.seedCluster()
        cluster.applyOK(Seed.nginxDeployment)
        cluster.run(for: .seconds(10))
        let events = cluster.eventList()

        let starting = try XCTUnwrap(events.first { $0["reason"].string == "Starting" && $0["involvedObject", "name"].string == "minikube" })
        XCTAssertEqual(starting["involvedObject"], ["kind": "Node", "name": "minikube", "uid": "minikube"])
        _ = cluster.setUnschedulable("minikube-m02", true)
        cluster.run(for: .seconds(2))
        let cordoned = try XCTUnwrap(cluster.eventList().first { $0["reason"].string == "NodeNotSchedulable" })
        XCTAssertEqual(cordoned["involvedObject"], ["kind": "Node", "name": "minikube-m02", "uid": "minikube-m02"])

        let started = try XCTUnwrap(events.first { $0["reason"].string == "Started" })
        let ref = try XCTUnwrap(started["involvedObject"].object)
        XCTAssertEqual(ref.keys, ["kind", "namespace", "name", "uid", "apiVersion", "resourceVersion", "fieldPath"])
        XCTAssertEqual(ref["kind"], "Pod")
        XCTAssertEqual(ref["namespace"], "default")
        XCTAssertEqual(ref["apiVersion"], "v1")
        XCTAssertEqual(ref["fieldPath"], "spec.containers{nginx}")
        XCTAssertFalse(ref["resourceVersion"]?.string?.isEmpty ?? true)
    }

    func testCurrentUpstreamWording() throws {
        let cluster = Cluster.seedCluster(version: .v1_36)
        cluster.applyOK(Seed.nginxDeployment)
        cluster.run(for: .seconds(10))
        let events = cluster.eventList()
        let scaling = events.first { $0["reason"].string == "ScalingReplicaSet" }?["message"].string ?? ""
        XCTAssertTrue(scaling.hasPrefix("Scaled up replica set nginx-deployment-"), scaling)
        XCTAssertTrue(scaling.hasSuffix(" from 0 to 3"), scaling)
        XCTAssertTrue(events.contains { $0["message"].string == "Container created" })
        XCTAssertTrue(events.contains { $0["message"].string == "Container started" })
        let pulled = events.first { $0["reason"].string == "Pulled" }?["message"].string ?? ""
        XCTAssertTrue(pulled.hasPrefix("Successfully pulled image \"nginx:1.15\" in 2s (2s including waiting). Image size: "),
                      pulled)
    }

    func testScaleDownDeletesPods() throws {
        let cluster = Cluster.seedCluster()
        cluster.applyOK(Seed.nginx(replicas: 3))
        cluster.run(for: .seconds(10))
        XCTAssertEqual(cluster.pods("app=nginx").count, 3)
        cluster.applyOK(Seed.nginx(replicas: 1))
        cluster.run(for: .seconds(10))
        XCTAssertEqual(cluster.pods("app=nginx").count, 1)
        let events = cluster.eventList()
        let deletes = events.filter { $0["reason"].string == "SuccessfulDelete" }
        XCTAssertEqual(deletes.count, 2)
        XCTAssertTrue(deletes.allSatisfy { ($0["message"].string ?? "").hasPrefix("Deleted pod: nginx-") })
        XCTAssertTrue(events.contains { ($0["message"].string ?? "").hasPrefix("Scaled down replica set nginx-") &&
            ($0["message"].string ?? "").hasSuffix(" to 1") })
        XCTAssertTrue(events.contains { $0["reason"].string == "Killing" && $0["message"].string == "Stopping container nginx" })
    }

    func testCordonKeepsNewPodsOffTheNode() throws {
        let cluster = Cluster.seedCluster()
        cluster.applyOK(Seed.nginx(replicas: 3))
        cluster.run(for: .seconds(96))
        XCTAssertEqual(try cluster.setUnschedulable("minikube-m02", true).get(), "node/minikube-m02 cordoned")
        XCTAssertEqual(try cluster.setUnschedulable("minikube-m02", true).get(), "node/minikube-m02 already cordoned")
        let before = Set(cluster.pods("app=nginx").map(\.name))
        let nodes = cluster.kubectl(["get", "nodes"]).stdout
        XCTAssertTrue(nodes.contains("minikube-m02   Ready,SchedulingDisabled"), nodes)

        let scaled = cluster.kubectl(["scale", "deployment/nginx", "--replicas=6"])
        XCTAssertEqual(scaled.stdout, "deployment.apps/nginx scaled\n")
        cluster.run(for: .seconds(23))
        let pods = cluster.pods("app=nginx")
        XCTAssertEqual(pods.count, 6)
        let newPods = pods.filter { !before.contains($0.name) }
        XCTAssertEqual(newPods.count, 3)
        for pod in newPods {
            XCTAssertNotEqual(pod["spec", "nodeName"].string, "minikube-m02")
            XCTAssertEqual(pod["status", "phase"].string, "Running")
        }
        XCTAssertEqual(try cluster.setUnschedulable("minikube-m02", false).get(), "node/minikube-m02 uncordoned")
        XCTAssertFalse(cluster.kubectl(["get", "nodes"]).stdout.contains("SchedulingDisabled"))
    }

    /// A cluster with minikube-m03 cordoned and a pod asking for 100 CPUs, 2 s later.
    private func unschedulablePod(_ version: KubernetesVersion) throws -> (Cluster, JSON) {
        let cluster = Cluster.seedCluster(version: version)
        XCTAssertEqual(try cluster.setUnschedulable("minikube-m03", true).get(), "node/minikube-m03 cordoned")
        cluster.applyOK("""
            apiVersion: v1
            kind: Pod
            metadata:
              name: big
            spec:
              containers:
              - name: app
                image: busybox
                resources:
                  requests:
                    cpu: "100"
            """)
        cluster.run(for: .seconds(2))
        let event = try XCTUnwrap(cluster.eventList().first { $0["reason"].string == "FailedScheduling" })
        return (cluster, event)
    }

    func testFailedSchedulingSummary() throws {
        let (cluster, event) = try unschedulablePod(.v1_18)
        XCTAssertEqual(event["type"].string, "Warning")
        XCTAssertEqual(event["message"].string,
                       "0/3 nodes are available: 1 node(s) were unschedulable, 2 Insufficient cpu.")
        let pod = try XCTUnwrap(cluster.get("pods", "big"))
        XCTAssertEqual(pod["status", "phase"].string, "Pending")
        XCTAssertEqual(PodStatus.condition(pod, "PodScheduled"), "False")

        let (_, current) = try unschedulablePod(.v1_36)
        XCTAssertEqual(current["message"].string,
                       "0/3 nodes are available: 1 node(s) were unschedulable, 2 Insufficient cpu. preemption: 0/3 nodes are available: 1 Preemption is not helpful for scheduling, 2 No preemption victims found for incoming pod.")
    }

    func testDeletingADeploymentCollectsItsReplicaSetsAndPods() throws {
        let cluster = Cluster.seedCluster()
        cluster.applyOK(Seed.nginx(replicas: 2))
        cluster.run(for: .seconds(10))
        XCTAssertEqual(cluster.pods("app=nginx").count, 2)
        _ = try cluster.request(.delete, "deployments", namespace: "default", name: "nginx").get()
        cluster.run(for: .seconds(10))
        XCTAssertEqual(cluster.pods("app=nginx").count, 0)
        let rs = try cluster.request(.list, "replicasets", namespace: "default").get()["items"].array ?? []
        XCTAssertTrue(rs.isEmpty)
    }

    func testRollingUpdateReplacesPods() throws {
        let cluster = Cluster.seedCluster()
        cluster.applyOK(Seed.nginx(replicas: 4))
        cluster.run(for: .seconds(10))
        let old = Set(cluster.pods("app=nginx").map(\.name))
        cluster.applyOK(Seed.nginx(replicas: 4).replacingImage("nginx", with: "nginx:1.25"))
        cluster.run(for: .seconds(60))
        let pods = cluster.pods("app=nginx")
        XCTAssertEqual(pods.count, 4)
        XCTAssertTrue(pods.allSatisfy { !old.contains($0.name) && $0["spec", "containers"][index: 0]["image"].string == "nginx:1.25" })
        let rs = try cluster.request(.list, "replicasets", namespace: "default").get()["items"].array ?? []
        XCTAssertEqual(rs.count, 2)
        XCTAssertEqual(rs.map { $0["spec", "replicas"].int ?? -1 }.sorted(), [0, 4])
        let d = try XCTUnwrap(cluster.get("deployments", "nginx"))
        XCTAssertEqual(d.annotations["deployment.kubernetes.io/revision"].string, "2")
        XCTAssertEqual(d["status", "updatedReplicas"].int, 4)
    }
}

extension String {
    /// The manifest with the container image line `image: <old>` replaced.
    func replacingImage(_ old: String, with new: String) -> String {
        split(separator: "\n", omittingEmptySubsequences: false).map { line in
            line.trimmingPrefixSpaces == "image: \(old)" ? line.replacingLastWord(with: new) : String(line)
        }.joined(separator: "\n")
    }
}

extension Substring {
    var trimmingPrefixSpaces: String { String(drop { $0 == " " }) }
    func replacingLastWord(with word: String) -> String {
        guard let space = lastIndex(of: " ") else { return word }
        return String(self[...space]) + word
    }
}

/// Events live an hour after their last write (kube-apiserver --event-ttl=1h).
final class EventTTLTests: XCTestCase {
    func testEventsExpireAfterAnHour() {
        let cluster = Cluster.seedCluster()
        cluster.applyOK(Seed.nginxDeployment)
        cluster.run(for: .seconds(10))
        let chain = cluster.eventList().filter { $0["reason"].string == "ScalingReplicaSet" }
        XCTAssertEqual(chain.count, 1)
        cluster.run(for: .seconds(3000))
        XCTAssertEqual(cluster.eventList().filter { $0["reason"].string == "ScalingReplicaSet" }.count, 1)
        cluster.run(for: .seconds(700))
        XCTAssertTrue(cluster.eventList().filter { $0["reason"].string == "ScalingReplicaSet" }.isEmpty)
        // The objects themselves stay.
        XCTAssertEqual(cluster.pods().count, 3)
    }

    func testARewrittenEventLivesAnHourAfterItsLastWrite() {
        let cluster = Cluster.seedCluster()
        let event = #"{"resource": "events", "namespace": "default", "object": {"apiVersion": "v1", "kind": "Event", "#
            + #""metadata": {"name": "probe.1"}, "involvedObject": {"kind": "Pod", "namespace": "default", "name": "probe"}, "#
            + #""reason": "Probe", "message": "first", "type": "Normal", "count": 1}}"#
        guard case .success = cluster.call(.create, event) else { return XCTFail("create failed") }
        cluster.run(for: .seconds(3000))
        let patch = #"{"resource": "events", "namespace": "default", "name": "probe.1", "patch": {"count": 2}}"#
        guard case .success = cluster.call(.patch, patch) else { return XCTFail("patch failed") }
        // Past the first write's hour, within the second's.
        cluster.run(for: .seconds(1200))
        XCTAssertEqual(cluster.get("events", "probe.1")?["count"].int, 2)
        cluster.run(for: .seconds(2500))
        XCTAssertNil(cluster.get("events", "probe.1"))
    }

    /// The status a running pod ends with, by release: the kubelet's conditions in its own
    /// order (PodScheduled last, each with a null lastProbeTime), and on 1.36 the sandbox
    /// condition, the host's address list and the generation observed.
    func testRunningPodStatusByRelease() throws {
        for version in [KubernetesVersion.v1_18, .v1_36] {
            let c = Cluster.seedCluster(version: version)
            XCTAssertEqual(c.kubectl(["run", "web", "--image=nginx:1.15"]).exitCode, 0)
            c.run(for: .seconds(30))
            let status = try XCTUnwrap(c.get("pods", "web"))["status"]
            let types = (status["conditions"].array ?? []).compactMap { $0["type"].string }
            let kubelet = ["Initialized", "Ready", "ContainersReady", "PodScheduled"]
            XCTAssertEqual(types, version == .v1_36 ? ["PodReadyToStartContainers"] + kubelet : kubelet)
            XCTAssertTrue((status["conditions"].array ?? []).allSatisfy {
                $0.object?.index(forKey: "lastProbeTime") != nil && $0["lastProbeTime"].isNull
            })
            XCTAssertEqual(status["hostIPs"].serialized(),
                           version == .v1_36 ? #"[{"ip":"\#(status["hostIP"].string ?? "")"}]"# : "null")
            // 1.33+ pods have a generation; 1.35+ writers record the one they acted on (the
            // binding's PodScheduled is the kubelet's by now).
            let pod = try XCTUnwrap(c.get("pods", "web"))
            let generation: Int? = version == .v1_36 ? 1 : nil
            XCTAssertEqual(pod["metadata", "generation"].int, generation)
            XCTAssertEqual(status["observedGeneration"].int, generation)
            XCTAssertEqual((status["conditions"].array ?? []).map { $0["observedGeneration"].int }, types.map { _ in generation })
            // A graceful delete moves the generation on (BeforeDelete).
            _ = c.kubectl(["delete", "pod", "web", "--wait=false"])
            XCTAssertEqual(c.get("pods", "web")?["metadata", "generation"].int, version == .v1_36 ? 2 : nil)
        }
    }

    /// A running container's ID: `containerd://` and a hash of pod and container in hex,
    /// four times over (at most 64 digits), the same on every status write.
    func testContainerIDsAreStableHexDigests() throws {
        let c = Cluster.seedCluster()
        XCTAssertEqual(c.kubectl(["run", "web", "--image=nginx:1.15"]).exitCode, 0)
        c.run(for: .seconds(30))
        let pod = try XCTUnwrap(c.get("pods", "web"))
        let id = try XCTUnwrap(pod["status", "containerStatuses"].array?.first?["containerID"].string)
        let h = SeededRandom.fnv1a64("web", continuing: SeededRandom.fnv1a64("/", continuing: SeededRandom.fnv1a64(pod.uid)))
        XCTAssertEqual(id, "containerd://" + String(repeating: String(h, radix: 16), count: 4))
        // Enough pairs that some hashes have leading zero digits (one in 16 each).
        for (uid, name) in [("", ""), (pod.uid, "sidecar")] + (0..<200).map({ ("u\($0)", "c") }) {
            let h = SeededRandom.fnv1a64(name, continuing: SeededRandom.fnv1a64("/", continuing: SeededRandom.fnv1a64(uid)))
            let expected = "containerd://" + String(repeating: String(h, radix: 16), count: 4)
            XCTAssertEqual(NodeObject.containerID(uid, name), expected)
            XCTAssertLessThanOrEqual(expected.utf8.count, 13 + 64)
        }
    }
}
