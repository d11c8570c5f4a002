import XCTest
@testable import KubeSim

final class HistoryShrinkerTests: XCTestCase {
    let a = "/registry/pods/default/a"

    func testPrinterRendersOneLinePerOperation() {
        let history = History(operations: [
            HistoryOperation(clientID: 3, request: .update(key: a, value: "c3-5", expectedModRevision: 17),
                             call: 12_001_000_000, returned: 12_014_000_000, response: .ok(revision: 18)),
            HistoryOperation(clientID: 1, request: .create(key: a, value: "c1-1"), call: 3_000_000, returned: 4_500_000,
                             response: .failed(revision: 17)),
            HistoryOperation(clientID: 2, request: .get(key: a), call: 12_020_000_000, returned: 12_021_000_000,
                             response: .read(revision: 18, kvs: [H.kv(a, "c3-5", create: 4, mod: 18, version: 3)])),
            HistoryOperation(clientID: 4, request: .delete(key: a, expectedModRevision: 18), call: 13_000_000_000,
                             completion: nil),
            HistoryOperation(clientID: 5, request: .update(key: a, value: "c5-1", expectedModRevision: 3),
                             call: 14_000_000_000, returned: 14_002_000_000,
                             response: .failed(revision: 18, current: H.kv(a, "c3-5", create: 4, mod: 18, version: 3))),
            HistoryOperation(clientID: 5, request: .range(prefix: "/registry/pods/"), call: 15_000_000_000,
                             returned: 15_000_500_000, response: .read(revision: 18, kvs: [])),
        ], initialRevision: 17, initialKeyValues: [H.kv(a, "c0-0", create: 4, mod: 17, version: 2)])
        XCTAssertEqual(HistoryPrinter.render(history, marking: [2]), """
            initial rev=17 /registry/pods/default/a="c0-0"(create=4 mod=17 ver=2)
            c1 [0.003s → 0.004s] create /registry/pods/default/a "c1-1" → failed rev=17
            c3 [12.001s → 12.014s] update /registry/pods/default/a rv=17 "c3-5" → ok rev=18
            c2 [12.020s → 12.021s] get /registry/pods/default/a → rev=18 /registry/pods/default/a="c3-5"(create=4 mod=18 ver=3)  ← not linearizable
            c4 [13.000s → ?] delete /registry/pods/default/a rv=18 → unknown
            c5 [14.000s → 14.002s] update /registry/pods/default/a rv=3 "c5-1" → failed rev=18 current /registry/pods/default/a="c3-5"(create=4 mod=18 ver=3)
            c5 [15.000s → 15.000s] range /registry/pods/ → rev=18 (none)
            """)
    }

    /// A correct generated history with one stale read planted in the middle.
    func staleReadHistory(seed: UInt64) -> History {
        var generator = HistoryGenerator()
        generator.clients = 4
        generator.operations = 120
        generator.indeterminateRate = 0
        var history = generator.generate(seed: seed)
        let ops = history.operations
        // A read called after some successful write returned, answered as of before that write.
        let order = ops.indices.sorted { (ops[$0].call, $0) < (ops[$1].call, $1) }
        for index in order.dropFirst(ops.count / 2) {
            guard case .get = ops[index].request, let response = ops[index].completion?.response else { continue }
            let earlierWrite = ops.indices.contains { w in
                guard !ops[w].request.isRead, let c = ops[w].completion, c.response.succeeded else { return false }
                return c.time < ops[index].call && c.response.revision == response.revision
            }
            guard earlierWrite else { continue }
            history.operations[index].completion?.response.revision = response.revision - 1
            return history
        }
        return history
    }

    func testShrinksAStaleReadToAFewOperations() {
        let checker = LinearizabilityChecker()
        for seed in UInt64(1)...5 {
            let history = staleReadHistory(seed: seed)
            XCTAssertEqual(checker.check(history).verdict, .notLinearizable, "seed \(seed)")
            let shrunk = HistoryShrinker().shrink(history)
            XCTAssertEqual(checker.check(shrunk).verdict, .notLinearizable, "seed \(seed)")
            XCTAssertLessThanOrEqual(shrunk.operations.count, 4, "seed \(seed):\n" + HistoryPrinter.render(shrunk))
            // Every kept operation is an unchanged record of the original.
            for op in shrunk.operations { XCTAssertTrue(history.operations.contains(op), "seed \(seed)") }
        }
    }

