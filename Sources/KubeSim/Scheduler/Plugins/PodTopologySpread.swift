// libm's `log`, for the score's weights.
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// PodTopologySpread (plugins/podtopologyspread): spreads matching pods over topology
/// domains. DoNotSchedule constraints filter: a node is refused when
/// `matching pods in its domain + (1 if the pod matches itself) − global minimum > maxSkew`
/// (the minimum counts as 0 while fewer domains than minDomains exist). ScheduleAnyway
/// constraints — or, for a pod with none, the system defaults (zone maxSkew 5, hostname
/// maxSkew 3, selecting the pod's ReplicaSet/StatefulSet/ReplicationController siblings) —
/// score: fewer matching pods in the node's domains scores higher.
///
/// Pods are counted through the scheduler's LabelSetIndex rather than by walking every
/// node's pods. nodeAffinityPolicy (default Honor) and nodeTaintsPolicy (default Ignore)
/// decide which nodes' domains and pods count.
final class PodTopologySpread: PreFilterPlugin, FilterPlugin, PreScorePlugin, ScorePlugin {
    let name = "PodTopologySpread"
    static let reasonNotMatch = "node(s) didn't match pod topology spread constraints"
    static let reasonMissingLabel = "node(s) didn't match pod topology spread constraints (missing required label)"
    static let hostnameKey = "kubernetes.io/hostname"
    static let zoneKey = "topology.kubernetes.io/zone"
    /// Whether pods without constraints get the system defaults (1.19+; not in 1.18).
    let systemDefaults: Bool

    init(systemDefaults: Bool) { self.systemDefaults = systemDefaults }

    struct ConstraintCounts {
        var constraint: SpreadConstraint
        var topology: TopologyValues
        /// Matching pods per domain, by the topology's value id.
        var counts: [Int32]
        var minMatch: Int
        var selfMatch: Int
    }

    /// Classes: filters and scores read them per node without copying.
    final class PreFilterState {
        let constraints: [ConstraintCounts]
        init(constraints: [ConstraintCounts]) { self.constraints = constraints }
    }

    final class PreScoreState {
        let constraints: [SpreadConstraint]
        let entries: [[LabelSetIndex.Entry]]
        let counts: [[String: Int]]
        let weights: [Double]
        let ignored: Set<Int>
        let isHostname: [Bool]
        let keys: [String]
        let skewTerms: [Double]
        /// For zone constraints: counts by interned zone id (slot zoneCount: nodes without
        /// the label); −1 marks a zone no feasible node is in.
        let zoneCounts: [[Int]?]
        init(constraints: [SpreadConstraint], entries: [[LabelSetIndex.Entry]], counts: [[String: Int]],
             zoneCounts: [[Int]?], weights: [Double], ignored: Set<Int>)
        {
            self.zoneCounts = zoneCounts
            self.constraints = constraints
            self.entries = entries
            self.counts = counts
            self.weights = weights
            self.ignored = ignored
            isHostname = constraints.map { $0.topologyKey == PodTopologySpread.hostnameKey }
            keys = constraints.map(\.topologyKey)
            skewTerms = constraints.map { Double($0.maxSkew - 1) }
        }
    }

    // MARK: Filter

