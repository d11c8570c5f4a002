/// The outcome of checking one history.
struct LinearizabilityResult: Equatable, Sendable {
    enum Verdict: Equatable, Sendable {
        case linearizable
        /// No order of the operations explains every response ("Linearization illegal").
        case notLinearizable
        /// The search stopped before an answer: the step budget ran out, or the history is
        /// malformed (see `reason`).
        case unknown
    }

    var verdict: Verdict
    /// Indices into `History.operations`, in linearization order. For a linearizable history
    /// this is a witness order (indeterminate operations that never took effect are left
    /// out); otherwise it is the longest linearizable prefix the search found.
    var linearization: [Int]
    /// When not linearizable: the operations that could not be placed after that prefix,
    /// sorted. They include the operation whose return the search could not pass.
    var unplaced: [Int]
    /// Search steps taken (entries visited).
    var steps: Int
    /// Why the verdict is `unknown`; empty otherwise.
    var reason: String
}

/// Checks that a history of etcd requests is linearizable against etcd's revision model.
///
/// The search is Wing & Gong's, with Lowe's memoization ("Testing for Linearizability",
/// 2017), in the shape porcupine's `checkSingle` gives it: every call and return becomes an
/// entry in one list sorted by time; the search walks the list, *lifts* a call (and its
/// return) out when the model accepts the operation at that point, and backtracks to the
/// last lifted call when it reaches the return of an operation it has not yet placed. A
/// cache of (set of linearized operations, model state) prunes configurations already
/// explored.
///
/// The model is etcd's store as `tests/robustness/model/deterministic.go` defines it: one
/// global revision that rises by exactly 1 on each write that changes something, and per key
/// a value, create revision, mod revision and version. A response must equal the model's:
/// the header revision after a write, the current revision for a read, the compare outcome,
/// and every key-value a read returns. An indeterminate operation has no return entry, so it
/// may be placed at any point after its call, or never. Because of the global revision the
/// history cannot be split per key (porcupine's P-compositionality), so the search runs over
/// the whole history and is bounded by `stepBudget`; it reports `unknown` when that runs out.
///
///     let result = LinearizabilityChecker().check(history)
///     if result.verdict == .notLinearizable { print(HistoryPrinter.render(history, result)) }
///
/// Deterministic: the entry order is total (time, call before return, operation index) and
/// no hashed collection's order reaches the result.
struct LinearizabilityChecker: Sendable {
    /// Entries visited before giving up with `unknown` (about a second of release-build time).
    var stepBudget: Int
    /// Memoized configurations kept before giving up with `unknown`: each holds a bitset of
    /// the operations and a model state, so this bounds memory (~0.5 KB each at 2,000 operations).
    var cacheEntriesMax: Int

    init(stepBudget: Int = 5_000_000, cacheEntriesMax: Int = 500_000) {
        self.stepBudget = stepBudget
        self.cacheEntriesMax = cacheEntriesMax
    }

    func check(_ history: History) -> LinearizabilityResult {
        let problems = history.operations.enumerated().compactMap { index, op -> String? in
            guard let completion = op.completion, completion.time < op.call else { return nil }
            return "malformed history: operation \(index) returns before its call"
        }
        if let first = problems.first {
            return LinearizabilityResult(verdict: .unknown, linearization: [], unplaced: [], steps: 0, reason: first)
        }
        var search = Search(history: history)
        return search.run(budget: stepBudget, cacheEntriesMax: cacheEntriesMax)
    }
}

// MARK: - The compiled model

/// One key's state; `version == 0` means absent (and then every field is 0, as etcd
/// compares a missing key's revisions as 0).
private struct KeySlot: Hashable {
    var value: Int32 = -1
    var version: Int64 = 0
    var createRevision: Int64 = 0
    var modRevision: Int64 = 0
}

private struct ModelState: Hashable {
    var revision: Int64
    var slots: [KeySlot]
}

private struct CompiledKeyValue: Equatable {
    var key: Int
    var value: Int32
    var createRevision: Int64
    var modRevision: Int64
    var version: Int64

    func matches(key other: Int, _ slot: KeySlot) -> Bool {
        key == other && value == slot.value && createRevision == slot.createRevision
            && modRevision == slot.modRevision && version == slot.version
    }
}

private enum CompiledRequest {
    case create(key: Int, value: Int32)
    case update(key: Int, value: Int32, expectedModRevision: Int64)
    case delete(key: Int, expectedModRevision: Int64?)
    case get(key: Int)
    /// Index into `CompiledHistory.prefixKeys`.
    case range(prefix: Int)
}

