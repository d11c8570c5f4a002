import XCTest
@testable import KubeSim

/// The scheduler in a running cluster: events, pod state, preemption, PriorityClass and the
/// explanation.
final class SchedulerScenarioTests: XCTestCase {
    private func cluster(_ version: KubernetesVersion = .v1_36, nodes: [JSON]? = nil, seed: UInt64 = 1) -> Cluster {
        // Without the system DaemonSets, so that each node holds only what a test puts there.
        var settings: JSON = ["seed": .int(Int(seed)), "kubernetesVersion": .string(version.rawValue),
                              "systemDaemonSets": false]
        if let nodes { settings["nodes"] = .array(nodes) }
        guard case .success(let c) = Cluster.create(configText: settings.serialized()) else {
            XCTFail("cluster")
            return Cluster.seedCluster(version: version)
        }
        return c
    }

    private func failed(_ c: Cluster, _ pod: String) -> [String] {
        c.eventList().filter { $0["reason"].string == "FailedScheduling" && $0["involvedObject", "name"].string == pod }
            .compactMap { $0["message"].string }
    }

    func testSystemPriorityClassesAndAdmission() throws {
        let c = cluster()
        let critical = try XCTUnwrap(c.get("priorityclasses", "system-cluster-critical", namespace: nil))
        XCTAssertEqual(critical["value"].int, 2_000_000_000)
        XCTAssertEqual(c.get("priorityclasses", "system-node-critical", namespace: nil)?["value"].int, 2_000_001_000)
        let out = c.kubectl(["get", "priorityclasses"]).stdout
        XCTAssertTrue(out.contains("system-node-critical"), out)

        c.applyOK("""
            apiVersion: v1
            kind: Pod
            metadata: {name: crit, namespace: kube-system}
            spec:
              priorityClassName: system-cluster-critical
              containers: [{name: c, image: busybox}]
            """)
        let crit = try XCTUnwrap(c.get("pods", "crit", namespace: "kube-system"))
        XCTAssertEqual(crit["spec", "priority"].int, 2_000_000_000)
        XCTAssertEqual(crit["spec", "preemptionPolicy"].string, "PreemptLowerPriority")

        let missing = c.apply(manifests: """
            apiVersion: v1
            kind: Pod
            metadata: {name: lost}
            spec:
              priorityClassName: gold
              containers: [{name: c, image: busybox}]
            """)
        let item = try XCTUnwrap(try missing.get().first)
        XCTAssertEqual(item.error?.code, 403)
        XCTAssertEqual(item.error?.message, "pods \"lost\" is forbidden: no PriorityClass with name gold was found")

        let reserved = c.apply(manifests: "apiVersion: scheduling.k8s.io/v1\nkind: PriorityClass\nmetadata: {name: system-x}\nvalue: 5\n")
        XCTAssertEqual(try reserved.get().first?.error?.message,
                       "PriorityClass.scheduling.k8s.io \"system-x\" is invalid: metadata.name: Forbidden: priority class names with 'system-' prefix are reserved for system use only. error: system-x is not a known system priority class")
        let tooHigh = c.apply(manifests: "apiVersion: scheduling.k8s.io/v1\nkind: PriorityClass\nmetadata: {name: huge}\nvalue: 2000000000\n")
        XCTAssertEqual(try tooHigh.get().first?.error?.message,
                       "PriorityClass.scheduling.k8s.io \"huge\" is invalid: value: Forbidden: maximum allowed value of a user defined priority is 1000000000")

        // globalDefault: pods naming no class get it; a second default is refused.
        c.applyOK("apiVersion: scheduling.k8s.io/v1\nkind: PriorityClass\nmetadata: {name: base}\nvalue: 7\nglobalDefault: true\n")
        let second = c.apply(manifests: "apiVersion: scheduling.k8s.io/v1\nkind: PriorityClass\nmetadata: {name: other}\nvalue: 8\nglobalDefault: true\n")
        XCTAssertEqual(try second.get().first?.error?.message,
                       "priorityclasses.scheduling.k8s.io \"other\" is forbidden: PriorityClass base is already marked as default. Only one default can exist")
        c.applyOK("apiVersion: v1\nkind: Pod\nmetadata: {name: plain}\nspec:\n  containers: [{name: c, image: busybox}]\n")
        let plain = try XCTUnwrap(c.get("pods", "plain"))
        XCTAssertEqual(plain["spec", "priorityClassName"].string, "base")
        XCTAssertEqual(plain["spec", "priority"].int, 7)

        // The default goes: pods after it get none, and another class may become the default.
        guard case .success = c.request(.delete, "priorityclasses", namespace: nil, name: "base") else {
            return XCTFail("delete of the default PriorityClass failed")
        }
        c.applyOK("apiVersion: v1\nkind: Pod\nmetadata: {name: after}\nspec:\n  containers: [{name: c, image: busybox}]\n")
        let after = try XCTUnwrap(c.get("pods", "after"))
        XCTAssertNil(after["spec", "priorityClassName"].string)
        XCTAssertEqual(after["spec", "priority"].int, 0)
        c.applyOK("apiVersion: scheduling.k8s.io/v1\nkind: PriorityClass\nmetadata: {name: other}\nvalue: 8\nglobalDefault: true\n")
        c.applyOK("apiVersion: v1\nkind: Pod\nmetadata: {name: later}\nspec:\n  containers: [{name: c, image: busybox}]\n")
        XCTAssertEqual(c.get("pods", "later")?["spec", "priority"].int, 8)
    }

