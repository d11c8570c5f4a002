import XCTest
@testable import KubeSim

/// Drives the real single-member `MVCCStore` from simulated clients with overlapping requests,
/// then checks the recorded history and the watch streams served from its event log.
final class MVCCStoreHistoryTests: XCTestCase {
    static let prefix = "/registry/pods/default/"

    /// Sends `request` to the store as the API server's etcd3 layer does.
    func send(_ request: KVRequest, to store: inout MVCCStore) -> KVResponse {
        func modEquals(_ key: String, _ rv: Int64) -> [Txn.Compare] {
            [Txn.Compare(key: key, target: .modRevision, relation: .equal, value: rv)]
        }
        let txn: Txn
        switch request {
        case .create(let key, let value):
            txn = Txn(compares: modEquals(key, 0), success: [.put(key: key, value: .string(value))])
        case .update(let key, let value, let rv):
            txn = Txn(compares: modEquals(key, rv), success: [.put(key: key, value: .string(value))], failure: [.get(key: key)])
        case .delete(let key, let rv):
            txn = Txn(compares: rv.map { modEquals(key, $0) } ?? [], success: [.delete(key: key)], failure: [.get(key: key)])
        case .get(let key):
            txn = Txn(success: [.get(key: key)])
        case .range(let prefix):
            guard case .success(let kvs) = store.range(prefix: prefix, revision: nil) else {
                return .read(revision: -1, kvs: [])
            }
            return .read(revision: store.revision, kvs: kvs.map(ObservedKeyValue.init))
        }
        let result = store.txn(txn)
        var kvs: [ObservedKeyValue] = []
        for case .get(let kv?) in result.results { kvs.append(ObservedKeyValue(kv)) }
        return KVResponse(succeeded: result.succeeded, revision: result.revision, kvs: kvs)
    }

    /// Values as the store returns them: serialized JSON strings.
    func stored(_ request: KVRequest) -> KVRequest {
        switch request {
        case .create(let key, let value): return .create(key: key, value: JSON.string(value).serialized())
        case .update(let key, let value, let rv):
            return .update(key: key, value: JSON.string(value).serialized(), expectedModRevision: rv)
        case .delete, .get, .range: return request
        }
    }

    struct Run {
        var history: History
        var store: MVCCStore
        /// Header revision of each list, and when it happened, for watchers.
        var lists: [(revision: Int64, time: Int64)]
    }

    func run(seed: UInt64, clients: Int = 5, operations: Int = 300) -> Run {
        var generator = HistoryGenerator()
        generator.clients = clients
        generator.operations = operations
        generator.indeterminateRate = 0.05
        var rng = SeededRandom(seed: seed, stream: "store")
        let planned = generator.plan(&rng)
        var store = MVCCStore()
        // Requests reach the store at their linearization point, one at a time.
        var requests = [KVRequest](repeating: .get(key: ""), count: planned.count)
        var responses: [KVResponse?] = Array(repeating: nil, count: planned.count)
        var lists: [(revision: Int64, time: Int64)] = []
        var mirror = LinearizabilityChecker.SequentialModel()
        for index in planned.indices.sorted(by: { (planned[$0].point, $0) < (planned[$1].point, $1) }) {
            let p = planned[index]
            let raw = generator.request(&rng, model: mirror, value: "c\(p.client)-\(index)")
            let request = stored(raw)
            requests[index] = request
            guard p.applies else { continue }
            let response = send(raw, to: &store)
            _ = mirror.apply(request)
            if !p.indeterminate { responses[index] = response }
            if case .range = request, !p.indeterminate { lists.append((response.revision, p.point)) }
        }
        var recorder = HistoryRecorder()
        for index in planned.indices {
            let id = recorder.invoke(client: planned[index].client, requests[index], at: planned[index].call)
            if let response = responses[index] { recorder.complete(id, response, at: planned[index].ret) }
        }
        let history = recorder.history
        return Run(history: history, store: store, lists: lists)
    }

    func testStoreHistoriesAreLinearizable() {
        let checker = LinearizabilityChecker()
        for seed in UInt64(1)...10 {
            let run = run(seed: seed)
            XCTAssertEqual(run.history.malformations(), [], "seed \(seed)")
            XCTAssertGreaterThan(run.store.revision, 20, "seed \(seed)")
            let result = checker.check(run.history)
            XCTAssertEqual(result.verdict, .linearizable, "seed \(seed): \(result.reason)\n"
                           + HistoryPrinter.render(run.history, marking: result.unplaced))
        }
    }

    /// The store's own log equals the changes replayed along the checker's linearization.
    func testStoreLogMatchesTheLinearizedHistory() {
        for seed in UInt64(1)...10 {
            let run = run(seed: seed)
            let result = LinearizabilityChecker().check(run.history)
            XCTAssertEqual(result.verdict, .linearizable, "seed \(seed)")
            guard case .success(let log) = run.store.events(after: 0, prefix: "") else { return XCTFail("log") }
            let replayed = WatchChecker.committed(replaying: run.history, along: result.linearization)
            // An indeterminate write that took effect after the last response is not in the witness.
            XCTAssertEqual(replayed, Array(log.map(WatchChecker.Event.init).prefix(replayed.count)), "seed \(seed)")
            XCTAssertGreaterThanOrEqual(replayed.count + 3, log.count, "seed \(seed)")
        }
    }

    /// List, then watch from the list's revision + 1 (a reflector), batching a few revisions
    /// per response; every stream must keep etcd's guarantees against the store's own log.
    func testStoreWatchStreamsKeepTheGuarantees() {
        for seed in UInt64(1)...10 {
            let run = run(seed: seed)
            guard case .success(let log) = run.store.events(after: 0, prefix: "") else { return XCTFail("log") }
            let checker = WatchChecker(committed: log.map(WatchChecker.Event.init))
            var rng = SeededRandom(seed: seed, stream: "watch")
            var streams: [WatchChecker.Stream] = []
            for (n, list) in run.lists.enumerated() {
                guard case .success(let events) = run.store.events(after: list.revision, prefix: Self.prefix) else {
                    return XCTFail("events after \(list.revision)")
                }
                var responses: [[WatchChecker.Event]] = []
                var batch: [WatchChecker.Event] = []
                for (i, event) in events.enumerated() {
                    batch.append(WatchChecker.Event(event))
                    let revisionEnds = i + 1 == events.count || events[i + 1].revision != event.revision
                    if revisionEnds, rng.int(below: 3) == 0 || i + 1 == events.count {
                        responses.append(batch)
                        batch = []
                    }
                }
                streams.append(WatchChecker.Stream(watchID: n, prefix: Self.prefix, startRevision: list.revision + 1,
                                                   responses: responses))
            }
            XCTAssertFalse(streams.isEmpty, "seed \(seed)")
            XCTAssertEqual(checker.check(streams).map(\.description), [], "seed \(seed)")
        }
    }

    /// The same store log, delivered by a watch that drops one revision, is caught.
    func testStoreWatchWithADroppedRevisionIsCaught() {
        let run = run(seed: 4)
        guard case .success(let log) = run.store.events(after: 0, prefix: "") else { return XCTFail("log") }
        let checker = WatchChecker(committed: log.map(WatchChecker.Event.init))
        let events = log.map(WatchChecker.Event.init)
        let dropped = events[events.count / 2]
        let stream = WatchChecker.Stream(watchID: 7, prefix: Self.prefix, startRevision: 1,
                                         responses: [events.filter { $0.modRevision != dropped.modRevision }])
        XCTAssertEqual(checker.check(stream).map(\.guarantee), [.reliable])
    }
}
