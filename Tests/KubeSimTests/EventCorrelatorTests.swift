import XCTest
@testable import KubeSim

/// client-go's event correlation (tools/record/events_cache.go) as a user sees it: similar
/// events are combined after nine, a source's events about one object are throttled after 25,
/// and a repeat bumps the Event already written.
final class EventCorrelatorTests: XCTestCase {
    private static let combined = "(combined from similar events): "

    private func successfulCreates(_ cluster: Cluster) -> [JSON] {
        cluster.eventList().filter {
            $0["reason"].string == "SuccessfulCreate" && $0["involvedObject", "name"].string == "webserver"
        }
    }

    /// Scales the ReplicaSet, runs 5 s and returns the pods it created.
    private func scale(_ cluster: Cluster, to replicas: Int,
                       file: StaticString = #filePath, line: UInt = #line) -> Set<String>
    {
        let before = Set(cluster.pods("app=webfront").map(\.name))
        let out = cluster.kubectl(["scale", "replicaset/webserver", "--replicas=\(replicas)"])
        XCTAssertEqual(out.stdout, "replicaset.apps/webserver scaled\n", file: file, line: line)
        cluster.run(for: .seconds(5))
        return Set(cluster.pods("app=webfront").map(\.name)).subtracting(before)
    }

    /// A ReplicaSet of 40: nine "Created pod" Events, then one combined Event. The burst of 25
    /// tokens covers the nine and 16 writes of the combined one (its create and 15 patches);
    /// the last 15 creations are dropped.
    func testAReplicaSetOfFortyShowsNineEventsAndOneCombinedEvent() throws {
        let cluster = Cluster.seedCluster()
        cluster.applyOK(Seed.webserver.replacingOccurrences(of: "replicas: 10", with: "replicas: 40"))
        cluster.run(for: .seconds(30))
        let pods = Set(cluster.pods("app=webfront").map(\.name))
        XCTAssertEqual(pods.count, 40)

        var creates = successfulCreates(cluster)
        XCTAssertEqual(creates.count, 10)
        let individual = creates.filter { !($0["message"].string ?? "").hasPrefix(Self.combined) }
        XCTAssertEqual(individual.count, 9)
        var named: Set<String> = []
        for event in individual {
            XCTAssertEqual(event["count"].int, 1)
            XCTAssertEqual(event["source", "component"].string, "replicaset-controller")
            let message = event["message"].string ?? ""
            XCTAssertTrue(message.hasPrefix("Created pod: "), message)
            named.insert(String(message.dropFirst("Created pod: ".count)))
        }
        XCTAssertEqual(named.count, 9)
        XCTAssertTrue(named.isSubset(of: pods))

        var aggregate = try XCTUnwrap(creates.first { ($0["message"].string ?? "").hasPrefix(Self.combined) })
        XCTAssertEqual(aggregate["count"].int, 16)
        XCTAssertEqual(aggregate["type"].string, "Normal")
        XCTAssertEqual(aggregate["involvedObject", "kind"].string, "ReplicaSet")
        let latest = String((aggregate["message"].string ?? "").dropFirst(Self.combined.count + "Created pod: ".count))
        XCTAssertTrue(pods.contains(latest), latest)
        XCTAssertFalse(named.contains(latest))
        XCTAssertEqual(aggregate["message"].string, Self.combined + "Created pod: " + latest)

        // kubectl get events lists the same ten rows.
        let table = cluster.kubectl(["get", "events"]).stdout.split(separator: "\n")
        let rows = table.filter { $0.contains("SuccessfulCreate") && $0.contains("replicaset/webserver") }
        XCTAssertEqual(rows.count, 10, table.joined(separator: "\n"))
        XCTAssertEqual(rows.filter { $0.hasSuffix(Self.combined + "Created pod: " + latest) }.count, 1)

        // The pods' own events come from the kubelets, one source per node and pod: untouched.
        let events = cluster.eventList()
        for pod in pods {
            let chain = events.filter { $0["involvedObject", "name"].string == pod }.compactMap { $0["reason"].string }
            XCTAssertEqual(chain.first, "Scheduled", pod)
            XCTAssertEqual(Array(chain.suffix(2)), ["Created", "Started"], pod)
        }

        // Five minutes after the burst, one token is back: the next creation updates the
        // combined Event. Its count includes the 15 dropped ones (upstream counts an event
        // before the spam filter drops it): 16 + 15 + 1.
        cluster.run(for: .seconds(300))
        let first = scale(cluster, to: 41)
        XCTAssertEqual(first.count, 1)
        creates = successfulCreates(cluster)
        XCTAssertEqual(creates.count, 10)
        aggregate = try XCTUnwrap(creates.first { ($0["message"].string ?? "").hasPrefix(Self.combined) })
        XCTAssertEqual(aggregate["count"].int, 32)
        XCTAssertEqual(aggregate["message"].string, Self.combined + "Created pod: " + (first.first ?? ""))
        XCTAssertEqual(aggregate["lastTimestamp"].string, VirtualTime(seconds: cluster.now.seconds - 5).rfc3339)

        // No token for the one after.
        let second = scale(cluster, to: 42)
        XCTAssertEqual(second.count, 1)
        creates = successfulCreates(cluster)
        XCTAssertEqual(creates.count, 10)
        XCTAssertEqual(creates.first { ($0["message"].string ?? "").hasPrefix(Self.combined) }?["count"].int, 32)

        // Over 600 s without a similar event: the aggregation starts over, and the next
        // creation is an Event of its own again.
        cluster.run(for: .seconds(700))
        let third = scale(cluster, to: 43)
        XCTAssertEqual(third.count, 1)
        creates = successfulCreates(cluster)
        XCTAssertEqual(creates.count, 11)
        let fresh = try XCTUnwrap(creates.first { $0["message"].string == "Created pod: " + (third.first ?? "") })
        XCTAssertEqual(fresh["count"].int, 1)
        XCTAssertEqual(creates.first { ($0["message"].string ?? "").hasPrefix(Self.combined) }?["count"].int, 32)
    }

    /// The seed's ReplicaSet of ten: its tenth creation is already the combined Event.
    func testTheSeedsReplicaSetOfTenHasNineEventsAndACombinedOne() {
        let cluster = Cluster.seedCluster()
        cluster.applyOK(Seed.webserver)
        cluster.run(for: .seconds(20))
        let creates = successfulCreates(cluster)
        XCTAssertEqual(creates.count, 10)
        let combined = creates.filter { ($0["message"].string ?? "").hasPrefix(Self.combined + "Created pod: webserver-") }
        XCTAssertEqual(combined.map { $0["count"].int }, [1])
    }
}

/// The correlator behind one recorder, read from the requests it sends.
final class EventRecorderCorrelationTests: XCTestCase {
    private let start = VirtualTime(seconds: 1_704_067_200)