    /// Three 2-cpu nodes (the first runs the 650m of static control-plane pods), each with a
    /// 1200m low-priority pod; a 1500m high-priority pod preempts one where that makes room.
    func testPreemptionEvictsLowerPriorityPodsAndNominatesTheNode() throws {
        let c = cluster()
        c.applyOK("""
            apiVersion: scheduling.k8s.io/v1
            kind: PriorityClass
            metadata: {name: low}
            value: 100
            ---
            apiVersion: scheduling.k8s.io/v1
            kind: PriorityClass
            metadata: {name: high}
            value: 1000
            ---
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: filler}
            spec:
              replicas: 3
              selector: {matchLabels: {app: filler}}
              template:
                metadata: {labels: {app: filler}}
                spec:
                  priorityClassName: low
                  containers: [{name: c, image: busybox, resources: {requests: {cpu: 1200m}}}]
            """)
        c.run(for: .seconds(10))
        let fillers = c.pods("app=filler")
        XCTAssertEqual(Set(fillers.compactMap { $0["spec", "nodeName"].string }).count, 3, "one per node")
        c.applyOK("""
            apiVersion: v1
            kind: Pod
            metadata: {name: urgent}
            spec:
              priorityClassName: high
              containers: [{name: c, image: busybox, resources: {requests: {cpu: 1500m}}}]
            """)
        c.run(for: .millis(100))
        // The first attempt fails (no preemption suffix: preemption found a node) and
        // nominates the node of one victim.
        XCTAssertEqual(failed(c, "urgent").first, "0/3 nodes are available: 3 Insufficient cpu.")
        let urgent = try XCTUnwrap(c.get("pods", "urgent"))
        let nominated = try XCTUnwrap(urgent["status", "nominatedNodeName"].string)
        // minikube cannot make room (2000m − 650m < 1500m); of m02 and m03, the first.
        XCTAssertEqual(nominated, "minikube-m02")
        let preempted = c.eventList().filter { $0["reason"].string == "Preempted" }
        XCTAssertEqual(preempted.count, 1)
        XCTAssertEqual(preempted.first?["message"].string, "Preempted by pod \(urgent.uid) on node \(nominated)")
        let victim = try XCTUnwrap(preempted.first?["involvedObject", "name"].string)
        XCTAssertEqual(fillers.first { $0.name == victim }?["spec", "nodeName"].string, nominated)

        // The victim's replacement may not take the room nominated to urgent, and urgent
        // does not preempt again.
        c.run(for: .seconds(20))
        XCTAssertEqual(c.eventList().filter { $0["reason"].string == "Preempted" }.count, 1)
        c.run(for: .seconds(40))
        let bound = try XCTUnwrap(c.get("pods", "urgent"))
        XCTAssertEqual(bound["spec", "nodeName"].string, nominated)
        XCTAssertEqual(bound["status", "phase"].string, "Running")
        // The filler's replacement cannot preempt pods of its own or higher priority.
        let pending = c.pods("app=filler").filter { ($0["spec", "nodeName"].string ?? "").isEmpty }
        XCTAssertEqual(pending.count, 1)
        XCTAssertEqual(failed(c, pending[0].name).last,
                       "0/3 nodes are available: 3 Insufficient cpu. preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod.")
    }

