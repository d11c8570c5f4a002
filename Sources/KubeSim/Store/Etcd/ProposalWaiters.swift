/// The requests a member proposed and still has to answer, by proposal number.
///
/// A member numbers its proposals in order, so the waiting ones are a window of numbers:
/// kept in an array from the oldest still waiting, a lookup is an index instead of the two
/// hashes per write a dictionary costs. A proposal that is never applied (lost with a deposed
/// leader) leaves when its request times out, and the window moves past it.
struct ProposalWaiters {
    typealias Waiter = (client: ComponentID, requestID: UInt64)

    /// The proposal number of `slots[head]`.
    private var first: UInt64 = 1
    private var slots: [Waiter?] = []
    private var head = 0
    private(set) var count = 0

    /// Waits for proposal `number`, which is newer than every one added before.
    mutating func add(_ number: UInt64, _ waiter: Waiter) {
        if slots.count == head {
            // Empty: start the window here.
            slots.removeAll(keepingCapacity: true)
            head = 0
            first = number
        }
        // Numbers only grow: an older one is a caller's bug, never input.
        guard number >= first else { return assertionFailure("proposal \(number) is older than \(first)") }
        let at = head + Int(number - first)
        guard at >= slots.count else { return assertionFailure("proposal \(number) already waits") }
        while slots.count < at { slots.append(nil) }
        slots.append(waiter)
        count += 1
    }

    /// The waiter of proposal `number`, which stops waiting; nil if none waits for it.
    mutating func remove(_ number: UInt64) -> Waiter? {
        guard number >= first, number - first < UInt64(slots.count - head) else { return nil }
        let at = head + Int(number - first)
        guard let waiter = slots[at] else { return nil }
        slots[at] = nil
        count -= 1
        // Move the window past answered proposals at its start.
        while head < slots.count, slots[head] == nil {
            head += 1
            first += 1
        }
        if head > 1024, head * 2 > slots.count {
            slots.removeFirst(head)
            head = 0
        }
        return waiter
    }

    mutating func removeAll() {
        slots = []
        head = 0
        count = 0
    }
}
