/// The simulation's agenda: a binary min-heap ordered by `(time, sequence)`, so messages
/// due at the same instant are delivered in the order they were sent.
struct EventQueue {
    struct Entry {
        var time: VirtualTime
        var sequence: UInt64
        var target: ComponentID
        var message: Message
    }

    private var heap: [Entry] = []
    private var nextSequence: UInt64 = 0

    var isEmpty: Bool { heap.isEmpty }
    var count: Int { heap.count }
    var nextTime: VirtualTime? { heap.first?.time }

    mutating func push(time: VirtualTime, target: ComponentID, message: Message) {
        heap.append(Entry(time: time, sequence: nextSequence, target: target, message: message))
        nextSequence &+= 1
        siftUp(heap.count - 1)
    }

    mutating func pop() -> Entry? {
        guard let last = heap.popLast() else { return nil }
        guard !heap.isEmpty else { return last }
        let top = heap[0]
        heap[0] = last
        siftDown(0)
        return top
    }

    private func less(_ a: Int, _ b: Int) -> Bool {
        let x = heap[a], y = heap[b]
        return x.time < y.time || (x.time == y.time && x.sequence < y.sequence)
    }

    private mutating func siftUp(_ start: Int) {
        var i = start
        while i > 0 {
            let parent = (i - 1) / 2
            guard less(i, parent) else { return }
            heap.swapAt(i, parent)
            i = parent
        }
    }

    private mutating func siftDown(_ start: Int) {
        var i = start
        let n = heap.count
        while true {
            let l = 2 * i + 1, r = l + 1
            var m = i
            if l < n, less(l, m) { m = l }
            if r < n, less(r, m) { m = r }
            if m == i { return }
            heap.swapAt(i, m)
            i = m
        }
    }
}
