/// Keys waiting to be synced, each at most once (client-go's workqueue): a key added while
/// queued is not added again. Delayed adds wait on the component's timers.
struct WorkQueue {
    private var order: [String] = []
    private var head = 0
    private var queued = StringSet()
    /// Timer tag → key, for `add(after:)`.
    private var delayed: [Int: String] = [:]
    private var nextDelayTag = WorkQueue.firstDelayTag
    /// Timer tags at or above this belong to delayed adds.
    static let firstDelayTag = 1_000_000
    /// Per-key failure counts for exponential backoff.
    private var failures = StringTable<Int>()
    /// Whether the drain timer is armed: keys added at one instant are synced together, once.
    private var drainArmed = false
    /// The component timer tag that drains the queue.
    static let drainTimer = 1

    /// Adds `key` and arms the drain timer if it is not armed yet.
    mutating func enqueue(_ key: String, _ ctx: inout Context) {
        add(key)
        if !drainArmed {
            drainArmed = true
            ctx.after(.zero, timer: Self.drainTimer)
        }
    }

    /// Handles one of the queue's timers. Returns true when the owner should now pop and sync
    /// every queued key; a delayed add re-enqueues its key instead.
    mutating func timerFired(_ tag: Int, _ ctx: inout Context) -> Bool {
        if tag == Self.drainTimer {
            drainArmed = false
            return true
        }
        if let key = takeDelayed(tag) { enqueue(key, &ctx) }
        return false
    }

    var isEmpty: Bool { head >= order.count }

    /// Adds `key`; returns true when the queue went from empty to non-empty.
    @discardableResult
    mutating func add(_ key: String) -> Bool {
        guard queued.insert(key).inserted else { return false }
        let wasEmpty = isEmpty
        order.append(key)
        return wasEmpty
    }

    mutating func pop() -> String? {
        guard head < order.count else {
            order.removeAll(keepingCapacity: true)
            head = 0
            return nil
        }
        let key = order[head]
        head += 1
        queued.remove(key)
        if head > 1024, head * 2 > order.count {
            order.removeFirst(head)
            head = 0
        }
        return key
    }

    /// Arms a timer that adds `key` after `delay`.
    mutating func add(_ key: String, after delay: Duration, _ ctx: inout Context) {
        let tag = nextDelayTag
        nextDelayTag += 1
        delayed[tag] = key
        ctx.after(delay, timer: tag)
    }

    /// Resolves a delayed-add timer; returns the key to add, if the tag was one.
    mutating func takeDelayed(_ tag: Int) -> String? {
        delayed.removeValue(forKey: tag)
    }

    /// Requeues after an error with exponential backoff (5 ms doubling to 1000 s, client-go's
    /// default controller rate limiter).
    mutating func addRateLimited(_ key: String, _ ctx: inout Context) {
        let n = failures[key, default: 0]
        failures[key] = n + 1
        let ms = min(Int64(5) << min(n, 20), 1_000_000)
        add(key, after: .millis(ms), &ctx)
    }

    mutating func forget(_ key: String) { failures.removeValue(forKey: key) }
}
