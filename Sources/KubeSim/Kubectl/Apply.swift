/// `kubectl apply` (client-side): create what is missing; otherwise patch the live object
/// with the three-way strategic merge patch of the last-applied configuration, the new
/// manifest and the live state (`ThreeWayMergePatch`), and report `created`, `configured`
/// (a patch was sent) or `unchanged` (the patch was empty) (kubectl/pkg/cmd/apply).
public struct ApplyResult: Sendable {
    public var kind: String
    public var apiVersion: String
    public var namespace: String?
    public var name: String
    /// `created`, `configured`, `unchanged`; nil on error.
    public var result: String?
    public var object: JSON?
    public var error: StatusError?
    /// kubectl's line: `deployment.apps/nginx created`.
    public var output: String
    /// What kubectl warns of on standard error first, a line each: the live object had no
    /// last-applied annotation (it was not created by `apply`), which this apply adds; the
    /// API server's warnings (`Warning: unknown field "spec.replicass"` with `--validate=warn`).
    public var warning: String? = nil

    mutating func addServerWarnings(_ warnings: [String]) {
        guard !warnings.isEmpty else { return }
        let lines = warnings.map { "Warning: " + $0 }.joined(separator: "\n")
        warning = warning.map { $0 + "\n" + lines } ?? lines
    }

    public var json: JSON {
        var j: JSON = ["kind": .string(kind), "apiVersion": .string(apiVersion)]
        if let namespace { j["namespace"] = .string(namespace) }
        j["name"] = .string(name)
        if let result { j["result"] = .string(result) }
        j["output"] = .string(output)
        if let warning { j["warning"] = .string(warning) }
        if let error { j["error"] = error.status }
        return j
    }
}

extension Cluster {
    static let lastAppliedAnnotation = "kubectl.kubernetes.io/last-applied-configuration"

    /// Applies every object in `manifests`. A manifest that cannot be read at all fails as a
    /// whole; otherwise each object gets its own result.
    public func apply(manifests: String) -> Result<[ApplyResult], StatusError> {
        apply(manifests: manifests, namespace: nil)
    }

    /// `kubectl apply -n <namespace>`: objects that name no namespace go to `namespace` (nil:
    /// `default`), and one naming another fails as kubectl's resource builder refuses it.
    /// `validation` is kubectl's `--validate` (strict by default): in 1.18 anything but
    /// `ignore` checks the manifests on the client.
    func apply(manifests: String, namespace: String?, validation: FieldValidation = .strict,
               dryRun: KubectlFlags.DryRun = .none) -> Result<[ApplyResult], StatusError>
    {
        switch Manifests.decode(manifests) {
        case .failure(let e): return .failure(e)
        case .success(let objects):
            var results: [ApplyResult] = []
            for object in objects {
                // kubectl 1.18 validates each document as its stream reads it: one that fails
                // stops the stream, so the documents after it are not applied.
                if case .success(let info) = resolve(object),
                   let message = clientSideValidationError(object, info, validation)
                {
                    let error = StatusError.badRequest(message)
                    results.append(ApplyResult(kind: object.kind, apiVersion: object.apiVersion, namespace: nil,
                                               name: object.name, result: nil, object: nil, error: error,
                                               output: "error: " + message))
                    break
                }
                results.append(applyOne(object, namespace: namespace, validation: validation, dryRun: dryRun))
            }
            return .success(results)
        }
    }

    /// kubectl's resource name for output lines: `deployment.apps`, `pod`.
    static func printedKind(_ info: ResourceInfo) -> String {
        info.group.isEmpty ? info.kind.lowercased() : "\(info.kind.lowercased()).\(info.group)"
    }

    func resolve(_ object: JSON) -> Result<ResourceInfo, StatusError> {
        guard object.object != nil else {
            return .failure(.badRequest("error decoding manifest: expected an object, got \(object.typeName)"))
        }
        let kind = object.kind
        let apiVersion = object.apiVersion
        if kind.isEmpty {
            return .failure(.badRequest("Object 'Kind' is missing in '\(object.serialized())'"))
        }
        if apiVersion.isEmpty {
            return .failure(.badRequest("Object 'apiVersion' is missing in '\(object.serialized())'"))
        }
        guard let info = registry.resolve(kind: kind, apiVersion: apiVersion) else {
            return .failure(.noKind(kind: kind, apiVersion: apiVersion))
        }
        return .success(info)
    }

