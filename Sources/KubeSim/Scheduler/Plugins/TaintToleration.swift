/// TaintToleration (plugins/tainttoleration): the filter keeps pods off nodes with a
/// NoSchedule or NoExecute taint they do not tolerate; the score prefers nodes with fewer
/// untolerated PreferNoSchedule taints.
final class TaintToleration: FilterPlugin, PreScorePlugin, ScorePlugin {
    let name = "TaintToleration"
    let wording: Wording
    init(wording: Wording) { self.wording = wording }

    func filter(_ state: CycleState, _ pod: PodInfo, _ node: NodeInfo) -> Status? {
        for taint in node.taints where taint.blocksScheduling && !pod.tolerates(taint) {
            return .unresolvable(name, wording.untoleratedTaint(key: taint.key, value: taint.value))
        }
        return nil
    }

    func passesEveryNode(_ state: CycleState, _ pod: PodInfo, _ snapshot: Snapshot) -> Bool {
        snapshot.taintedNodes == 0
    }

    /// No node has a taint: every node counts 0 untolerated PreferNoSchedule taints.
    func scoresEveryNodeAlike(_ state: CycleState, _ pod: PodInfo, _ snapshot: Snapshot) -> Bool {
        snapshot.taintedNodes == 0
    }

    /// Only tolerations with an empty effect or PreferNoSchedule count for scoring.
    func preScore(_ state: CycleState, _ pod: PodInfo, _ snapshot: Snapshot, _ nodes: NodeSelection) -> Status {
        state.taintTolerations = pod.tolerations.filter { $0.effect.isEmpty || $0.effect == "PreferNoSchedule" }
        return .success
    }

    /// The number of PreferNoSchedule taints the pod does not tolerate.
    func score(_ state: CycleState, _ pod: PodInfo, _ node: NodeInfo) -> Int64 {
        var count: Int64 = 0
        for taint in node.taints where taint.effect == "PreferNoSchedule" {
            if !state.taintTolerations.contains(where: { $0.tolerates(taint) }) { count += 1 }
        }
        return count
    }

    func normalize(_ state: CycleState, _ pod: PodInfo, _ nodes: NodeSelection, _ scores: inout [Int64]) {
        DefaultNormalize.apply(&scores, reverse: true)
    }
}

/// pluginhelper.DefaultNormalizeScore: scale to 0…100 by the highest score; `reverse` turns
/// "more is worse" counts into scores.
enum DefaultNormalize {
    static func apply(_ scores: inout [Int64], reverse: Bool) {
        let maxCount = scores.max() ?? 0
        if maxCount == 0 {
            if reverse { for i in scores.indices { scores[i] = maxNodeScore } }
            return
        }
        for i in scores.indices {
            let s = maxNodeScore * scores[i] / maxCount
            scores[i] = reverse ? maxNodeScore - s : s
        }
    }
}
