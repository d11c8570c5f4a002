/// `ValidatePodStatusUpdate` (`pkg/apis/core/validation`): what the kubelet and scheduler
/// write through `pods/status`. The spec is not validated again; only the status fields and
/// the metadata rules of any update.
///
/// Not modelled: pod-specific annotation rules (mirror pods, AppArmor), and the internal
/// error upstream adds beside "may specify no more than one IP for each IP family" when an
/// IP of a list does not parse (its per-IP errors are reported).
extension ObjectValidator {
    /// Conditions the system owns; other condition types must be qualified names.
    /// Compared by bytes, as Go's `sets.Has` compares strings (and without hashing: a pod's
    /// status carries five conditions on every write).
    /// By length first: each length names one candidate at most.
    private static func isSystemPodCondition(_ type: String) -> Bool {
        switch type.utf8.count {
        case 12: type.hasSameUTF8(as: "PodScheduled")
        case 5: type.hasSameUTF8(as: "Ready")
        case 11: type.hasSameUTF8(as: "Initialized")
        default: false
        }
    }

    /// The kubelet's other conditions: valid qualified names, as the check below would find
    /// them, on every status it writes.
    private static func isKubeletPodCondition(_ type: String) -> Bool {
        switch type.utf8.count {
        case 15: type.hasSameUTF8(as: "ContainersReady")
        case 25: type.hasSameUTF8(as: "PodReadyToStartContainers")
        default: false
        }
    }
    private static let resourceHealthValues = ["Healthy", "Unhealthy", "Unknown"]

    func validatePodStatusUpdate(_ new: JSON, _ old: JSON) -> [FieldError] {
        var errs = validateObjectMetaUpdate(new["metadata"], old["metadata"])
        let status = new["status"]
        let oldStatus = old["status"]
        // Upstream passes the metadata path here (`fldPath.Child("conditions")` before
        // fldPath becomes "status"), and the Go field name "Type".
        for (i, condition) in Self.array(status["conditions"]).enumerated() {
            let type = Self.string(condition["type"])
            if Self.isSystemPodCondition(type) || Self.isKubeletPodCondition(type) { continue }
            let messages = NameRules.labelKey(type, wording)
            if !messages.isEmpty {
                errs += errors(messages, FieldPath("metadata").child("conditions").index(i).child("Type"), type)
            }
        }
        let path = FieldPath("status")
        // A status write shares the stored spec (one buffer), and so its nodeName.
        if !new.sharesSpec(with: old), new.nodeName != old.nodeName {
            errs.append(forbidden(path.child("nodeName"), "may not be changed directly"))
        }
        let nominated = Self.string(status["nominatedNodeName"])
        if nominated != Self.string(oldStatus["nominatedNodeName"]), !nominated.isEmpty {
            let messages = NameRules.dns1123Subdomain(nominated, wording)
            if !messages.isEmpty { errs += errors(messages, path.child("nominatedNodeName"), nominated) }
        }
        let newer = wording.checksNewerPodStatusFields
        if newer {
            // The status strategy backfills an empty qosClass from the stored pod.
            let qos = Self.string(status["qosClass"])
            if !qos.isEmpty, qos != Self.string(oldStatus["qosClass"]) {
                errs.append(invalid(path.child("qosClass"), .string(qos), "field is immutable"))
            }
        }
        let restartPolicy = Self.string(old["spec", "restartPolicy"])
        errs += containerStateTransitions(status["containerStatuses"], oldStatus["containerStatuses"],
                                          path.child("containerStatuses"), restartPolicy: restartPolicy)
        errs += containerStateTransitions(status["initContainerStatuses"], oldStatus["initContainerStatuses"],
                                          path.child("initContainerStatuses"), restartPolicy: restartPolicy,
                                          initContainers: old["spec", "initContainers"])
        if newer {
            // The kubelet never restarts ephemeral containers: an implicit restartPolicy Never.
            errs += containerStateTransitions(status["ephemeralContainerStatuses"],
                                              oldStatus["ephemeralContainerStatuses"],
                                              path.child("ephemeralContainerStatuses"), restartPolicy: "Never")
            errs += validateResourceClaimStatuses(status["resourceClaimStatuses"], claims: new["spec", "resourceClaims"],
                                                  path.child("resourceClaimStatuses"))
        }
        // The IP checks read the lists alone, which the stored status passed when written:
        // the kubelet's later writes repeat them.
        if !status["podIPs"].isIdentical(to: oldStatus["podIPs"]) { errs += validatePodIPs(status) }
        if newer, !(status["hostIPs"].isIdentical(to: oldStatus["hostIPs"])
                    && status["hostIP"].isIdentical(to: oldStatus["hostIP"])) {
            errs += validateHostIPs(status)
        }
        if newer {
            let os = new["spec", "os"]
            let osName = os.isNull ? "linux" : Self.string(os["name"])
            for list in ["containerStatuses", "initContainerStatuses", "ephemeralContainerStatuses"] {
                errs += validateContainerStatusUsers(status[list], path.child(list), osName: osName)
            }
            errs += allocatedResourcesStatus(status["containerStatuses"], path.child("containerStatuses"),
                                             containers: new["spec", "containers"])
            errs += allocatedResourcesStatus(status["initContainerStatuses"], path.child("initContainerStatuses"),
                                             containers: new["spec", "initContainers"])
            for (i, s) in Self.array(status["ephemeralContainerStatuses"]).enumerated()
            where !Self.array(s["allocatedResourcesStatus"]).isEmpty {
                errs.append(forbidden(path.child("ephemeralContainerStatuses").index(i).child("allocatedResourcesStatus"),
                                      "must not be specified in container status"))
            }
        }
        return errs
    }

