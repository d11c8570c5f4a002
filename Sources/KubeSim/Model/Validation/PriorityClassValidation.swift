/// scheduling.k8s.io/v1 PriorityClass validation (pkg/apis/scheduling/validation).
extension ObjectValidator {
    /// scheduling.HighestUserDefinablePriority.
    static let highestUserDefinablePriority = 1_000_000_000
    /// The built-in classes (scheduling.SystemPriorityClasses): name, value.
    static let systemPriorityClasses: [(name: String, value: Int)] = [
        ("system-node-critical", 2_000_001_000), ("system-cluster-critical", 2_000_000_000),
    ]

    func validatePriorityClass(_ pc: JSON) -> [FieldError] {
        var errs = validateObjectMeta(pc["metadata"], nameKind: .dnsSubdomain)
        let name = pc.name
        let value = pc["value"].int ?? 0
        let globalDefault = pc["globalDefault"].bool ?? false
        if name.hasPrefix("system-") {
            // IsKnownSystemPriorityClass.
            var why: String?
            if let known = Self.systemPriorityClasses.first(where: { $0.name == name }) {
                if known.value != value { why = "value of \(name) PriorityClass must be \(known.value)" }
                else if globalDefault { why = "globalDefault of \(name) PriorityClass must be false" }
            } else {
                why = "\(name) is not a known system priority class"
            }
            if let why {
                errs.append(forbidden(FieldPath("metadata").child("name"),
                                      "priority class names with 'system-' prefix are reserved for system use only. error: \(why)"))
            }
        } else if value > Self.highestUserDefinablePriority {
            errs.append(forbidden(FieldPath("value"),
                                  "maximum allowed value of a user defined priority is \(Self.highestUserDefinablePriority)"))
        }
        if let policy = pc["preemptionPolicy"].string, policy != "PreemptLowerPriority", policy != "Never" {
            errs.append(unsupported(FieldPath("preemptionPolicy"), .string(policy), ["Never", "PreemptLowerPriority"]))
        }
        return errs
    }

    func validatePriorityClassUpdate(_ new: JSON, _ old: JSON) -> [FieldError] {
        var errs = validateObjectMetaUpdate(new["metadata"], old["metadata"])
        if (new["value"].int ?? 0) != (old["value"].int ?? 0) {
            errs.append(forbidden(FieldPath("value"), "may not be changed in an update."))
        }
        if new["preemptionPolicy"] != old["preemptionPolicy"] {
            errs.append(invalid(FieldPath("preemptionPolicy"), new["preemptionPolicy"], "field is immutable"))
        }
        return errs
    }
}
