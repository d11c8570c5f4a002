/// Scheduling constraints of a pod spec: `ValidateTolerations`, `validateAffinity` (node
/// affinity and pod (anti-)affinity terms) and taint effects, as in
/// `pkg/apis/core/validation`.
extension ObjectValidator {
    static let taintEffects = ["NoSchedule", "PreferNoSchedule", "NoExecute"]

    /// `validateTaintEffect`.
    func validateTaintEffect(_ effect: String, allowEmpty: Bool, _ path: @autoclosure () -> FieldPath) -> [FieldError] {
        if !allowEmpty, effect.isEmpty { return [required(path())] }
        if Self.taintEffects.contains(effect) { return [] }
        return [unsupported(path(), .string(effect), Self.taintEffects)]
    }

    func validateTolerations(_ tolerations: JSON, _ path: @autoclosure () -> FieldPath) -> [FieldError] {
        var errs: [FieldError] = []
        for (i, t) in Self.array(tolerations).enumerated() {
            func p() -> FieldPath { path().index(i) }
            let key = Self.string(t["key"])
            let op = Self.string(t["operator"])
            let value = Self.string(t["value"])
            let effect = Self.string(t["effect"])
            if !key.isEmpty { errs += validateLabelName(key, p().child("key")) }
            // An empty key with operator Exists matches all taints; any other empty key is an error.
            if key.isEmpty, op != "Exists" {
                errs.append(invalid(p().child("operator"), .string(op),
                                    "operator must be Exists when `key` is empty, which means "
                                        + "\"match all values and all keys\""))
            }
            if !t["tolerationSeconds"].isNull, effect != "NoExecute" {
                errs.append(invalid(p().child("effect"), .string(effect),
                                    "effect must be 'NoExecute' when `tolerationSeconds` is set"))
            }
            switch op {
            case "Equal", "":
                let messages = NameRules.labelValue(value, wording)
                if !messages.isEmpty {
                    errs.append(invalid(p().child("operator"), .string(value), messages.joined(separator: ";")))
                }
            case "Exists":
                if !value.isEmpty {
                    errs.append(invalid(p().child("operator"), .string(value),
                                        "value must be empty when `operator` is 'Exists'"))
                }
            default:
                errs.append(unsupported(p().child("operator"), .string(op), ["Equal", "Exists"]))
            }
            if !effect.isEmpty { errs += validateTaintEffect(effect, allowEmpty: true, p().child("effect")) }
        }
        return errs
    }

    /// `validateOnlyAddedTolerations`: existing tolerations stay (their tolerationSeconds
    /// may change); new ones are validated.
    func validateOnlyAddedTolerations(_ new: JSON, _ old: JSON, _ path: @autoclosure () -> FieldPath) -> [FieldError] {
        // Unchanged tolerations are all found; otherwise each new one is reduced once.
        if new != old {
            func withoutSeconds(_ t: JSON) -> String {
                var copy = t
                copy["tolerationSeconds"] = .null
                return Self.comparable(copy)
            }
            let oldList = Self.array(old)
            let newReduced = oldList.isEmpty ? [] : Self.array(new).map(withoutSeconds)
            for o in oldList where !newReduced.contains(withoutSeconds(o)) {
                return [forbidden(path(), "existing toleration can not be modified except its tolerationSeconds")]
            }
        }
        return validateTolerations(new, path())
    }

    // MARK: - Affinity

    func validateAffinity(_ affinity: JSON, _ path: @autoclosure () -> FieldPath) -> [FieldError] {
        guard affinity.object != nil else { return [] }
        var errs: [FieldError] = []
        let na = affinity["nodeAffinity"]
        if na.object != nil {
            func np() -> FieldPath { path().child("nodeAffinity") }
            let hard = na["requiredDuringSchedulingIgnoredDuringExecution"]
            if hard.object != nil {
                errs += validateNodeSelector(hard, np().child("requiredDuringSchedulingIgnoredDuringExecution"),
                                             allowInvalidValues: false)
            }
            for (i, term) in Self.array(na["preferredDuringSchedulingIgnoredDuringExecution"]).enumerated() {
                func tp() -> FieldPath { np().child("preferredDuringSchedulingIgnoredDuringExecution").index(i) }
                let weight = term["weight"].int ?? 0
                if weight <= 0 || weight > 100 {
                    errs.append(invalid(tp().child("weight"), .int(weight), "must be in the range 1-100"))
                }
                // Preferred terms may name invalid label values: they can still succeed.
                errs += validateNodeSelectorTerm(term["preference"], tp().child("preference"), allowInvalidValues: true)
            }
        }
        for kind in ["podAffinity", "podAntiAffinity"] where affinity[kind].object != nil {
            let pa = affinity[kind]
            func pp() -> FieldPath { path().child(kind) }
            for (i, term) in Self.array(pa["requiredDuringSchedulingIgnoredDuringExecution"]).enumerated() {
                errs += validatePodAffinityTerm(term, pp().child("requiredDuringSchedulingIgnoredDuringExecution").index(i))
            }
            for (i, weighted) in Self.array(pa["preferredDuringSchedulingIgnoredDuringExecution"]).enumerated() {
                func wp() -> FieldPath { pp().child("preferredDuringSchedulingIgnoredDuringExecution").index(i) }
                let weight = weighted["weight"].int ?? 0
                if weight <= 0 || weight > 100 {
                    errs.append(invalid(wp().child("weight"), .int(weight), "must be in the range 1-100"))
                }
                errs += validatePodAffinityTerm(weighted["podAffinityTerm"], wp().child("podAffinityTerm"))
            }
        }
        return errs
    }

