/// Pod keys by `spec.nodeName`, as kube-apiserver's watch cache indexes pods by node: a
/// kubelet's list-then-watch of its own pods (`fieldSelector=spec.nodeName=<node>`) reads
/// only them, not every pod of the cluster. Kept current from every change the API server
/// publishes.
struct PodNodeIndex {
    private var keysByNode = StringTable<StringSet>()

    /// Follows a change of a pod (a key under `/registry/pods/`).
    mutating func apply(podChange event: StoreEvent) {
        let before: String
        switch event.previous {  // read in place (`previous?.value` copied the whole state)
        case .some(let previous):
            // A status write leaves the spec (one buffer) and so the node as they were.
            if event.kind == .put, previous.value.sharesSpec(with: event.kv.value) { return }
            before = previous.value.nodeName
        case .none:
            before = ""
        }
        let after = event.kind == .put ? event.kv.value.nodeName : ""
        guard before != after else { return }
        if !before.isEmpty {
            keysByNode[before]?.remove(event.kv.key)
            if keysByNode[before]?.isEmpty == true { keysByNode[before] = nil }
        }
        if !after.isEmpty { keysByNode[after, default: []].insert(event.kv.key) }
    }

    /// The keys of the pods on `node`, in key order.
    func keys(on node: String) -> [String] {
        (keysByNode[node] ?? []).sorted(by: KeyOrder.precedes)
    }
}
