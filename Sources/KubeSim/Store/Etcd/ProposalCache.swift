/// Decoded proposals, shared by the members of one cluster.
///
/// Raft's log matching property makes an entry's term and index name its contents on every
/// member, so the first member to apply an entry decodes it (or the leader caches its own
/// proposal) and the others reuse the result. It is a cache only: a member that misses
/// decodes the bytes itself, and what it applies is the same either way. A ring of slots by
/// index: an entry far behind the newest ones has been overwritten, and is decoded again by
/// a member that needs it.
final class ProposalCache {
    /// One decoded entry, handed out by reference: a member reads the proposal in place
    /// rather than copying its transaction out of the slot. Members stamp the values in it
    /// as they apply it (`MVCCStore.txn(_:…keepStamped:)`), which changes nothing else: every
    /// member of a cluster has the same stamp function, which rewrites a value unless it
    /// already holds this revision, so each finds what it would have written and the first
    /// member's stamped copy is shared by the rest. (JSON is copy-on-write: a member's store
    /// never sees a later change to the shared value.)
    final class Decoded {
        let index: UInt64
        let term: UInt64
        var proposal: EtcdProposal

        init(index: UInt64, term: UInt64, proposal: EtcdProposal) {
            self.index = index
            self.term = term
            self.proposal = proposal
        }

        /// Nil for bytes the proposal codec did not write.
        convenience init?(_ entry: RaftEntry) {
            guard let proposal = EtcdProposal(decoding: entry.data) else { return nil }
            self.init(index: entry.index, term: entry.term, proposal: proposal)
        }
    }

    /// Read and written once per applied entry, by one thread, never while another access is
    /// open: no runtime exclusivity check.
    @exclusivity(unchecked) private var slots: [Decoded?]

    init(capacity: Int = 4096) { slots = Array(repeating: nil, count: max(capacity, 1)) }

    /// A leader's own proposal, at the index and term it appended it: it is what decoding
    /// the entry's bytes gives, so no member needs to decode them.
    func insert(_ proposal: EtcdProposal, index: UInt64, term: UInt64) {
        slots[Int(index % UInt64(slots.count))] = Decoded(index: index, term: term, proposal: proposal)
    }

    func proposal(for entry: RaftEntry) -> Decoded? {
        let i = Int(entry.index % UInt64(slots.count))
        if let slot = slots[i], slot.index == entry.index, slot.term == entry.term { return slot }
        guard let decoded = Decoded(entry) else { return nil }
        slots[i] = decoded
        return decoded
    }
}
