
/// Deployments, ReplicaSets and DaemonSets: `pkg/apis/apps/validation`, plus the selector
/// immutability their registry strategies check on update for apps/v1
/// (`pkg/registry/apps/{deployment,replicaset,daemonset}/strategy.go`).
extension ObjectValidator {
    // MARK: - Deployment

    func validateDeployment(_ d: JSON) -> [FieldError] {
        validateObjectMeta(d["metadata"], nameKind: .dnsSubdomain)
            + validateDeploymentSpec(d["spec"], FieldPath("spec"))
    }

    func validateDeploymentUpdate(_ new: JSON, _ old: JSON) -> [FieldError] {
        validateObjectMetaUpdate(new["metadata"], old["metadata"]) + validateDeploymentSpec(new["spec"], FieldPath("spec"))
            + validateSelectorImmutable(new, old)
    }

    private func validateDeploymentSpec(_ spec: JSON, _ path: FieldPath) -> [FieldError] {
        var errs = nonnegative(spec["replicas"], path.child("replicas"))
        errs += validateWorkloadSelector(spec, path, kindWord: "deployment")
        errs += validateDeploymentStrategy(spec["strategy"], path.child("strategy"))
        errs += nonnegative(spec["minReadySeconds"], path.child("minReadySeconds"))
        errs += nonnegative(spec["revisionHistoryLimit"], path.child("revisionHistoryLimit"))
        if let deadline = spec["progressDeadlineSeconds"].int {
            errs += nonnegative(.int(deadline), path.child("progressDeadlineSeconds"))
            if deadline <= (spec["minReadySeconds"].int ?? 0) {
                errs.append(invalid(path.child("progressDeadlineSeconds"), .int(deadline),
                                    "must be greater than minReadySeconds"))
            }
        }
        return errs
    }

    /// The selector rules Deployment and ReplicaSet share, then the template against it
    /// (`ValidatePodTemplateSpecForReplicaSet`).
    private func validateWorkloadSelector(_ spec: JSON, _ path: FieldPath, kindWord: String) -> [FieldError] {
        var errs: [FieldError] = []
        let selector = spec["selector"]
        if selector.object == nil {
            errs.append(required(path.child("selector")))
        } else {
            errs += validateLabelSelector(selector, path.child("selector"))
            if SelectorMatch.isEverything(selector) {
                errs.append(invalid(path.child("selector"), .labelSelector(selector),
                                    "empty selector is invalid for \(kindWord)"))
            }
        }
        if selector.object != nil, !selectorConverts(selector) {
            errs.append(invalid(path.child("selector"), .labelSelector(selector), "invalid label selector"))
            return errs
        }
        let template = spec["template"]
        let tp = path.child("template")
        // A nil selector selects nothing, so no template matches it; an empty one matches all.
        if !SelectorMatch.isEverything(selector), !SelectorMatch.matches(selector, template["metadata", "labels"]) {
            errs.append(invalid(tp.child("metadata", "labels"), .stringMap(template["metadata", "labels"]),
                                "`selector` does not match template `labels`"))
        }
        errs += validatePodTemplateSpec(template, tp)
        errs += validateTemplateRestartPolicy(template, tp, owner: "ReplicaSet")
        return errs
    }

    /// Workload pods must restart always and may not have a deadline.
    private func validateTemplateRestartPolicy(_ template: JSON, _ path: FieldPath, owner: String) -> [FieldError] {
        var errs: [FieldError] = []
        let policy = Self.string(template["spec", "restartPolicy"])
        if policy != "Always" {
            errs.append(unsupported(path.child("spec", "restartPolicy"), .string(policy), ["Always"]))
        }
        if !template["spec", "activeDeadlineSeconds"].isNull {
            errs.append(forbidden(path.child("spec", "activeDeadlineSeconds"),
                                  "activeDeadlineSeconds in \(owner) is not Supported"))
        }
        return errs
    }

