/// Decoded proposals, shared by the members of one cluster.
///
/// Raft's log matching property makes an entry's term and index name its contents on every
/// member, so the first member to apply an entry decodes it and the others reuse the result
/// (and share its values, which are immutable). It is a cache only: a member that misses
/// decodes the bytes itself, and what it applies is the same either way. A ring of slots by
/// index: an entry far behind the newest ones has been overwritten, and is decoded again by
/// a member that needs it.
final class ProposalCache {
    private struct Slot {
        var index: UInt64
        var term: UInt64
        var proposal: EtcdProposal
    }

    private var slots: [Slot?]

    init(capacity: Int = 4096) { slots = Array(repeating: nil, count: max(capacity, 1)) }

    func proposal(for entry: RaftEntry) -> EtcdProposal? {
        let i = Int(entry.index % UInt64(slots.count))
        if let slot = slots[i], slot.index == entry.index, slot.term == entry.term { return slot.proposal }
        guard let proposal = EtcdProposal(decoding: entry.data) else { return nil }
        slots[i] = Slot(index: entry.index, term: entry.term, proposal: proposal)
        return proposal
    }
}
