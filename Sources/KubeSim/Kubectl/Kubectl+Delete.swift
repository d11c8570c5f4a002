/// `kubectl delete` (`KK:staging/src/k8s.io/kubectl/pkg/cmd/delete`): deletes each object
/// named, listed (`--all`, `-l`, `--field-selector`) or read from `-f -`, then, unless
/// `--wait=false`, runs the cluster until every one of them is gone — a pod through its
/// grace period, an object behind finalizers until they are removed — as kubectl waits with
/// `IsDeleted` (an object recreated under the name, with another uid, counts as gone).
/// `--timeout` bounds the wait (0, the default, is a week); `--dry-run=client` only prints,
/// `--dry-run=server` has the API server dry-run each delete (and does not wait).
extension Cluster {
    func kubectlDelete(_ flags: KubectlFlags, _ out: inout KubectlOutput) {
        let v36 = config.version == .v1_36
        // `--cascade`: the deletion's propagationPolicy. 1.18's flag is a boolean (false:
        // orphan); 1.36's `GetCascadingStrategy` takes a word, or a boolean with a warning.
        var propagation = "Background"
        if !v36 {
            if let cascade = flags.cascade {
                switch KubectlFlags.boolValue("--cascade", cascade.isEmpty ? nil : cascade) {
                case .failure(let failure):
                    out.fail(failure.message)
                    return
                case .success(let on): if !on { propagation = "Orphan" }
                }
            }
        } else {
            switch flags.cascade.map({ $0.isEmpty ? "background" : $0 }) ?? "background" {
            case "background": break
            case "orphan": propagation = "Orphan"
            case "foreground": propagation = "Foreground"
            case "true", "false":
                let replacement = flags.cascade == "true" ? "background" : "orphan"
                out.warn("warning: --cascade=\(flags.cascade ?? "") is deprecated (boolean value) and can be replaced with --cascade=\(replacement).")
                if flags.cascade == "false" { propagation = "Orphan" }
            default:
                out.fail("error: invalid cascade value (\(flags.cascade ?? "")). Must be \"background\", \"foreground\", or \"orphan\"")
                return
            }
        }
        // Complete: --now is a grace period of 1; 0 without --force is 1 as well (kept from
        // before force deletion existed); --force alone is 0.
        var grace = flags.gracePeriod ?? -1
        if flags.now {
            if grace != -1 {
                out.fail("error: --now and --grace-period cannot be specified together")
                return
            }
            grace = 1
        }
        if grace == 0, !flags.force { grace = 1 }
        if flags.force, grace < 0 { grace = 0 }
        guard let dryRun = out.success(flags.dryRunStrategy()) else { return }
        // With --all or a selector, a missing object is no error unless asked for.
        let ignoreNotFound = flags.ignoreNotFound
            ?? (flags.all || flags.labelSelector != nil || flags.fieldSelector != nil)

        var targets: [(info: ResourceInfo, namespace: String?, name: String)] = []
        if flags.filename == "-", let text = flags.stdin {
            switch Manifests.decode(text) {
            case .failure(let e):
                out.fail("error: \(e.message)")
                return
            case .success(let objects):
                // The builder's FilteredVisitor: with -l, only the file's objects it selects.
                var selector: LabelSelector?
                if let text = flags.labelSelector {
                    do {
                        selector = try LabelSelector.parse(text, version: config.version)
                    } catch {
                        out.fail("error: the provided selector \(GoValue.goQuote(text)) is not valid: \(error.message)")
                        return
                    }
                }
                for object in objects where selector?.matches(object.labels) ?? true {
                    switch resolve(object) {
                    case .failure(let e): out.fail(e.kubectlMessage)
                    case .success(let info):
                        let ns = info.namespaced ? (object.namespace.isEmpty ? flags.namespace : object.namespace) : nil
                        targets.append((info, ns, object.name))
                    }
                }
            }
        } else {
            switch flags.resourceAndNames(registry) {
            case .failure(let failure):
                out.fail(failure.message)
                return
            case .success(let (info, names)):
                // The resource builder's errors (before Validate's, which they leave unreachable).
                let selected = flags.labelSelector != nil || flags.fieldSelector != nil
                if flags.all, selected {
                    out.fail("error: setting 'all' parameter but found a non empty selector. ")
                    return
                }
                if flags.all || selected, !names.isEmpty {
                    out.fail(flags.positional.contains { $0.contains("/") }
                        ? "error: selectors and the all flag cannot be used when passing resource/name arguments"
                        : "error: name cannot be provided when a selector is specified")
                    return
                }
                if names.isEmpty, !flags.all, !selected {
                    out.fail("error: resource(s) were provided, but no name was specified")
                    return
                }

                if names.isEmpty {
                    // Every object listed, in the API's order.
                    for o in objects(of: GetTarget(info: info, names: []), flags, &out) {
                        targets.append((info, info.namespaced ? o.namespace : nil, o.name))
                    }
                } else {
                    for name in names { targets.append((info, info.namespaced ? flags.namespace : nil, name)) }
                }
            }
        }
        // Validate.
        if let output = flags.output, output != "name" {
            out.fail("error: unexpected -o output mode: \(output). We only support '-o name'")
            return
        }
        if grace == 0, flags.force {
            out.warn((v36 ? "Warning: " : "warning: ") + "Immediate deletion does not wait for confirmation that the running "
                + "resource has been terminated. The resource may continue to run on the cluster indefinitely.")
        } else if grace > 0, flags.force {
            out.fail("error: --force and --grace-period greater than 0 cannot be specified together")
            return
        }

        var warnClusterScope = flags.namespaceGiven && !flags.allNamespaces
        var deleted: [(info: ResourceInfo, object: JSON)] = []
        var failed = false
        for (info, ns, name) in targets {
            if warnClusterScope, !info.namespaced {
                out.warn((v36 ? "Warning: " : "warning: ") + "deleting cluster-scoped resources, not scoped to the provided namespace")
                warnClusterScope = false
            }
            if dryRun == .client {
                printDeleted(info, ns, name, grace: grace, suffix: " (dry run)", flags, &out)
                continue
            }
            var request = APIRequest(.delete, info.plural, namespace: ns, name: name)
            if grace >= 0 { request.gracePeriodSeconds = grace }
            request.propagationPolicy = propagation
            request.dryRun = dryRun == .server
            switch serve(request) {
            case .success(let object):
                printDeleted(info, ns, name, grace: grace, suffix: dryRun.suffix, flags, &out)
                deleted.append((info, object))
            case .failure(let e) where e.code == 404 && ignoreNotFound:
                continue
            case .failure(let e):
                out.fail(e.kubectlMessage)
                failed = true
            }
        }
        // An error ends the command before the wait.
        if failed { return }
        if targets.isEmpty {
            if out.exitCode == 0 { out.print("No resources found") }
            return
        }
        guard flags.wait, dryRun == .none else { return }
        var timeout = flags.timeout ?? .zero
        if timeout <= .zero { timeout = .seconds(168 * 3600) }
        let start = now
        for (info, object) in deleted {
            if case .failure(let failure) = wait(for: .delete, info, object, timeout: timeout,
                                                 until: waitDeadline(start: start, timeout: timeout))
            {
                out.fail(failure.message)
                return
            }
        }
    }

    /// `PrintObj`: `kind[.group] "name" deleted`, `force deleted` for a grace period of 0,
    /// 1.36 naming the namespace; `-o name` prints `kind[.group]/name`.
    private func printDeleted(_ info: ResourceInfo, _ namespace: String?, _ name: String, grace: Int, suffix: String,
                              _ flags: KubectlFlags, _ out: inout KubectlOutput)
    {
        if flags.output == "name" {
            out.print("\(Self.printedKind(info))/\(name)")
            return
        }
        var operation = grace == 0 ? "force deleted" : "deleted"
        if config.version == .v1_36, let namespace { operation += " from \(namespace) namespace" }
        out.print("\(Self.printedKind(info)) \"\(name)\" \(operation)\(suffix)")
    }
}