    /// `ValidateContainerStateTransition` (and, given `initContainers`, its init container
    /// form): unless the pod restarts always, a terminated container stays terminated;
    /// failed ones may restart under OnFailure, and restartable init containers may too.
    private func containerStateTransitions(_ new: JSON, _ old: JSON, _ path: @autoclosure () -> FieldPath,
                                           restartPolicy: String,
                                           initContainers: JSON? = nil) -> [FieldError]
    {
        if restartPolicy == "Always" { return [] }
        let newStatuses = Self.array(new)
        var errs: [FieldError] = []
        for (i, oldStatus) in Self.array(old).enumerated() {
            let terminated = oldStatus["state", "terminated"]
            if terminated.isNull { continue }
            if (terminated["exitCode"].int ?? 0) != 0, restartPolicy == "OnFailure" { continue }
            let name = Self.string(oldStatus["name"])
            if let initContainers,
                let c = Self.array(initContainers).first(where: { Self.string($0["name"]) == name }),
                c["restartPolicy"].string == "Always"
            {
                continue
            }
            for n in newStatuses where Self.string(n["name"]) == name && n["state", "terminated"].isNull {
                errs.append(forbidden(path().index(i).child("state"), "may not be transitioned to non-terminated state"))
            }
        }
        return errs
    }

    /// `validatePodResourceClaimStatuses`: each names a claim of the spec, once.
    private func validateResourceClaimStatuses(_ statuses: JSON, claims: JSON, _ path: FieldPath) -> [FieldError] {
        var errs: [FieldError] = []
        var names = Set<String>()
        let claimNames = Self.array(claims).map { Self.string($0["name"]) }
        for (i, s) in Self.array(statuses).enumerated() {
            let p = path.index(i).child("name")
            let name = Self.string(s["name"])
            if !claimNames.contains(name) {
                errs.append(invalid(p, .string(name), "must match the name of an entry in `spec.resourceClaims`"))
            }
            if !names.insert(name).inserted { errs.append(duplicate(p, .string(name))) }
            if let claim = s["resourceClaimName"].string {
                errs += errors(NameRules.dns1123Subdomain(claim, wording), p, claim)
            }
        }
        return errs
    }

    // MARK: - IPs

    /// A `podIPs`/`hostIPs` list rendered as the internal Go type (`[]core.PodIP{…}`).
    private static func ipListValue(_ ips: [String], goType: String) -> GoValue {
        let json = JSON.array(ips.map { ["IP": .string($0)] })
        let go = "[]core.\(goType){" + ips.map { "core.\(goType){IP:\(GoValue.goQuote($0))}" }.joined(separator: ", ") + "}"
        return .other(json: json, go: go)
    }

    private static func ipValue(_ ip: String, goType: String) -> GoValue {
        .other(json: ["IP": .string(ip)], go: "core.\(goType){IP:\(GoValue.goQuote(ip))}")
    }

    /// `netutils.IsDualStackIPStrings`: both families present (IPv4-mapped IPv6 counts as
    /// IPv4); false when an IP does not parse.
    private static func isDualStack(_ ips: [String]) -> Bool {
        var v4 = false
        var v6 = false
        for ip in ips {
            guard let parsed = IPAddress.parse(ip) else { return false }
            if parsed.bytes.count == 16, !parsed.isV4Mapped { v6 = true } else { v4 = true }
        }
        return v4 && v6
    }

    /// `validatePodIPs`: valid IPs, at most one per family, no duplicates.
    private func validatePodIPs(_ status: JSON) -> [FieldError] {
        let list = status["podIPs"]
        guard !Self.array(list).isEmpty else { return [] }
        func path() -> FieldPath { FieldPath("status").child("podIPs") }
        let ips = Self.array(list).map { Self.string($0["ip"]) }
        var errs: [FieldError] = []
        for (i, ip) in ips.enumerated() { errs += validateIP(ip, path().index(i)) }
        if ips.count > 1 {
            if !Self.isDualStack(ips) || ips.count > 2 {
                errs.append(invalid(path(), Self.ipListValue(ips, goType: "PodIP"),
                                    "may specify no more than one IP for each IP family"))
            }
            var seen = Set<String>()
            for (i, ip) in ips.enumerated() where !seen.insert(ip).inserted {
                errs.append(duplicate(path().index(i), Self.ipValue(ip, goType: "PodIP")))
            }
        }
        return errs
    }

