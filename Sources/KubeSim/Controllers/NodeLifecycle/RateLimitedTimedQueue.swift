/// client-go's token bucket with burst 1 (flowcontrol.NewTokenBucketRateLimiter(qps, 1)), on
/// virtual time: a token every 1/qps; qps 0 is the "never" limiter.
struct TokenBucket {
    let qps: Double
    /// Nanoseconds between tokens; 0 for the never limiter.
    private let period: Int64
    /// When the bucket holds its token again (it starts full).
    private var availableAt = VirtualTime(nanos: Int64.min)

    init(qps: Double) {
        self.qps = qps
        let nanos = qps > 0 && qps.isFinite ? (1e9 / qps).rounded() : 0
        // A rate so low that its period overflows the clock (1e-10 a second) gives its one
        // token and then none for a century: as good as never, and no overflow.
        period = nanos.isFinite ? Int64(min(nanos, Self.longestPeriod)) : Int64(Self.longestPeriod)
    }

    private static let longestPeriod = 100 * 365.25 * 86_400 * 1e9

    mutating func tryAccept(_ now: VirtualTime) -> Bool {
        guard period > 0, now >= availableAt else { return false }
        availableAt = now + Duration(nanos: period)
        return true
    }
}

/// pkg/controller/nodelifecycle/scheduler/rate_limited_queue.go: the zone's queue of nodes to
/// taint NoExecute, drained through a token bucket. A value stays in the set after it was
/// processed (RemoveFromQueue), so it is not queued twice until `remove` (node healthy again).
struct RateLimitedTimedQueue {
    private struct Item { var value: String; var processAt: VirtualTime; var seq: Int }
    private var items: [Item] = []
    private var set: Set<String> = []
    private var seq = 0
    private(set) var limiter: TokenBucket

    init(qps: Double) { limiter = TokenBucket(qps: qps) }

    var isEmpty: Bool { items.isEmpty }

    /// Adds `value` unless it is queued or was processed and not removed since.
    @discardableResult
    mutating func add(_ value: String, now: VirtualTime) -> Bool {
        guard set.insert(value).inserted else { return false }
        seq += 1
        items.append(Item(value: value, processAt: now, seq: seq))
        return true
    }

    /// Forgets `value` entirely.
    mutating func remove(_ value: String) {
        guard set.remove(value) != nil else { return }
        items.removeAll { $0.value == value }
    }

    /// `Try`: while a token is granted and the head is due, runs `body` on it; `body` returns
    /// whether it is done, or the delay before a retry. (A token is spent even when the head
    /// is not due yet, as upstream.)
    mutating func tryProcess(now: VirtualTime, _ body: (String) -> (done: Bool, retry: Duration)) {
        while let i = headIndex() {
            guard limiter.tryAccept(now) else { break }
            guard items[i].processAt <= now else { break }
            let (done, retry) = body(items[i].value)
            if done {
                items.remove(at: i)
            } else {
                seq += 1
                items[i].processAt = now + retry + Duration(nanos: 1)
                items[i].seq = seq
            }
        }
    }

    /// The earliest item (processAt, then insertion order). Queues hold a zone's failed
    /// nodes: a scan is cheap.
    private func headIndex() -> Int? {
        var best: Int?
        for i in items.indices {
            if let b = best, (items[b].processAt, items[b].seq) <= (items[i].processAt, items[i].seq) { continue }
            best = i
        }
        return best
    }

    /// `SwapLimiter`: a new bucket for `qps`; when the old one has no token now, the new one
    /// starts drained too (burst 1).
    mutating func swapLimiter(_ qps: Double, now: VirtualTime) {
        guard limiter.qps != qps else { return }
        var next = TokenBucket(qps: qps)
        if qps > 0, !limiter.tryAccept(now) { _ = next.tryAccept(now) }
        limiter = next
    }
}
