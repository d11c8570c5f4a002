/// The strategic merge patch (`application/strategic-merge-patch+json`,
/// `k8s.io/apimachinery/pkg/util/strategicpatch`), as the API server applies it to the
/// built-in kinds: maps merge as in a JSON merge patch, but a list whose Go field carries
/// `patchStrategy:"merge"` merges too — elements matched by their `patchMergeKey` (containers
/// by name, ports by containerPort), primitives as a set union — where any other list is
/// replaced. The directives a client may send: `$patch: replace|delete|merge` in a map or a
/// list element, `$deleteFromPrimitiveList/<field>`, `$setElementOrder/<field>` and
/// `$retainKeys`.
enum StrategicMergePatch {
    /// `patchMergeKey` (or, for a list of primitives, nil) of each list with
    /// `patchStrategy:"merge"`, by `<Go struct>.<json field>` (k8s.io/api core/v1, apps/v1,
    /// meta/v1, policy/v1). Lists not named here are replaced.
    static let mergeKeys: [String: String?] = [
        "ObjectMeta.ownerReferences": "uid",
        "ObjectMeta.finalizers": nil,
        "PodSpec.volumes": "name",
        "PodSpec.initContainers": "name",
        "PodSpec.containers": "name",
        "PodSpec.ephemeralContainers": "name",
        "PodSpec.imagePullSecrets": "name",
        "PodSpec.hostAliases": "ip",
        "PodSpec.topologySpreadConstraints": "topologyKey",
        "PodSpec.resourceClaims": "name",
        "PodSpec.schedulingGates": "name",
        "Container.ports": "containerPort",
        "Container.env": "name",
        "Container.volumeMounts": "mountPath",
        "Container.volumeDevices": "devicePath",
        "NodeSpec.podCIDRs": nil,
        "NodeStatus.conditions": "type",
        "NodeStatus.addresses": "type",
        "PodStatus.conditions": "type",
        "PodStatus.podIPs": "ip",
        "PodStatus.hostIPs": "ip",
        "DeploymentStatus.conditions": "type",
        "ReplicaSetStatus.conditions": "type",
        "DaemonSetStatus.conditions": "type",
        "ServiceSpec.ports": "port",
        "PodDisruptionBudgetStatus.conditions": "type",
    ]

    /// A failure worded as strategicpatch's errors; the API server answers it with 422 on
    /// the `patch` field, or 400 when the document is not a JSON object.
    struct Failure: Error, Equatable {
        let message: String
    }

    /// `target` patched by `patch`, with the Go types of `kind` (nil: no list merges).
    static func apply(_ target: JSON, _ patch: JSON, kind: String) -> Result<JSON, Failure> {
        guard case .object(let p) = patch else {
            return .failure(Failure(message: "json: cannot unmarshal \(patch.typeName) into Go value of type map[string]interface {}"))
        }
        let original = target.object ?? JSONObject()
        return mergeMap(original, p, GoSchema.root(kind: kind), kind: kind, isRoot: true).map { .object($0) }
    }

    /// The struct a member's value decodes into, where the schema knows it: at the root, a
    /// kind's `status` is described by its status schema.
    private static func memberStruct(_ schema: GoStruct?, _ field: String, kind: String, isRoot: Bool) -> GoStruct? {
        if isRoot, field == "status" {
            if case .object(let s)? = GoSchema.statusRoot(kind: kind).fields["status"] { return s }
            return nil
        }
        if case .object(let s)? = schema?.fields[field] { return s }
        return nil
    }

    private static func elementStruct(_ schema: GoStruct?, _ field: String) -> GoStruct? {
        if case .list(.object(let s), _)? = schema?.fields[field] { return s }
        return nil
    }

