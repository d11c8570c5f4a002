/// Why stable storage could not answer (etcd `ErrCompacted`, `ErrUnavailable`,
/// `ErrSnapOutOfDate`).
enum RaftStorageError: Error, Sendable, Equatable {
    /// The requested index is at or below the last compaction.
    case compacted
    /// The requested index is beyond the last stored entry.
    case unavailable
    /// The snapshot is older than the one already stored.
    case snapOutOfDate
}

/// A member's durable state: hard state, log entries and the latest snapshot, in memory
/// (etcd `MemoryStorage`).
///
/// It is a class because the embedding owns it and shares it with the member: Raft reads
/// entries and terms from it, while the embedding appends what `Ready` hands out, compacts, and
/// snapshots. When a simulated machine crashes, the embedding keeps this object and builds a new
/// `RawNode` over it, so exactly term, vote, log and snapshot survive (Raft paper Figure 2).
///
/// `entries[0]` is a dummy entry carrying the index and term of the last compacted entry
/// (the snapshot's), so `term(firstIndex - 1)` is always answerable.
final class RaftStorage {
    // Read on every Raft step and written on every Ready, by one thread, and never while
    // another access is open (nothing is called out of here): no runtime exclusivity check.
    @exclusivity(unchecked) private(set) var hardState = HardState()
    @exclusivity(unchecked) private(set) var snapshot = RaftSnapshot()
    @exclusivity(unchecked) private var ents: [RaftEntry] = [RaftEntry()]

    init() {}

    /// The hard state and the configuration of the last snapshot.
    func initialState() -> (HardState, ConfState) { (hardState, snapshot.confState) }

    func setHardState(_ state: HardState) { hardState = state }

    private var offset: UInt64 { ents.first?.index ?? 0 }

    /// The index of the first entry still stored (one past the compaction point).
    var firstIndex: UInt64 { offset &+ 1 }

    var lastIndex: UInt64 { offset &+ UInt64(ents.count) &- 1 }

    /// The term of entry `i`, valid for `[firstIndex - 1, lastIndex]`.
    func term(_ i: UInt64) throws(RaftStorageError) -> UInt64 {
        let off = offset
        guard i >= off else { throw .compacted }
        let k = i - off
        guard k < UInt64(ents.count) else { throw .unavailable }
        return ents[Int(k)].term
    }

    /// Entries in `[lo, hi)`, at most `maxSize` bytes but always at least one entry.
    func entries(_ lo: UInt64, _ hi: UInt64, maxSize: UInt64) throws(RaftStorageError) -> [RaftEntry] {
        let off = offset
        guard lo > off else { throw .compacted }
        guard hi >= lo, hi <= lastIndex &+ 1 else { throw .unavailable }
        if hi == lo { return [] }
        let lower = Int(lo - off), upper = Int(hi - off)
        return RaftStorage.limitSize(ents[lower..<upper], maxSize: maxSize)
    }

    /// Appends entries handed out by `Ready`. An entry at index i replaces every stored entry at
    /// i and after (the leader overwrote a conflicting suffix; Raft paper §5.3).
    func append(_ entries: [RaftEntry]) {
        guard let firstNew = entries.first?.index else { return }
        let first = firstIndex
        let last = firstNew &+ UInt64(entries.count) &- 1
        guard last >= first else { return }  // everything already compacted
        var toAppend = entries[...]
        if first > firstNew { toAppend = entries[Int(first - firstNew)...] }
        guard let start = toAppend.first?.index, start >= offset else { return }
        let position = start - offset
        if position < UInt64(ents.count) {
            ents.removeSubrange(Int(position)...)
            ents.append(contentsOf: toAppend)
        } else if position == UInt64(ents.count) {
            ents.append(contentsOf: toAppend)
        }
        // A gap (position > count) means a lost entry: refuse it rather than store a holey log.
    }

    /// Replaces the whole log with a snapshot received from the leader.
    func applySnapshot(_ snap: RaftSnapshot) throws(RaftStorageError) {
        guard snap.index > snapshot.index else { throw .snapOutOfDate }
        snapshot = snap
        ents = [RaftEntry(term: snap.term, index: snap.index)]
    }

    /// Records a snapshot of the applied state at `index` (which must be stored). The log is not
    /// compacted; call `compact` for that.
    @discardableResult
    func createSnapshot(at index: UInt64, confState: ConfState?, data: [UInt8]) throws(RaftStorageError) -> RaftSnapshot {
        guard index > snapshot.index else { throw .snapOutOfDate }
        let t = try term(index)
        snapshot = RaftSnapshot(index: index, term: t, confState: confState ?? snapshot.confState, data: data)
        return snapshot
    }

    /// Discards entries up to and including `compactIndex`, keeping its term in the dummy entry.
    /// The application must not compact past what it has applied.
    func compact(_ compactIndex: UInt64) throws(RaftStorageError) {
        let off = offset
        guard compactIndex > off else { throw .compacted }
        guard compactIndex <= lastIndex else { throw .unavailable }
        let k = Int(compactIndex - off)
        var kept: [RaftEntry] = [RaftEntry(term: ents[k].term, index: ents[k].index)]
        kept.reserveCapacity(ents.count - k)
        kept.append(contentsOf: ents[(k + 1)...])
        ents = kept
    }

    /// The bytes an entry counts for against `maxSizePerMsg`: its payload plus a fixed header,
    /// so that a limit of 0 means one entry per message, as in etcd.
    static func entrySize(_ e: RaftEntry) -> UInt64 { UInt64(e.data.count) &+ 24 }

    static func limitSize(_ ents: ArraySlice<RaftEntry>, maxSize: UInt64) -> [RaftEntry] {
        guard !ents.isEmpty else { return [] }
        var size: UInt64 = 0
        var end = ents.startIndex
        while end < ents.endIndex {
            size &+= entrySize(ents[end])
            if end > ents.startIndex && size > maxSize { break }
            end += 1
        }
        return Array(ents[ents.startIndex..<end])
    }
}
