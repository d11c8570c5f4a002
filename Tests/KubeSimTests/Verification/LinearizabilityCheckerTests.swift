import XCTest
@testable import KubeSim

/// Known-good and known-bad histories over etcd's revision model
/// (Reference: etcd tests/robustness/model/deterministic.go; Lowe, "Testing for Linearizability").
final class LinearizabilityCheckerTests: XCTestCase {
    let a = "/registry/pods/default/a"
    let b = "/registry/pods/default/b"
    let checker = LinearizabilityChecker()

    func verdict(_ ops: [HistoryOperation], file: StaticString = #filePath, line: UInt = #line) -> LinearizabilityResult.Verdict {
        checker.check(History(operations: ops)).verdict
    }

    func testSequentialKubernetesWorkloadIsLinearizable() {
        let ops = [
            H.op(1, 0, 1, .create(key: a, value: "v1"), .ok(revision: 2)),
            H.op(1, 2, 3, .update(key: a, value: "v2", expectedModRevision: 2), .ok(revision: 3)),
            H.op(2, 4, 5, .update(key: a, value: "v3", expectedModRevision: 2),
                 .failed(revision: 3, current: H.kv(a, "v2", create: 2, mod: 3, version: 2))),
            H.op(2, 6, 7, .get(key: a), .read(revision: 3, kvs: [H.kv(a, "v2", create: 2, mod: 3, version: 2)])),
            H.op(1, 8, 9, .create(key: b, value: "w1"), .ok(revision: 4)),
            H.op(2, 10, 11, .range(prefix: "/registry/pods/"),
                 .read(revision: 4, kvs: [H.kv(a, "v2", create: 2, mod: 3, version: 2),
                                          H.kv(b, "w1", create: 4, mod: 4, version: 1)])),
            H.op(1, 12, 13, .delete(key: a, expectedModRevision: 3), .ok(revision: 5)),
            H.op(2, 14, 15, .get(key: a), .read(revision: 5, kvs: [])),
            H.op(1, 16, 17, .create(key: a, value: "v4"), .ok(revision: 6)),
            H.op(2, 18, 19, .get(key: a), .read(revision: 6, kvs: [H.kv(a, "v4", create: 6, mod: 6, version: 1)])),
        ]
        let result = checker.check(History(operations: ops))
        XCTAssertEqual(result.verdict, .linearizable)
        XCTAssertEqual(result.linearization, Array(0..<10))
    }

    func testConcurrentOperationsMayTakeEffectInEitherOrder() {
        // The read overlaps the create and saw it; the first create lost the race though it was called first.
        let ops = [
            H.op(1, 0, 10, .create(key: a, value: "x"), .failed(revision: 2)),
            H.op(2, 1, 5, .create(key: a, value: "y"), .ok(revision: 2)),
            H.op(3, 2, 3, .get(key: a), .read(revision: 2, kvs: [H.kv(a, "y", create: 2, mod: 2, version: 1)])),
        ]
        let result = checker.check(History(operations: ops))
        XCTAssertEqual(result.verdict, .linearizable)
        XCTAssertEqual(result.linearization, [1, 0, 2])
    }

    func testStaleReadAfterNewerWriteCompletedIsNotLinearizable() {
        let ops = [
            H.op(1, 0, 1, .create(key: a, value: "v1"), .ok(revision: 2)),
            H.op(1, 2, 3, .update(key: a, value: "v2", expectedModRevision: 2), .ok(revision: 3)),
            H.op(2, 4, 5, .get(key: a), .read(revision: 2, kvs: [H.kv(a, "v1", create: 2, mod: 2, version: 1)])),
        ]
        let result = checker.check(History(operations: ops))
        XCTAssertEqual(result.verdict, .notLinearizable)
        // The update must come before the read (real time) and after it (the read saw rev 2).
        XCTAssertEqual(result.linearization, [0])
        XCTAssertEqual(result.unplaced, [1, 2])
    }

