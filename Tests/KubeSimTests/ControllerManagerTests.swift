import XCTest
@testable import KubeSim

/// kube-controller-manager's shape: one watch per resource however many controllers read
/// it, each change applied once and handed to every handler in order, and timers and answers
/// routed back to the controller that armed or asked.
final class ControllerManagerTests: XCTestCase {
    /// Records what it is told; arms a timer and sends a request when asked to.
    final class Probe: Controller {
        var client = ClientRuntime()
        let name: String
        let handledInformers: [SharedInformer]
        var log: [String]
        /// Shared between the probes, so the order of calls across them shows.
        let journal: Journal
        final class Journal { var lines: [String] = [] }

        init(_ name: String, _ informers: [SharedInformer], journal: Journal) {
            self.name = name
            handledInformers = informers
            self.journal = journal
            log = []
        }

        func start(_ ctx: inout Context) {
            journal.lines.append("\(name) start")
            // A negative tag must survive the manager's marking (the taint eviction
            // controller once used them).
            ctx.after(.seconds(1), timer: name == "a" ? 7 : -3)
            client.send(APIRequest(.get, "nodes", name: name), &ctx)
        }

        func observe(_ informer: SharedInformer, _ event: WatchEvent, old: JSON?, _ ctx: inout Context) {
            // The informer has applied the change before any handler runs.
            let cached = informer[event.key]?.name ?? "none"
            journal.lines.append("\(name) \(informer.resource) \(event.type.rawValue) old=\(old?.name ?? "nil") cached=\(cached)")
        }

        func timerFired(_ tag: Int, _ ctx: inout Context) { journal.lines.append("\(name) timer \(tag)") }

        func answered(_ response: APIResponse, _ ctx: inout Context) {
            journal.lines.append("\(name) answer \((try? response.result.get())?.name ?? "error")")
        }
    }

    private func pod(_ name: String) -> JSON {
        ["apiVersion": "v1", "kind": "Pod", "metadata": ["name": .string(name), "namespace": "default"]]
    }

    func testOneWatchPerResourceAndEveryChangeReachesEachHandlerInOrder() {
        let informers = SharedInformerFactory()
        let journal = Probe.Journal()
        let a = Probe("a", [informers.informer("pods"), informers.informer("nodes")], journal: journal)
        let b = Probe("b", [informers.informer("pods")], journal: journal)
        let manager = ControllerManager(informers: informers, controllers: [a, b])
        var ctx = Context(now: VirtualTime(nanos: 0), me: 5, apiServer: 0)
        manager.handle(.start, &ctx)

        // Each controller started once; one watch each for pods and nodes, not one per reader.
        XCTAssertEqual(journal.lines, ["a start", "b start"])
        var watches: [(String, UInt64)] = []
        var gets: [(String, UInt64)] = []
        var timers: [Int] = []
        for out in ctx.outbox {
            switch out.message {
            case .request(let box) where box.request.verb == .watch: watches.append((box.request.resource, box.request.tag))
            case .request(let box): gets.append((box.request.name ?? "", box.request.tag))
            case .timer(let t): timers.append(t)
            default: XCTFail("unexpected message \(out.message)")
            }
        }
        XCTAssertEqual(watches.map(\.0), ["pods", "nodes"])
        XCTAssertEqual(gets.map(\.0), ["a", "b"])
        XCTAssertEqual(Set(gets.map(\.1)).count, 2, "each controller's requests carry their own tags")
        XCTAssertEqual(timers.count, 2)

        // A pod added, then changed: applied once, handed to a then b.
        journal.lines.removeAll()
        guard let podWatch = watches.first(where: { $0.0 == "pods" })?.1 else { return XCTFail("no pod watch") }
        manager.handle(.watch(WatchEvent(tag: podWatch, type: .added, object: pod("web-1"), key: "default/web-1")), &ctx)
        manager.handle(.watch(WatchEvent(tag: podWatch, type: .modified, object: pod("web-1"), key: "default/web-1")), &ctx)
        manager.handle(.watch(WatchEvent(tag: podWatch, type: .deleted, object: pod("web-1"), key: "default/web-1")), &ctx)
        XCTAssertEqual(journal.lines, [
            "a pods ADDED old=nil cached=web-1", "b pods ADDED old=nil cached=web-1",
            "a pods MODIFIED old=web-1 cached=web-1", "b pods MODIFIED old=web-1 cached=web-1",
            "a pods DELETED old=web-1 cached=none", "b pods DELETED old=web-1 cached=none",
        ])
        XCTAssertEqual(informers.informer("pods").count, 0)

        // Timers and answers go back to the controller that armed or asked, with its own tag.
        journal.lines.removeAll()
        for t in timers.reversed() { manager.handle(.timer(t), &ctx) }
        for (name, tag) in gets.reversed() {
            manager.handle(.response(APIResponse(tag: tag, result: .success(["metadata": ["name": .string(name)]]))), &ctx)
        }
        XCTAssertEqual(journal.lines, ["b timer -3", "a timer 7", "b answer b", "a answer a"])

        // What belongs to nobody is dropped: an unknown watch, or an answer to a tag no
        // controller sent.
        journal.lines.removeAll()
        manager.handle(.watch(WatchEvent(tag: 999, type: .added, object: pod("x"), key: "default/x")), &ctx)
        manager.handle(.response(APIResponse(tag: 1, result: .success(.null))), &ctx)
        XCTAssertEqual(journal.lines, [])
    }

