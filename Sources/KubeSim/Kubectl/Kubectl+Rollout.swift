/// `kubectl set image` (`pkg/cmd/set/set_image.go`) and `kubectl rollout status`
/// (`pkg/cmd/rollout`, `polymorphichelpers/rollout_status.go`): change a workload's images,
/// then watch its rollout finish in virtual time.
extension Cluster {
    func kubectlSetImage(_ flags: KubectlFlags, _ out: inout KubectlOutput) {
        guard flags.positional.first == "image" else {
            out.fail("error: unknown command \"set \(flags.positional.first ?? "")\" for \"kubectl\"")
            return
        }
        let args = Array(flags.positional.dropFirst())
        guard let firstPair = args.firstIndex(where: { $0.contains("=") }) else {
            out.fail("error: at least one image update is required")
            return
        }
        var images: [(container: String, image: String)] = []
        for pair in args[firstPair...] {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
            guard parts.count == 2, !parts[0].isEmpty else {
                out.fail("error: invalid image format: \(pair)")
                return
            }
            images.append((parts[0], parts[1]))
        }
        if images.contains(where: { $0.container == "*" }), images.count > 1 {
            out.fail("error: all containers are already specified by *, but saw more than one container_name=container_image pairs")
            return
        }
        guard let targets = resolveTargets(Array(args[..<firstPair]), flags, &out) else { return }
        for target in targets {
            let info = target.info
            // The pod spec: a pod's own, or the template's.
            let specPath = info.plural == "pods" ? ["spec"] : ["spec", "template", "spec"]
            guard ["pods", "deployments", "replicasets", "daemonsets", "statefulsets"].contains(info.plural) else {
                out.fail("error: the object of kind \(info.kind) does not have a pod template")
                continue
            }
            if target.names.isEmpty {
                out.fail("error: resource(s) were provided, but no name was specified")
                continue
            }
            for name in target.names {
                let object: JSON
                switch request(.get, info.plural, namespace: info.namespaced ? flags.namespace : nil, name: name) {
                case .success(let o): object = o
                case .failure(let e):
                    out.fail(e.kubectlMessage)
                    continue
                }
                var spec = object[path: specPath]
                var changed = false
                for (container, image) in images {
                    var found = false
                    for list in ["initContainers", "containers"] {
                        guard var containers = spec[list].array else { continue }
                        for i in containers.indices where container == "*" || containers[i]["name"].string == container {
                            found = true
                            if containers[i]["image"].string != image {
                                containers[i]["image"] = .string(image)
                                changed = true
                            }
                        }
                        spec[list] = .array(containers)
                    }
                    if !found { out.fail("error: unable to find container named \(GoValue.goQuote(container))") }
                }
                // No change, no patch and nothing printed.
                guard changed else { continue }
                var body = JSON.emptyObject
                body[path: specPath] = spec
                switch request(.patch, info.plural, namespace: object.namespace.isEmpty ? nil : object.namespace,
                               name: name, body: body)
                {
                case .success: out.print("\(Self.printedKind(info))/\(name) image updated")
                case .failure(let e): out.fail(e.kubectlMessage)
                }
            }
        }
    }

    /// `rollout status` of Deployments and DaemonSets: prints the status at once and again at
    /// every change to the object (as each watch event arrives, repeats and all), running the
    /// cluster until the rollout is done, fails, or `--timeout` passes.
    func kubectlRollout(_ flags: KubectlFlags, _ out: inout KubectlOutput) {
        switch flags.positional.first {
        case "status": rolloutStatus(flags, &out)
        case "history", "undo", "restart": rolloutRevision(flags, &out)
        default: out.fail("error: unknown command \"rollout \(flags.positional.first ?? "")\" for \"kubectl\"")
        }
    }

