/// The nodes one scheduling attempt scores: the feasible ones, named by their positions in
/// the list the filters ran over rather than held in a list of their own. An attempt at
/// 5,000 nodes scores hundreds; an array of node references would retain each one on the
/// way in and release it on the way out, which cost more than the scoring it fed.
///
/// `selection[i]` is the i-th feasible node; scores are indexed the same way.
struct NodeSelection: RandomAccessCollection {
    /// The list the positions point into; it keeps every node alive while the selection is.
    let candidates: [NodeInfo]
    /// Positions in `candidates`, in the order the filters found the nodes feasible.
    let positions: [Int]

    init(_ candidates: [NodeInfo], positions: [Int]) {
        self.candidates = candidates
        self.positions = positions
    }

    /// Every node of `nodes`, in order.
    init(all nodes: [NodeInfo]) {
        self.init(nodes, positions: Array(nodes.indices))
    }

    var startIndex: Int { 0 }
    var endIndex: Int { positions.count }

    subscript(i: Int) -> NodeInfo { candidates[positions[i]] }
}
