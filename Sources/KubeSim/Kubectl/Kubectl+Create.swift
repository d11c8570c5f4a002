/// `kubectl create`: `-f -` (Kubectl.swift), or a generator subcommand that builds one
/// object from flags (`create deployment web --image=nginx`), creates it through the API
/// server, or with `--dry-run=client` only prints it (`KK:staging/src/k8s.io/kubectl/pkg/cmd/create/`).
///
/// Subcommands for kinds kubesim does not serve, and those that read files (`secret tls`,
/// `--from-file`), say so rather than print what they cannot make.
extension Cluster {
    func kubectlCreate(_ flags: KubectlFlags, _ out: inout KubectlOutput) {
        let positional = flags.positional
        let atDash = flags.argsLenAtDash ?? positional.count
        guard let word = positional.first, atDash > 0 else {
            kubectlApply(flags, create: true, &out)
            return
        }
        switch CreateGenerator.lookup(word, config.version) {
        case nil:
            // `create` itself, given arguments it does not take.
            let list = "[" + positional.joined(separator: " ") + "]"
            let usage = "\nSee 'kubectl create -h' for help and examples"
            if config.version == .v1_18, flags.filename == nil {
                // Its Run says -f is missing, then DefaultSubCommandRun refuses the words.
                out.fail("Error: must specify one of -f and -k\n\nerror: unknown command "
                    + GoValue.goQuote(positional.joined(separator: " ")) + usage)
            } else {
                out.fail("error: Unexpected args: \(list)" + usage)
            }
        case .refused(let message)?: out.fail(message)
        case .generator(let generator)?: runCreateGenerator(generator, words: 1, flags, &out)
        case .secret?:
            guard positional.count > 1, atDash > 1 else {
                // kubectl prints the command's help here.
                out.fail("error: \"kubectl create secret\" needs a subcommand: docker-registry, generic or tls")
                return
            }
            switch positional[1] {
            case "generic": runCreateGenerator(.secretGeneric, words: 2, flags, &out)
            case "docker-registry": runCreateGenerator(.secretDockerRegistry, words: 2, flags, &out)
            case "tls": out.fail(CreateGenerator.secretTLSRefusal)
            default:
                out.fail("error: unknown command " + GoValue.goQuote(positional.dropFirst().joined(separator: " "))
                    + "\nSee 'kubectl create secret -h' for help and examples")
            }
        }
    }

    /// The refusal for a command line naming an unserved subcommand, for when kubesim's flag
    /// parser failed on flags that subcommand has (`create job x --from=cronjob/y`).
    static func createRefusal(_ args: [String], _ version: KubernetesVersion) -> String? {
        let words = args.filter { !$0.hasPrefix("-") }
        guard let first = words.first else { return nil }
        switch CreateGenerator.lookup(first, version) {
        case .refused(let message)?: return message
        case .secret? where words.count > 1 && words[1] == "tls": return CreateGenerator.secretTLSRefusal
        default: return nil
        }
    }