    private func validateNodeSelector(_ selector: JSON,
                                      _ path: @autoclosure () -> FieldPath, allowInvalidValues: Bool) -> [FieldError]
    {
        let terms = Self.array(selector["nodeSelectorTerms"])
        func tp() -> FieldPath { path().child("nodeSelectorTerms") }
        if terms.isEmpty { return [required(tp(), "must have at least one node selector term")] }
        var errs: [FieldError] = []
        for (i, term) in terms.enumerated() {
            errs += validateNodeSelectorTerm(term, tp().index(i), allowInvalidValues: allowInvalidValues)
        }
        return errs
    }

    private func validateNodeSelectorTerm(_ term: JSON,
                                          _ path: @autoclosure () -> FieldPath, allowInvalidValues: Bool) -> [FieldError]
    {
        var errs: [FieldError] = []
        for (j, r) in Self.array(term["matchExpressions"]).enumerated() {
            func p() -> FieldPath { path().child("matchExpressions").index(j) }
            let values = Self.array(r["values"])
            let op = Self.string(r["operator"])
            switch op {
            case "In", "NotIn":
                if values.isEmpty {
                    errs.append(required(p().child("values"), "must be specified when `operator` is 'In' or 'NotIn'"))
                }
            case "Exists", "DoesNotExist":
                if !values.isEmpty {
                    errs.append(forbidden(p().child("values"),
                                          "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"))
                }
            case "Gt", "Lt":
                if values.count != 1 {
                    errs.append(required(p().child("values"),
                                         "must be specified single value when `operator` is 'Lt' or 'Gt'"))
                }
            default:
                errs.append(invalid(p().child("operator"), .string(op), "not a valid selector operator"))
            }
            errs += validateLabelName(Self.string(r["key"]), p().child("key"))
            if !allowInvalidValues {
                for (k, v) in values.enumerated() {
                    let s = Self.string(v)
                    errs += errors(NameRules.labelValue(s, wording), p().child("values").index(k), s)
                }
            }
        }
        for (j, r) in Self.array(term["matchFields"]).enumerated() {
            func p() -> FieldPath { path().child("matchFields").index(j) }
            let op = Self.string(r["operator"])
            let values = Self.array(r["values"])
            if op == "In" || op == "NotIn" {
                if values.count != 1 {
                    errs.append(required(p().child("values"),
                                         "must be only one value when `operator` is 'In' or 'NotIn' "
                                            + "for node field selector"))
                }
            } else {
                errs.append(invalid(p().child("operator"), .string(op), "not a valid selector operator"))
            }
            let key = Self.string(r["key"])
            if key != "metadata.name" {
                errs.append(invalid(p().child("key"), .string(key), "not a valid field selector key"))
            } else {
                for (k, v) in values.enumerated() {
                    let s = Self.string(v)
                    errs += errors(NameRules.dns1123Subdomain(s, wording), p().child("values").index(k), s)
                }
            }
        }
        return errs
    }

    private func validatePodAffinityTerm(_ term: JSON, _ path: @autoclosure () -> FieldPath) -> [FieldError] {
        var errs = validateLabelSelector(term["labelSelector"], path().child("labelSelector"))
        errs += validateLabelSelector(term["namespaceSelector"], path().child("namespaceSelector"))
        for ns in Self.array(term["namespaces"]).map(Self.string) {
            errs += errors(NameRules.dns1123Label(ns, wording), path().child("namespace"), ns)
        }
        let topologyKey = Self.string(term["topologyKey"])
        if topologyKey.isEmpty { errs.append(required(path().child("topologyKey"), "can not be empty")) }
        errs += validateLabelName(topologyKey, path().child("topologyKey"))
        return errs
    }
}
