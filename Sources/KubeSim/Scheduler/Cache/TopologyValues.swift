/// One topology key's values as small integers: each node's value id, by node id. Plugins
/// that count pods per domain (InterPodAffinity, PodTopologySpread) keep their counts in
/// arrays indexed by value id and read a node's domain with two array loads, where a map
/// from label strings would hash the key and the value for every node filtered or scored.
///
/// Ids are stable for the life of the cache (a value keeps its id after its last node goes),
/// so counts built for one attempt stay valid for every node of it.
final class TopologyValues {
    let key: String
    /// Node id → value id; −1 for a node without the label (or a removed node).
    @exclusivity(unchecked) private(set) var valueByNode: [Int32] = []
    /// Label value → its id.
    private var ids: [String: Int32] = [:]

    init(key: String) { self.key = key }

    /// Distinct values seen; count arrays are this long.
    var count: Int { ids.count }

    /// The node's value id, −1 without the label.
    @inline(__always)
    func valueID(ofNode id: Int) -> Int {
        id >= 0 && id < valueByNode.count ? Int(valueByNode[id]) : -1
    }

    /// Records (or re-records, after a label change) the node's value.
    func setNode(_ node: NodeInfo) {
        let id = node.id
        if id >= valueByNode.count {
            valueByNode.append(contentsOf: repeatElement(-1, count: id + 1 - valueByNode.count))
        }
        guard let value = node.labels[key] else {
            valueByNode[id] = -1
            return
        }
        if let existing = ids[value] {
            valueByNode[id] = existing
            return
        }
        let new = Int32(ids.count)
        ids[value] = new
        valueByNode[id] = new
    }

    func removeNode(_ id: Int) {
        if id >= 0, id < valueByNode.count { valueByNode[id] = -1 }
    }
}
