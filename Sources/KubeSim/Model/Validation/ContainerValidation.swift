/// Containers: `validateContainers`, `validateInitContainers`, `validateContainerCommon` and
/// what they call (ports, env, mounts, probes, resources) in `pkg/apis/core/validation`.
extension ObjectValidator {
    func validateContainers(_ containers: JSON, volumes: NameSet, grace: Int?,
                            _ path: @autoclosure () -> FieldPath) -> [FieldError]
    {
        let list = Self.array(containers)
        if list.isEmpty { return [required(path())] }
        var errs: [FieldError] = []
        var names = NameSet()
        for (i, c) in list.enumerated() {
            func p() -> FieldPath { path().index(i) }
            errs += validateContainerCommon(c, volumes: volumes, p())
            let name = Self.string(c["name"])
            if !names.insert(name).inserted { errs.append(duplicate(p().child("name"), .string(name))) }
            if c["lifecycle"].object != nil {
                errs += validateLifecycle(c["lifecycle"], grace: grace, p().child("lifecycle"))
            }
            errs += validateProbe(c["livenessProbe"], grace: grace, p().child("livenessProbe"), kind: .liveness)
            errs += validateProbe(c["readinessProbe"], grace: grace, p().child("readinessProbe"), kind: .readiness)
            errs += validateProbe(c["startupProbe"], grace: grace, p().child("startupProbe"), kind: .startup)
            if !c["restartPolicy"].isNull {
                errs.append(forbidden(p().child("restartPolicy"), "may not be set for non-init containers"))
            }
        }
        errs += hostPortConflicts(list, path())
        return errs
    }

    func validateInitContainers(_ containers: JSON, regular: JSON, volumes: NameSet, grace: Int?,
                                _ path: @autoclosure () -> FieldPath) -> [FieldError]
    {
        var errs: [FieldError] = []
        var names = NameSet(Self.array(regular).map { Self.string($0["name"]) })
        for (i, c) in Self.array(containers).enumerated() {
            func p() -> FieldPath { path().index(i) }
            errs += validateContainerCommon(c, volumes: volumes, p())
            var restartAlways = false
            if let policy = c["restartPolicy"].string {
                if policy != "Always" { errs.append(unsupported(p().child("restartPolicy"), .string(policy), ["Always"])) }
                restartAlways = policy == "Always"
            }
            let name = Self.string(c["name"])
            if names.contains(name) {
                errs.append(duplicate(p().child("name"), .string(name)))
            } else if !name.isEmpty {
                names.insert(name)
            }
            errs += hostPortConflicts([c], path())
            if restartAlways {
                if c["lifecycle"].object != nil {
                    errs += validateLifecycle(c["lifecycle"], grace: grace, p().child("lifecycle"))
                }
                errs += validateProbe(c["livenessProbe"], grace: grace, p().child("livenessProbe"), kind: .liveness)
                errs += validateProbe(c["readinessProbe"], grace: grace, p().child("readinessProbe"), kind: .readiness)
                errs += validateProbe(c["startupProbe"], grace: grace, p().child("startupProbe"), kind: .startup)
            } else {
                for field in ["lifecycle", "livenessProbe", "readinessProbe", "startupProbe"] where !c[field].isNull {
                    errs.append(forbidden(p().child(field),
                                          "may not be set for init containers without restartPolicy=Always"))
                }
            }
        }
        return errs
    }

    /// `validateContainerCommon`: what every kind of container must satisfy.
    private func validateContainerCommon(_ c: JSON, volumes: NameSet,
                                         _ path: @autoclosure () -> FieldPath) -> [FieldError]
    {
        var errs: [FieldError] = []
        let name = Self.string(c["name"])
        if name.isEmpty {
            errs.append(required(path().child("name")))
        } else {
            errs += errors(NameRules.dns1123Label(name, wording), path().child("name"), name)
        }
        if Self.string(c["image"]).isEmpty { errs.append(required(path().child("image"))) }
        let policy = Self.string(c["terminationMessagePolicy"])
        switch policy {
        case "File", "FallbackToLogsOnError": break
        case "": errs.append(required(path().child("terminationMessagePolicy")))
        default:
            errs.append(unsupported(path().child("terminationMessagePolicy"), .string(policy), ["File",
                                                                                              "FallbackToLogsOnError"]))
        }
        errs += validateContainerPorts(c["ports"], path().child("ports"))
        errs += validateEnv(c["env"], path().child("env"))
        errs += validateEnvFrom(c["envFrom"], path().child("envFrom"))
        errs += validateVolumeMounts(c["volumeMounts"], volumes: volumes, path().child("volumeMounts"))
        let pull = Self.string(c["imagePullPolicy"])
        switch pull {
        case "Always", "IfNotPresent", "Never": break
        case "": errs.append(required(path().child("imagePullPolicy")))
        default: errs.append(unsupported(path().child("imagePullPolicy"), .string(pull), ["Always", "IfNotPresent", "Never"]))
        }
        errs += validateResourceRequirements(c["resources"], path().child("resources"))
        let sc = c["securityContext"]
        for field in ["runAsUser", "runAsGroup"] {
            if let id = sc[field].int, !(0...Int(Int32.max)).contains(id) {
                errs.append(invalid(path().child("securityContext", field), .int(id), NameRules.inclusiveRange(0,
                        Int(Int32.max))))
            }
        }
        return errs
    }

