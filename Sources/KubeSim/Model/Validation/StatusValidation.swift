/// Writes to the `status` subresource. Upstream's status strategies validate only what such
/// a write may change: metadata immutability and the status fields
/// (`ValidatePodStatusUpdate`, `ValidateDeploymentStatusUpdate`,
/// `ValidateReplicaSetStatusUpdate`, `ValidateDaemonSetStatusUpdate`; nodes run
/// `ValidateNodeUpdate`), not the spec, which the write keeps from the stored object.
extension Validation {
    /// The errors of a status write turning `old` into `new` (both as stored: `new` is `old`
    /// with the body's `status`). A `status` member of the wrong JSON type is reported alone,
    /// as a decode failure (see `decodeFailure`).
    ///
    ///     Validation.validateStatusUpdate(kind: "Deployment", new: d, old: stored, version: .v1_36)
    ///     // [status.replicas: Invalid value: -1: must be greater than or equal to 0]
    public static func validateStatusUpdate(kind: String, new: JSON, old: JSON,
                                            version: KubernetesVersion, checkTypes: Bool = true) -> [FieldError]
    {
        guard new.object != nil else {
            return [FieldError(kind: .invalid, field: "", value: nil,
                               detail: "json: cannot unmarshal \(new.typeName) into Go value of type v1.\(kind)")]
        }
        if checkTypes, let error = DecodeChecker.check(new, as: GoSchema.statusRoot(kind: kind)) { return [error] }
        let v = ObjectValidator(wording: .of(version))
        switch kind {
        case "Pod": return v.validatePodStatusUpdate(new, old)
        case "Node": return v.validateNodeUpdate(new, old, checkAddresses: true)
        case "Deployment": return v.validateDeploymentStatusUpdate(new, old)
        case "ReplicaSet": return v.validateReplicaSetStatusUpdate(new, old)
        case "DaemonSet": return v.validateDaemonSetStatusUpdate(new, old)
        default: return v.validateObjectMetaUpdate(new["metadata"], old["metadata"])
        }
    }

    /// `validateStatusUpdate` in current upstream's (1.36) wording.
    public static func validateStatusUpdate(kind: String, new: JSON, old: JSON) -> [FieldError] {
        validateStatusUpdate(kind: kind, new: new, old: old, version: .v1_36)
    }
}

/// The status checks of the apps kinds (`pkg/apis/apps/validation`).
extension ObjectValidator {
    private static let greaterThanReplicas = "cannot be greater than status.replicas"

    /// `ValidateDeploymentStatusUpdate`: metadata, `ValidateDeploymentStatus`, and a
    /// collision count that only grows.
    func validateDeploymentStatusUpdate(_ new: JSON, _ old: JSON) -> [FieldError] {
        var errs = validateObjectMetaUpdate(new["metadata"], old["metadata"])
        let status = new["status"]
        let path = FieldPath("status")
        for field in ["observedGeneration", "replicas", "updatedReplicas", "readyReplicas", "availableReplicas",
                      "unavailableReplicas", "collisionCount"]
        {
            errs += nonnegative(status[field], path.child(field))
        }
        let replicas = status["replicas"].int ?? 0
        let ready = status["readyReplicas"].int ?? 0
        let available = status["availableReplicas"].int ?? 0
        for field in ["updatedReplicas", "readyReplicas", "availableReplicas"] {
            let value = status[field].int ?? 0
            if value > replicas { errs.append(invalid(path.child(field), .int(value), Self.greaterThanReplicas)) }
        }
        if available > ready {
            errs.append(invalid(path.child("availableReplicas"), .int(available), "cannot be greater than readyReplicas"))
        }
        errs += collisionCountNotDecremented(new, old)
        return errs
    }

    /// `ValidateReplicaSetStatusUpdate`: metadata, then `ValidateReplicaSetStatus`.
    func validateReplicaSetStatusUpdate(_ new: JSON, _ old: JSON) -> [FieldError] {
        var errs = validateObjectMetaUpdate(new["metadata"], old["metadata"])
        let status = new["status"]
        let path = FieldPath("status")
        for field in ["replicas", "fullyLabeledReplicas", "readyReplicas", "availableReplicas", "observedGeneration"] {
            errs += nonnegative(status[field], path.child(field))
        }
        let replicas = status["replicas"].int ?? 0
        let ready = status["readyReplicas"].int ?? 0
        let available = status["availableReplicas"].int ?? 0
        for field in ["fullyLabeledReplicas", "readyReplicas", "availableReplicas"] {
            let value = status[field].int ?? 0
            if value > replicas { errs.append(invalid(path.child(field), .int(value), Self.greaterThanReplicas)) }
        }
        if available > ready {
            errs.append(invalid(path.child("availableReplicas"), .int(available), "cannot be greater than readyReplicas"))
        }
        return errs
    }

    /// `ValidateDaemonSetStatusUpdate`: metadata, non-negative counts, and a collision count
    /// that only grows.
    func validateDaemonSetStatusUpdate(_ new: JSON, _ old: JSON) -> [FieldError] {
        var errs = validateObjectMetaUpdate(new["metadata"], old["metadata"])
        let status = new["status"]
        let path = FieldPath("status")
        for field in ["currentNumberScheduled", "numberMisscheduled", "desiredNumberScheduled", "numberReady",
                      "observedGeneration", "updatedNumberScheduled", "numberAvailable", "numberUnavailable",
                      "collisionCount"]
        {
            errs += nonnegative(status[field], path.child(field))
        }
        errs += collisionCountNotDecremented(new, old)
        return errs
    }

    /// `IsDecremented` on `status.collisionCount` (a cleared count counts as decremented).
    private func collisionCountNotDecremented(_ new: JSON, _ old: JSON) -> [FieldError] {
        let newCount = new["status", "collisionCount"].int
        guard let oldCount = old["status", "collisionCount"].int, (newCount ?? Int.min) < oldCount else { return [] }
        return [invalid(FieldPath("status").child("collisionCount"), .int(newCount ?? 0), "cannot be decremented")]
    }
}