    func testTwoCreatesOfOneKeyBothSucceedingIsNotLinearizable() {
        let ops = [
            H.op(1, 0, 5, .create(key: a, value: "x"), .ok(revision: 2)),
            H.op(2, 1, 6, .create(key: a, value: "y"), .ok(revision: 3)),
        ]
        XCTAssertEqual(verdict(ops), .notLinearizable)
    }

    func testSkippedRevisionIsNotLinearizable() {
        let ops = [
            H.op(1, 0, 1, .create(key: a, value: "x"), .ok(revision: 2)),
            H.op(1, 2, 3, .create(key: b, value: "y"), .ok(revision: 4)),
        ]
        XCTAssertEqual(verdict(ops), .notLinearizable)
    }

    func testReusedRevisionIsNotLinearizable() {
        let ops = [
            H.op(1, 0, 4, .create(key: a, value: "x"), .ok(revision: 2)),
            H.op(2, 1, 5, .create(key: b, value: "y"), .ok(revision: 2)),
        ]
        XCTAssertEqual(verdict(ops), .notLinearizable)
    }

    func testRevisionGoingBackwardsIsNotLinearizable() {
        // etcd #17780's symptom: after an acked write at rev 3, a later read reports rev 2.
        let ops = [
            H.op(1, 0, 1, .create(key: a, value: "x"), .ok(revision: 2)),
            H.op(1, 2, 3, .create(key: b, value: "y"), .ok(revision: 3)),
            H.op(2, 4, 5, .get(key: b), .read(revision: 2, kvs: [])),
        ]
        XCTAssertEqual(verdict(ops), .notLinearizable)
    }

    func testUpdateSucceedingAgainstStaleModRevisionIsNotLinearizable() {
        let ops = [
            H.op(1, 0, 1, .create(key: a, value: "v1"), .ok(revision: 2)),
            H.op(1, 2, 3, .update(key: a, value: "v2", expectedModRevision: 2), .ok(revision: 3)),
            H.op(2, 4, 5, .update(key: a, value: "v3", expectedModRevision: 2), .ok(revision: 4)),
        ]
        XCTAssertEqual(verdict(ops), .notLinearizable)
    }

    func testConflictMustReportTheCurrentObject() {
        let ops = [
            H.op(1, 0, 1, .create(key: a, value: "v1"), .ok(revision: 2)),
            H.op(2, 2, 3, .update(key: a, value: "v3", expectedModRevision: 7),
                 .failed(revision: 2, current: H.kv(a, "v0", create: 2, mod: 2, version: 1))),
        ]
        XCTAssertEqual(verdict(ops), .notLinearizable)
    }

    func testReadOfValueNeverWrittenIsNotLinearizable() {
        let ops = [
            H.op(1, 0, 1, .create(key: a, value: "v1"), .ok(revision: 2)),
            H.op(2, 2, 3, .get(key: a), .read(revision: 2, kvs: [H.kv(a, "ghost", create: 2, mod: 2, version: 1)])),
        ]
        XCTAssertEqual(verdict(ops), .notLinearizable)
    }

    func testListMissingAKeyIsNotLinearizable() {
        let ops = [
            H.op(1, 0, 1, .create(key: a, value: "v1"), .ok(revision: 2)),
            H.op(1, 2, 3, .create(key: b, value: "w1"), .ok(revision: 3)),
            H.op(2, 4, 5, .range(prefix: "/registry/pods/"),
                 .read(revision: 3, kvs: [H.kv(b, "w1", create: 3, mod: 3, version: 1)])),
        ]
        XCTAssertEqual(verdict(ops), .notLinearizable)
    }

