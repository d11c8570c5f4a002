/// Compute resources: `validateResourceRequirements` with `validateContainerResourceName`,
/// `ValidateResourceQuantityValue` and the helpers of `pkg/apis/core/helper` it relies on.
extension ObjectValidator {
    /// Resource names without a domain that are known to the API (`standardResources`).
    static let standardResourceNames: Set<String> = [
        "cpu", "memory", "ephemeral-storage", "requests.cpu", "requests.memory", "requests.ephemeral-storage",
        "limits.cpu", "limits.memory", "limits.ephemeral-storage", "pods", "services", "replicationcontrollers",
        "resourcequotas", "secrets", "configmaps", "persistentvolumeclaims", "storage", "requests.storage",
        "services.nodeports", "services.loadbalancers",
    ]
    /// Resources counted in whole units (`integerResources`).
    static let integerResourceNames: Set<String> = [
        "pods", "services", "replicationcontrollers", "resourcequotas", "secrets", "configmaps",
        "persistentvolumeclaims", "services.nodeports", "services.loadbalancers",
    ]

    static func isHugePages(_ name: String) -> Bool { name.hasPrefix("hugepages-") }

    /// `IsNativeResource`: no domain, or a `kubernetes.io/` one.
    static func isNativeResource(_ name: String) -> Bool {
        !NameRules.contains(name, "/") || name.utf8Contains("kubernetes.io/")
    }

    /// `IsOvercommitAllowed`: requests may be below limits (not for extended resources or
    /// huge pages).
    static func isOvercommitAllowed(_ name: String) -> Bool { isNativeResource(name) && !isHugePages(name) }

    func isExtendedResource(_ name: String) -> Bool {
        if Self.isNativeResource(name) || name.hasPrefix("requests.") { return false }
        return NameRules.labelKey("requests." + name, wording).isEmpty
    }

    func validateResourceRequirements(_ requirements: JSON, _ path: @autoclosure () -> FieldPath) -> [FieldError] {
        var errs: [FieldError] = []
        func limPath() -> FieldPath { path().child("limits") }
        func reqPath() -> FieldPath { path().child("requests") }
        var limitsHaveCPUOrMemory = false
        var requestsHaveCPUOrMemory = false
        var hugePages = false
        let limits = Self.quantities(requirements["limits"])
        for (name, q) in limits {
            func p() -> FieldPath { limPath().key(name) }
            errs += validateContainerResourceName(name, p())
            errs += validateResourceQuantity(name, q, p())
            if Self.isHugePages(name) { hugePages = true }
            if name == "cpu" || name == "memory" { limitsHaveCPUOrMemory = true }
        }
        for (name, q) in Self.quantities(requirements["requests"]) {
            func p() -> FieldPath { reqPath().key(name) }
            errs += validateContainerResourceName(name, p())
            errs += validateResourceQuantity(name, q, p())
            if let limit = limits.first(where: { $0.name == name })?.quantity, let q {
                if q != limit, !Self.isOvercommitAllowed(name) {
                    errs.append(invalid(reqPath(), .string(q.description),
                                        "must be equal to \(name) limit of \(limit.description)"))
                } else if limit < q {
                    errs.append(invalid(reqPath(), .string(q.description),
                                        "must be less than or equal to \(name) limit of \(limit.description)"))
                }
            } else if !limits.contains(where: { $0.name == name }), !Self.isOvercommitAllowed(name) {
                errs.append(required(limPath(), "Limit must be set for non overcommitable resources"))
            }
            if Self.isHugePages(name) { hugePages = true }
            if name == "cpu" || name == "memory" { requestsHaveCPUOrMemory = true }
        }
        if hugePages, !limitsHaveCPUOrMemory, !requestsHaveCPUOrMemory {
            errs.append(forbidden(path(), "HugePages require cpu or memory"))
        }
        return errs
    }

    /// The quantities of a resource list in document order (nil for one that does not parse;
    /// the decode check reports those).
    static func quantities(_ list: JSON) -> [(name: String, quantity: Quantity?)] {
        guard let o = list.object else { return [] }
        return o.map { ($0.key, Quantity(json: $0.value)) }
    }

    private func validateContainerResourceName(_ name: String, _ path: @autoclosure () -> FieldPath) -> [FieldError] {
        var errs = errors(NameRules.labelKey(name, wording), path(), name)
        if !errs.isEmpty { return errs }
        if !NameRules.contains(name, "/") {
            if !Self.standardResourceNames.contains(name), !Self.isHugePages(name) {
                errs.append(invalid(path(), .string(name), "must be a standard resource type or fully qualified"))
            }
            if name != "cpu", name != "memory", name != "ephemeral-storage", !Self.isHugePages(name) {
                errs.append(invalid(path(), .string(name), "must be a standard resource for containers"))
            }
        } else if !Self.isNativeResource(name), !isExtendedResource(name) {
            errs.append(invalid(path(), .string(name), "doesn't follow extended resource name standard"))
        }
        return errs
    }

    /// `ValidateResourceQuantityValue`: not negative; whole for integer resources.
    func validateResourceQuantity(_ name: String, _ q: Quantity?, _ path: @autoclosure () -> FieldPath) -> [FieldError] {
        guard let q else { return [] }
        var errs: [FieldError] = []
        if q < Quantity(integer: 0) {
            errs.append(invalid(path(), .string(q.description), "must be greater than or equal to 0"))
        }
        if Self.integerResourceNames.contains(name) || isExtendedResource(name), q.milliValue % 1000 != 0 {
            errs.append(invalid(path(), .string(q.description), "must be an integer"))
        }
        return errs
    }
}
