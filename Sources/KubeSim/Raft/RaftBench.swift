/// A micro benchmark of the consensus core alone: three `RawNode`s in memory, proposals
/// batched on the leader, every `Ready` persisted to `RaftStorage`, messages delivered in
/// rounds, committed entries counted as applied on every member. No fsync, no network cost,
/// no MVCC apply: it bounds what the replicated store can reach. The caller times `run`.
public enum RaftBench {
    /// Runs `writes` proposals of `payloadBytes` bytes in batches of `batchSize`, at most
    /// `maxBatchesInFlight` batches proposed ahead of the leader's applied index. Returns the
    /// entries each member applied (each must equal `writes`).
    public static func run(writes: Int, batchSize: Int = 512, payloadBytes: Int = 100,
                           maxBatchesInFlight: Int = 8) -> [Int] {
        let ids: [UInt64] = [1, 2, 3]
        var storages: [RaftStorage] = []
        var nodes: [RawNode] = []
        for id in ids {
            let storage = RaftStorage()
            try? storage.applySnapshot(RaftSnapshot(index: 1, term: 1, confState: ConfState(voters: ids)))
            var cfg = RaftConfig(id: id)
            cfg.seed = 42
            guard let node = try? RawNode(config: cfg, storage: storage) else {
                return []
            }
            storages.append(storage)
            nodes.append(node)
        }
        var inboxes: [[RaftMessage]] = [[], [], []]
        var applied = [0, 0, 0]

        // One round: handle every member's Ready (persist, send, apply, advance), then deliver.
        func round() {
            for k in nodes.indices where nodes[k].hasReady {
                let rd = nodes[k].ready()
                if let snap = rd.snapshot { try? storages[k].applySnapshot(snap) }
                storages[k].append(rd.entries)
                if let hs = rd.hardState { storages[k].setHardState(hs) }
                for m in rd.messages {
                    let to = Int(truncatingIfNeeded: m.to) - 1
                    if to >= 0 && to < inboxes.count { inboxes[to].append(m) }
                }
                for e in rd.committedEntries where !e.data.isEmpty && e.type == .normal { applied[k] += 1 }
                nodes[k].advance(rd)
            }
            for k in nodes.indices where !inboxes[k].isEmpty {
                let batch = inboxes[k]
                inboxes[k].removeAll(keepingCapacity: true)
                for m in batch { nodes[k].step(m) }
            }
        }

        nodes[0].campaign()
        var guardRounds = 0
        while nodes[0].raft.state != .leader && guardRounds < 100 {
            round()
            guardRounds += 1
        }
        // Let the leader's empty entry commit everywhere before timing.
        for _ in 0..<10 { round() }

        let payload = [UInt8](repeating: 0x61, count: max(1, payloadBytes))
        let batchTemplate = [[UInt8]](repeating: payload, count: max(1, batchSize))
        var proposed = 0
        var lastCompaction = 0
        let compactEvery = 200_000
        var rounds = 0
        while applied.min() ?? 0 < writes && rounds < 100_000_000 {
            rounds += 1
            let inFlight = proposed - applied[0]
            if proposed < writes && inFlight < maxBatchesInFlight * batchSize {
                let n = min(batchSize, writes - proposed)
                let batch = n == batchTemplate.count ? batchTemplate : Array(batchTemplate.prefix(n))
                if case .success = nodes[0].propose(batch: batch) { proposed += n }
            }
            round()
            // Keep memory bounded, as the store will: snapshot and compact behind the slowest member.
            let slowest = applied.min() ?? 0
            if slowest - lastCompaction >= compactEvery {
                for k in nodes.indices {
                    let index = nodes[k].status().applied
                    _ = try? storages[k].createSnapshot(at: index, confState: ConfState(voters: ids), data: [])
                    try? storages[k].compact(index)
                }
                lastCompaction = slowest
            }
        }
        return applied
    }
}
