/// The containers of a pod or pod template, as `kubectl describe` prints them
/// (`KK:staging/src/k8s.io/kubectl/pkg/describe/describe.go`): `describeContainers` and the
/// `describeContainer…` functions it calls, `describeResources`, `DescribeProbe`,
/// `printTolerationsMultilineWithIndent`, `describeTopologySpreadConstraints` and
/// `EnvValueRetriever`.
extension Describe {
    /// `describeContainers`: each container, with its status (found by name) when the pod
    /// describer passes them, and `resolve` giving the values of `fieldRef` variables
    /// (`EnvValueRetriever`; none for a template).
    static func containers(_ w: inout DescribeWriter, label: String, _ containers: [JSON], statuses: [JSON]?,
                           space: String, resolve: ((JSON) -> String)? = nil)
    {
        var byName: [String: JSON] = [:]
        for status in statuses ?? [] { byName[status["name"].string ?? ""] = status }
        // describeContainersLabel
        w.write(0, "\(space)\(label):\(containers.isEmpty ? " <none>" : "")\n")
        for container in containers {
            let status = byName[container["name"].string ?? ""]
            containerBasicInfo(&w, container, status: status, space: space)
            containerCommand(&w, container)
            if let status { containerState(&w, status) }
            resources(&w, container["resources"], level: 2)
            containerProbes(&w, container)
            if !(container["envFrom"].array?.isEmpty ?? true) { containerEnvFrom(&w, container) }
            containerEnvVars(&w, container, resolve: resolve)
            containerVolumes(&w, container)
        }
    }

    /// `describeContainerBasicInfo`: name, IDs (with a status), image and ports; 1.36 names
    /// named ports and shows the seccomp profile.
    static func containerBasicInfo(_ w: inout DescribeWriter, _ container: JSON, status: JSON?, space: String) {
        w.write(1, "\(space.isEmpty ? "" : " ")\(container["name"].string ?? ""):\n")
        if let status { w.write(2, "Container ID:\t\(status["containerID"].string ?? "")\n") }
        w.write(2, "Image:\t\(container["image"].string ?? "")\n")
        if let status { w.write(2, "Image ID:\t\(status["imageID"].string ?? "")\n") }
        let ports = container["ports"].array ?? []
        func list(_ field: String) -> String {
            ports.map { port in
                let text = "\(port[field].int ?? 0)/\(port["protocol"].string ?? "")"
                let name = port["name"].string ?? ""
                return w.version == .v1_36 && !name.isEmpty ? "\(text) (\(name))" : text
            }.joined(separator: ", ")
        }
        let containerPorts = list("containerPort"), hostPorts = list("hostPort")
        w.write(2, containerPorts.contains(",") ? "Ports:\t\(containerPorts)\n" : "Port:\t\(stringOrNone(containerPorts))\n")
        w.write(2, hostPorts.contains(",") ? "Host Ports:\t\(hostPorts)\n" : "Host Port:\t\(stringOrNone(hostPorts))\n")
        let seccomp = container["securityContext", "seccompProfile"]
        if w.version == .v1_36, seccomp.object != nil {
            let type = seccomp["type"].string ?? ""
            w.write(2, "SeccompProfile:\t\(type)\n")
            if type == "Localhost" { w.write(3, "LocalhostProfile:\t\(seccomp["localhostProfile"].string ?? "")\n") }
        }
    }

    /// `describeContainerCommand`: command and args, one line each (split at newlines).
    static func containerCommand(_ w: inout DescribeWriter, _ container: JSON) {
        for (field, title) in [("command", "Command"), ("args", "Args")] {
            guard let items = container[field].array, !items.isEmpty else { continue }
            w.write(2, "\(title):\n")
            for item in items {
                for line in (item.string ?? "").split(separator: "\n", omittingEmptySubsequences: false) {
                    w.write(3, "\(line)\n")
                }
            }
        }
    }