    func testPreemptionPolicyNever() {
        let c = cluster()
        c.applyOK("""
            apiVersion: scheduling.k8s.io/v1
            kind: PriorityClass
            metadata: {name: polite}
            value: 1000
            preemptionPolicy: Never
            ---
            apiVersion: v1
            kind: Pod
            metadata: {name: big}
            spec:
              priorityClassName: polite
              containers: [{name: c, image: busybox, resources: {requests: {cpu: "3"}}}]
            """)
        c.run(for: .seconds(1))
        XCTAssertEqual(failed(c, "big").first,
                       "0/3 nodes are available: 3 Insufficient cpu. preemption: not eligible due to preemptionPolicy=Never.")
    }

    /// FailedScheduling per version for taints, node affinity and spread together.
    func testFailedSchedulingWordingPerVersion() {
        // n1 tainted, n2 an hdd node big enough, n3 no disk label, n4 too small: 1.18 runs
        // NodeResourcesFit before NodeAffinity and TaintToleration, today's order puts it after.
        let nodes: [JSON] = [
            ["name": "n1", "labels": ["disk": "ssd"], "taints": [["key": "gpu", "value": "yes", "effect": "NoSchedule"]]],
            ["name": "n2", "cpu": "4", "labels": ["disk": "hdd"]],
            ["name": "n3"],
            ["name": "n4", "labels": ["disk": "ssd"]],
        ]
        let pod = """
            apiVersion: v1
            kind: Pod
            metadata: {name: picky, labels: {app: picky}}
            spec:
              nodeSelector: {disk: ssd}
              containers: [{name: c, image: busybox, resources: {requests: {cpu: "3"}}}]
            """
        let expected: [KubernetesVersion: String] = [
            .v1_18: "0/4 nodes are available: 1 node(s) didn't match node selector, 3 Insufficient cpu.",
            .v1_36: "0/4 nodes are available: 1 Insufficient cpu, 1 node(s) had untolerated taint(s), 2 node(s) didn't match Pod's node affinity/selector. preemption: 0/4 nodes are available: 1 No preemption victims found for incoming pod, 3 Preemption is not helpful for scheduling.",
        ]
        for version in [KubernetesVersion.v1_18, .v1_36] {
            let c = cluster(version, nodes: nodes)
            c.applyOK(pod)
            c.run(for: .seconds(1))
            XCTAssertEqual(failed(c, "picky").first, expected[version], "\(version)")
        }
    }

