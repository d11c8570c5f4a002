/// `kubectl wait --for=…` (`KK:staging/src/k8s.io/kubectl/pkg/cmd/wait`): runs the cluster
/// until each object meets the conditions, in order, or the timeout (30 s by default) passes.
///
/// Conditions: `delete`; `condition=Type[=status]` (compared ignoring case; 1.36 also waits
/// until the condition's or the status's observedGeneration reaches the generation);
/// 1.36's `create` and `jsonpath='{…}'[=value]`. 1.18 took one `--for`; 1.36 ANDs several.
extension Cluster {
    enum WaitCondition {
        case delete, create
        case condition(type: String, status: String)
        case jsonPath(JSONPath, value: String?)
    }

    func kubectlWait(_ flags: KubectlFlags, _ out: inout KubectlOutput) {
        let v36 = config.version == .v1_36
        // 1.18's --for was a string flag: the last one given.
        let specs = v36 ? flags.forConditions : flags.forConditions.suffix(1)
        var conditions: [WaitCondition] = []
        for spec in specs {
            switch Self.waitCondition(spec, v36: v36) {
            case .failure(let failure):
                out.fail(failure.message)
                return
            case .success(let c): conditions.append(c)
            }
        }
        if conditions.isEmpty {
            out.fail(v36 ? "error: unrecognized condition: []" : "error: unrecognized condition: \"\"")
            return
        }
        guard !flags.positional.isEmpty else {
            out.fail(Self.noResourcesGiven)
            return
        }
        guard let targets = resolveTargets(flags.positional, flags, &out) else { return }
        var timeout = flags.timeout ?? .seconds(30)
        if timeout < .zero { timeout = .seconds(168 * 3600) }
        let start = now
        func deadline() -> VirtualTime { waitDeadline(start: start, timeout: timeout) }

        if targets.contains(where: \.names.isEmpty), flags.labelSelector == nil, flags.fieldSelector == nil, !flags.all {
            out.fail("error: resource(s) were provided, but no name was specified")
            return
        }
        if conditions.contains(where: { if case .create = $0 { return true } else { return false } }) {
            // Polled every half second until the builder finds something; its other errors
            // end the command at once.
            let end = deadline()
            while true {
                let fetched = targets.map { fetch($0, flags) }
                if let error = fetched.flatMap(\.errors).first(where: { $0.code != 404 }) {
                    out.fail(error.kubectlMessage)
                    return
                }
                if fetched.contains(where: { !$0.objects.isEmpty }) { break }
                if now >= end || timeout == .zero {
                    out.fail("error: timed out waiting for the condition")
                    return
                }
                simulation.run(until: min(end, now + .millis(500)))
            }
        }
        // 1.36 ignores objects already gone when waiting for deletion; 1.18 reported them.
        let isForDelete = conditions.contains { if case .delete = $0 { return true } else { return false } }
        var visited = 0
        for target in targets {
            let fetched = fetch(target, flags)
            for error in fetched.errors where !(v36 && isForDelete && error.code == 404) {
                out.fail(error.kubectlMessage)
                return
            }
            for object in fetched.objects {
                visited += 1
                // IsCreated succeeds for any object found, and prints as the others do.
                for condition in conditions {
                    switch wait(for: condition, target.info, object, timeout: timeout, until: deadline()) {
                    case .failure(let failure):
                        out.fail(failure.message)
                        return
                    case .success:
                        out.print("\(Self.printedKind(target.info))/\(object.name) condition met")
                    }
                }
            }
        }
        if visited == 0, !(v36 && isForDelete) {
            out.fail("error: no matching resources found")
        }
    }

    /// The resource builder's error when no resource is named (`wait`, `patch`).
    static let noResourcesGiven = "error: You must provide one or more resources by argument or filename.\n"
        + "Example resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n"
        + "   '<resource> <name>'\n   '<resource>'"

    /// When a wait that started at `start` gives up: 1.36 bounds the whole command by the
    /// timeout, 1.18 gave each object its own from when its wait began.
    func waitDeadline(start: VirtualTime, timeout: Duration) -> VirtualTime {
        min((config.version == .v1_36 ? start : now) + timeout, max(now, .latest))
    }

    /// Runs the cluster until `object` meets `condition` (a zero timeout looks once).
    func wait(for condition: WaitCondition, _ info: ResourceInfo, _ object: JSON, timeout: Duration,
                      until end: VirtualTime) -> Result<Void, KubectlFailure>
    {
        let v36 = config.version == .v1_36
        let ref = "\(info.plural)/\(object.name)"
        let namespace: String? = info.namespaced ? object.namespace : nil
        var firstLook = true
        while true {
            var current: JSON?
            switch request(.get, info.plural, namespace: namespace, name: object.name) {
            case .success(let o): current = o
            case .failure(let e) where e.code == 404: current = nil
            case .failure(let e): return .failure(KubectlFailure(e.kubectlMessage))
            }
            switch check(condition, current, original: object) {
            case .failure(let failure): return .failure(failure)
            case .success(true): return .success(())
            case .success(false): break
            }
            if timeout == .zero, v36 { return .failure(KubectlFailure("error: condition not met for \(ref)")) }
            // Gone at the first look is an error; gone later, the watch waits on (the object
            // may come back) until the timeout.
            if current == nil, firstLook, !isDelete(condition) {
                return .failure(KubectlFailure(StatusError.notFound(info.groupResource, object.name).kubectlMessage))
            }
            firstLook = false
            // Until the next message the cluster handles (any change arrives as one).
            if now >= end || !simulation.step(limit: end) {
                simulation.run(until: end)
                return .failure(KubectlFailure("error: timed out waiting for the condition on \(ref)"))
            }
        }
    }