    /// `describeResources` (1.18 `describeContainerResource`): limits, then requests, by name.
    static func resources(_ w: inout DescribeWriter, _ resources: JSON, level: Int) {
        for (field, title) in [("limits", "Limits"), ("requests", "Requests")] {
            let list = resources[field]
            let names = sortedKeys(list)
            if !names.isEmpty { w.write(level, "\(title):\n") }
            for name in names { w.write(level + 1, "\(name):\t\(quantity(list[name]))\n") }
        }
    }

    /// `Quantity.String()` of a stored quantity: its canonical form.
    static func quantity(_ value: JSON) -> String {
        Quantity(json: value)?.description ?? value.string ?? "0"
    }

    /// `describeContainerState`: state, the last state when it terminated, readiness, restarts.
    static func containerState(_ w: inout DescribeWriter, _ status: JSON) {
        containerStatus(&w, "State", status["state"])
        if status["lastState", "terminated"].object != nil { containerStatus(&w, "Last State", status["lastState"]) }
        w.write(2, "Ready:\t\(status["ready"].bool == true ? "True" : "False")\n")
        w.write(2, "Restart Count:\t\(status["restartCount"].int ?? 0)\n")
    }

    /// `describeStatus`: one `ContainerState`; none set reads as Waiting.
    static func containerStatus(_ w: inout DescribeWriter, _ stateName: String, _ state: JSON) {
        if state["running"].object != nil {
            w.write(2, "\(stateName):\tRunning\n")
            w.write(3, "Started:\t\(rfc1123Z(state["running", "startedAt"]))\n")
        } else if state["waiting"].object != nil {
            w.write(2, "\(stateName):\tWaiting\n")
            if let reason = state["waiting", "reason"].string, !reason.isEmpty { w.write(3, "Reason:\t\(reason)\n") }
        } else if state["terminated"].object != nil {
            let t = state["terminated"]
            w.write(2, "\(stateName):\tTerminated\n")
            if let reason = t["reason"].string, !reason.isEmpty { w.write(3, "Reason:\t\(reason)\n") }
            if let message = t["message"].string, !message.isEmpty { w.write(3, "Message:\t\(message)\n") }
            w.write(3, "Exit Code:\t\(t["exitCode"].int ?? 0)\n")
            if let signal = t["signal"].int, signal > 0 { w.write(3, "Signal:\t\(signal)\n") }
            w.write(3, "Started:\t\(rfc1123Z(t["startedAt"]))\n")
            w.write(3, "Finished:\t\(rfc1123Z(t["finishedAt"]))\n")
        } else {
            w.write(2, "\(stateName):\tWaiting\n")
        }
    }

    /// `describeContainerProbe`.
    static func containerProbes(_ w: inout DescribeWriter, _ container: JSON) {
        for (field, title) in [("livenessProbe", "Liveness"), ("readinessProbe", "Readiness"), ("startupProbe", "Startup")]
        where container[field].object != nil {
            w.write(2, "\(title):\t\(probe(container[field], version: w.version))\n")
        }
    }

    /// `DescribeProbe`: the handler and its timing. kubectl 1.18 knew no gRPC probes.
    static func probe(_ p: JSON, version: KubernetesVersion) -> String {
        let attrs = "delay=\(p["initialDelaySeconds"].int ?? 0)s timeout=\(p["timeoutSeconds"].int ?? 0)s"
            + " period=\(p["periodSeconds"].int ?? 0)s #success=\(p["successThreshold"].int ?? 0)"
            + " #failure=\(p["failureThreshold"].int ?? 0)"
        if p["exec"].object != nil {
            return "exec \(goList(p["exec", "command"])) \(attrs)"
        }
        if p["httpGet"].object != nil {
            let h = p["httpGet"]
            let host = h["host"].string ?? "", port = intOrString(h["port"], none: "0")
            let hostPort = port.isEmpty ? host : (host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)")
            return "http-get \(url(scheme: (h["scheme"].string ?? "").lowercased(), host: hostPort, path: h["path"].string ?? "")) \(attrs)"
        }
        if p["tcpSocket"].object != nil {
            return "tcp-socket \(p["tcpSocket", "host"].string ?? ""):\(intOrString(p["tcpSocket", "port"], none: "0")) \(attrs)"
        }
        if version == .v1_36, p["grpc"].object != nil {
            // The API server defaults a missing service to "".
            return "grpc <pod>:\(p["grpc", "port"].int ?? 0) \(p["grpc", "service"].string ?? "") \(attrs)"
        }
        return "unknown \(attrs)"
    }

