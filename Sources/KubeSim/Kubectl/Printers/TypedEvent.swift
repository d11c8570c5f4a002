/// A core/v1 Event as kubectl's typed clientset holds it and `encoding/json` writes it back:
/// what `kubectl events -o json|yaml|jsonpath` prints (its list is a `corev1.EventList`, not
/// the unstructured objects `get` prints).
///
/// The Go structs decide the text (`k8s.io/api/core/v1/types.go` `Event`, `ObjectReference`,
/// `EventSource`, `EventSeries`; apimachinery's `ObjectMeta`): members in field order, fields
/// the struct lacks dropped, `omitempty` as Go applies it. A struct is never empty to Go, so
/// `source` is written even as `{}`, and an unset `metav1.Time` or `MicroTime` as `null`;
/// `reportingComponent` and `reportingInstance` have no `omitempty` at all.
///
///     TypedEvent.event(["reason": "Started", "count": 0, "extra": 1])
///     // {"kind": "Event", "apiVersion": "v1", "metadata": {}, "involvedObject": {},
///     //  "reason": "Started", "source": {}, "firstTimestamp": null, "lastTimestamp": null,
///     //  "eventTime": null, "reportingComponent": "", "reportingInstance": ""}
enum TypedEvent {
    /// The `EventList` kubectl events builds: its own TypeMeta, an empty ListMeta (the
    /// pages' resourceVersion is not copied), the items.
    static func list(_ events: [JSON]) -> JSON {
        var list = JSONObject(minimumCapacity: 4)
        list.append(key: "kind", value: "EventList")
        list.append(key: "apiVersion", value: "v1")
        list.append(key: "metadata", value: .emptyObject)
        list.append(key: "items", value: .array(events.map(event)))
        return .object(list)
    }

    /// One Event, its kind and apiVersion set as `kubectl events` sets them on each item.
    static func event(_ e: JSON) -> JSON {
        var o = JSONObject(minimumCapacity: 16)
        o.append(key: "kind", value: "Event")
        o.append(key: "apiVersion", value: "v1")
        o.append(key: "metadata", value: objectMeta(e["metadata"]))
        o.append(key: "involvedObject", value: objectReference(e["involvedObject"]))
        o.appendNonEmpty("reason", e["reason"])
        o.appendNonEmpty("message", e["message"])
        var source = JSONObject()
        source.appendNonEmpty("component", e["source", "component"])
        source.appendNonEmpty("host", e["source", "host"])
        o.append(key: "source", value: .object(source))
        o.append(key: "firstTimestamp", value: time(e["firstTimestamp"], micro: false))
        o.append(key: "lastTimestamp", value: time(e["lastTimestamp"], micro: false))
        o.appendNonZero("count", e["count"])
        o.appendNonEmpty("type", e["type"])
        o.append(key: "eventTime", value: time(e["eventTime"], micro: true))
        if e["series"].object != nil {
            var series = JSONObject()
            series.appendNonZero("count", e["series", "count"])
            series.append(key: "lastObservedTime", value: time(e["series", "lastObservedTime"], micro: true))
            o.append(key: "series", value: .object(series))
        }
        o.appendNonEmpty("action", e["action"])
        if e["related"].object != nil { o.append(key: "related", value: objectReference(e["related"])) }
        o.append(key: "reportingComponent", value: .string(e["reportingComponent"].string ?? ""))
        o.append(key: "reportingInstance", value: .string(e["reportingInstance"].string ?? ""))
        return .object(o)
    }

