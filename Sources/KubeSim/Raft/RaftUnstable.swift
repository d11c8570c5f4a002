/// Entries and a snapshot the member has accepted but the embedding has not yet written to
/// stable storage (etcd `unstable`). `entries[k]` has index `offset + k`.
struct Unstable: Sendable {
    var snapshot: RaftSnapshot?
    var entries: [RaftEntry] = []
    var offset: UInt64

    init(offset: UInt64) { self.offset = offset }

    /// The first index if a snapshot is pending (everything after it is new).
    var maybeFirstIndex: UInt64? { snapshot.map { $0.index &+ 1 } }

    var maybeLastIndex: UInt64? {
        if !entries.isEmpty { return offset &+ UInt64(entries.count) &- 1 }
        return snapshot?.index
    }

    func maybeTerm(_ i: UInt64) -> UInt64? {
        if i < offset {
            if let s = snapshot, s.index == i { return s.term }
            return nil
        }
        let k = i - offset
        guard k < UInt64(entries.count) else { return nil }
        return entries[Int(k)].term
    }

    /// Entries up to `i` (if still term `t`) are now durable and leave the unstable buffer.
    /// The term check ignores an acknowledgement for entries that were since replaced.
    mutating func stableTo(_ i: UInt64, term t: UInt64) {
        guard let gt = maybeTerm(i), gt == t, i >= offset else { return }
        let k = i - offset + 1
        guard k <= UInt64(entries.count) else { return }
        entries.removeFirst(Int(k))
        offset = i &+ 1
    }

    mutating func stableSnapTo(_ i: UInt64) {
        if let s = snapshot, s.index == i { snapshot = nil }
    }

    mutating func restore(_ s: RaftSnapshot) {
        offset = s.index &+ 1
        entries = []
        snapshot = s
    }

    /// Appends `ents`, first dropping any suffix they overwrite (a leader's conflicting entries).
    mutating func truncateAndAppend(_ ents: [RaftEntry]) {
        guard let after = ents.first?.index else { return }
        let end = offset &+ UInt64(entries.count)
        if after == end {
            entries.append(contentsOf: ents)
        } else if after <= offset {
            // The log is being replaced from before our first unstable entry.
            offset = after
            entries = ents
        } else if after < end {
            entries.removeSubrange(Int(after - offset)...)
            entries.append(contentsOf: ents)
        }
        // after > end would leave a hole in the log: RaftLog never asks for it; ignore it.
    }

    /// Entries in `[lo, hi)`; the caller has checked the bounds against `offset`.
    func slice(_ lo: UInt64, _ hi: UInt64) -> ArraySlice<RaftEntry> {
        guard lo >= offset, hi >= lo, hi - offset <= UInt64(entries.count) else { return [] }
        return entries[Int(lo - offset)..<Int(hi - offset)]
    }
}
