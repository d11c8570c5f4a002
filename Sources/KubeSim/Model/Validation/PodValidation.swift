/// Pods and pod templates: `pkg/apis/core/validation` `ValidatePodCreate`,
/// `ValidatePodUpdate`, `ValidatePodSpec` and `ValidatePodTemplateSpec`. Containers are in
/// ContainerValidation.swift, scheduling constraints in SchedulingValidation.swift.
///
/// Not modelled (accepted as given): security contexts beyond user and group ids, resource
/// claims, pod-level resources, topology spread constraints, DNS config details, OS-specific
/// rules, ephemeral containers (rejected on create, as upstream does).
extension ObjectValidator {
    func validatePodCreate(_ pod: JSON) -> [FieldError] {
        var errs = validatePodMetadataAndSpec(pod)
        let spec = FieldPath("spec")
        if !Self.array(pod["spec", "ephemeralContainers"]).isEmpty {
            errs.append(forbidden(spec.child("ephemeralContainers"), "cannot be set on create"))
        }
        if !Self.string(pod["spec", "nodeName"]).isEmpty, !Self.array(pod["spec", "schedulingGates"]).isEmpty {
            errs.append(forbidden(spec.child("nodeName"), "cannot be set until all schedulingGates have been cleared"))
        }
        return errs
    }

    private func validatePodMetadataAndSpec(_ pod: JSON) -> [FieldError] {
        var errs = validateObjectMeta(pod["metadata"], nameKind: .dnsSubdomain)
        let spec = pod["spec"]
        if memo?.podSpec.contains(spec) != true {
            // A DaemonSet's pods differ in their node affinity alone (each names its node),
            // which no other check of the spec reads: with the rest as in the last spec that
            // passed, the affinity is all there is to check.
            if memo?.podSpec.matches(spec, exceptValueOf: "affinity") == true,
               validateAffinity(spec["affinity"], FieldPath("spec").child("affinity")).isEmpty
            {
                memo?.podSpec.insert(spec)
            } else {
                let specErrs = validatePodSpec(spec, FieldPath("spec"), isPod: true)
                if specErrs.isEmpty { memo?.podSpec.insert(spec) }
                errs += specErrs
            }
        }
        // Pod-only: images may not carry surrounding whitespace (templates may, for
        // compatibility).
        for list in Self.containerLists {
            for (i, c) in Self.array(pod["spec", list]).enumerated() {
                let image = Self.string(c["image"])
                if Self.mayHaveSurroundingWhitespace(image), image != image.trimmingASCII(" \t\n\r") {
                    errs.append(invalid(FieldPath("spec").child(list).index(i).child("image"), .string(image),
                                        "must not have leading or trailing whitespace"))
                }
            }
        }
        return errs
    }

    static let containerLists = ["containers", "initContainers"]

    /// Whether the first or last byte is whitespace: only then can trimming change a string
    /// (the characters trimmed are single ASCII bytes).
    private static func mayHaveSurroundingWhitespace(_ s: String) -> Bool {
        func isSpace(_ b: UInt8?) -> Bool { b == 0x20 || b == 0x09 || b == 0x0a || b == 0x0d }
        return isSpace(s.utf8.first) || isSpace(s.utf8.last)
    }

    /// `ValidatePodTemplateSpec`: template labels and annotations, then the spec.
    func validatePodTemplateSpec(_ template: JSON, _ path: @autoclosure () -> FieldPath) -> [FieldError] {
        var errs = validateLabels(template["metadata", "labels"], path().child("labels"))
        errs += validateAnnotations(template["metadata", "annotations"], path().child("annotations"))
        let spec = template["spec"]
        if memo?.templateSpec.contains(spec) != true {
            let specErrs = validatePodSpec(spec, path().child("spec"), isPod: false)
            if specErrs.isEmpty { memo?.templateSpec.insert(spec) }
            errs += specErrs
        }
        if !Self.array(template["spec", "ephemeralContainers"]).isEmpty {
            errs.append(forbidden(path().child("spec", "ephemeralContainers"),
                                  "ephemeral containers not allowed in pod template"))
        }
        return errs
    }