    private func validateDeploymentStrategy(_ strategy: JSON, _ path: FieldPath) -> [FieldError] {
        let type = Self.string(strategy["type"])
        switch type {
        case "Recreate":
            if !strategy["rollingUpdate"].isNull {
                return [forbidden(path.child("rollingUpdate"), "may not be specified when strategy `type` is 'Recreate'")]
            }
            return []
        case "RollingUpdate":
            let ru = strategy["rollingUpdate"]
            guard ru.object != nil else {
                return [required(path.child("rollingUpdate"), "this should be defaulted and never be nil")]
            }
            // Built only for an error: most strategies have none.
            func rp() -> FieldPath { path.child("rollingUpdate") }
            var errs = validatePositiveIntOrPercent(ru["maxUnavailable"], rp().child("maxUnavailable"))
            errs += validatePositiveIntOrPercent(ru["maxSurge"], rp().child("maxSurge"))
            if Self.intOrPercentValue(ru["maxUnavailable"]) == 0, Self.intOrPercentValue(ru["maxSurge"]) == 0 {
                errs.append(invalid(rp().child("maxUnavailable"), .intOrString(ru["maxUnavailable"]),
                                    "may not be 0 when `maxSurge` is 0"))
            }
            errs += notMoreThan100Percent(ru["maxUnavailable"], rp().child("maxUnavailable"))
            return errs
        default:
            return [unsupported(path, Self.strategyValue(strategy, goType: "apps.DeploymentStrategy",
                                                          rollingType: "apps.RollingUpdateDeployment"),
                                ["Recreate", "RollingUpdate"])]
        }
    }

    /// An internal strategy struct as upstream renders it: its Go fields carry no JSON tags.
    private static func strategyValue(_ strategy: JSON, goType: String, rollingType: String) -> GoValue {
        let type = string(strategy["type"])
        var json = JSONObject()
        json["Type"] = .string(type)
        let ru = strategy["rollingUpdate"]
        if ru.object != nil {
            json["RollingUpdate"] = ["MaxUnavailable": ru["maxUnavailable"].isNull ? 0 : ru["maxUnavailable"],
                                     "MaxSurge": ru["maxSurge"].isNull ? 0 : ru["maxSurge"]]
        } else {
            json["RollingUpdate"] = .null
        }
        let rolling = ru.object != nil ? "&\(rollingType){...}" : "(*\(rollingType))(nil)"
        return .other(json: .object(json), go: "\(goType){Type:\(GoValue.goQuote(type)), RollingUpdate:\(rolling)}")
    }

    /// `ValidatePositiveIntOrPercent`.
    func validatePositiveIntOrPercent(_ value: JSON, _ path: @autoclosure () -> FieldPath) -> [FieldError] {
        switch value {
        case .string(let s):
            return NameRules.percent(s).map { invalid(path(), .intOrString(value), $0) }
        default:
            return nonnegative(.int(value.int ?? 0), path())
        }
    }

    /// `getIntOrPercentValue`: the percentage's number, or the integer (0 for other strings).
    private static func intOrPercentValue(_ value: JSON) -> Int {
        if let s = value.string {
            if NameRules.percent(s).isEmpty { return Int(s.dropLast()) ?? 0 }
            return Int(s) ?? 0
        }
        return value.int ?? 0
    }

    func notMoreThan100Percent(_ value: JSON, _ path: @autoclosure () -> FieldPath) -> [FieldError] {
        guard let s = value.string, NameRules.percent(s).isEmpty, let n = Int(s.dropLast()), n > 100 else { return [] }
        return [invalid(path(), .intOrString(value), "must not be greater than 100%")]
    }

    /// `ValidateNonnegativeField`.
    func nonnegative(_ value: JSON, _ path: @autoclosure () -> FieldPath) -> [FieldError] {
        guard let v = value.int, v < 0 else { return [] }
        return [invalid(path(), .int(v), "must be greater than or equal to 0")]
    }

    /// apps/v1 selectors may not change after creation.
    private func validateSelectorImmutable(_ new: JSON, _ old: JSON) -> [FieldError] {
        if GoValue.labelSelector(new["spec", "selector"]).json == GoValue.labelSelector(old["spec", "selector"]).json {
            return []
        }
        return [invalid(FieldPath("spec").child("selector"), .labelSelector(new["spec", "selector"]), "field is immutable")]
    }

    // MARK: - ReplicaSet

    func validateReplicaSet(_ rs: JSON) -> [FieldError] {
        validateObjectMeta(rs["metadata"], nameKind: .dnsSubdomain)
            + validateReplicaSetSpec(rs["spec"], FieldPath("spec"))
    }

