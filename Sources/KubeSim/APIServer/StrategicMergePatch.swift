/// The strategic merge patch (`application/strategic-merge-patch+json`,
/// `k8s.io/apimachinery/pkg/util/strategicpatch`), as the API server applies it to the
/// built-in kinds: maps merge as in a JSON merge patch, but a list whose Go field carries
/// `patchStrategy:"merge"` merges too — elements matched by their `patchMergeKey` (containers
/// by name, ports by containerPort), primitives as a set union — where any other list is
/// replaced. The directives a client may send: `$patch: replace|delete` in a map or a list
/// element, `$deleteFromPrimitiveList/<field>`, `$setElementOrder/<field>` and `$retainKeys`.
///
/// A merged list is ordered as upstream orders it (`normalizeElementOrder`): the patch's items
/// in the patch's order (or `$setElementOrder`'s), the live object's other items slotted in
/// by their live positions, an item new to the list ahead of a live one.
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
        "PodStatus.resourceClaimStatuses": "name",
        "NamespaceStatus.conditions": "type",
        "ServiceSpec.ports": "port",
        "ServiceStatus.conditions": "type",
        "DeploymentStatus.conditions": "type",
        "ReplicaSetStatus.conditions": "type",
        "DaemonSetStatus.conditions": "type",
        "PodDisruptionBudgetStatus.conditions": "type",
    ]

    /// The fields with `patchStrategy:"retainKeys"` (alone or with `merge`): a patch for one of
    /// them lists in `$retainKeys` the members to keep. Only the client's patch generation
    /// reads this (`kubectl apply`); the API server follows the directive wherever it is.
    static let retainKeysFields: Set<String> = [
        "DeploymentSpec.strategy",
        "PodSpec.volumes",
        "PodSpec.resourceClaims",
    ]

    /// The fields with `patchStrategy:"replace"`: a map there is replaced by the patch's, not
    /// merged. policy/v1's PodDisruptionBudget selector (1.21+; 1.18's policy/v1beta1 had no
    /// such tag). The API server applies 1.36's for both releases; kubectl's apply builds its
    /// patch with its own release's.
    static func replaceFields(_ version: KubernetesVersion) -> Set<String> {
        switch version {
        case .v1_18: []
        case .v1_36: ["PodDisruptionBudgetSpec.selector"]
        }
    }
    private static let serverReplaceFields = replaceFields(.v1_36)

    /// A failure as the API server answers it (`interpretStrategicMergePatchError`): the
    /// patch format errors are 400, lists of lists 422, anything else a 500 with no reason.
    static func unprocessable(_ message: String) -> StatusError {
        StatusError(code: 422, reason: "Invalid", message: message)
    }
    static func failed(_ message: String) -> StatusError {
        StatusError(code: 500, reason: "", message: message)
    }

    static let setElementOrderPrefix = "$setElementOrder/"
    static let deleteFromPrimitiveListPrefix = "$deleteFromPrimitiveList/"

    static let badRetainKeys = "invalid patch format of retainKeys"
    static let badElementOrder = "invalid patch format of setElementOrder list"
    static let badPrimitiveList = "invalid patch format of primitive list"

    /// `target` patched by `patch`, with the Go types of `kind` (unknown kinds: no list merges).
    static func apply(_ target: JSON, _ patch: JSON, kind: String) -> Result<JSON, StatusError> {
        guard case .object(let p) = patch else {
            return .failure(.badRequest("json: cannot unmarshal \(patch.typeName) into Go value of type map[string]interface {}"))
        }
        let original = target.object ?? JSONObject()
        return mergeMap(original, p, GoSchema.root(kind: kind), kind: kind, isRoot: true).map { .object($0) }
    }

    // MARK: Maps

    private static func mergeMap(_ original: JSONObject, _ patch: JSONObject, _ schema: GoStruct?, kind: String,
                                 isRoot: Bool = false) -> Result<JSONObject, StatusError>
    {
        if let directive = patch["$patch"] {
            switch directive.string {
            case "replace":
                var replaced = patch
                replaced["$patch"] = nil
                return .success(removingDirectives(replaced))
            case "delete":
                return .success(JSONObject())
            default:
                return .failure(failed("unknown patch type: \(GoFormat.plain(directive)) in map: \(GoFormat.plain(.object(patch)))"))
            }
        }
        var result = original
        var patch = patch
        // `$retainKeys`: every member the patch sets must be listed; the others go.
        if let retain = patch.removeValue(forKey: "$retainKeys") {
            guard let listed = retain.array else { return .failure(.badRequest(badRetainKeys)) }
            for (key, value) in patch where !value.isNull && !isListDirective(key) {
                if !listed.contains(.string(key)) { return .failure(.badRequest(badRetainKeys)) }
            }
            result.removeMembers { !listed.contains(.string($0)) }
        }
        // `$setElementOrder/<field>`, with the field's patch list (`mergePatchIntoOriginal`).
        for (key, order) in patch where key.hasPrefix(setElementOrderPrefix) {
            let field = String(key.dropFirst(setElementOrderPrefix.count))
            guard !field.isEmpty, let orderList = order.array else { return .failure(.badRequest(badElementOrder)) }
            let mergeKey = mergeKeys[listPath(schema, field)] ?? nil
            let live = result[field]?.array
            let patched = patch[field]?.array
            if let patched, let error = validate(patched, order: orderList, mergeKey: mergeKey) { return .failure(error) }
            var merged: [JSON]
            switch (live, patched) {
            case (let live?, nil): merged = live
            case (nil, let patched?): merged = patched
            case (let live?, let patched?):
                switch mergeListField(live, patched, schema, field, kind: kind, isDeleteList: false) {
                case .failure(let error): return .failure(error)
                case .success(let m): merged = m
                }
            case (nil, nil): continue
            }
            let inOrder = merged.filter { item in orderList.contains { same($0, item, mergeKey) } }
            let serverOnly = merged.filter { item in !orderList.contains { same($0, item, mergeKey) } }
            result[field] = .array(normalizedOrder(inOrder, serverOnly, patchOrder: orderList, serverOrder: live ?? [],
                                                   mergeKey: mergeKey))
            patch[field] = nil
        }
        patch.removeMembers { $0.hasPrefix(setElementOrderPrefix) }

        for (rawKey, value) in patch {
            var key = rawKey
            let isDeleteList = rawKey.hasPrefix(deleteFromPrimitiveListPrefix)
            // Other `$` members name no field: decoding into the Go types drops them.
            if rawKey.hasPrefix("$"), !isDeleteList { continue }
            if isDeleteList {
                key = String(rawKey.dropFirst(deleteFromPrimitiveListPrefix.count))
                guard !key.isEmpty else { return .failure(.badRequest(badPrimitiveList)) }
            }
            if value.isNull {
                result[key] = nil
                continue
            }
            guard let current = result[key] else {
                // Not in the live object: the patch's value, without its directives.
                if let kept = removingDirectives(value) { result[key] = kept }
                continue
            }
            switch (current, value) {
            case (.object, .object(let p)) where serverReplaceFields.contains(listPath(schema, key)):
                // The patch's map as it is (mergeMapHandler); decoding drops its directives.
                result[key] = .object(removingDirectives(p))
            case (.object(let o), .object(let p)):
                switch mergeMap(o, p, memberStruct(schema, key, kind: kind, isRoot: isRoot), kind: kind) {
                case .failure(let error): return .failure(error)
                case .success(let merged): result[key] = .object(merged)
                }
            case (.array(let o), .array(let p)):
                switch mergeListField(o, p, schema, key, kind: kind, isDeleteList: isDeleteList) {
                case .failure(let error): return .failure(error)
                case .success(let merged): result[key] = .array(merged)
                }
            default:
                if let kept = removingDirectives(value) { result[key] = kept } else { result[key] = nil }
            }
        }
        return .success(result)
    }

    private static func isListDirective(_ key: String) -> Bool {
        key.hasPrefix(deleteFromPrimitiveListPrefix) || key.hasPrefix(setElementOrderPrefix)
    }

    private static func listPath(_ schema: GoStruct?, _ field: String) -> String {
        (schema?.name ?? "") + "." + field
    }

    /// The struct a member's value decodes into, where the schema knows it: at the root, a
    /// kind's `status` is described by its status schema.
    static func memberStruct(_ schema: GoStruct?, _ field: String, kind: String, isRoot: Bool) -> GoStruct? {
        if isRoot, field == "status" {
            if case .object(let s)? = GoSchema.statusRoot(kind: kind).fields["status"] { return s }
            return nil
        }
        if case .object(let s)? = schema?.fields[field] { return s }
        return nil
    }

    // MARK: Lists

    /// `mergeSliceHandler`: a merge list merges, any other is the patch's.
    private static func mergeListField(_ live: [JSON], _ patch: [JSON], _ schema: GoStruct?, _ field: String,
                                       kind: String, isDeleteList: Bool) -> Result<[JSON], StatusError>
    {
        guard let entry = mergeKeys[listPath(schema, field)] else {
            return .success(patch.compactMap(removingDirectives))
        }
        var element: GoStruct?
        if case .list(.object(let s), _)? = schema?.fields[field] { element = s }
        return mergeList(live, patch, mergeKey: entry, element, kind: kind, isDeleteList: isDeleteList)
    }

    /// `mergeSlice`.
    private static func mergeList(_ live: [JSON], _ patch: [JSON], mergeKey: String?, _ element: GoStruct?,
                                  kind: String, isDeleteList: Bool) -> Result<[JSON], StatusError>
    {
        if live.isEmpty, patch.isEmpty { return .success(live) }
        let isMap: Bool
        switch elementsAreMaps(live, patch) {
        case .success(let maps): isMap = maps
        case .failure(let error): return .failure(error)
        }
        var original = live
        var patch = patch
        var merged: [JSON]
        if !isMap {
            if isDeleteList { return .success(live.filter { item in !patch.contains { same($0, item, nil) } }) }
            merged = []
            for item in live + patch where !merged.contains(where: { same($0, item, nil) }) { merged.append(item) }
        } else {
            guard let mergeKey else {
                return .failure(failed("cannot merge lists without merge key for type map"))
            }
            // `mergeSliceWithSpecialElements`: deletions first; a replacement takes the rest.
            var plain: [JSON] = []
            var replace = false
            for item in patch {
                guard let directive = item.object?["$patch"] else {
                    plain.append(item)
                    continue
                }
                switch directive.string {
                case "delete":
                    guard let value = item.object?[mergeKey] else {
                        return .failure(failed(noMergeKey(item, mergeKey)))
                    }
                    original.removeAll { same($0[mergeKey], value, nil) }
                case "replace":
                    replace = true
                case "merge":
                    return .failure(failed("merging lists cannot yet be specified in the patch"))
                default:
                    return .failure(failed("unknown patch type: \(GoFormat.plain(directive)) in map: \(GoFormat.plain(item))"))
                }
            }
            if replace {
                original = plain.compactMap(removingDirectives)
                patch = []
            } else {
                patch = plain
            }
            // `mergeSliceWithoutSpecialElements`: matched by key and merged, or appended.
            merged = original
            for item in patch {
                guard case .object(let fields) = item, let value = fields[mergeKey] else {
                    return .failure(failed(noMergeKey(item, mergeKey)))
                }
                if let index = merged.firstIndex(where: { same($0[mergeKey], value, nil) }),
                   case .object(let existing) = merged[index]
                {
                    switch mergeMap(existing, fields, element, kind: kind) {
                    case .failure(let error): return .failure(error)
                    case .success(let m): merged[index] = .object(m)
                    }
                } else if let kept = removingDirectives(item) {
                    merged.append(kept)
                }
            }
        }
        let key = isMap ? mergeKey : nil
        let fromPatch = merged.filter { item in patch.contains { same($0, item, key) } }
        let serverOnly = merged.filter { item in !patch.contains { same($0, item, key) } }
        return .success(normalizedOrder(fromPatch, serverOnly, patchOrder: patch, serverOrder: original, mergeKey: key))
    }

    /// `normalizeElementOrder`: the patch's items in `patchOrder`, the live object's own in
    /// `serverOrder`, then the two interleaved by their places in the live list
    /// (`mergeSortedSlice`): a live-only item goes first only when it stood before the
    /// patch item in the live list.
    private static func normalizedOrder(_ fromPatch: [JSON], _ serverOnly: [JSON], patchOrder: [JSON],
                                        serverOrder: [JSON], mergeKey: String?) -> [JSON]
    {
        let right = sortedStably(fromPatch, by: patchOrder, mergeKey: mergeKey)
        let left = sortedStably(serverOnly, by: serverOrder, mergeKey: mergeKey)
        var result: [JSON] = []
        result.reserveCapacity(left.count + right.count)
        var i = 0, j = 0
        while i < left.count || j < right.count {
            if i >= left.count {
                result.append(right[j]); j += 1
            } else if j >= right.count {
                result.append(left[i]); i += 1
            } else if let li = position(of: left[i], in: serverOrder, mergeKey),
                      let ri = position(of: right[j], in: serverOrder, mergeKey), li < ri
            {
                result.append(left[i]); i += 1
            } else {
                result.append(right[j]); j += 1
            }
        }
        return result
    }

    /// `normalizeSliceOrder`: a stable sort by position in `order` (Go's comparator: an item
    /// not in the order sorts before anything), `$patch: delete` items last.
    private static func sortedStably(_ items: [JSON], by order: [JSON], mergeKey: String?) -> [JSON] {
        var kept = items.filter { $0["$patch"].string != "delete" }
        let deleted = items.filter { $0["$patch"].string == "delete" }
        func less(_ a: JSON, _ b: JSON) -> Bool {
            guard let ia = position(of: a, in: order, mergeKey), let ib = position(of: b, in: order, mergeKey) else {
                return true
            }
            return ia < ib
        }
        // Insertion sort, as Go's SliceStable does on short runs: stable with this comparator.
        if kept.count > 1 {
            for n in 1..<kept.count {
                var m = n
                while m > 0, less(kept[m], kept[m - 1]) {
                    kept.swapAt(m, m - 1)
                    m -= 1
                }
            }
        }
        return kept + deleted
    }

    private static func position(of item: JSON, in list: [JSON], _ mergeKey: String?) -> Int? {
        list.firstIndex { same($0, item, mergeKey) }
    }

    /// Equal as Go compares decoded values (`==` on interfaces, numbers as float64), by the
    /// merge key's value for maps.
    static func same(_ a: JSON, _ b: JSON, _ mergeKey: String?) -> Bool {
        if let mergeKey { return same(a[mergeKey], b[mergeKey], nil) }
        switch (a, b) {
        case (.int(let x), .double(let y)), (.double(let y), .int(let x)): return Double(x) == y
        default: return a == b
        }
    }

    /// `validatePatchWithSetOrderList`: the patch list's items (not its deletions) appear in
    /// the order list, in its order.
    private static func validate(_ patchList: [JSON], order: [JSON], mergeKey: String?) -> StatusError? {
        if order.isEmpty || patchList.isEmpty { return nil }
        let items = mergeKey == nil ? patchList : patchList.filter { $0["$patch"].string != "delete" }
        var p = 0, o = 0
        while p < items.count, o < order.count {
            if items[p].object?["$patch"] != nil {
                p += 1
                continue
            }
            if let mergeKey, items[p].object?[mergeKey] == nil || order[o].object?[mergeKey] == nil {
                let missing = items[p].object?[mergeKey] == nil ? items[p] : order[o]
                return failed(noMergeKey(missing, mergeKey))
            }
            if same(items[p], order[o], mergeKey) { p += 1 }
            o += 1
        }
        if p < items.count, o >= order.count {
            return failed("The order in patch list:\n\(GoFormat.plain(.array(patchList)))\n doesn't match $setElementOrder list:\n\(GoFormat.plain(.array(order)))\n")
        }
        return nil
    }

    /// `sliceElementType`: whether the lists' elements are maps (false when they have none).
    /// Every element must be of one JSON type (numbers are one), and not a list.
    static func elementsAreMaps(_ lists: [JSON]...) -> Result<Bool, StatusError> {
        var elementType: String?
        for item in lists.joined() {
            let type = item.typeName == "integer" ? "number" : item.typeName
            if type == "array" { return .failure(unprocessable("lists of lists are not supported")) }
            if let elementType, elementType != type {
                let printed = lists.map { GoFormat.plain(.array($0)) }.joined(separator: " ")
                return .failure(failed("list element types are not identical: [\(printed)]"))
            }
            elementType = type
        }
        return .success(elementType == "object")
    }

    static func noMergeKey(_ item: JSON, _ mergeKey: String) -> String {
        "map: \(GoFormat.plain(item)) does not contain declared merge key: \(mergeKey)"
    }

    // MARK: Directives

    /// `removeDirectives`: a map holding `$patch` is dropped (nil), as is such an element of
    /// a list; other directives go from every map.
    private static func removingDirectives(_ value: JSON) -> JSON? {
        switch value {
        case .object(let o):
            if o["$patch"] != nil { return nil }
            return .object(removingDirectives(o))
        case .array(let a):
            return .array(a.compactMap(removingDirectives))
        default:
            return value
        }
    }

    private static func removingDirectives(_ o: JSONObject) -> JSONObject {
        var result = JSONObject(minimumCapacity: o.count)
        for (key, value) in o where !key.hasPrefix("$") {
            if let kept = removingDirectives(value) { result[key] = kept }
        }
        return result
    }
}
