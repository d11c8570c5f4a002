/// NodeAffinity (plugins/nodeaffinity): the filter requires `spec.nodeSelector` and the
/// required node affinity (terms ORed, expressions and fields within a term ANDed); the
/// score sums the weights of the preferred terms a node matches.
final class NodeAffinity: PreFilterPlugin, FilterPlugin, PreScorePlugin, ScorePlugin {
    let name = "NodeAffinity"
    let wording: Wording
    init(wording: Wording) { self.wording = wording }

    func preFilter(_ state: CycleState, _ pod: PodInfo, _ snapshot: Snapshot) -> Status {
        if pod.nodeSelector.isEmpty && pod.requiredNodeTerms == nil { return .skip }
        state.preFilterNodeNames = Self.nodeNames(pod.requiredNodeTerms)
        return .success
    }

    /// The node names every required term restricts the pod to, through `matchFields
    /// metadata.name In [...]` (upstream's PreFilter result); nil when some term does not.
    static func nodeNames(_ terms: [NodeSelectorTermSpec]?) -> Set<String>? {
        guard let terms, !terms.isEmpty else { return nil }
        var names: Set<String> = []
        for term in terms {
            guard let field = term.fields.first(where: { $0.key == "metadata.name" && $0.op == "In" }) else { return nil }
            names.formUnion(field.values)
        }
        return names
    }

    func filter(_ state: CycleState, _ pod: PodInfo, _ node: NodeInfo) -> Status? {
        pod.matchesRequiredNodeAffinity(node) ? nil : .unresolvable(name, wording.nodeAffinityMismatch)
    }

    func preScore(_ state: CycleState, _ pod: PodInfo, _ snapshot: Snapshot, _ nodes: NodeSelection) -> Status {
        pod.preferredNodeTerms.isEmpty ? .skip : .success
    }

    func score(_ state: CycleState, _ pod: PodInfo, _ node: NodeInfo) -> Int64 {
        var total: Int64 = 0
        for (weight, term) in pod.preferredNodeTerms where weight != 0 && term.matches(node) { total += weight }
        return total
    }

    func normalize(_ state: CycleState, _ pod: PodInfo, _ nodes: NodeSelection, _ scores: inout [Int64]) {
        DefaultNormalize.apply(&scores, reverse: false)
    }
}
