/// What the DaemonSet controller keeps per set between syncs, so that a sync looks only at the
/// nodes that changed (a pod, a node, or everything when the template changes) instead of
/// every node and pod: each node's placement decision and its contribution to the status
/// counts, with their running totals. Upstream recounts everything per sync; the counts and
/// decisions are the same, kept incrementally.
struct DaemonSetState {
    /// One node's share of the status (`updateDaemonSetStatus`), each 0 or 1.
    struct Share: Equatable {
        var desired = 0, current = 0, misscheduled = 0, ready = 0, available = 0, updated = 0
        /// A live pod of an older template is here (the rolling update has work).
        var old = 0

        static func + (a: Share, b: Share) -> Share {
            Share(desired: a.desired + b.desired, current: a.current + b.current,
                  misscheduled: a.misscheduled + b.misscheduled, ready: a.ready + b.ready,
                  available: a.available + b.available, updated: a.updated + b.updated, old: a.old + b.old)
        }
        static func - (a: Share, b: Share) -> Share {
            Share(desired: a.desired - b.desired, current: a.current - b.current,
                  misscheduled: a.misscheduled - b.misscheduled, ready: a.ready - b.ready,
                  available: a.available - b.available, updated: a.updated - b.updated, old: a.old - b.old)
        }
    }

    struct NodeEntry {
        var run = false
        var keep = false
        var share = Share()
    }

    var placement: DaemonSetUtil.Placement
    var hash: String
    var generation: String?
    var minReadySeconds: Int
    var entries = StringTable<NodeEntry>()
    var totals = Share()
    /// Nodes whose decision and share must be recomputed.
    var dirty = StringSet()
    /// Nodes the manage pass has still to look at (kept while expectations hold it back).
    var unmanaged = StringSet()
    var everythingDirty = true
    /// With minReadySeconds: when the next Ready pod becomes available.
    var nextCheck: Duration?

    init(_ ds: JSON, hash: String) {
        placement = DaemonSetUtil.Placement(ds)
        self.hash = hash
        generation = DaemonSetUtil.templateGeneration(ds)
        minReadySeconds = ds["spec", "minReadySeconds"].int ?? 0
    }

    mutating func touch(_ node: String) {
        dirty.insert(node)
        unmanaged.insert(node)
    }
}
