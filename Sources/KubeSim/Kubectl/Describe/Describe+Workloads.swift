/// `kubectl describe deployment|replicaset|daemonset`
/// (`KK:staging/src/k8s.io/kubectl/pkg/describe/describe.go`): `DeploymentDescriber`,
/// `ReplicaSetDescriber` and `DaemonSetDescriber`, each with the pod template they share.
extension Cluster {
    /// `DeploymentDescriber.Describe` and `describeDeployment`. The ReplicaSets are found as
    /// `deploymentutil.GetAllReplicaSets` (1.18) and `GetAllReplicaSetsInChunks` (1.36) find
    /// them; 1.18 shows the old ones still scaled up and always prints both lines, 1.36 shows
    /// every old one and prints the lines only when there is a ReplicaSet to name.
    func describeDeployment(_ d: JSON, showEvents: Bool) -> String {
        var w = DescribeWriter(version: config.version)
        w.write(0, "Name:\t\(d.name)\n")
        w.write(0, "Namespace:\t\(d.namespace)\n")
        w.write(0, "CreationTimestamp:\t\(Describe.rfc1123Z(d["metadata", "creationTimestamp"]))\n")
        Describe.labels(&w, "Labels", d.labels)
        Describe.annotations(&w, "Annotations", d.annotations)
        let spec = d["spec"], status = d["status"]
        w.write(0, "Selector:\t\(TablePrinter.labelSelectorString(spec["selector"]) ?? "")\n")
        w.write(0, "Replicas:\t\(spec["replicas"].int ?? 0) desired | \(status["updatedReplicas"].int ?? 0) updated"
            + " | \(status["replicas"].int ?? 0) total | \(status["availableReplicas"].int ?? 0) available"
            + " | \(status["unavailableReplicas"].int ?? 0) unavailable\n")
        w.write(0, "StrategyType:\t\(spec["strategy", "type"].string ?? "")\n")
        w.write(0, "MinReadySeconds:\t\(spec["minReadySeconds"].int ?? 0)\n")
        let rollingUpdate = spec["strategy", "rollingUpdate"]
        if rollingUpdate.object != nil {
            w.write(0, "RollingUpdateStrategy:\t\(Describe.intOrString(rollingUpdate["maxUnavailable"])) max unavailable, "
                + "\(Describe.intOrString(rollingUpdate["maxSurge"])) max surge\n")
        }
        Describe.podTemplate(&w, spec["template"])
        Describe.workloadConditions(&w, status["conditions"].array ?? [])
        if let sets = replicaSets(of: d) {
            let old = config.version == .v1_18 ? sets.old : sets.allOld
            let new = sets.new.map { [$0] } ?? []
            if config.version == .v1_18 || !old.isEmpty || !new.isEmpty {
                w.write(0, "OldReplicaSets:\t\(Self.replicaSetsByLabels(old))\n")
                w.write(0, "NewReplicaSet:\t\(Self.replicaSetsByLabels(new))\n")
            }
        }
        if showEvents { writeEvents(&w, about: d, kind: "Deployment") }
        return w.finish()
    }

    /// `ReplicaSetDescriber.Describe` and `describeReplicaSet`.
    func describeReplicaSet(_ rs: JSON, showEvents: Bool) -> String {
        var w = DescribeWriter(version: config.version)
        w.write(0, "Name:\t\(rs.name)\n")
        w.write(0, "Namespace:\t\(rs.namespace)\n")
        w.write(0, "Selector:\t\(TablePrinter.formatLabelSelector(rs["spec", "selector"]))\n")
        Describe.labels(&w, "Labels", rs.labels)
        Describe.annotations(&w, "Annotations", rs.annotations)
        if let controller = rs.controllerRef {
            w.write(0, "Controlled By:\t\(controller["kind"].string ?? "")/\(controller["name"].string ?? "")\n")
        }
        w.write(0, "Replicas:\t\(rs["status", "replicas"].int ?? 0) current / \(rs["spec", "replicas"].int ?? 0) desired\n")
        w.write(0, "Pods Status:\t")
        switch podStatusForController(rs) {
        case .success(let c):
            w.write(0, "\(c.running) Running / \(c.waiting) Waiting / \(c.succeeded) Succeeded / \(c.failed) Failed\n")
        case .failure(let error):
            w.write(0, "error in fetching pods: \(error.message)\n")
        }
        Describe.podTemplate(&w, rs["spec", "template"])
        Describe.workloadConditions(&w, rs["status", "conditions"].array ?? [])
        if showEvents { writeEvents(&w, about: rs, kind: "ReplicaSet") }
        return w.finish()
    }

