/// kube-scheduler's PriorityQueue (backend/queue/scheduling_queue.go): pods waiting to be
/// scheduled sit in one of three places.
///
/// - activeQ: ready now, popped by priority (higher first), then by when they were queued.
/// - backoffQ: failed recently; each waits 1 s · 2^(attempts−1), at most 10 s, from its last
///   attempt, then moves to activeQ.
/// - unschedulablePods: failed, waiting for a cluster event that may help (a node added or
///   changed, a pod deleted …, filtered by which plugins rejected the pod). Pods left there
///   longer than podMaxInUnschedulablePodsDuration (5 min; 60 s in 1.18) are flushed back.
struct SchedulingQueue {
    enum Location: String {
        case activeQ, backoffQ, unschedulablePods
    }

    struct QueuedPod {
        var key: String
        var priority: Int
        /// When the pod entered its current sub-queue (upstream's Timestamp).
        var timestamp: VirtualTime
        var attempts = 0
        var unschedulablePlugins: Set<String> = []
        /// nil while being scheduled (popped).
        var location: Location?
        /// Bumped whenever the pod moves, so stale heap entries are skipped.
        var generation = 0
        var backoffExpiry: VirtualTime = VirtualTime(nanos: 0)
    }

    /// activeQ order: higher priority first, then earlier timestamp, then arrival.
    private struct ActiveEntry: HeapOrdered {
        var key: String
        var priority: Int
        var timestamp: VirtualTime
        var sequence: Int
        var generation: Int

        func precedes(_ b: ActiveEntry) -> Bool {
            if priority != b.priority { return priority > b.priority }
            if timestamp != b.timestamp { return timestamp < b.timestamp }
            return sequence < b.sequence
        }
    }

    /// backoffQ order: earlier expiry first, then arrival.
    private struct BackoffEntry: HeapOrdered {
        var key: String
        var expiry: VirtualTime
        var sequence: Int
        var generation: Int

        func precedes(_ b: BackoffEntry) -> Bool {
            expiry != b.expiry ? expiry < b.expiry : sequence < b.sequence
        }
    }

    let initialBackoff: Duration
    let maxBackoff: Duration
    let maxInUnschedulable: Duration
    private(set) var pods = StringTable<QueuedPod>()
    private var active = Heap<ActiveEntry>()
    private var backoff = Heap<BackoffEntry>()
    private var sequence = 0
    private(set) var unschedulableKeys = StringSet()
    var unschedulableCount: Int { unschedulableKeys.count }
    private(set) var activeCount = 0

    init(initialBackoff: Duration, maxBackoff: Duration, maxInUnschedulable: Duration) {
        self.initialBackoff = initialBackoff
        self.maxBackoff = maxBackoff
        self.maxInUnschedulable = maxInUnschedulable
    }

    func location(of key: String) -> Location? { pods[key]?.location ?? nil }
    func attempts(of key: String) -> Int { pods[key]?.attempts ?? 0 }
    var hasActive: Bool { activeCount > 0 }

    /// A new pending pod.
    mutating func add(_ key: String, priority: Int, now: VirtualTime) {
        guard pods[key] == nil else { return }
        pods[key] = QueuedPod(key: key, priority: priority, timestamp: now)
        pushActive(key, now: now)
    }

    /// The pod changed while queued: an unschedulable pod gets another try (isPodUpdated).
    mutating func update(_ key: String, priority: Int, now: VirtualTime) {
        guard var p = pods[key] else { return add(key, priority: priority, now: now) }
        let changed = p.priority != priority
        p.priority = priority
        pods[key] = p
        switch p.location {
        case .activeQ: if changed { pushActive(key, now: p.timestamp) }
        case .unschedulablePods: move(key, now: now)
        case .backoffQ, nil: break
        }
    }

    mutating func delete(_ key: String) {
        guard let p = pods.removeValue(forKey: key) else { return }
        if p.location == .unschedulablePods { unschedulableKeys.remove(key) }
        if p.location == .activeQ { activeCount -= 1 }
    }