    /// `ValidatePodSpec`, in upstream's order.
    func validatePodSpec(_ spec: JSON, _ path: @autoclosure () -> FieldPath, isPod: Bool) -> [FieldError] {
        var errs: [FieldError] = []
        if spec["terminationGracePeriodSeconds"].isNull {
            errs.append(required(path().child("terminationGracePeriodSeconds")))
        }
        let (volumes, volumeErrors) = validateVolumes(spec["volumes"], path().child("volumes"))
        errs += volumeErrors
        let grace = spec["terminationGracePeriodSeconds"].int
        errs += validateContainers(spec["containers"], volumes: volumes, grace: grace, path().child("containers"))
        errs += validateInitContainers(spec["initContainers"], regular: spec["containers"], volumes: volumes,
                                       grace: grace, path().child("initContainers"))
        errs += validateHostNetworkPorts(spec, path(), isPod: isPod)
        errs += validateRestartPolicy(spec["restartPolicy"], path().child("restartPolicy"))
        errs += validateDNSPolicy(spec["dnsPolicy"], path().child("dnsPolicy"))
        errs += validateLabels(spec["nodeSelector"], path().child("nodeSelector"))
        errs += validatePodSecurityContext(spec["securityContext"], path().child("securityContext"))
        errs += validateAffinity(spec["affinity"], path().child("affinity"))
        for (i, gate) in Self.array(spec["readinessGates"]).enumerated() {
            let t = Self.string(gate["conditionType"])
            errs += errors(NameRules.labelKey(t, wording), path().child("readinessGates").index(i).child("conditionType"), t)
        }
        var gates = NameSet()
        for (i, gate) in Self.array(spec["schedulingGates"]).enumerated() {
            let name = Self.string(gate["name"])
            errs += errors(NameRules.labelKey(name, wording), path().child("schedulingGates").index(i), name)
            if !gates.insert(name).inserted {
                errs.append(duplicate(path().child("schedulingGates").index(i), .string(name)))
            }
        }
        let serviceAccount = Self.string(spec["serviceAccountName"])
        if !serviceAccount.isEmpty {
            errs += errors(NameRules.dns1123Subdomain(serviceAccount, wording), path().child("serviceAccountName"),
                           serviceAccount)
        }
        let nodeName = Self.string(spec["nodeName"])
        if !nodeName.isEmpty {
            errs += errors(NameRules.dns1123Subdomain(nodeName, wording), path().child("nodeName"), nodeName)
        }
        if let deadline = spec["activeDeadlineSeconds"].int, deadline < 1 || deadline > Int(Int32.max) {
            errs.append(invalid(path().child("activeDeadlineSeconds"), .int(deadline),
                                NameRules.inclusiveRange(1, Int(Int32.max))))
        }
        for field in ["hostname", "subdomain"] {
            let v = Self.string(spec[field])
            if !v.isEmpty { errs += errors(NameRules.dns1123Label(v, wording), path().child(field), v) }
        }
        if !Self.array(spec["tolerations"]).isEmpty {
            errs += validateTolerations(spec["tolerations"], path().child("tolerations"))
        }
        if !Self.array(spec["topologySpreadConstraints"]).isEmpty {
            errs += validateTopologySpreadConstraints(spec["topologySpreadConstraints"],
                                                      path().child("topologySpreadConstraints"))
        }
        let priorityClass = Self.string(spec["priorityClassName"])
        if !priorityClass.isEmpty {
            errs += errors(NameRules.dns1123Subdomain(priorityClass, wording), path().child("priorityClassName"),
                           priorityClass)
        }
        if let runtimeClass = spec["runtimeClassName"].string {
            errs += errors(NameRules.dns1123Subdomain(runtimeClass, wording), path().child("runtimeClassName"), runtimeClass)
        }
        if let policy = spec["preemptionPolicy"].string {
            switch policy {
            case "PreemptLowerPriority", "Never": break
            case "": errs.append(required(path().child("preemptionPolicy")))
            default:
                errs.append(unsupported(path().child("preemptionPolicy"), .string(policy), ["PreemptLowerPriority", "Never"]))
            }
        }
        if spec["overhead"].object != nil {
            errs += validateResourceRequirements(["limits": spec["overhead"]], path().child("overhead"))
        }
        return errs
    }