    func testIndeterminateWriteThatTookEffectLaterIsLinearizable() {
        // The update timed out at 3 ms; a read at 10 ms shows it applied, after a create of b.
        let ops = [
            H.op(1, 0, 1, .create(key: a, value: "v1"), .ok(revision: 2)),
            H.op(1, 2, nil, .update(key: a, value: "v2", expectedModRevision: 2), nil),
            H.op(2, 5, 6, .create(key: b, value: "w1"), .ok(revision: 3)),
            H.op(2, 10, 11, .get(key: a), .read(revision: 4, kvs: [H.kv(a, "v2", create: 2, mod: 4, version: 2)])),
        ]
        let result = checker.check(History(operations: ops))
        XCTAssertEqual(result.verdict, .linearizable)
        XCTAssertEqual(result.linearization, [0, 2, 1, 3])
    }

    func testIndeterminateWriteThatNeverTookEffectIsLinearizable() {
        let ops = [
            H.op(1, 0, 1, .create(key: a, value: "v1"), .ok(revision: 2)),
            H.op(1, 2, nil, .update(key: a, value: "v2", expectedModRevision: 2), nil),
            H.op(2, 10, 11, .get(key: a), .read(revision: 2, kvs: [H.kv(a, "v1", create: 2, mod: 2, version: 1)])),
            H.op(3, 12, nil, .get(key: a), nil),
        ]
        let result = checker.check(History(operations: ops))
        XCTAssertEqual(result.verdict, .linearizable)
        XCTAssertEqual(result.linearization, [0, 2])
    }

    func testIndeterminateWriteCannotTakeEffectBeforeItsCall() {
        let ops = [
            H.op(1, 0, 1, .create(key: a, value: "v1"), .ok(revision: 2)),
            H.op(2, 2, 3, .get(key: a), .read(revision: 3, kvs: [H.kv(a, "v2", create: 2, mod: 3, version: 2)])),
            H.op(1, 5, nil, .update(key: a, value: "v2", expectedModRevision: 2), nil),
        ]
        XCTAssertEqual(verdict(ops), .notLinearizable)
    }

    func testDeleteOfMissingKeyKeepsTheRevision() {
        let ops = [
            H.op(1, 0, 1, .delete(key: a, expectedModRevision: nil), .ok(revision: 1)),
            H.op(1, 2, 3, .create(key: a, value: "v1"), .ok(revision: 2)),
        ]
        XCTAssertEqual(verdict(ops), .linearizable)
    }

    func testHistoryStartingFromANonEmptyStore() {
        let history = History(operations: [
            H.op(1, 0, 1, .update(key: a, value: "v2", expectedModRevision: 7), .ok(revision: 11)),
        ], initialRevision: 10, initialKeyValues: [H.kv(a, "v1", create: 5, mod: 7, version: 3)])
        XCTAssertEqual(checker.check(history).verdict, .linearizable)
    }

    func testMalformedHistoryIsUnknownNotATrap() {
        let ops = [H.op(1, 5, 1, .get(key: a), .read(revision: 1, kvs: []))]
        let result = checker.check(History(operations: ops))
        XCTAssertEqual(result.verdict, .unknown)
        XCTAssertEqual(result.reason, "malformed history: operation 0 returns before its call")
        XCTAssertEqual(History(operations: ops).malformations(), ["operation 0 returns at 1000000 before its call at 5000000"])
    }

    func testStepBudgetGivesUnknown() {
        let history = HistoryGenerator().generate(seed: 7)
        let result = LinearizabilityChecker(stepBudget: 50).check(history)
        XCTAssertEqual(result.verdict, .unknown)
        XCTAssertEqual(result.reason, "step budget of 50 exhausted")
    }

    func testEmptyHistoryIsLinearizable() {
        XCTAssertEqual(verdict([]), .linearizable)
    }

    // MARK: - Randomized

    func testGeneratedHistoriesAreLinearizable() {
        for seed in UInt64(1)...40 {
            let history = HistoryGenerator().generate(seed: seed)
            XCTAssertEqual(history.malformations(), [], "seed \(seed)")
            let result = checker.check(history)
            XCTAssertEqual(result.verdict, .linearizable, "seed \(seed): \(result.reason)")
        }
    }

