/// One scheduling profile: the plugins enabled at each extension point, in order, and the
/// score weights (framework/runtime/framework.go). `default-scheduler`'s plugin set is
/// `defaultProfile`.
final class Framework {
    struct WeightedScorer {
        let plugin: any ScorePlugin
        let weight: Int64
    }

    /// One plugin's scores for the nodes scored, for the explanation.
    struct PluginScores {
        var plugin: String
        var weight: Int64
        var raw: [Int64]
        var normalized: [Int64]
    }

    let preFilters: [any PreFilterPlugin]
    let filters: [any FilterPlugin]
    let postFilters: [any PostFilterPlugin]
    let preScores: [any PreScorePlugin]
    let scorers: [WeightedScorer]
    let reservers: [any ReservePlugin]
    let binder: any BindPlugin
    /// `activeFilters`' and `activeScorers`' last answers, and the plugins skipped then.
    private var lastActiveFilters: (skipped: PluginNames, plugins: [any FilterPlugin])?
    private var lastActiveScorers: (skipped: PluginNames, plugins: [WeightedScorer])?

    init(preFilters: [any PreFilterPlugin], filters: [any FilterPlugin], postFilters: [any PostFilterPlugin],
         preScores: [any PreScorePlugin], scorers: [WeightedScorer], reservers: [any ReservePlugin],
         binder: any BindPlugin)
    {
        self.preFilters = preFilters
        self.filters = filters
        self.postFilters = postFilters
        self.preScores = preScores
        self.scorers = scorers
        self.reservers = reservers
        self.binder = binder
    }

    /// The default plugins of each version: today's apis/config/v1/default_plugins.go
    /// (filter order and score weights TaintToleration 3, NodeAffinity 2, PodTopologySpread 2,
    /// InterPodAffinity 2, NodeResourcesFit 1, BalancedAllocation 1), and 1.18's
    /// algorithmprovider/registry.go (every score weight 1, SelectorSpread, LeastAllocated as
    /// its own plugin).
    static func defaultProfile(wording: Wording) -> Framework {
        let unschedulable = NodeUnschedulable(), nodeName = NodeName()
        let taints = TaintToleration(wording: wording), nodeAffinity = NodeAffinity(wording: wording)
        let ports = NodePorts(), fit = NodeResourcesFit()
        let spread = PodTopologySpread(systemDefaults: wording.version != .v1_18)
        let podAffinity = InterPodAffinity(wording: wording)
        let balanced = BalancedAllocation(version: wording.version)
        let preemption = DefaultPreemption(wording: wording)
        switch wording.version {
        case .v1_18:
            let selectorSpread = SelectorSpread()
            return Framework(
                preFilters: [ports, nodeAffinity, spread, podAffinity],
                filters: [unschedulable, fit, nodeName, ports, nodeAffinity, taints, spread, podAffinity],
                postFilters: [preemption],
                preScores: [podAffinity, spread, taints, nodeAffinity, selectorSpread],
                scorers: [WeightedScorer(plugin: balanced, weight: 1), WeightedScorer(plugin: podAffinity, weight: 1),
                          WeightedScorer(plugin: fit, weight: 1), WeightedScorer(plugin: nodeAffinity, weight: 1),
                          WeightedScorer(plugin: spread, weight: 1), WeightedScorer(plugin: selectorSpread, weight: 1),
                          WeightedScorer(plugin: taints, weight: 1)],
                reservers: [], binder: DefaultBinder())
        case .v1_36:
            return Framework(
                preFilters: [nodeAffinity, ports, spread, podAffinity],
                filters: [unschedulable, nodeName, taints, nodeAffinity, ports, fit, spread, podAffinity],
                postFilters: [preemption],
                preScores: [taints, nodeAffinity, spread, podAffinity],
                scorers: [WeightedScorer(plugin: taints, weight: 3), WeightedScorer(plugin: nodeAffinity, weight: 2),
                          WeightedScorer(plugin: fit, weight: 1), WeightedScorer(plugin: spread, weight: 2),
                          WeightedScorer(plugin: podAffinity, weight: 2), WeightedScorer(plugin: balanced, weight: 1)],
                reservers: [], binder: DefaultBinder())
        }
    }

