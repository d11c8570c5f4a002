/// The mutating admission the default API server runs on create, for the kinds simulated
/// here: DefaultTolerationSeconds, and the pod strategy's initial status (phase Pending and
/// the QoS class).
enum Admission {
    static func admitCreate(_ info: ResourceInfo, _ object: inout JSON, now: VirtualTime) {
        // Cases are compared in order: Events, most of all creates, leave at the first.
        switch info.plural {
        case "events":
            break
        case "pods":
            // Reads the spec alone, as pod defaulting does: `PodCreateDefaults` gives a pod
            // whose spec it saw before the same result.
            Defaulting.defaultTolerationSeconds(pod: &object)
            object["status"] = ["phase": "Pending", "qosClass": .string(qosClass(object))]
        case "namespaces":
            object["status"] = ["phase": "Active"]
        case "deployments", "replicasets", "daemonsets", "services":
            object["status"] = .emptyObject
        case "poddisruptionbudgets":
            // policy/v1 PodDisruptionBudgetStatus: the counts have no omitempty.
            object["status"] = ["disruptionsAllowed": 0, "currentHealthy": 0, "desiredHealthy": 0, "expectedPods": 0]
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