    private func object(_ name: String, uid: String) -> JSON {
        ["apiVersion": "apps/v1", "kind": "ReplicaSet",
         "metadata": ["name": .string(name), "namespace": "default", "uid": .string(uid)]]
    }

    /// The requests sent since `from`: verb, count and message.
    private func sent(_ ctx: Context, from: Int = 0) -> [(Verb, Int, String)] {
        ctx.outbox.dropFirst(from).compactMap {
            guard let r = $0.message.carriedRequest else { return nil }
            return (r.verb, r.body["count"].int ?? 0, r.body["message"].string ?? "")
        }
    }

    func testAggregationKeepsItsRecordUntilMoreThan600sPassWithoutASimilarEvent() {
        var recorder = EventRecorder(component: "replicaset-controller", version: .v1_18)
        var client = ClientRuntime()
        var ctx = Context(now: start, me: 1, apiServer: 0)
        let rs = object("web", uid: "u1")
        for i in 0..<10 { recorder.record(rs, reason: "SuccessfulCreate", message: "m\(i)", client: &client, &ctx) }
        var out = sent(ctx)
        XCTAssertEqual(out.map(\.0), Array(repeating: .create, count: 10))
        XCTAssertEqual(out.map(\.2), (0..<9).map { "m\($0)" } + ["(combined from similar events): m9"])

        // Exactly 600 s later the record still holds: the combined Event is updated.
        ctx.now = start + .seconds(600)
        recorder.record(rs, reason: "SuccessfulCreate", message: "m10", client: &client, &ctx)
        out = sent(ctx, from: 10)
        XCTAssertEqual(out.count, 1)
        XCTAssertEqual(out.first?.0, .patch)
        XCTAssertEqual(out.first?.1, 2)
        XCTAssertEqual(out.first?.2, "(combined from similar events): m10")

        // A nanosecond over 600 s after that one: the record starts over.
        ctx.now = start + .seconds(1200) + Duration(nanos: 1)
        recorder.record(rs, reason: "SuccessfulCreate", message: "m11", client: &client, &ctx)
        // A message seen before is a repeat of its own Event.
        recorder.record(rs, reason: "SuccessfulCreate", message: "m0", client: &client, &ctx)
        out = sent(ctx, from: 11)
        XCTAssertEqual(out.map(\.0), [.create, .patch])
        XCTAssertEqual(out.map(\.1), [1, 2])
        XCTAssertEqual(out.map(\.2), ["m11", "m0"])
        // Another reason is aggregated on its own.
        recorder.record(rs, type: "Warning", reason: "FailedCreate", message: "m1", client: &client, &ctx)
        XCTAssertEqual(sent(ctx, from: 13).map(\.2), ["m1"])
    }