    private static func mergeMap(_ original: JSONObject, _ patch: JSONObject, _ schema: GoStruct?, kind: String,
                                 isRoot: Bool = false) -> Result<JSONObject, Failure>
    {
        let given = patch
        var patch = patch
        if let directive = patch.removeValue(forKey: "$patch") {
            switch directive.string {
            case "replace": return .success(withoutDirectives(patch))
            case "delete": return .success(JSONObject())
            case "merge": break
            default:
                return .failure(Failure(message: "unknown patch type: \(goValue(directive)) in map: \(goValue(.object(given)))"))
            }
        }
        var result = original
        if let retain = patch.removeValue(forKey: "$retainKeys") {
            guard let keys = retain.array?.compactMap(\.string) else {
                return .failure(Failure(message: "invalid retainKeys list: \(goValue(retain))"))
            }
            result.removeMembers { !keys.contains($0) }
        }
        // Primitive deletions and element orders name their list after the prefix.
        var orders: [(field: String, order: [JSON])] = []
        for (key, value) in patch where key.hasPrefix("$deleteFromPrimitiveList/") || key.hasPrefix("$setElementOrder/") {
            let isDelete = key.hasPrefix("$deleteFromPrimitiveList/")
            let field = String(key.dropFirst(isDelete ? "$deleteFromPrimitiveList/".count : "$setElementOrder/".count))
            guard let list = value.array else {
                return .failure(Failure(message: "invalid type for \(key): \(goValue(value))"))
            }
            if isDelete {
                if let current = result[field]?.array { result[field] = .array(current.filter { !list.contains($0) }) }
            } else {
                orders.append((field, list))
            }
        }
        patch.removeMembers { $0.hasPrefix("$deleteFromPrimitiveList/") || $0.hasPrefix("$setElementOrder/") }

        for (key, value) in patch {
            if value.isNull {
                result[key] = nil
                continue
            }
            guard let current = result[key] else {
                // Not in the original: the patch's value, less its directives and nulls.
                result[key] = withoutDirectives(value)
                continue
            }
            switch (current, value) {
            case (.object(let o), .object(let p)):
                switch mergeMap(o, p, memberStruct(schema, key, kind: kind, isRoot: isRoot), kind: kind) {
                case .failure(let f): return .failure(f)
                case .success(let merged): result[key] = .object(merged)
                }
            case (.array(let o), .array(let p)):
                let path = (schema?.name ?? "") + "." + key
                guard let entry = mergeKeys[path] else {
                    result[key] = withoutDirectives(value)
                    continue
                }
                switch mergeList(o, p, mergeKey: entry, elementStruct(schema, key), kind: kind) {
                case .failure(let f): return .failure(f)
                case .success(let merged): result[key] = .array(merged)
                }
            default:
                result[key] = withoutDirectives(value)
            }
        }
        for (field, order) in orders {
            guard let list = result[field]?.array else { continue }
            let path = (schema?.name ?? "") + "." + field
            let mergeKey = mergeKeys[path] ?? nil
            result[field] = .array(ordered(list, by: order, mergeKey: mergeKey))
        }
        return .success(result)
    }

    /// A list with `patchStrategy:"merge"`: primitives as a set union; maps matched by
    /// `mergeKey`, merged where found and appended where not, `$patch: delete` removing the
    /// match and `$patch: replace` replacing the whole list.
    private static func mergeList(_ original: [JSON], _ patch: [JSON], mergeKey: String?, _ element: GoStruct?,
                                  kind: String) -> Result<[JSON], Failure>
    {
        guard let mergeKey else {
            var merged = original
            for value in patch where !merged.contains(value) { merged.append(value) }
            return .success(merged)
        }
        var merged = original
        if patch.contains(where: { $0["$patch"].string == "replace" }) {
            return .success(patch.filter { $0["$patch"].string != "replace" }.map(withoutDirectives))
        }
        for item in patch {
            guard case .object(var fields) = item else {
                return .failure(Failure(message: "unable to find api field in struct \(element?.name ?? "") for the json field \"\(mergeKey)\""))
            }
            let directive = fields.removeValue(forKey: "$patch")
            guard let keyValue = fields[mergeKey], !keyValue.isNull else {
                return .failure(Failure(message: "map: \(goValue(item)) does not contain declared merge key: \(mergeKey)"))
            }
            let index = merged.firstIndex { $0[mergeKey] == keyValue }
            switch directive?.string {
            case nil, "merge":
                if let index, case .object(let existing) = merged[index] {
                    switch mergeMap(existing, fields, element, kind: kind) {
                    case .failure(let f): return .failure(f)
                    case .success(let m): merged[index] = .object(m)
                    }
                } else {
                    merged.append(withoutDirectives(.object(fields)))
                }
            case "delete":
                merged.removeAll { $0[mergeKey] == keyValue }
            default:
                return .failure(Failure(message: "unknown patch type: \(goValue(directive ?? .null)) in map: \(goValue(item))"))
            }
        }
        return .success(merged)
    }

    /// `$setElementOrder`: the elements it names in its order, then the others as they were.
    private static func ordered(_ list: [JSON], by order: [JSON], mergeKey: String?) -> [JSON] {
        func identity(_ value: JSON) -> JSON { mergeKey.map { value[$0] } ?? value }
        let wanted = order.map(identity)
        var result: [JSON] = []
        for w in wanted {
            if let item = list.first(where: { identity($0) == w }), !result.contains(item) { result.append(item) }
        }
        for item in list where !wanted.contains(identity(item)) { result.append(item) }
        return result
    }

    /// A value taken as it is: directives and nulls removed (the patch's new members).
    private static func withoutDirectives(_ value: JSON) -> JSON {
        switch value {
        case .object(let o): return .object(withoutDirectives(o))
        case .array(let a): return .array(a.filter { $0["$patch"].string != "delete" }.map(withoutDirectives))
        default: return value
        }
    }

    private static func withoutDirectives(_ o: JSONObject) -> JSONObject {
        var result = JSONObject(minimumCapacity: o.count)
        for (key, value) in o where !key.hasPrefix("$") && !value.isNull {
            result[key] = withoutDirectives(value)
        }
        return result
    }

    /// A value as Go's `%v` prints a decoded `interface{}` in these errors.
    private static func goValue(_ value: JSON) -> String {
        GoFormat.plain(value)
    }
}
