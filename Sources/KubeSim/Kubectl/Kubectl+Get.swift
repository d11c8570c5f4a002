
/// `kubectl get`: list or fetch, then print as a table, JSON, YAML, names, or through a
/// template (`-o jsonpath=…`, `-o custom-columns=…`: Kubectl+GetTemplates.swift).
extension Cluster {
    func kubectlGet(_ flags: KubectlFlags, _ out: inout KubectlOutput) {
        guard let targets = resolveTargets(flags.positional, flags, &out) else { return }
        if flags.watch, targets.count > 1 {
            out.fail("error: watch is only supported on individual resources and resource collections, but "
                + "\(targets.count) resources were found")
            return
        }
        if Self.isTemplateOutput(flags) {
            kubectlGetTemplated(targets, flags, &out)
            return
        }
        let tables = targets.map { ($0, objects(of: $0, flags, &out)) }
        let total = tables.reduce(0) { $0 + $1.1.count }
        switch flags.output ?? "" {
        case "json", "yaml":
            // One object asked for by name prints as itself (or, not found, as the error
            // alone); anything else as a List of what was found, empty or not.
            let all = tables.flatMap(\.1)
            let singleItem = targets.count == 1 && targets[0].names.count == 1
            if singleItem, all.isEmpty { return }
            let value = singleItem ? all[0] : listObject(all)
            if flags.output == "json" {
                out.print(Self.sortedKeys(value).prettyPrinted())
            } else {
                out.print(YAMLPrinter.yaml(value), newline: false)
            }
        case "name":
            for (target, objects) in tables {
                for o in objects { out.print("\(Self.printedKind(target.info))/\(o.name)") }
            }
        case "", "wide":
            if total == 0 {
                guard out.exitCode == 0 else { return }
                let namespaced = !flags.allNamespaces && targets.allSatisfy(\.info.namespaced)
                out.warn(namespaced ? "No resources found in \(flags.namespace) namespace." : "No resources found")
                return
            }
            // Several resource types name their kind in the NAME column (as `--show-kind`
            // does); each prints its own table, a blank line before every table after the first.
            let showKind = flags.showKind || Set(targets.map(\.info.plural)).count > 1
            var printedOne = false
            for (target, objects) in tables where !objects.isEmpty {
                if printedOne, !flags.noHeaders { out.print("") }
                printTable(target.info, objects, flags, kind: showKind ? Self.printedKind(target.info) : nil, &out)
                printedOne = true
            }
        default:
            out.fail("error: " + Self.unknownOutputFormat(flags.output ?? "", version: config.version))
        }
    }

    /// The resource arguments `args` name (`KubectlFlags.targets`), or nil with kubectl's error
    /// printed.
    func resolveTargets(_ args: [String], _ flags: KubectlFlags, _ out: inout KubectlOutput) -> [GetTarget]? {
        switch flags.targets(args, registry) {
        case .failure(let failure):
            out.fail(failure.message)
            return nil
        case .success(let targets): return targets
        }
    }

    /// The objects a target names, or its list (with the selectors, `-A` in every namespace),
    /// in the order `get` prints them. Failures are printed as kubectl prints them.
    func objects(of target: GetTarget, _ flags: KubectlFlags, _ out: inout KubectlOutput) -> [JSON] {
        let info = target.info
        let fetched = fetch(target, flags)
        for e in fetched.errors { out.fail(e.kubectlMessage) }
        var objects = fetched.objects
        if flags.watch, info.plural == "events" {
            // A watch prints events as they arrive: in recording order, each aged at its
            // own arrival. `--resource-version` starts after that revision.
            let after = Int64(flags.resourceVersion ?? "") ?? 0
            objects = objects.filter { (Int64($0.resourceVersion) ?? 0) > after }
            objects.sort { (Int64($0.resourceVersion) ?? 0) < (Int64($1.resourceVersion) ?? 0) }
        } else if let sortBy = flags.sortBy {
            objects = Self.sort(objects, by: sortBy)
        }
        return objects
    }

    /// What kubectl's resource builder returns for a target: the objects found (a list in
    /// the API's order, or each name asked for) and the errors met, a failed list's worded
    /// as `EnhanceListError` words it.
    func fetch(_ target: GetTarget, _ flags: KubectlFlags) -> (objects: [JSON], errors: [StatusError]) {
        let info = target.info
        let namespace: String? = info.namespaced ? (flags.allNamespaces ? nil : flags.namespace) : nil
        guard target.names.isEmpty else {
            var objects: [JSON] = [], errors: [StatusError] = []
            for name in target.names {
                switch request(.get, info.plural, namespace: namespace, name: name) {
                case .success(let o): objects.append(o)
                case .failure(let e): errors.append(e)
                }
            }
            return (objects, errors)
        }
        var request = APIRequest(.list, info.plural, namespace: namespace ?? "")
        request.labelSelector = flags.labelSelector
        request.fieldSelector = flags.fieldSelector
        switch serve(request) {
        case .success(let list): return (list["items"].array ?? [], [])
        case .failure(var e):
            if e.code == 400 || e.code == 404 {
                let subject = "\(info.group.isEmpty ? "" : info.group)/\(info.version), Resource=\(info.plural)"
                let label = flags.labelSelector ?? "", field = flags.fieldSelector ?? ""
                if label.isEmpty, field.isEmpty {
                    e.message = "Unable to list \"\(subject)\": \(e.message)"
                } else {
                    e.message = "Unable to find \"\(subject)\" that match label selector \"\(label)\", "
                        + "field selector \"\(field)\": \(e.message)"
                }
            }
            return ([], [e])
        }
    }

