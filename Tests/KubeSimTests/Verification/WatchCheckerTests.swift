import XCTest
@testable import KubeSim

/// etcd's watch guarantees (Reference: etcd api_guarantees.md; tests/robustness/validate/watch.go).
final class WatchCheckerTests: XCTestCase {
    typealias Event = WatchChecker.Event
    static let pods = "/registry/pods/"
    let a = "/registry/pods/default/a"
    let b = "/registry/pods/default/b"
    let svc = "/registry/services/default/s"

    /// rev 2: create a; rev 3: create svc; rev 4: update a + create b (one txn); rev 5: delete a; rev 6: update b.
    lazy var committed: [Event] = [
        .put(a, "a1", revision: 2, createRevision: 2, version: 1),
        .put(svc, "s1", revision: 3, createRevision: 3, version: 1),
        .put(a, "a2", revision: 4, createRevision: 2, version: 2),
        .put(b, "b1", revision: 4, createRevision: 4, version: 1),
        .delete(a, revision: 5),
        .put(b, "b2", revision: 6, createRevision: 4, version: 2),
    ]
    lazy var checker = WatchChecker(committed: committed)

    func podEvents() -> [Event] { committed.filter { $0.key.hasPrefix(Self.pods) } }

    func stream(from start: Int64 = 1, _ responses: [[Event]]) -> WatchChecker.Stream {
        WatchChecker.Stream(watchID: 1, prefix: Self.pods, startRevision: start, responses: responses)
    }

    func render(_ violations: [WatchChecker.Violation]) -> [String] { violations.map(\.description) }

    func testCompleteStreamHasNoViolations() {
        let e = podEvents()
        XCTAssertEqual(render(checker.check(stream([[e[0]], [e[1], e[2]], [e[3], e[4]]]))), [])
        XCTAssertEqual(render(checker.check(stream([e]))), [])
        // Resumed from rev 4, as a reflector does after a list at rev 3.
        XCTAssertEqual(render(checker.check(stream(from: 4, [Array(e[1...])]))), [])
        // A stream that has not received anything yet breaks nothing.
        XCTAssertEqual(render(checker.check(stream([]))), [])
    }

    func testDroppedEventIsUnreliable() {
        let e = podEvents()
        XCTAssertEqual(render(checker.check(stream([[e[0]], [e[1], e[2]], [e[4]]]))),
                       ["watch 1: reliable: rev=5 /registry/pods/default/a: delete missing"])
    }

    func testDuplicatedEventIsNotUnique() {
        let e = podEvents()
        XCTAssertEqual(render(checker.check(stream([[e[0]], [e[1], e[2]], [e[2]], [e[3], e[4]]]))),
                       ["watch 1: unique: rev=4 /registry/pods/default/b: put delivered again"])
    }

    func testOutOfOrderRevisionsAreNotOrdered() {
        let e = podEvents()
        XCTAssertEqual(render(checker.check(stream([[e[0]], [e[3]], [e[1], e[2]], [e[4]]]))),
                       ["watch 1: ordered: rev=4 /registry/pods/default/a: delivered after rev=5",
                        "watch 1: ordered: rev=4 /registry/pods/default/b: delivered after rev=5"])
    }

    func testSplitRevisionIsNotAtomic() {
        let e = podEvents()
        XCTAssertEqual(render(checker.check(stream([[e[0]], [e[1]], [e[2], e[3], e[4]]]))),
                       ["watch 1: atomic: rev=4 /registry/pods/default/a: revision split across responses [1, 2]"])
        // Half a revision and then nothing more.
        XCTAssertEqual(render(checker.check(stream([[e[0], e[1]]]))),
                       ["watch 1: atomic: rev=4 /registry/pods/default/b: put missing from its revision's delivery"])
    }

    func testWatchThatStartedLateIsNotResumable() {
        let e = podEvents()
        XCTAssertEqual(render(checker.check(stream(from: 3, [[e[3]], [e[4]]]))),
                       ["watch 1: resumable: rev=5 /registry/pods/default/a: watch from rev=3 began here; "
                        + "the first change is rev=4 /registry/pods/default/a"])
    }

    func testEventBeforeStartRevisionIsNotResumable() {
        // etcd #15271: a watch travelled back in time.
        let e = podEvents()
        XCTAssertEqual(render(checker.check(stream(from: 5, [[e[0]], [e[3], e[4]]]))),
                       ["watch 1: resumable: rev=2 /registry/pods/default/a: before the start revision 5"])
    }

    func testWrongValueIsIncorrect() {
        var e = podEvents()
        e[2].value = "b0"
        XCTAssertEqual(render(checker.check(stream([e]))),
                       ["watch 1: correct: rev=4 /registry/pods/default/b: got put \"b0\" create=4 ver=1, "
                        + "committed put \"b1\" create=4 ver=1"])
    }

    func testEventNeverCommittedOrOutsideThePrefix() {
        let e = podEvents()
        let ghost = Event.put(b, "ghost", revision: 5, createRevision: 4, version: 2)
        let service = committed[1]
        XCTAssertEqual(render(checker.check(stream([[e[0]], [service], [e[1], e[2]], [e[3], ghost], [e[4]]]))),
                       ["watch 1: correct: rev=3 /registry/services/default/s: put outside the watched prefix /registry/pods/",
                        "watch 1: correct: rev=5 /registry/pods/default/b: put that was never committed"])
    }

    func testStoreEventsConvertAsWatchDeliversThem() {
        var store = MVCCStore()
        _ = store.txn(Txn(success: [.put(key: a, value: "x")]))
        _ = store.txn(Txn(success: [.delete(key: a)]))
        guard case .success(let events) = store.events(after: 0, prefix: "") else { return XCTFail("events") }
        XCTAssertEqual(events.map(Event.init), [
            .put(a, "\"x\"", revision: 2, createRevision: 2, version: 1),
            .delete(a, revision: 3),
        ])
    }
}