    /// One generator subcommand, in the order kubectl fails: flags (pflag), required flags
    /// (cobra), the NAME (`NameFromCommandArgs`), `--dry-run` and `-o`, the command's own
    /// checks while it builds the object, then the server.
    private func runCreateGenerator(_ generator: CreateGenerator, words: Int, _ flags: KubectlFlags,
                                    _ out: inout KubectlOutput)
    {
        let version = config.version, v36 = version == .v1_36
        let path = generator.commandPath
        let args = Array(flags.positional.dropFirst(words))
        let atDash = flags.argsLenAtDash.map { max(0, $0 - words) }

        if let failure = createFlagFailure(generator, flags) {
            out.fail(failure.message)
            return
        }
        let missing = generator.requiredFlags(version).filter { required in !flags.given.contains { $0.name == "--" + required } }
        if !missing.isEmpty {
            // cobra's own error: printed by cobra as "Error: …" in 1.18, by kubectl's CheckErr in 1.36.
            out.fail((v36 ? "error: " : "Error: ") + "required flag(s) "
                + missing.map(GoValue.goQuote).joined(separator: ", ") + " not set")
            return
        }
        let argsLen = atDash ?? args.count
        guard argsLen == 1, let name = args.first else {
            out.fail("error: exactly one NAME is required, got \(argsLen)\nSee '\(path) -h' for help and examples")
            return
        }
        if generator == .secretDockerRegistry, !v36, flags.fromFiles.isEmpty {
            // 1.18's Complete, before anything else is read.
            let values = [("docker-username", flags.dockerUsername), ("docker-password", flags.dockerPassword),
                          ("docker-server", flags.dockerServer ?? Self.dockerHubServer)]
            if let (flag, _) = values.first(where: { ($0.1 ?? "").isEmpty }) {
                out.fail("error: flag \(flag) is required\nSee '\(path) -h' for help and examples")
                return
            }
        }
        guard let dryRun = out.success(flags.dryRunStrategy()) else { return }
        guard let output = out.success(printFlagsOutput(flags)) else { return }
        // 1.36's deployment runs what follows NAME after `--`; 1.18's ignores it.
        let command = atDash != nil ? Array(args.dropFirst()) : []
        let object: JSON
        switch generateCreateObject(generator, name: name, command: command, flags) {
        case .failure(let failure):
            out.fail(failure.message)
            return
        case .success(let built): object = built
        }
        guard let info = registry.resolve(generator.resource) else {
            out.fail("error: the server doesn't have a resource type \"\(generator.resource)\"")
            return
        }
        let kind = Self.printedKind(info)
        guard dryRun != .client else {
            printGenerated(object, kind: kind, dryRun: .client, output: output, &out)
            return
        }
        var body = object
        // kubesim serves PodDisruptionBudgets as policy/v1 only, where 1.18's served the
        // policy/v1beta1 its kubectl builds: the same object for what the server checks.
        body["apiVersion"] = .string(info.apiVersion)
        switch request(.create, info.plural, namespace: info.namespaced ? flags.namespace : nil, body: body,
                       configure: { $0.dryRun = dryRun == .server }) {
        case .failure(let e):
            if v36, let prefix = generator.failurePrefix136 {
                out.fail("error: " + prefix + e.message)
            } else {
                out.fail(e.kubectlMessage)
            }
        case .success(let created): printGenerated(created, kind: kind, dryRun: dryRun, output: output, &out)
        }
    }

    /// pflag's complaints, in the order the flags were given: one the command does not
    /// define, or a value its typed flag cannot hold. Worded by kubectl's FlagErrorFunc.
    private func createFlagFailure(_ generator: CreateGenerator, _ flags: KubectlFlags) -> KubectlFailure? {
        let version = config.version
        func failure(_ text: String) -> KubectlFailure {
            KubectlFailure((version == .v1_36 ? "error: " : "Error: ") + text
                + "\nSee '\(generator.commandPath) --help' for usage.")
        }
        func invalid(_ value: String, _ flag: String, _ reason: String) -> KubectlFailure {
            failure("invalid argument \(GoValue.goQuote(value)) for \(GoValue.goQuote(flag)) flag: \(reason)")
        }
        for (name, arg) in flags.given {
            guard generator.defines(name, version) else {
                return failure(name.hasPrefix("--") ? "unknown flag: \(name)"
                    : "unknown shorthand flag: '\(name.dropFirst())' in \(arg)")
            }
            switch name {
            case "--port":
                if let port = flags.port, let reason = Self.int32Failure(port) { return invalid(port, "--port", reason) }
            case "--value":
                if let value = flags.priorityValue, let reason = Self.int32Failure(value) { return invalid(value, "--value", reason) }
            case "--replicas", "-r":
                // Parsed already as an integer; a 32-bit flag also bounds it.
                if let n = flags.replicas, Int32(exactly: n) == nil {
                    return invalid(String(n), "-r, --replicas", "strconv.ParseInt: parsing \(GoValue.goQuote(String(n))): value out of range")
                }
            case "--global-default":
                if let value = flags.globalDefault, KubectlFlags.goBool(value) == nil {
                    return invalid(value, "--global-default", "strconv.ParseBool: parsing \(GoValue.goQuote(value)): invalid syntax")
                }
            default: break
            }
        }
        return nil
    }

    /// `strconv.ParseInt(s, 0, 32)`'s complaint about `text`, nil when it is a 32-bit integer.
    static func int32Failure(_ text: String) -> String? {
        switch goInt32(text) {
        case .success: return nil
        case .failure(let failure): return failure.message
        }
    }

