/// The extension points of the scheduling framework (pkg/scheduler/framework/interface.go).
/// A plugin is a class implementing any of them; the Framework runs them in the profile's
/// order. Cycle state lives in `CycleState`, which is per scheduling attempt.
protocol SchedulerPlugin: AnyObject {
    var name: String { get }
}

/// Runs once per attempt before the filters: computes what filters share, or rejects the pod
/// outright, or answers `.skip` when the pod has nothing this plugin filters on.
protocol PreFilterPlugin: SchedulerPlugin {
    func preFilter(_ state: CycleState, _ pod: PodInfo, _ snapshot: Snapshot) -> Status
}

/// Can this pod run on this node? Nil for yes, else the rejection.
protocol FilterPlugin: SchedulerPlugin {
    func filter(_ state: CycleState, _ pod: PodInfo, _ node: NodeInfo) -> Status?
    /// `filter` over the nodes at the indices in `alive`, which keeps (in order) those that
    /// pass; the indices of the others go to `rejected`. Their statuses are not kept: an
    /// attempt that finds a node never reads them, and one that finds none asks each rejected
    /// node's filters again (`Framework.runFilters`), which answer the same. The framework
    /// runs Filter per node in parallel; one thread does better running each plugin over a
    /// run of nodes, in a loop specialised for it, than calling every plugin through the
    /// protocol for every node.
    func filterAll(_ state: CycleState, _ pod: PodInfo, _ nodes: [NodeInfo], _ alive: inout [Int],
                   _ rejected: inout [Int])
    /// True when no node can fail this filter for this pod (no node cordoned, none tainted,
    /// no node named…): the framework then skips the pass over the nodes, which changes no
    /// verdict. The per-node explanation still runs every filter.
    func passesEveryNode(_ state: CycleState, _ pod: PodInfo, _ snapshot: Snapshot) -> Bool
}

extension FilterPlugin {
    func passesEveryNode(_ state: CycleState, _ pod: PodInfo, _ snapshot: Snapshot) -> Bool { false }

    func filterAll(_ state: CycleState, _ pod: PodInfo, _ nodes: [NodeInfo], _ alive: inout [Int],
                   _ rejected: inout [Int])
    {
        var kept = 0
        for j in alive.indices {
            let i = alive[j]
            if filter(state, pod, nodes[i]) != nil {
                rejected.append(i)
            } else {
                alive[kept] = i
                kept += 1
            }
        }
        while alive.count > kept { alive.removeLast() }
    }
}

/// Runs when no node passed the filters (preemption).
protocol PostFilterPlugin: SchedulerPlugin {
    func postFilter(_ state: CycleState, _ pod: PodInfo, _ snapshot: Snapshot,
                    _ statuses: [Int: Status], _ framework: Framework) -> PostFilterResult
}

struct PostFilterResult {
    var nominatedNode: String?
    var victims: [PodInfo] = []
    /// The message appended to FailedScheduling (e.g. `preemption: …`), if any.
    var message: String
}

/// Runs once per attempt on the feasible nodes before scoring; `.skip` skips Score.
protocol PreScorePlugin: SchedulerPlugin {
    func preScore(_ state: CycleState, _ pod: PodInfo, _ snapshot: Snapshot, _ nodes: NodeSelection) -> Status
}

/// Ranks a feasible node; NormalizeScore then maps the raw scores to 0…100.
protocol ScorePlugin: SchedulerPlugin {
    func score(_ state: CycleState, _ pod: PodInfo, _ node: NodeInfo) -> Int64
    /// ScoreExtensions.NormalizeScore: nodes[i] scored scores[i].
    func normalize(_ state: CycleState, _ pod: PodInfo, _ nodes: NodeSelection, _ scores: inout [Int64])
    /// Score for every node at once (the framework runs Score per node in parallel; one
    /// thread does better in one pass). Defaults to `score` per node.
    func scoreAll(_ state: CycleState, _ pod: PodInfo, _ nodes: NodeSelection, _ scores: inout [Int64])
    /// True when every node gets the same normalised score from this plugin for this pod (no
    /// node has a taint to count, say). Choosing a node skips the plugin then: the same amount
    /// added to every total changes neither the highest nor the ties. The explanation, which
    /// shows each plugin's scores, still runs it.
    func scoresEveryNodeAlike(_ state: CycleState, _ pod: PodInfo, _ snapshot: Snapshot) -> Bool
}

extension ScorePlugin {
    func scoresEveryNodeAlike(_ state: CycleState, _ pod: PodInfo, _ snapshot: Snapshot) -> Bool { false }

    func normalize(_ state: CycleState, _ pod: PodInfo, _ nodes: NodeSelection, _ scores: inout [Int64]) {}

    func scoreAll(_ state: CycleState, _ pod: PodInfo, _ nodes: NodeSelection, _ scores: inout [Int64]) {
        for i in nodes.indices { scores[i] = score(state, pod, nodes[i]) }
    }
}

/// Reserve: claims the node's room in the scheduler's cache before binding (the assumed pod);
/// Unreserve gives it back if binding fails.
protocol ReservePlugin: SchedulerPlugin {
    func reserve(_ pod: PodInfo, _ node: String)
    func unreserve(_ pod: PodInfo, _ node: String)
}

/// Bind: writes the pod's placement to the API server.
protocol BindPlugin: SchedulerPlugin {
    func bind(_ pod: PodInfo, _ node: String, _ client: inout ClientRuntime, _ ctx: inout Context) -> UInt64
}

/// framework.MaxNodeScore.
let maxNodeScore: Int64 = 100
