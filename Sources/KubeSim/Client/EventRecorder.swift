/// Records `v1` Events for a component, as client-go's recorder does: one Event per
/// distinct (object, type, reason, message, source); a repeat bumps `count` and
/// `lastTimestamp` instead of creating another.
///
/// Event names are `<object>.<hex nanoseconds>`; the simulation's clock can give several
/// events the same instant, so the nanoseconds are made strictly increasing per recorder.
struct EventRecorder {
    let component: String
    let host: String?
    /// The scheduler reports through events.k8s.io/v1: `eventTime` and reporting fields are
    /// set, the legacy `source`, `firstTimestamp` and `count` are not.
    let usesEventsAPI: Bool
    private var lastNanos: Int64 = 0
    /// What makes two events the same one (client-go's `getEventKey`), and the Event that
    /// holds it. Grouped by the object's uid: an object has a handful of distinct events, so
    /// one short hash and a scan beat hashing every field of the key.
    private struct Recorded {
        var kind, namespace, name, fieldPath, type, reason, message: String
        var eventName: String
        var eventNamespace: String
        var count: Int
    }
    private var seen: [String: [Recorded]] = [:]
    private var seenCount = 0

    /// Below a millisecond, distinct per recorder: two components recording about one object
    /// at the same virtual instant still get distinct event names.
    private let nanosOffset: Int64

    init(component: String, host: String? = nil, usesEventsAPI: Bool = false) {
        self.component = component
        self.host = host
        self.usesEventsAPI = usesEventsAPI
        self.nanosOffset = Int64(SeededRandom.fnv1a64(component + "/" + (host ?? "")) % 1_000_000)
    }

    mutating func record(_ object: JSON, type: String = "Normal", reason: String, message: String,
                         fieldPath: String? = nil, action: String? = nil,
                         client: inout ClientRuntime, _ ctx: inout Context)
    {
        let namespace = object.namespace.isEmpty ? "default" : object.namespace
        var involved: JSON = [
            "kind": .string(object.kind), "namespace": .string(object.namespace), "name": .string(object.name),
            "uid": .string(object.uid), "apiVersion": .string(object.apiVersion),
            "resourceVersion": .string(object.resourceVersion),
        ]
        if let fieldPath { involved["fieldPath"] = .string(fieldPath) }
        if object.namespace.isEmpty { involved["namespace"] = .null }
        let now = ctx.now
        // The source (component, host) is this recorder's own, so it is not part of the key.
        let uid = object.uid
        if !usesEventsAPI, let i = seen[uid]?.firstIndex(where: {
            $0.reason == reason && $0.message == message && $0.type == type && $0.name == object.name
                && $0.namespace == object.namespace && $0.kind == object.kind && $0.fieldPath == (fieldPath ?? "")
        }), let prior = seen[uid]?[i] {
            seen[uid]?[i].count = prior.count + 1
            var request = APIRequest(.patch, "events", namespace: prior.eventNamespace, name: prior.eventName)
            request.body = ["count": .int(prior.count + 1), "lastTimestamp": .string(ctx.nowRFC3339)]
            request.wantsResponse = false
            client.send(request, &ctx)
            return
        }

        lastNanos = max(now.nanos &+ nanosOffset, lastNanos &+ 1)
        let name = "\(object.name).\(String(UInt64(bitPattern: lastNanos), radix: 16))"
        var event: JSON = [
            "apiVersion": "v1", "kind": "Event",
            "metadata": ["name": .string(name), "namespace": .string(namespace)],
            "involvedObject": involved,
            "reason": .string(reason),
            "message": .string(message),
        ]
        if usesEventsAPI {
            event["source"] = .emptyObject
            event["eventTime"] = .string(VirtualTime(nanos: lastNanos).rfc3339Micro)
            event["type"] = .string(type)
            if let action { event["action"] = .string(action) }
            event["reportingComponent"] = .string(component)
            event["reportingInstance"] = .string("\(component)-\(host ?? "")")
        } else {
            var source: JSON = ["component": .string(component)]
            if let host { source["host"] = .string(host) }
            event["source"] = source
            let timestamp = ctx.nowRFC3339
            event["firstTimestamp"] = .string(timestamp)
            event["lastTimestamp"] = .string(timestamp)
            event["count"] = 1
            event["type"] = .string(type)
            event["reportingComponent"] = ""
            event["reportingInstance"] = ""
            // A bounded cache, as client-go's LRU of 4096 entries.
            if seenCount >= 4096 {
                seen.removeAll(keepingCapacity: true)
                seenCount = 0
            }
            seen[uid, default: []].append(Recorded(
                kind: object.kind, namespace: object.namespace, name: object.name, fieldPath: fieldPath ?? "",
                type: type, reason: reason, message: message, eventName: name, eventNamespace: namespace, count: 1))
            seenCount += 1
        }
        var request = APIRequest(.create, "events", namespace: namespace)
        request.body = event
        // Recording is best effort, as client-go's broadcaster: nobody waits for the answer.
        request.wantsResponse = false
        client.send(request, &ctx)
    }
}