    /// `DaemonSetDescriber.Describe` and `describeDaemonSet`; 1.18 printed no namespace.
    /// The lines without a tab end the column block above them, so `Pods Status` aligns alone.
    func describeDaemonSet(_ ds: JSON, showEvents: Bool) -> String {
        var w = DescribeWriter(version: config.version)
        let status = ds["status"]
        w.write(0, "Name:\t\(ds.name)\n")
        if config.version == .v1_36 { w.write(0, "Namespace:\t\(ds.namespace)\n") }
        w.write(0, "Selector:\t\(TablePrinter.labelSelectorString(ds["spec", "selector"]) ?? "")\n")
        w.write(0, "Node-Selector:\t\(TablePrinter.formatLabels(ds["spec", "template", "spec", "nodeSelector"]))\n")
        Describe.labels(&w, "Labels", ds.labels)
        Describe.annotations(&w, "Annotations", ds.annotations)
        w.write(0, "Desired Number of Nodes Scheduled: \(status["desiredNumberScheduled"].int ?? 0)\n")
        w.write(0, "Current Number of Nodes Scheduled: \(status["currentNumberScheduled"].int ?? 0)\n")
        w.write(0, "Number of Nodes Scheduled with Up-to-date Pods: \(status["updatedNumberScheduled"].int ?? 0)\n")
        w.write(0, "Number of Nodes Scheduled with Available Pods: \(status["numberAvailable"].int ?? 0)\n")
        w.write(0, "Number of Nodes Misscheduled: \(status["numberMisscheduled"].int ?? 0)\n")
        // Upstream fails the whole describe when the pods cannot be listed; kubesim has no
        // error to return here, and prints no pods instead.
        let c = (try? podStatusForController(ds).get()) ?? PodPhaseCounts()
        w.write(0, "Pods Status:\t\(c.running) Running / \(c.waiting) Waiting / \(c.succeeded) Succeeded / \(c.failed) Failed\n")
        Describe.podTemplate(&w, ds["spec", "template"])
        if showEvents { writeEvents(&w, about: ds, kind: "DaemonSet") }
        return w.finish()
    }

    // MARK: - What the describers look up

    fileprivate struct PodPhaseCounts { var running = 0, waiting = 0, succeeded = 0, failed = 0 }

    /// `getPodStatusForController`: the phases of the pods the selector lists whose
    /// controller is `owner` (orphans and other controllers' pods are skipped).
    private func podStatusForController(_ owner: JSON) -> Result<PodPhaseCounts, StatusError> {
        let selector = TablePrinter.labelSelectorString(owner["spec", "selector"]) ?? ""
        let listed = request(.list, "pods", namespace: owner.namespace) {
            $0.labelSelector = selector.isEmpty ? nil : selector
        }
        return listed.map { list in
            var c = PodPhaseCounts()
            for pod in list["items"].array ?? [] where pod.controllerRef?["uid"].string == owner.uid {
                switch pod["status", "phase"].string {
                case "Running": c.running += 1
                case "Pending": c.waiting += 1
                case "Succeeded": c.succeeded += 1
                case "Failed": c.failed += 1
                default: break
                }
            }
            return c
        }
    }