    func testGeneratedHistoriesWithHeavyOverlapAreLinearizable() {
        var generator = HistoryGenerator()
        generator.clients = 10
        generator.gapNanosMax = 100_000
        generator.spanNanosMax = 20_000_000
        generator.indeterminateRate = 0.1
        for seed in UInt64(100)...110 {
            let result = checker.check(generator.generate(seed: seed))
            XCTAssertEqual(result.verdict, .linearizable, "seed \(seed): \(result.reason)")
        }
    }

    /// Mutations that no linearization can explain: each must be caught.
    func testProvablyIllegalMutationsAreDetected() {
        var generator = HistoryGenerator()
        generator.indeterminateRate = 0
        var checked = 0
        for seed in UInt64(1)...30 {
            let history = generator.generate(seed: seed)
            var rng = SeededRandom(seed: seed, stream: "mutation")
            let ops = history.operations
            let successfulWrites = ops.indices.filter { !ops[$0].request.isRead && ops[$0].completion?.response.succeeded == true }
            let reads = ops.indices.filter { ops[$0].request.isRead && ops[$0].completion != nil }
            let readsWithValues = reads.filter { !(ops[$0].completion?.response.kvs.isEmpty ?? true) }

            var mutations: [(String, History)] = []
            // Two successful writes claiming one revision.
            if successfulWrites.count >= 2 {
                var m = history
                let i = successfulWrites[rng.int(below: successfulWrites.count)]
                let j = successfulWrites.first { $0 != i } ?? i
                m.operations[i].completion?.response.revision = ops[j].completion?.response.revision ?? 0
                mutations.append(("reused revision", m))
            }
            // A read at a revision no sequence of these writes reaches.
            if let i = reads.first {
                var m = history
                m.operations[i].completion?.response.revision = Int64(ops.count) + 2
                mutations.append(("future revision", m))
            }
            // A read returning a value nobody wrote.
            if !readsWithValues.isEmpty {
                var m = history
                let i = readsWithValues[rng.int(below: readsWithValues.count)]
                m.operations[i].completion?.response.kvs[0].value = "never-written"
                mutations.append(("value never written", m))
            }
            // A successful write reported as a failed compare: its revision then has no writer.
            if !successfulWrites.isEmpty {
                var m = history
                let i = successfulWrites[rng.int(below: successfulWrites.count)]
                m.operations[i].completion?.response.succeeded = false
                mutations.append(("success reported as conflict", m))
            }
            for (name, mutated) in mutations {
                let result = checker.check(mutated)
                XCTAssertEqual(result.verdict, .notLinearizable, "seed \(seed): \(name)")
                checked += 1
            }
        }
        XCTAssertGreaterThanOrEqual(checked, 100)
    }

    /// A revision off by one on a random response: usually illegal, but a read or failed write
    /// that overlaps a write to another key may legally move to its other side (29 of 40 here
    /// are caught; each miss is such a read or failed write, and the brute-force test below
    /// confirms the checker on small histories).
    func testRandomRevisionMutationsAreMostlyDetected() {
        var detected = 0, total = 0
        for seed in UInt64(1)...40 {
            let history = HistoryGenerator().generate(seed: seed)
            var rng = SeededRandom(seed: seed, stream: "off-by-one")
            let completed = history.operations.indices.filter { history.operations[$0].completion != nil }
            guard !completed.isEmpty else { continue }
            var mutated = history
            let i = completed[rng.int(below: completed.count)]
            let delta: Int64 = rng.int(below: 2) == 0 ? 1 : -1
            mutated.operations[i].completion?.response.revision += delta
            let verdict = checker.check(mutated).verdict
            XCTAssertNotEqual(verdict, .unknown, "seed \(seed)")
            if verdict == .notLinearizable { detected += 1 }
            total += 1
        }
        XCTAssertGreaterThanOrEqual(detected * 100, total * 65, "detected \(detected) of \(total)")
    }

