/// `kubectl describe pod`: `PodDescriber` and `describePod` in kubectl's `describe.go`.
extension Cluster {
    func describePod(_ pod: JSON, showEvents: Bool) -> String {
        let v36 = config.version == .v1_36
        let spec = pod["spec"], status = pod["status"]
        var w = DescribeWriter(version: config.version)
        w.write(0, "Name:\t\(pod.name)\n")
        w.write(0, "Namespace:\t\(pod.namespace)\n")
        if let priority = spec["priority"].int { w.write(0, "Priority:\t\(priority)\n") }
        if let name = spec["priorityClassName"].string, !name.isEmpty { w.write(0, "Priority Class Name:\t\(name)\n") }
        if v36 {
            if let name = spec["runtimeClassName"].string, !name.isEmpty { w.write(0, "Runtime Class Name:\t\(name)\n") }
            if let name = spec["serviceAccountName"].string, !name.isEmpty { w.write(0, "Service Account:\t\(name)\n") }
        }
        let nodeName = spec["nodeName"].string ?? ""
        w.write(0, nodeName.isEmpty ? "Node:\t<none>\n" : "Node:\t\(nodeName)/\(status["hostIP"].string ?? "")\n")
        if status["startTime"].string != nil { w.write(0, "Start Time:\t\(Describe.rfc1123Z(status["startTime"]))\n") }
        Describe.labels(&w, "Labels", pod.labels)
        Describe.annotations(&w, "Annotations", pod.annotations)
        let phase = status["phase"].string ?? ""
        // 1.36 reports a finished pod's phase even while it is being deleted.
        if pod.isTerminating, !v36 || (phase != "Failed" && phase != "Succeeded") {
            w.write(0, "Status:\tTerminating (lasts \(Describe.since(pod["metadata", "deletionTimestamp"], now: now)))\n")
            w.write(0, "Termination Grace Period:\t\(pod["metadata", "deletionGracePeriodSeconds"].int ?? 0)s\n")
        } else {
            w.write(0, "Status:\t\(phase)\n")
        }
        if let reason = status["reason"].string, !reason.isEmpty { w.write(0, "Reason:\t\(reason)\n") }
        if let message = status["message"].string, !message.isEmpty { w.write(0, "Message:\t\(message)\n") }
        if v36, let seccomp = spec["securityContext", "seccompProfile"].object {
            let type = seccomp["type"]?.string ?? ""
            w.write(0, "SeccompProfile:\t\(type)\n")
            if type == "Localhost" { w.write(0, "LocalhostProfile:\t\(seccomp["localhostProfile"]?.string ?? "")\n") }
        }
        w.write(0, "IP:\t\(status["podIP"].string ?? "")\n")
        let ips = status["podIPs"].array ?? []
        if ips.isEmpty {
            w.write(0, "IPs:\t<none>\n")
        } else {
            w.write(0, "IPs:\n")
            for ip in ips { w.write(1, "IP:\t\(ip["ip"].string ?? "")\n") }
        }
        if let owner = pod.controllerReference {
            w.write(0, "Controlled By:\t\(owner.kind ?? "")/\(owner.name ?? "")\n")
        }
        if let nominated = status["nominatedNodeName"].string, !nominated.isEmpty {
            w.write(0, "NominatedNodeName:\t\(nominated)\n")
        }
        if v36, spec["resources"].object != nil {
            w.write(0, "Resources:\n")
            Describe.resources(&w, spec["resources"], level: 1)
        }

        let resolve = Describe.envValueRetriever(pod)
        let initContainers = spec["initContainers"].array ?? []
        if !initContainers.isEmpty {
            Describe.containers(&w, label: "Init Containers", initContainers,
                                statuses: status["initContainerStatuses"].array ?? [], space: "", resolve: resolve)
        }
        Describe.containers(&w, label: "Containers", spec["containers"].array ?? [],
                            statuses: status["containerStatuses"].array ?? [], space: "", resolve: resolve)
        let ephemeral = spec["ephemeralContainers"].array ?? []
        if !ephemeral.isEmpty {
            Describe.containers(&w, label: "Ephemeral Containers", ephemeral,
                                statuses: status["ephemeralContainerStatuses"].array ?? [], space: "", resolve: resolve)
        }
        let conditions = status["conditions"].array ?? []
        let gates = spec["readinessGates"].array ?? []
        if !gates.isEmpty {
            w.write(0, "Readiness Gates:\n  Type\tStatus\n")
            for gate in gates {
                let type = gate["conditionType"].string ?? ""
                let match = conditions.first { $0["type"].string == type }
                w.write(1, "\(type) \t\(match.map { $0["status"].string ?? "" } ?? "<none>") \n")
            }
        }
        if !conditions.isEmpty {
            w.write(0, "Conditions:\n  Type\tStatus\n")
            for c in conditions { w.write(1, "\(c["type"].string ?? "") \t\(c["status"].string ?? "") \n") }
        }
        Describe.volumes(&w, spec["volumes"].array ?? [], space: "")
        let qos = status["qosClass"].string ?? ""
        w.write(0, "QoS Class:\t\(qos.isEmpty ? Admission.qosClass(pod) : qos)\n")
        Describe.labels(&w, "Node-Selectors", spec["nodeSelector"])
        Describe.tolerations(&w, "Tolerations", spec["tolerations"].array ?? [])
        if v36 {
            Describe.topologySpreadConstraints(&w, spec["topologySpreadConstraints"].array ?? [], space: "")
            if spec["schedulingGroup"].object != nil {
                w.write(0, "SchedulingGroup:\n")
                w.write(1, "PodGroupName:\t\(spec["schedulingGroup", "podGroupName"].string ?? "")\n")
            }
        }
        if showEvents {
            // Found by name and uid, not kind; a mirror pod's events name its static pod's uid.
            let mirror = pod.annotations["kubernetes.io/config.mirror"].string
            Describe.events(&w, events(about: pod.name, namespace: pod.namespace, uid: mirror ?? pod.uid), now: now)
        }
        return w.finish()
    }
}