    func validateRestartPolicy(_ value: JSON, _ path: @autoclosure () -> FieldPath) -> [FieldError] {
        let policy = Self.string(value)
        switch policy {
        case "Always", "OnFailure", "Never": return []
        case "": return [required(path())]
        default: return [unsupported(path(), .string(policy), ["Always", "OnFailure", "Never"])]
        }
    }

    private func validateDNSPolicy(_ value: JSON, _ path: @autoclosure () -> FieldPath) -> [FieldError] {
        let policy = Self.string(value)
        switch policy {
        case "ClusterFirstWithHostNet", "ClusterFirst", "Default", "None": return []
        case "": return [required(path())]
        default: return [unsupported(path(), .string(policy), ["ClusterFirstWithHostNet", "ClusterFirst", "Default", "None"])]
        }
    }

    /// `validatePodHostNetworkDeps`: with host networking a port's hostPort must equal its
    /// containerPort (templates may leave it 0; the pod's defaulting fills it).
    private func validateHostNetworkPorts(_ spec: JSON, _ path: @autoclosure () -> FieldPath, isPod: Bool) -> [FieldError] {
        guard spec["hostNetwork"].bool == true else { return [] }
        var errs: [FieldError] = []
        for (i, c) in Self.array(spec["containers"]).enumerated() {
            for (j, port) in Self.array(c["ports"]).enumerated() {
                let hp = port["hostPort"].int ?? 0
                let cp = port["containerPort"].int ?? 0
                if (isPod || hp != 0), hp != cp {
                    errs.append(invalid(path().child("containers").index(i).child("ports").index(j).child("hostPort"),
                                        .int(hp), "must match `containerPort` when `hostNetwork` is true"))
                }
            }
        }
        return errs
    }

    /// The ids `validatePodSpecSecurityContext` checks (`IsValidUserID`, `IsValidGroupID`).
    private func validatePodSecurityContext(_ sc: JSON, _ path: @autoclosure () -> FieldPath) -> [FieldError] {
        var errs: [FieldError] = []
        for field in ["fsGroup", "runAsUser", "runAsGroup"] {
            if let id = sc[field].int, !(0...Int(Int32.max)).contains(id) {
                errs.append(invalid(path().child(field), .int(id), NameRules.inclusiveRange(0, Int(Int32.max))))
            }
        }
        return errs
    }

    // MARK: - Volumes

    /// The volume sources a pod may name (one each); `Defaulting` gives a sourceless volume
    /// an `emptyDir`.
    static let volumeSources = [
        "hostPath", "emptyDir", "gcePersistentDisk", "awsElasticBlockStore", "gitRepo", "secret", "nfs", "iscsi",
        "glusterfs", "persistentVolumeClaim", "rbd", "flexVolume", "cinder", "cephfs", "flocker", "downwardAPI", "fc",
        "azureFile", "configMap", "vsphereVolume", "quobyte", "azureDisk", "photonPersistentDisk", "projected",
        "portworxVolume", "scaleIO", "storageos", "csi", "ephemeral", "image",
    ]

    /// `ValidateVolumes`: names (DNS labels, unique) and exactly one source; returns the names
    /// of the valid volumes, which mounts must refer to.
    func validateVolumes(_ volumes: JSON, _ path: @autoclosure () -> FieldPath) -> (NameSet, [FieldError]) {
        var names = NameSet()
        var errs: [FieldError] = []
        for (i, volume) in Self.array(volumes).enumerated() {
            func p() -> FieldPath { path().index(i) }
            let name = Self.string(volume["name"])
            var el = validateVolumeSource(volume, p())
            if name.isEmpty {
                el.append(required(p().child("name")))
            } else {
                el += errors(NameRules.dns1123Label(name, wording), p().child("name"), name)
            }
            if names.contains(name) { el.append(duplicate(p().child("name"), .string(name))) }
            if el.isEmpty { names.insert(name) } else { errs += el }
        }
        return (names, errs)
    }