    /// One resource's table (`kind`: the NAME column's prefix, when several types print).
    private func printTable(_ info: ResourceInfo, _ objects: [JSON], _ flags: KubectlFlags, kind: String?,
                            _ out: inout KubectlOutput)
    {
        var options = PrintOptions()
        options.wide = flags.output == "wide"
        options.showLabels = flags.showLabels
        options.allNamespaces = flags.allNamespaces && info.namespaced
        options.labelColumns = flags.labelColumns
        options.noHeaders = flags.noHeaders
        options.version = config.version
        options.kind = kind
        guard flags.watch, info.plural == "events" else {
            out.print(TablePrinter.table(resource: info.plural, objects: objects, now: now, options: options),
                      newline: false)
            return
        }
        // Each row printed at the moment it arrived, through one tabwriter whose column
        // widths only grow, as kubectl's watch output does.
        var writer = TabWriter()
        var first = true
        for o in objects {
            let at = Self.eventTime(o) ?? now
            options.noHeaders = flags.noHeaders || !first
            writer.write(TablePrinter.tabSeparated(resource: info.plural, objects: [o], now: at, options: options))
            out.print(writer.flush(), newline: false)
            first = false
        }
    }

    static func eventTime(_ event: JSON) -> VirtualTime? {
        for field in ["lastTimestamp", "firstTimestamp", "eventTime"] {
            if let t = event[field].string.flatMap({ VirtualTime(rfc3339: $0) }) { return t }
        }
        return nil
    }

    /// The List kubectl's `get` builds for display: its metadata the list accessor's
    /// resourceVersion (and, until 1.20, selfLink), both empty for a List kubectl made.
    func listObject(_ items: [JSON]) -> JSON {
        let metadata: JSON = config.version == .v1_18 ? ["resourceVersion": "", "selfLink": ""] : ["resourceVersion": ""]
        return ["apiVersion": "v1", "items": .array(items), "kind": "List", "metadata": metadata]
    }

    /// kubectl prints unstructured objects through Go maps: keys sorted.
    static func sortedKeys(_ value: JSON) -> JSON {
        switch value {
        case .object(let o):
            var d = JSONObject(minimumCapacity: o.count)
            for k in o.keys.sorted(by: JSON.utf8Less) { d[k] = sortedKeys(o[k] ?? .null) }
            return .object(d)
        case .array(let a): return .array(a.map(sortedKeys))
        default: return value
        }
    }

    /// `--sort-by=.metadata.creationTimestamp` or `{.status.phase}`: a stable sort on one
    /// field; numbers compare as numbers, text in natural order (kubectl's sortorder).
    static func sort(_ objects: [JSON], by expression: String) -> [JSON] {
        var path = expression
        if path.hasPrefix("{"), path.hasSuffix("}") { path = String(path.dropFirst().dropLast()) }
        let parts = path.split(separator: ".").map(String.init)
        let keyed = objects.enumerated().map { (i, o) in (i, o, o[path: parts]) }
        return keyed.sorted { a, b in
            switch (a.2, b.2) {
            case (.int(let x), .int(let y)) where x != y: return x < y
            case (.string(let x), .string(let y)) where x != y: return naturalLess(x, y)
            case (.null, .null): return a.0 < b.0
            case (.null, _): return true
            case (_, .null): return false
            default: return a.0 < b.0
            }
        }.map(\.1)
    }

    /// Natural order: digit runs compare by value ("9" < "10").
    static func naturalLess(_ a: String, _ b: String) -> Bool {
        var x = Substring(a), y = Substring(b)
        while let c = x.first, let d = y.first {
            if c.isNumber, d.isNumber {
                let nx = x.prefix { $0.isNumber }, ny = y.prefix { $0.isNumber }
                if nx.count != ny.count { return nx.count < ny.count }
                if nx != ny { return nx < ny }
                x = x.dropFirst(nx.count)
                y = y.dropFirst(ny.count)
            } else {
                if c != d { return c < d }
                x = x.dropFirst()
                y = y.dropFirst()
            }
        }
        return x.isEmpty && !y.isEmpty
    }
}
