/// NodeAffinity (plugins/nodeaffinity): the filter requires `spec.nodeSelector` and the
/// required node affinity (terms ORed, expressions and fields within a term ANDed); the
/// score sums the weights of the preferred terms a node matches.
final class NodeAffinity: PreFilterPlugin, FilterPlugin, PreScorePlugin, ScorePlugin {
    let name = "NodeAffinity"
    let wording: Wording
    init(wording: Wording) { self.wording = wording }

    func preFilter(_ state: CycleState, _ pod: PodInfo, _ snapshot: Snapshot) -> Status {
        pod.nodeSelector.isEmpty && pod.requiredNodeTerms == nil ? .skip : .success
    }

    func filter(_ state: CycleState, _ pod: PodInfo, _ node: NodeInfo) -> Status? {
        pod.matchesRequiredNodeAffinity(node) ? nil : .unresolvable(name, wording.nodeAffinityMismatch)
    }

    func preScore(_ state: CycleState, _ pod: PodInfo, _ snapshot: Snapshot, _ nodes: [NodeInfo]) -> Status {
        pod.preferredNodeTerms.isEmpty ? .skip : .success
    }

    func score(_ state: CycleState, _ pod: PodInfo, _ node: NodeInfo) -> Int64 {
        var total: Int64 = 0
        for (weight, term) in pod.preferredNodeTerms where weight != 0 && term.matches(node) { total += weight }
        return total
    }

    func normalize(_ state: CycleState, _ pod: PodInfo, _ nodes: [NodeInfo], _ scores: inout [Int64]) {
        DefaultNormalize.apply(&scores, reverse: false)
    }
}
