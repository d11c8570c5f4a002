/// `kubectl apply` (client-side): create what is missing; otherwise patch the live object
/// with a three-way merge of the last-applied configuration, the new manifest and the live
/// state, and report `created`, `configured` or `unchanged` (kubectl/pkg/cmd/apply).
///
/// Simplification: upstream uses a strategic merge patch, which merges lists such as
/// `containers` by name. Here a list is left alone when every element of the manifest's list
/// is contained in the live element at the same position (so server-side defaults do not
/// count as changes), and replaced wholesale otherwise.
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

    public var json: JSON {
        var j: JSON = ["kind": .string(kind), "apiVersion": .string(apiVersion)]
        if let namespace { j["namespace"] = .string(namespace) }
        j["name"] = .string(name)
        if let result { j["result"] = .string(result) }
        j["output"] = .string(output)
        if let error { j["error"] = error.status }
        return j
    }
}

extension Cluster {
    static let lastAppliedAnnotation = "kubectl.kubernetes.io/last-applied-configuration"

    /// Applies every object in `manifests`. A manifest that cannot be read at all fails as a
    /// whole; otherwise each object gets its own result.
    public func apply(manifests: String) -> Result<[ApplyResult], StatusError> {
        switch Manifests.decode(manifests) {
        case .failure(let e): return .failure(e)
        case .success(let objects): return .success(objects.map(applyOne))
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

    func applyOne(_ manifest: JSON) -> ApplyResult {
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
        let namespace = info.namespaced ? (manifest.namespace.isEmpty ? "default" : manifest.namespace) : nil
        result.namespace = namespace

        // The annotation holds the manifest as applied (without the annotation itself).
        var applied = manifest
        applied["metadata", "annotations", Self.lastAppliedAnnotation] = .null
        if applied["metadata", "annotations"].object?.isEmpty == true { applied["metadata", "annotations"] = .null }
        var modified = manifest
        modified["metadata", "annotations", Self.lastAppliedAnnotation] = .string(applied.canonical() + "\n")

        let printed = Self.printedKind(info)
        switch request(.get, info.plural, namespace: namespace, name: name) {
        case .failure(let e) where e.code == 404:
            switch request(.create, info.plural, namespace: namespace, body: modified) {
            case .success(let created):
                result.result = "created"
                result.object = created
                result.output = "\(printed)/\(name) created"
            case .failure(let e):
                return fail(e)
            }
        case .failure(let e):
            return fail(e)
        case .success(let live):
            let original = live.annotations[Self.lastAppliedAnnotation].string.flatMap { try? JSON.parse($0) } ?? .emptyObject
            let patch = ThreeWayMerge.patch(original: original, modified: modified, current: live)
            if patch.object?.isEmpty ?? true {
                result.result = "unchanged"
                result.object = live
                result.output = "\(printed)/\(name) unchanged"
            } else {
                switch request(.patch, info.plural, namespace: namespace, name: name, body: patch) {
                case .success(let updated):
                    result.result = "configured"
                    result.object = updated
                    result.output = "\(printed)/\(name) configured"
                case .failure(let e):
                    return fail(e)
                }
            }
        }
        return result
    }
}

/// The JSON merge patch that takes `current` to `modified`, deleting what `original` had and
/// `modified` dropped (kubectl's three-way patch, over merge-patch semantics).
enum ThreeWayMerge {
    static func patch(original: JSON, modified: JSON, current: JSON) -> JSON {
        var out = JSON.emptyObject
        guard case .object(let m) = modified else { return out }
        for (key, value) in m {
            let live = current[key]
            if case .object = value, case .object = live {
                let sub = patch(original: original[key], modified: value, current: live)
                if !(sub.object?.isEmpty ?? true) { out[key] = sub }
            } else if !contained(value, in: live) {
                out[key] = value
            }
        }
        if case .object(var o) = out {
            for (key, _) in original.object ?? [:] where m[key] == nil && !current[key].isNull {
                o[key] = .null
            }
            out = .object(o)
        }
        return out
    }

    /// `a` is contained in `b`: every member `a` sets, `b` has equally (lists element-wise).
    static func contained(_ a: JSON, in b: JSON) -> Bool {
        switch (a, b) {
        case (.object(let x), .object(let y)):
            return x.allSatisfy { key, value in
                value.isNull ? y[key] == nil : contained(value, in: y[key] ?? .null)
            }
        case (.array(let x), .array(let y)):
            return x.count == y.count && zip(x, y).allSatisfy { contained($0, in: $1) }
        case (.int(let x), .double(let y)): return Double(x) == y
        case (.double(let x), .int(let y)): return x == Double(y)
        default:
            return a == b
        }
    }
}
