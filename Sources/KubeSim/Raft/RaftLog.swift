/// A member's view of the Raft log: the durable part in `storage`, the not-yet-persisted tail
/// in `unstable`, and the `committed`/`applied` cursors (etcd `raftLog`).
///
/// Invariant: `applied <= committed <= lastIndex`, and `unstable.offset <= storage.lastIndex + 1`.
struct RaftLog {
    let storage: RaftStorage
    var unstable: Unstable
    /// The highest index known to be stored on a quorum.
    var committed: UInt64
    /// The highest index the embedding has applied to its state machine.
    var applied: UInt64
    /// Bound on the bytes of committed entries handed out in one `Ready`.
    var maxNextEntsSize: UInt64

    init(storage: RaftStorage, maxNextEntsSize: UInt64) {
        self.storage = storage
        self.maxNextEntsSize = maxNextEntsSize
        let first = storage.firstIndex
        unstable = Unstable(offset: storage.lastIndex &+ 1)
        // Everything up to the snapshot is committed and applied by definition.
        committed = first &- 1
        applied = first &- 1
    }

    var firstIndex: UInt64 { unstable.maybeFirstIndex ?? storage.firstIndex }

    var lastIndex: UInt64 { unstable.maybeLastIndex ?? storage.lastIndex }

    var lastTerm: UInt64 { term(lastIndex) ?? 0 }

    /// The term of entry `i`, or nil when `i` is compacted or beyond the log. Valid range is
    /// `[firstIndex - 1, lastIndex]`.
    func term(_ i: UInt64) -> UInt64? {
        if let t = unstable.maybeTerm(i) { return t }
        guard i &+ 1 >= firstIndex, i <= lastIndex else { return nil }
        return try? storage.term(i)
    }

    func matchTerm(_ i: UInt64, _ t: UInt64) -> Bool { term(i) == t }

    /// Handles the entries of a MsgApp whose preceding entry is (`index`, `logTerm`). Returns the
    /// index of the last new entry, or nil if the consistency check fails (Raft paper §5.3).
    mutating func maybeAppend(index: UInt64, logTerm: UInt64, committed leaderCommit: UInt64,
                              entries ents: [RaftEntry]) -> UInt64? {
        guard matchTerm(index, logTerm) else { return nil }
        let lastNew = index &+ UInt64(ents.count)
        let conflict = findConflict(ents)
        if conflict != 0 {
            // Overwriting a committed entry would break State Machine Safety; only a corrupt or
            // malicious leader asks for it (etcd panics here), so refuse the whole message.
            guard conflict > committed, conflict > index else { return nil }
            let k = conflict - index - 1
            guard k < UInt64(ents.count) else { return nil }
            _ = append(Array(ents[Int(k)...]))
        }
        commitTo(min(leaderCommit, lastNew))
        return lastNew
    }

    /// Appends entries at the end (after dropping any conflicting suffix). Returns the new last index.
    @discardableResult
    mutating func append(_ ents: [RaftEntry]) -> UInt64 {
        guard let first = ents.first?.index else { return lastIndex }
        // Never truncate below the commit point (etcd panics; we refuse).
        guard first &- 1 >= committed, first >= 1 else { return lastIndex }
        unstable.truncateAndAppend(ents)
        return lastIndex
    }

    /// The index of the first entry whose term differs from ours (or that we lack), 0 if none.
    /// Entries are assumed contiguous; the caller checked that.
    func findConflict(_ ents: [RaftEntry]) -> UInt64 {
        for e in ents where !matchTerm(e.index, e.term) { return e.index }
        return 0
    }

    /// The largest index ≤ `index` whose term is ≤ `term`, with that term: the fast-backtracking
    /// hint of etcd (`findConflictByTerm`). An unknown term (compacted) stops the search and
    /// is reported as 0, meaning "possible match".
    func findConflictByTerm(index: UInt64, term t: UInt64) -> (index: UInt64, term: UInt64) {
        var i = index
        while i > 0 {
            guard let ourTerm = term(i) else { return (i, 0) }
            if ourTerm <= t { return (i, ourTerm) }
            i -= 1
        }
        return (0, 0)
    }

