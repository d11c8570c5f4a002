/// PodDisruptionBudget validation (pkg/apis/policy/validation/validation.go
/// `ValidatePodDisruptionBudget`, `ValidatePodDisruptionBudgetSpec`).
extension ObjectValidator {
    func validatePodDisruptionBudget(_ pdb: JSON) -> [FieldError] {
        validateObjectMeta(pdb["metadata"], nameKind: .dnsSubdomain) + validatePodDisruptionBudgetSpec(pdb["spec"])
    }

    func validatePodDisruptionBudgetUpdate(_ new: JSON, _ old: JSON) -> [FieldError] {
        validateObjectMetaUpdate(new["metadata"], old["metadata"]) + validatePodDisruptionBudgetSpec(new["spec"])
    }

    private func validatePodDisruptionBudgetSpec(_ spec: JSON) -> [FieldError] {
        let path = FieldPath("spec")
        var errs: [FieldError] = []
        let minAvailable = spec["minAvailable"], maxUnavailable = spec["maxUnavailable"]
        if !minAvailable.isNull, !maxUnavailable.isNull {
            // Upstream prints the Go struct with its pointers' addresses; those vary per run,
            // so the value here names the pointer types only.
            let go = "policy.PodDisruptionBudgetSpec{MinAvailable:(*intstr.IntOrString), "
                + "MaxUnavailable:(*intstr.IntOrString), Selector:(*v1.LabelSelector), "
                + "UnhealthyPodEvictionPolicy:(*policy.UnhealthyPodEvictionPolicyType)}"
            errs.append(invalid(path, .other(json: spec, go: go), "minAvailable and maxUnavailable cannot be both set"))
        }
        for (value, name) in [(minAvailable, "minAvailable"), (maxUnavailable, "maxUnavailable")] where !value.isNull {
            errs += validatePositiveIntOrPercent(value, path.child(name))
            errs += notMoreThan100Percent(value, path.child(name))
        }
        errs += validateLabelSelector(spec["selector"], path.child("selector"))
        if let policy = spec["unhealthyPodEvictionPolicy"].string, !["IfHealthyBudget", "AlwaysAllow"].contains(policy) {
            errs.append(unsupported(path.child("unhealthyPodEvictionPolicy"), JSON.string(policy),
                                    ["AlwaysAllow", "IfHealthyBudget"]))
        }
        return errs
    }
}