    /// `dryRun`: `client` sends no write and reports what it would have done; `server` has
    /// the API server dry-run the write. kubectl's printer adds ` (dry run)` or ` (server
    /// dry run)` to every operation.
    func applyOne(_ manifest: JSON, namespace given: String? = nil, validation: FieldValidation = .strict,
                  dryRun: KubectlFlags.DryRun = .none) -> ApplyResult
    {
        var result = ApplyResult(kind: manifest.kind, apiVersion: manifest.apiVersion, namespace: nil,
                                 name: manifest.name, result: nil, object: nil, error: nil, output: "")
        func fail(_ e: StatusError) -> ApplyResult {
            result.error = e
            result.output = e.kubectlMessage
            return result
        }
        let info: ResourceInfo
        switch resolve(manifest) {
        case .success(let i): info = i
        case .failure(let e):
            var r = fail(e)
            if e.code == 404 {
                // kubectl maps kinds on the client, so an unknown kind never reaches the server.
                switch config.version {
                case .v1_18:
                    r.output = "error: unable to recognize \"STDIN\": \(e.message)"
                case .v1_36:
                    r.output = "error: resource mapping not found for name: \"\(manifest.name)\" namespace: "
                        + "\"\(manifest.namespace)\" from \"STDIN\": \(e.message)\nensure CRDs are installed first"
                }
            }
            return r
        }
        let name = manifest.name
        if name.isEmpty { return fail(.badRequest("resource name may not be empty")) }
        if info.namespaced, let given, !manifest.namespace.isEmpty, manifest.namespace != given {
            // Refused by kubectl's resource builder, before any request: printed as its error.
            let refusal = StatusError.badRequest("the namespace from the provided object \"\(manifest.namespace)\" does not match the namespace \"\(given)\". You must pass '--namespace=\(manifest.namespace)' to perform this operation.")
            var r = fail(refusal)
            r.output = "error: " + refusal.message
            return r
        }
        let namespace = info.namespaced ? (manifest.namespace.isEmpty ? given ?? "default" : manifest.namespace) : nil
        result.namespace = namespace
        // kubectl 1.18 checks the manifest against the server's OpenAPI document before it
        // sends anything (`--validate=true`); later ones ask the server to (`Strict`, below).

        // kubectl's resource builder sets the namespace on the object it read, and
        // GetModifiedConfiguration writes the object's annotations back without the
        // last-applied one, as an empty map when there are no others: the annotation holds
        // `"annotations":{}` and the namespace, then the manifest as applied.
        var applied = manifest
        if let namespace { applied["metadata", "namespace"] = .string(namespace) }
        applied["metadata", "annotations", Self.lastAppliedAnnotation] = .null
        if applied["metadata", "annotations"].object == nil { applied["metadata", "annotations"] = .emptyObject }
        var modified = applied
        modified["metadata", "annotations", Self.lastAppliedAnnotation] = .string(applied.canonical() + "\n")

        let printed = Self.printedKind(info)
        switch request(.get, info.plural, namespace: namespace, name: name) {
        case .failure(let e) where e.code == 404:
            if dryRun == .client {
                result.result = "created"
                result.object = modified
                result.output = "\(printed)/\(name) created (dry run)"
                return result
            }
            switch request(.create, info.plural, namespace: namespace, body: modified,
                           configure: Self.kubectlWrite(validation, dryRun)) {
            case .success(let created):
                result.result = "created"
                result.object = created
                result.output = "\(printed)/\(name) created\(dryRun.suffix)"
                result.addServerWarnings(lastWarnings)
            case .failure(let e):
                // AddSourceToErr: the source joins the message (an Invalid error prints its
                // causes instead).
                var r = fail(e)
                r.output = Self.sourced(e, "creating")
                return r
            }
        case .failure(let e):
            return fail(e)
        case .success(let live):
            if dryRun == .client, config.version == .v1_18 {
                // kubectl before 1.36 skips the patch on a client dry run (no warning, no
                // patch worked out) and reports the live object as configured.
                result.result = "configured"
                result.object = live
                result.output = "\(printed)/\(name) configured (dry run)"
                return result
            }
            let annotation = live.annotations[Self.lastAppliedAnnotation].string
            if annotation == nil {
                switch config.version {
                case .v1_18:
                    result.warning = "Warning: kubectl apply should be used on resource created by either kubectl create --save-config or kubectl apply"
                case .v1_36:
                    result.warning = "Warning: resource \(info.plural)/\(name) is missing the \(Self.lastAppliedAnnotation) annotation which is required by kubectl apply. kubectl apply should only be used on resources created declaratively by either kubectl create --save-config or kubectl apply. The missing annotation will be patched automatically."
                }
            }
            let patch: JSONObject
            switch Self.applyPatch(lastApplied: annotation, modified: modified, live: live, kind: info.kind,
                                   version: config.version) {
            case .success(let p): patch = p
            case .failure(let e):
                // A client-side failure, worded as kubectl's patcher wraps it (createPatchErrFormat).
                var r = fail(e)
                r.output = "error: error when creating patch with:\noriginal:\n\(annotation ?? "")\nmodified:\n"
                    + "\(modified.canonical())\ncurrent:\n\(live.canonical())\nfor: \"STDIN\": \(e.message)"
                return r
            }
            if patch.isEmpty {
                result.result = "unchanged"
                result.object = live
                result.output = "\(printed)/\(name) unchanged\(dryRun.suffix)"
            } else if dryRun == .client {
                // 1.36 (kubernetes#135513) applies the patch locally and shows the result.
                result.result = "configured"
                result.object = (try? StrategicMergePatch.apply(live, .object(patch), kind: info.kind).get()) ?? live
                result.output = "\(printed)/\(name) configured (dry run)"
            } else {
                switch request(.patch, info.plural, namespace: namespace, name: name, body: .object(patch),
                               configure: {
                                   $0.patchType = .strategic
                                   Self.kubectlWrite(validation, dryRun)(&$0)
                               }) {
                case .success(let updated):
                    result.addServerWarnings(lastWarnings)
                    result.result = "configured"
                    result.object = updated
                    result.output = "\(printed)/\(name) configured\(dryRun.suffix)"
                case .failure(let e):
                    return fail(e)
                }
            }
        }
        return result
    }

