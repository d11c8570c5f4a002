/// Workload controllers: `printDeployment`, `printReplicaSet`, `printDaemonSet`,
/// `printStatefulSet`, `printJob`, `printCronJob` in `KK:pkg/printers/internalversion/printers.go`.
extension TablePrinter {
    static let deploymentTable = ResourceTable(
        columns: [
            .init("Name"), .init("Ready"), .init("Up-to-date"), .init("Available"), .init("Age"),
            .init("Containers", wide: true), .init("Images", wide: true), .init("Selector", wide: true),
        ]
    ) { d, ctx in
        let (names, images) = containerCells(d["spec", "template", "spec"])
        return [
            name(d),
            "\(int(d["status", "readyReplicas"]))/\(int(d["spec", "replicas"]))",
            String(int(d["status", "updatedReplicas"])),
            String(int(d["status", "availableReplicas"])),
            age(d, ctx),
            names, images,
            // printDeployment prints the selector itself: "" when empty, "<invalid>" on error.
            labelSelectorString(d["spec", "selector"]) ?? "<invalid>",
        ]
    }

    static let replicaSetTable = ResourceTable(
        columns: [
            .init("Name"), .init("Desired"), .init("Current"), .init("Ready"), .init("Age"),
            .init("Containers", wide: true), .init("Images", wide: true), .init("Selector", wide: true),
        ]
    ) { rs, ctx in
        let (names, images) = containerCells(rs["spec", "template", "spec"])
        return [
            name(rs),
            String(int(rs["spec", "replicas"])),
            String(int(rs["status", "replicas"])),
            String(int(rs["status", "readyReplicas"])),
            age(rs, ctx),
            names, images,
            formatLabelSelector(rs["spec", "selector"]),
        ]
    }

    static let daemonSetTable = ResourceTable(
        columns: [
            .init("Name"), .init("Desired"), .init("Current"), .init("Ready"), .init("Up-to-date"),
            .init("Available"), .init("Node Selector"), .init("Age"),
            .init("Containers", wide: true), .init("Images", wide: true), .init("Selector", wide: true),
        ]
    ) { ds, ctx in
        let status = ds["status"]
        let (names, images) = containerCells(ds["spec", "template", "spec"])
        return [
            name(ds),
            String(int(status["desiredNumberScheduled"])),
            String(int(status["currentNumberScheduled"])),
            String(int(status["numberReady"])),
            String(int(status["updatedNumberScheduled"])),
            String(int(status["numberAvailable"])),
            formatLabels(ds["spec", "template", "spec", "nodeSelector"]),
            age(ds, ctx),
            names, images,
            formatLabelSelector(ds["spec", "selector"]),
        ]
    }

    static let statefulSetTable = ResourceTable(
        columns: [.init("Name"), .init("Ready"), .init("Age"), .init("Containers", wide: true), .init("Images", wide: true)]
    ) { sts, ctx in
        let (names, images) = containerCells(sts["spec", "template", "spec"])
        return [
            name(sts),
            "\(int(sts["status", "readyReplicas"]))/\(int(sts["spec", "replicas"]))",
            age(sts, ctx),
            names, images,
        ]
    }

    /// The STATUS column arrived in 1.30.
    static func jobTable(_ version: KubernetesVersion) -> ResourceTable {
        var columns: [ResourceTable.Column] = [.init("Name")]
        if version == .v1_36 { columns.append(.init("Status")) }
        columns += [
            .init("Completions"), .init("Duration"), .init("Age"),
            .init("Containers", wide: true), .init("Images", wide: true), .init("Selector", wide: true),
        ]
        return ResourceTable(columns: columns) { job, ctx in
            let spec = job["spec"]
            let status = job["status"]
            let succeeded = int(status["succeeded"])
            var completions: String
            if let wanted = spec["completions"].int {
                completions = "\(succeeded)/\(wanted)"
            } else if let parallelism = spec["parallelism"].int, parallelism > 1 {
                completions = "\(succeeded)/1 of \(parallelism)"
            } else {
                completions = "\(succeeded)/1"
            }
            var duration = ""
            if let startText = status["startTime"].string, let start = time(startText) {
                if let endText = status["completionTime"].string, let end = time(endText) {
                    duration = HumanDuration.string(end - start)
                } else {
                    duration = HumanDuration.string(ctx.now - start)
                }
            }
            let (names, images) = containerCells(spec["template", "spec"])
            var cells = [name(job)]
            if ctx.version == .v1_36 { cells.append(jobStatus(job)) }
            cells += [completions, duration, age(job, ctx), names, images, formatLabelSelector(spec["selector"])]
            return cells
        }
    }

    /// First match wins, as in `printJob`.
    static func jobStatus(_ job: JSON) -> String {
        let conditions = job["status", "conditions"].array ?? []
        func has(_ type: String) -> Bool {
            conditions.first { $0["type"].string == type }?["status"].string == "True"
        }
        if has("Complete") { return "Complete" }
        if has("Failed") { return "Failed" }
        if !job["metadata", "deletionTimestamp"].isNull { return "Terminating" }
        if has("Suspended") { return "Suspended" }
        if has("FailureTarget") { return "FailureTarget" }
        if has("SuccessCriteriaMet") { return "SuccessCriteriaMet" }
        return "Running"
    }

    /// The TIMEZONE column arrived in 1.30.
    static func cronJobTable(_ version: KubernetesVersion) -> ResourceTable {
        var columns: [ResourceTable.Column] = [.init("Name"), .init("Schedule")]
        if version == .v1_36 { columns.append(.init("Timezone")) }
        columns += [
            .init("Suspend"), .init("Active"), .init("Last Schedule"), .init("Age"),
            .init("Containers", wide: true), .init("Images", wide: true), .init("Selector", wide: true),
        ]
        return ResourceTable(columns: columns) { cj, ctx in
            let spec = cj["spec"]
            var lastSchedule = "<none>"
            if !cj["status", "lastScheduleTime"].isNull {
                lastSchedule = since(cj["status", "lastScheduleTime"], ctx)
            }
            let suspend: String
            switch spec["suspend"].bool {
            case .some(true): suspend = "True"
            case .some(false): suspend = "False"
            case .none: suspend = "<unset>"
            }
            let jobSpec = spec["jobTemplate", "spec"]
            let (names, images) = containerCells(jobSpec["template", "spec"])
            var cells = [name(cj), spec["schedule"].string ?? ""]
            if ctx.version == .v1_36 { cells.append(spec["timeZone"].string ?? "<none>") }
            cells += [
                suspend, String(cj["status", "active"].array?.count ?? 0), lastSchedule, age(cj, ctx),
                names, images, formatLabelSelector(jobSpec["selector"]),
            ]
            return cells
        }
    }
}
