/// Records Events for a component, as client-go's recorder does. `v1` Events go through the
/// recorder's `EventCorrelator` (tools/record/events_cache.go): similar events are combined,
/// a repeat bumps `count` and `lastTimestamp` instead of creating another, and a source that
/// says too much about one object is throttled. The scheduler's events.k8s.io Events are
/// sent as they come (the new events library's series are not modelled).
///
/// Event names are `<object>.<hex nanoseconds>`; the simulation's clock can give several
/// events the same instant, so the nanoseconds are made strictly increasing per recorder.
struct EventRecorder {
    let component: String
    let host: String?
    /// The scheduler reports through events.k8s.io/v1: `eventTime` and reporting fields are
    /// set, the legacy `source`, `firstTimestamp` and `count` are not.
    let usesEventsAPI: Bool
    private var namer: EventNamer
    private var correlator: EventCorrelator
    /// The parts every Event of this recorder repeats, built once and shared by all of them
    /// (each stored Event holds a reference, not a copy).
    private let source: JSON
    private let reportingInstance: JSON
    /// The involvedObject last built per object uid: a component records several events
    /// about one object (a container's Pulled, Created, Started), which then share it while
    /// the object's resourceVersion stays the same. Bounded; starts over when full.
    private var involvedByUID = StringTable<(resourceVersion: String, fieldPath: String?, json: JSON)>()

    init(component: String, host: String? = nil, version: KubernetesVersion, usesEventsAPI: Bool = false) {
        self.component = component
        self.host = host
        self.usesEventsAPI = usesEventsAPI
        namer = EventNamer(offset: Int64(SeededRandom.fnv1a64(component + "/" + (host ?? "")) % 1_000_000))
        correlator = EventCorrelator(version: version)
        if usesEventsAPI {
            source = .emptyObject
        } else {
            var source: JSON = ["component": .string(component)]
            if let host { source["host"] = .string(host) }
            self.source = source
        }
        reportingInstance = .string("\(component)-\(host ?? "")")
    }

    /// The Event's involvedObject (an ObjectReference to `object`).
    private mutating func involvedObject(_ o: EventCorrelator.Occurrence, resourceVersion: String,
                                         fieldPath: String?) -> JSON
    {
        // Compared where the entry lies, and replaced there when stale: a copy of the entry
        // retained its three parts. One hash of the uid serves the look-up and, for an
        // object not seen before, the insertion.
        let lookup = involvedByUID.lookup(o.uid)
        let cached = lookup.entry
        if let i = cached, involvedByUID[valueAt: i].resourceVersion == resourceVersion,
           involvedByUID[valueAt: i].fieldPath == fieldPath
        {
            return involvedByUID[valueAt: i].json
        }
        var involved = JSONObject(minimumCapacity: 7)
        // ObjectReference's fields are all `omitempty`: a Node's reference has no namespace,
        // and the kubelet's reference to its Node no resourceVersion.
        func add(_ key: String, _ value: String) {
            if !value.isEmpty { involved.append(key: key, value: .string(value)) }
        }
        add("kind", o.kind)
        add("namespace", o.namespace)
        add("name", o.name)
        add("uid", o.uid)
        add("apiVersion", o.apiVersion)
        add("resourceVersion", resourceVersion)
        add("fieldPath", fieldPath ?? "")
        let json = JSON.object(involved)
        guard !o.uid.isEmpty else { return json }
        if let i = cached {
            involvedByUID[valueAt: i] = (resourceVersion, fieldPath, json)
            return json
        }
        if involvedByUID.count >= 1024 {
            involvedByUID.removeAll(keepingCapacity: true)
            involvedByUID[o.uid] = (resourceVersion, fieldPath, json)
        } else {
            involvedByUID.insert((resourceVersion, fieldPath, json), forKey: o.uid, at: lookup)
        }
        return json
    }

