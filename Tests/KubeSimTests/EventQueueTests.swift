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

    /// Pushes as the simulation makes them (a clock that only moves forward, each message
    /// `delay` after it) over more distinct delays than there are lanes, with pops between and
    /// a few pushes earlier than their lane's newest: every pop gives the earliest
    /// (time, sending order) of what is waiting, as a plain list searched each time does.
    func testLanesAndHeapDeliverInTimeAndSendingOrder() {
        var q = EventQueue()
        var random = SeededRandom(seed: 7)
        var now: Int64 = 0
        var waiting: [(time: Int64, tag: Int)] = []
        var pops = 0
        func popAndCheck() {
            guard let e = q.pop() else { return XCTAssertTrue(waiting.isEmpty) }
            guard case .timer(let tag) = e.message else { return XCTFail("unexpected message") }
            let i = waiting.indices.min { waiting[$0].time != waiting[$1].time ? waiting[$0].time < waiting[$1].time
                                                                                : waiting[$0].tag < waiting[$1].tag }
            guard let i else { return XCTFail("popped \(tag) from an empty agenda") }
            let want = waiting.remove(at: i)
            XCTAssertEqual(e.time.nanos, want.time)
            XCTAssertEqual(tag, want.tag)
            now = max(now, e.time.nanos)
            pops += 1
        }
        let delays: [Int64] = [0, 1, 2, 5, 10, 100, 250, 1_000, 3_000, 10_000, 12_345, 99_999]
        for tag in 0..<6_000 {
            // Mostly three link latencies, sometimes any of twelve delays (more than the lanes).
            let delay = random.int(below: 4) > 0 ? delays[random.int(below: 3)] : delays[random.int(below: delays.count)]
            var time = now + delay * 1_000
            // Now and then a push due before what its lane already holds.
            if random.int(below: 50) == 0 { time = max(now, time - 5_000) }
            q.push(time: VirtualTime(nanos: time), after: .micros(delay), target: 0, message: .timer(tag))
            waiting.append((time, tag))
            if random.int(below: 3) == 0 { popAndCheck() }
        }
        XCTAssertEqual(q.count, waiting.count)
        while !q.isEmpty { popAndCheck() }
        XCTAssertEqual(pops, 6_000)
        XCTAssertTrue(waiting.isEmpty)
        XCTAssertNil(q.nextTime)
    }

    /// One lane through a burst: it grows past its first room, halves as it drains while new
    /// messages keep joining its tail, and empties; order is sending order throughout.
    func testALaneThroughABurstKeepsSendingOrder() {
        var q = EventQueue()
        var next = 0
        var now: Int64 = 0
        var expected = 0
        func push(_ n: Int) {
            for _ in 0..<n {
                q.push(time: VirtualTime(nanos: now + 100), after: Duration(nanos: 100), target: 0, message: .timer(next))
                next += 1
            }
        }
        func pop(_ n: Int) {
            for _ in 0..<n {
                guard let e = q.pop(), case .timer(let tag) = e.message else { return XCTFail("agenda empty at \(expected)") }
                XCTAssertEqual(tag, expected)
                expected += 1
                now = e.time.nanos
            }
        }
        push(50_000)
        pop(45_000)
        push(3_000)
        pop(7_000)
        push(10)
        pop(1_010)
        XCTAssertTrue(q.isEmpty)
        XCTAssertEqual(expected, 53_010)
    }

    /// A sequence number reserved earlier (an API server's request timeout, armed later than
    /// its number was taken) is delivered in its place among the messages due with it, even
    /// when a lane already holds later ones for that instant.
    func testAReservedSequenceIsDeliveredInItsPlace() {
        var q = EventQueue()
        let reserved = q.upcomingSequence
        q.upcomingSequence = reserved + 1
        let t = VirtualTime(nanos: 1_000)
        q.push(time: t, after: Duration(nanos: 1_000), target: 0, message: .timer(1))
        q.push(time: t, after: Duration(nanos: 1_000), target: 0, message: .timer(2))
        q.push(time: t, after: Duration(nanos: 1_000), target: 0, message: .timer(0), sequence: reserved)
        XCTAssertEqual(drain(&q).map(\.1), [0, 1, 2])
    }

    /// A component receives its message as the only holder: a request sent through the loop
    /// arrives in a box nothing else references, so the API server moves the request (and the
    /// body a create stores) out of it instead of copying it.
    func testARequestArrivesInABoxOfItsOwn() {
        final class Receiver: Component {
            var unique: [Bool] = []
            var taken: [APIRequest] = []
            func handle(_ message: consuming Message, _ ctx: inout Context) {
                guard case .request(var box) = consume message else { return }
                unique.append(isKnownUniquelyReferenced(&box))
                taken.append(RequestBox.take(&box))
            }
        }
        let simulation = Simulation(epoch: VirtualTime(nanos: 0), linkLatency: .millis(1))
        let receiver = Receiver()
        let id = simulation.register(receiver, isAPIServer: true)
        for name in ["a", "b", "c"] {
            simulation.act(as: id) { ctx in ctx.send(APIRequest(.create, "configmaps", name: name, body: ["data": [:]])) }
        }
        simulation.run(until: VirtualTime(nanos: 0) + .seconds(1))
        XCTAssertEqual(receiver.unique, [true, true, true])
        XCTAssertEqual(receiver.taken.map(\.name), ["a", "b", "c"])

        // A box held twice is copied out of, and keeps its request.
        var box = RequestBox(APIRequest(.delete, "pods", name: "web"))
        let other = box
        XCTAssertEqual(RequestBox.take(&box).name, "web")
        XCTAssertEqual(other.request.name, "web")
    }
}
