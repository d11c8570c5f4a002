/// The node lifecycle controller's taints and its zone-aware rate limiting
/// (node_lifecycle_controller.go: processTaintBaseEviction, doNoExecuteTaintingPass,
/// doNoScheduleTaintingPass, handleDisruption, ComputeZoneState, ReducedQPSFunc).
extension NodeLifecycleController {
    static let notReadyKey = "node.kubernetes.io/not-ready"
    static let unreachableKey = "node.kubernetes.io/unreachable"
    static let unschedulableKey = "node.kubernetes.io/unschedulable"

    /// Condition → NoSchedule taint (nodeConditionToTaintKeyStatusMap).
    private static let noScheduleTaints: [(condition: String, status: String, key: String)] = [
        ("Ready", "False", notReadyKey), ("Ready", "Unknown", unreachableKey),
        ("MemoryPressure", "True", "node.kubernetes.io/memory-pressure"),
        ("DiskPressure", "True", "node.kubernetes.io/disk-pressure"),
        ("NetworkUnavailable", "True", "node.kubernetes.io/network-unavailable"),
        ("PIDPressure", "True", "node.kubernetes.io/pid-pressure"),
    ]

    static func hasTaint(_ node: JSON, _ key: String, _ effect: String) -> Bool {
        (node["spec", "taints"].array ?? []).contains { $0["key"].string == key && $0["effect"].string == effect }
    }

    func addZone(_ zone: String, _ ctx: inout Context) {
        guard zoneStates[zone] == nil else { return }
        zoneStates[zone] = .initial
        zoneTainters[zone] = RateLimitedTimedQueue(qps: timing.nodeEvictionRate)
    }

    /// processTaintBaseEviction, on the Ready status seen at the start of the pass.
    func processTaintBaseEviction(_ h: NodeHealth, observed: String, _ ctx: inout Context) {
        switch observed {
        case "False":
            if h.unreachableNoExecute {
                swapTaints(h.name, add: Self.notReadyKey, remove: Self.unreachableKey, effect: "NoExecute", &ctx)
            } else {
                markNodeForTainting(h, status: "False", &ctx)
            }
        case "Unknown":
            if h.notReadyNoExecute {
                swapTaints(h.name, add: Self.unreachableKey, remove: Self.notReadyKey, effect: "NoExecute", &ctx)
            } else {
                markNodeForTainting(h, status: "Unknown", &ctx)
            }
        default:
            markNodeAsReachable(h, &ctx)
        }
    }

    private func markNodeForTainting(_ h: NodeHealth, status: String, _ ctx: inout Context) {
        if status == "False", !h.notReadyNoExecute { forget(h) }
        if status == "Unknown", !h.unreachableNoExecute { forget(h) }
        guard !h.queued else { return }
        h.queued = true
        if zoneTainters[h.zone]?.add(h.name, now: ctx.now) == true { armEvictionPass(&ctx) }
    }

    private func forget(_ h: NodeHealth) {
        guard h.queued else { return }
        h.queued = false
        zoneTainters[h.zone]?.remove(h.name)
    }

    /// Removes both NoExecute taints and forgets the node in its zone's queue.
    func markNodeAsReachable(_ h: NodeHealth, _ ctx: inout Context) {
        if h.unreachableNoExecute || h.notReadyNoExecute {
            swapTaints(h.name, add: nil, remove: nil, effect: "NoExecute", removeKeys: [Self.unreachableKey, Self.notReadyKey], &ctx)
        }
        forget(h)
    }

    private func armEvictionPass(_ ctx: inout Context) {
        guard !evictionPassArmed else { return }
        evictionPassArmed = true
        ctx.after(Self.nodeEvictionPeriod, timer: TimerTag.evictionPass.rawValue)
    }

    /// doNoExecuteTaintingPass: each zone's queue, through its rate limiter. Zones in order.
    func doNoExecuteTaintingPass(_ ctx: inout Context) {
        var pending = false
        for zone in zoneTainters.keys.sorted() {
            guard var queue = zoneTainters[zone] else { continue }
            queue.tryProcess(now: ctx.now) { name in
                guard let node = health[name]?.node, let ready = Self.condition(node, "Ready")?["status"].string else {
                    return (true, .zero)
                }
                switch ready {
                case "False": swapTaints(name, add: Self.notReadyKey, remove: Self.unreachableKey, effect: "NoExecute", &ctx)
                case "Unknown": swapTaints(name, add: Self.unreachableKey, remove: Self.notReadyKey, effect: "NoExecute", &ctx)
                default: break  // Ready again: nothing to taint.
                }
                return (true, .zero)
            }
            zoneTainters[zone] = queue
            if !queue.isEmpty { pending = true }
        }
        if pending { armEvictionPass(&ctx) }
    }

    /// doNoScheduleTaintingPass: the NoSchedule taints that mirror the node's conditions, and
    /// `unschedulable` while cordoned.
    func doNoScheduleTaintingPass(_ name: String, _ ctx: inout Context) {
        guard let node = health[name]?.node else { return }
        var want: [String] = []
        for rule in Self.noScheduleTaints where Self.condition(node, rule.condition)?["status"].string == rule.status {
            want.append(rule.key)
        }
        if node["spec", "unschedulable"].bool == true { want.append(Self.unschedulableKey) }
        let managed = Set(Self.noScheduleTaints.map(\.key) + [Self.unschedulableKey])
        let taints = node["spec", "taints"].array ?? []
        let have = taints.filter { $0["effect"].string == "NoSchedule" }.compactMap { $0["key"].string }
        let toAdd = want.filter { !have.contains($0) }
        let toRemove = have.filter { managed.contains($0) && !want.contains($0) }
        guard !toAdd.isEmpty || !toRemove.isEmpty else { return }
        var updated = taints.filter { t in !(t["effect"].string == "NoSchedule" && toRemove.contains(t["key"].string ?? "")) }
        for key in toAdd {
            updated.append(["key": .string(key), "effect": "NoSchedule", "timeAdded": .string(ctx.now.rfc3339)])
        }
        writeTaints(name, updated, &ctx)
    }