    // MARK: - Ports

    private static let portProtocols = ["SCTP", "TCP", "UDP"]

    private func validateContainerPorts(_ ports: JSON, _ path: @autoclosure () -> FieldPath) -> [FieldError] {
        var errs: [FieldError] = []
        var names = NameSet()
        for (i, port) in Self.array(ports).enumerated() {
            func p() -> FieldPath { path().index(i) }
            let name = Self.string(port["name"])
            if !name.isEmpty {
                let messages = NameRules.portName(name, wording)
                if !messages.isEmpty {
                    errs += errors(messages, p().child("name"), name)
                } else if !names.insert(name).inserted {
                    errs.append(duplicate(p().child("name"), .string(name)))
                }
            }
            let containerPort = port["containerPort"].int ?? 0
            if containerPort == 0 {
                errs.append(required(p().child("containerPort")))
            } else {
                for msg in NameRules.portNumber(containerPort) {
                    errs.append(invalid(p().child("containerPort"), .int(containerPort), msg))
                }
            }
            let hostPort = port["hostPort"].int ?? 0
            if hostPort != 0 {
                for msg in NameRules.portNumber(hostPort) { errs.append(invalid(p().child("hostPort"), .int(hostPort), msg)) }
            }
            let proto = Self.string(port["protocol"])
            if proto.isEmpty {
                errs.append(required(p().child("protocol")))
            } else if !Self.portProtocols.contains(proto) {
                errs.append(unsupported(p().child("protocol"), .string(proto), Self.portProtocols))
            }
        }
        return errs
    }

    /// `AccumulateUniqueHostPorts`: a host port (per protocol and host IP) is used once.
    private func hostPortConflicts(_ containers: [JSON], _ path: @autoclosure () -> FieldPath) -> [FieldError] {
        var seen = NameSet()
        var errs: [FieldError] = []
        for (ci, c) in containers.enumerated() {
            for (pi, port) in Self.array(c["ports"]).enumerated() {
                let hostPort = port["hostPort"].int ?? 0
                if hostPort == 0 { continue }
                let key = "\(Self.string(port["protocol"]))/\(Self.string(port["hostIP"]))/\(hostPort)"
                if !seen.insert(key).inserted {
                    errs.append(duplicate(path().index(ci).child("ports").index(pi).child("hostPort"), .string(key)))
                }
            }
        }
        return errs
    }

    // MARK: - Environment

    private static let envFieldPaths = [
        "metadata.name", "metadata.namespace", "metadata.uid", "spec.nodeName", "spec.serviceAccountName",
        "status.hostIP", "status.hostIPs", "status.podIP", "status.podIPs",
    ]
    /// The labels `ConvertDownwardAPIFieldLabel` knows for v1 pods.
    private static let convertibleFieldPaths: Set<String> = [
        "metadata.annotations", "metadata.labels", "metadata.name", "metadata.namespace", "metadata.uid",
        "spec.nodeName", "spec.restartPolicy", "spec.serviceAccountName", "spec.schedulerName", "status.phase",
        "status.hostIP", "status.hostIPs", "status.podIP", "status.podIPs", "spec.host",
    ]

    private func validateEnv(_ env: JSON, _ path: @autoclosure () -> FieldPath) -> [FieldError] {
        var errs: [FieldError] = []
        for (i, e) in Self.array(env).enumerated() {
            func p() -> FieldPath { path().index(i) }
            let name = Self.string(e["name"])
            if name.isEmpty {
                errs.append(required(p().child("name")))
            } else {
                errs += errors(NameRules.envVarName(name, wording), p().child("name"), name)
            }
            errs += validateEnvValueFrom(e, p().child("valueFrom"))
        }
        return errs
    }