    /// kubectl 1.18's check of a manifest against the server's OpenAPI document, made before
    /// it sends anything (`--validate=true`): the error for its unknown fields, or nil. Later
    /// releases ask the server to check instead (`fieldValidation=Strict`).
    func clientSideValidationError(_ manifest: JSON, _ info: ResourceInfo, _ validation: FieldValidation) -> String? {
        guard config.version == .v1_18, validation != .ignore else { return nil }
        let known = KnownFields.of(.v1_18)
        guard known.hasUnknown(in: manifest, kind: info.kind, skippingNulls: true) else { return nil }
        let unknown = known.unknown(in: manifest, kind: info.kind, sortedKeys: true, skippingNulls: true)
        return "error validating \"STDIN\": error validating data: " + KnownFields.kubectlValidationError(unknown)
            + "; if you choose to ignore these errors, turn validation off with --validate=false"
    }

    /// How kubectl sends a write of a manifest: its `--validate` directive, the body as Go
    /// marshals a map (keys sorted), and a server dry run when asked for one.
    static func kubectlWrite(_ validation: FieldValidation, _ dryRun: KubectlFlags.DryRun) -> (inout APIRequest) -> Void {
        { request in
            request.fieldValidation = validation
            request.bodyKeysSorted = true
            request.dryRun = dryRun == .server
        }
    }

    /// kubectl's `AddSourceToErr`: a failed write's error names the file it came from; an
    /// Invalid error prints its causes instead of its message, so shows no source.
    static func sourced(_ e: StatusError, _ verb: String) -> String {
        guard e.reason != "Invalid" else { return e.kubectlMessage }
        var sourced = e
        sourced.message = "error when \(verb) \"STDIN\": " + e.message
        return sourced.kubectlMessage
    }

    /// The patch `apply` sends (empty: nothing to change). An annotation that is not a JSON
    /// object fails as decoding it for the patch does.
    private static func applyPatch(lastApplied: String?, modified: JSON, live: JSON, kind: String,
                                   version: KubernetesVersion) -> Result<JSONObject, StatusError>
    {
        var original = JSONObject()
        // Upstream decodes a non-empty annotation into a map: `null` gives none, as an empty
        // annotation does.
        if let lastApplied, !lastApplied.isEmpty {
            switch try? JSON.parse(lastApplied) {
            case .object(let parsed)?: original = parsed
            case .null?: break
            default: return .failure(StatusError(code: 500, reason: "", message: "invalid JSON document"))
            }
        }
        return ThreeWayMergePatch.create(original: original, modified: modified.object ?? JSONObject(),
                                         current: live.object ?? JSONObject(), kind: kind, version: version)
    }
}
