import XCTest
@testable import KubeSim

/// Each default plugin against upstream's documented behaviour and scoring formulas.
final class SchedulerPluginTests: XCTestCase {
    private func reasons(_ s: Status??) -> [String] { (s ?? nil)?.reasons ?? [] }

    // MARK: Filters

    func testNodeUnschedulableLetsTolerantPodsThrough() {
        let snap = Sched.snapshot([Sched.node("a", unschedulable: true), Sched.node("b")])
        let plain = Sched.filter(NodeUnschedulable(), Sched.pod("p"), snap)
        XCTAssertEqual(reasons(plain["a"]), ["node(s) were unschedulable"])
        XCTAssertEqual((plain["a"] ?? nil)?.code, .unschedulableAndUnresolvable)
        XCTAssertNil(plain["b"] ?? nil)
        let tolerant = Sched.pod("t", spec: #"{"tolerations": [{"key": "node.kubernetes.io/unschedulable", "operator": "Exists", "effect": "NoSchedule"}]}"#)
        XCTAssertNil(Sched.filter(NodeUnschedulable(), tolerant, snap)["a"] ?? nil)
    }

    func testNodeName() {
        let snap = Sched.snapshot([Sched.node("a"), Sched.node("b")])
        let r = Sched.filter(NodeName(), Sched.pod("p", spec: #"{"nodeName": "b"}"#), snap)
        XCTAssertEqual(reasons(r["a"]), ["node(s) didn't match the requested node name"])
        XCTAssertNil(r["b"] ?? nil)
    }

    func testNodeResourcesFitCountsAllocatableRequestedAndPods() {
        let snap = Sched.snapshot([Sched.node("a", cpu: "2", memory: "1Gi", pods: 1), Sched.node("b", cpu: "2")],
                                  [(Sched.pod("x", cpu: "1500m"), "b")])
        let r = Sched.filter(NodeResourcesFit(), Sched.pod("p", cpu: "1", memory: "2Gi"), snap)
        XCTAssertEqual(reasons(r["a"]), ["Insufficient memory"])
        XCTAssertEqual(reasons(r["b"]), ["Insufficient cpu"])
        XCTAssertEqual((r["b"] ?? nil)?.code, .unschedulable)
        let full = Sched.snapshot([Sched.node("a", pods: 1)], [(Sched.pod("x"), "a")])
        XCTAssertEqual(reasons(Sched.filter(NodeResourcesFit(), Sched.pod("p", cpu: "8", memory: "9Gi"), full)["a"]),
                       ["Too many pods", "Insufficient cpu", "Insufficient memory"])
        let eph = Sched.pod("e", spec: #"{"containers": [{"name": "c", "image": "i", "resources": {"requests": {"ephemeral-storage": "20Gi"}}}]}"#)
        XCTAssertEqual(reasons(Sched.filter(NodeResourcesFit(), eph, snap)["a"]), ["Insufficient ephemeral-storage"])
    }

    func testTaintTolerationFilterByVersion() {
        let taint: JSON = ["key": "dedicated", "value": "gpu", "effect": "NoSchedule"]
        let snap = Sched.snapshot([Sched.node("a", taints: [taint]), Sched.node("b", taints: [["key": "x", "effect": "PreferNoSchedule"]])])
        let current = Sched.filter(TaintToleration(wording: Sched.v136), Sched.pod("p"), snap)
        XCTAssertEqual(reasons(current["a"]), ["node(s) had untolerated taint(s)"])
        XCTAssertNil(current["b"] ?? nil, "PreferNoSchedule never filters")
        XCTAssertEqual(reasons(Sched.filter(TaintToleration(wording: Sched.v118), Sched.pod("p"), snap)["a"]),
                       ["node(s) had taint {dedicated: gpu}, that the pod didn't tolerate"])
        let tolerant = Sched.pod("t", spec: #"{"tolerations": [{"key": "dedicated", "operator": "Equal", "value": "gpu", "effect": "NoSchedule"}]}"#)
        XCTAssertNil(Sched.filter(TaintToleration(wording: Sched.v136), tolerant, snap)["a"] ?? nil)
    }

    func testNodeAffinityRequiredSelectorExpressionsAndFields() {
        let snap = Sched.snapshot([Sched.node("a", labels: ["disk": "ssd", "gen": "5"]),
                                   Sched.node("b", labels: ["disk": "hdd", "gen": "3"]),
                                   Sched.node("c", labels: ["disk": "ssd", "gen": "2"])])
        let plugin = NodeAffinity(wording: Sched.v136)
        let selector = Sched.filter(plugin, Sched.pod("p", spec: #"{"nodeSelector": {"disk": "ssd"}}"#), snap)
        XCTAssertEqual(reasons(selector["b"]), ["node(s) didn't match Pod's node affinity/selector"])
        XCTAssertNil(selector["a"] ?? nil)
        // One term: gen > 3 AND metadata.name in (a, b); or a second term on hdd.
        let affinity = Sched.pod("q", spec: """
            {"affinity": {"nodeAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": {"nodeSelectorTerms": [
              {"matchExpressions": [{"key": "gen", "operator": "Gt", "values": ["3"]}],
               "matchFields": [{"key": "metadata.name", "operator": "In", "values": ["a", "b"]}]},
              {"matchExpressions": [{"key": "disk", "operator": "In", "values": ["hdd"]}]}]}}}}
            """)
        let r = Sched.filter(plugin, affinity, snap)
        XCTAssertNil(r["a"] ?? nil)
        XCTAssertNil(r["b"] ?? nil)
        XCTAssertEqual(reasons(r["c"]), ["node(s) didn't match Pod's node affinity/selector"])
        XCTAssertEqual(reasons(Sched.filter(NodeAffinity(wording: Sched.v118), Sched.pod("p", spec: #"{"nodeSelector": {"disk": "nvme"}}"#), snap)["a"]),
                       ["node(s) didn't match node selector"])
    }

    func testNodePortsConflictOnProtocolPortAndIP() {
        let used = Sched.pod("x", spec: #"{"containers": [{"name": "c", "image": "i", "ports": [{"containerPort": 80, "hostPort": 8080}]}]}"#)
        let snap = Sched.snapshot([Sched.node("a"), Sched.node("b")], [(used, "a")])
        let same = Sched.pod("p", spec: #"{"containers": [{"name": "c", "image": "i", "ports": [{"containerPort": 80, "hostPort": 8080, "hostIP": "10.0.0.1"}]}]}"#)
        let r = Sched.filter(NodePorts(), same, snap)
        XCTAssertEqual(reasons(r["a"]), ["node(s) didn't have free ports for the requested pod ports"])
        XCTAssertNil(r["b"] ?? nil)
        let udp = Sched.pod("u", spec: #"{"containers": [{"name": "c", "image": "i", "ports": [{"containerPort": 80, "hostPort": 8080, "protocol": "UDP"}]}]}"#)
        XCTAssertNil(Sched.filter(NodePorts(), udp, snap)["a"] ?? nil)
    }

    // MARK: PodTopologySpread

    private func zoned() -> [JSON] {
        [Sched.node("a1", labels: ["topology.kubernetes.io/zone": "a"]), Sched.node("a2", labels: ["topology.kubernetes.io/zone": "a"]),
         Sched.node("b1", labels: ["topology.kubernetes.io/zone": "b"]), Sched.node("c1", labels: ["topology.kubernetes.io/zone": "c"]),
         Sched.node("nolabel")]
    }

    private func spreadPod(_ name: String, maxSkew: Int = 1, when: String = "DoNotSchedule", minDomains: Int? = nil) -> JSON {
        let md = minDomains.map { ", \"minDomains\": \($0)" } ?? ""
        return Sched.pod(name, labels: ["app": "web"], spec: """
            {"topologySpreadConstraints": [{"maxSkew": \(maxSkew), "topologyKey": "topology.kubernetes.io/zone",
              "whenUnsatisfiable": "\(when)", "labelSelector": {"matchLabels": {"app": "web"}}\(md)}]}
            """)
    }

    func testPodTopologySpreadFilterSkew() {
        let web = ["app": "web"]
        // zone a: 2 matching pods, b: 1, c: 0 (plus a pod in another namespace, not counted).
        let snap = Sched.snapshot(zoned(), [(Sched.pod("w1", labels: web), "a1"), (Sched.pod("w2", labels: web), "a2"),
                                            (Sched.pod("w3", labels: web), "b1"),
                                            (Sched.pod("w4", namespace: "other", labels: web), "c1")])
        let r = Sched.filter(PodTopologySpread(systemDefaults: true), spreadPod("p"), snap)
        // skew = matching in domain + 1 (self) − min (0, zone c) must be ≤ 1.
        XCTAssertEqual(reasons(r["a1"]), ["node(s) didn't match pod topology spread constraints"])
        XCTAssertEqual((r["a1"] ?? nil)?.code, .unschedulable)
        XCTAssertEqual(reasons(r["b1"]), ["node(s) didn't match pod topology spread constraints"])
        XCTAssertNil(r["c1"] ?? nil)
        XCTAssertEqual(reasons(r["nolabel"]), ["node(s) didn't match pod topology spread constraints (missing required label)"])
        XCTAssertEqual((r["nolabel"] ?? nil)?.code, .unschedulableAndUnresolvable)
        // maxSkew 2 lets zone b (1 + 1 − 0 = 2) in.
        XCTAssertNil(Sched.filter(PodTopologySpread(systemDefaults: true), spreadPod("p", maxSkew: 2), snap)["b1"] ?? nil)
    }

    func testPodTopologySpreadMinDomains() {
        let web = ["app": "web"]
        let snap = Sched.snapshot(zoned(), [(Sched.pod("w1", labels: web), "a1"), (Sched.pod("w2", labels: web), "b1"),
                                            (Sched.pod("w3", labels: web), "c1")])
        // Every zone has 1: skew 1 + 1 − 1 = 1 fits …
        XCTAssertNil(Sched.filter(PodTopologySpread(systemDefaults: true), spreadPod("p"), snap)["a1"] ?? nil)
        // … but with minDomains 4 > 3 zones the global minimum counts as 0: skew 2.
        XCTAssertEqual(reasons(Sched.filter(PodTopologySpread(systemDefaults: true), spreadPod("p", minDomains: 4), snap)["a1"]),
                       ["node(s) didn't match pod topology spread constraints"])
    }

    func testPodTopologySpreadScoreFormula() {
        let web = ["app": "web"]
        let nodes = [Sched.node("n1", labels: ["topology.kubernetes.io/zone": "a"]),
                     Sched.node("n2", labels: ["topology.kubernetes.io/zone": "b"])]
        let snap = Sched.snapshot(nodes, [(Sched.pod("w1", labels: web), "n1"), (Sched.pod("w2", labels: web), "n1")])
        let s = Sched.score(PodTopologySpread(systemDefaults: true), spreadPod("p", when: "ScheduleAnyway"), snap)
        // 2 zones: weight ln(2 + 2); n1 = round(2 · 1.386 + 0) = 3, n2 = 0;
        // normalised 100 · (max + min − s) / max.
        XCTAssertEqual(s.raw, [3, 0])
        XCTAssertEqual(s.normalized, [0, 100])
    }

    func testPodTopologySpreadSystemDefaultsForControllerPods() {
        let web = ["app": "web"]
        let nodes = (1...4).map { Sched.node("n\($0)", labels: ["topology.kubernetes.io/zone": $0 <= 2 ? "a" : "b"]) }
        let snap = Sched.snapshot(nodes, [(Sched.pod("w1", labels: web, owner: "web"), "n1"),
                                          (Sched.pod("w2", labels: web, owner: "web"), "n1"),
                                          (Sched.pod("w3", labels: web, owner: "web"), "n2")])
        let s = Sched.score(PodTopologySpread(systemDefaults: true), Sched.pod("p", labels: web, owner: "web"), snap)
        // hostname maxSkew 3, weight ln(4 + 2) = 1.792; zone maxSkew 5, weight ln(2 + 2) = 1.386.
        // n1: 2·1.792 + 2 + 3·1.386 + 4 = 13.74 → 14; n2: 1.792 + 2 + 4.159 + 4 = 11.95 → 12;
        // n3, n4: 0 + 2 + 0 + 4 = 6.
        XCTAssertEqual(s.raw, [14, 12, 6, 6])
        // 100 · (14 + 6 − s) / 14.
        XCTAssertEqual(s.normalized, [42, 57, 100, 100])
        // A bare pod (no controller) gets no default constraints; 1.18 had none.
        XCTAssertEqual(Sched.score(PodTopologySpread(systemDefaults: true), Sched.pod("bare", labels: web), snap).raw, [])
        XCTAssertEqual(Sched.score(PodTopologySpread(systemDefaults: false), Sched.pod("p", labels: web, owner: "web"), snap).raw, [])
    }

    /// The counts per zone and per topology value are indexes kept as pods and nodes change:
    /// a node moved to another zone takes its placed pods' counts with it.
    func testSpreadAndAffinityFollowANodeIntoAnotherZone() {
        let web = ["app": "web"]
        let zoned = { (name: String, zone: String) in Sched.node(name, labels: ["topology.kubernetes.io/zone": zone]) }
        let snap = Sched.snapshot([zoned("n1", "a"), zoned("n2", "a"), zoned("n3", "b")],
                                  [(Sched.pod("w1", labels: web, owner: "web"), "n1"),
                                   (Sched.pod("w2", labels: web, owner: "web"), "n1")])
        let spread = PodTopologySpread(systemDefaults: true)
        let pod = Sched.pod("p", labels: web, owner: "web")
        // Zone a holds both pods: n2 (no pods, zone a) scores below n3 (zone b).
        // hostname weight ln(3 + 2), zone weight ln(2 + 2): n1 = 2·1.609 + 2 + 2·1.386 + 4 = 11.99 → 12,
        // n2 = 2 + 2.773 + 4 = 8.77 → 9, n3 = 6.
        XCTAssertEqual(Sched.score(spread, pod, snap).raw, [12, 9, 6])
        let anti = Sched.pod("q", labels: ["app": "other"], spec: """
            {"affinity": {"podAntiAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": [
              {"labelSelector": {"matchLabels": {"app": "web"}}, "topologyKey": "topology.kubernetes.io/zone"}]}}}
            """)
        let affinity = InterPodAffinity(wording: Sched.v136)
        XCTAssertEqual(Sched.filter(affinity, anti, snap).filter { $0.value == nil }.keys.sorted(), ["n3"])
        // n1 moves to zone b, its two pods with it.
        snap.updateNode(zoned("n1", "b"))
        XCTAssertEqual(Sched.score(spread, pod, snap).raw, [12, 6, 9])
        XCTAssertEqual(Sched.filter(affinity, anti, snap).filter { $0.value == nil }.keys.sorted(), ["n2"])
        // A fourth node in a new zone counts there from the start.
        snap.addNode(zoned("n4", "c"))
        XCTAssertEqual(Sched.filter(affinity, anti, snap).filter { $0.value == nil }.keys.sorted(), ["n2", "n4"])
    }

    // MARK: InterPodAffinity

    private func antiAffinity(_ name: String, labels: [String: String], against: String, key: String = "kubernetes.io/hostname") -> JSON {
        Sched.pod(name, labels: labels, spec: """
            {"affinity": {"podAntiAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": [
              {"labelSelector": {"matchLabels": {"app": "\(against)"}}, "topologyKey": "\(key)"}]}}}
            """)
    }

    func testInterPodAntiAffinityAndSymmetry() {
        let snap = Sched.snapshot([Sched.node("a"), Sched.node("b"), Sched.node("c")],
                                  [(Sched.pod("db", labels: ["app": "db"]), "a"),
                                   (antiAffinity("guard", labels: ["app": "guard"], against: "web"), "b")])
        let plugin = InterPodAffinity(wording: Sched.v136)
        let r = Sched.filter(plugin, antiAffinity("p", labels: ["app": "web"], against: "db"), snap)
        XCTAssertEqual(reasons(r["a"]), ["node(s) didn't match pod anti-affinity rules"])
        XCTAssertEqual((r["a"] ?? nil)?.code, .unschedulable)
        // The placed pod on b refuses app=web next to it.
        XCTAssertEqual(reasons(r["b"]), ["node(s) didn't satisfy existing pods anti-affinity rules"])
        XCTAssertNil(r["c"] ?? nil)
        XCTAssertEqual(reasons(Sched.filter(InterPodAffinity(wording: Sched.v118), antiAffinity("p", labels: ["app": "web"], against: "db"), snap)["a"]),
                       ["node(s) didn't match pod affinity/anti-affinity", "node(s) didn't match pod anti-affinity rules"])
    }

    func testInterPodAffinityRequiredAndFirstOfASeries() {
        let zoneNodes = [Sched.node("a", labels: ["topology.kubernetes.io/zone": "z1"]),
                         Sched.node("b", labels: ["topology.kubernetes.io/zone": "z1"]),
                         Sched.node("c", labels: ["topology.kubernetes.io/zone": "z2"])]
        let affinity = Sched.pod("p", labels: ["app": "cache"], spec: """
            {"affinity": {"podAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": [
              {"labelSelector": {"matchLabels": {"app": "cache"}}, "topologyKey": "topology.kubernetes.io/zone"}]}}}
            """)
        let plugin = InterPodAffinity(wording: Sched.v136)
        // No pod matches anywhere and the pod matches its own term: every node passes.
        let first = Sched.filter(plugin, affinity, Sched.snapshot(zoneNodes))
        XCTAssertTrue(first.values.allSatisfy { $0 == nil })
        // One cache pod on b (zone z1): a and b pass, c (z2) fails as unresolvable.
        let r = Sched.filter(plugin, affinity, Sched.snapshot(zoneNodes, [(Sched.pod("c0", labels: ["app": "cache"]), "b")]))
        XCTAssertNil(r["a"] ?? nil)
        XCTAssertEqual(reasons(r["c"]), ["node(s) didn't match pod affinity rules"])
        XCTAssertEqual((r["c"] ?? nil)?.code, .unschedulableAndUnresolvable)
    }

    func testInterPodAffinityPreferredScore() {
        let nodes = [Sched.node("a", labels: ["topology.kubernetes.io/zone": "z1"]),
                     Sched.node("b", labels: ["topology.kubernetes.io/zone": "z1"]),
                     Sched.node("c", labels: ["topology.kubernetes.io/zone": "z2"]),
                     Sched.node("d", labels: ["topology.kubernetes.io/zone": "z3"])]
        let snap = Sched.snapshot(nodes, [(Sched.pod("c1", labels: ["app": "cache"]), "a"),
                                          (Sched.pod("c2", labels: ["app": "cache"]), "a"),
                                          (Sched.pod("l1", labels: ["app": "log"]), "c")])
        let pod = Sched.pod("p", labels: ["app": "web"], spec: """
            {"affinity": {"podAffinity": {"preferredDuringSchedulingIgnoredDuringExecution": [
               {"weight": 5, "podAffinityTerm": {"labelSelector": {"matchLabels": {"app": "cache"}}, "topologyKey": "topology.kubernetes.io/zone"}}]},
             "podAntiAffinity": {"preferredDuringSchedulingIgnoredDuringExecution": [
               {"weight": 3, "podAffinityTerm": {"labelSelector": {"matchLabels": {"app": "log"}}, "topologyKey": "kubernetes.io/hostname"}}]}}}
            """)
        let s = Sched.score(InterPodAffinity(wording: Sched.v136), pod, snap)
        // z1 holds 2 cache pods: +5 each for a and b; c's host holds a log pod: −3.
        XCTAssertEqual(s.raw, [10, 10, -3, 0])
        // 100 · (s − min) / (max − min).
        XCTAssertEqual(s.normalized, [100, 100, 0, 23])
    }

    func testPlacedPodsPreferencesWhateverTheirSelectorsShape() {
        // Placed pods' preferences apply to an incoming pod they select (symmetry), whether
        // their selector requires one label value (indexed by it) or not (In with two values,
        // Exists).
        func placed(_ name: String, _ kind: String, weight: Int, selector: String) -> JSON {
            Sched.pod(name, spec: """
                {"affinity": {"\(kind)": {"preferredDuringSchedulingIgnoredDuringExecution": [
                   {"weight": \(weight), "podAffinityTerm": {"labelSelector": \(selector), "topologyKey": "kubernetes.io/hostname"}}]}}}
                """)
        }
        let snap = Sched.snapshot([Sched.node("a"), Sched.node("b"), Sched.node("c")], [
            (placed("g1", "podAntiAffinity", weight: 10,
                    selector: #"{"matchExpressions": [{"key": "app", "operator": "In", "values": ["web", "api"]}]}"#), "a"),
            (placed("g2", "podAntiAffinity", weight: 20, selector: #"{"matchExpressions": [{"key": "tier", "operator": "Exists"}]}"#), "b"),
            (placed("g3", "podAffinity", weight: 5, selector: #"{"matchLabels": {"app": "web"}}"#), "c"),
        ])
        let plugin = InterPodAffinity(wording: Sched.v136)
        let web = Sched.score(plugin, Sched.pod("p", labels: ["app": "web", "tier": "front"]), snap)
        XCTAssertEqual(web.raw, [-10, -20, 5])
        XCTAssertEqual(web.normalized, [40, 0, 100])
        let api = Sched.score(plugin, Sched.pod("q", labels: ["app": "api"]), snap)
        XCTAssertEqual(api.raw, [-10, 0, 0])
        XCTAssertEqual(api.normalized, [0, 100, 100])
        // A pod none of them selects: nothing to score.
        XCTAssertEqual(Sched.score(plugin, Sched.pod("r", labels: ["app": "db"]), snap).raw, [0, 0, 0])
    }

    // MARK: Scores

    func testSelectorSpreadCountsTheControllersPodsPerNode() {
        // 1.18's DefaultPodTopologySpread: fewer pods of the same controller, higher score.
        let web = (0..<3).map { Sched.pod("web-\($0)", owner: "web") }
        let snap = Sched.snapshot([Sched.node("a"), Sched.node("b"), Sched.node("c")],
                                  [(web[0], "a"), (web[1], "a"), (web[2], "b"), (Sched.pod("db-0", owner: "db"), "c")])
        let plugin = SelectorSpread()
        let s = Sched.score(plugin, Sched.pod("web-3", owner: "web"), snap)
        XCTAssertEqual(s.raw, [2, 1, 0])
        XCTAssertEqual(s.normalized, [0, 50, 100])
        XCTAssertEqual(Sched.score(plugin, Sched.pod("db-1", owner: "db"), snap).normalized, [100, 100, 0])
        // No controller: every node alike.
        XCTAssertEqual(Sched.score(plugin, Sched.pod("bare"), snap).normalized, [100, 100, 100])
        // A pod leaving its node is counted out.
        if let a = snap.byName["a"], let placed = a.pods.first { snap.unplace(placed, from: a) }
        XCTAssertEqual(Sched.score(plugin, Sched.pod("web-4", owner: "web"), snap).raw, [1, 1, 0])
    }

    func testLeastAllocatedAndBalancedAllocation() {
        let snap = Sched.snapshot([Sched.node("a"), Sched.node("b")], [(Sched.pod("x", cpu: "1", memory: "2Gi"), "b")])
        let pod = Sched.pod("p", cpu: "1", memory: "1Gi")
        // a: cpu (4000 − 1000)·100/4000 = 75, memory (8 − 1)·100/8 = 87 → (75 + 87)/2 = 81;
        // b: cpu 50, memory (8 − 3)·100/8 = 62 → 56.
        XCTAssertEqual(Sched.score(NodeResourcesFit(), pod, snap).normalized, [81, 56])
        // 1.36: (1 − |0.25 − 0.125|/2)·100 = 93; b: (1 − |0.5 − 0.375|/2)·100 = 93 (93.75).
        XCTAssertEqual(Sched.score(BalancedAllocation(version: .v1_36), pod, snap).normalized, [93, 93])
        // 1.18: (1 − |0.25 − 0.125|)·100 = 87; b: (1 − |0.5 − 0.375|)·100 = 87.
        XCTAssertEqual(Sched.score(BalancedAllocation(version: .v1_18), pod, snap).normalized, [87, 87])
        // Requests counted with the non-zero defaults for LeastAllocated (100m, 200Mi).
        let empty = Sched.pod("e")
        XCTAssertEqual(Sched.score(NodeResourcesFit(), empty, Sched.snapshot([Sched.node("a", cpu: "1", memory: "1000Mi")])).normalized,
                       [(90 + 80) / 2])
    }

    func testTaintTolerationAndNodeAffinityScores() {
        let prefer: (String) -> JSON = { ["key": .string($0), "effect": "PreferNoSchedule"] }
        let snap = Sched.snapshot([Sched.node("a", labels: ["disk": "ssd", "zone": "1"]),
                                   Sched.node("b", labels: ["disk": "ssd"], taints: [prefer("x")]),
                                   Sched.node("c", taints: [prefer("x"), prefer("y")])])
        // Untolerated PreferNoSchedule taints 0, 1, 2 → 100 − 100·count/max.
        let t = Sched.score(TaintToleration(wording: Sched.v136), Sched.pod("p"), snap)
        XCTAssertEqual(t.raw, [0, 1, 2])
        XCTAssertEqual(t.normalized, [100, 50, 0])
        let tolerant = Sched.pod("t", spec: #"{"tolerations": [{"key": "x", "operator": "Exists"}]}"#)
        XCTAssertEqual(Sched.score(TaintToleration(wording: Sched.v136), tolerant, snap).normalized, [100, 100, 0])
        let pod = Sched.pod("n", spec: """
            {"affinity": {"nodeAffinity": {"preferredDuringSchedulingIgnoredDuringExecution": [
              {"weight": 8, "preference": {"matchExpressions": [{"key": "disk", "operator": "In", "values": ["ssd"]}]}},
              {"weight": 2, "preference": {"matchExpressions": [{"key": "zone", "operator": "Exists"}]}}]}}}
            """)
        let a = Sched.score(NodeAffinity(wording: Sched.v136), pod, snap)
        XCTAssertEqual(a.raw, [10, 8, 0])
        XCTAssertEqual(a.normalized, [100, 80, 0])
    }

    // MARK: Framework

    func testDefaultWeightsAndOrder() {
        let current = Framework.defaultProfile(wording: Sched.v136)
        XCTAssertEqual(current.filters.map(\.name), ["NodeUnschedulable", "NodeName", "TaintToleration", "NodeAffinity",
                                                     "NodePorts", "NodeResourcesFit", "PodTopologySpread", "InterPodAffinity"])
        XCTAssertEqual(current.scorers.map { "\($0.plugin.name)=\($0.weight)" },
                       ["TaintToleration=3", "NodeAffinity=2", "NodeResourcesFit=1", "PodTopologySpread=2",
                        "InterPodAffinity=2", "NodeResourcesBalancedAllocation=1"])
        XCTAssertEqual(current.postFilters.map(\.name), ["DefaultPreemption"])
    }

    func testNumFeasibleNodesToFind() {
        // < 100: all; else (50 − n/125)% with a 5% floor, at least 100.
        XCTAssertEqual(Scheduler.numFeasibleNodesToFind(3), 3)
        XCTAssertEqual(Scheduler.numFeasibleNodesToFind(100), 100)
        XCTAssertEqual(Scheduler.numFeasibleNodesToFind(1000), 420)
        XCTAssertEqual(Scheduler.numFeasibleNodesToFind(5000), 500)
        XCTAssertEqual(Scheduler.numFeasibleNodesToFind(6000), 300)
    }

    func testFitErrorSortsTheHistogramAsStrings() {
        XCTAssertEqual(FitError.message(nodeCount: 12, reasons: ["Insufficient cpu": 2, "node(s) were unschedulable": 10]),
                       "0/12 nodes are available: 10 node(s) were unschedulable, 2 Insufficient cpu.")
    }

    /// NodeAffinity's PreFilter result: required terms that all name nodes through
    /// `matchFields metadata.name In` restrict the nodes filtered (a DaemonSet pod's one node).
    func testNodeAffinityPreFilterNamesTheNodes() {
        let named = NodeSelectorTermSpec(["matchFields": [["key": "metadata.name", "operator": "In", "values": ["n2", "n1"]]]])
        let other = NodeSelectorTermSpec(["matchFields": [["key": "metadata.name", "operator": "In", "values": ["n3"]]]])
        let byLabel = NodeSelectorTermSpec(["matchExpressions": [["key": "zone", "operator": "In", "values": ["a"]]]])
        XCTAssertEqual(NodeAffinity.nodeNames([named]), ["n1", "n2"])
        XCTAssertEqual(NodeAffinity.nodeNames([named, other]), ["n1", "n2", "n3"])
        XCTAssertNil(NodeAffinity.nodeNames([named, byLabel]), "a term without names may match any node")
        XCTAssertNil(NodeAffinity.nodeNames(nil))
    }

    /// An update that leaves a placed pod's labels as they were (in any order) is told apart
    /// from one that changes them, without building the labels' map.
    func testPodInfoComparesLabelsAsAMap() throws {
        let pod = try JSON.parse(#"{"metadata":{"name":"p","namespace":"default","labels":{"app":"web","tier":"front"}}}"#)
        let info = PodInfo(pod)
        let reordered = try JSON.parse(#"{"metadata":{"name":"p","labels":{"tier":"front","app":"web"}}}"#)
        let changed = try JSON.parse(#"{"metadata":{"name":"p","labels":{"app":"web","tier":"back"}}}"#)
        let added = try JSON.parse(#"{"metadata":{"name":"p","labels":{"app":"web","tier":"front","x":"y"}}}"#)
        let removed = try JSON.parse(#"{"metadata":{"name":"p","labels":{"app":"web"}}}"#)
        let none = try JSON.parse(#"{"metadata":{"name":"p"}}"#)
        XCTAssertTrue(info.hasLabels(of: pod))
        XCTAssertTrue(info.hasLabels(of: reordered))
        XCTAssertFalse(info.hasLabels(of: changed))
        XCTAssertFalse(info.hasLabels(of: added))
        XCTAssertFalse(info.hasLabels(of: removed))
        XCTAssertFalse(info.hasLabels(of: none))
        XCTAssertTrue(PodInfo(none).hasLabels(of: none))
        for other in [pod, reordered, changed, added, removed, none] {
            XCTAssertEqual(info.hasLabels(of: other), info.labels == other.labelMap)
        }
    }
}
