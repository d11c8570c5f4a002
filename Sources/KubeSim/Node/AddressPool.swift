/// The host numbers of a node's /24 that its pods hold, as host-local IPAM keeps them: the
/// lowest free one goes out next, from .2 (.1 is the gateway's) to .254. A bit per number,
/// where a set of numbers searched from .2 cost a hash per address in use.
struct AddressPool {
    private var used: [UInt64] = [0, 0, 0, 0]

    /// Takes the lowest free host number, or nil when all are in use.
    mutating func allocate() -> Int? {
        for w in used.indices {
            var free = ~used[w]
            if w == 0 { free &= ~0b11 }  // .0, the network, and .1
            if w == used.count - 1 { free &= ~(1 << 63) }  // .255, broadcast
            guard free != 0 else { continue }
            let bit = free.trailingZeroBitCount
            used[w] |= 1 << UInt64(bit)
            return w * 64 + bit
        }
        return nil
    }

    /// Gives the number back; one outside the range is ignored.
    mutating func release(_ n: Int) {
        guard (0..<used.count * 64).contains(n) else { return }
        used[n / 64] &= ~(1 << UInt64(n % 64))
    }

    mutating func removeAll() {
        for w in used.indices { used[w] = 0 }
    }
}
