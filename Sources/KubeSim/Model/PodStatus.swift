/// Pod status conditions, shared by the API server's binding, the scheduler and the kubelet.
enum PodStatus {
    /// Sets condition `type`, moving `lastTransitionTime` (`timestamp`, RFC 3339, as
    /// `Context.nowRFC3339` gives it) only when the status changes.
    /// `observedGeneration`: the pod's generation the writer acted on, which 1.34+ writers
    /// record (0, as on 1.18 pods, which have none, leaves it out).
    static func setCondition(_ pod: inout JSON, type: String, status: String, reason: String? = nil,
                             message: String? = nil, at timestamp: String, observedGeneration: Int = 0)
    {
        var unshared = ConditionCache(capacity: 0)
        setCondition(&pod, type: type, status: status, reason: reason, message: message, at: timestamp,
                     observedGeneration: observedGeneration, sharing: &unshared)
    }

    /// The same, taking the condition object from `cache` when an equal one was built
    /// before: a kubelet sets the same conditions at the same second on many pods, and their
    /// stored revisions then share one object each.
    static func setCondition(_ pod: inout JSON, type: String, status: String, reason: String? = nil,
                             message: String? = nil, at timestamp: String, observedGeneration: Int = 0,
                             sharing cache: inout ConditionCache)
    {
        var conditions = pod["status", "conditions"].array ?? []
        if setCondition(in: &conditions, type: type, status: status, reason: reason, message: message,
                        at: timestamp, observedGeneration: observedGeneration, sharing: &cache)
        {
            pod["status", "conditions"] = .array(conditions)
        }
    }

    /// The same on a `status.conditions` array, for a writer setting several at once (each
    /// write into the pod copies the array again). Returns whether the array changed.
    @discardableResult
    static func setCondition(in conditions: inout [JSON], type: String, status: String, reason: String? = nil,
                             message: String? = nil, at timestamp: String, observedGeneration: Int = 0,
                             sharing cache: inout ConditionCache) -> Bool
    {
        let index = conditions.firstIndex { $0["type"].string == type }
        let existing = index.map { conditions[$0] }
        let condition = self.condition(existing, type: type, status: status, reason: reason, message: message,
                                       at: timestamp, observedGeneration: observedGeneration, sharing: &cache)
        if let existing, existing.isIdentical(to: condition) { return false }
        if let index { conditions[index] = condition } else { conditions.append(condition) }
        return true
    }

    /// Condition `type` as a writer sets it: `existing` itself when it already says exactly
    /// that (most writes), else built, keeping `existing`'s transition time when its status
    /// is unchanged.
    static func condition(_ existing: JSON?, type: String, status: String, reason: String? = nil,
                          message: String? = nil, at timestamp: String, observedGeneration: Int = 0,
                          sharing cache: inout ConditionCache) -> JSON
    {
        var transition = timestamp
        if let existing, existing["status"].string == status, let t = existing["lastTransitionTime"].string {
            if ConditionCache.isBuilt(existing, type: type, observedGeneration: observedGeneration, status: status,
                                      lastTransitionTime: t, reason: reason, message: message)
            {
                return existing
            }
            transition = t
        }
        let condition = cache.condition(.init(type: type, observedGeneration: observedGeneration, status: status,
                                              lastTransitionTime: transition, reason: reason, message: message))
        // An unchanged condition keeps its object, shared with the pod's earlier revisions.
        if let existing, existing == condition { return existing }
        return condition
    }

    static func condition(_ pod: JSON, _ type: String) -> String? {
        for c in pod["status", "conditions"].array ?? [] where c["type"].string == type {
            return c["status"].string
        }
        return nil
    }

    static func isReady(_ pod: JSON) -> Bool { condition(pod, "Ready") == "True" }

    /// The time the Ready condition last became true, for minReadySeconds.
    static func readySince(_ pod: JSON) -> VirtualTime? {
        for c in pod["status", "conditions"].array ?? [] where c["type"].string == "Ready" && c["status"].string == "True" {
            return c["lastTransitionTime"].string.flatMap { VirtualTime(rfc3339: $0) }
        }
        return nil
    }