    func testCheckIsDeterministic() {
        var generator = HistoryGenerator()
        generator.indeterminateRate = 0.1
        let history = generator.generate(seed: 3)
        var broken = history
        if let i = broken.operations.indices.first(where: { broken.operations[$0].request.isRead && broken.operations[$0].completion != nil }) {
            broken.operations[i].completion?.response.revision = 999
        }
        for h in [history, broken] {
            let first = checker.check(h)
            for _ in 0..<3 { XCTAssertEqual(checker.check(h), first) }
        }
    }
}

/// The search against a brute force over every real-time-respecting order (and every choice
/// of which indeterminate operations took effect), on small random histories, mutated or not.
final class LinearizabilityBruteForceTests: XCTestCase {
    /// True when some order of the operations explains every response.
    static func bruteForce(_ history: History) -> Bool {
        let ops = history.operations
        func precedes(_ a: Int, _ b: Int) -> Bool {
            guard let end = ops[a].completion?.time else { return false }
            return end < ops[b].call
        }
        var placed = [Bool](repeating: false, count: ops.count)
        func search(_ model: LinearizabilityChecker.SequentialModel) -> Bool {
            let pending = ops.indices.filter { !placed[$0] && ops[$0].completion != nil }
            if pending.isEmpty { return true }
            for i in ops.indices where !placed[i] {
                // Everything that returned before i was called must already be placed.
                guard !ops.indices.contains(where: { !placed[$0] && $0 != i && ops[$0].completion != nil && precedes($0, i) })
                else { continue }
                var next = model
                let response = next.apply(ops[i].request)
                if let recorded = ops[i].completion?.response, recorded != response { continue }
                placed[i] = true
                defer { placed[i] = false }
                if search(next) { return true }
            }
            return false
        }
        return search(LinearizabilityChecker.SequentialModel(revision: history.initialRevision,
                                                             keyValues: history.initialKeyValues))
    }

    func mutate(_ history: History, _ rng: inout SeededRandom) -> History {
        var m = history
        let completed = m.operations.indices.filter { m.operations[$0].completion != nil }
        guard !completed.isEmpty else { return m }
        let i = completed[rng.int(below: completed.count)]
        switch rng.int(below: 4) {
        case 0: m.operations[i].completion?.response.revision += rng.int(below: 2) == 0 ? 1 : -1
        case 1: m.operations[i].completion?.response.succeeded.toggle()
        case 2:
            if m.operations[i].completion?.response.kvs.isEmpty == false {
                m.operations[i].completion?.response.kvs.removeLast()
            } else {
                m.operations[i].completion?.response.kvs = [H.kv(HistoryGenerator.key(0), "x", create: 2, mod: 2, version: 1)]
            }
        default:
            // Swap the timing of two operations' returns: breaks real-time order more often than not.
            let j = completed[rng.int(below: completed.count)]
            let t = m.operations[i].completion?.time ?? 0
            let time = max(m.operations[i].call, m.operations[j].completion?.time ?? t)
            m.operations[i].completion?.time = time
        }
        return m
    }

    func testSearchAgreesWithBruteForce() {
        var generator = HistoryGenerator()
        generator.clients = 3
        generator.operations = 8
        generator.keys = 2
        generator.indeterminateRate = 0.15
        var agreeLinearizable = 0, agreeNot = 0
        for seed in UInt64(1)...1_000 {
            var history = generator.generate(seed: seed)
            var rng = SeededRandom(seed: seed, stream: "brute")
            if seed % 4 != 0 { history = mutate(history, &rng) }
            let expected = Self.bruteForce(history)
            let verdict = LinearizabilityChecker().check(history).verdict
            XCTAssertEqual(verdict, expected ? .linearizable : .notLinearizable,
                           "seed \(seed)\n" + HistoryPrinter.render(history))
            if expected { agreeLinearizable += 1 } else { agreeNot += 1 }
        }
        XCTAssertGreaterThan(agreeLinearizable, 250)
        XCTAssertGreaterThan(agreeNot, 250)
    }
}