    private func isDelete(_ condition: WaitCondition) -> Bool {
        if case .delete = condition { return true }
        return false
    }

    /// Whether `current` (nil: gone) meets the condition; an error for a JSONPath that cannot
    /// be compared.
    private func check(_ condition: WaitCondition, _ current: JSON?, original: JSON) -> Result<Bool, KubectlFailure> {
        switch condition {
        case .create:
            return .success(current != nil)
        case .delete:
            // IsDeleted: gone, or replaced by another object of the name.
            guard let current else { return .success(true) }
            return .success(current.uid != original.uid)
        case .condition(let type, let status):
            guard let current else { return .success(false) }
            for c in current["status", "conditions"].array ?? [] {
                guard let name = c["type"].string, name.lowercased() == type.lowercased() else { continue }
                guard let value = c["status"].string else { continue }
                if config.version == .v1_36, let generation = current["metadata", "generation"].int {
                    let observed = c["observedGeneration"].int ?? current["status", "observedGeneration"].int
                    if let observed, observed < generation { return .success(false) }
                }
                return .success(value.lowercased() == status.lowercased())
            }
            return .success(false)
        case .jsonPath(let path, let expected):
            guard let current else { return .success(false) }
            switch path.findResults(.json(current)) {
            case .failure(let e): return .failure(KubectlFailure("error: \(e.message)"))
            case .success(let results):
                guard let first = results.first, let value = first.first else { return .success(false) }
                if results.count > 1 {
                    return .failure(KubectlFailure("error: given jsonpath expression matches more than one list"))
                }
                if first.count > 1 {
                    return .failure(KubectlFailure("error: given jsonpath expression matches more than one value"))
                }
                guard let expected else { return .success(true) }
                switch value.interface {
                case .object, .array:
                    return .failure(KubectlFailure("error: jsonpath leads to a nested object or list which is not supported"))
                default:
                    let text = GoFormat.plain(value.interface)
                    return .success(TablePrinter.trimSpace(text) == TablePrinter.trimSpace(expected))
                }
            }
        }
    }

    /// `conditionFuncsFor`: one `--for` value.
    private static func waitCondition(_ spec: String, v36: Bool) -> Result<WaitCondition, KubectlFailure> {
        let lower = spec.lowercased()
        if lower == "delete" { return .success(.delete) }
        if v36, lower == "create" { return .success(.create) }
        if spec.hasPrefix("condition=") {
            var name = String(spec.dropFirst("condition=".count))
            var status = "true"
            if let eq = name.firstIndex(of: "=") {
                status = String(name[name.index(after: eq)...])
                name = String(name[..<eq])
            }
            return .success(.condition(type: name, status: status))
        }
        if v36, spec.hasPrefix("jsonpath=") {
            let parts = splitJSONPathInput(String(spec.dropFirst("jsonpath=".count)))
            guard (1...2).contains(parts.count), let expression = parts.first else {
                return .failure(KubectlFailure("error: jsonpath wait format must be --for=jsonpath='{.status.readyReplicas}'=3 "
                    + "or --for=jsonpath='{.status.readyReplicas}'"))
            }
            let relaxed: String
            switch CustomColumnsPrinter.relaxedJSONPathExpression(expression) {
            case .failure(let e): return .failure(KubectlFailure("error: \(e.message)"))
            case .success(let r): relaxed = r
            }
            var value: String?
            if parts.count == 2 {
                let trimmed = parts[1].goTrim(["'", "\""])
                if trimmed.isEmpty {
                    return .failure(KubectlFailure("error: jsonpath wait has to have a value after equal sign, "
                        + "like --for=jsonpath='{.status.readyReplicas}'=3"))
                }
                value = trimmed
            }
            if relaxed.isEmpty { return .failure(KubectlFailure("error: jsonpath expression cannot be empty")) }
            switch JSONPath.parse(relaxed) {
            case .failure(let e): return .failure(KubectlFailure("error: \(e.message)"))
            case .success(let path):
                path.allowMissingKeys = true
                return .success(.jsonPath(path, value: value))
            }
        }
        return .failure(KubectlFailure("error: unrecognized condition: \(GoValue.goQuote(spec))"))
    }

    /// `splitJSONPathInput`: split at each lone `=`; `==` stays in the expression.
    private static func splitJSONPathInput(_ input: String) -> [String] {
        var output: [String] = []
        var element: [UInt8] = []
        let bytes = Array(input.utf8)
        var i = 0
        while i < bytes.count {
            if bytes[i] == UInt8(ascii: "=") {
                if i + 1 < bytes.count, bytes[i + 1] == UInt8(ascii: "=") {
                    element += [UInt8(ascii: "="), UInt8(ascii: "=")]
                    i += 2
                    continue
                }
                output.append(String(decoding: element, as: UTF8.self))
                element.removeAll()
                i += 1
                continue
            }
            element.append(bytes[i])
            i += 1
        }
        output.append(String(decoding: element, as: UTF8.self))
        return output
    }
}

private extension String {
    /// Go's `strings.Trim(s, cutset)` for a set of single-byte characters.
    func goTrim(_ cutset: Set<Character>) -> String {
        var s = Substring(self)
        while let c = s.first, cutset.contains(c) { s.removeFirst() }
        while let c = s.last, cutset.contains(c) { s.removeLast() }
        return String(s)
    }
}