    private func validateVolumeSource(_ volume: JSON, _ path: @autoclosure () -> FieldPath) -> [FieldError] {
        var errs: [FieldError] = []
        var count = 0
        for source in Self.presentVolumeSources(volume) {
            if count > 0 {
                errs.append(forbidden(path().child(source), "may not specify more than 1 volume type"))
                continue
            }
            count += 1
            let s = volume[source]
            func p() -> FieldPath { path().child(source) }
            switch source {
            case "hostPath":
                if Self.string(s["path"]).isEmpty { errs.append(required(p().child("path"))) }
            case "secret":
                if Self.string(s["secretName"]).isEmpty { errs.append(required(p().child("secretName"))) }
                errs += validateFileMode(s["defaultMode"], p().child("defaultMode"))
            case "configMap":
                if Self.string(s["name"]).isEmpty { errs.append(required(p().child("name"))) }
                errs += validateFileMode(s["defaultMode"], p().child("defaultMode"))
            case "persistentVolumeClaim":
                if Self.string(s["claimName"]).isEmpty { errs.append(required(p().child("claimName"))) }
            case "nfs":
                if Self.string(s["server"]).isEmpty { errs.append(required(p().child("server"))) }
                let nfsPath = Self.string(s["path"])
                if nfsPath.isEmpty { errs.append(required(p().child("path"))) }
                if !nfsPath.hasPrefix("/") {
                    errs.append(invalid(p().child("path"), .string(nfsPath), "must be an absolute path"))
                }
            case "downwardAPI", "projected":
                errs += validateFileMode(s["defaultMode"], p().child("defaultMode"))
            default:
                break
            }
        }
        if count == 0 { errs.append(required(path(), "must specify a volume type")) }
        return errs
    }

    private static let volumeSourceOrder: [String: Int] = {
        var order: [String: Int] = [:]
        for (i, source) in volumeSources.enumerated() { order[source] = i }
        return order
    }()

    /// The volume's non-null source members in `volumeSources` order (its own members are
    /// few; looking each of the 30 sources up is not).
    private static func presentVolumeSources(_ volume: JSON) -> [String] {
        guard case .object(let members) = volume else { return [] }
        var present: [(order: Int, source: String)] = []
        for (key, value) in members where !value.isNull {
            if let order = volumeSourceOrder[key] { present.append((order, key)) }
        }
        if present.count > 1 { present.sort { $0.order < $1.order } }
        return present.map(\.source)
    }

    private func validateFileMode(_ mode: JSON, _ path: @autoclosure () -> FieldPath) -> [FieldError] {
        guard let m = mode.int, m < 0 || m > 0o777 else { return [] }
        return [invalid(path(), .int(m), "must be a number between 0 and 0777 (octal), both inclusive")]
    }

    // MARK: - Update

