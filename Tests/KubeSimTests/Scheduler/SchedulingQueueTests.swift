import XCTest
@testable import KubeSim

/// The PriorityQueue's order, backoff and requeueing.
final class SchedulingQueueTests: XCTestCase {
    private func queue() -> SchedulingQueue {
        SchedulingQueue(initialBackoff: .seconds(1), maxBackoff: .seconds(10), maxInUnschedulable: .seconds(300))
    }
    private let t0 = VirtualTime(seconds: 1000)

    func testActiveQOrdersByPriorityThenArrival() {
        var q = queue()
        q.add("a", priority: 0, now: t0)
        q.add("b", priority: 10, now: t0 + .seconds(1))
        q.add("c", priority: 0, now: t0 + .seconds(2))
        q.add("d", priority: 10, now: t0 + .seconds(3))
        XCTAssertEqual([q.pop(), q.pop(), q.pop(), q.pop()].map { $0?.key }, ["b", "d", "a", "c"])
        XCTAssertNil(q.pop())
    }

    func testBackoffDoublesFromOneToTenSeconds() {
        let q = queue()
        XCTAssertEqual((1...6).map { q.backoffDuration(attempts: $0) },
                       [.seconds(1), .seconds(2), .seconds(4), .seconds(8), .seconds(10), .seconds(10)])
    }

    func testUnschedulablePodsMoveOnlyOnEventsThatMayHelp() throws {
        var q = queue()
        q.add("fit", priority: 0, now: t0)
        q.add("spread", priority: 0, now: t0)
        let fit = try XCTUnwrap(q.pop()), spread = try XCTUnwrap(q.pop())
        q.addUnschedulable(fit, plugins: ["NodeResourcesFit"], now: t0)
        q.addUnschedulable(spread, plugins: ["PodTopologySpread"], now: t0)
        // A pod being bound elsewhere cannot free cpu: only the spread pod moves.
        XCTAssertEqual(q.moveOnEvent(.assignedPodAdd, now: t0 + .millis(500)), 1)
        XCTAssertEqual(q.location(of: "spread"), .backoffQ, "still within its 1 s backoff")
        XCTAssertEqual(q.location(of: "fit"), .unschedulablePods)
        q.flushBackoffCompleted(now: t0 + .millis(999))
        XCTAssertEqual(q.location(of: "spread"), .backoffQ)
        q.flushBackoffCompleted(now: t0 + .seconds(1))
        XCTAssertEqual(q.location(of: "spread"), .activeQ)
        // A pod deleted may free cpu: after the backoff the pod goes straight to activeQ.
        XCTAssertEqual(q.moveOnEvent(.assignedPodDelete, now: t0 + .seconds(2)), 1)
        XCTAssertEqual(q.location(of: "fit"), .activeQ)
        XCTAssertEqual(q.pop()?.key, "spread")
        let again = try XCTUnwrap(q.pop())
        XCTAssertEqual(again.attempts, 2)
    }

    func testUnschedulablePodsAreFlushedAfterFiveMinutes() throws {
        var q = queue()
        q.add("p", priority: 0, now: t0)
        q.addUnschedulable(try XCTUnwrap(q.pop()), plugins: ["NodeName"], now: t0)
        q.flushUnschedulableLeftover(now: t0 + .seconds(300))
        XCTAssertEqual(q.location(of: "p"), .unschedulablePods)
        q.flushUnschedulableLeftover(now: t0 + .seconds(301))
        XCTAssertEqual(q.location(of: "p"), .activeQ)
    }
}