    func validateReplicaSetUpdate(_ new: JSON, _ old: JSON) -> [FieldError] {
        validateObjectMetaUpdate(new["metadata"], old["metadata"]) + validateReplicaSetSpec(new["spec"], FieldPath("spec"))
            + validateSelectorImmutable(new, old)
    }

    private func validateReplicaSetSpec(_ spec: JSON, _ path: FieldPath) -> [FieldError] {
        var errs = nonnegative(spec["replicas"], path.child("replicas"))
        errs += nonnegative(spec["minReadySeconds"], path.child("minReadySeconds"))
        // Upstream's ReplicaSet check reuses the Deployment wording.
        errs += validateWorkloadSelector(spec, path, kindWord: "deployment")
        return errs
    }

    // MARK: - DaemonSet

    func validateDaemonSet(_ ds: JSON) -> [FieldError] {
        validateObjectMeta(ds["metadata"], nameKind: .dnsSubdomain)
            + validateDaemonSetSpec(ds["spec"], FieldPath("spec"))
    }

    func validateDaemonSetUpdate(_ new: JSON, _ old: JSON) -> [FieldError] {
        validateObjectMetaUpdate(new["metadata"], old["metadata"]) + validateDaemonSetSpec(new["spec"], FieldPath("spec"))
            + validateSelectorImmutable(new, old)
    }

    private func validateDaemonSetSpec(_ spec: JSON, _ path: FieldPath) -> [FieldError] {
        let selector = spec["selector"]
        var errs = validateLabelSelector(selector, path.child("selector"))
        let converts = selector.object == nil || selectorConverts(selector)
        if converts, !SelectorMatch.matches(selector, spec["template", "metadata", "labels"]) {
            errs.append(invalid(path.child("template", "metadata", "labels"), .stringMap(spec["template", "metadata",
                                                                                              "labels"]),
                                "`selector` does not match template `labels`"))
        }
        if selector.object != nil, SelectorMatch.isEverything(selector) {
            errs.append(invalid(path.child("selector"), .labelSelector(selector),
                                "empty selector is invalid for daemonset"))
        }
        errs += validatePodTemplateSpec(spec["template"], path.child("template"))
        errs += validateTemplateRestartPolicy(spec["template"], path.child("template"), owner: "DaemonSet")
        errs += nonnegative(spec["minReadySeconds"], path.child("minReadySeconds"))
        errs += nonnegative(spec["templateGeneration"], path.child("templateGeneration"))
        errs += validateDaemonSetUpdateStrategy(spec["updateStrategy"], path.child("updateStrategy"))
        errs += nonnegative(spec["revisionHistoryLimit"], path.child("revisionHistoryLimit"))
        return errs
    }

    private func validateDaemonSetUpdateStrategy(_ strategy: JSON, _ path: FieldPath) -> [FieldError] {
        switch Self.string(strategy["type"]) {
        case "OnDelete":
            return []
        case "RollingUpdate":
            let ru = strategy["rollingUpdate"]
            guard ru.object != nil else { return [required(path.child("rollingUpdate"))] }
            func rp() -> FieldPath { path.child("rollingUpdate") }
            var errs = validatePositiveIntOrPercent(ru["maxUnavailable"], rp().child("maxUnavailable"))
            errs += validatePositiveIntOrPercent(ru["maxSurge"], rp().child("maxSurge"))
            errs += notMoreThan100Percent(ru["maxUnavailable"], rp().child("maxUnavailable"))
            errs += notMoreThan100Percent(ru["maxSurge"], rp().child("maxSurge"))
            let hasUnavailable = Self.intOrPercentValue(ru["maxUnavailable"]) != 0
            let hasSurge = Self.intOrPercentValue(ru["maxSurge"]) != 0
            if hasUnavailable, hasSurge {
                errs.append(invalid(rp().child("maxSurge"), .intOrString(ru["maxSurge"]),
                                    "may not be set when maxUnavailable is non-zero"))
            } else if !hasUnavailable, !hasSurge {
                errs.append(required(rp().child("maxUnavailable"), "cannot be 0 when maxSurge is 0"))
            }
            return errs
        default:
            return [unsupported(path, Self.strategyValue(strategy, goType: "apps.DaemonSetUpdateStrategy",
                                                          rollingType: "apps.RollingUpdateDaemonSet"),
                                ["RollingUpdate", "OnDelete"])]
        }
    }
}