    private func validateEnvValueFrom(_ env: JSON, _ path: @autoclosure () -> FieldPath) -> [FieldError] {
        let from = env["valueFrom"]
        guard from.object != nil else { return [] }
        var errs: [FieldError] = []
        var sources = 0
        if from["fieldRef"].object != nil {
            sources += 1
            errs += validateFieldRef(from["fieldRef"], path().child("fieldRef"))
        }
        if from["resourceFieldRef"].object != nil {
            sources += 1
            if Self.string(from["resourceFieldRef", "resource"]).isEmpty {
                errs.append(required(path().child("resourceFieldRef", "resource")))
            }
        }
        for field in ["configMapKeyRef", "secretKeyRef"] where from[field].object != nil {
            sources += 1
            let ref = from[field]
            func p() -> FieldPath { path().child(field) }
            let name = Self.string(ref["name"])
            errs += errors(NameRules.dns1123Subdomain(name, wording), p().child("name"), name)
            let key = Self.string(ref["key"])
            if key.isEmpty {
                errs.append(required(p().child("key")))
            } else {
                errs += errors(NameRules.configMapKey(key), p().child("key"), key)
            }
        }
        if sources == 0 {
            errs.append(invalid(path(), "",
                                "must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`"))
        } else if !Self.string(env["value"]).isEmpty {
            errs.append(invalid(path(), "", "may not be specified when `value` is not empty"))
        } else if sources > 1 {
            errs.append(invalid(path(), "", "may not have more than one field specified at a time"))
        }
        return errs
    }

    private func validateFieldRef(_ ref: JSON, _ path: @autoclosure () -> FieldPath) -> [FieldError] {
        let apiVersion = Self.string(ref["apiVersion"])
        if apiVersion.isEmpty { return [required(path().child("apiVersion"))] }
        let fieldPath = Self.string(ref["fieldPath"])
        if fieldPath.isEmpty { return [required(path().child("fieldPath"))] }
        if apiVersion != "v1" {
            return [invalid(path().child("fieldPath"), .string(fieldPath),
                            "error converting fieldPath: unsupported pod version: \(apiVersion)")]
        }
        // `metadata.labels['key']`: a subscripted path.
        if let open = fieldPath.firstIndex(of: "["), fieldPath.hasSuffix("']") {
            let base = String(fieldPath[..<open])
            guard base == "metadata.labels" || base == "metadata.annotations" else {
                return [invalid(path().child("fieldPath"), .string(fieldPath),
                                "error converting fieldPath: field label does not support subscript: \(fieldPath)")]
            }
            let inner = fieldPath[fieldPath.index(after: open)...].dropFirst().dropLast(2)
            let key = base == "metadata.annotations" ? String(inner).lowercased() : String(inner)
            return errors(NameRules.labelKey(key, wording), path(), key)
        }
        guard Self.convertibleFieldPaths.contains(fieldPath) else {
            return [invalid(path().child("fieldPath"), .string(fieldPath),
                            "error converting fieldPath: field label not supported: \(fieldPath)")]
        }
        let resolved = fieldPath == "spec.host" ? "spec.nodeName" : fieldPath
        if !Self.envFieldPaths.contains(resolved) {
            return [unsupported(path().child("fieldPath"), .string(resolved), Self.envFieldPaths)]
        }
        return []
    }

    private func validateEnvFrom(_ envFrom: JSON, _ path: @autoclosure () -> FieldPath) -> [FieldError] {
        var errs: [FieldError] = []
        for (i, source) in Self.array(envFrom).enumerated() {
            func p() -> FieldPath { path().index(i) }
            let prefix = Self.string(source["prefix"])
            if !prefix.isEmpty { errs += errors(NameRules.envVarName(prefix, wording), p().child("prefix"), prefix) }
            var count = 0
            for field in ["configMapRef", "secretRef"] where source[field].object != nil {
                count += 1
                let name = Self.string(source[field, "name"])
                if name.isEmpty {
                    errs.append(required(p().child(field, "name")))
                } else {
                    errs += errors(NameRules.name(name, .dnsSubdomain, prefix: true, wording), p().child(field, "name"), name)
                }
            }
            if count == 0 {
                errs.append(invalid(path(), "", "must specify one of: `configMapRef` or `secretRef`"))
            } else if count > 1 {
                errs.append(invalid(path(), "", "may not have more than one field specified at a time"))
            }
        }
        return errs
    }

    // MARK: - Mounts

    private func validateVolumeMounts(_ mounts: JSON, volumes: NameSet,
                                      _ path: @autoclosure () -> FieldPath) -> [FieldError]
    {
        var errs: [FieldError] = []
        var mountPoints = NameSet()
        for (i, m) in Self.array(mounts).enumerated() {
            func p() -> FieldPath { path().index(i) }
            let name = Self.string(m["name"])
            let mountPath = Self.string(m["mountPath"])
            if name.isEmpty { errs.append(required(p().child("name"))) }
            if !volumes.contains(name) { errs.append(notFound(p().child("name"), .string(name))) }
            if mountPath.isEmpty { errs.append(required(p().child("mountPath"))) }
            if mountPoints.contains(mountPath) {
                errs.append(invalid(p().child("mountPath"), .string(mountPath), "must be unique"))
            }
            mountPoints.insert(mountPath)
            let subPath = Self.string(m["subPath"])
            let subPathExpr = Self.string(m["subPathExpr"])
            if !subPath.isEmpty, !subPathExpr.isEmpty {
                errs.append(invalid(p().child("subPathExpr"), .string(subPathExpr),
                                    "subPathExpr and subPath are mutually exclusive"))
            }
        }
        return errs
    }

