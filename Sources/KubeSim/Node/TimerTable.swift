/// A component's pending timers by tag, for tags handed out in increasing order that mostly
/// fire in that order (a kubelet's pod steps): an array from the oldest tag still pending,
/// where a hashed dictionary hashed every tag twice, once when armed and once when fired.
struct TimerTable<Value> {
    /// The tag of `slots[0]`.
    private var base = 0
    private var slots: [Value?] = []
    /// Slots at the front already fired, dropped together once they are many.
    private var head = 0

    /// Arms `tag` (greater than every tag armed before).
    mutating func insert(_ value: Value, tag: Int) {
        if slots.isEmpty { base = tag }
        let index = tag - base
        // No input reaches this: the kubelet hands out its tags from a counter that only
        // grows (`arm`), and the embedding program's faults use tags of their own.
        precondition(index >= slots.count, "timer tags must increase")
        while slots.count < index { slots.append(nil) }
        slots.append(value)
    }

    /// The value armed for `tag`, taken out; nil if none is pending.
    mutating func remove(tag: Int) -> Value? {
        let index = tag - base
        // Taken, not copied: the slot is left empty and nothing is retained or released.
        guard index >= head, index < slots.count, let value = slots[index].take() else { return nil }
        while head < slots.count, slots[head] == nil { head += 1 }
        if head == slots.count {
            slots.removeAll(keepingCapacity: true)
            head = 0
        } else if head >= 64, head * 2 >= slots.count {
            slots.removeFirst(head)
            base += head
            head = 0
        }
        return value
    }

    mutating func removeAll() {
        slots.removeAll()
        head = 0
    }
}