    mutating func record(_ object: JSON, type: String = "Normal", reason: String, message: String,
                         fieldPath: String? = nil, action: String? = nil,
                         client: inout ClientRuntime, _ ctx: inout Context)
    {
        // The object's reference fields, read once: the keys and the Event both need them.
        let ref = object.referenceFields
        let resourceVersion = ref.resourceVersion
        let occurrence = EventCorrelator.Occurrence(object: ref, fieldPath: fieldPath ?? "", type: type, reason: reason,
                                                    message: message)
        let namespace = occurrence.namespace.isEmpty ? "default" : occurrence.namespace
        var name: String
        var message = message
        var count = 1
        var firstTimestamp: String?
        if usesEventsAPI {
            name = namer.next(occurrence.name, ctx.now)
        } else {
            switch correlator.correlate(occurrence, now: ctx.now, timestamp: ctx.nowRFC3339, namer: &namer) {
            case .skip:
                return
            case .patch(let write):
                // The two-way merge patch eventObserve builds: count, lastTimestamp, message.
                let body: JSON = ["count": .int(write.count), "lastTimestamp": .string(ctx.nowRFC3339),
                                  "message": .string(write.message)]
                client.send(APIRequest(.patch, "events", namespace: namespace, name: write.name, body: body,
                                       wantsResponse: false), &ctx)
                return
            case .create(let write):
                name = write.name
                message = write.message
                count = write.count
                firstTimestamp = write.firstTimestamp
            }
        }

        // Sized for the members written here and in the API server (uid, creationTimestamp,
        // resourceVersion), so neither object grows on the way to the store. Every key is new,
        // so members are appended without looking for an existing one first.
        var metadata = JSONObject(minimumCapacity: 5)
        metadata.append(key: "name", value: .string(name))
        metadata.append(key: "namespace", value: .string(namespace))
        // Exactly the members below: the object is stored as built.
        var event = JSONObject(minimumCapacity: usesEventsAPI ? 11 + (action == nil ? 0 : 1) : 13)
        event.append(key: "apiVersion", value: "v1")
        event.append(key: "kind", value: "Event")
        event.append(key: "metadata", value: .object(metadata))
        event.append(key: "involvedObject",
                     value: involvedObject(occurrence, resourceVersion: resourceVersion, fieldPath: fieldPath))
        event.append(key: "reason", value: .string(reason))
        event.append(key: "message", value: .string(message))
        event.append(key: "source", value: source)
        if usesEventsAPI {
            event.append(key: "eventTime", value: .string(VirtualTime(nanos: namer.lastNanos).rfc3339Micro))
            event.append(key: "type", value: .string(type))
            if let action { event.append(key: "action", value: .string(action)) }
            event.append(key: "reportingComponent", value: .string(component))
            event.append(key: "reportingInstance", value: reportingInstance)
        } else {
            let timestamp = ctx.nowRFC3339
            event.append(key: "firstTimestamp", value: .string(firstTimestamp ?? timestamp))
            event.append(key: "lastTimestamp", value: .string(timestamp))
            event.append(key: "count", value: .int(count))
            event.append(key: "type", value: .string(type))
            event.append(key: "reportingComponent", value: "")
            event.append(key: "reportingInstance", value: "")
        }
        // Recording is best effort, as client-go's broadcaster: nobody waits for the answer.
        // Built in the call, so the request moves to the outbox rather than being copied.
        client.send(APIRequest(.create, "events", namespace: namespace, body: .object(event), wantsResponse: false),
                    &ctx)
    }
}

/// Names Events `<object>.<hex nanoseconds>` (client-go's util.GenerateEventName), the
/// nanoseconds strictly increasing per recorder. The offset, below a millisecond and distinct
/// per recorder, keeps two components recording about one object at the same virtual instant
/// from choosing the same name.
struct EventNamer {
    let offset: Int64
    private(set) var lastNanos: Int64 = 0

    init(offset: Int64) { self.offset = offset }

    mutating func next(_ objectName: String, _ now: VirtualTime) -> String {
        lastNanos = max(now.nanos &+ offset, lastNanos &+ 1)
        // `<name>.<lowercase hex>` written into one buffer: every Event gets a name.
        let value = UInt64(bitPattern: lastNanos)
        return objectName.withUTF8Bytes { name in
            String(unsafeUninitializedCapacity: name.count + 1 + value.hexDigitCount) { out in
                var i = name.count
                if let from = name.baseAddress, let to = out.baseAddress { to.initialize(from: from, count: i) }
                out[i] = UInt8(ascii: ".")
                i += 1
                value.writeHex(into: out, at: &i)
                return i
            }
        }
    }
}
