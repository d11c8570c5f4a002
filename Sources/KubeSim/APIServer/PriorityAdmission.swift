/// The Priority admission plugin (plugin/pkg/admission/priority/admission.go), on create:
/// a pod's `priorityClassName` (or the globalDefault class when it names none) resolves into
/// `spec.priority` and `spec.preemptionPolicy`; a PriorityClass may be the global default
/// only if no other one is.
extension APIServer {
    static let priorityClassPrefix = "/registry/priorityclasses/"

    func admitPriority(_ info: ResourceInfo, _ object: inout JSON) -> StatusError? {
        switch info.plural {
        case "priorityclasses":
            if object["preemptionPolicy"].isNull { object["preemptionPolicy"] = "PreemptLowerPriority" }
            if object["globalDefault"].bool == true, let current = defaultPriorityClass() {
                return .forbidden(info.groupResource, object.name,
                                  "PriorityClass \(current.name) is already marked as default. Only one default can exist")
            }
            return nil
        case "pods":
            let className = object["spec", "priorityClassName"].string ?? ""
            let pc: JSON
            if className.isEmpty {
                // No class: the global default's, else 0 (already defaulted).
                guard let d = defaultPriorityClass() else { return nil }
                pc = d
                object["spec", "priorityClassName"] = .string(d.name)
                // Defaulting put priority 0 and PreemptLowerPriority for a class-less pod.
                if object["spec", "priority"].int == 0 { object["spec", "priority"] = .null }
                object["spec", "preemptionPolicy"] = .null
            } else {
                guard let found = store.read(Self.priorityClassPrefix + className)?.value else {
                    let name = object.name.isEmpty ? object["metadata", "generateName"].string ?? "" : object.name
                    return .forbidden(info.groupResource, name, "no PriorityClass with name \(className) was found")
                }
                pc = found
            }
            let value = pc["value"].int ?? 0
            let name = object.name.isEmpty ? object["metadata", "generateName"].string ?? "" : object.name
            if let given = object["spec", "priority"].int, given != value {
                return .forbidden(info.groupResource, name,
                                  "the integer value of priority (\(given)) must not be provided in pod spec; priority admission controller computed \(value) from the given PriorityClass name")
            }
            object["spec", "priority"] = .int(value)
            if let policy = pc["preemptionPolicy"].string {
                if let given = object["spec", "preemptionPolicy"].string, given != policy {
                    return .forbidden(info.groupResource, name,
                                      "the string value of PreemptionPolicy (\(given)) must not be provided in pod spec; priority admission controller computed \(policy) from the given PriorityClass name")
                }
                object["spec", "preemptionPolicy"] = .string(policy)
            }
            return nil
        default:
            return nil
        }
    }

    /// The PriorityClass marked globalDefault (the lowest value if several, as upstream).
    private func defaultPriorityClass() -> JSON? {
        if case .some(let known) = knownDefaultPriorityClass { return known }
        var best: (class: JSON, order: (Int, String))?
        store.forEachLive(prefix: Self.priorityClassPrefix) { kv in
            guard kv.value["globalDefault"].bool == true else { return }
            let order = (kv.value["value"].int ?? 0, kv.value.name)
            if best.map({ order < $0.order }) ?? true { best = (kv.value, order) }
        }
        knownDefaultPriorityClass = .some(best?.class)
        return best?.class
    }

    /// The PriorityClasses the API server creates at start-up (pkg/registry/scheduling/rest
    /// PostStartHook: system-node-critical, system-cluster-critical).
    static var systemPriorityClasses: [JSON] {
        ObjectValidator.systemPriorityClasses.map { pc in
            let description = pc.name == "system-node-critical"
                ? "Used for system critical pods that must not be moved from their current node."
                : "Used for system critical pods that must run in the cluster, but can be moved to another node if necessary."
            return [
                "apiVersion": "scheduling.k8s.io/v1", "kind": "PriorityClass",
                "metadata": ["name": .string(pc.name)],
                "value": .int(pc.value), "description": .string(description),
                "preemptionPolicy": "PreemptLowerPriority",
            ]
        }
    }
}
