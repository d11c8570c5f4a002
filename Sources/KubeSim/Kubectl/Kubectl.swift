/// What a kubectl command printed.
public struct KubectlResult: Sendable, Equatable {
    public var stdout: String
    public var stderr: String
    public var exitCode: Int

    public var json: JSON {
        ["stdout": .string(stdout), "stderr": .string(stderr), "exitCode": .int(exitCode)]
    }
}

/// kubectl's client-side behaviour over a simulated cluster: argument parsing, the verbs,
/// and printing (tables come from `TablePrinter`).
extension Cluster {
    /// Runs one kubectl command line (without the leading `kubectl`). `stdin` is what
    /// `-f -` reads.
    public func kubectl(_ args: [String], stdin: String? = nil) -> KubectlResult {
        var out = KubectlOutput()
        guard let verb = args.first else {
            out.fail("kubectl controls the Kubernetes cluster manager.\nUsage: kubectl [command] [flags]")
            return out.result
        }
        var flags: KubectlFlags
        switch KubectlFlags.parse(Array(args.dropFirst())) {
        case .success(let f): flags = f
        case .failure(let failure):
            // A subcommand kubesim refuses says so, whatever flags of its own it was given.
            let refusal = verb == "create" ? Self.createRefusal(Array(args.dropFirst()), config.version) : nil
            out.fail(refusal ?? failure.message)
            return out.result
        }
        flags.stdin = stdin
        switch verb {
        case "get": kubectlGet(flags, &out)
        case "describe": kubectlDescribe(flags, &out)
        case "events" where config.version == .v1_36: kubectlEvents(flags, &out)
        case "run": kubectlRun(flags, &out)
        case "wait": kubectlWait(flags, &out)
        case "apply": kubectlApply(flags, create: false, &out)
        case "create": kubectlCreate(flags, &out)
        case "delete": kubectlDelete(flags, &out)
        case "patch": kubectlPatch(flags, &out)
        case "scale": kubectlScale(flags, &out)
        case "label": kubectlLabel(flags, .labels, &out)
        case "annotate": kubectlLabel(flags, .annotations, &out)
        case "taint": kubectlTaint(flags, &out)
        case "set": kubectlSetImage(flags, &out)
        case "rollout": kubectlRollout(flags, &out)
        case "cordon", "uncordon":
            guard let node = flags.positional.first else {
                out.fail("error: resource(s) were provided, but no name was specified")
                break
            }
            switch setUnschedulable(node, verb == "cordon") {
            case .success(let line): out.print(line)
            case .failure(let e): out.fail(e.kubectlMessage)
            }
        case "drain":
            guard let node = flags.positional.first else {
                out.fail("error: USAGE: drain NODE [flags]\nSee 'kubectl drain -h' for help and examples")
                break
            }
            var options = DrainOptions()
            options.ignoreDaemonSets = flags.ignoreDaemonSets
            options.force = flags.force
            options.deleteEmptyDirData = flags.deleteEmptyDirData
            options.disableEviction = flags.disableEviction
            options.gracePeriodSeconds = flags.gracePeriod
            options.timeout = flags.timeout
            options.podSelector = flags.podSelector
            var result = drain(node, options)
            if flags.usedDeleteLocalData, config.version == .v1_36 {
                // cobra's MarkDeprecated notice, printed when the flags are parsed.
                result.stderr = "Flag --delete-local-data has been deprecated, This option is deprecated and will be deleted. "
                    + "Use --delete-emptydir-data.\n" + result.stderr
            }
            return result
        case "api-versions":
            for v in registry.apiVersions { out.print(v) }
        case "api-resources": kubectlAPIResources(flags, &out)
        case "version":
            out.print("Client Version: \(config.version.gitVersion)")
            out.print("Server Version: \(config.version.gitVersion)")
        case "logs", "exec", "attach", "cp", "port-forward", "debug":
            // Real kubectl commands that reach into containers: the simulated nodes start none.
            out.fail("error: kubesim runs no container processes, so \"kubectl \(verb)\" has nothing to reach; "
                + "pods' state, events and describe show what the kubelet did")
        case "top":
            // What kubectl says of a cluster without metrics-server (kubesim serves no metrics
            // API); 1.18 fell back to Heapster's service proxy, which is not there either.
            out.fail(config.version == .v1_18
                ? "Error from server (NotFound): the server could not find the requested resource (get services http:heapster:)"
                : "error: Metrics API not available")
        default:
            out.fail("error: unknown command \"\(verb)\" for \"kubectl\"")
        }
        return out.result
    }

    /// cordon / uncordon: patch `spec.unschedulable` (kubectl/pkg/drain/cordon.go).
    public func setUnschedulable(_ node: String, _ unschedulable: Bool) -> Result<String, StatusError> {
        let verb = unschedulable ? "cordoned" : "uncordoned"
        switch request(.get, "nodes", name: node) {
        case .failure(let e): return .failure(e)
        case .success(let live):
            if (live["spec", "unschedulable"].bool ?? false) == unschedulable {
                return .success("node/\(node) already \(verb)")
            }
            // An explicit null removes the field (a dictionary literal would drop it).
            let body = JSON.object(["spec": .object(["unschedulable": unschedulable ? .bool(true) : .null])])
            switch request(.patch, "nodes", name: node, body: body) {
            case .failure(let e): return .failure(e)
            case .success: return .success("node/\(node) \(verb)")
            }
        }
    }