    // MARK: - Probes and lifecycle

    enum ProbeKind { case liveness, readiness, startup }

    private func validateProbe(_ probe: JSON, grace: Int?,
                               _ path: @autoclosure () -> FieldPath, kind: ProbeKind) -> [FieldError]
    {
        guard probe.object != nil else { return [] }
        var errs = validateHandler(probe, grace: grace, path(), allowSleep: false)
        for field in ["initialDelaySeconds", "timeoutSeconds", "periodSeconds", "successThreshold", "failureThreshold"] {
            if let v = probe[field].int, v < 0 {
                errs.append(invalid(path().child(field), .int(v), "must be greater than or equal to 0"))
            }
        }
        if let t = probe["terminationGracePeriodSeconds"].int, t <= 0 {
            errs.append(invalid(path().child("terminationGracePeriodSeconds"), .int(t), "must be greater than 0"))
        }
        switch kind {
        case .liveness, .startup:
            let success = probe["successThreshold"].int ?? 0
            if success != 1 { errs.append(invalid(path().child("successThreshold"), .int(success), "must be 1")) }
        case .readiness:
            if let t = probe["terminationGracePeriodSeconds"].int {
                errs.append(invalid(path().child("terminationGracePeriodSeconds"), .int(t),
                                    "must not be set for readinessProbes"))
            }
        }
        return errs
    }

    private func validateLifecycle(_ lifecycle: JSON, grace: Int?, _ path: @autoclosure () -> FieldPath) -> [FieldError] {
        var errs: [FieldError] = []
        for hook in ["postStart", "preStop"] where lifecycle[hook].object != nil {
            errs += validateHandler(lifecycle[hook], grace: grace, path().child(hook), allowSleep: true)
        }
        return errs
    }

    /// `validateHandler`: exactly one of exec, httpGet, tcpSocket, grpc (probes) or sleep
    /// (lifecycle hooks).
    private func validateHandler(_ handler: JSON, grace: Int?,
                                 _ path: @autoclosure () -> FieldPath, allowSleep: Bool) -> [FieldError]
    {
        var errs: [FieldError] = []
        var count = 0
        let kinds = allowSleep ? ["exec", "httpGet", "tcpSocket", "sleep"] : ["exec", "httpGet", "tcpSocket", "grpc"]
        for kind in kinds where handler[kind].object != nil {
            if count > 0 {
                errs.append(forbidden(path().child(kind), "may not specify more than 1 handler type"))
                continue
            }
            count += 1
            let h = handler[kind]
            func p() -> FieldPath { path().child(kind) }
            switch kind {
            case "exec":
                if Self.array(h["command"]).isEmpty { errs.append(required(p().child("command"))) }
            case "httpGet":
                if Self.string(h["path"]).isEmpty { errs.append(required(p().child("path"))) }
                errs += validatePortNumOrName(h["port"], p().child("port"))
                let scheme = Self.string(h["scheme"])
                if scheme != "HTTP", scheme != "HTTPS" {
                    errs.append(unsupported(p().child("scheme"), .string(scheme), ["HTTP", "HTTPS"]))
                }
                for header in Self.array(h["httpHeaders"]) {
                    let name = Self.string(header["name"])
                    errs += errors(NameRules.httpHeaderName(name), p().child("httpHeaders"), name)
                }
            case "tcpSocket":
                errs += validatePortNumOrName(h["port"], p().child("port"))
            case "grpc":
                errs += validatePortNumOrName(.int(h["port"].int ?? 0), p().child("port"))
            case "sleep":
                let seconds = h["seconds"].int ?? 0
                if let grace, seconds < 0 || seconds > grace {
                    errs.append(invalid(p(), .int(seconds),
                                        "must be non-negative and less than terminationGracePeriodSeconds (\(grace))"))
                }
            default:
                break
            }
        }
        if count == 0 { errs.append(required(path(), "must specify a handler type")) }
        return errs
    }

    /// `ValidatePortNumOrName`: an int-or-string port.
    func validatePortNumOrName(_ port: JSON, _ path: @autoclosure () -> FieldPath) -> [FieldError] {
        switch port {
        case .string(let name):
            return errors(NameRules.portName(name, wording), path(), name)
        default:
            let n = port.int ?? 0
            return NameRules.portNumber(n).map { invalid(path(), .int(n), $0) }
        }
    }
}
