import XCTest
@testable import KubeSim

/// The simulation's agenda delivers by (time, sequence): the earliest first, and messages due
/// at one instant in the order they were sent, whatever the heap and slot table went through.
final class EventQueueTests: XCTestCase {
    /// Pops everything: (time in ns, timer tag) in delivery order.
    private func drain(_ q: inout EventQueue, limit: Int = .max) -> [(Int64, Int)] {
        var out: [(Int64, Int)] = []
        while out.count < limit, let e = q.pop() {
            guard case .timer(let tag) = e.message else { XCTFail("unexpected message"); continue }
            out.append((e.time.nanos, tag))
        }
        return out
    }

    func testDeliveryOrderAcrossABurstThatDrains() {
        var q = EventQueue()
        var expected: [(Int64, Int)] = []
        // A burst of 20,000 messages over 50 instants (many per instant, sent out of time order).
        for tag in 0..<20_000 {
            let t = Int64((tag * 7919) % 50) * 1_000_000
            q.push(time: VirtualTime(nanos: t), target: 0, message: .timer(tag))
            expected.append((t, tag))
        }
        expected.sort { $0.0 != $1.0 ? $0.0 < $1.0 : $0.1 < $1.1 }
        // Drain 19,000: the tables shrink to what is left.
        var delivered = drain(&q, limit: 19_000)
        XCTAssertEqual(q.count, 1_000)
        // Then more arrive, some before and some at the instants still waiting.
        for tag in 20_000..<20_500 {
            let t = Int64(45 + tag % 10) * 1_000_000
            q.push(time: VirtualTime(nanos: t), target: 0, message: .timer(tag))
            expected.append((t, tag))
        }
        delivered += drain(&q)
        let tail = expected[19_000...].sorted { $0.0 != $1.0 ? $0.0 < $1.0 : $0.1 < $1.1 }
        let want = Array(expected[..<19_000]) + tail
        XCTAssertEqual(delivered.count, 20_500)
        XCTAssertEqual(delivered.map(\.0), want.map(\.0))
        XCTAssertEqual(delivered.map(\.1), want.map(\.1))
        XCTAssertTrue(q.isEmpty)
    }
}
