/// The simulation's agenda, ordered by `(time, sequence)`, so messages due at the same
/// instant are delivered in the order they were sent.
///
/// Most of what waits was sent over a link, `latency` after the instant it was sent; and
/// virtual time never goes back. So the messages sent with one delay fall due in the order
/// they were sent: each such run is a FIFO lane, already in `(time, sequence)` order, that
/// takes a push and gives a pop in constant time. A pop takes the earliest of the lanes' heads
/// and the heap's top; the heap holds what fits no lane (timers of many different delays, a
/// push that would come before its lane's newest). Keys are unique (a sequence number
/// reserved by a component is used once), so which structure holds an entry never changes
/// the order of delivery.
///
/// The heap holds only small keys; its messages wait in a slot table, so sifting never copies
/// (or retains) a message. It is 4-ary: a large cluster keeps hundreds of thousands of
/// messages waiting, and half the levels of a binary heap means half the cache misses per pop.
struct EventQueue {
    struct Entry {
        var time: VirtualTime
        var sequence: UInt64
        var target: ComponentID
        var message: Message
    }

    /// The entries pushed with one delay, oldest first, in chunks of `chunkSize`: a lane
    /// holds what waits in it and one chunk being filled, never a doubled buffer (a creation
    /// burst leaves a million messages waiting at once), and a drained chunk is freed at once.
    private struct Lane {
        var delay: Int64
        /// Full chunks but the last; cells before `head` in the first live chunk are `vacant`.
        private var chunks: [[Entry]] = []
        /// The chunk holding the oldest entry, and its position there.
        private var first = 0
        private var head = 0
        private(set) var count = 0
        /// The head's (time, sequence), kept beside the chunks so that choosing a lane to pop
        /// reads no entry; (max, max) when empty.
        private(set) var headTime = Int64.max
        private(set) var headSequence = UInt64.max
        /// The newest entry's (time, sequence): a push ordered before it cannot join (it would
        /// overtake it).
        private(set) var lastTime = Int64.min
        private(set) var lastSequence = UInt64.min

        static let chunkSize = 256
        /// What a cell holds once its entry is taken. Made where needed, not kept: a message
        /// may hold a request box, which is not `Sendable`.
        private static var vacant: Entry { Entry(time: VirtualTime(nanos: 0), sequence: 0, target: 0, message: .start) }

        init(delay: Int64) { self.delay = delay }

        var isEmpty: Bool { count == 0 }

        mutating func append(_ entry: consuming Entry) {
            if chunks.isEmpty || chunks[chunks.count - 1].count == Self.chunkSize {
                var chunk: [Entry] = []
                chunk.reserveCapacity(Self.chunkSize)
                chunks.append(chunk)
            }
            if count == 0 {
                headTime = entry.time.nanos
                headSequence = entry.sequence
            }
            lastTime = entry.time.nanos
            lastSequence = entry.sequence
            chunks[chunks.count - 1].append(entry)
            count += 1
        }

        mutating func removeFirst() -> Entry {
            // Moved out (`vacant` left in its place), not copied and released later.
            var entry = Self.vacant
            swap(&entry, &chunks[first][head])
            head += 1
            count -= 1
            if count == 0 {
                // Keep one chunk's room for the next message; free the rest.
                chunks.swapAt(0, first)
                chunks.removeSubrange(1...)
                chunks[0].removeAll(keepingCapacity: true)
                first = 0
                head = 0
                headTime = .max
                headSequence = .max
                lastTime = .min
                lastSequence = .min
                return entry
            }
            if head == Self.chunkSize {
                chunks[first] = []
                first += 1
                head = 0
                if first >= 64, first * 2 >= chunks.count {
                    chunks.removeFirst(first)
                    first = 0
                }
            }
            headTime = chunks[first][head].time.nanos
            headSequence = chunks[first][head].sequence
            return entry
        }
    }

    private struct Key {
        var time: Int64
        var sequence: UInt64
        var slot: Int
    }

    /// At most this many lanes: a pop compares their heads. An empty lane is given to a new
    /// delay when all are taken.
    static let maximumLanes = 8

    private var lanes: [Lane] = []
    private var heap: [Key] = []
    /// Each waiting message as `pop` hands it out, so that it moves out whole.
    private var slots: [Entry?] = []
    private var freeSlots: [Int] = []
    private var nextSequence: UInt64 = 0
    private(set) var count = 0

    var isEmpty: Bool { count == 0 }