    private func rolloutStatus(_ flags: KubectlFlags, _ out: inout KubectlOutput) {
        guard let targets = resolveTargets(Array(flags.positional.dropFirst()), flags, &out) else { return }
        guard targets.count == 1, let target = targets.first, target.names.count == 1, let name = target.names.first else {
            out.fail("error: rollout status is only supported on individual resources and resource collections, but "
                + "\(targets.reduce(0) { $0 + max(1, $1.names.count) }) resources were found")
            return
        }
        let info = target.info
        guard info.plural == "deployments" || info.plural == "daemonsets" else {
            out.fail("error: no status viewer has been implemented for \(info.kind)")
            return
        }
        let timeout = (flags.timeout ?? .zero) > .zero ? flags.timeout ?? .zero : DrainOptions.unboundedWait
        // Never past the clock's end (a huge --timeout would otherwise run for ever).
        let deadline = min(now + timeout, max(now, .latest))
        var lastVersion = ""
        while true {
            let object: JSON
            switch request(.get, info.plural, namespace: flags.namespace, name: name) {
            case .success(let o): object = o
            case .failure(let e):
                out.fail(lastVersion.isEmpty ? e.kubectlMessage : "error: object has been deleted")
                return
            }
            if object.resourceVersion != lastVersion {
                lastVersion = object.resourceVersion
                switch info.plural == "deployments" ? Self.deploymentRolloutStatus(object) : Self.daemonSetRolloutStatus(object) {
                case .failure(let failure):
                    out.fail(failure.message)
                    return
                case .success(let (message, done)):
                    out.print(message)
                    if done { return }
                }
            }
            // Until the next message the cluster handles (any change arrives as one).
            if !simulation.step(limit: deadline) {
                simulation.run(until: deadline)
                out.fail("error: timed out waiting for the condition")
                return
            }
        }
    }

    /// `DeploymentStatusViewer.Status`: the message, and whether the rollout is done.
    static func deploymentRolloutStatus(_ d: JSON) -> Result<(String, Bool), KubectlFailure> {
        let name = GoValue.goQuote(d.name)
        guard (d["metadata", "generation"].int ?? 0) <= (d["status", "observedGeneration"].int ?? 0) else {
            return .success(("Waiting for deployment spec update to be observed...", false))
        }
        let progressing = d["status", "conditions"].array?.first { $0["type"].string == "Progressing" }
        if progressing?["reason"].string == "ProgressDeadlineExceeded" {
            return .failure(KubectlFailure("error: deployment \(name) exceeded its progress deadline"))
        }
        let status = d["status"]
        let replicas = status["replicas"].int ?? 0, updated = status["updatedReplicas"].int ?? 0
        let available = status["availableReplicas"].int ?? 0
        if let wanted = d["spec", "replicas"].int, updated < wanted {
            return .success(("Waiting for deployment \(name) rollout to finish: \(updated) out of \(wanted) new replicas have been updated...", false))
        }
        if replicas > updated {
            return .success(("Waiting for deployment \(name) rollout to finish: \(replicas - updated) old replicas are pending termination...", false))
        }
        if available < updated {
            return .success(("Waiting for deployment \(name) rollout to finish: \(available) of \(updated) updated replicas are available...", false))
        }
        return .success(("deployment \(name) successfully rolled out", true))
    }

    /// `DaemonSetStatusViewer.Status`.
    static func daemonSetRolloutStatus(_ ds: JSON) -> Result<(String, Bool), KubectlFailure> {
        guard (ds["spec", "updateStrategy", "type"].string ?? "RollingUpdate") == "RollingUpdate" else {
            return .failure(KubectlFailure("error: rollout status is only available for RollingUpdate strategy type"))
        }
        let name = GoValue.goQuote(ds.name)
        guard (ds["metadata", "generation"].int ?? 0) <= (ds["status", "observedGeneration"].int ?? 0) else {
            return .success(("Waiting for daemon set spec update to be observed...", false))
        }
        let status = ds["status"]
        let desired = status["desiredNumberScheduled"].int ?? 0
        let updated = status["updatedNumberScheduled"].int ?? 0, available = status["numberAvailable"].int ?? 0
        if updated < desired {
            return .success(("Waiting for daemon set \(name) rollout to finish: \(updated) out of \(desired) new pods have been updated...", false))
        }
        if available < desired {
            return .success(("Waiting for daemon set \(name) rollout to finish: \(available) of \(desired) updated pods are available...", false))
        }
        return .success(("daemon set \(name) successfully rolled out", true))
    }
}
