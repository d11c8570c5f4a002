/// The flags kubectl's commands take, parsed the way cobra does (`-n x`, `-nx`,
/// `--namespace=x`, `--namespace x`).
struct KubectlFlags {
    var positional: [String] = []
    var namespace = "default"
    var namespaceGiven = false
    var allNamespaces = false
    var output: String?
    /// `--template`: the template (or custom-columns spec) for `-o jsonpath`, `-o custom-columns`.
    var template: String?
    /// `--allow-missing-template-keys` (default true): a JSONPath field that is missing prints
    /// nothing rather than failing.
    var allowMissingTemplateKeys = true
    var labelSelector: String?
    var fieldSelector: String?
    var showLabels = false
    var labelColumns: [String] = []
    var sortBy: String?
    var watch = false
    var noHeaders = false
    var showKind = false
    /// `delete --cascade=background|orphan|foreground`.
    var cascade: String?
    /// `rollout undo --to-revision=N`.
    var toRevision: Int?
    /// `rollout history --revision=N`.
    var revision: Int?
    /// `label`, `annotate`, `taint`: replace a value already set.
    var overwrite = false
    /// `label`, `annotate`: every object of the type in the namespace.
    var all = false
    /// `wait --for` (repeatable); `events --for` takes the last.
    var forConditions: [String] = []
    /// `events --types` (a string slice: comma-separated, repeatable).
    var eventTypes: [String] = []
    /// `describe --show-events`: nil when not given (kubectl then decides by the count).
    var showEvents: Bool?
    var filename: String?
    var replicas: Int?
    var gracePeriod: Int?
    /// patch's `-p`/`--patch` and `--subresource`.
    var patch: String?
    var subresource: String?
    /// `--type`: patch's patch type, or `create secret generic`'s secret type.
    var type: String?
    /// delete's `--wait` (on by default), `--now` and `--ignore-not-found` (nil: not given).
    var wait = true
    var now = false
    var ignoreNotFound: Bool?
    var resourceVersion: String?
    var stdin: String?
    // drain
    var ignoreDaemonSets = false
    var force = false
    var deleteEmptyDirData = false
    var disableEviction = false
    var timeout: Duration?
    var podSelector: String?
    /// `--delete-local-data` was given (deprecated in favour of `--delete-emptydir-data`).
    var usedDeleteLocalData = false
    // run
    var image: String?
    var port: String?
    var hostPort: String?
    var env: [String] = []
    /// `--annotations` (repeatable `key=value`).
    var annotationPairs: [String] = []
    /// `--labels` (`run -l` means this too; elsewhere `-l` is a selector).
    var labels: String?
    var restart: String?
    /// `--command`: the arguments after `--` are the command, not its args.
    var useCommand = false
    var imagePullPolicy: String?
    var dryRun: String?
    /// `--validate`, as given (bare: `true`).
    var validate: String?
    var privileged = false
    var serviceAccount: String?
    var requests: String?
    var limits: String?
    /// A `run` flag that needs a terminal or objects kubesim does not make (`-i`, `-t`,
    /// `--attach`, `--rm`, `--expose`, `--overrides`), as given.
    var unsupported: String?
    /// Where the arguments after `--` start in `positional` (cobra's ArgsLenAtDash).
    var argsLenAtDash: Int?
    /// Every flag as given, in order (`name` as matched, `-n` or `--namespace`; `arg` the
    /// word it came in): the create subcommands refuse the ones they do not define.
    var given: [(name: String, arg: String)] = []
    // create deployment, configmap, secret, priorityclass, poddisruptionbudget
    /// `--image` as a string slice (each use appended, comma-separated lists split):
    /// `create deployment` takes several, where `run` keeps the last in `image`.
    var images: [String] = []
    /// `--from-literal` (a string array: commas are part of the value).
    var fromLiterals: [String] = []
    /// `--from-file` and `--from-env-file`: paths kubesim has no file system to read.
    var fromFiles: [String] = []
    var fromEnvFiles: [String] = []
    var appendHash = false
    var dockerUsername: String?
    var dockerPassword: String?
    var dockerEmail: String?
    var dockerServer: String?
    /// `create priorityclass --value`, `--global-default` (raw: each command parses them as
    /// its flag type does), `--description`, `--preemption-policy`.
    var priorityValue: String?
    var globalDefault: String?
    var description: String?
    var preemptionPolicy: String?
    /// `create poddisruptionbudget --min-available`, `--max-unavailable`.
    var minAvailable: String?
    var maxUnavailable: String?

