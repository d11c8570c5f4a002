/// The outcome of counting votes (or ReadIndex acknowledgements) against the voters' majority
/// (etcd `quorum.VoteResult`).
enum VoteResult: Sendable, Equatable {
    case pending, lost, won
}

/// The leader's progress for every member, plus the votes of the current election
/// (etcd `tracker.ProgressTracker` over a single `MajorityConfig`: no joint consensus).
///
/// Members are kept in parallel arrays sorted by id, so every iteration is in id order and a
/// lookup in a 3–7 member cluster is a short scan rather than a hash.
struct ProgressTracker: Sendable {
    private(set) var ids: [UInt64] = []
    /// Parallel to `ids`. Elements may be mutated in place; only `insert`/`remove` may change
    /// the count, so the two arrays stay aligned.
    var progress: [Progress] = []
    private var voteIDs: [UInt64] = []
    private var voteGranted: [Bool] = []
    let maxInflight: Int

    init(maxInflight: Int) { self.maxInflight = maxInflight }

    func position(of id: UInt64) -> Int? {
        for (k, candidate) in ids.enumerated() where candidate == id { return k }
        return nil
    }

    subscript(id: UInt64) -> Progress? {
        guard let k = position(of: id) else { return nil }
        return progress[k]
    }

    /// Mutates the progress of `id` in place; false if `id` is not tracked.
    @discardableResult
    mutating func update(_ id: UInt64, _ body: (inout Progress) -> Void) -> Bool {
        guard let k = position(of: id) else { return false }
        body(&progress[k])
        return true
    }

    mutating func updateAll(_ body: (UInt64, inout Progress) -> Void) {
        for k in progress.indices { body(ids[k], &progress[k]) }
    }

    func contains(_ id: UInt64) -> Bool { position(of: id) != nil }

    var voters: [UInt64] { zip(ids, progress).filter { !$0.1.isLearner }.map(\.0) }
    var learners: [UInt64] { zip(ids, progress).filter { $0.1.isLearner }.map(\.0) }
    var voterCount: Int { progress.reduce(0) { $0 + ($1.isLearner ? 0 : 1) } }

    func isVoter(_ id: UInt64) -> Bool { self[id].map { !$0.isLearner } ?? false }

    var confState: ConfState { ConfState(voters: voters, learners: learners) }

    /// Only one voter: the leader alone is a quorum.
    var isSingleton: Bool { voterCount == 1 }

    mutating func insert(_ id: UInt64, _ pr: Progress) {
        if let k = position(of: id) {
            progress[k] = pr
            return
        }
        let k = ids.firstIndex { $0 > id } ?? ids.count
        ids.insert(id, at: k)
        progress.insert(pr, at: k)
    }

    mutating func remove(_ id: UInt64) {
        guard let k = position(of: id) else { return }
        ids.remove(at: k)
        progress.remove(at: k)
    }

    /// The largest index stored on a majority of voters: sort the voters' match indexes and take
    /// the one a quorum has reached (etcd `MajorityConfig.CommittedIndex`).
    func committed() -> UInt64 {
        let n = voterCount
        guard n > 0 else { return 0 }
        return withUnsafeTemporaryAllocation(of: UInt64.self, capacity: n) { buf -> UInt64 in
            var filled = 0
            for pr in progress where !pr.isLearner {
                // Insertion sort, ascending: n is at most a handful.
                var j = filled
                while j > 0, buf[j - 1] > pr.match {
                    buf[j] = buf[j - 1]
                    j -= 1
                }
                buf[j] = pr.match
                filled += 1
            }
            let quorum = n / 2 + 1
            return buf[n - quorum]
        }
    }

    /// Whether a quorum of voters was recently active (CheckQuorum).
    func quorumActive() -> Bool {
        let n = voterCount
        guard n > 0 else { return false }
        let active = progress.reduce(0) { $0 + (!$1.isLearner && $1.recentActive ? 1 : 0) }
        return active >= n / 2 + 1
    }

    // MARK: votes

    mutating func resetVotes() {
        voteIDs.removeAll(keepingCapacity: true)
        voteGranted.removeAll(keepingCapacity: true)
    }

    /// Records `id`'s vote; only the first vote of a member counts.
    mutating func recordVote(_ id: UInt64, granted: Bool) {
        guard !voteIDs.contains(id) else { return }
        voteIDs.append(id)
        voteGranted.append(granted)
    }

    /// Granted and rejected votes among current voters, and the election's outcome.
    func tallyVotes() -> (granted: Int, rejected: Int, result: VoteResult) {
        var granted = 0, rejected = 0
        for (id, g) in zip(voteIDs, voteGranted) where isVoter(id) {
            if g { granted += 1 } else { rejected += 1 }
        }
        return (granted, rejected, outcome(granted: granted, rejected: rejected))
    }

    /// The outcome when the members in `acks` said yes and nobody said no (ReadIndex).
    func voteResult(acks: [UInt64]) -> VoteResult {
        let granted = acks.reduce(0) { $0 + (isVoter($1) ? 1 : 0) }
        return outcome(granted: granted, rejected: 0)
    }

    private func outcome(granted: Int, rejected: Int) -> VoteResult {
        let n = voterCount
        guard n > 0 else { return .won }
        let quorum = n / 2 + 1
        if granted >= quorum { return .won }
        if n - rejected >= quorum { return .pending }
        return .lost
    }
}