    func testSpreadAcrossZonesAndAntiAffinityInARunningCluster() {
        let zone = "topology.kubernetes.io/zone"
        let nodes: [JSON] = (1...6).map { ["name": .string("n\($0)"), "labels": [zone: .string($0 <= 3 ? "a" : "b")]] }
        let c = cluster(nodes: nodes)
        c.applyOK("""
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: web}
            spec:
              replicas: 6
              selector: {matchLabels: {app: web}}
              template:
                metadata: {labels: {app: web}}
                spec:
                  topologySpreadConstraints:
                  - {maxSkew: 1, topologyKey: topology.kubernetes.io/zone, whenUnsatisfiable: DoNotSchedule, labelSelector: {matchLabels: {app: web}}}
                  affinity:
                    podAntiAffinity:
                      requiredDuringSchedulingIgnoredDuringExecution:
                      - {labelSelector: {matchLabels: {app: web}}, topologyKey: kubernetes.io/hostname}
                  containers: [{name: c, image: nginx}]
            """)
        c.run(for: .seconds(10))
        let pods = c.pods("app=web")
        let hosts = pods.compactMap { $0["spec", "nodeName"].string }
        XCTAssertEqual(Set(hosts).count, 6, "one per node")
        // A 7th replica fits nowhere: every node holds a web pod.
        _ = c.kubectl(["scale", "deployment/web", "--replicas=7"])
        c.run(for: .seconds(2))
        let pending = c.pods("app=web").filter { ($0["spec", "nodeName"].string ?? "").isEmpty }
        XCTAssertEqual(pending.count, 1)
        XCTAssertEqual(failed(c, pending.first?.name ?? "").first,
                       "0/6 nodes are available: 6 node(s) didn't match pod anti-affinity rules. preemption: 0/6 nodes are available: 6 No preemption victims found for incoming pod.")
    }