    /// The next sequence number; a component's messages take theirs from here (`Context`).
    var upcomingSequence: UInt64 {
        get { nextSequence }
        set { nextSequence = max(nextSequence, newValue) }
    }

    var nextTime: VirtualTime? { earliest().map { VirtualTime(nanos: $0.time) } }

    /// Where the earliest entry waits (a lane's index, or −1 for the heap's top) and when it
    /// is due; nil when nothing waits. An empty lane's head is (max, max).
    private func earliest() -> (lane: Int, time: Int64)? {
        guard !isEmpty else { return nil }
        var lane = -1
        var time = heap.first?.time ?? .max, sequence = heap.first?.sequence ?? .max
        for i in lanes.indices where Self.precedes(lanes[i].headTime, lanes[i].headSequence, (time, sequence)) {
            lane = i
            time = lanes[i].headTime
            sequence = lanes[i].headSequence
        }
        return (lane, time)
    }

    /// Queues `message` for `time`, which the caller computed as `delay` after the current
    /// instant: it joins that delay's lane unless it would come before the lane's newest
    /// entry. Consuming: the message moves in rather than being copied (and retained).
    /// Without `sequence`, it takes the next one; with, it must be one taken from
    /// `upcomingSequence` and not used before (a reserved one, see `Context`).
    mutating func push(time: VirtualTime, after delay: Duration, target: ComponentID, message: consuming Message,
                       sequence: UInt64? = nil)
    {
        let seq: UInt64
        if let sequence {
            assert(sequence < nextSequence, "a sequence number not handed out by upcomingSequence")
            seq = sequence
        } else {
            seq = nextSequence
            nextSequence &+= 1
        }
        let entry = Entry(time: time, sequence: seq, target: target, message: consume message)
        count += 1
        let key = delay.nanos
        if let i = lanes.firstIndex(where: { $0.delay == key }) {
            if !Self.precedes(time.nanos, seq, (lanes[i].lastTime, lanes[i].lastSequence)) {
                lanes[i].append(consume entry)
                return
            }
        } else if lanes.count < Self.maximumLanes {
            lanes.append(Lane(delay: key))
            lanes[lanes.count - 1].append(consume entry)
            return
        } else if let free = lanes.firstIndex(where: \.isEmpty) {
            lanes[free].delay = key
            lanes[free].append(consume entry)
            return
        }
        pushHeap(consume entry)
    }

    /// Queues `message` for `time` on the heap (a test's pushes in any time order).
    mutating func push(time: VirtualTime, target: ComponentID, message: consuming Message) {
        let entry = Entry(time: time, sequence: nextSequence, target: target, message: consume message)
        nextSequence &+= 1
        count += 1
        pushHeap(consume entry)
    }

    private mutating func pushHeap(_ entry: consuming Entry) {
        let time = entry.time.nanos, sequence = entry.sequence
        let slot: Int
        if let free = freeSlots.popLast() {
            slot = free
            slots[slot] = consume entry
        } else {
            slot = slots.count
            slots.append(consume entry)
        }
        heap.append(Key(time: time, sequence: sequence, slot: slot))
        siftUp(heap.count - 1)
    }

    /// The earliest entry, taken off the agenda.
    mutating func pop() -> Entry? {
        guard let next = earliest() else { return nil }
        return next.lane < 0 ? popHeap() : popLane(next.lane)
    }

    /// The earliest entry if it is due at or before `limit` (one search for both questions:
    /// the loop asks them for every message).
    mutating func pop(dueBy limit: VirtualTime) -> Entry? {
        guard let next = earliest(), next.time <= limit.nanos else { return nil }
        return next.lane < 0 ? popHeap() : popLane(next.lane)
    }

    private mutating func popLane(_ i: Int) -> Entry {
        count -= 1
        return lanes[i].removeFirst()
    }

    private mutating func popHeap() -> Entry? {
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
        count -= 1
        if slots.count >= Self.minimumCompactedSlots, heap.count < slots.count / 4 { compact() }
        return entry
    }

    /// Below this many entries a table is not worth compacting.
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
    private static func precedes(_ time: Int64, _ sequence: UInt64, _ other: (Int64, UInt64)) -> Bool {
        time < other.0 || (time == other.0 && sequence < other.1)
    }

    @inline(__always)
    private func less(_ a: Key, _ b: Key) -> Bool {
        Self.precedes(a.time, a.sequence, (b.time, b.sequence))
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