    /// `ValidatePodUpdate`: metadata and spec as on create, then only images, active
    /// deadline, added tolerations and removed scheduling gates may change.
    func validatePodUpdate(_ new: JSON, _ old: JSON) -> [FieldError] {
        var errs = validateObjectMetaUpdate(new["metadata"], old["metadata"])
        errs += validatePodMetadataAndSpec(new)
        let spec = FieldPath("spec")
        for list in ["containers", "initContainers"] {
            let newList = Self.array(new["spec", list])
            if newList.count != Self.array(old["spec", list]).count {
                errs.append(forbidden(spec.child(list), "pod updates may not add or remove containers"))
                return errs
            }
            for (i, c) in newList.enumerated() where Self.string(c["image"]).isEmpty {
                errs.append(required(spec.child(list).index(i).child("image")))
            }
        }
        let newDeadline = new["spec", "activeDeadlineSeconds"]
        let oldDeadline = old["spec", "activeDeadlineSeconds"].int
        if let d = newDeadline.int {
            if d < 0 || d > Int(Int32.max) {
                errs.append(invalid(spec.child("activeDeadlineSeconds"), .int(d), NameRules.inclusiveRange(0,
                                                                                                           Int(Int32.max))))
                return errs
            }
            if let o = oldDeadline, o < d {
                errs.append(invalid(spec.child("activeDeadlineSeconds"), .int(d),
                                    "must be less than or equal to previous value"))
                return errs
            }
        } else if oldDeadline != nil {
            errs.append(invalid(spec.child("activeDeadlineSeconds"), .null,
                                "must not update from a positive integer to nil value"))
        }
        errs += validateOnlyAddedTolerations(new["spec", "tolerations"], old["spec", "tolerations"],
                                             spec.child("tolerations"))
        for (i, gate) in Self.array(new["spec", "schedulingGates"]).enumerated() {
            let name = Self.string(gate["name"])
            if !Self.array(old["spec", "schedulingGates"]).contains(where: { Self.string($0["name"]) == name }) {
                errs.append(forbidden(spec.child("schedulingGates").index(i).child("name"),
                                      "only deletion is allowed, but found new scheduling gate '\(name)'"))
            }
        }
        // Identical specs (the usual update: metadata or status only) need no canonical
        // comparison; `comparable` of equal values is equal.
        if new["spec"] != old["spec"], Self.comparable(new["spec"]) != Self.comparable(old["spec"]) {
            var munged = new["spec"]
            let oldSpec = old["spec"]
            for list in ["containers", "initContainers"] {
                if case .array(var items) = munged[list], let oldItems = oldSpec[list].array {
                    for i in items.indices where i < oldItems.count { items[i]["image"] = oldItems[i]["image"] }
                    munged[list] = .array(items)
                }
            }
            munged["activeDeadlineSeconds"] = oldSpec["activeDeadlineSeconds"]
            munged["schedulingGates"] = oldSpec["schedulingGates"]
            munged["tolerations"] = oldSpec["tolerations"]
            if let o = oldSpec["terminationGracePeriodSeconds"].int, o < 0,
                munged["terminationGracePeriodSeconds"].int == 1
            {
                munged["terminationGracePeriodSeconds"] = .int(o)
            }
            // Gated pods may gain node selector entries.
            if !Self.array(oldSpec["schedulingGates"]).isEmpty {
                let oldSelector = Self.stringMap(oldSpec["nodeSelector"])
                let newSelector = Self.stringMap(munged["nodeSelector"])
                let kept = oldSelector.allSatisfy { o in newSelector.contains { $0.key == o.key && $0.value == o.value } }
                if kept {
                    munged["nodeSelector"] = oldSpec["nodeSelector"]
                } else {
                    errs.append(invalid(spec.child("nodeSelector"), .stringMap(munged["nodeSelector"]),
                                        "only additions to spec.nodeSelector are allowed (no mutations or deletions)"))
                    munged["nodeSelector"] = oldSpec["nodeSelector"]
                }
            }
            if Self.comparable(munged) != Self.comparable(oldSpec) {
                // Upstream appends a cmp.Diff of the two specs, which Go's types shape; kubesim
                // states the rule without it.
                errs.append(forbidden(spec, wording.podUpdateMessage))
            }
        }
        return errs
    }

    /// A spec reduced to what `apiequality.Semantic.DeepEqual` compares: members holding a
    /// zero value (null, "", 0, false, empty list or map) count as absent, and member order
    /// is irrelevant.
    static func comparable(_ value: JSON) -> String {
        func strip(_ v: JSON) -> JSON? {
            switch v {
            case .null: return nil
            case .bool(let b): return b ? v : nil
            case .int(let i): return i == 0 ? nil : v
            case .double(let d): return d == 0 ? nil : v
            case .string(let s): return s.isEmpty ? nil : v
            case .array(let a): return a.isEmpty ? nil : .array(a.map { strip($0) ?? .null })
            case .object(let o):
                var out = o
                for (k, member) in o {
                    if let s = strip(member) { out[k] = s } else { out.removeValue(forKey: k) }
                }
                return out.isEmpty ? nil : .object(out)
            }
        }
        return (strip(value) ?? .null).canonical()
    }
}

extension String {
    /// Trims the given ASCII characters from both ends (no Foundation needed).
    fileprivate func trimmingASCII(_ set: String) -> String {
        let chars = Set(set)
        guard let first = firstIndex(where: { !chars.contains($0) }),
            let last = lastIndex(where: { !chars.contains($0) })
        else { return "" }
        return String(self[first...last])
    }
}