    static func isActive(_ pod: JSON) -> Bool {
        let phase = pod["status", "phase"].string ?? ""
        return !pod.isTerminating && phase != "Succeeded" && phase != "Failed"
    }
}

/// Pod condition objects by content, so that equal conditions written to many pods share one
/// object. Bounded: when full it starts over (sharing saves memory; the values are equal
/// either way, so nothing a user sees depends on it).
struct ConditionCache {
    struct Key: Hashable {
        var type: String
        var observedGeneration: Int
        var status, lastTransitionTime: String
        var reason, message: String?

        /// The time and the type are hashed: the conditions of one instant (a type each:
        /// Initialized, Ready, ContainersReady, PodScheduled, …) then mostly fall in buckets
        /// of their own, where the time alone sent every look-up through `==` of each of them;
        /// hashing their other strings would cost more than it saves. (Both are hashed as
        /// strings, by Unicode equivalence, as the synthesized `==` compares them.)
        func hash(into hasher: inout Hasher) {
            hasher.combine(lastTransitionTime)
            hasher.combine(type)
        }
    }

    let capacity: Int
    private var kept: [Key: JSON] = [:]

    init(capacity: Int = 256) { self.capacity = capacity }

    /// Whether `condition` is exactly the object `condition(_:)` builds for these fields:
    /// the same members in the same order. (`lastProbeTime` is null in every condition the
    /// cluster writes: a zero metav1.Time, which Go encodes as null despite omitempty.)
    static func isBuilt(_ condition: JSON, type: String, observedGeneration: Int, status: String,
                        lastTransitionTime: String, reason: String?, message: String?) -> Bool
    {
        let generation = observedGeneration > 0 ? 1 : 0
        guard case .object(let members) = condition,
              members.count == 4 + generation + (reason == nil ? 0 : 1) + (message == nil ? 0 : 1) else { return false }
        func member(_ i: Int, _ key: String, _ value: String) -> Bool {
            let m = members[i]
            return m.key == key && m.value.string == value
        }
        guard member(0, "type", type) else { return false }
        if generation == 1 {
            let m = members[1]
            guard m.key == "observedGeneration", m.value.int == observedGeneration else { return false }
        }
        guard member(1 + generation, "status", status),
              members[2 + generation].key == "lastProbeTime", members[2 + generation].value.isNull,
              member(3 + generation, "lastTransitionTime", lastTransitionTime) else { return false }
        var next = 4 + generation
        if let reason {
            guard member(next, "reason", reason) else { return false }
            next += 1
        }
        if let message { return member(next, "message", message) }
        return true
    }

    mutating func condition(_ key: Key) -> JSON {
        if capacity > 0, let hit = kept[key] { return hit }
        // The members in `isBuilt`'s order, appended (every key is new), sized exactly:
        // conditions are kept in every pod's stored revisions.
        let generation = key.observedGeneration > 0 ? 1 : 0
        var members = JSONObject(minimumCapacity: 4 + generation + (key.reason == nil ? 0 : 1) + (key.message == nil ? 0 : 1))
        members.append(key: "type", value: .string(key.type))
        // PodCondition's field order: observedGeneration (1.34+, omitempty) after type.
        if generation == 1 { members.append(key: "observedGeneration", value: .int(key.observedGeneration)) }
        members.append(key: "status", value: .string(key.status))
        members.append(key: "lastProbeTime", value: .null)
        members.append(key: "lastTransitionTime", value: .string(key.lastTransitionTime))
        if let reason = key.reason { members.append(key: "reason", value: .string(reason)) }
        if let message = key.message { members.append(key: "message", value: .string(message)) }
        let condition = JSON.object(members)
        guard capacity > 0 else { return condition }
        if kept.count >= capacity { kept.removeAll(keepingCapacity: true) }
        // Room for a few pods' conditions at once: a new node's first pods would otherwise
        // grow (rehash) the table at each of their first conditions.
        if kept.isEmpty { kept.reserveCapacity(min(capacity, 32)) }
        kept[key] = condition
        return condition
    }
}
