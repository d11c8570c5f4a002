/// The simulation's agenda: a min-heap ordered by `(time, sequence)`, so messages due at the
/// same instant are delivered in the order they were sent.
///
/// The heap holds only small keys; messages wait in a slot table, so sifting never copies
/// (or retains) a message. It is 4-ary: a large cluster keeps hundreds of thousands of
/// messages waiting, and half the levels of a binary heap means half the cache misses per
/// pop. (Keys are unique, so the order of delivery does not depend on the heap's shape.)
struct EventQueue {
    struct Entry {
        var time: VirtualTime
        var sequence: UInt64
        var target: ComponentID
        var message: Message
    }

    private struct Key {
        var time: Int64
        var sequence: UInt64
        var slot: Int
    }

    private var heap: [Key] = []
    private var slots: [(target: ComponentID, message: Message)?] = []
    private var freeSlots: [Int] = []
    private var nextSequence: UInt64 = 0

    var isEmpty: Bool { heap.isEmpty }
    var count: Int { heap.count }
    var nextTime: VirtualTime? { heap.first.map { VirtualTime(nanos: $0.time) } }

    /// Consuming: the message moves into its slot rather than being copied (and retained).
    mutating func push(time: VirtualTime, target: ComponentID, message: consuming Message) {
        let slot: Int
        if let free = freeSlots.popLast() {
            slot = free
            slots[slot] = (target, message)
        } else {
            slot = slots.count
            slots.append((target, message))
        }
        heap.append(Key(time: time.nanos, sequence: nextSequence, slot: slot))
        nextSequence &+= 1
        siftUp(heap.count - 1)
    }

    mutating func pop() -> Entry? {
        guard let last = heap.popLast() else { return nil }
        let top: Key
        if heap.isEmpty {
            top = last
        } else {
            top = heap[0]
            heap[0] = last
            siftDown(0)
        }
        // Moved out of the slot: copying it and then clearing the slot would retain and
        // release every message once more.
        guard let stored = slots[top.slot].take() else { return nil }
        freeSlots.append(top.slot)
        if slots.count >= Self.minimumCompactedSlots, heap.count < slots.count / 4 { compact() }
        return Entry(time: VirtualTime(nanos: top.time), sequence: top.sequence, target: stored.target,
                     message: stored.message)
    }

    /// Below this many slots the table is not worth compacting.
    static let minimumCompactedSlots = 4096

    /// Gives back the room of a burst that has drained: a creation burst can leave millions of
    /// messages waiting at once, and the tables would otherwise keep that size for the run.
    /// Delivery order is the heap's (time, sequence), which moving slots does not touch.
    private mutating func compact() {
        var compacted: [(target: ComponentID, message: Message)?] = []
        compacted.reserveCapacity(heap.count * 2)
        for i in heap.indices {
            compacted.append(slots[heap[i].slot])
            heap[i].slot = compacted.count - 1
        }
        slots = compacted
        freeSlots = []
        var keys: [Key] = []
        keys.reserveCapacity(heap.count * 2)
        keys.append(contentsOf: heap)
        heap = keys
    }

    @inline(__always)
    private func less(_ a: Key, _ b: Key) -> Bool {
        a.time < b.time || (a.time == b.time && a.sequence < b.sequence)
    }

    private mutating func siftUp(_ start: Int) {
        var i = start
        let item = heap[i]
        while i > 0 {
            let parent = (i - 1) / 4
            guard less(item, heap[parent]) else { break }
            heap[i] = heap[parent]
            i = parent
        }
        heap[i] = item
    }

    private mutating func siftDown(_ start: Int) {
        var i = start
        let n = heap.count
        let item = heap[i]
        while true {
            let first = 4 * i + 1
            if first >= n { break }
            var child = first
            var c = first + 1
            let end = min(first + 4, n)
            while c < end {
                if less(heap[c], heap[child]) { child = c }
                c += 1
            }
            guard less(heap[child], item) else { break }
            heap[i] = heap[child]
            i = child
        }
        heap[i] = item
    }
}
