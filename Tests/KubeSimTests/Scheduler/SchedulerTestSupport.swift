import XCTest
@testable import KubeSim

/// Builders for the scheduler's plugin tests: nodes and pods as the API would hold them.
enum Sched {
    static func node(_ name: String, cpu: String = "4", memory: String = "8Gi", pods: Int = 110,
                     labels: [String: String] = [:], taints: [JSON] = [], unschedulable: Bool = false) -> JSON
    {
        var l: JSONObject = ["kubernetes.io/hostname": .string(name)]
        for (k, v) in labels.sorted(by: { $0.key < $1.key }) { l[k] = .string(v) }
        var n: JSON = [
            "apiVersion": "v1", "kind": "Node",
            "metadata": ["name": .string(name), "labels": .object(l)],
            "spec": ["taints": .array(taints)],
            "status": ["allocatable": ["cpu": .string(cpu), "memory": .string(memory), "pods": .string(String(pods)),
                                       "ephemeral-storage": "10Gi"]],
        ]
        if unschedulable { n["spec", "unschedulable"] = true }
        return n
    }

    /// A pod from a JSON `spec` text (containers default to one requesting `cpu`/`memory`).
    static func pod(_ name: String, namespace: String = "default", labels: [String: String] = [:],
                    cpu: String? = nil, memory: String? = nil, priority: Int = 0, spec: String = "{}",
                    owner: String? = nil) -> JSON
    {
        var s = (try? JSON.parse(spec)) ?? .emptyObject
        if s["containers"].isNull {
            var requests: JSONObject = [:]
            if let cpu { requests["cpu"] = .string(cpu) }
            if let memory { requests["memory"] = .string(memory) }
            s["containers"] = [["name": "app", "image": "busybox", "resources": ["requests": .object(requests)]]]
        }
        s["priority"] = .int(priority)
        var l: JSONObject = [:]
        for (k, v) in labels.sorted(by: { $0.key < $1.key }) { l[k] = .string(v) }
        var p: JSON = [
            "apiVersion": "v1", "kind": "Pod",
            "metadata": ["name": .string(name), "namespace": .string(namespace), "uid": .string("uid-\(name)"),
                         "labels": .object(l), "creationTimestamp": "2024-01-01T00:00:00Z"],
            "spec": s,
        ]
        if let owner {
            p["metadata", "ownerReferences"] = [["apiVersion": "apps/v1", "kind": "ReplicaSet", "name": .string(owner),
                                                 "uid": .string("rs-\(owner)"), "controller": true]]
        }
        return p
    }

    /// A snapshot holding `nodes` with `placed` pods (pod, node name).
    static func snapshot(_ nodes: [JSON], _ placed: [(JSON, String)] = []) -> Snapshot {
        let s = Snapshot()
        for n in nodes { s.addNode(n) }
        for (p, node) in placed {
            if let n = s.byName[node] { s.place(PodInfo(p), on: n) }
        }
        return s
    }

    /// Runs one filter plugin (with its PreFilter) on every node: node name → status (nil: fits).
    static func filter(_ plugin: some FilterPlugin, _ pod: JSON, _ snapshot: Snapshot) -> [String: Status?] {
        let state = CycleState()
        let info = PodInfo(pod)
        if let pre = plugin as? any PreFilterPlugin, pre.preFilter(state, info, snapshot).code == .skip {
            return Dictionary(uniqueKeysWithValues: snapshot.nodeList().map { ($0.name, nil) })
        }
        var out: [String: Status?] = [:]
        for n in snapshot.nodeList() { out[n.name] = .some(plugin.filter(state, info, n)) }
        return out
    }

    /// Runs one score plugin (PreScore, Score, NormalizeScore) over every node: raw and
    /// normalised scores in node-name order.
    static func score(_ plugin: some ScorePlugin, _ pod: JSON, _ snapshot: Snapshot) -> (raw: [Int64], normalized: [Int64]) {
        let state = CycleState()
        let info = PodInfo(pod)
        let nodes = NodeSelection(all: snapshot.nodeList())
        if let pre = plugin as? any PreScorePlugin, pre.preScore(state, info, snapshot, nodes).code == .skip {
            return ([], [])
        }
        var scores = nodes.map { plugin.score(state, info, $0) }
        let raw = scores
        plugin.normalize(state, info, nodes, &scores)
        return (raw, scores)
    }

    static let v136 = Wording(version: .v1_36)
    static let v118 = Wording(version: .v1_18)
}