    func kubectlApply(_ flags: KubectlFlags, create: Bool, _ out: inout KubectlOutput) {
        guard flags.filename == "-", let text = flags.stdin else {
            out.fail("error: must specify -f - and give the manifests on standard input")
            return
        }
        let validation: FieldValidation
        switch flags.validationDirective(config.version, command: create ? "kubectl create" : "kubectl apply") {
        case .failure(let failure):
            out.fail(failure.message)
            return
        case .success(let v): validation = v
        }
        guard let dryRun = out.success(flags.dryRunStrategy()) else { return }
        if create {
            switch Manifests.decode(text) {
            case .failure(let e): out.fail("error: \(e.message)")
            case .success(let objects):
                for object in objects {
                    switch resolve(object) {
                    case .failure(let e): out.fail(e.kubectlMessage)
                    case .success(let info):
                        if let message = clientSideValidationError(object, info, validation) {
                            // 1.18's stream stops at the first document that fails validation.
                            out.fail("error: " + message)
                            return
                        }
                        let ns = info.namespaced ? (object.namespace.isEmpty ? flags.namespace : object.namespace) : nil
                        if dryRun == .client {
                            out.print("\(Self.printedKind(info))/\(object.name) created (dry run)")
                            continue
                        }
                        switch request(.create, info.plural, namespace: ns, body: object,
                                       configure: Self.kubectlWrite(validation, dryRun)) {
                        case .success(let created):
                            for warning in lastWarnings { out.warn("Warning: " + warning) }
                            out.print("\(Self.printedKind(info))/\(created.name) created\(dryRun.suffix)")
                        case .failure(let e): out.fail(Self.sourced(e, "creating"))
                        }
                    }
                }
            }
            return
        }
        switch apply(manifests: text, namespace: flags.namespaceGiven ? flags.namespace : nil, validation: validation,
                     dryRun: dryRun) {
        case .failure(let e): out.fail("error: \(e.message)")
        case .success(let results):
            for r in results {
                if let warning = r.warning { out.warn(warning) }
                if r.error != nil { out.fail(r.output) } else { out.print(r.output) }
            }
        }
    }

    private func kubectlScale(_ flags: KubectlFlags, _ out: inout KubectlOutput) {
        guard let replicas = flags.replicas, replicas >= 0 else {
            out.fail("error: --replicas=COUNT is required, and COUNT must be greater than or equal to 0")
            return
        }
        switch flags.resourceAndNames(registry) {
        case .failure(let failure): out.fail(failure.message)
        case .success(let (info, names)):
            guard ["deployments", "replicasets", "statefulsets"].contains(info.plural) else {
                out.fail("error: cannot scale \(info.plural)")
                return
            }
            if names.isEmpty { out.fail("error: resource(s) were provided, but no name was specified") }
            for name in names {
                let body: JSON = ["spec": ["replicas": .int(replicas)]]
                switch request(.patch, info.plural, namespace: flags.namespace, name: name, body: body) {
                case .success: out.print("\(Self.printedKind(info))/\(name) scaled")
                case .failure(let e): out.fail(e.kubectlMessage)
                }
            }
        }
    }

    private func kubectlAPIResources(_ flags: KubectlFlags, _ out: inout KubectlOutput) {
        let rows = registry.resources.sorted {
            ($0.group, $0.plural) < ($1.group, $1.plural)
        }
        var table: [[String]] = []
        switch config.version {
        case .v1_18: table.append(["NAME", "SHORTNAMES", "APIGROUP", "NAMESPACED", "KIND"])
        case .v1_36: table.append(["NAME", "SHORTNAMES", "APIVERSION", "NAMESPACED", "KIND"])
        }
        for r in rows {
            let groupColumn = config.version == .v1_18 ? r.group : r.apiVersion
            table.append([r.plural, r.shortNames.joined(separator: ","), groupColumn, r.namespaced ? "true" : "false",
                          r.kind])
        }
        out.print(TabWriter.format(table.map { $0.joined(separator: "\t") }.joined(separator: "\n") + "\n"), newline: false)
    }
}

/// Accumulates a command's stdout and stderr.
struct KubectlOutput {
    var stdout = ""
    var stderr = ""
    var exitCode = 0
    mutating func print(_ line: String, newline: Bool = true) { stdout += line + (newline ? "\n" : "") }
    mutating func warn(_ line: String) { stderr += line + "\n" }
    /// The value of a step that may fail; a failure is printed (exit code 1) and gives nil,
    /// so a command reads `guard let x = out.success(step) else { return }`.
    mutating func success<T>(_ result: Result<T, KubectlFailure>) -> T? {
        switch result {
        case .success(let value): return value
        case .failure(let failure):
            fail(failure.message)
            return nil
        }
    }
    mutating func fail(_ line: String) {
        stderr += line + "\n"
        exitCode = 1
    }
    var result: KubectlResult { KubectlResult(stdout: stdout, stderr: stderr, exitCode: exitCode) }
}
