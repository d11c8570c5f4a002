/// 1.18's DefaultPodTopologySpread (SelectorSpread): fewer pods of the same controller on a
/// node scores higher. Simplified to nodes (1.18 also weighed zones 2/3), and to the pod's
/// controller rather than the selectors of its Services and controllers.
final class SelectorSpread: PreScorePlugin, ScorePlugin {
    let name = "DefaultPodTopologySpread"

    /// Where the pod's controller has pods (nothing to count without a controller; scores
    /// are then all equal).
    func preScore(_ state: CycleState, _ pod: PodInfo, _ snapshot: Snapshot, _ nodes: NodeSelection) -> Status {
        state.controllerPodsPerNode = pod.controllerUID.flatMap { snapshot.podsPerController[$0] } ?? [:]
        return .success
    }

    func score(_ state: CycleState, _ pod: PodInfo, _ node: NodeInfo) -> Int64 {
        Int64(state.controllerPodsPerNode[node.id] ?? 0)
    }

    /// `score` for every node: the controller's few nodes are spread into an array by node
    /// id, which each node then reads, instead of a hashed lookup per node.
    func scoreAll(_ state: CycleState, _ pod: PodInfo, _ nodes: NodeSelection, _ scores: inout [Int64]) {
        let counts = state.controllerPodsPerNode
        var maxID = 0
        for node in nodes { maxID = max(maxID, node.id) }
        // Ids only grow: after much node churn the array would be mostly holes.
        guard maxID <= 4 * nodes.count + 64 else {
            for i in nodes.indices { scores[i] = score(state, pod, nodes[i]) }
            return
        }
        var byID = [Int64](repeating: 0, count: maxID + 1)
        for (id, count) in counts where id >= 0 && id <= maxID { byID[id] = Int64(count) }
        for i in nodes.indices { scores[i] = byID[nodes[i].id] }
    }

    /// Fewer siblings, higher score: 100 · (max − count) / max.
    func normalize(_ state: CycleState, _ pod: PodInfo, _ nodes: NodeSelection, _ scores: inout [Int64]) {
        let maxCount = scores.max() ?? 0
        guard maxCount > 0 else {
            for i in scores.indices { scores[i] = maxNodeScore }
            return
        }
        guard maxCount < Int64(Self.tableSize) else {
            for i in scores.indices { scores[i] = maxNodeScore * (maxCount - scores[i]) / maxCount }
            return
        }
        // The counts are few and small: each one's score is divided out once, not per node.
        withUnsafeTemporaryAllocation(of: Int64.self, capacity: Self.tableSize) { table in
            for c in 0...Int(maxCount) { table[c] = maxNodeScore * (maxCount - Int64(c)) / maxCount }
            for i in scores.indices {
                let c = scores[i]
                scores[i] = c >= 0 ? table[Int(c)] : maxNodeScore * (maxCount - c) / maxCount
            }
        }
    }

    /// Counts below this are scored through a table.
    private static let tableSize = 64
}