    /// kubectl's `deploymentutil` `GetAllReplicaSets`: the ReplicaSets the selector lists that
    /// the Deployment controls, by creation time then name; the new one is the oldest whose
    /// template equals the Deployment's but for the hash label; `old` leaves out those
    /// scaled to zero, `allOld` does not. nil when they cannot be listed.
    private func replicaSets(of d: JSON) -> (old: [JSON], allOld: [JSON], new: JSON?)? {
        guard let selector = TablePrinter.labelSelectorString(d["spec", "selector"]),
              case .success(let list) = request(.list, "replicasets", namespace: d.namespace, configure: {
                  $0.labelSelector = selector.isEmpty ? nil : selector
              })
        else { return nil }
        func created(_ rs: JSON) -> Int64 { rs.creationTimestamp?.nanos ?? Int64.min }
        let owned = (list["items"].array ?? []).filter { $0.controllerRef?["uid"].string == d.uid }.sorted {
            created($0) != created($1) ? created($0) < created($1) : JSON.utf8Less($0.name, $1.name)
        }
        let new = owned.first { DeploymentUtil.templatesEqualIgnoringHash($0["spec", "template"], d["spec", "template"]) }
        let allOld = owned.filter { new == nil || $0.uid != new?.uid }
        return (allOld.filter { ($0["spec", "replicas"].int ?? 0) != 0 }, allOld, new)
    }

    /// `printReplicaSetsByLabels`: `name (current/desired replicas created)`, or `<none>`.
    private static func replicaSetsByLabels(_ sets: [JSON]) -> String {
        let list = sets.map { "\($0.name) (\($0["status", "replicas"].int ?? 0)/\($0["spec", "replicas"].int ?? 0) replicas created)" }
        return list.isEmpty ? "<none>" : list.joined(separator: ", ")
    }

    /// `searchEvents` by the object's reference (`reference.GetReference` sets kind and uid),
    /// then `DescribeEvents`.
    private func writeEvents(_ w: inout DescribeWriter, about object: JSON, kind: String) {
        let uid = object.uid
        let found = events(about: object.name, namespace: object.namespace, kind: kind, uid: uid.isEmpty ? nil : uid)
        Describe.events(&w, found, now: now)
    }
}

// MARK: - The pod template and its containers

extension Describe {
    /// `DescribePodTemplate`. kubectl 1.36 adds topology spread constraints, node selectors,
    /// tolerations and the scheduling group.
    static func podTemplate(_ w: inout DescribeWriter, _ template: JSON) {
        w.write(0, "Pod Template:\n")
        guard template.object != nil else {
            w.write(1, "<unset>")
            return
        }
        let spec = template["spec"]
        labels(&w, "  Labels", template["metadata", "labels"])
        let templateAnnotations = template["metadata", "annotations"]
        if !(templateAnnotations.object?.isEmpty ?? true) { annotations(&w, "  Annotations", templateAnnotations) }
        if let account = spec["serviceAccountName"].string, !account.isEmpty {
            w.write(1, "Service Account:\t\(account)\n")
        }
        if let initContainers = spec["initContainers"].array, !initContainers.isEmpty {
            containers(&w, label: "Init Containers", initContainers, statuses: nil, space: "  ")
        }
        containers(&w, label: "Containers", spec["containers"].array ?? [], statuses: nil, space: "  ")
        volumes(&w, spec["volumes"].array ?? [], space: "  ")
        if w.version == .v1_36 { topologySpreadConstraints(&w, spec["topologySpreadConstraints"].array ?? [], space: "  ") }
        if let priorityClass = spec["priorityClassName"].string, !priorityClass.isEmpty {
            w.write(1, "Priority Class Name:\t\(priorityClass)\n")
        }
        if w.version == .v1_36 {
            labels(&w, "  Node-Selectors", spec["nodeSelector"])
            tolerations(&w, "  Tolerations", spec["tolerations"].array ?? [])
            if spec["schedulingGroup"].object != nil {
                w.write(0, "  SchedulingGroup:\n")
                w.write(1, "PodGroupName:\t\(spec["schedulingGroup", "podGroupName"].string ?? "")\n")
            }
        }
    }

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
            if let subPath = mount["subPath"].string, !subPath.isEmpty { flags.append("path=\(goQuote(subPath))") }
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
    static func tolerations(_ w: inout DescribeWriter, _ title: String, _ tolerations: [JSON],
                            initialIndent: String = "", innerIndent: String = "\t")
    {
        w.write(0, "\(initialIndent)\(title):\(innerIndent)")
        if tolerations.isEmpty {
            w.line("<none>")
            return
        }
        for (i, t) in stableSorted(tolerations, by: "key").enumerated() {
            if i != 0 { w.write(0, initialIndent + innerIndent) }
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

    /// `printConditions` of a workload: `Type \tStatus\tReason`.
    static func workloadConditions(_ w: inout DescribeWriter, _ conditions: [JSON]) {
        guard !conditions.isEmpty else { return }
        w.write(0, "Conditions:\n  Type\tStatus\tReason\n")
        w.write(1, "----\t------\t------\n")
        for c in conditions {
            w.write(1, "\(c["type"].string ?? "") \t\(c["status"].string ?? "")\t\(c["reason"].string ?? "")\n")
        }
    }

    // MARK: Go formatting

    /// `stringOrNone`.
    static func stringOrNone(_ s: String) -> String { s.isEmpty ? "<none>" : s }

    /// `IntOrString.String()`; `none` for a missing one (a nil pointer prints `<nil>`).
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

    /// `strconv.Quote`: Go's escapes, printable characters kept.
    static func goQuote(_ s: String) -> String {
        var out = "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\u{07}": out += "\\a"
            case "\u{08}": out += "\\b"
            case "\u{0C}": out += "\\f"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{0B}": out += "\\v"
            default:
                if isGoPrintable(scalar) {
                    out.unicodeScalars.append(scalar)
                } else if scalar.value < 0x80 {
                    out += "\\x" + hex(scalar.value, digits: 2)
                } else if scalar.value < 0x10000 {
                    out += "\\u" + hex(scalar.value, digits: 4)
                } else {
                    out += "\\U" + hex(scalar.value, digits: 8)
                }
            }
        }
        return out + "\""
    }

