/// `kubectl label` and `kubectl annotate` (`pkg/cmd/label`, `pkg/cmd/annotate`): set
/// (`key=value`) and remove (`key-`) labels or annotations on the objects named, selected
/// (`-l`) or all of a type (`--all`), through a merge patch of `metadata`.
extension Cluster {
    enum MetadataMap {
        case labels, annotations

        var member: String { self == .labels ? "labels" : "annotations" }
    }

    func kubectlLabel(_ flags: KubectlFlags, _ map: MetadataMap, _ out: inout KubectlOutput) {
        // Resources first, then the changes: an argument with `=`, or ending in `-`, is a change.
        let isChange = { (arg: String) in arg.contains("=") || (arg.hasSuffix("-") && arg != "-") }
        guard let firstChange = flags.positional.firstIndex(where: isChange) else {
            out.fail(map == .labels ? "error: at least one label update is required"
                                    : "error: at least one annotation update is required")
            return
        }
        let resources = Array(flags.positional[..<firstChange])
        let changes = Array(flags.positional[firstChange...])
        if let misplaced = changes.first(where: { !isChange($0) }) {
            out.fail("error: all resources must be specified before \(map == .labels ? "label" : "annotation") changes: \(misplaced)")
            return
        }
        let parsed = map == .labels ? Self.parseLabelChanges(changes, version: config.version)
                                    : Self.parseAnnotationChanges(changes)
        guard case .success(let (set, remove)) = parsed else {
            if case .failure(let failure) = parsed { out.fail(failure.message) }
            return
        }
        if flags.all, flags.labelSelector != nil {
            out.fail("error: cannot set --all and --selector at the same time")
            return
        }
        guard !resources.isEmpty else {
            out.fail("error: one or more resources must be specified as <resource> <name> or <resource>/<name>")
            return
        }
        guard let targets = resolveTargets(resources, flags, &out) else { return }
        for target in targets {
            // Named, or (`-l`, `--all`) listed.
            guard !target.names.isEmpty || flags.all || flags.labelSelector != nil else {
                out.fail("error: resource(s) were provided, but no name was specified")
                continue
            }
            for object in objects(of: target, flags, &out) {
                change(object, target.info, map, set: set, remove: remove, overwrite: flags.overwrite, &out)
            }
        }
    }

    private func change(_ object: JSON, _ info: ResourceInfo, _ map: MetadataMap, set: [(String, String)],
                        remove: [String], overwrite: Bool, _ out: inout KubectlOutput)
    {
        let current = object["metadata", map.member].object ?? JSONObject()
        let ref = "\(Self.printedKind(info))/\(object.name)"
        // A key keeps its value unless --overwrite (annotate: change-cause may always change).
        let conflicts = set.compactMap { key, value -> String? in
            guard let existing = current[key]?.string, existing != value, !overwrite else { return nil }
            if map == .annotations, key == "kubernetes.io/change-cause" { return nil }
            return "'\(key)' already has a value (\(existing))"
        }
        if !conflicts.isEmpty {
            switch map {
            case .labels:
                let errors = conflicts.map { $0 + ", and --overwrite is false" }
                out.fail(errors.count == 1 ? "error: " + errors[0] : "error: [" + errors.joined(separator: ", ") + "]")
            case .annotations:
                out.fail("error: --overwrite is false but found the following declared annotation(s): "
                    + conflicts.joined(separator: "; "))
            }
            return
        }
        var patch = JSONObject()
        var added = false, removed = false
        for (key, value) in set {
            patch[key] = .string(value)
            if current[key]?.string != value { added = true }
        }
        for key in remove {
            if current[key] != nil {
                removed = true
            } else if map == .labels {
                out.print("label \"\(key)\" not found.")
            }
            patch[key] = .null
        }
        let verb: String
        switch map {
        case .labels:
            // label.go's updateDataChangeMsg; an unchanged object is not written at all.
            switch (added, removed) {
            case (true, true): verb = "modified"
            case (true, false): verb = "labeled"
            case (false, true): verb = "unlabeled"
            case (false, false):
                out.print("\(ref) not labeled")
                return
            }
        case .annotations:
            verb = "annotated"
        }
        let body: JSON = ["metadata": [map.member: .object(patch)]]
        switch request(.patch, info.plural, namespace: info.namespaced ? object.namespace : nil, name: object.name,
                       body: body)
        {
        case .success: out.print("\(ref) \(verb)")
        case .failure(let e): out.fail(e.kubectlMessage)
        }
    }

    /// `key=value` and `key-` (label.go `parseLabels`): one `=` at most, a valid label value
    /// (keys are left to the API server), and no key both set and removed.
    static func parseLabelChanges(_ specs: [String], version: KubernetesVersion)
        -> Result<([(String, String)], [String]), KubectlFailure>
    {
        var set: [(String, String)] = []
        var remove: [String] = []
        for spec in specs {
            if spec.contains("=") {
                let parts = spec.split(separator: "=", omittingEmptySubsequences: false).map(String.init)
                guard parts.count == 2 else { return .failure(KubectlFailure("error: invalid label spec: \(spec)")) }
                let errors = NameRules.labelValue(parts[1], .of(version))
                if !errors.isEmpty {
                    return .failure(KubectlFailure("error: invalid label value: \(GoValue.goQuote(spec)): \(errors.joined(separator: ";"))"))
                }
                set.removeAll { $0.0 == parts[0] }
                set.append((parts[0], parts[1]))
            } else {
                remove.append(String(spec.dropLast()))
            }
        }
        if remove.contains(where: { key in set.contains { $0.0 == key } }) {
            return .failure(KubectlFailure("error: can not both modify and remove a label in the same command"))
        }
        return .success((set, remove))
    }

    /// `key=value` (split at the first `=`) and `key-` (`ParsePairs`).
    static func parseAnnotationChanges(_ specs: [String]) -> Result<([(String, String)], [String]), KubectlFailure> {
        var set: [(String, String)] = []
        var remove: [String] = []
        var invalid: [String] = []
        for spec in specs {
            if spec.contains("="), !spec.hasPrefix("=") {
                let parts = spec.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
                set.removeAll { $0.0 == parts[0] }
                set.append((parts[0], parts.count > 1 ? parts[1] : ""))
            } else if spec.hasSuffix("-"), spec != "-" {
                remove.append(String(spec.dropLast()))
            } else {
                invalid.append(spec)
            }
        }
        if !invalid.isEmpty {
            return .failure(KubectlFailure("error: invalid annotation format: " + invalid.joined(separator: " ")))
        }
        let both = remove.filter { key in set.contains { $0.0 == key } }
        if !both.isEmpty {
            return .failure(KubectlFailure("error: can not both modify and remove the following annotation(s) in the same command: "
                + both.joined(separator: ", ")))
        }
        return .success((set, remove))
    }
}
