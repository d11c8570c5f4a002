/// The MVCC store's change log: every applied change, in revision order, until compaction.
///
/// Kept in chunks of fixed capacity instead of one array: the log of a busy store grows to
/// hundreds of thousands of changes between compactions, and a single array doubling its
/// buffer copies every change again and touches twice the memory. A chunk is allocated once
/// and filled in place. Compaction drops whole chunks; the changes it drops from the first
/// chunk stay allocated (unreachable) until that chunk is dropped too.
struct EventLog {
    static let chunkCapacity = 1024

    private var chunks: [[StoreEvent]] = []
    /// Changes at the front of `chunks[0]` that were compacted away.
    private var head = 0
    private(set) var count = 0

    var isEmpty: Bool { count == 0 }

    subscript(i: Int) -> StoreEvent {
        let at = i + head
        return chunks[at / Self.chunkCapacity][at % Self.chunkCapacity]
    }

    /// Consuming: the caller's change moves into the log instead of being copied.
    mutating func append(_ event: consuming StoreEvent) {
        if chunks.isEmpty || chunks[chunks.count - 1].count == Self.chunkCapacity {
            var chunk: [StoreEvent] = []
            chunk.reserveCapacity(Self.chunkCapacity)
            chunks.append(chunk)
        }
        chunks[chunks.count - 1].append(event)
        count += 1
    }

    /// Forgets the first `n` changes.
    mutating func removeFirst(_ n: Int) {
        let n = min(max(n, 0), count)
        guard n > 0 else { return }
        count -= n
        if count == 0 {
            self = EventLog()
            return
        }
        head += n
        let whole = head / Self.chunkCapacity
        if whole > 0 {
            chunks.removeFirst(whole)
            head -= whole * Self.chunkCapacity
        }
    }

    /// Index of the first change with a revision greater than `after` (`count` if none).
    func firstIndex(after: Int64) -> Int {
        var lo = 0, hi = count
        while lo < hi {
            let mid = (lo + hi) / 2
            if self[mid].revision <= after { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }

    /// The changes from index `start` on whose key starts with `prefix`, oldest first.
    func events(from start: Int, prefix: String) -> [StoreEvent] {
        var out: [StoreEvent] = []
        var i = max(start, 0)
        while i < count {
            let event = self[i]
            if event.kv.key.utf8HasPrefix(prefix) { out.append(event) }
            i += 1
        }
        return out
    }
}