    /// `strconv.ParseInt(s, 0, 32)`, as pflag's int32 flags read their value: a sign, then
    /// Go's integer literal (`0x`/`0o`/`0b` prefixes, a leading `0` for octal, `_` between
    /// digits).
    static func goInt32(_ text: String) -> Result<Int32, KubectlFailure> {
        let prefix = "strconv.ParseInt: parsing \(GoValue.goQuote(text)): "
        var rest = Substring(text)
        let negative = rest.hasPrefix("-")
        if negative || rest.hasPrefix("+") { rest = rest.dropFirst() }
        var radix = 10
        if rest.count > 1, rest.hasPrefix("0") {
            switch rest.dropFirst().first {
            case "x", "X": radix = 16; rest = rest.dropFirst(2)
            case "o", "O": radix = 8; rest = rest.dropFirst(2)
            case "b", "B": radix = 2; rest = rest.dropFirst(2)
            default: radix = 8; rest = rest.dropFirst()
            }
            // An underscore may follow a prefix.
            if rest.hasPrefix("_") { rest = rest.dropFirst() }
        }
        // Underscores only between digits.
        guard !rest.isEmpty, !rest.hasPrefix("_"), !rest.hasSuffix("_"), !rest.contains("__") else {
            return .failure(KubectlFailure(prefix + "invalid syntax"))
        }
        var value: Int64 = 0
        for c in rest where c != "_" {
            guard let digit = c.hexDigitValue, digit < radix else { return .failure(KubectlFailure(prefix + "invalid syntax")) }
            value = min(value * Int64(radix) + Int64(digit), Int64(UInt32.max) + 1)
        }
        guard let result = Int32(exactly: negative ? -value : value) else {
            return .failure(KubectlFailure(prefix + "value out of range"))
        }
        return .success(result)
    }

    /// The printer `-o` asks for through cli-runtime's generic `PrintFlags` (`run`, `create`,
    /// `patch`, `events`); `unset` without `-o`, where each command prints its own way (the
    /// `created` line, the events table).
    enum PrintFlagsOutput {
        case unset, json, yaml, name
        case jsonPath(JSONPathPrinter)
    }

    /// `PrintFlags.ToPrinter`: json, yaml and name in any case (their print flags lower it), a
    /// JSONPath template, else kubectl's NoCompatiblePrinterError with every format the flags
    /// know. Go templates and 1.36's KYAML are refused by name: kubesim does not print them.
    func printFlagsOutput(_ flags: KubectlFlags) -> Result<PrintFlagsOutput, KubectlFailure> {
        let output = flags.output ?? ""
        switch output.lowercased() {
        case "": return .success(.unset)
        case "json": return .success(.json)
        case "yaml": return .success(.yaml)
        case "name": return .success(.name)
        default: break
        }
        let format = output.split(separator: "=", maxSplits: 1).first.map(String.init) ?? output
        if Self.jsonPathFormats(config.version).contains(format) {
            switch Self.templatePrinter(flags, version: config.version) {
            case .success(.jsonPath(let printer)): return .success(.jsonPath(printer))
            case .failure(let e): return .failure(KubectlFailure("error: " + e.message))
            case .success(.customColumns): break
            }
        }
        if ["go-template", "go-template-file", "template", "templatefile"].contains(format) {
            return .failure(KubectlFailure("error: kubesim does not print Go templates; use -o jsonpath=TEMPLATE"))
        }
        let v36 = config.version == .v1_36
        if v36, output.lowercased() == "kyaml" {
            return .failure(KubectlFailure("error: kubesim does not print KYAML; use -o yaml"))
        }
        // JSONYamlPrintFlags, NamePrintFlags, TemplatePrinterFlags; KYAML (on unless
        // KUBECTL_KYAML=false) and jsonpath-as-json came after 1.18.
        var allowed = ["go-template", "go-template-file", "json", "jsonpath", "jsonpath-file", "name",
                       "template", "templatefile", "yaml"]
        if v36 { allowed += ["jsonpath-as-json", "kyaml"] }
        allowed.sort()
        return .failure(KubectlFailure("error: unable to match a printer suitable for the output format "
            + "\(GoValue.goQuote(output)), allowed formats are: " + allowed.joined(separator: ",")))
    }

    /// Prints an object a command generated (`run`, `create deployment` …): on a dry run as
    /// it was built (the Go struct's member order), else as the server returned it; `-o name`
    /// as `kind/name`, and without `-o` the `created` line (`created (dry run)` on a dry run).
    /// `dryRun`: a client dry run prints the object kubectl built, in its own member order;
    /// what the server answered (a server dry run's too) prints as kubectl's unstructured
    /// objects do, keys sorted.
    func printGenerated(_ object: JSON, kind: String, dryRun: KubectlFlags.DryRun, output: PrintFlagsOutput,
                        _ out: inout KubectlOutput)
    {
        switch output {
        case .json: out.print((dryRun == .client ? object : Self.sortedKeys(object)).prettyPrinted())
        case .yaml: out.print(YAMLPrinter.yaml(object), newline: false)
        case .name: out.print("\(kind)/\(object.name)")
        case .unset: out.print("\(kind)/\(object.name) created" + dryRun.suffix)
        case .jsonPath(let printer):
            switch printer.print(object) {
            case .success(let text): out.print(text, newline: false)
            case .failure(let e): out.failVerbatim("error: " + e.message)
            }
        }
    }
}
