/// The simulation's agenda: a min-heap ordered by `(time, sequence)`, so messages due at the
/// same instant are delivered in the order they were sent.
///
/// The heap holds only small keys; messages wait in a slot table, so sifting never copies
/// (or retains) a message. It is 4-ary: a large cluster keeps hundreds of thousands of
/// messages waiting, and half the levels of a binary heap means half the cache misses per
/// pop. (Keys are unique, so the order of delivery does not depend on the heap's shape; a
/// reserved sequence number is used once.)
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
    /// Each waiting message as `pop` hands it out, so that it moves out whole.
    private var slots: [Entry?] = []
    private var freeSlots: [Int] = []
    private var nextSequence: UInt64 = 0

    var isEmpty: Bool { heap.isEmpty }
    var count: Int { heap.count }
    var nextTime: VirtualTime? { heap.first.map { VirtualTime(nanos: $0.time) } }

    /// The next sequence number; a component's messages take theirs from here (`Context`).
    var upcomingSequence: UInt64 {
        get { nextSequence }
        set { nextSequence = max(nextSequence, newValue) }
    }

    /// Consuming: the message moves into its slot rather than being copied (and retained).
    /// Without `sequence`, it takes the next one; with, it must be one taken from
    /// `upcomingSequence` and not used before (a reserved one, see `Context`).
    mutating func push(time: VirtualTime, target: ComponentID, message: consuming Message, sequence: UInt64? = nil) {
        let slot: Int
        let seq: UInt64
        if let sequence {
            seq = sequence
        } else {
            seq = nextSequence
            nextSequence &+= 1
        }
        let entry = Entry(time: time, sequence: seq, target: target, message: consume message)
        if let free = freeSlots.popLast() {
            slot = free
            slots[slot] = consume entry
        } else {
            slot = slots.count
            slots.append(consume entry)
        }
        heap.append(Key(time: time.nanos, sequence: seq, slot: slot))
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
        let entry = slots[top.slot].take()
        freeSlots.append(top.slot)
        if slots.count >= Self.minimumCompactedSlots, heap.count < slots.count / 4 { compact() }
        return entry
    }

    /// Below this many slots the table is not worth compacting.
    static let minimumCompactedSlots = 4096

    /// Gives back the room of a burst that has drained: a creation burst can leave millions of
    /// messages waiting at once, and the tables would otherwise keep that size for the run.
    /// Delivery order is the heap's (time, sequence), which moving slots does not touch.
    private mutating func compact() {
        var compacted: [Entry?] = []
        compacted.reserveCapacity(heap.count * 2)
        for i in heap.indices {
            compacted.append(slots[heap[i].slot].take())
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
