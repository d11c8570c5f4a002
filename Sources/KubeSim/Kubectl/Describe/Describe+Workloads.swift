/// `kubectl describe deployment|replicaset|daemonset`
/// (`KK:staging/src/k8s.io/kubectl/pkg/describe/describe.go`): `DeploymentDescriber`,
/// `ReplicaSetDescriber`, `DaemonSetDescriber` and the `DescribePodTemplate` they share.
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
        if let controller = rs.controllerReference {
            w.write(0, "Controlled By:\t\(controller.kind ?? "")/\(controller.name ?? "")\n")
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
            for pod in list["items"].array ?? [] where pod.controllerReference?.uid == owner.uid {
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
        let owned = (list["items"].array ?? []).filter { $0.controllerReference?.uid == d.uid }.sorted {
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

// MARK: - The pod template

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

    /// `printConditions` of a workload: `Type \tStatus\tReason`.
    static func workloadConditions(_ w: inout DescribeWriter, _ conditions: [JSON]) {
        guard !conditions.isEmpty else { return }
        w.write(0, "Conditions:\n  Type\tStatus\tReason\n")
        w.write(1, "----\t------\t------\n")
        for c in conditions {
            w.write(1, "\(c["type"].string ?? "") \t\(c["status"].string ?? "")\t\(c["reason"].string ?? "")\n")
        }
    }
}