    static func parse(_ args: [String]) -> Result<KubectlFlags, KubectlFailure> {
        var f = KubectlFlags()
        var i = 0
        func value(_ name: String, _ inline: String?) -> Result<String, KubectlFailure> {
            if let inline { return .success(inline) }
            i += 1
            guard i < args.count else { return .failure(KubectlFailure("error: flag needs an argument: \(name)")) }
            return .success(args[i])
        }
        while i < args.count {
            let arg = args[i]
            if arg == "--" {
                f.argsLenAtDash = f.positional.count
                f.positional += args[(i + 1)...]
                break
            }
            var name = arg
            var inline: String?
            if arg.hasPrefix("--"), let eq = arg.firstIndex(of: "=") {
                name = String(arg[..<eq])
                inline = String(arg[arg.index(after: eq)...])
            } else if arg.hasPrefix("-"), !arg.hasPrefix("--"), arg.count > 2 {
                name = String(arg.prefix(2))
                inline = String(arg.dropFirst(2))
                if inline?.hasPrefix("=") == true { inline = String(inline?.dropFirst() ?? "") }
            }
            if arg.hasPrefix("-"), arg != "-" { f.given.append((name, arg)) }
            switch name {
            case "-n", "--namespace":
                switch value(name, inline) {
                case .success(let v): f.namespace = v; f.namespaceGiven = true
                case .failure(let e): return .failure(e)
                }
            case "-A", "--all-namespaces": f.allNamespaces = true
            case "-o", "--output":
                switch value(name, inline) {
                case .success(let v): f.output = v
                case .failure(let e): return .failure(e)
                }
            case "--template":
                switch value(name, inline) {
                case .success(let v): f.template = v
                case .failure(let e): return .failure(e)
                }
            case "--allow-missing-template-keys": f.allowMissingTemplateKeys = inline.map { $0 != "false" } ?? true
            case "-l", "--selector":
                switch value(name, inline) {
                case .success(let v): f.labelSelector = v
                case .failure(let e): return .failure(e)
                }
            case "--field-selector":
                switch value(name, inline) {
                case .success(let v): f.fieldSelector = v
                case .failure(let e): return .failure(e)
                }
            case "-L", "--label-columns":
                switch value(name, inline) {
                case .success(let v): f.labelColumns += v.split(separator: ",").map(String.init)
                case .failure(let e): return .failure(e)
                }
            case "--sort-by":
                switch value(name, inline) {
                case .success(let v): f.sortBy = v
                case .failure(let e): return .failure(e)
                }
            case "-f", "--filename":
                switch value(name, inline) {
                case .success(let v): f.filename = v
                case .failure(let e): return .failure(e)
                }
            case "--replicas", "-r":
                switch value(name, inline) {
                case .success(let v):
                    guard let n = Int(v) else { return .failure(KubectlFailure("error: invalid argument \"\(v)\" for \"--replicas\" flag")) }
                    f.replicas = n
                case .failure(let e): return .failure(e)
                }
            case "--grace-period":
                switch value(name, inline) {
                case .success(let v):
                    guard let n = Int(v) else { return .failure(KubectlFailure("error: invalid argument \"\(v)\" for \"--grace-period\" flag")) }
                    f.gracePeriod = n
                case .failure(let e): return .failure(e)
                }
            case "--resource-version":
                switch value(name, inline) {
                case .success(let v): f.resourceVersion = v
                case .failure(let e): return .failure(e)
                }
            case "--ignore-daemonsets": f.ignoreDaemonSets = inline.map { $0 != "false" } ?? true
            case "--force": f.force = inline.map { $0 != "false" } ?? true
            case "-p", "--patch", "--subresource":
                switch value(name, inline) {
                case .success(let v):
                    switch name {
                    case "--subresource": f.subresource = v
                    default: f.patch = v
                    }
                case .failure(let e): return .failure(e)
                }
            case "--wait", "--now", "--ignore-not-found":
                switch boolValue(name, inline) {
                case .failure(let e): return .failure(e)
                case .success(let b):
                    switch name {
                    case "--wait": f.wait = b
                    case "--now": f.now = b
                    default: f.ignoreNotFound = b
                    }
                }
            case "--delete-emptydir-data", "--delete-local-data":
                f.deleteEmptyDirData = inline.map { $0 != "false" } ?? true
                if name == "--delete-local-data" { f.usedDeleteLocalData = true }
            case "--disable-eviction": f.disableEviction = inline.map { $0 != "false" } ?? true
            case "--timeout":
                switch value(name, inline) {
                case .success(let v):
                    switch Duration.parse(go: v) {
                    case .success(let d): f.timeout = d
                    case .failure(let e):
                        return .failure(KubectlFailure("error: invalid argument \"\(v)\" for \"--timeout\" flag: \(e.message)"))
                    }
                case .failure(let e): return .failure(e)
                }
            case "--pod-selector":
                switch value(name, inline) {
                case .success(let v): f.podSelector = v
                case .failure(let e): return .failure(e)
                }
            case "--show-labels": f.showLabels = inline.map { $0 != "false" } ?? true
            case "-w", "--watch": f.watch = true
            case "--no-headers": f.noHeaders = inline.map { $0 != "false" } ?? true
            case "--show-kind": f.showKind = inline.map { $0 != "false" } ?? true
            // No value: 1.36's NoOptDefVal ("background"), 1.18's boolean true; the command decides.
            case "--cascade": f.cascade = inline ?? ""
            case "--to-revision", "--revision":
                switch value(name, inline) {
                case .success(let v):
                    guard let n = Int(v) else {
                        return .failure(KubectlFailure("error: invalid argument \"\(v)\" for \"\(name)\" flag: strconv.ParseInt: parsing \(GoValue.goQuote(v)): invalid syntax"))
                    }
                    if name == "--revision" { f.revision = n } else { f.toRevision = n }
                case .failure(let e): return .failure(e)
                }
            case "--overwrite": f.overwrite = inline.map { $0 != "false" } ?? true
            case "--all": f.all = inline.map { $0 != "false" } ?? true
            case "--show-events": f.showEvents = inline.map { $0 != "false" } ?? true
            case "--image", "--port", "--hostport", "--env", "--annotations", "--labels", "--restart",
                 "--image-pull-policy", "--serviceaccount", "--requests", "--limits":
                switch value(name, inline) {
                case .failure(let e): return .failure(e)
                case .success(let v):
                    switch name {
                    case "--image":
                        f.image = v
                        // pflag's StringSlice reads each value as one CSV record.
                        f.images += v.isEmpty ? [] : v.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
                    case "--port": f.port = v
                    case "--hostport": f.hostPort = v
                    case "--env": f.env.append(v)
                    case "--annotations": f.annotationPairs.append(v)
                    case "--labels": f.labels = v
                    case "--restart": f.restart = v
                    case "--image-pull-policy": f.imagePullPolicy = v
                    case "--serviceaccount": f.serviceAccount = v
                    case "--requests": f.requests = v
                    default: f.limits = v
                    }
                }
            case "--dry-run": f.dryRun = inline ?? "unchanged"
            case "--validate": f.validate = inline ?? "true"
            case "--from-literal", "--from-file", "--from-env-file", "--type", "--docker-username", "--docker-password",
                 "--docker-email", "--docker-server", "--value", "--description", "--preemption-policy",
                 "--min-available", "--max-unavailable":
                switch value(name, inline) {
                case .failure(let e): return .failure(e)
                case .success(let v):
                    switch name {
                    case "--from-literal": f.fromLiterals.append(v)
                    case "--from-file": f.fromFiles += v.isEmpty ? [] : v.split(separator: ",").map(String.init)
                    case "--from-env-file": f.fromEnvFiles += v.isEmpty ? [] : v.split(separator: ",").map(String.init)
                    case "--type": f.type = v
                    case "--docker-username": f.dockerUsername = v
                    case "--docker-password": f.dockerPassword = v
                    case "--docker-email": f.dockerEmail = v
                    case "--docker-server": f.dockerServer = v
                    case "--value": f.priorityValue = v
                    case "--description": f.description = v
                    case "--preemption-policy": f.preemptionPolicy = v
                    case "--min-available": f.minAvailable = v
                    default: f.maxUnavailable = v
                    }
                }
            case "--append-hash":
                switch boolValue(name, inline) {
                case .failure(let e): return .failure(e)
                case .success(let b): f.appendHash = b
                }
            case "--global-default": f.globalDefault = inline ?? "true"
            case "--for":
                switch value(name, inline) {
                case .success(let v): f.forConditions.append(v)
                case .failure(let e): return .failure(e)
                }
            case "--types":
                switch value(name, inline) {
                // pflag's string slice: an empty value is no types, not one empty type.
                case .success(let v):
                    if !v.isEmpty { f.eventTypes += v.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
                case .failure(let e): return .failure(e)
                }
            case "--chunk-size":
                // Only the page size of the lists kubectl makes: what they print is the same.
                switch value(name, inline) {
                case .success(let v):
                    guard Int64(v) != nil else {
                        return .failure(KubectlFailure("error: invalid argument \"\(v)\" for \"--chunk-size\" flag: strconv.ParseInt: parsing \(GoValue.goQuote(v)): invalid syntax"))
                    }
                case .failure(let e): return .failure(e)
                }
            case "--command": f.useCommand = inline.map { $0 != "false" } ?? true
            case "--privileged": f.privileged = inline.map { $0 != "false" } ?? true
            case "-i", "-t", "--stdin", "--tty", "--attach", "--rm", "--expose":
                // Only when on: `--rm=false` and the like ask for nothing.
                if inline != "false" { f.unsupported = f.unsupported ?? arg }
            case "--leave-stdin-open": break  // meaningful only with -i, which is refused
            case "--overrides":
                switch value(name, inline) {
                case .success(let v): if !v.isEmpty { f.unsupported = f.unsupported ?? arg }
                case .failure(let e): return .failure(e)
                }
            default:
                if arg.hasPrefix("-"), arg != "-" {
                    return .failure(KubectlFailure("error: unknown flag: \(name)"))
                }
                f.positional.append(arg)
            }
            i += 1
        }
        return .success(f)
    }

    /// A boolean flag's value as pflag reads it (`strconv.ParseBool`); no value is true.
    static func boolValue(_ name: String, _ inline: String?) -> Result<Bool, KubectlFailure> {
        guard let inline else { return .success(true) }
        guard let value = goBool(inline) else {
            return .failure(KubectlFailure("error: invalid argument \(GoValue.goQuote(inline)) for \(GoValue.goQuote(name)) flag: "
                + "strconv.ParseBool: parsing \(GoValue.goQuote(inline)): invalid syntax"))
        }
        return .success(value)
    }

    /// `strconv.ParseBool`.
    static func goBool(_ text: String) -> Bool? {
        switch text {
        case "1", "t", "T", "TRUE", "true", "True": true
        case "0", "f", "F", "FALSE", "false", "False": false
        default: nil
        }
    }

    enum DryRun {
        case none, client, server

        /// What kubectl's printer adds to the operation (`created (server dry run)`).
        var suffix: String {
            switch self {
            case .none: ""
            case .client: " (dry run)"
            case .server: " (server dry run)"
            }
        }
    }

    /// `GetDryRunStrategy`: `--dry-run` as a word or (deprecated) a Go boolean.
    func dryRunStrategy() -> Result<DryRun, KubectlFailure> {
        switch dryRun {
        case nil, "none", "0", "f", "F", "false", "FALSE", "False": return .success(.none)
        case "client", "unchanged", "1", "t", "T", "true", "TRUE", "True": return .success(.client)
        case "server": return .success(.server)
        case let other?:
            return .failure(KubectlFailure("error: Invalid dry-run value (\(other)). Must be \"none\", \"server\", or \"client\"."))
        }
    }

    /// `--validate` (`GetValidationDirective`): since 1.25 `strict` (or `true`, the default),
    /// `warn`, or `ignore` (or `false`), sent to the server as `fieldValidation`; in 1.18 a
    /// boolean for kubectl's own check (`false` is `ignore`).
    /// `command` (`kubectl apply`) names the command in 1.18's flag error, worded by
    /// kubectl's FlagErrorFunc.
    func validationDirective(_ version: KubernetesVersion, command: String) -> Result<FieldValidation, KubectlFailure> {
        guard let validate else { return .success(.strict) }
        if version == .v1_18 {
            guard let b = Self.goBool(validate) else {
                return .failure(KubectlFailure("Error: invalid argument \(GoValue.goQuote(validate)) for \"--validate\" "
                    + "flag: strconv.ParseBool: parsing \(GoValue.goQuote(validate)): invalid syntax"
                    + "\nSee '\(command) --help' for usage."))
            }
            return .success(b ? .strict : .ignore)
        }
        if let b = Self.goBool(validate) { return .success(b ? .strict : .ignore) }
        switch validate {
        case "strict": return .success(.strict)
        case "warn": return .success(.warn)
        case "ignore": return .success(.ignore)
        default:
            return .failure(KubectlFailure("error: invalid - validate option \"\(validate)\"; must be one of: "
                + "strict (or true), warn, ignore (or false)"))
        }
    }

    /// `pods`, `pods name…`, `pod/name`, `deployment/nginx`: one resource and its names, for
    /// the commands that take a single type.
    func resourceAndNames(_ registry: ResourceRegistry) -> Result<(ResourceInfo, [String]), KubectlFailure> {
        targets(positional, registry).flatMap { targets in
            guard targets.count == 1, let target = targets.first else {
                return .failure(KubectlFailure("error: mixing resource types is not supported here"))
            }
            return .success((target.info, target.names))
        }
    }
}

/// What one kubectl command acts on, resource by resource (in `get`, table by table): a
/// resource and the names wanted (none: list them all).
struct GetTarget {
    let info: ResourceInfo
    var names: [String]
}

extension KubectlFlags {
    /// Resource arguments, in the order given: `pods`, `pods a b`, `deploy,rs` (one table each
    /// in `get`, duplicates dropped), `all` (the category), `pod/a svc/b` (a new target
    /// whenever the resource changes). `deploy,rs web` is `deploy/web rs/web`, as kubectl
    /// rewrites it.
    func targets(_ positional: [String], _ registry: ResourceRegistry) -> Result<[GetTarget], KubectlFailure> {
        guard let first = positional.first else {
            return .failure(KubectlFailure("error: You must specify the type of resource to get."))
        }
        var targets: [GetTarget] = []
        if positional.contains(where: { $0.contains("/") }) {
            guard positional.allSatisfy({ $0.contains("/") }) else {
                return .failure(KubectlFailure("error: there is no need to specify a resource type as a separate "
                    + "argument when passing arguments in resource/name form (e.g. 'kubectl get resource/<resource_name>' "
                    + "instead of 'kubectl get resource resource/<resource_name>'"))
            }
            if labelSelector != nil || fieldSelector != nil {
                return .failure(KubectlFailure("error: selectors and the all flag cannot be used when passing resource/name arguments"))
            }
            for arg in positional {
                let parts = arg.split(separator: "/", maxSplits: 1).map(String.init)
                guard parts.count == 2, let info = registry.resolve(parts[0]) else {
                    return .failure(KubectlFailure("error: the server doesn't have a resource type \"\(parts.first ?? arg)\""))
                }
                if let last = targets.last, last.info == info {
                    targets[targets.count - 1].names.append(parts[1])
                } else {
                    targets.append(GetTarget(info: info, names: [parts[1]]))
                }
            }
            return .success(targets)
        }
        let names = Array(positional.dropFirst())
        for type in first.split(separator: ",").map(String.init) {
            let expanded = type == "all" ? ResourceRegistry.allCategory.filter { registry.resolve($0) != nil } : [type]
            for resource in expanded {
                guard let info = registry.resolve(resource) else {
                    return .failure(KubectlFailure("error: the server doesn't have a resource type \"\(resource)\""))
                }
                if !targets.contains(where: { $0.info == info }) { targets.append(GetTarget(info: info, names: names)) }
            }
        }
        guard !targets.isEmpty else { return .failure(KubectlFailure("error: You must specify the type of resource to get.")) }
        return .success(targets)
    }
}

/// A kubectl usage error: the text kubectl prints to stderr.
struct KubectlFailure: Error {
    var message: String
    init(_ message: String) { self.message = message }
}