    /// SwapNodeControllerTaint: adds `add` and removes `remove` (and `removeKeys`) with
    /// `effect`; added taints carry timeAdded.
    func swapTaints(_ name: String, add: String?, remove: String?, effect: String, removeKeys: [String] = [],
                    _ ctx: inout Context)
    {
        guard let node = health[name]?.node else { return }
        let drop = Set(removeKeys + (remove.map { [$0] } ?? []))
        var taints = (node["spec", "taints"].array ?? []).filter { t in
            !(t["effect"].string == effect && drop.contains(t["key"].string ?? ""))
        }
        if let add, !taints.contains(where: { $0["key"].string == add && $0["effect"].string == effect }) {
            taints.append(["key": .string(add), "effect": .string(effect), "timeAdded": .string(ctx.now.rfc3339)])
        }
        guard taints != (node["spec", "taints"].array ?? []) else { return }
        writeTaints(name, taints, &ctx)
    }

    /// Writes the node's taints and keeps the change in the cache at once, so that the next
    /// decision at this instant builds on it.
    private func writeTaints(_ name: String, _ taints: [JSON], _ ctx: inout Context) {
        guard let h = health[name] else { return }
        var request = APIRequest(.patch, "nodes", name: name)
        // An explicit null removes the field (a dictionary literal would drop it).
        request.body = JSON.object(["spec": .object(["taints": taints.isEmpty ? .null : .array(taints)])])
        nodeWrites[client.send(request, &ctx)] = name
        h.node["spec", "taints"] = taints.isEmpty ? .null : .array(taints)
    }

    // MARK: Zones

    /// ComputeZoneState.
    func zoneState(ready: Int, notReady: Int) -> ZoneState {
        if ready == 0, notReady > 0 { return .fullDisruption }
        if notReady > 2, Double(notReady) / Double(notReady + ready) >= timing.unhealthyZoneThreshold { return .partialDisruption }
        return .normal
    }

    /// handleDisruption: the zones' new states set their queues' rates; when every zone is
    /// fully disrupted (the control plane is likely the one cut off) all NoExecute taints go and
    /// tainting stops.
    func handleDisruption(_ zones: [String: (ready: Int, notReady: Int)], zoneOrder: [String], _ ctx: inout Context) {
        var newStates: [String: ZoneState] = [:]
        var allAreFullyDisrupted = true
        for zone in zoneOrder {
            guard let c = zones[zone] else { continue }
            let state = zoneState(ready: c.ready, notReady: c.notReady)
            if state != .fullDisruption { allAreFullyDisrupted = false }
            newStates[zone] = state
            if zoneStates[zone] == nil { addZone(zone, &ctx) }
        }
        var allWasFullyDisrupted = true
        for zone in zoneStates.keys.sorted() {
            guard zones[zone] != nil else {
                zoneStates.removeValue(forKey: zone)
                continue
            }
            if zoneStates[zone] != .fullDisruption {
                allWasFullyDisrupted = false
                break
            }
        }
        guard !allAreFullyDisrupted || !allWasFullyDisrupted else { return }
        if allAreFullyDisrupted {
            for h in ordered { markNodeAsReachable(h, &ctx) }
            for zone in zoneStates.keys.sorted() {
                zoneTainters[zone]?.swapLimiter(0, now: ctx.now)
                zoneStates[zone] = .fullDisruption
            }
            return
        }
        if allWasFullyDisrupted {
            // Leaving the cluster-wide disruption: every node gets a fresh probe.
            for h in ordered {
                h.probe = ctx.now
                h.readyTransition = ctx.now
            }
            for zone in zoneStates.keys.sorted() {
                let state = newStates[zone] ?? .normal
                setLimiterInZone(zone, size: (zones[zone].map { $0.ready + $0.notReady }) ?? 0, state, &ctx)
                zoneStates[zone] = state
            }
            return
        }
        for zone in zoneStates.keys.sorted() {
            guard let state = newStates[zone], zoneStates[zone] != state else { continue }
            setLimiterInZone(zone, size: (zones[zone].map { $0.ready + $0.notReady }) ?? 0, state, &ctx)
            zoneStates[zone] = state
        }
    }

    /// setLimiterInZone: Normal and FullDisruption (HealthyQPSFunc) evict at
    /// --node-eviction-rate; PartialDisruption (ReducedQPSFunc) at the secondary rate when the
    /// zone has more than --large-cluster-size-threshold nodes, else not at all.
    private func setLimiterInZone(_ zone: String, size: Int, _ state: ZoneState, _ ctx: inout Context) {
        let qps: Double
        switch state {
        case .normal, .fullDisruption, .initial: qps = timing.nodeEvictionRate
        case .partialDisruption: qps = size > timing.largeClusterSizeThreshold ? timing.secondaryNodeEvictionRate : 0
        }
        zoneTainters[zone]?.swapLimiter(qps, now: ctx.now)
    }
}