    func preFilter(_ state: CycleState, _ pod: PodInfo, _ snapshot: Snapshot) -> Status {
        let constraints = pod.spreadConstraints.filter { $0.whenUnsatisfiable == "DoNotSchedule" }
        guard !constraints.isEmpty else { return .skip }
        let keys = Array(Set(constraints.map(\.topologyKey))).sorted()
        let simple = !constraints.contains { $0.honorTaints }
            && (pod.nodeSelector.isEmpty && pod.requiredNodeTerms == nil
                || !constraints.contains { $0.honorNodeAffinity })
        // Eligible nodes: all constraint keys present (nodeLabelsMatchSpreadConstraints) and
        // the inclusion policies; the domains they form, counted even with no pods.
        var eligible: Set<Int>?
        var valuesPerKey: [String: Set<String>]
        if simple {
            valuesPerKey = snapshot.domains(for: keys).valuesPerKey
        } else {
            var ids = Set<Int>()
            valuesPerKey = [:]
            for n in snapshot.nodeList() where keys.allSatisfy({ n.labels[$0] != nil }) {
                if constraints.contains(where: { !Self.included(n, $0, pod) }) { continue }
                ids.insert(n.id)
                for k in keys { valuesPerKey[k, default: []].insert(n.labels[k] ?? "") }
            }
            eligible = ids
        }
        let keyTopologies = keys.map { snapshot.topology($0) }
        var out: [ConstraintCounts] = []
        for c in constraints {
            let topology = snapshot.topology(c.topologyKey)
            var counts = [Int32](repeating: 0, count: topology.count)
            var touched: [Int] = []
            for entry in snapshot.labelSets.matching(c.selector, namespace: pod.namespace) {
                for (id, n) in entry.nodeCounts {
                    if let eligible { guard eligible.contains(id) else { continue } } else {
                        guard keyTopologies.allSatisfy({ $0.valueID(ofNode: id) >= 0 }) else { continue }
                    }
                    let v = topology.valueID(ofNode: id)
                    guard v >= 0 else { continue }
                    if counts[v] == 0 { touched.append(v) }
                    counts[v] &+= Int32(truncatingIfNeeded: n)
                }
            }
            // The global minimum over the eligible domains: 0 while one of them has no
            // matching pod (every counted domain is an eligible one).
            let domains = valuesPerKey[c.topologyKey]?.count ?? 0
            var minMatch = touched.count < domains ? 0 : (touched.lazy.map { Int(counts[$0]) }.min() ?? 0)
            if domains < c.minDomains { minMatch = 0 }
            let selfMatch = c.selector?.matches(pod.labels) == true ? 1 : 0
            out.append(ConstraintCounts(constraint: c, topology: topology, counts: counts, minMatch: minMatch,
                                        selfMatch: selfMatch))
        }
        state.spreadFilter = PreFilterState(constraints: out)
        return .success
    }

    /// matchNodeInclusionPolicies.
    static func included(_ node: NodeInfo, _ c: SpreadConstraint, _ pod: PodInfo) -> Bool {
        if c.honorNodeAffinity, !pod.matchesRequiredNodeAffinity(node) { return false }
        if c.honorTaints, node.taints.contains(where: { $0.blocksScheduling && !pod.tolerates($0) }) { return false }
        return true
    }

    func filter(_ state: CycleState, _ pod: PodInfo, _ node: NodeInfo) -> Status? {
        guard let s = state.spreadFilter else { return nil }
        for c in s.constraints {
            let v = c.topology.valueID(ofNode: node.id)
            guard v >= 0 else { return .unresolvable(name, Self.reasonMissingLabel) }
            let skew = (v < c.counts.count ? Int(c.counts[v]) : 0) + c.selfMatch - c.minMatch
            if skew > c.constraint.maxSkew { return .unschedulable(name, Self.reasonNotMatch) }
        }
        return nil
    }

    // MARK: Score

    /// The soft constraints: the pod's ScheduleAnyway ones, or the system defaults when it
    /// has none at all (buildDefaultConstraints; the selector is the pod's controller's,
    /// which for controller-made pods selects exactly the pod's labels).
    func scoringConstraints(_ pod: PodInfo) -> (constraints: [SpreadConstraint], systemDefaulted: Bool) {
        if !pod.spreadConstraints.isEmpty {
            return (pod.spreadConstraints.filter { $0.whenUnsatisfiable == "ScheduleAnyway" }, false)
        }
        guard systemDefaults, let kind = pod.controllerKind,
              ["ReplicaSet", "ReplicationController", "StatefulSet"].contains(kind), !pod.labels.isEmpty
        else { return ([], true) }
        let selector = LabelSelector(matchingLabels: pod.labels)
        return ([SpreadConstraint(maxSkew: 3, topologyKey: Self.hostnameKey, selector: selector, namespace: pod.namespace),
                 SpreadConstraint(maxSkew: 5, topologyKey: Self.zoneKey, selector: selector, namespace: pod.namespace)],
                true)
    }