private struct CompiledResponse {
    var succeeded: Bool
    var revision: Int64
    var kvs: [CompiledKeyValue]
}

private struct CompiledOperation {
    var request: CompiledRequest
    var response: CompiledResponse?
    /// The model revision this operation must be placed at, when its response pins it: a read
    /// or failed write sees its header revision; a write that certainly changed the store is
    /// placed one revision below the one it reports.
    var placementRevision: Int64?
}

/// The history with keys and values interned to integers, so a model state is a small array
/// that copies, hashes and compares quickly.
private struct CompiledHistory {
    var operations: [CompiledOperation] = []
    /// For each range prefix, the ids of the keys under it, in byte order.
    var prefixKeys: [[Int]] = []
    var initial: ModelState
    /// Revisions some completed write certainly created (a successful create or update, or a
    /// successful delete with a non-zero precondition: its key existed).
    var claimedRevisions = Set<Int64>()
    /// The highest revision any response reports.
    var maxObservedRevision: Int64

    init(_ history: History, operationIndices: [Int]) {
        var keySet = Set<String>()
        var prefixes = Set<String>()
        for kv in history.initialKeyValues { keySet.insert(kv.key) }
        for index in operationIndices {
            let op = history.operations[index]
            if let key = op.request.key { keySet.insert(key) }
            if case .range(let prefix) = op.request { prefixes.insert(prefix) }
            for kv in op.completion?.response.kvs ?? [] { keySet.insert(kv.key) }
        }
        let keys = keySet.sorted(by: JSON.utf8Less)
        var keyIDs: [String: Int] = [:]
        for (id, key) in keys.enumerated() { keyIDs[key] = id }
        let sortedPrefixes = prefixes.sorted(by: JSON.utf8Less)
        var prefixIDs: [String: Int] = [:]
        for (id, prefix) in sortedPrefixes.enumerated() {
            prefixIDs[prefix] = id
            prefixKeys.append(keys.indices.filter { keys[$0].utf8.starts(with: prefix.utf8) })
        }
        var valueIDs: [String: Int32] = [:]
        func value(_ s: String) -> Int32 {
            if let id = valueIDs[s] { return id }
            let id = Int32(truncatingIfNeeded: valueIDs.count)
            valueIDs[s] = id
            return id
        }
        func compile(_ kv: ObservedKeyValue) -> CompiledKeyValue {
            CompiledKeyValue(key: keyIDs[kv.key] ?? 0, value: value(kv.value), createRevision: kv.createRevision,
                             modRevision: kv.modRevision, version: kv.version)
        }
        var slots = [KeySlot](repeating: KeySlot(), count: keys.count)
        for kv in history.initialKeyValues {
            guard let id = keyIDs[kv.key] else { continue }
            slots[id] = KeySlot(value: value(kv.value), version: kv.version, createRevision: kv.createRevision,
                                modRevision: kv.modRevision)
        }
        initial = ModelState(revision: history.initialRevision, slots: slots)
        maxObservedRevision = history.initialRevision
        for index in operationIndices {
            let op = history.operations[index]
            var placementRevision: Int64?
            if let response = op.completion?.response {
                maxObservedRevision = max(maxObservedRevision, response.revision)
                let claims: Bool
                switch op.request {
                case .create, .update: claims = response.succeeded
                case .delete(_, let rv): claims = response.succeeded && rv != nil && rv != 0
                case .get, .range: claims = false
                }
                if claims {
                    claimedRevisions.insert(response.revision)
                    placementRevision = response.revision &- 1
                } else if op.leavesStoreUnchanged {
                    placementRevision = response.revision
                }
            }
            let request: CompiledRequest
            switch op.request {
            case .create(let key, let v):
                request = .create(key: keyIDs[key] ?? 0, value: value(v))
            case .update(let key, let v, let rv):
                request = .update(key: keyIDs[key] ?? 0, value: value(v), expectedModRevision: rv)
            case .delete(let key, let rv):
                request = .delete(key: keyIDs[key] ?? 0, expectedModRevision: rv)
            case .get(let key):
                request = .get(key: keyIDs[key] ?? 0)
            case .range(let prefix):
                request = .range(prefix: prefixIDs[prefix] ?? 0)
            }
            let response = op.completion.map {
                CompiledResponse(succeeded: $0.response.succeeded, revision: $0.response.revision,
                                 kvs: $0.response.kvs.map(compile))
            }
            operations.append(CompiledOperation(request: request, response: response,
                                                placementRevision: placementRevision))
        }
    }

