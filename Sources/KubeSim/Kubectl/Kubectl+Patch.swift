/// `kubectl patch TYPE NAME -p PATCH [--type=strategic|merge|json]`
/// (`KK:staging/src/k8s.io/kubectl/pkg/cmd/patch`): each object is read, patched through the
/// API server (a strategic merge patch by default), and printed as `kind.group/name patched`,
/// or `patched (no change)` when the server's object is the one read. The patch may be YAML.
/// `--dry-run=client` patches the object read and prints it without a write, `=server` has
/// the API server patch it without storing it; 1.36's
/// `--subresource=status` patches the status.
extension Cluster {
    func kubectlPatch(_ flags: KubectlFlags, _ out: inout KubectlOutput) {
        let v36 = config.version == .v1_36
        guard let dryRun = out.success(flags.dryRunStrategy()) else { return }
        // Validate.
        guard let text = flags.patch else {
            // 1.18 marks --patch required (cobra's check); 1.36 accepts --patch-file instead.
            out.fail(v36 ? "error: must specify --patch or --patch-file containing the contents of the patch"
                         : "error: required flag(s) \"patch\" not set")
            return
        }
        guard !text.isEmpty else {
            out.fail(v36 ? "error: must specify --patch or --patch-file containing the contents of the patch"
                         : "error: must specify -p to patch")
            return
        }
        var patchType = PatchType.strategic
        if let given = flags.type, !given.isEmpty {
            guard let named = PatchType(rawValue: given.lowercased()) else {
                out.fail("error: --type must be one of [json merge strategic], not \(GoValue.goQuote(given))")
                return
            }
            patchType = named
        }
        var subresource: String?
        if let given = flags.subresource {
            guard v36 else {
                out.fail("error: unknown flag: --subresource")
                return
            }
            guard given == "status" else {
                // No such subresource here: the request would find nothing to patch.
                out.fail(given == "scale"
                    ? "error: kubesim's API server does not serve the scale subresource; patch spec.replicas instead"
                    : "Error from server (NotFound): the server could not find the requested resource")
                return
            }
            subresource = given
        }
        // `yaml.ToJSON`: text that starts as a JSON object goes as it is (the server, or the
        // local patch, finds it malformed); anything else is read as YAML.
        var patch = JSON.null
        var malformed: String?
        let trimmed = text.drop { $0 == " " || $0 == "\n" || $0 == "\t" || $0 == "\r" }
        if trimmed.first == "{" {
            do { patch = try JSON.parse(String(trimmed)) } catch { malformed = error.message }
        } else {
            switch YAMLReader.documents(text) {
            case .failure(let e):
                out.fail("error: unable to parse \(GoValue.goQuote(text)): \(e.message)")
                return
            case .success(let documents): patch = documents.first ?? .null
            }
        }

        guard !flags.positional.isEmpty else {
            out.fail(Self.noResourcesGiven)
            return
        }
        guard let targets = resolveTargets(flags.positional, flags, &out) else { return }
        if targets.contains(where: \.names.isEmpty) {
            out.fail("error: resource(s) were provided, but no name was specified")
            return
        }
        for target in targets {
            let info = target.info
            let namespace = info.namespaced ? flags.namespace : nil
            for name in target.names {
                // The builder reads each object first: a missing one is its error.
                let original: JSON
                switch request(.get, info.plural, namespace: namespace, name: name) {
                case .failure(let e):
                    out.fail(e.kubectlMessage)
                    continue
                case .success(let o): original = o
                }
                if let malformed {
                    if dryRun == .client {
                        let local = [PatchType.strategic: "invalid JSON document", .merge: "Invalid JSON Patch"]
                        out.fail("error: " + (local[patchType] ?? malformed))
                    } else {
                        out.fail(StatusError.badRequest(malformed).kubectlMessage)
                    }
                    continue
                }
                let patched: JSON
                if dryRun == .client {
                    switch Self.localPatch(original, patch, patchType, kind: info.kind) {
                    case .failure(let failure):
                        out.fail("error: \(failure.message)")
                        continue
                    case .success(let o): patched = o
                    }
                } else {
                    var request = APIRequest(.patch, info.plural, namespace: namespace, name: name)
                    request.body = patch
                    request.patchType = patchType
                    request.subresource = subresource
                    request.dryRun = dryRun == .server
                    switch serve(request) {
                    case .failure(let e):
                        out.fail(e.kubectlMessage)
                        continue
                    case .success(let o): patched = o
                    }
                }
                let operation = patched == original ? "patched (no change)" : "patched"
                // The printer is made after the patch, as kubectl's ToPrinter is.
                switch printFlagsOutput(flags) {
                case .failure(let failure): out.fail(failure.message)
                case .success(.json): out.print(Self.sortedKeys(patched).prettyPrinted())
                case .success(.yaml): out.print(YAMLPrinter.yaml(patched), newline: false)
                case .success(.name): out.print("\(Self.printedKind(info))/\(name)")
                case .success(.unset):
                    out.print("\(Self.printedKind(info))/\(name) \(operation)\(dryRun.suffix)")
                case .success(.jsonPath(let printer)):
                    switch printer.print(patched) {
                    case .success(let text): out.print(text, newline: false)
                    case .failure(let e): out.failVerbatim("error: " + e.message)
                    }
                }
            }
        }
    }

    /// `getPatchedJSON`: the patch applied here, to the object read (client dry run).
    private static func localPatch(_ object: JSON, _ patch: JSON, _ type: PatchType, kind: String)
        -> Result<JSON, KubectlFailure>
    {
        switch type {
        case .merge:
            return .success(Patch.merge(object, patch))
        case .json:
            return Patch.json(object, patch).mapError { KubectlFailure($0.message) }
        case .strategic:
            return StrategicMergePatch.apply(object, patch, kind: kind).mapError { KubectlFailure($0.message) }
        }
    }
}
