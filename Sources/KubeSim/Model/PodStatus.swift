/// Pod status conditions, shared by the API server's binding, the scheduler and the kubelet.
enum PodStatus {
    /// Sets condition `type`, moving `lastTransitionTime` (`timestamp`, RFC 3339, as
    /// `Context.nowRFC3339` gives it) only when the status changes.
    static func setCondition(_ pod: inout JSON, type: String, status: String, reason: String? = nil,
                             message: String? = nil, at timestamp: String)
    {
        var conditions = pod["status", "conditions"].array ?? []
        let index = conditions.firstIndex { $0["type"].string == type }
        var condition: JSON = ["type": .string(type), "status": .string(status)]
        if let index, conditions[index]["status"].string == status,
            let t = conditions[index]["lastTransitionTime"].string
        {
            condition["lastTransitionTime"] = .string(t)
        } else {
            condition["lastTransitionTime"] = .string(timestamp)
        }
        if let reason { condition["reason"] = .string(reason) }
        if let message { condition["message"] = .string(message) }
        // An unchanged condition keeps its object, shared with the pod's earlier revisions.
        if let index, conditions[index] == condition { return }
        if let index { conditions[index] = condition } else { conditions.append(condition) }
        pod["status", "conditions"] = .array(conditions)
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
