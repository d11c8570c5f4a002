/// Validation of API objects as the Kubernetes API server validates them
/// (`pkg/apis/{core,apps,coordination}/validation` and apimachinery's `ObjectMeta` rules),
/// with upstream's field paths and wording.
///
///     Validation.validateCreate(kind: "Deployment", object: deployment, namespaced: true)
///     // [spec.replicas: Invalid value: -1: must be greater than or equal to 0]
///
/// Objects are expected to have been defaulted (`Defaulting.apply`), as they are by the time
/// upstream validates them. A member of the wrong JSON type is reported instead of any
/// validation error, as the decode failure upstream answers with 400 BadRequest: see
/// `decodeFailure(kind:apiVersion:errors:)`.
///
/// The three-argument entry points use current upstream's (1.36) wording; the overloads
/// taking a `KubernetesVersion` select a release's wording (`ValidationWording`).
///
/// An update's `old` is the stored object, which passed validation when it was written:
/// labels, annotations and owner references an update leaves byte for byte as they were are
/// not checked again (annotations' total size is).
public enum Validation {
    public static func validateCreate(kind: String, object: JSON, namespaced: Bool) -> [FieldError] {
        validateCreate(kind: kind, object: object, namespaced: namespaced, version: .v1_36)
    }

    public static func validateUpdate(kind: String, new: JSON, old: JSON, namespaced: Bool) -> [FieldError] {
        validateUpdate(kind: kind, new: new, old: old, namespaced: namespaced, version: .v1_36)
    }

    /// `checkTypes: false` skips the JSON-type check, for objects built by the simulation's
    /// own components, which (like real components sending typed objects) cannot mistype a field.
    public static func validateCreate(kind: String, object: JSON, namespaced: Bool,
                                      version: KubernetesVersion, checkTypes: Bool = true) -> [FieldError]
    {
        validateCreate(kind: kind, object: object, namespaced: namespaced, version: version, checkTypes: checkTypes,
                       memo: nil)
    }

    /// As above, skipping the checks of a pod spec, labels or owner references identical to
    /// those `memo` last saw pass, and remembering each that passes there.
    static func validateCreate(kind: String, object: JSON, namespaced: Bool, version: KubernetesVersion,
                               checkTypes: Bool, memo: ValidationMemo?) -> [FieldError]
    {
        if checkTypes, let error = decodeError(kind: kind, object: object) { return [error] }
        var v = ObjectValidator(wording: .of(version), namespaced: namespaced)
        v.memo = memo
        // Cases are compared in order: Events and Pods, most of all creates, come first.
        switch kind {
        case "Event": return v.validateEvent(object)
        case "Pod": return v.validatePodCreate(object)
        case "Deployment": return v.validateDeployment(object)
        case "ReplicaSet": return v.validateReplicaSet(object)
        case "DaemonSet": return v.validateDaemonSet(object)
        case "Namespace": return v.validateNamespace(object)
        case "Node": return v.validateNode(object)
        case "ConfigMap": return v.validateConfigMap(object)
        case "Secret": return v.validateSecret(object)
        case "Service": return v.validateService(object)
        case "Lease": return v.validateLease(object)
        case "PriorityClass": return v.validatePriorityClass(object)
        case "PodDisruptionBudget": return v.validatePodDisruptionBudget(object)
        case "StatefulSet":
            // ValidateStatefulSetName is a DNS label since pods are named after the set.
            return v.validateObjectMeta(object["metadata"], nameKind: .dnsLabel)
        default:
            return v.validateObjectMeta(object["metadata"], nameKind: .dnsSubdomain)
        }
    }

    public static func validateUpdate(kind: String, new: JSON, old: JSON, namespaced: Bool,
                                      version: KubernetesVersion, checkTypes: Bool = true) -> [FieldError]
    {
        if checkTypes, let error = decodeError(kind: kind, object: new) { return [error] }
        let v = ObjectValidator(wording: .of(version), namespaced: namespaced)
        switch kind {
        case "Pod": return v.validatePodUpdate(new, old)
        case "Deployment": return v.validateDeploymentUpdate(new, old)
        case "ReplicaSet": return v.validateReplicaSetUpdate(new, old)
        case "DaemonSet": return v.validateDaemonSetUpdate(new, old)
        case "Namespace": return v.validateNamespaceUpdate(new, old)
        case "Node": return v.validateNodeUpdate(new, old)
        case "ConfigMap": return v.validateConfigMapUpdate(new, old)
        case "Secret": return v.validateSecretUpdate(new, old)
        case "Service": return v.validateServiceUpdate(new, old)
        case "Lease": return v.validateLeaseUpdate(new, old)
        case "PriorityClass": return v.validatePriorityClassUpdate(new, old)
        case "Event": return v.validateEventUpdate(new, old)
        case "PodDisruptionBudget": return v.validatePodDisruptionBudgetUpdate(new, old)
        default: return v.validateObjectMetaUpdate(new["metadata"], old["metadata"])
        }
    }

    /// `IsDNS1123Subdomain`: the messages for `value`, `[]` when valid (current wording).
    public static func dns1123Subdomain(_ value: String) -> [String] {
        NameRules.dns1123Subdomain(value, .v1_36)
    }

    /// `IsDNS1123Label`: the messages for `value`, `[]` when valid (current wording).
    public static func dns1123Label(_ value: String) -> [String] {
        NameRules.dns1123Label(value, .v1_36)
    }

    /// The 400 BadRequest the API server answers when a body does not decode, if `errors`
    /// (from `validateCreate`/`validateUpdate`) is such a failure; nil otherwise:
    /// `Deployment in version "v1" cannot be handled as a Deployment: json: cannot unmarshal …`.
    public static func decodeFailure(kind: String, apiVersion: String, errors: [FieldError]) -> StatusError? {
        guard errors.count == 1, let e = errors.first, e.kind == .invalid, e.value == nil,
            DecodeChecker.isDecodeMessage(e.detail)
        else { return nil }
        let version = apiVersion.split(separator: "/").last.map(String.init) ?? apiVersion
        return .badRequest("\(kind) in version \"\(version)\" cannot be handled as a \(kind): \(e.detail)")
    }

    static func decodeError(kind: String, object: JSON) -> FieldError? {
        guard object.object != nil else {
            return FieldError(kind: .invalid, field: "", value: nil,
                              detail: "json: cannot unmarshal \(object.typeName) into Go value of type v1.\(kind)")
        }
        return DecodeChecker.check(kind: kind, object: object)
    }
}

extension DecodeChecker {
    /// Whether a detail is one of the decoder's texts rather than a validation message.
    static func isDecodeMessage(_ detail: String) -> Bool {
        detail.hasPrefix("json: cannot unmarshal ") || detail.hasPrefix("quantities must match")
            || detail.hasPrefix("unable to parse ") || detail.hasPrefix("illegal base64 data")
            || detail.hasPrefix("parsing time ")
    }
}