    /// Entries from `i` to the end, at most `maxSize` bytes (at least one entry).
    func entries(from i: UInt64, maxSize: UInt64) throws(RaftStorageError) -> [RaftEntry] {
        if i > lastIndex { return [] }
        return try slice(i, lastIndex &+ 1, maxSize: maxSize)
    }

    /// Entries in `[lo, hi)`, reading storage for the durable part and `unstable` for the rest.
    func slice(_ lo: UInt64, _ hi: UInt64, maxSize: UInt64) throws(RaftStorageError) -> [RaftEntry] {
        guard lo <= hi else { throw .unavailable }
        guard lo >= firstIndex else { throw .compacted }
        guard hi <= lastIndex &+ 1 else { throw .unavailable }
        if lo == hi { return [] }
        var ents: [RaftEntry] = []
        let uoff = unstable.offset
        if lo < uoff {
            let storedHi = min(hi, uoff)
            let stored = try storage.entries(lo, storedHi, maxSize: maxSize)
            // Storage stopped early because of the size limit: do not add unstable entries.
            if UInt64(stored.count) < storedHi - lo { return stored }
            ents = stored
        }
        if hi > uoff {
            let tail = unstable.slice(max(lo, uoff), hi)
            if ents.isEmpty { return RaftStorage.limitSize(tail, maxSize: maxSize) }
            ents.append(contentsOf: tail)
            return RaftStorage.limitSize(ents[...], maxSize: maxSize)
        }
        return ents
    }

    /// The candidate's log is at least as up-to-date as ours (Raft paper §5.4.1).
    func isUpToDate(lastIndex lasti: UInt64, term t: UInt64) -> Bool {
        let ourLastTerm = lastTerm
        return t > ourLastTerm || (t == ourLastTerm && lasti >= lastIndex)
    }

    /// Commits `maxIndex` only if that entry is from `term`: a leader never commits an entry of
    /// an earlier term by counting replicas (Raft paper §5.4.2, Figure 8).
    mutating func maybeCommit(maxIndex: UInt64, term t: UInt64) -> Bool {
        guard maxIndex > committed, term(maxIndex) == t else { return false }
        commitTo(maxIndex)
        return true
    }

    /// Raises the commit index; never lowers it, and never past the entries we hold (a leader
    /// claiming otherwise is ignored, where etcd would panic).
    mutating func commitTo(_ toCommit: UInt64) {
        guard toCommit > committed, toCommit <= lastIndex else { return }
        committed = toCommit
    }

    mutating func appliedTo(_ i: UInt64) {
        guard i != 0, i <= committed, i >= applied else { return }
        applied = i
    }

    mutating func stableTo(_ i: UInt64, term t: UInt64) { unstable.stableTo(i, term: t) }

    mutating func stableSnapTo(_ i: UInt64) { unstable.stableSnapTo(i) }

    /// Replaces the log by a snapshot from the leader.
    mutating func restore(_ s: RaftSnapshot) {
        committed = s.index
        unstable.restore(s)
    }

    var hasPendingSnapshot: Bool { unstable.snapshot != nil }

    /// The newest snapshot: one just received, else the stored one; nil if there is none.
    var snapshot: RaftSnapshot? {
        if let s = unstable.snapshot { return s }
        let s = storage.snapshot
        return s.isEmpty ? nil : s
    }

    /// Committed entries are waiting to be applied (and no snapshot must be applied first).
    var hasNextCommittedEnts: Bool {
        guard !hasPendingSnapshot else { return false }
        let lo = max(applied &+ 1, firstIndex)
        return committed &+ 1 > lo
    }

    /// The committed, not yet applied entries, bounded by `maxNextEntsSize`. Entries still in
    /// `unstable` are included: the embedding persists a `Ready`'s entries before applying.
    func nextCommittedEnts() -> [RaftEntry] {
        guard hasNextCommittedEnts else { return [] }
        let lo = max(applied &+ 1, firstIndex)
        return (try? slice(lo, committed &+ 1, maxSize: maxNextEntsSize)) ?? []
    }
}
