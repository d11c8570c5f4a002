/// A bounded window of in-flight MsgApp messages to one follower, by the last index each
/// carried (etcd `tracker.Inflights`). The leader stops sending when it is full, which bounds
/// the bandwidth-delay product in replicate state.
///
/// A fixed-capacity ring buffer: `add` and `freeLE` never allocate after the first use.
struct Inflights: Sendable {
    private var buffer: [UInt64] = []
    private var start = 0
    private(set) var count = 0
    let capacity: Int

    init(capacity: Int) { self.capacity = max(1, capacity) }

    var isFull: Bool { count >= capacity }

    /// Records a message whose last entry is `index`. Indexes are added in increasing order.
    mutating func add(_ index: UInt64) {
        guard !isFull else { return }
        if buffer.count < capacity { buffer = Array(repeating: 0, count: capacity) }
        var slot = start + count
        if slot >= capacity { slot -= capacity }
        buffer[slot] = index
        count += 1
    }

    /// Frees every message whose last index is ≤ `to` (acknowledged).
    mutating func freeLE(_ to: UInt64) {
        while count > 0, buffer[start] <= to {
            start += 1
            if start >= capacity { start = 0 }
            count -= 1
        }
        if count == 0 { start = 0 }
    }

    /// Frees the oldest message: a heartbeat response proves the follower is alive, so one slot
    /// opens even if the MsgApp itself was lost (etcd `FreeFirstOne`).
    mutating func freeFirstOne() {
        guard count > 0 else { return }
        start += 1
        if start >= capacity { start = 0 }
        count -= 1
        if count == 0 { start = 0 }
    }

    mutating func reset() {
        start = 0
        count = 0
    }
}