    func testShrinksTwoSuccessfulCreatesOfOneKey() {
        var ops: [HistoryOperation] = []
        var model = LinearizabilityChecker.SequentialModel()
        for i in 0..<30 {
            let key = "/registry/pods/default/p\(i % 5)"
            let request: KVRequest = i % 3 == 0 ? .create(key: key, value: "v\(i)") : .get(key: key)
            let response = model.apply(request)
            ops.append(H.op(i % 3, Int64(i) * 10, Int64(i) * 10 + 5, request, response))
        }
        // Client 9 creates p0 again, concurrently with nothing, and is told it succeeded.
        let revision = model.revision + 1
        ops.append(H.op(9, 400, 405, .create(key: "/registry/pods/default/p0", value: "dup"), .ok(revision: revision)))
        ops.append(H.op(9, 410, 415, .get(key: "/registry/pods/default/p1"), model.apply(.get(key: "/registry/pods/default/p1"))))
        let history = History(operations: ops)
        XCTAssertEqual(LinearizabilityChecker().check(history).verdict, .notLinearizable)
        let shrunk = HistoryShrinker().shrink(history)
        XCTAssertEqual(shrunk.operations.map { HistoryPrinter.line($0) },
                       ["c9 [0.400s → 0.405s] create /registry/pods/default/p0 \"dup\" → ok rev=\(revision)"])
        XCTAssertEqual(shrunk.initialRevision, model.revision)
    }

    func testFoldsAnIndeterminateWriteWhoseValueWasSeen() {
        let b = "/registry/pods/default/b"
        let ops = [
            H.op(1, 0, 1, .create(key: a, value: "a1"), .ok(revision: 2)),
            // Timed out, but took effect at rev 3: a later read shows its value.
            H.op(2, 2, nil, .update(key: a, value: "a2", expectedModRevision: 2), nil),
            H.op(3, 5, 6, .get(key: a), .read(revision: 3, kvs: [H.kv(a, "a2", create: 2, mod: 3, version: 2)])),
            H.op(1, 7, 8, .create(key: b, value: "b1"), .ok(revision: 4)),
            H.op(3, 9, 10, .get(key: b), .read(revision: 4, kvs: [H.kv(b, "b1", create: 4, mod: 4, version: 1)])),
            H.op(1, 11, 12, .update(key: b, value: "b2", expectedModRevision: 4), .ok(revision: 5)),
            // Stale: b2 was acknowledged before this read began.
            H.op(3, 13, 14, .get(key: b), .read(revision: 4, kvs: [H.kv(b, "b1", create: 4, mod: 4, version: 1)])),
            H.op(1, 15, 16, .update(key: a, value: "a3", expectedModRevision: 3), .ok(revision: 6)),
        ]
        let shrunk = HistoryShrinker().shrink(History(operations: ops))
        XCTAssertEqual(HistoryPrinter.render(shrunk), """
            initial rev=4 /registry/pods/default/a="a2"(create=2 mod=3 ver=2) /registry/pods/default/b="b1"(create=4 mod=4 ver=1)
            c1 [0.011s → 0.012s] update /registry/pods/default/b rv=4 "b2" → ok rev=5
            c3 [0.013s → 0.014s] get /registry/pods/default/b → rev=4 /registry/pods/default/b="b1"(create=4 mod=4 ver=1)
            """)
    }

    /// The shrinker's removals never invent a violation: every revision cut of a linearizable
    /// history (with indeterminate writes, seen and unseen) is linearizable too.
    func testRevisionCutsOfALinearizableHistoryStayLinearizable() {
        var generator = HistoryGenerator()
        generator.operations = 60
        generator.indeterminateRate = 0.15
        let checker = LinearizabilityChecker()
        var cuts = 0
        for seed in UInt64(1)...30 {
            let history = generator.generate(seed: seed)
            XCTAssertEqual(checker.check(history).verdict, .linearizable)
            for cut in HistoryShrinker()._revisionCuts(history) {
                XCTAssertEqual(checker.check(cut).verdict, .linearizable, "seed \(seed)\n" + HistoryPrinter.render(cut))
                cuts += 1
            }
        }
        XCTAssertGreaterThan(cuts, 500)
    }

    func testLinearizableHistoryIsReturnedUnchanged() {
        let history = HistoryGenerator().generate(seed: 11)
        XCTAssertEqual(HistoryShrinker().shrink(history), history)
    }
}