    /// `describeContainerEnvVars`: values (a multi-line one continues below), and where the
    /// others come from.
    static func containerEnvVars(_ w: inout DescribeWriter, _ container: JSON, resolve: ((JSON) -> String)?) {
        let env = container["env"].array ?? []
        w.write(2, "Environment:\(env.isEmpty ? "\t<none>" : "")\n")
        for e in env {
            let name = e["name"].string ?? "", from = e["valueFrom"]
            guard from.object != nil else {
                for (i, line) in (e["value"].string ?? "").split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                    w.write(3, i == 0 ? "\(name):\t\(line)\n" : "\t\(line)\n")
                }
                continue
            }
            if from["fieldRef"].object != nil {
                let ref = from["fieldRef"]
                w.write(3, "\(name):\t\(resolve?(e) ?? "") (\(ref["apiVersion"].string ?? ""):\(ref["fieldPath"].string ?? ""))\n")
            } else if from["resourceFieldRef"].object != nil {
                let resource = from["resourceFieldRef", "resource"].string ?? ""
                var value = containerResourceValue(from["resourceFieldRef"], container) ?? ""
                if value == "0", resource == "limits.cpu" || resource == "limits.memory" { value = "node allocatable" }
                w.write(3, "\(name):\t\(value) (\(resource))\n")
            } else if from["secretKeyRef"].object != nil {
                let ref = from["secretKeyRef"]
                w.write(3, "\(name):\t<set to the key '\(ref["key"].string ?? "")' in secret '\(ref["name"].string ?? "")'>"
                    + "\tOptional: \(ref["optional"].bool == true)\n")
            } else if from["configMapKeyRef"].object != nil {
                let ref = from["configMapKeyRef"]
                w.write(3, "\(name):\t<set to the key '\(ref["key"].string ?? "")' of config map '\(ref["name"].string ?? "")'>"
                    + "\tOptional: \(ref["optional"].bool == true)\n")
            }
        }
    }

    /// `resourcehelper.ExtractContainerResourceValue`: the container's request or limit in
    /// units of the divisor (1 when zero), rounded up; nil for a resource it does not know.
    static func containerResourceValue(_ selector: JSON, _ container: JSON) -> String? {
        let resource = selector["resource"].string ?? ""
        guard let dot = resource.firstIndex(of: "."),
              ["limits", "requests"].contains(resource[..<dot]) else { return nil }
        let field = String(resource[..<dot]), name = String(resource[resource.index(after: dot)...])
        guard ["cpu", "memory", "ephemeral-storage"].contains(name) || name.hasPrefix("hugepages-") else { return nil }
        let amount = Quantity(json: container["resources", field, name]) ?? Quantity(integer: 0)
        var divisor = Quantity(json: selector["divisor"]) ?? Quantity(integer: 0)
        if divisor.isZero { divisor = Quantity(integer: 1) }
        // convertResourceCPUToString works in thousandths, the others in whole units.
        let (value, unit) = name == "cpu" ? (amount.milliValue, divisor.milliValue) : (amount.value, divisor.value)
        guard unit != 0 else { return nil }
        let ratio = (Double(value) / Double(unit)).rounded(.up)
        // Go's int64() of a float out of range gives the minimum on amd64; Swift's would trap.
        return String(ratio.magnitude < 9.2e18 ? Int64(ratio) : Int64.min)
    }

    /// `describeContainerEnvFrom`.
    static func containerEnvFrom(_ w: inout DescribeWriter, _ container: JSON) {
        let sources = container["envFrom"].array ?? []
        w.write(2, "Environment Variables from:\(sources.isEmpty ? "\t<none>" : "")\n")
        for e in sources {
            var from = "", name = "", optional = false
            if e["configMapRef"].object != nil {
                (from, name, optional) = ("ConfigMap", e["configMapRef", "name"].string ?? "", e["configMapRef", "optional"].bool == true)
            } else if e["secretRef"].object != nil {
                (from, name, optional) = ("Secret", e["secretRef", "name"].string ?? "", e["secretRef", "optional"].bool == true)
            }
            let prefix = e["prefix"].string ?? ""
            w.write(3, prefix.isEmpty ? "\(name)\t\(from)\tOptional: \(optional)\n"
                                      : "\(name)\t\(from) with prefix '\(prefix)'\tOptional: \(optional)\n")
        }
    }

    /// `describeContainerVolumes`: mounts by path, then devices by path. The devices' title
    /// takes the mounts' `<none>`, as upstream's does.
    static func containerVolumes(_ w: inout DescribeWriter, _ container: JSON) {
        let mounts = stableSorted(container["volumeMounts"].array ?? [], by: "mountPath")
        let none = mounts.isEmpty ? "\t<none>" : ""
        w.write(2, "Mounts:\(none)\n")
        for mount in mounts {
            var flags = [mount["readOnly"].bool == true ? "ro" : "rw"]
            if let subPath = mount["subPath"].string, !subPath.isEmpty { flags.append("path=\(GoValue.goQuote(subPath))") }
            w.write(3, "\(mount["mountPath"].string ?? "") from \(mount["name"].string ?? "") (\(flags.joined(separator: ",")))\n")
        }
        let devices = stableSorted(container["volumeDevices"].array ?? [], by: "devicePath")
        if !devices.isEmpty {
            w.write(2, "Devices:\(none)\n")
            for device in devices {
                w.write(3, "\(device["devicePath"].string ?? "") from \(device["name"].string ?? "")\n")
            }
        }
    }

    /// `printTolerationsMultilineWithIndent`: by key, as `key=value:Effect`; 1.36 adds
    /// `op=Exists` to a toleration that matches any value.
    static func tolerations(_ w: inout DescribeWriter, _ title: String, _ tolerations: [JSON]) {
        w.write(0, "\(title):\t")
        if tolerations.isEmpty {
            w.line("<none>")
            return
        }
        for (i, t) in stableSorted(tolerations, by: "key").enumerated() {
            if i != 0 { w.write(0, "\t") }
            let key = t["key"].string ?? "", value = t["value"].string ?? "", effect = t["effect"].string ?? ""
            var text = key
            if !value.isEmpty { text += "=\(value)" }
            if !effect.isEmpty { text += ":\(effect)" }
            if w.version == .v1_36, t["operator"].string == "Exists", value.isEmpty {
                text += key.isEmpty && effect.isEmpty ? "op=Exists" : " op=Exists"
            }
            if let seconds = t["tolerationSeconds"].int { text += " for \(seconds)s" }
            w.write(0, text + "\n")
        }
    }

    /// `describeTopologySpreadConstraints` (1.36): by topology key, one line each.
    static func topologySpreadConstraints(_ w: inout DescribeWriter, _ constraints: [JSON], space: String) {
        guard !constraints.isEmpty else { return }
        w.write(0, "\(space)Topology Spread Constraints:\t")
        for (i, c) in stableSorted(constraints, by: "topologyKey").enumerated() {
            if i != 0 { w.write(0, "\(space)\t") }
            var text = "\(c["topologyKey"].string ?? ""):\(c["whenUnsatisfiable"].string ?? "")"
                + " when max skew \(c["maxSkew"].int ?? 0) is exceeded"
            if !c["labelSelector"].isNull { text += " for selector \(TablePrinter.formatLabelSelector(c["labelSelector"]))" }
            w.write(0, text + "\n")
        }
    }

    /// `EnvValueRetriever`: kubectl's scheme converts only `metadata.name` and
    /// `metadata.namespace` field labels for a Pod, so every other field path resolves to "".
    static func envValueRetriever(_ pod: JSON) -> (JSON) -> String {
        { e in
            let ref = e["valueFrom", "fieldRef"]
            // schema.ParseGroupVersion: at most one "/".
            guard (ref["apiVersion"].string ?? "").split(separator: "/", omittingEmptySubsequences: false).count <= 2
            else { return "" }
            switch ref["fieldPath"].string {
            case "metadata.name": return pod.name
            case "metadata.namespace": return pod.namespace
            default: return ""
            }
        }
    }

    // MARK: Go formatting

    /// `stringOrNone`.
    static func stringOrNone(_ s: String) -> String { s.isEmpty ? "<none>" : s }

    /// `IntOrString.String()`; `none` for a missing one (a nil pointer prints `<nil>`). The
    /// PodDisruptionBudget table keeps its own: it prints `N/A` for a missing one, and reads
    /// a whole-number double such as `3.0` as missing where this prints `3`.
    static func intOrString(_ value: JSON, none: String = "<nil>") -> String {
        if let i = value.int { return String(i) }
        return value.string ?? none
    }

    /// `%v` of a `[]string`: `[a b c]`.
    static func goList(_ value: JSON) -> String {
        "[" + (value.array ?? []).map { $0.string ?? "" }.joined(separator: " ") + "]"
    }

    /// Ordered by a string field, keeping equal ones in order: Go's sorts of these short lists
    /// are insertion sorts, which are stable.
    static func stableSorted(_ items: [JSON], by field: String) -> [JSON] {
        items.enumerated().sorted {
            let a = $0.element[field].string ?? "", b = $1.element[field].string ?? ""
            return a == b ? $0.offset < $1.offset : JSON.utf8Less(a, b)
        }.map(\.element)
    }

    private static func hex(_ value: UInt32, digits: Int) -> String {
        let text = String(value, radix: 16)
        return String(repeating: "0", count: max(0, digits - text.count)) + text
    }

    /// `url.URL{Scheme, Host, Path}.String()`, the host and path escaped as Go escapes them.
    static func url(scheme: String, host: String, path: String) -> String {
        var out = scheme.isEmpty ? "" : scheme + ":"
        if !scheme.isEmpty || !host.isEmpty {
            if !host.isEmpty || !path.isEmpty { out += "//" }
            out += urlEscape(host, keep: "!$&'()*+,;=:[]<>\"-_.~")
        }
        let escapedPath = path == "*" ? path : urlEscape(path, keep: "-_.~$&+,/:;=@")
        if !escapedPath.isEmpty, !escapedPath.hasPrefix("/"), !host.isEmpty { out += "/" }
        if out.isEmpty, escapedPath.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false).first?.contains(":") == true {
            out += "./"
        }
        return out + escapedPath
    }

    /// Go's `url.escape`: bytes other than letters, digits and `keep` as `%XX`.
    private static func urlEscape(_ s: String, keep: String) -> String {
        let kept = Set(keep.utf8)
        var out = ""
        for byte in s.utf8 {
            let alnum = (0x30...0x39).contains(byte) || (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte)
            if alnum || kept.contains(byte) {
                out.unicodeScalars.append(Unicode.Scalar(byte))
            } else {
                out += "%" + hex(UInt32(byte), digits: 2).uppercased()
            }
        }
        return out
    }
}