    /// `unicode.IsPrint`: letters, marks, numbers, punctuation, symbols and the ASCII space.
    private static func isGoPrintable(_ scalar: Unicode.Scalar) -> Bool {
        if scalar == " " { return true }
        switch scalar.properties.generalCategory {
        case .control, .format, .surrogate, .privateUse, .unassigned,
             .spaceSeparator, .lineSeparator, .paragraphSeparator: return false
        default: return true
        }
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

// MARK: - Volumes

extension Describe {
    /// `describeVolumes`: each volume by its source's printer (the first source present, in
    /// upstream's order), `<unknown>` for none it knows.
    static func volumes(_ w: inout DescribeWriter, _ volumes: [JSON], space: String) {
        if volumes.isEmpty {
            w.write(0, "\(space)Volumes:\t<none>\n")
            return
        }
        w.write(0, "\(space)Volumes:\n")
        for volume in volumes {
            w.write(1, "\(space.isEmpty ? "" : " ")\(volume["name"].string ?? ""):\n")
            let order = w.version == .v1_36 ? volumeSourceOrder36 : volumeSourceOrder18
            guard let source = order.first(where: { volume[$0].object != nil }) else {
                w.write(1, "<unknown>\n")
                continue
            }
            volumeSource(&w, source, volume[source])
        }
    }

    /// The sources in the order `describeVolumes` tests them.
    private static let volumeSourceOrder18 = [
        "hostPath", "emptyDir", "gcePersistentDisk", "awsElasticBlockStore", "gitRepo", "secret", "configMap", "nfs",
        "iscsi", "glusterfs", "persistentVolumeClaim", "rbd", "quobyte", "downwardAPI", "azureDisk", "vsphereVolume",
        "cinder", "photonPersistentDisk", "portworxVolume", "scaleIO", "cephfs", "storageos", "fc", "azureFile",
        "flexVolume", "flocker", "projected", "csi",
    ]
    private static let volumeSourceOrder36: [String] = {
        var order = volumeSourceOrder18
        order.insert("ephemeral", at: order.firstIndex(of: "rbd") ?? order.count)
        return order + ["image"]
    }()

    /// A field of a volume source, formatted as `%v` formats its Go type.
    private enum Field {
        case string(String), bool(String), int(String), strings(String), ref(String), map(String)
        case text(String)

        func format(_ source: JSON) -> String {
            switch self {
            case .string(let key): return source[key].string ?? ""
            case .bool(let key): return String(source[key].bool == true)
            case .int(let key): return String(source[key].int ?? 0)
            case .strings(let key): return goList(source[key])
            // A *LocalObjectReference: `&{name}`.
            case .ref(let key): return source[key].object == nil ? "<nil>" : "&{\(source[key, "name"].string ?? "")}"
            case .map(let key):
                let m = source[key]
                return "map[" + sortedKeys(m).map { "\($0):\(m[$0].string ?? "")" }.joined(separator: " ") + "]"
            case .text(let text): return text
            }
        }
    }

    /// `print…VolumeSource`: `Type:\t<what it is>`, then the fields, all at level 2.
    private static func fields(_ w: inout DescribeWriter, _ type: String, _ source: JSON, _ fields: [(String, Field)]) {
        w.write(2, "Type:\t\(type)\n" + fields.map { "    \($0.0)\t\($0.1.format(source))\n" }.joined())
    }

    private static func volumeSource(_ w: inout DescribeWriter, _ kind: String, _ s: JSON) {
        switch kind {
        case "hostPath":
            // A nil type prints <none>; the API server defaults it to "".
            fields(&w, "HostPath (bare host directory volume)", s,
                   [("Path:", .string("path")), ("HostPathType:", .text(s["type"].string ?? "<none>"))])
        case "emptyDir":
            let limit = Quantity(json: s["sizeLimit"]).flatMap { $0 > Quantity(integer: 0) ? $0.description : nil }
            fields(&w, "EmptyDir (a temporary directory that shares a pod's lifetime)", s,
                   [("Medium:", .string("medium")), ("SizeLimit:", .text(limit ?? "<unset>"))])
        case "gcePersistentDisk":
            fields(&w, "GCEPersistentDisk (a Persistent Disk resource in Google Compute Engine)", s,
                   [("PDName:", .string("pdName")), ("FSType:", .string("fsType")), ("Partition:", .int("partition")),
                    ("ReadOnly:", .bool("readOnly"))])
        case "awsElasticBlockStore":
            fields(&w, "AWSElasticBlockStore (a Persistent Disk resource in AWS)", s,
                   [("VolumeID:", .string("volumeID")), ("FSType:", .string("fsType")), ("Partition:", .int("partition")),
                    ("ReadOnly:", .bool("readOnly"))])
        case "gitRepo":
            fields(&w, "GitRepo (a volume that is pulled from git when the pod is created)", s,
                   [("Repository:", .string("repository")), ("Revision:", .string("revision"))])
        case "secret":
            fields(&w, "Secret (a volume populated by a Secret)", s,
                   [("SecretName:", .string("secretName")), ("Optional:", .bool("optional"))])
        case "configMap":
            fields(&w, "ConfigMap (a volume populated by a ConfigMap)", s,
                   [("Name:", .string("name")), ("Optional:", .bool("optional"))])
        case "nfs":
            fields(&w, "NFS (an NFS mount that lasts the lifetime of a pod)", s,
                   [("Server:", .string("server")), ("Path:", .string("path")), ("ReadOnly:", .bool("readOnly"))])
        case "iscsi":
            // "ISCSIInterface" has no colon upstream.
            fields(&w, "ISCSI (an ISCSI Disk resource that is attached to a kubelet's host machine and then exposed to the pod)", s,
                   [("TargetPortal:", .string("targetPortal")), ("IQN:", .string("iqn")), ("Lun:", .int("lun")),
                    ("ISCSIInterface", .string("iscsiInterface")), ("FSType:", .string("fsType")),
                    ("ReadOnly:", .bool("readOnly")), ("Portals:", .strings("portals")),
                    ("DiscoveryCHAPAuth:", .bool("chapAuthDiscovery")), ("SessionCHAPAuth:", .bool("chapAuthSession")),
                    ("SecretRef:", .ref("secretRef")), ("InitiatorName:", .text(s["initiatorName"].string ?? "<none>"))])
        case "glusterfs":
            fields(&w, "Glusterfs (a Glusterfs mount on the host that shares a pod's lifetime)", s,
                   [("EndpointsName:", .string("endpoints")), ("Path:", .string("path")), ("ReadOnly:", .bool("readOnly"))])
        case "persistentVolumeClaim":
            fields(&w, "PersistentVolumeClaim (a reference to a PersistentVolumeClaim in the same namespace)", s,
                   [("ClaimName:", .string("claimName")), ("ReadOnly:", .bool("readOnly"))])
        case "ephemeral":
            w.write(2, "Type:\tEphemeralVolume (an inline specification for a volume that gets created and deleted with the pod)\n")
            if s["volumeClaimTemplate"].object != nil { ephemeralClaim(&w, s["volumeClaimTemplate"]) }
        case "rbd":
            fields(&w, "RBD (a Rados Block Device mount on the host that shares a pod's lifetime)", s,
                   [("CephMonitors:", .strings("monitors")), ("RBDImage:", .string("image")), ("FSType:", .string("fsType")),
                    ("RBDPool:", .string("pool")), ("RadosUser:", .string("user")), ("Keyring:", .string("keyring")),
                    ("SecretRef:", .ref("secretRef")), ("ReadOnly:", .bool("readOnly"))])
        case "quobyte":
            fields(&w, "Quobyte (a Quobyte mount on the host that shares a pod's lifetime)", s,
                   [("Registry:", .string("registry")), ("Volume:", .string("volume")), ("ReadOnly:", .bool("readOnly"))])
        case "downwardAPI":
            w.write(2, "Type:\tDownwardAPI (a volume populated by information about the pod)\n    Items:\n")
            for item in s["items"].array ?? [] {
                let path = item["path"].string ?? ""
                if item["fieldRef"].object != nil { w.write(3, "\(item["fieldRef", "fieldPath"].string ?? "") -> \(path)\n") }
                if item["resourceFieldRef"].object != nil {
                    w.write(3, "\(item["resourceFieldRef", "resource"].string ?? "") -> \(path)\n")
                }
            }
        case "azureDisk":
            // Upstream dereferences fields the API server defaults; their defaults stand in.
            fields(&w, "AzureDisk (an Azure Data Disk mount on the host and bind mount to the pod)", s,
                   [("DiskName:", .string("diskName")), ("DiskURI:", .string("diskURI")),
                    ("Kind: ", .text(s["kind"].string ?? "Shared")), ("FSType:", .text(s["fsType"].string ?? "ext4")),
                    ("CachingMode:", .text(s["cachingMode"].string ?? "ReadWrite")), ("ReadOnly:", .bool("readOnly"))])
        case "vsphereVolume":
            fields(&w, "vSphereVolume (a Persistent Disk resource in vSphere)", s,
                   [("VolumePath:", .string("volumePath")), ("FSType:", .string("fsType")),
                    ("StoragePolicyName:", .string("storagePolicyName"))])
        case "cinder":
            fields(&w, "Cinder (a Persistent Disk resource in OpenStack)", s,
                   [("VolumeID:", .string("volumeID")), ("FSType:", .string("fsType")), ("ReadOnly:", .bool("readOnly")),
                    ("SecretRef:", .ref("secretRef"))])
        case "photonPersistentDisk":
            fields(&w, "PhotonPersistentDisk (a Persistent Disk resource in photon platform)", s,
                   [("PdID:", .string("pdID")), ("FSType:", .string("fsType"))])
        case "portworxVolume":
            fields(&w, "PortworxVolume (a Portworx Volume resource)", s, [("VolumeID:", .string("volumeID"))])
        case "scaleIO":
            fields(&w, "ScaleIO (a persistent volume backed by a block device in ScaleIO)", s,
                   [("Gateway:", .string("gateway")), ("System:", .string("system")),
                    ("Protection Domain:", .string("protectionDomain")), ("Storage Pool:", .string("storagePool")),
                    ("Storage Mode:", .string("storageMode")), ("VolumeName:", .string("volumeName")),
                    ("FSType:", .string("fsType")), ("ReadOnly:", .bool("readOnly"))])
        case "cephfs":
            fields(&w, "CephFS (a CephFS mount on the host that shares a pod's lifetime)", s,
                   [("Monitors:", .strings("monitors")), ("Path:", .string("path")), ("User:", .string("user")),
                    ("SecretFile:", .string("secretFile")), ("SecretRef:", .ref("secretRef")), ("ReadOnly:", .bool("readOnly"))])
        case "storageos":
            fields(&w, "StorageOS (a StorageOS Persistent Disk resource)", s,
                   [("VolumeName:", .string("volumeName")), ("VolumeNamespace:", .string("volumeNamespace")),
                    ("FSType:", .string("fsType")), ("ReadOnly:", .bool("readOnly"))])
        case "fc":
            let wwns = (s["targetWWNs"].array ?? []).map { $0.string ?? "" }.joined(separator: ", ")
            fields(&w, "FC (a Fibre Channel disk)", s,
                   [("TargetWWNs:", .text(wwns)), ("LUN:", .text(s["lun"].int.map { String($0) } ?? "<none>")),
                    ("FSType:", .string("fsType")), ("ReadOnly:", .bool("readOnly"))])
        case "azureFile":
            fields(&w, "AzureFile (an Azure File Service mount on the host and bind mount to the pod)", s,
                   [("SecretName:", .string("secretName")), ("ShareName:", .string("shareName")), ("ReadOnly:", .bool("readOnly"))])
        case "flexVolume":
            fields(&w, "FlexVolume (a generic volume resource that is provisioned/attached using an exec based plugin)", s,
                   [("Driver:", .string("driver")), ("FSType:", .string("fsType")), ("SecretRef:", .ref("secretRef")),
                    ("ReadOnly:", .bool("readOnly")), ("Options:", .map("options"))])
        case "flocker":
            fields(&w, "Flocker (a Flocker volume mounted by the Flocker agent)", s,
                   [("DatasetName:", .string("datasetName")), ("DatasetUUID:", .string("datasetUUID"))])
        case "projected":
            projected(&w, s)
        case "csi":
            fields(&w, "CSI (a Container Storage Interface (CSI) volume source)", s,
                   [("Driver:", .string("driver")), ("FSType:", .string("fsType")), ("ReadOnly:", .bool("readOnly"))])
            csiAttributes(&w, s["volumeAttributes"])
        case "image":
            fields(&w, "Image (a container image or OCI artifact)", s,
                   [("Reference:", .string("reference")), ("PullPolicy:", .string("pullPolicy"))])
        default:
            w.write(1, "<unknown>\n")
        }
    }

    /// `printProjectedVolumeSource`. kubectl 1.18 printed the sources' `Optional` pointers
    /// with `%v`: `<nil>` when unset, else an address (which differs run to run; kubesim
    /// prints a fixed one).
    private static func projected(_ w: inout DescribeWriter, _ s: JSON) {
        w.write(2, "Type:\tProjected (a volume that contains injected data from multiple sources)\n")
        func optional(_ ref: JSON, _ label: String) -> String {
            if w.version == .v1_36 { return "    Optional:\t\(ref["optional"].bool == true)\n" }
            return "    \(label):\t\(ref["optional"].isNull ? "<nil>" : "0xc000a1b2c8")\n"
        }
        for source in s["sources"].array ?? [] {
            if source["secret"].object != nil {
                w.write(2, "SecretName:\t\(source["secret", "name"].string ?? "")\n" + optional(source["secret"], "SecretOptionalName"))
            } else if source["downwardAPI"].object != nil {
                w.write(2, "DownwardAPI:\ttrue\n")
            } else if source["configMap"].object != nil {
                w.write(2, "ConfigMapName:\t\(source["configMap", "name"].string ?? "")\n"
                    + optional(source["configMap"], "ConfigMapOptional"))
            } else if source["serviceAccountToken"].object != nil {
                w.write(2, "TokenExpirationSeconds:\t\(source["serviceAccountToken", "expirationSeconds"].int ?? 0)\n")
            }
        }
    }

    /// `printCSIPersistentVolumeAttributesMultiline`: `key=value` lines at level 2, each cut
    /// at 140 bytes.
    private static func csiAttributes(_ w: inout DescribeWriter, _ attributes: JSON) {
        w.write(2, "VolumeAttributes:\t")
        let keys = sortedKeys(attributes)
        if keys.isEmpty {
            w.line("<none>")
            return
        }
        for (i, key) in keys.enumerated() {
            if i != 0 {
                w.write(2, "")
                w.write(2, "\t")
            }
            let line = "\(key)=\(attributes[key].string ?? "")"
            w.write(2, line.utf8.count > maxAnnotationLength
                ? String(decoding: line.utf8.prefix(maxAnnotationLength), as: UTF8.self) + "...\n" : line + "\n")
        }
    }

    /// `printPersistentVolumeClaim(NewNestedPrefixWriter(w, LEVEL_2), …, false)` for an
    /// ephemeral volume's claim template. The nested writer indents every write, so the
    /// labels' and annotations' continuations and `<none>` come out indented too.
    private static func ephemeralClaim(_ w: inout DescribeWriter, _ template: JSON) {
        let spec = template["spec"], meta = template["metadata"]
        // storageutil.GetPersistentVolumeClaimClass: the field, else the beta annotation.
        let storageClass = spec["storageClassName"].string
            ?? meta["annotations", "volume.beta.kubernetes.io/storage-class"].string ?? ""
        w.write(2, "StorageClass:\t\(storageClass)\n")
        w.write(2, "Volume:\t\(spec["volumeName"].string ?? "")\n")
        w.write(2, "Labels:\t")
        let labelKeys = sortedKeys(meta["labels"])
        if labelKeys.isEmpty { w.write(2, "<none>\n") }
        for (i, key) in labelKeys.enumerated() {
            if i != 0 {
                w.write(2, "")
                w.write(2, "\t")
            }
            w.write(2, "\(key)=\(meta["labels", key].string ?? "")\n")
        }
        w.write(2, "Annotations:\t")
        let annotationKeys = sortedKeys(meta["annotations"]).filter { $0 != lastAppliedAnnotation }
        if annotationKeys.isEmpty { w.write(2, "<none>\n") }
        for (i, key) in annotationKeys.enumerated() {
            if i != 0 { w.write(2, "\t") }
            var value = meta["annotations", key].string ?? ""
            if value.hasSuffix("\n") { value.removeLast() }
            if value.utf8.count + key.utf8.count + 2 > maxAnnotationLength || value.contains("\n") {
                w.write(2, "\(key):\n")
                for line in value.split(separator: "\n", omittingEmptySubsequences: false) {
                    w.write(2, "\t  \(shorten(String(line), maxAnnotationLength - 2))\n")
                }
            } else {
                w.write(2, "\(key): \(value)\n")
            }
        }
        // With no volume bound, capacity and access modes are empty.
        let boundVolume = !(spec["volumeName"].string ?? "").isEmpty
        w.write(2, "Capacity:\t\(boundVolume ? "0" : "")\n")
        w.write(2, "Access Modes:\t\n")
        if let mode = spec["volumeMode"].string { w.write(2, "VolumeMode:\t\(mode)\n") }
        if spec["dataSource"].object != nil {
            let source = spec["dataSource"]
            w.write(2, "DataSource:\n")
            if let group = source["apiGroup"].string { w.write(3, "APIGroup:\t\(group)\n") }
            w.write(3, "Kind:\t\(source["kind"].string ?? "")\n")
            w.write(3, "Name:\t\(source["name"].string ?? "")\n")
        }
    }
}