    /// RunPreFilterPlugins: the first rejection ends the attempt; skips are remembered.
    func runPreFilter(_ state: CycleState, _ pod: PodInfo, _ snapshot: Snapshot) -> Status {
        for p in preFilters {
            let s = p.preFilter(state, pod, snapshot)
            switch s.code {
            case .skip: state.skipFilter.insert(p.name)
            case .success: break
            default: return Status(code: s.code, reasons: s.reasons, plugin: p.name)
            }
        }
        return .success
    }

    /// The filters this attempt runs (those that did not skip).
    func activeFilters(_ state: CycleState) -> [any FilterPlugin] {
        Self.active(filters, skipping: state.skipFilter, name: { $0.name }, last: &lastActiveFilters)
    }

    /// The scorers this attempt runs (those whose PreScore did not skip).
    func activeScorers(_ state: CycleState) -> [WeightedScorer] {
        Self.active(scorers, skipping: state.skipScore, name: { $0.plugin.name }, last: &lastActiveScorers)
    }

    /// `plugins` but those `skipped` names. The last such list is kept: a controller's pods,
    /// one attempt after another, skip the same plugins.
    private static func active<Plugin>(_ plugins: [Plugin], skipping skipped: PluginNames, name: (Plugin) -> String,
                                       last: inout (skipped: PluginNames, plugins: [Plugin])?) -> [Plugin]
    {
        if skipped.isEmpty { return plugins }
        if let last, last.skipped == skipped { return last.plugins }
        let active = plugins.filter { !skipped.contains(name($0)) }
        last = (skipped, active)
        return active
    }

    /// RunFilterPlugins: the first rejecting plugin's status, nil when the node fits.
    @inline(__always)
    static func runFilters(_ filters: [any FilterPlugin], _ state: CycleState, _ pod: PodInfo, _ node: NodeInfo) -> Status? {
        for f in filters {
            if let s = f.filter(state, pod, node) { return s }
        }
        return nil
    }

    /// RunFilterPlugins over a run of nodes, plugin by plugin: `alive` (indices into `nodes`)
    /// ends with the nodes every filter passed, in order; the index of each other node is
    /// added to `rejected` (`runFilters` on that node gives its status).
    static func runFilters(_ filters: [any FilterPlugin], _ state: CycleState, _ pod: PodInfo, _ snapshot: Snapshot,
                           _ nodes: [NodeInfo], alive: inout [Int], rejected: inout [Int])
    {
        for f in filters where !alive.isEmpty && !f.passesEveryNode(state, pod, snapshot) {
            f.filterAll(state, pod, nodes, &alive, &rejected)
        }
    }

    /// Every filter's verdict on one node, for the explanation (filters after a rejection
    /// are reported as not run, as upstream stops at the first).
    func filterVerdicts(_ state: CycleState, _ pod: PodInfo, _ node: NodeInfo) -> [(plugin: String, status: Status?, ran: Bool)] {
        var out: [(String, Status?, Bool)] = []
        var rejected = false
        for f in filters {
            if state.skipFilter.contains(f.name) || rejected {
                out.append((f.name, nil, false))
                continue
            }
            let s = f.filter(state, pod, node)
            if s != nil { rejected = true }
            out.append((f.name, s, true))
        }
        return out
    }

    /// RunPreScorePlugins, RunScorePlugins (score, normalise, weigh): the weighted total per
    /// node, and each plugin's scores when `detail` is asked for.
    func runScore(_ state: CycleState, _ pod: PodInfo, _ snapshot: Snapshot, _ nodes: NodeSelection,
                  detail: Bool) -> (totals: [Int64], plugins: [PluginScores])
    {
        for p in preScores where p.preScore(state, pod, snapshot, nodes).code == .skip {
            state.skipScore.insert(p.name)
        }
        var totals = [Int64](repeating: 0, count: nodes.count)
        var details: [PluginScores] = []
        var scores = [Int64](repeating: 0, count: nodes.count)
        for s in activeScorers(state) {
            if !detail, s.plugin.scoresEveryNodeAlike(state, pod, snapshot) { continue }
            s.plugin.scoreAll(state, pod, nodes, &scores)
            let raw = detail ? scores : []
            s.plugin.normalize(state, pod, nodes, &scores)
            // Normalised scores are 0…100 and weights small, so wrapping never happens; without
            // the overflow checks the loop vectorises (it runs per plugin over every node).
            let weight = s.weight
            for i in totals.indices { totals[i] &+= scores[i] &* weight }
            if detail { details.append(PluginScores(plugin: s.plugin.name, weight: s.weight, raw: raw, normalized: scores)) }
        }
        return (totals, details)
    }
}