    /// The model's transition: the state after `op`, or nil when its recorded response is not
    /// the one the model gives.
    ///
    /// An indeterminate operation accepts any outcome, but is only placed where taking effect
    /// could matter and could fit: it must change the store (a no-op is the same as never
    /// happening, which is always allowed), and the revision it creates must be one no completed
    /// write claims (that write could then never be placed) and no higher than any response
    /// reports (no completed operation could be placed after it). This keeps indeterminate
    /// writes, which etcd's robustness tests patch away using the WAL, from blowing up the search.
    func step(_ state: ModelState, _ op: CompiledOperation) -> ModelState? {
        guard let next = apply(state, op) else { return nil }
        if op.response == nil {
            guard next.revision != state.revision, next.revision <= maxObservedRevision,
                  !claimedRevisions.contains(next.revision) else { return nil }
        }
        return next
    }

    private func apply(_ state: ModelState, _ op: CompiledOperation) -> ModelState? {
        var next = state
        let succeeded: Bool
        var current: (key: Int, slot: KeySlot)?
        switch op.request {
        case .create(let key, let value):
            succeeded = state.slots[key].modRevision == 0
            if succeeded {
                next.revision = state.revision &+ 1
                next.slots[key] = KeySlot(value: value, version: 1, createRevision: next.revision,
                                          modRevision: next.revision)
            }
        case .update(let key, let value, let rv):
            let slot = state.slots[key]
            succeeded = slot.modRevision == rv
            if succeeded {
                next.revision = state.revision &+ 1
                next.slots[key] = KeySlot(value: value, version: slot.version &+ 1,
                                          createRevision: slot.version == 0 ? next.revision : slot.createRevision,
                                          modRevision: next.revision)
            } else if slot.version != 0 {
                current = (key, slot)
            }
        case .delete(let key, let rv):
            let slot = state.slots[key]
            succeeded = rv.map { slot.modRevision == $0 } ?? true
            if succeeded {
                // Deleting a missing key changes nothing, so etcd keeps the revision.
                if slot.version != 0 {
                    next.revision = state.revision &+ 1
                    next.slots[key] = KeySlot()
                }
            } else if slot.version != 0 {
                current = (key, slot)
            }
        case .get(let key):
            guard let response = op.response else { return next }
            let slot = state.slots[key]
            guard response.succeeded, response.revision == state.revision else { return nil }
            if slot.version == 0 { return response.kvs.isEmpty ? next : nil }
            return response.kvs.count == 1 && response.kvs[0].matches(key: key, slot) ? next : nil
        case .range(let prefix):
            guard let response = op.response else { return next }
            guard response.succeeded, response.revision == state.revision else { return nil }
            var position = 0
            for key in prefixKeys[prefix] where state.slots[key].version != 0 {
                guard position < response.kvs.count, response.kvs[position].matches(key: key, state.slots[key])
                else { return nil }
                position += 1
            }
            return position == response.kvs.count ? next : nil
        }
        guard let response = op.response else { return next }
        guard response.succeeded == succeeded, response.revision == next.revision else { return nil }
        if let current {
            return response.kvs.count == 1 && response.kvs[0].matches(key: current.key, current.slot) ? next : nil
        }
        return response.kvs.isEmpty ? next : nil
    }
}

// MARK: - The search

/// The set of linearized operations, with an incrementally kept Zobrist hash.
private struct Bitset: Hashable {
    var words: [UInt64]
    var fingerprint: UInt64 = 0

    init(count: Int) { words = [UInt64](repeating: 0, count: (count + 63) / 64) }

    static func zobrist(_ i: Int) -> UInt64 {
        var z = UInt64(truncatingIfNeeded: i) &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    func contains(_ i: Int) -> Bool { words[i / 64] & (1 << UInt64(i % 64)) != 0 }

    mutating func toggle(_ i: Int) {
        words[i / 64] ^= 1 << UInt64(i % 64)
        fingerprint ^= Self.zobrist(i)
    }

    func hash(into hasher: inout Hasher) { hasher.combine(fingerprint) }
    static func == (a: Bitset, b: Bitset) -> Bool { a.fingerprint == b.fingerprint && a.words == b.words }
}

private struct CacheEntry: Hashable {
    var linearized: Bitset
    var state: ModelState
}

private struct Search {
    /// History index of each compiled operation.
    let operationIndices: [Int]
    let compiled: CompiledHistory

