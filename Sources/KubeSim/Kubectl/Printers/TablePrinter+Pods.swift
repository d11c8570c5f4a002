/// `kubectl get pods`: `printPod` in `KK:pkg/printers/internalversion/printers.go`.
extension TablePrinter {
    static let podTable = ResourceTable(
        columns: [
            .init("Name"), .init("Ready"), .init("Status"), .init("Restarts"), .init("Age"),
            .init("IP", wide: true), .init("Node", wide: true),
            .init("Nominated Node", wide: true), .init("Readiness Gates", wide: true),
        ],
        row: podRow
    )

    static func podRow(_ pod: JSON, _ ctx: CellContext) -> [String] {
        let summary = PodSummary(pod, version: ctx.version)
        var restarts = String(summary.restarts)
        // "N (X ago)" arrived in 1.22 (GH#100142); 1.18 printed the bare count.
        if ctx.version == .v1_36, summary.restarts != 0, let last = summary.lastRestart {
            restarts += " (\(HumanDuration.string(ctx.now - last)) ago)"
        }
        let status = pod["status"]
        var ip = status["podIPs"][index: 0]["ip"].string ?? ""
        if ip.isEmpty { ip = status["podIP"].string ?? "" }  // podIPs is filled from podIP on read
        return [
            name(pod),
            "\(summary.ready)/\(summary.total)",
            summary.reason,
            restarts,
            age(pod, ctx),
            orNone(ip),
            orNone(pod.nodeName),
            orNone(status["nominatedNodeName"].string ?? ""),
            readinessGates(pod),
        ]
    }

    static func orNone(_ s: String) -> String { s.isEmpty ? "<none>" : s }

    /// `<true>/<total>` over `spec.readinessGates`, or `<none>`.
    static func readinessGates(_ pod: JSON) -> String {
        let gates = pod["spec", "readinessGates"].array ?? []
        guard !gates.isEmpty else { return "<none>" }
        let conditions = pod["status", "conditions"].array ?? []
        var trueCount = 0
        for gate in gates {
            let type = gate["conditionType"].string ?? ""
            if let condition = conditions.first(where: { $0["type"].string == type }),
                condition["status"].string == "True"
            {
                trueCount += 1
            }
        }
        return "\(trueCount)/\(gates.count)"
    }
}

/// READY, STATUS and RESTARTS of one pod, computed as `printPod` does.
struct PodSummary {
    var ready = 0
    var total = 0
    var reason = ""
    var restarts = 0
    var lastRestart: VirtualTime?

    init(_ pod: JSON, version: KubernetesVersion) {
        let spec = pod["spec"]
        let status = pod["status"]
        let phase = status["phase"].string ?? ""
        total = spec["containers"].array?.count ?? 0
        reason = phase
        if let r = status["reason"].string, !r.isEmpty { reason = r }

        let conditions = status["conditions"].array ?? []
        if version == .v1_36,
            conditions.contains(where: { $0["type"].string == "PodScheduled" && $0["reason"].string == "SchedulingGated" })
        {
            reason = "SchedulingGated"
        }

        // Sidecars (init containers with restartPolicy Always, 1.28+) count as containers.
        var sidecars = Set<String>()
        if version == .v1_36 {
            for c in spec["initContainers"].array ?? [] where c["restartPolicy"].string == "Always" {
                sidecars.insert(c["name"].string ?? "")
                total += 1
            }
        }
        let initCount = spec["initContainers"].array?.count ?? 0

        var sidecarRestarts = 0
        var lastSidecarRestart: VirtualTime?
        var initializing = false
        for (i, c) in (status["initContainerStatuses"].array ?? []).enumerated() {
            let restartCount = c["restartCount"].int ?? 0
            restarts = restarts &+ restartCount
            let finished = Self.lastTerminationFinish(c)
            lastRestart = Self.later(lastRestart, finished)
            let isSidecar = sidecars.contains(c["name"].string ?? "")
            if isSidecar {
                sidecarRestarts = sidecarRestarts &+ restartCount
                lastSidecarRestart = Self.later(lastSidecarRestart, finished)
            }
            let terminated = c["state", "terminated"]
            let waiting = c["state", "waiting"]
            if terminated.object != nil, (terminated["exitCode"].int ?? 0) == 0 {
                continue
            }
            if isSidecar, c["started"].bool == true {
                if c["ready"].bool == true { ready += 1 }
                continue
            }
            if terminated.object != nil {
                reason = "Init:" + Self.terminatedReason(terminated)
            } else if let w = waiting["reason"].string, !w.isEmpty, w != "PodInitializing" {
                reason = "Init:" + w
            } else {
                reason = "Init:\(i)/\(initCount)"
            }
            initializing = true
            break
        }

        let initializedTrue = conditions.contains { $0["type"].string == "Initialized" && $0["status"].string == "True" }
        if !initializing || (version == .v1_36 && initializedTrue) {
            restarts = sidecarRestarts
            lastRestart = lastSidecarRestart
            var hasRunning = false
            var errorReason = ""
            for c in (status["containerStatuses"].array ?? []).reversed() {
                restarts = restarts &+ (c["restartCount"].int ?? 0)
                lastRestart = Self.later(lastRestart, Self.lastTerminationFinish(c))
                let terminated = c["state", "terminated"]
                if let w = c["state", "waiting", "reason"].string, !w.isEmpty {
                    reason = w
                } else if terminated.object != nil {
                    reason = Self.terminatedReason(terminated)
                    if (terminated["exitCode"].int ?? 0) != 0 { errorReason = reason }
                } else if c["ready"].bool == true, c["state", "running"].object != nil {
                    hasRunning = true
                    ready += 1
                }
            }
            if reason == "Completed" {
                switch version {
                case .v1_18:
                    if hasRunning { reason = "Running" }
                case .v1_36:
                    // A pod whose first container completed reads Running, the error of a failed
                    // container, or NotReady, in that order.
                    let podReady = conditions.contains { $0["type"].string == "Ready" && $0["status"].string == "True" }
                    if hasRunning && podReady {
                        reason = "Running"
                    } else if !errorReason.isEmpty {
                        reason = errorReason
                    } else if hasRunning {
                        reason = "NotReady"
                    }
                }
            }
        }

        if !pod["metadata", "deletionTimestamp"].isNull {
            switch version {
            case .v1_18:
                reason = status["reason"].string == "NodeLost" ? "Unknown" : "Terminating"
            case .v1_36:
                // Since 1.31 a terminal pod being deleted keeps its Completed/Error status.
                if status["reason"].string == "NodeLost" {
                    reason = "Unknown"
                } else if phase != "Succeeded" && phase != "Failed" {
                    reason = "Terminating"
                }
            }
        }
    }

    /// A terminated state's reason, else `Signal:N`, else `ExitCode:N`.
    static func terminatedReason(_ terminated: JSON) -> String {
        if let r = terminated["reason"].string, !r.isEmpty { return r }
        let signal = terminated["signal"].int ?? 0
        if signal != 0 { return "Signal:\(signal)" }
        return "ExitCode:\(terminated["exitCode"].int ?? 0)"
    }

    static func lastTerminationFinish(_ containerStatus: JSON) -> VirtualTime? {
        guard let text = containerStatus["lastState", "terminated", "finishedAt"].string else { return nil }
        return TablePrinter.time(text)
    }

    static func later(_ a: VirtualTime?, _ b: VirtualTime?) -> VirtualTime? {
        guard let b else { return a }
        guard let a else { return b }
        return b > a ? b : a
    }
}