    /// `validateHostIPs`: the first is `hostIP`; valid, unique, at most one per family.
    private func validateHostIPs(_ status: JSON) -> [FieldError] {
        let list = status["hostIPs"]
        guard !Self.array(list).isEmpty else { return [] }
        func path() -> FieldPath { FieldPath("status").child("hostIPs") }
        let ips = Self.array(list).map { Self.string($0["ip"]) }
        var errs: [FieldError] = []
        if let first = ips.first, Self.string(status["hostIP"]) != first {
            errs.append(invalid(path().index(0).child("ip"), .string(first), "must be equal to `hostIP`"))
        }
        for (i, ip) in ips.enumerated() { errs += validateIP(ip, path().index(i)) }
        if ips.count > 1 {
            var seen = Set<String>()
            for (i, ip) in ips.enumerated() where !seen.insert(ip).inserted {
                errs.append(duplicate(path().index(i), Self.ipValue(ip, goType: "HostIP")))
            }
            if !Self.isDualStack(ips) || ips.count > 2 {
                errs.append(invalid(path(), Self.ipListValue(ips, goType: "HostIP"),
                                    "may specify no more than one IP for each IP family"))
            }
        }
        return errs
    }

    // MARK: - Container statuses

    /// `validateContainerStatusUsers`: Linux ids in range; none for Windows pods.
    private func validateContainerStatusUsers(_ statuses: JSON, _ path: FieldPath, osName: String) -> [FieldError] {
        var errs: [FieldError] = []
        for (i, s) in Self.array(statuses).enumerated() {
            let user = s["user"]
            if user.isNull { continue }
            let linux = user["linux"]
            let p = path.index(i).child("linux")
            switch osName {
            case "windows":
                if !linux.isNull { errs.append(forbidden(p, "cannot be set for a windows pod")) }
            case "linux":
                if linux.isNull { continue }
                let range = NameRules.inclusiveRange(0, Int(Int32.max))
                for field in ["uid", "gid"] {
                    let id = linux[field].int ?? 0
                    if !(0...Int(Int32.max)).contains(id) { errs.append(invalid(p.child(field), .int(id), range)) }
                }
                for (g, gid) in Self.array(linux["supplementalGroups"]).enumerated() {
                    let id = gid.int ?? 0
                    if !(0...Int(Int32.max)).contains(id) {
                        errs.append(invalid(p.child("supplementalGroups").index(g), .int(id), range))
                    }
                }
            default:
                break
            }
        }
        return errs
    }

    /// `validateContainerStatusAllocatedResourcesStatus`: each entry names a resource the
    /// container requests (or a claim, `claim:<name>[/<request>]`); health values are known
    /// and resource ids unique.
    private func allocatedResourcesStatus(_ statuses: JSON, _ path: FieldPath, containers: JSON) -> [FieldError] {
        var errs: [FieldError] = []
        for (i, s) in Self.array(statuses).enumerated() {
            let name = Self.string(s["name"])
            let container = Self.array(containers).first { Self.string($0["name"]) == name }
            for (j, resource) in Self.array(s["allocatedResourcesStatus"]).enumerated() {
                let p = path.index(i).child("allocatedResourcesStatus").index(j)
                let resourceName = Self.string(resource["name"])
                // A status for a container the spec lacks is ignored (kubernetes#124915).
                if let container {
                    let found: Bool
                    let message: String
                    if resourceName.hasPrefix("claim:") {
                        message = "must match one of the container's resource claims in a format "
                            + "'claim:<claimName>/<request>' or 'claim:<claimName>' if request is empty"
                        found = Self.array(container["resources", "claims"]).contains { claim in
                            let request = Self.string(claim["request"])
                            let n = "claim:" + Self.string(claim["name"]) + (request.isEmpty ? "" : "/" + request)
                            return n == resourceName
                        }
                    } else {
                        message = "must match one of the container's resource requests"
                        found = container["resources", "requests"].object?[resourceName] != nil
                    }
                    if !found { errs.append(invalid(p.child("name"), .string(resourceName), message)) }
                }
                var ids = Set<String>()
                for (k, health) in Self.array(resource["resources"]).enumerated() {
                    let hp = p.child("resources").index(k)
                    let value = Self.string(health["health"])
                    if !Self.resourceHealthValues.contains(value) {
                        errs.append(unsupported(hp.child("health"), .string(value), Self.resourceHealthValues))
                    }
                    let id = Self.string(health["resourceID"])
                    if !ids.insert(id).inserted { errs.append(duplicate(hp.child("resourceID"), .string(id))) }
                }
            }
        }
        return errs
    }
}
