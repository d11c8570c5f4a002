/// The mutating admission the default API server runs on create, for the kinds simulated
/// here: DefaultTolerationSeconds, and the pod strategy's initial status (phase Pending and
/// the QoS class).
enum Admission {
    static func admitCreate(_ info: ResourceInfo, _ object: inout JSON, now: VirtualTime) {
        switch info.plural {
        case "pods":
            Defaulting.defaultTolerationSeconds(pod: &object)
            object["status"] = ["phase": "Pending", "qosClass": .string(qosClass(object))]
        case "namespaces":
            object["status"] = ["phase": "Active"]
        case "deployments", "replicasets", "daemonsets", "services":
            object["status"] = .emptyObject
        default:
            break
        }
    }

    /// pkg/apis/core/helper/qos: Guaranteed when every container's cpu and memory limits
    /// equal its requests, BestEffort when nothing is requested or limited, else Burstable.
    static func qosClass(_ pod: JSON) -> String {
        let containers = (pod["spec", "initContainers"].array ?? []) + (pod["spec", "containers"].array ?? [])
        var anySet = false
        var guaranteed = true
        for c in containers {
            let requests = c["resources", "requests"]
            let limits = c["resources", "limits"]
            for resource in ["cpu", "memory"] {
                let req = requests[resource].isNull ? limits[resource] : requests[resource]
                let lim = limits[resource]
                if !req.isNull || !lim.isNull { anySet = true }
                guard let l = Quantity(json: lim), let r = Quantity(json: req), l == r else {
                    guaranteed = false
                    continue
                }
            }
        }
        if !anySet { return "BestEffort" }
        return guaranteed ? "Guaranteed" : "Burstable"
    }
}

/// Pod status conditions, shared by the API server's binding, the scheduler and the kubelet.
enum PodStatus {
    /// Sets condition `type`, moving `lastTransitionTime` only when the status changes.
    static func setCondition(_ pod: inout JSON, type: String, status: String, reason: String? = nil,
                             message: String? = nil, now: VirtualTime)
    {
        var conditions = pod["status", "conditions"].array ?? []
        let index = conditions.firstIndex { $0["type"].string == type }
        var condition: JSON = ["type": .string(type), "status": .string(status)]
        if let index, conditions[index]["status"].string == status,
            let t = conditions[index]["lastTransitionTime"].string
        {
            condition["lastTransitionTime"] = .string(t)
        } else {
            condition["lastTransitionTime"] = .string(now.rfc3339)
        }
        if let reason { condition["reason"] = .string(reason) }
        if let message { condition["message"] = .string(message) }
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