    /// Re-arms its timer from `timerFired` and arms another from `observe`, as the node
    /// lifecycle controller's monitor pass and the work queues do.
    final class Rearming: Controller {
        var client = ClientRuntime()
        let handledInformers: [SharedInformer]
        var fired: [Int] = []
        init(_ informers: [SharedInformer]) { handledInformers = informers }
        func start(_ ctx: inout Context) { ctx.after(.seconds(5), timer: 2) }
        func observe(_ informer: SharedInformer, _ event: WatchEvent, old: JSON?, _ ctx: inout Context) {
            ctx.after(.zero, timer: 1_000_000)
        }
        func timerFired(_ tag: Int, _ ctx: inout Context) {
            fired.append(tag)
            if tag == 2 { ctx.after(.seconds(5), timer: 2) }
        }
    }

    func testTimersArmedFromAnyCallbackComeBackAndNamespacedInformersAreTheirOwn() {
        let informers = SharedInformerFactory()
        let all = informers.informer("leases")
        let nodeLeases = informers.informer("leases", namespace: "kube-node-lease")
        XCTAssertFalse(all === nodeLeases)
        XCTAssertTrue(informers.informer("leases", namespace: "kube-node-lease") === nodeLeases)
        // Read only, handled by nobody: still watched, as upstream's factory starts it.
        let readOnly = informers.informer("configmaps")
        let other = Rearming([all])
        let rearming = Rearming([nodeLeases])
        let manager = ControllerManager(informers: informers, controllers: [other, rearming])
        var ctx = Context(now: VirtualTime(nanos: 0), me: 5, apiServer: 0)
        manager.handle(.start, &ctx)
        var watched: [String: UInt64] = [:]
        for out in ctx.outbox {
            if let r = out.message.carriedRequest, r.verb == .watch { watched["\(r.resource) \(r.namespace ?? "*")"] = r.tag }
        }
        XCTAssertEqual(watched.keys.sorted(), ["configmaps *", "leases *", "leases kube-node-lease"])
        _ = readOnly

        // Deliver whatever timers the controllers armed, as the loop would, several rounds.
        func deliverTimers() {
            let armed = ctx.outbox.compactMap { out -> Int? in
                if case .timer(let t) = out.message { return t } else { return nil }
            }
            ctx.outbox.removeAll()
            for t in armed { manager.handle(.timer(t), &ctx) }
        }
        deliverTimers()
        deliverTimers()
        XCTAssertEqual(other.fired, [2, 2])
        XCTAssertEqual(rearming.fired, [2, 2])
        // A change on the namespaced informer reaches only its handler, whose timer comes back.
        guard let tag = watched["leases kube-node-lease"] else { return XCTFail("no node lease watch") }
        let lease: JSON = ["apiVersion": "coordination.k8s.io/v1", "kind": "Lease",
                           "metadata": ["name": "n1", "namespace": "kube-node-lease"]]
        manager.handle(.watch(WatchEvent(tag: tag, type: .added, object: lease, key: "kube-node-lease/n1")), &ctx)
        XCTAssertEqual(nodeLeases.count, 1)
        XCTAssertEqual(all.count, 0)
        deliverTimers()
        XCTAssertEqual(rearming.fired, [2, 2, 2, 1_000_000])
        XCTAssertEqual(other.fired, [2, 2, 2])
    }
}