    func testADroppedEventIsCreatedWithItsCountWhenATokenIsBack() {
        var recorder = EventRecorder(component: "kubelet", host: "node-1", version: .v1_18)
        var client = ClientRuntime()
        var ctx = Context(now: start, me: 1, apiServer: 0)
        let pod: JSON = ["apiVersion": "v1", "kind": "Pod",
                         "metadata": ["name": "p", "namespace": "default", "uid": "u2"]]
        for _ in 0..<25 { recorder.record(pod, reason: "BackOff", message: "Back-off", client: &client, &ctx) }
        XCTAssertEqual(sent(ctx).map(\.1), Array(1...25))
        recorder.record(pod, reason: "Pulled", message: "pulled", client: &client, &ctx)
        recorder.record(pod, reason: "Pulled", message: "pulled", client: &client, &ctx)
        XCTAssertEqual(ctx.outbox.count, 25)

        // 299 s is not quite a token (one per 299.99999 s).
        ctx.now = start + .seconds(299)
        recorder.record(pod, reason: "Pulled", message: "pulled", client: &client, &ctx)
        XCTAssertEqual(ctx.outbox.count, 25)
        ctx.now = start + .seconds(300)
        recorder.record(pod, reason: "Pulled", message: "pulled", client: &client, &ctx)
        guard let r = ctx.outbox.last?.message.carriedRequest else { return XCTFail("nothing sent") }
        XCTAssertEqual(r.verb, .create)
        XCTAssertEqual(r.body["count"].int, 4)
        XCTAssertEqual(r.body["firstTimestamp"].string, start.rfc3339)
        XCTAssertEqual(r.body["lastTimestamp"].string, ctx.now.rfc3339)
        // The next repeat patches the Event that now exists, once a token is back.
        ctx.now = start + .seconds(600)
        recorder.record(pod, reason: "Pulled", message: "pulled", client: &client, &ctx)
        guard let p = ctx.outbox.last?.message.carriedRequest else { return XCTFail("nothing sent") }
        XCTAssertEqual(p.verb, .patch)
        XCTAssertEqual(p.name, r.body["metadata", "name"].string)
        XCTAssertEqual(p.body["count"].int, 5)
    }