    func preScore(_ state: CycleState, _ pod: PodInfo, _ snapshot: Snapshot, _ nodes: NodeSelection) -> Status {
        let (constraints, systemDefaulted) = scoringConstraints(pod)
        guard !constraints.isEmpty, !nodes.isEmpty else { return .skip }
        let requireAll = !systemDefaulted
        var ignored = Set<Int>()
        var counts = [[String: Int]](repeating: [:], count: constraints.count)
        var topoSize = [Int](repeating: 0, count: constraints.count)
        let keys = constraints.map(\.topologyKey)
        let zones = snapshot.zoneCount
        var zoneCounts: [[Int]?] = keys.map { $0 == Self.zoneKey ? [Int](repeating: -1, count: zones + 1) : nil }
        let domainKeys = keys.indices.filter { keys[$0] != Self.hostnameKey && keys[$0] != Self.zoneKey }
        let zoneKeys = keys.indices.filter { keys[$0] == Self.zoneKey }
        // Zones the feasible nodes are in (slot `zones`: nodes without one).
        var zonesPresent = [Bool](repeating: false, count: zones + 1)
        var zonesPresentCount = 0
        for j in nodes.indices {
            if requireAll, !keys.allSatisfy({ nodes[j].label($0) != nil }) {
                ignored.insert(nodes[j].id)
                continue
            }
            if !zoneKeys.isEmpty {
                unowned(unsafe) let node = nodes[j]
                let zone = node.zoneID
                let slot = zone >= 0 ? zone : zones
                if !zonesPresent[slot] {
                    zonesPresent[slot] = true
                    zonesPresentCount += 1
                }
            }
            if domainKeys.isEmpty { continue }
            let n = nodes[j]
            for i in domainKeys {
                let v = n.label(keys[i]) ?? ""
                if counts[i][v] == nil {
                    counts[i][v] = 0
                    topoSize[i] += 1
                }
            }
        }
        for i in zoneKeys {
            topoSize[i] = zonesPresentCount
            for slot in zonesPresent.indices where zonesPresent[slot] { zoneCounts[i]?[slot] = 0 }
        }
        var entries: [[LabelSetIndex.Entry]] = []
        var weights: [Double] = []
        // The system defaults select the pod's own labels.
        let ownLabels = systemDefaulted ? snapshot.labelSets.matchingOwnLabels(pod) : []
        for (i, c) in constraints.enumerated() {
            let matching = systemDefaulted ? ownLabels : snapshot.labelSets.matching(c.selector, namespace: pod.namespace)
            entries.append(matching)
            let size = c.topologyKey == Self.hostnameKey ? nodes.count - ignored.count : topoSize[i]
            weights.append(log(Double(size + 2)))
            guard c.topologyKey != Self.hostnameKey else { continue }
            // Pods on every node count toward the domains the feasible nodes form. When every
            // node counts (no required keys to check, no inclusion policy that excludes any),
            // the label sets' per-zone sums are the zone counts.
            if zoneCounts[i] != nil, !requireAll, !c.honorTaints,
               !c.honorNodeAffinity || pod.nodeSelector.isEmpty && pod.requiredNodeTerms == nil
            {
                for slot in 0...zones where zoneCounts[i]?[slot] ?? -1 >= 0 {
                    let zone = slot == zones ? -1 : slot
                    var n = 0
                    for entry in matching { n += entry.count(inZone: zone) }
                    zoneCounts[i]?[slot] += n
                }
                continue
            }
            for entry in matching {
                for (id, n) in entry.nodeCounts {
                    guard let node = snapshot.byID[id] else { continue }
                    if requireAll, !keys.allSatisfy({ node.label($0) != nil }) { continue }
                    guard Self.included(node, c, pod) else { continue }
                    if zoneCounts[i] != nil {
                        let slot = node.zoneID >= 0 ? node.zoneID : zones
                        if let current = zoneCounts[i]?[slot], current >= 0 { zoneCounts[i]?[slot] = current + n }
                        continue
                    }
                    let v = node.label(c.topologyKey) ?? ""
                    if let current = counts[i][v] { counts[i][v] = current + n }
                }
            }
        }
        state.spreadScore = PreScoreState(constraints: constraints, entries: entries, counts: counts,
                                          zoneCounts: zoneCounts, weights: weights, ignored: ignored)
        return .success
    }