    /// The next pod to schedule; its attempts count up, and it leaves the queue until it
    /// fails (`addUnschedulable`) or is bound.
    mutating func pop() -> QueuedPod? {
        while let e = active.pop() {
            guard var p = pods[e.key], p.location == .activeQ, p.generation == e.generation else { continue }
            p.attempts += 1
            pods[e.key] = nil
            activeCount -= 1
            return p
        }
        return nil
    }

    /// 1 s · 2^(attempts−1), at most 10 s (backoff_queue.go calculateBackoffDuration).
    func backoffDuration(attempts: Int) -> Duration {
        var d = initialBackoff
        for _ in 1..<max(1, attempts) {
            d = d * 2
            if d >= maxBackoff { return maxBackoff }
        }
        return min(d, maxBackoff)
    }

    /// The attempt failed: the pod waits for an event that may help.
    mutating func addUnschedulable(_ popped: QueuedPod, plugins: Set<String>, now: VirtualTime) {
        var p = popped
        p.timestamp = now
        p.unschedulablePlugins = plugins
        p.backoffExpiry = now + backoffDuration(attempts: p.attempts)
        p.location = .unschedulablePods
        p.generation += 1
        pods[p.key] = p
        unschedulableKeys.insert(p.key)
    }

    /// The attempt hit an error (e.g. the binding failed): straight to backoffQ.
    mutating func addBackoff(_ popped: QueuedPod, now: VirtualTime) {
        var p = popped
        p.timestamp = now
        p.location = nil
        p.backoffExpiry = now + backoffDuration(attempts: p.attempts)
        pods[p.key] = p
        pushBackoff(p.key)
    }

    /// MoveAllToActiveOrBackoffQueue for the pods whose rejecting plugins `event` may help.
    mutating func moveOnEvent(_ event: ClusterEvent, now: VirtualTime) -> Int {
        guard unschedulableCount > 0 else { return 0 }
        let keys = unschedulableKeys.filter {
            guard let p = pods[$0] else { return false }
            return p.unschedulablePlugins.isEmpty || p.unschedulablePlugins.contains(where: event.mayHelp)
        }.sorted()
        for key in keys { move(key, now: now) }
        return keys.count
    }

    /// flushUnschedulablePodsLeftover: pods unschedulable for longer than the limit.
    mutating func flushUnschedulableLeftover(now: VirtualTime) {
        guard unschedulableCount > 0 else { return }
        let keys = unschedulableKeys.filter {
            guard let p = pods[$0] else { return false }
            return now - p.timestamp > maxInUnschedulable
        }.sorted()
        for key in keys { move(key, now: now) }
    }

    /// flushBackoffQCompleted: pods whose backoff ended move to activeQ.
    mutating func flushBackoffCompleted(now: VirtualTime) {
        while let e = backoff.top, e.expiry <= now {
            _ = backoff.pop()
            guard let p = pods[e.key], p.location == .backoffQ, p.generation == e.generation else { continue }
            pushActive(e.key, now: now)
        }
    }

    /// When the earliest backoff ends (stale entries may make it early; a flush then
    /// finds nothing).
    var nextBackoffExpiry: VirtualTime? { backoff.top?.expiry }

    /// Out of unschedulablePods: to backoffQ while backing off, else activeQ.
    private mutating func move(_ key: String, now: VirtualTime) {
        guard let p = pods[key] else { return }
        if p.location == .unschedulablePods { unschedulableKeys.remove(key) }
        if now < p.backoffExpiry { pushBackoff(key) } else { pushActive(key, now: now) }
    }

    private mutating func pushActive(_ key: String, now: VirtualTime) {
        guard var p = pods[key] else { return }
        if p.location != .activeQ { activeCount += 1 }
        p.location = .activeQ
        p.generation += 1
        p.timestamp = now
        pods[key] = p
        sequence += 1
        active.push(ActiveEntry(key: key, priority: p.priority, timestamp: now, sequence: sequence, generation: p.generation))
    }

    private mutating func pushBackoff(_ key: String) {
        guard var p = pods[key] else { return }
        if p.location == .activeQ { activeCount -= 1 }
        p.location = .backoffQ
        p.generation += 1
        pods[key] = p
        sequence += 1
        backoff.push(BackoffEntry(key: key, expiry: p.backoffExpiry, sequence: sequence, generation: p.generation))
    }
}