    func testExplanationShowsFilterVerdictsAndWeightedScores() throws {
        let c = cluster()
        _ = try c.setUnschedulable("minikube-m03", true).get()
        c.applyOK("""
            apiVersion: v1
            kind: Pod
            metadata: {name: p}
            spec:
              containers: [{name: c, image: busybox, resources: {requests: {cpu: 500m, memory: 1Gi}}}]
            """)
        c.run(for: .seconds(5))
        let e = try c.explainScheduling(name: "p").get()
        XCTAssertEqual(e["state"].string, "Assigned")
        XCTAssertEqual(e["lastAttempt", "result"].string, "Scheduled")
        let nodes = try XCTUnwrap(e["nodes"].array)
        XCTAssertEqual(nodes.map { $0["name"].string ?? "" }, ["minikube", "minikube-m02", "minikube-m03"])
        let cordoned = nodes[2]
        XCTAssertEqual(cordoned["feasible"].bool, false)
        XCTAssertEqual(cordoned["filters"][index: 0]["plugin"].string, "NodeUnschedulable")
        XCTAssertEqual(cordoned["filters"][index: 0]["result"].string, "UnschedulableAndUnresolvable")
        XCTAssertEqual(cordoned["filters"][index: 0]["reasons"][index: 0].string, "node(s) were unschedulable")
        XCTAssertEqual(cordoned["filters"][index: 1]["result"].string, "NotRun")
        for node in nodes.prefix(2) {
            XCTAssertEqual(node["feasible"].bool, true)
            let scores = try XCTUnwrap(node["scores"].array)
            XCTAssertEqual(scores.map { $0["plugin"].string ?? "" },
                           ["TaintToleration", "NodeResourcesFit", "NodeResourcesBalancedAllocation"],
                           "NodeAffinity, PodTopologySpread and InterPodAffinity skip a pod with no preferences")
            XCTAssertEqual(node["totalScore"].int, scores.reduce(0) { $0 + ($1["weighted"].int ?? 0) })
            XCTAssertEqual(scores[0]["weighted"].int, 300)
        }
        XCTAssertEqual(e["bestNodes"].array?.count, 1)
        XCTAssertEqual(e["bestNodes"][index: 0].string, e["nodeName"].string, "the node it went to, which now holds nothing else")
        // Through the C-call path.
        let viaCall = try c.call(.scheduler, #"{"action": "explain", "name": "p"}"#).get()
        XCTAssertEqual(viaCall["pod"].string, "default/p")
        XCTAssertEqual(c.call(.scheduler, #"{"action": "explain", "name": "nope"}"#).failure?.code, 404)
        XCTAssertEqual(c.call(.scheduler, #"{"action": "fly"}"#).failure?.code, 400)
    }

    func testDeterministicPlacementWithSpreadAndScores() {
        func placements(_ seed: UInt64) -> String {
            let c = cluster(seed: seed)
            c.applyOK(Seed.nginx(replicas: 9))
            c.run(for: .seconds(10))
            return c.state().serialized()
        }
        XCTAssertEqual(placements(7), placements(7))
    }
}

/// Bad scheduling input: upstream's validation errors or FailedScheduling, never an abort.
final class SchedulerBadInputTests: XCTestCase {
    func testNegativeMaxSkewAndBadSpreadFieldsAreInvalid() throws {
        let c = Cluster.seedCluster(version: .v1_36)
        let r = c.apply(manifests: """
            apiVersion: v1
            kind: Pod
            metadata: {name: bad}
            spec:
              topologySpreadConstraints:
              - {maxSkew: -1, topologyKey: zone, whenUnsatisfiable: DoNotSchedule, labelSelector: {matchLabels: {a: b}}}
              - {maxSkew: 1, topologyKey: zone, whenUnsatisfiable: DoNotSchedule, minDomains: 0}
              - {maxSkew: 1, topologyKey: "", whenUnsatisfiable: Sometimes}
              containers: [{name: c, image: busybox}]
            """)
        let message = try XCTUnwrap(try r.get().first?.error?.message)
        XCTAssertTrue(message.hasPrefix("Pod \"bad\" is invalid: ["), message)
        for part in ["spec.topologySpreadConstraints[0].maxSkew: Invalid value: -1: must be greater than zero",
                     "spec.topologySpreadConstraints[0].{topologyKey, whenUnsatisfiable}: Duplicate value: \"{zone, DoNotSchedule}\"",
                     "spec.topologySpreadConstraints[1].minDomains: Invalid value: 0: must be greater than zero",
                     "spec.topologySpreadConstraints[2].topologyKey: Required value: can not be empty",
                     "spec.topologySpreadConstraints[2].whenUnsatisfiable: Unsupported value: \"Sometimes\": supported values: \"DoNotSchedule\", \"ScheduleAnyway\""] {
            XCTAssertTrue(message.contains(part), "\(part)\nin \(message)")
        }
    }

    func testUnknownTopologyKeyAndImpossibleAffinityLeaveThePodPending() throws {
        let c = Cluster.seedCluster(version: .v1_36)
        c.applyOK("""
            apiVersion: v1
            kind: Pod
            metadata: {name: nowhere, labels: {app: x}}
            spec:
              topologySpreadConstraints:
              - {maxSkew: 1, topologyKey: example.com/no-such-key, whenUnsatisfiable: DoNotSchedule, labelSelector: {matchLabels: {app: x}}}
              containers: [{name: c, image: busybox}]
            ---
            apiVersion: v1
            kind: Pod
            metadata: {name: impossible}
            spec:
              affinity:
                nodeAffinity:
                  requiredDuringSchedulingIgnoredDuringExecution:
                    nodeSelectorTerms:
                    - matchExpressions: [{key: kubernetes.io/hostname, operator: In, values: [mars]}]
              containers: [{name: c, image: busybox}]
            """)
        c.run(for: .seconds(2))
        let messages = c.eventList().filter { $0["reason"].string == "FailedScheduling" }
            .map { "\($0["involvedObject", "name"].string ?? ""): \($0["message"].string ?? "")" }
        XCTAssertTrue(messages.contains("nowhere: 0/3 nodes are available: 3 node(s) didn't match pod topology spread constraints (missing required label). preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling."), "\(messages)")
        XCTAssertTrue(messages.contains("impossible: 0/3 nodes are available: 3 node(s) didn't match Pod's node affinity/selector. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling."), "\(messages)")
    }
}