    /// Since 1.32 the spam key includes the type: a Warning still gets through after the
    /// Normal events spent the object's burst.
    func testWarningsHaveTheirOwnBucketSince132() {
        for version in KubernetesVersion.allCases {
            var recorder = EventRecorder(component: "replicaset-controller", version: version)
            var client = ClientRuntime()
            var ctx = Context(now: start, me: 1, apiServer: 0)
            let rs = object("web", uid: "u3")
            for i in 0..<30 {
                recorder.record(rs, reason: "SuccessfulCreate", message: "Created pod: web-\(i)", client: &client, &ctx)
            }
            XCTAssertEqual(ctx.outbox.count, 25, version.rawValue)
            recorder.record(rs, type: "Warning", reason: "FailedCreate", message: "Error creating: quota",
                            client: &client, &ctx)
            XCTAssertEqual(ctx.outbox.count, version == .v1_18 ? 25 : 26, version.rawValue)
        }
    }

    /// References without a uid (the taint manager's pods) are told apart by namespace.
    func testObjectsWithoutAUidKeepTheirOwnEvents() {
        var recorder = EventRecorder(component: "taint-controller", version: .v1_18)
        var client = ClientRuntime()
        var ctx = Context(now: start, me: 1, apiServer: 0)
        let a: JSON = ["kind": "Pod", "metadata": ["name": "p", "namespace": "a"]]
        let b: JSON = ["kind": "Pod", "metadata": ["name": "p", "namespace": "b"]]
        for pod in [a, b, a, b, b] {
            recorder.record(pod, reason: "TaintManagerEviction", message: "Marking for deletion Pod p",
                            client: &client, &ctx)
        }
        let requests = ctx.outbox.compactMap { out -> APIRequest? in
            if let r = out.message.carriedRequest { return r }
            return nil
        }
        XCTAssertEqual(requests.map(\.verb), [.create, .create, .patch, .patch, .patch])
        XCTAssertEqual(requests.map(\.namespace), ["a", "b", "a", "b", "b"])
        XCTAssertEqual(requests.map { $0.body["count"].int }, [1, 1, 2, 2, 3])
    }

    /// The caches are bounded (upstream: LRUs of 4096 entries): an object not seen for
    /// thousands of others is forgotten, and its next event is a new Event.
    func testAnObjectUnseenForThousandsOfOthersIsForgotten() {
        for (others, verb) in [(100, Verb.patch), (5000, Verb.create)] {
            var recorder = EventRecorder(component: "replicaset-controller", version: .v1_18)
            var client = ClientRuntime()
            var ctx = Context(now: start, me: 1, apiServer: 0)
            recorder.record(object("first", uid: "u-first"), reason: "R", message: "m", client: &client, &ctx)
            for i in 0..<others {
                recorder.record(object("o\(i)", uid: "u\(i)"), reason: "R", message: "m", client: &client, &ctx)
            }
            recorder.record(object("first", uid: "u-first"), reason: "R", message: "m", client: &client, &ctx)
            guard let r = ctx.outbox.last?.message.carriedRequest else { return XCTFail("nothing sent") }
            XCTAssertEqual(r.verb, verb, "\(others)")
        }
    }

    /// Event names are `<object>.<nanoseconds in lowercase hex>`, strictly increasing per
    /// recorder even within one instant (client-go's `fmt.Sprintf("%v.%x", name, t.UnixNano())`).
    func testEventNamesAreTheObjectNameAndHexNanoseconds() {
        var namer = EventNamer(offset: 0)
        XCTAssertEqual(namer.next("web", VirtualTime(nanos: 0)), "web.1", "never below the last name's time plus one")
        XCTAssertEqual(namer.next("web", VirtualTime(nanos: 0)), "web.2", "same instant: one nanosecond later")
        XCTAssertEqual(namer.next("web", VirtualTime(nanos: 15)), "web.f")
        XCTAssertEqual(namer.next("web", VirtualTime(nanos: 16)), "web.10")
        XCTAssertEqual(namer.next("nginx-deployment-5d59d67564-abcde", VirtualTime(seconds: 1_704_067_200)),
                       "nginx-deployment-5d59d67564-abcde.17a6101701650000")
        XCTAssertEqual(namer.next("ü", VirtualTime(nanos: Int64.max)), "ü.7fffffffffffffff")
        var shifted = EventNamer(offset: -5)
        XCTAssertEqual(shifted.next("n", VirtualTime(nanos: 4)), "n.1", "never below the last name's time plus one")
    }
}
