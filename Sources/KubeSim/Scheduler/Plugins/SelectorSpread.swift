/// 1.18's DefaultPodTopologySpread (SelectorSpread): fewer pods of the same controller on a
/// node scores higher. Simplified to nodes (1.18 also weighed zones 2/3), and to the pod's
/// controller rather than the selectors of its Services and controllers.
final class SelectorSpread: ScorePlugin {
    let name = "DefaultPodTopologySpread"

    func score(_ state: CycleState, _ pod: PodInfo, _ node: NodeInfo) -> Int64 {
        guard let owner = pod.controllerKey else { return 0 }
        return Int64(node.podsPerController[owner] ?? 0)
    }

    /// Fewer siblings, higher score: 100 · (max − count) / max.
    func normalize(_ state: CycleState, _ pod: PodInfo, _ nodes: [NodeInfo], _ scores: inout [Int64]) {
        let maxCount = scores.max() ?? 0
        for i in scores.indices { scores[i] = maxCount > 0 ? maxNodeScore * (maxCount - scores[i]) / maxCount : maxNodeScore }
    }
}
