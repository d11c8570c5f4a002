import XCTest
@testable import KubeSim

/// PodDisruptionBudget validation and status, and the Eviction API that honours it.
final class DisruptionBudgetTests: XCTestCase {
    static func budget(_ spec: String, name: String = "nginx") -> String {
        """
        apiVersion: policy/v1
        kind: PodDisruptionBudget
        metadata:
          name: \(name)
        spec:
        \(spec)
          selector:
            matchLabels:
              app: nginx
        """
    }

    private func createBudget(_ cluster: Cluster, _ spec: String) -> Result<JSON, StatusError> {
        guard case .success(let objects) = Manifests.decode(Self.budget(spec)), let object = objects.first else {
            return .failure(.badRequest("bad manifest"))
        }
        return cluster.request(.create, "poddisruptionbudgets", namespace: "default", body: object)
    }

    func testValidation() throws {
        let cluster = Cluster.seedCluster()
        let both = createBudget(cluster, "  minAvailable: 1\n  maxUnavailable: 1")
        XCTAssertEqual(both.failure?.code, 422)
        XCTAssertTrue(both.failure?.message.hasPrefix("PodDisruptionBudget.policy \"nginx\" is invalid: spec: Invalid value: ") ?? false,
                      both.failure?.message ?? "")
        XCTAssertTrue(both.failure?.message.hasSuffix("minAvailable and maxUnavailable cannot be both set") ?? false)
        XCTAssertEqual(createBudget(cluster, "  minAvailable: -1").failure?.message,
                       "PodDisruptionBudget.policy \"nginx\" is invalid: spec.minAvailable: Invalid value: -1: must be greater than or equal to 0")
        XCTAssertEqual(createBudget(cluster, "  maxUnavailable: 150%").failure?.message,
                       "PodDisruptionBudget.policy \"nginx\" is invalid: spec.maxUnavailable: Invalid value: intstr.IntOrString{Type:1, IntVal:0, StrVal:\"150%\"}: must not be greater than 100%")
        XCTAssertEqual(createBudget(cluster, "  minAvailable: half").failure?.code, 422)
        XCTAssertNil(createBudget(cluster, "  minAvailable: 50%").failure)
        // Decoded into policy/v1's Go types: a value of the wrong JSON type is a 400, and an
        // empty matchLabels goes (omitempty) where the empty selector stays.
        XCTAssertEqual(createBudget(cluster, "  minAvailable: true").failure?.message,
                       "PodDisruptionBudget in version \"v1\" cannot be handled as a PodDisruptionBudget: json: cannot unmarshal bool into Go value of type int32")
        let empty = #"{"apiVersion":"policy/v1","kind":"PodDisruptionBudget","metadata":{"name":"any"},"spec":{"minAvailable":1,"selector":{"matchLabels":{}}}}"#
        let created = try cluster.request(.create, "poddisruptionbudgets", namespace: "default", body: JSON.parse(empty)).get()
        XCTAssertEqual(created["spec"].canonical(), #"{"minAvailable":1,"selector":{}}"#)
    }

    func testBudgetSelectingNothing() throws {
        let cluster = Cluster.seedCluster()
        cluster.applyOK(Self.budget("  minAvailable: 1"))
        cluster.run(for: .seconds(2))
        let pdb = try XCTUnwrap(cluster.get("poddisruptionbudgets", "nginx"))
        let status = pdb["status"]
        XCTAssertEqual(status["observedGeneration"].int, 1)
        XCTAssertEqual(status["expectedPods"].int, 0)
        XCTAssertEqual(status["currentHealthy"].int, 0)
        XCTAssertEqual(status["desiredHealthy"].int, 1)
        XCTAssertEqual(status["disruptionsAllowed"].int, 0)
        let condition = try XCTUnwrap(status["conditions"].array?.first)
        XCTAssertEqual(condition["type"].string, "DisruptionAllowed")
        XCTAssertEqual(condition["status"].string, "False")
        XCTAssertEqual(condition["reason"].string, "InsufficientPods")
        let event = try XCTUnwrap(cluster.eventList().first { $0["reason"].string == "NoPods" })
        XCTAssertEqual(event["message"].string, "No matching pods found")
        XCTAssertEqual(event["type"].string, "Normal")
        XCTAssertEqual(event["involvedObject", "kind"].string, "PodDisruptionBudget")
        XCTAssertEqual(event["source", "component"].string, "controllermanager")
    }

    func testPercentagesRoundUp() throws {
        let cluster = Cluster.seedCluster()
        cluster.applyOK(Seed.nginx(replicas: 3))
        cluster.applyOK(Self.budget("  minAvailable: 50%", name: "half-up"))
        cluster.run(for: .seconds(60))
        var pdb = try XCTUnwrap(cluster.get("poddisruptionbudgets", "half-up"))
        XCTAssertEqual(pdb["status", "desiredHealthy"].int, 2)  // ceil(1.5)
        XCTAssertEqual(pdb["status", "disruptionsAllowed"].int, 1)
        _ = cluster.kubectl(["delete", "pdb", "half-up"])
        cluster.applyOK(Self.budget("  maxUnavailable: 50%", name: "unavailable"))
        cluster.run(for: .seconds(2))
        pdb = try XCTUnwrap(cluster.get("poddisruptionbudgets", "unavailable"))
        XCTAssertEqual(pdb["status", "expectedPods"].int, 3)
        XCTAssertEqual(pdb["status", "desiredHealthy"].int, 1)  // 3 - ceil(1.5)
        XCTAssertEqual(pdb["status", "disruptionsAllowed"].int, 2)
        XCTAssertEqual(pdb["status", "conditions"].array?.first?["reason"].string, "SufficientPods")
    }

    func testUnmanagedPodsWarning() throws {
        let cluster = Cluster.seedCluster()
        cluster.applyOK("""
            apiVersion: v1
            kind: Pod
            metadata:
              name: bare
              labels:
                app: nginx
            spec:
              containers:
              - name: nginx
                image: nginx
            """)
        cluster.applyOK(Self.budget("  maxUnavailable: 1"))
        cluster.run(for: .seconds(30))
        let event = try XCTUnwrap(cluster.eventList().first { $0["reason"].string == "UnmanagedPods" })
        XCTAssertEqual(event["type"].string, "Warning")
        XCTAssertEqual(event["message"].string, "Pods selected by this PodDisruptionBudget (selector: &LabelSelector{MatchLabels:map[string]string{app: nginx,},MatchExpressions:[]LabelSelectorRequirement{},}) were found to be unmanaged. As a result, the status of the PDB cannot be calculated correctly, which may result in undefined behavior. To account for these pods please set \".spec.minAvailable\" field of the PDB to an integer value.")
        let pdb = try XCTUnwrap(cluster.get("poddisruptionbudgets", "nginx"))
        XCTAssertEqual(pdb["status", "expectedPods"].int, 0)
        XCTAssertEqual(pdb["status", "disruptionsAllowed"].int, 0)
    }

    private func evict(_ cluster: Cluster, _ pod: String, grace: Int? = nil) -> Result<JSON, StatusError> {
        var body: JSON = ["apiVersion": "policy/v1", "kind": "Eviction", "metadata": ["name": .string(pod)]]
        if let grace { body["deleteOptions"] = ["gracePeriodSeconds": .int(grace)] }
        return cluster.request(.create, "pods", namespace: "default", name: pod, body: body) { $0.subresource = "eviction" }
    }

    func testEvictionHonoursTheBudget() throws {
        let cluster = Cluster.seedCluster(version: .v1_36)
        cluster.applyOK(Seed.nginx(replicas: 2))
        cluster.applyOK(Self.budget("  minAvailable: 1"))
        cluster.run(for: .seconds(60))
        let pods = cluster.pods("app=nginx").map(\.name).sorted()

        let first = try evict(cluster, pods[0]).get()
        XCTAssertEqual(first["status"].string, "Success")
        let evicted = try XCTUnwrap(cluster.get("pods", pods[0]))
        XCTAssertTrue(evicted.isTerminating)
        let target = try XCTUnwrap(evicted["status", "conditions"].array?.first { $0["type"].string == "DisruptionTarget" })
        XCTAssertEqual(target["reason"].string, "EvictionByEvictionAPI")
        XCTAssertEqual(target["message"].string, "Eviction API: evicting")
        var pdb = try XCTUnwrap(cluster.get("poddisruptionbudgets", "nginx"))
        XCTAssertEqual(pdb["status", "disruptionsAllowed"].int, 0)
        XCTAssertEqual(pdb["status", "disruptedPods", pods[0]].string, cluster.now.rfc3339)

        cluster.run(for: .seconds(1))  // the controller counts the evicted pod out
        let refused = evict(cluster, pods[1]).failure
        XCTAssertEqual(refused?.code, 429)
        XCTAssertEqual(refused?.reason, "TooManyRequests")
        XCTAssertEqual(refused?.message, "Cannot evict pod as it would violate the pod's disruption budget.")
        XCTAssertEqual(refused?.details["causes"].array?.first?["reason"].string, "DisruptionBudget")
        XCTAssertEqual(refused?.details["causes"].array?.first?["message"].string,
                       "The disruption budget nginx needs 1 healthy pods and has 1 currently")
        XCTAssertFalse(try XCTUnwrap(cluster.get("pods", pods[1])).isTerminating)

        // Once the replacement is Ready, the budget allows the second eviction.
        cluster.run(for: .seconds(60))
        pdb = try XCTUnwrap(cluster.get("poddisruptionbudgets", "nginx"))
        XCTAssertEqual(pdb["status", "currentHealthy"].int, 2)
        XCTAssertTrue(pdb["status", "disruptedPods"].isNull)
        XCTAssertNil(evict(cluster, pods[1], grace: 0).failure)
        XCTAssertNil(cluster.get("pods", pods[1]))  // grace 0: gone at once

        XCTAssertEqual(evict(cluster, "nope").failure?.kubectlMessage, "Error from server (NotFound): pods \"nope\" not found")
    }

    func testTwoBudgetsForOnePod() throws {
        let cluster = Cluster.seedCluster()
        cluster.applyOK(Seed.nginx(replicas: 1))
        cluster.applyOK(Self.budget("  minAvailable: 0", name: "a"))
        cluster.applyOK(Self.budget("  minAvailable: 0", name: "b"))
        cluster.run(for: .seconds(60))
        let pod = try XCTUnwrap(cluster.pods("app=nginx").first?.name)
        let e = evict(cluster, pod).failure
        XCTAssertEqual(e?.code, 500)
        XCTAssertEqual(e?.message,
                       "Internal error occurred: This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.")
    }

    func testBudgetsAreDeterministic() {
        func run() -> String {
            let cluster = Cluster.seedCluster(seed: 3)
            cluster.applyOK(Seed.nginx(replicas: 3))
            cluster.applyOK(Self.budget("  maxUnavailable: 1"))
            cluster.run(for: .seconds(60))
            _ = cluster.kubectl(["drain", "minikube-m02", "--ignore-daemonsets"])
            return cluster.state().serialized()
        }
        XCTAssertEqual(run(), run())
    }
}