    /// Entry list: 0 is the head sentinel, `tail` the tail sentinel, entries in between.
    var isCall: [Bool] = [false]
    var entryOperation: [Int] = [-1]
    var match: [Int] = [-1]
    var next: [Int] = []
    var prev: [Int] = []
    var tail = 0

    init(history: History) {
        // An unanswered read constrains nothing (etcd's patchHistory drops failed reads).
        let indices = history.operations.indices.filter { i in
            let op = history.operations[i]
            return !(op.completion == nil && op.request.isRead)
        }
        operationIndices = indices
        compiled = CompiledHistory(history, operationIndices: indices)

        struct Event { var time: Int64; var isReturn: Bool; var operation: Int }
        var events: [Event] = []
        for (local, index) in indices.enumerated() {
            let op = history.operations[index]
            events.append(Event(time: op.call, isReturn: false, operation: local))
            if let completion = op.completion {
                events.append(Event(time: completion.time, isReturn: true, operation: local))
            }
        }
        // Calls sort before returns at the same instant: operations that touch are concurrent.
        events.sort { a, b in
            if a.time != b.time { return a.time < b.time }
            if a.isReturn != b.isReturn { return !a.isReturn }
            return a.operation < b.operation
        }
        var callEntry = [Int](repeating: -1, count: indices.count)
        for event in events {
            let entry = isCall.count
            isCall.append(!event.isReturn)
            entryOperation.append(event.operation)
            match.append(-1)
            if event.isReturn {
                let call = callEntry[event.operation]
                if call >= 0 { match[call] = entry; match[entry] = call }
            } else {
                callEntry[event.operation] = entry
            }
        }
        tail = isCall.count
        isCall.append(false)
        entryOperation.append(-1)
        match.append(-1)
        next = (0..<isCall.count).map { $0 + 1 }
        prev = (0..<isCall.count).map { $0 - 1 }
    }

    mutating func lift(_ entry: Int) {
        next[prev[entry]] = next[entry]
        prev[next[entry]] = prev[entry]
        let m = match[entry]
        if m >= 0 {
            next[prev[m]] = next[m]
            prev[next[m]] = prev[m]
        }
    }

    mutating func unlift(_ entry: Int) {
        let m = match[entry]
        if m >= 0 {
            next[prev[m]] = m
            prev[next[m]] = m
        }
        next[prev[entry]] = entry
        prev[next[entry]] = entry
    }

