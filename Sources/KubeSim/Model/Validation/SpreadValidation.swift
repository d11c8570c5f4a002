/// `validateTopologySpreadConstraints` (pkg/apis/core/validation): maxSkew and minDomains
/// positive, a topology key, a supported whenUnsatisfiable, no repeated {topologyKey,
/// whenUnsatisfiable}, minDomains only with DoNotSchedule, and the inclusion policies.
extension ObjectValidator {
    func validateTopologySpreadConstraints(_ constraints: JSON, _ path: @autoclosure () -> FieldPath) -> [FieldError] {
        var errs: [FieldError] = []
        let list = Self.array(constraints)
        let actions = ["DoNotSchedule", "ScheduleAnyway"]
        for (i, c) in list.enumerated() {
            func p() -> FieldPath { path().index(i) }
            let maxSkew = c["maxSkew"].int ?? 0
            if maxSkew <= 0 { errs.append(invalid(p().child("maxSkew"), .int(maxSkew), "must be greater than zero")) }
            let key = Self.string(c["topologyKey"])
            if key.isEmpty { errs.append(required(p().child("topologyKey"), "can not be empty")) }
            let action = Self.string(c["whenUnsatisfiable"])
            if !actions.contains(action) { errs.append(unsupported(p().child("whenUnsatisfiable"), .string(action), actions)) }
            for rest in list.dropFirst(i + 1)
            where Self.string(rest["topologyKey"]) == key && Self.string(rest["whenUnsatisfiable"]) == action {
                errs.append(duplicate(p().child("{topologyKey, whenUnsatisfiable}"), .string("{\(key), \(action)}")))
                break
            }
            if let minDomains = c["minDomains"].int {
                if minDomains <= 0 {
                    errs.append(invalid(p().child("minDomains"), .int(minDomains), "must be greater than zero"))
                }
                if action != "DoNotSchedule" {
                    errs.append(invalid(p().child("minDomains"), .int(minDomains),
                                        "can only use minDomains if whenUnsatisfiable=DoNotSchedule, not \(action)"))
                }
            }
            for policy in ["nodeAffinityPolicy", "nodeTaintsPolicy"] {
                if let v = c[policy].string, v != "Honor", v != "Ignore" {
                    errs.append(unsupported(p().child(policy), .string(v), ["Honor", "Ignore"]))
                }
            }
        }
        return errs
    }
}
