/// DefaultPreemption (plugins/defaultpreemption, framework/preemption/preemption.go): when no
/// node fits, find a node where removing pods of lower priority lets the pod fit, reprieve as
/// many of them as still leaves room (most important first), and nominate that node. The
/// scheduler then deletes the victims (`Preempted` events) and sets
/// `status.nominatedNodeName`.
///
/// Not modelled: PodDisruptionBudgets (the PDB type is not in this branch, so no victim is
/// spared for a budget); every node is a candidate (upstream dry-runs a random 10 %, at
/// least 100); PodTopologySpread and InterPodAffinity keep their pre-filter counts while
/// victims are removed (upstream's PreFilterExtensions.RemovePod updates them).
final class DefaultPreemption: PostFilterPlugin {
    let name = "DefaultPreemption"
    let wording: Wording
    static let notHelpful = "Preemption is not helpful for scheduling"
    static let noVictims = "No preemption victims found for incoming pod"
    init(wording: Wording) { self.wording = wording }

    struct Candidate {
        var node: NodeInfo
        var victims: [PodInfo]
    }

    func postFilter(_ state: CycleState, _ pod: PodInfo, _ snapshot: Snapshot, _ statuses: [Int: Status],
                    _ framework: Framework) -> PostFilterResult
    {
        // PodEligibleToPreemptOthers.
        if pod.preemptionPolicy == "Never" {
            return PostFilterResult(message: "preemption: not eligible due to preemptionPolicy=Never.")
        }
        let nominated = pod.pod["status", "nominatedNodeName"].string ?? ""
        if !nominated.isEmpty, let node = snapshot.byName[nominated],
           node.pods.contains(where: { $0.isTerminating && $0.priority < pod.priority })
        {
            return PostFilterResult(message: "preemption: not eligible due to a terminating pod on the nominated node.")
        }
        let nodes = snapshot.nodeList()
        var reasons: [String: Int] = [:]
        var candidates: [Candidate] = []
        let filters = framework.activeFilters(state)
        for node in nodes {
            // nodesWherePreemptionMightHelp: unresolvable rejections cannot be helped.
            if let s = statuses[node.id], s.code == .unschedulableAndUnresolvable {
                reasons[Self.notHelpful, default: 0] += 1
                continue
            }
            switch selectVictims(pod, node, state, filters) {
            case .success(let victims): candidates.append(Candidate(node: node, victims: victims))
            case .failure(let box): for r in box.reasons { reasons[r, default: 0] += 1 }
            }
        }
        guard let best = pick(candidates) else {
            let message = FitError.message(nodeCount: nodes.count, reasons: reasons)
            return PostFilterResult(message: "preemption: " + message)
        }
        return PostFilterResult(nominatedNode: best.node.name, victims: best.victims, message: "")
    }

    /// SelectVictimsOnNode on a copy of the node.
    private func selectVictims(_ pod: PodInfo, _ real: NodeInfo, _ state: CycleState,
                               _ filters: [any FilterPlugin]) -> Result<[PodInfo], StatusBox>
    {
        let node = real.clone()
        var potential: [PodInfo] = []
        for p in real.pods where p.priority < pod.priority {
            potential.append(p)
            node.remove(p)
        }
        if potential.isEmpty { return .failure(StatusBox(.unresolvable(name, Self.noVictims))) }
        if let s = Framework.runFilters(filters, state, pod, node) { return .failure(StatusBox(s)) }
        // MoreImportantPod: higher priority first, then the older.
        potential.sort {
            $0.priority != $1.priority ? $0.priority > $1.priority : $0.creationTimestamp < $1.creationTimestamp
        }
        var victims: [PodInfo] = []
        for p in potential {
            node.add(p)
            if Framework.runFilters(filters, state, pod, node) != nil {
                node.remove(p)
                victims.append(p)
            }
        }
        return .success(victims)
    }

    /// pickOneNodeForPreemption: the lowest highest-victim priority, then the lowest sum of
    /// priorities, then the fewest victims; then node order.
    private func pick(_ candidates: [Candidate]) -> Candidate? {
        func key(_ c: Candidate) -> (Int, Int, Int) {
            let highest = c.victims.map(\.priority).max() ?? Int.min
            let sum = c.victims.reduce(0) { $0 &+ ($1.priority &+ Int(Int32.max) &+ 1) }
            return (highest, sum, c.victims.count)
        }
        return candidates.min { key($0) < key($1) }
    }
}

/// A Status as an Error, for Result.
struct StatusBox: Error {
    var status: Status
    init(_ status: Status) { self.status = status }
    var reasons: [String] { status.reasons }
}