    mutating func run(budget: Int, cacheEntriesMax: Int) -> LinearizabilityResult {
        let count = compiled.operations.count
        var remainingReturns = compiled.operations.reduce(0) { $0 + ($1.response == nil ? 0 : 1) }
        var state = compiled.initial
        var linearized = Bitset(count: count)
        var stack: [(entry: Int, state: ModelState)] = []
        var cache = Set<CacheEntry>()
        var best: [Int] = []
        var blocked: [Int]?
        var steps = 0
        var entry = next[0]
        // Unplaced operations per placement revision. The revision never goes back, so leaving
        // a revision while one of its operations is unplaced strands it: prune that at once
        // instead of finding out at its return, which may be far down the list.
        var unplacedAt: [Int64: Int] = [:]
        for op in compiled.operations { if let r = op.placementRevision { unplacedAt[r, default: 0] += 1 } }
        var stranded: [Int] = []

        func historyIndices(_ locals: [Int]) -> [Int] { locals.map { operationIndices[$0] } }

        while remainingReturns > 0 {
            steps += 1
            if steps > budget {
                return LinearizabilityResult(verdict: .unknown, linearization: historyIndices(best), unplaced: [],
                                             steps: steps, reason: "step budget of \(budget) exhausted")
            }
            if cache.count > cacheEntriesMax {
                return LinearizabilityResult(verdict: .unknown, linearization: historyIndices(best), unplaced: [],
                                             steps: steps, reason: "cache limit of \(cacheEntriesMax) entries reached")
            }
            if entry != tail, isCall[entry] {
                let op = entryOperation[entry]
                let operation = compiled.operations[op]
                if let after = compiled.step(state, operation) {
                    let own = operation.placementRevision == state.revision ? 1 : 0
                    if after.revision != state.revision, (unplacedAt[state.revision] ?? 0) > own {
                        if stack.count == best.count, stranded.isEmpty {
                            stranded = compiled.operations.indices.filter {
                                $0 != op && !linearized.contains($0)
                                    && compiled.operations[$0].placementRevision == state.revision
                            }
                        }
                        entry = next[entry]
                        continue
                    }
                    linearized.toggle(op)
                    if cache.insert(CacheEntry(linearized: linearized, state: after)).inserted {
                        if let r = operation.placementRevision { unplacedAt[r, default: 0] -= 1 }
                        stack.append((entry, state))
                        state = after
                        lift(entry)
                        if match[entry] >= 0 { remainingReturns -= 1 }
                        if stack.count > best.count {
                            best = stack.map { entryOperation[$0.entry] }
                            blocked = nil
                            stranded = []
                        }
                        entry = next[0]
                        continue
                    }
                    linearized.toggle(op)
                }
                entry = next[entry]
            } else {
                // The return of an operation not yet placed: nothing before it fits here.
                if blocked == nil, stack.count == best.count {
                    var candidates: [Int] = []
                    var e = next[0]
                    while e != entry, e != tail {
                        if isCall[e] { candidates.append(entryOperation[e]) }
                        e = next[e]
                    }
                    if entry != tail, !candidates.contains(entryOperation[entry]) {
                        candidates.append(entryOperation[entry])
                    }
                    blocked = candidates
                }
                guard let (top, before) = stack.popLast() else {
                    let unplaced = historyIndices(Array(Set((blocked ?? []) + stranded))).sorted()
                    return LinearizabilityResult(verdict: .notLinearizable, linearization: historyIndices(best),
                                                 unplaced: unplaced, steps: steps, reason: "")
                }
                linearized.toggle(entryOperation[top])
                if let r = compiled.operations[entryOperation[top]].placementRevision { unplacedAt[r, default: 0] += 1 }
                state = before
                unlift(top)
                if match[top] >= 0 { remainingReturns += 1 }
                entry = next[top]
            }
        }
        let order = stack.map { entryOperation[$0.entry] }
        return LinearizabilityResult(verdict: .linearizable, linearization: historyIndices(order), unplaced: [],
                                     steps: steps, reason: "")
    }
}

// MARK: - The sequential specification

extension LinearizabilityChecker {
    /// etcd's store as a plain sequential object: what each request returns when run alone.
    /// The checker's compiled model follows it; tests and the shrinker use it to replay.
    struct SequentialModel: Equatable, Sendable {
        private(set) var revision: Int64
        private var byKey: [String: ObservedKeyValue]

        init(revision: Int64 = 1, keyValues: [ObservedKeyValue] = []) {
            self.revision = revision
            byKey = [:]
            for kv in keyValues { byKey[kv.key] = kv }
        }

        /// Live key-values in key byte order.
        var keyValues: [ObservedKeyValue] {
            byKey.values.sorted { JSON.utf8Less($0.key, $1.key) }
        }

        func get(_ key: String) -> ObservedKeyValue? { byKey[key] }

        mutating func apply(_ request: KVRequest) -> KVResponse {
            switch request {
            case .create(let key, let value):
                guard byKey[key] == nil else { return .failed(revision: revision) }
                revision &+= 1
                byKey[key] = ObservedKeyValue(key: key, value: value, createRevision: revision,
                                              modRevision: revision, version: 1)
                return .ok(revision: revision)
            case .update(let key, let value, let rv):
                let current = byKey[key]
                guard (current?.modRevision ?? 0) == rv else { return .failed(revision: revision, current: current) }
                revision &+= 1
                byKey[key] = ObservedKeyValue(key: key, value: value, createRevision: current?.createRevision ?? revision,
                                              modRevision: revision, version: (current?.version ?? 0) &+ 1)
                return .ok(revision: revision)
            case .delete(let key, let rv):
                let current = byKey[key]
                if let rv, (current?.modRevision ?? 0) != rv { return .failed(revision: revision, current: current) }
                if current != nil {
                    revision &+= 1
                    byKey[key] = nil
                }
                return .ok(revision: revision)
            case .get(let key):
                return .read(revision: revision, kvs: byKey[key].map { [$0] } ?? [])
            case .range(let prefix):
                return .read(revision: revision, kvs: keyValues.filter { $0.key.utf8.starts(with: prefix.utf8) })
            }
        }
    }
}