    /// `ObjectMeta`. managedFields would be dropped (kubectl's `OmitManagedFieldsPrinter`);
    /// kubesim keeps none.
    static func objectMeta(_ m: JSON) -> JSON {
        var o = JSONObject()
        for key in ["name", "generateName", "namespace", "selfLink", "uid", "resourceVersion"] {
            o.appendNonEmpty(key, m[key])
        }
        o.appendNonZero("generation", m["generation"])
        // `omitzero`: no creationTimestamp at all when unset.
        let created = time(m["creationTimestamp"], micro: false)
        if created != .null { o.append(key: "creationTimestamp", value: created) }
        // Pointers: written when set, whatever the value.
        if m["deletionTimestamp"] != .null {
            o.append(key: "deletionTimestamp", value: time(m["deletionTimestamp"], micro: false))
        }
        if let grace = m["deletionGracePeriodSeconds"].int {
            o.append(key: "deletionGracePeriodSeconds", value: .int(grace))
        }
        for key in ["labels", "annotations"] {
            guard let map = m[key].object, !map.isEmpty else { continue }
            // A Go map: keys sorted.
            var sorted = JSONObject(minimumCapacity: map.count)
            for k in map.keys.sorted(by: JSON.utf8Less) { sorted.append(key: k, value: .string(map[k]?.string ?? "")) }
            o.append(key: key, value: .object(sorted))
        }
        if let owners = m["ownerReferences"].array, !owners.isEmpty {
            o.append(key: "ownerReferences", value: .array(owners.map(ownerReference)))
        }
        if let finalizers = m["finalizers"].array, !finalizers.isEmpty {
            o.append(key: "finalizers", value: .array(finalizers.map { .string($0.string ?? "") }))
        }
        return .object(o)
    }

    /// `ObjectReference`: every field `omitempty`.
    static func objectReference(_ r: JSON) -> JSON {
        var o = JSONObject()
        for key in ["kind", "namespace", "name", "uid", "apiVersion", "resourceVersion", "fieldPath"] {
            o.appendNonEmpty(key, r[key])
        }
        return .object(o)
    }

    /// `OwnerReference`: the four identifying fields always, the two flags when set.
    static func ownerReference(_ r: JSON) -> JSON {
        var o = JSONObject(minimumCapacity: 6)
        for key in ["apiVersion", "kind", "name", "uid"] { o.append(key: key, value: .string(r[key].string ?? "")) }
        for key in ["controller", "blockOwnerDeletion"] {
            if let flag = r[key].bool { o.append(key: key, value: .bool(flag)) }
        }
        return .object(o)
    }

    /// A `metav1.Time` (whole seconds) or `MicroTime` as it marshals: UTC, `null` when unset
    /// or Go's zero time. A time outside the years kubesim's clock holds stays as stored.
    static func time(_ value: JSON, micro: Bool) -> JSON {
        guard !isZero(value), let text = value.string else { return .null }
        guard let t = VirtualTime(rfc3339: text) else { return value }
        return .string(micro ? t.rfc3339Micro : t.rfc3339)
    }

    /// `Time.IsZero()` once decoded: unset, null, or Go's zero time (year 1).
    static func isZero(_ timestamp: JSON) -> Bool {
        guard let text = timestamp.string, !text.isEmpty else { return true }
        return Describe.unixSeconds(text) == Describe.zeroTimeSeconds
    }

    /// The value as Go's `json.Unmarshal` into `interface{}` leaves it, which is what kubectl's
    /// JSONPath printer queries for a typed object: every number a float64.
    static func decodedAsInterface(_ value: JSON) -> JSON {
        switch value {
        case .int(let i): return .double(Double(i))
        case .array(let a): return .array(a.map(decodedAsInterface))
        case .object(let o):
            var copy = JSONObject(minimumCapacity: o.count)
            for (k, v) in o { copy.append(key: k, value: decodedAsInterface(v)) }
            return .object(copy)
        default: return value
        }
    }
}

extension JSONObject {
    /// An `omitempty` string field: written only when set and not empty.
    fileprivate mutating func appendNonEmpty(_ key: String, _ value: JSON) {
        if let s = value.string, !s.isEmpty { append(key: key, value: .string(s)) }
    }

    /// An `omitempty` number: written only when not 0.
    fileprivate mutating func appendNonZero(_ key: String, _ value: JSON) {
        if let n = value.int, n != 0 { append(key: key, value: .int(n)) }
    }
}