    func score(_ state: CycleState, _ pod: PodInfo, _ node: NodeInfo) -> Int64 {
        var score: [Int64] = [0]
        scoreAll(state, pod, NodeSelection(all: [node]), &score)
        return score[0]
    }

    /// Per node, the sum over the constraints of `count · weight + (maxSkew − 1)` (scoreForCount:
    /// maxSkew − 1 waters down small differences), rounded; ignored nodes 0. One pass per
    /// constraint, reading nodes in place (no reference counted per node: `nodes` holds them
    /// all); each node's terms are added in constraint order.
    func scoreAll(_ state: CycleState, _ pod: PodInfo, _ nodes: NodeSelection, _ scores: inout [Int64]) {
        guard let s = state.spreadScore else {
            for i in scores.indices { scores[i] = 0 }
            return
        }
        var sums = [Double](repeating: 0, count: nodes.count)
        for i in s.keys.indices {
            let weight = s.weights[i], skew = s.skewTerms[i]
            if s.isHostname[i] {
                let counts = s.entries[i].map(\.dense)
                let only = counts.count == 1 ? counts[0] : nil
                for j in nodes.indices {
                    unowned(unsafe) let node = nodes[j]
                    guard node.hasHostnameLabel else { continue }
                    let id = node.id
                    var n = 0
                    if let only {
                        if id < only.count { n = Int(only[id]) }
                    } else {
                        for c in counts where id < c.count { n += Int(c[id]) }
                    }
                    sums[j] += Double(n) * weight + skew
                }
            } else if let zc = s.zoneCounts[i] {
                for j in nodes.indices {
                    unowned(unsafe) let node = nodes[j]
                    let zone = node.zoneID
                    guard zone >= 0 else { continue }
                    sums[j] += Double(max(0, zc[zone])) * weight + skew
                }
            } else {
                let key = s.keys[i], counts = s.counts[i]
                for j in nodes.indices {
                    guard let v = nodes[j].label(key) else { continue }
                    sums[j] += Double(counts[v] ?? 0) * weight + skew
                }
            }
        }
        for j in sums.indices {
            scores[j] = !s.ignored.isEmpty && s.ignored.contains(nodes[j].id) ? 0 : Int64(sums[j].rounded())
        }
    }

    /// 100 · (max + min − score) / max, ignored nodes 0.
    func normalize(_ state: CycleState, _ pod: PodInfo, _ nodes: NodeSelection, _ scores: inout [Int64]) {
        guard let s = state.spreadScore else { return }
        var minScore = Int64.max, maxScore: Int64 = 0
        let noneIgnored = s.ignored.isEmpty
        for i in nodes.indices where noneIgnored || !s.ignored.contains(nodes[i].id) {
            minScore = min(minScore, scores[i])
            maxScore = max(maxScore, scores[i])
        }
        for i in nodes.indices {
            if !noneIgnored, s.ignored.contains(nodes[i].id) {
                scores[i] = 0
            } else if maxScore == 0 {
                scores[i] = maxNodeScore
            } else {
                scores[i] = maxNodeScore * (maxScore + minScore - scores[i]) / maxScore
            }
        }
    }
}
