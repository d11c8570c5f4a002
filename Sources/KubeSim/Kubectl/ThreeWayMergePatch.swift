/// The patch `kubectl apply` sends for a built-in kind: a strategic merge patch computed
/// three ways (`strategicpatch.CreateThreeWayMergePatch`, with `overwrite` on) from the
/// last-applied configuration (`original`), the manifest being applied (`modified`) and the
/// live object (`current`). It is the changes and additions from `current` to `modified`
/// (what was deleted from `current` is not put back) merged with the deletions from
/// `original` to `modified` (what the user took out of the manifest goes):
///
/// - a list whose Go field merges (`patchStrategy:"merge"`) is diffed element by element:
///   maps matched by their merge key (`{"name": "nginx", "image": …}` for one changed
///   container; `{"name": "old", "$patch": "delete"}` for one removed), primitives as a
///   set (removals in `$deleteFromPrimitiveList/<field>`), with `$setElementOrder/<field>`
///   giving the manifest's order whenever the list changes;
/// - any other list, and any scalar, is the manifest's when it differs;
/// - a struct whose field has `patchStrategy:"retainKeys"` (a Deployment's `strategy`, each
///   of a pod's `volumes`) carries `$retainKeys`, the members the manifest sets, so that the
///   API server clears the others: switching a Deployment to `Recreate` drops its defaulted
///   `rollingUpdate`;
/// - a map whose field has `patchStrategy:"replace"` (a PodDisruptionBudget's `selector`) is
///   the manifest's whole, changed or not.
///
/// An empty patch means the object is unchanged. Members the schema does not describe are
/// diffed as maps (recursively) and replaced as lists.
enum ThreeWayMergePatch {
    /// The Go types of `kind`'s body (nil: every list is replaced).
    static func create(original: JSONObject, modified: JSONObject, current: JSONObject,
                       kind: String, version: KubernetesVersion) -> Result<JSONObject, StatusError>
    {
        let root = GoSchema.root(kind: kind)
        let top = Field(schema: root, kind: kind, replaces: StrategicMergePatch.replaceFields(version), isRoot: true)
        do throws(StatusError) {
            let delta = try diffMaps(current, modified, top, DiffOptions(ignoreDeletions: true))
            let deletions = try diffMaps(original, modified, top, DiffOptions(ignoreChangesAndAdditions: true))
            return .success(try merge(deletions, delta, top))
        } catch {
            return .failure(error)
        }
    }

    /// `DiffOptions` (`SetElementOrder` is always on for a three-way patch).
    private struct DiffOptions {
        var ignoreDeletions = false
        var ignoreChangesAndAdditions = false
        var buildRetainKeysDirective = false
    }

    /// Where a map sits in its kind's Go types: the struct its members belong to.
    private struct Field {
        let schema: GoStruct?
        let kind: String
        /// The release's `patchStrategy:"replace"` fields.
        let replaces: Set<String>
        var isRoot = false

        /// The patch metadata of member `key` (`LookupPatchMetadata`).
        func member(_ key: String, as shape: MemberKind) -> Member {
            let path = (schema?.name ?? "") + "." + key
            let mergeKey = StrategicMergePatch.mergeKeys[path]
            let retainKeys = StrategicMergePatch.retainKeysFields.contains(path)
            switch shape {
            case .map:
                let nested = StrategicMergePatch.memberStruct(schema, key, kind: kind, isRoot: isRoot)
                return Member(field: Field(schema: nested, kind: kind, replaces: replaces), mergesList: false,
                              mergeKey: nil, retainKeys: retainKeys, replaces: replaces.contains(path))
            case .list:
                var element: GoStruct?
                if case .list(.object(let s), _)? = schema?.fields[key] { element = s }
                return Member(field: Field(schema: element, kind: kind, replaces: replaces), mergesList: mergeKey != nil,
                              mergeKey: mergeKey ?? nil, retainKeys: retainKeys, replaces: false)
            }
        }
    }

    private enum MemberKind { case map, list }

    private struct Member {
        /// The struct of the member's value (a map) or of its elements (a list of maps).
        let field: Field
        let mergesList: Bool
        /// nil for a merging list of primitives.
        let mergeKey: String?
        let retainKeys: Bool
        /// `patchStrategy:"replace"`: the manifest's map goes in whole, changed or not.
        let replaces: Bool
    }

        // MARK: Diff

    /// `diffMaps`: the patch that takes `original` to `modified`, within `options`.
    private static func diffMaps(_ original: JSONObject, _ modified: JSONObject, _ field: Field,
                                 _ options: DiffOptions) throws(StatusError) -> JSONObject
    {
        var patch = JSONObject()
        var retainKeys: [JSON] = []
        for (key, modifiedValue) in modified {
            if options.buildRetainKeysDirective, !modifiedValue.isNull { retainKeys.append(.string(key)) }
            guard let originalValue = original[key] else {
                if !options.ignoreChangesAndAdditions { patch[key] = modifiedValue }
                continue
            }
            if key == "$patch" {
                guard let o = originalValue.string, let m = modifiedValue.string else {
                    throw StrategicMergePatch.failed("invalid value for special key: $patch")
                }
                if o != m { patch[key] = modifiedValue }
                continue
            }
            switch (originalValue, modifiedValue) {
            case (.object(let o), .object(let m)):
                let member = field.member(key, as: .map)
                if member.replaces {
                    if !options.ignoreChangesAndAdditions { patch[key] = modifiedValue }
                    continue
                }
                var nested = options
                nested.buildRetainKeysDirective = member.retainKeys
                let value = try diffMaps(o, m, member.field, nested)
                if !value.isEmpty { patch[key] = .object(value) }
            case (.array(let o), .array(let m)):
                let member = field.member(key, as: .list)
                guard member.mergesList else {
                    replaceIfNotEqual(key, originalValue, modifiedValue, &patch, options)
                    continue
                }
                var nested = options
                nested.buildRetainKeysDirective = member.retainKeys
                let (add, delete, order) = try diffLists(o, m, member, nested)
                if !add.isEmpty { patch[key] = .array(add) }
                if !delete.isEmpty { patch[StrategicMergePatch.deleteFromPrimitiveListPrefix + key] = .array(delete) }
                if !order.isEmpty { patch[StrategicMergePatch.setElementOrderPrefix + key] = .array(order) }
            default:
                if goType(originalValue) != goType(modifiedValue) {
                    if !options.ignoreChangesAndAdditions { patch[key] = modifiedValue }
                } else {
                    replaceIfNotEqual(key, originalValue, modifiedValue, &patch, options)
                }
            }
        }
        if !options.ignoreDeletions {
            for (key, _) in original where modified[key] == nil { patch[key] = .null }
        }
        if !retainKeys.isEmpty, !patch.isEmpty || hasAdditionalNewField(original, modified) {
            patch["$retainKeys"] = .array(sortedScalars(retainKeys))
        }
        return patch
    }

    private static func replaceIfNotEqual(_ key: String, _ original: JSON, _ modified: JSON, _ patch: inout JSONObject,
                                          _ options: DiffOptions)
    {
        if options.ignoreChangesAndAdditions || original.semanticallyEquals(modified) { return }
        patch[key] = modified
    }

    /// `hasAdditionalNewField`: `original` sets a member `modified` leaves out.
    private static func hasAdditionalNewField(_ original: JSONObject, _ modified: JSONObject) -> Bool {
        original.contains { key, value in !value.isNull && modified[key] == nil }
    }

    /// `diffLists`, for a merging list: the patch list, the primitives to delete, and the
    /// order list.
    private static func diffLists(_ original: [JSON], _ modified: [JSON], _ member: Member,
                                  _ options: DiffOptions) throws(StatusError) -> ([JSON], [JSON], [JSON])
    {
        if original.isEmpty {
            if modified.isEmpty || options.ignoreChangesAndAdditions { return ([], [], []) }
            return (modified, [], [])
        }
        let isMap = try StrategicMergePatch.elementsAreMaps(original, modified).get()
        guard isMap, let mergeKey = member.mergeKey else {
            // A list of primitives (or of maps where the schema declares no merge key, which
            // upstream's lookup would not merge either: they are compared as values).
            var (add, delete) = diffListsOfScalars(original, modified, options)
            add = ordered(add, by: modified, mergeKey: nil)
            var order: [JSON] = []
            if (!options.ignoreDeletions && !delete.isEmpty)
                // Upstream's diff sorts `original` in place before this comparison.
                || (!options.ignoreChangesAndAdditions && !JSON.array(sortedScalars(original)).semanticallyEquals(.array(modified)))
            {
                order = modified
            }
            return (add, delete, order)
        }
        var (patch, deletions) = try diffListsOfMaps(original, modified, member, mergeKey: mergeKey, options)
        patch = ordered(patch, by: modified, mergeKey: mergeKey) + deletions
        let orderSame = try isOrderSame(original, modified, mergeKey: mergeKey)
        var order: [JSON] = []
        if (!options.ignoreChangesAndAdditions && (!patch.isEmpty || !orderSame))
            || (!options.ignoreDeletions && !patch.isEmpty)
        {
            order = modified.map { .object([mergeKey: $0[mergeKey]]) }
        }
        return (patch, [], order)
    }

    /// `diffListsOfMaps`: both lists sorted by their merge key's printed value and walked
    /// together; a map in both is diffed, one only in `modified` added whole, one only in
    /// `original` deleted by a `$patch: delete` element.
    private static func diffListsOfMaps(_ original: [JSON], _ modified: [JSON], _ member: Member, mergeKey: String,
                                        _ options: DiffOptions) throws(StatusError) -> ([JSON], [JSON])
    {
        let o = try sortedByMergeKey(original, mergeKey)
        let m = try sortedByMergeKey(modified, mergeKey)
        var patch: [JSON] = [], deletions: [JSON] = []
        var i = 0, j = 0
        while i < o.count || j < m.count {
            if i < o.count, j < m.count, o[i].key == m[j].key {
                let value = try diffMaps(o[i].map, m[j].map, member.field, options)
                if !value.isEmpty {
                    var element = value
                    element[mergeKey] = m[j].value
                    patch.append(.object(element))
                }
                i += 1
                j += 1
            } else if i >= o.count || (j < m.count && precedes(m[j].key, o[i].key)) {
                if !options.ignoreChangesAndAdditions { patch.append(.object(m[j].map)) }
                j += 1
            } else {
                if !options.ignoreDeletions {
                    deletions.append(.object([mergeKey: o[i].value, "$patch": "delete"]))
                }
                i += 1
            }
        }
        return (patch, deletions)
    }

    /// `diffListsOfScalars`: additions and (deduplicated) deletions, by printed value.
    private static func diffListsOfScalars(_ original: [JSON], _ modified: [JSON],
                                           _ options: DiffOptions) -> ([JSON], [JSON])
    {
        let o = sortedScalars(original), m = sortedScalars(modified)
        var add: [JSON] = [], delete: [JSON] = []
        var i = 0, j = 0
        while i < o.count || j < m.count {
            let os = i < o.count ? GoFormat.plain(o[i]) : nil
            let ms = j < m.count ? GoFormat.plain(m[j]) : nil
            if let os, let ms, os == ms {
                i += 1
                j += 1
            } else if let ms, os.map({ precedes(ms, $0) }) ?? true {
                if !options.ignoreChangesAndAdditions { add.append(m[j]) }
                j += 1
            } else {
                if !options.ignoreDeletions, !delete.contains(where: { $0.semanticallyEquals(o[i]) }) { delete.append(o[i]) }
                i += 1
            }
        }
        return (add, delete)
    }

    /// `isOrderSame`: the same merge keys at the same positions.
    private static func isOrderSame(_ original: [JSON], _ modified: [JSON], mergeKey: String) throws(StatusError) -> Bool {
        guard original.count == modified.count else { return false }
        for (a, b) in zip(original, modified) {
            guard let x = a.object?[mergeKey] else { throw StrategicMergePatch.failed(StrategicMergePatch.noMergeKey(a, mergeKey)) }
            guard let y = b.object?[mergeKey] else { throw StrategicMergePatch.failed(StrategicMergePatch.noMergeKey(b, mergeKey)) }
            if !StrategicMergePatch.same(x, y, nil) { return false }
        }
        return true
    }

    // MARK: Merging the two diffs

    /// `mergeMap` as the client calls it (no parallel lists merged, nulls kept): the delta
    /// `patch` laid over the `deletions`. The two share their directives, which must agree.
    private static func merge(_ deletions: JSONObject, _ patch: JSONObject, _ field: Field) throws(StatusError) -> JSONObject {
        if let directive = patch["$patch"] {
            switch directive.string {
            case "replace":
                var replaced = patch
                replaced["$patch"] = nil
                return replaced
            case "delete":
                return JSONObject()
            default:
                throw StrategicMergePatch.failed("unknown patch type: \(GoFormat.plain(directive)) in map: \(GoFormat.plain(.object(patch)))")
            }
        }
        var result = deletions
        var patch = patch
        if let retain = patch.removeValue(forKey: "$retainKeys") {
            if let existing = result["$retainKeys"] {
                guard existing.semanticallyEquals(retain) else {
                    throw StrategicMergePatch.failed("\(GoFormat.plain(existing)) and \(GoFormat.plain(retain)) are not deep equal: this may happen when calculating the 3-way diff patch")
                }
            } else {
                result["$retainKeys"] = retain
            }
        }
        for (key, order) in patch where key.hasPrefix(StrategicMergePatch.setElementOrderPrefix) {
            if let existing = result[key] {
                guard existing.semanticallyEquals(order) else { throw StrategicMergePatch.failed(StrategicMergePatch.badElementOrder) }
            } else {
                result[key] = order
            }
            let name = String(key.dropFirst(StrategicMergePatch.setElementOrderPrefix.count))
            let member = field.member(name, as: .list)
            let merged: [JSON]
            switch (result[name]?.array, patch[name]?.array) {
            case (let o?, let p?): merged = try mergeList(o, p, member)
            case (let o?, nil): merged = o
            case (nil, let p?): merged = p
            case (nil, nil): continue
            }
            result[name] = .array(ordered(merged, by: order.array ?? [], mergeKey: member.mergeKey))
            patch[name] = nil
        }
        patch.removeMembers { $0.hasPrefix(StrategicMergePatch.setElementOrderPrefix) }

        for (key, value) in patch {
            if key.hasPrefix(StrategicMergePatch.deleteFromPrimitiveListPrefix) || value.isNull {
                result[key] = value
                continue
            }
            switch (result[key], value) {
            case (.object(let o)?, .object(let p)):
                let member = field.member(key, as: .map)
                result[key] = member.replaces ? value : .object(try merge(o, p, member.field))
            case (.array(let o)?, .array(let p)):
                let member = field.member(key, as: .list)
                result[key] = .array(member.mergesList ? try mergeList(o, p, member) : p)
            default:
                result[key] = value
            }
        }
        return result
    }

    /// `mergeSlice` for two patches' lists: deletion elements of `patch` take matching ones
    /// out, its other maps merge into `original`'s of the same merge key or are added.
    private static func mergeList(_ original: [JSON], _ patch: [JSON], _ member: Member) throws(StatusError) -> [JSON] {
        guard let mergeKey = member.mergeKey, try StrategicMergePatch.elementsAreMaps(original, patch).get() else {
            return original + patch.filter { item in !original.contains { $0.semanticallyEquals(item) } }
        }
        var result = original
        var additions: [JSON] = []
        for item in patch {
            guard let key = item.object?[mergeKey] else { throw StrategicMergePatch.failed(StrategicMergePatch.noMergeKey(item, mergeKey)) }
            switch item["$patch"].string {
            case nil:
                additions.append(item)
            case "delete":
                result.removeAll { StrategicMergePatch.same($0.object?[mergeKey] ?? .null, key, nil) }
            case "replace":
                return patch.filter { $0["$patch"].isNull }
            case "merge":
                throw StrategicMergePatch.failed("merging lists cannot yet be specified in the patch")
            default:
                throw StrategicMergePatch.failed("unknown patch type: \(GoFormat.plain(item["$patch"])) in map: \(GoFormat.plain(item))")
            }
        }
        for item in additions {
            let key = item[mergeKey]
            if let i = result.firstIndex(where: { StrategicMergePatch.same($0[mergeKey], key, nil) }),
               case .object(let o) = result[i], case .object(let p) = item
            {
                result[i] = .object(try merge(o, p, member.field))
            } else {
                result.append(item)
            }
        }
        return result
    }

    // MARK: Helpers

    /// `items` in the order of `order` (matched by merge key), then any not in it, then the
    /// deletion elements: the order the API server checks against `$setElementOrder`.
    private static func ordered(_ items: [JSON], by order: [JSON], mergeKey: String?) -> [JSON] {
        func rank(_ item: JSON) -> Int {
            if mergeKey != nil, item["$patch"].string == "delete" { return Int.max }
            return order.firstIndex { StrategicMergePatch.same($0, item, mergeKey) } ?? (Int.max - 1)
        }
        return items.enumerated().sorted { a, b in
            let (ra, rb) = (rank(a.element), rank(b.element))
            return ra != rb ? ra < rb : a.offset < b.offset
        }.map(\.element)
    }

    private static func sortedByMergeKey(_ list: [JSON], _ mergeKey: String) throws(StatusError)
        -> [(key: String, value: JSON, map: JSONObject)]
    {
        var keyed: [(key: String, value: JSON, map: JSONObject)] = []
        for item in list {
            guard case .object(let map) = item, let value = map[mergeKey] else {
                throw StrategicMergePatch.failed(StrategicMergePatch.noMergeKey(item, mergeKey))
            }
            keyed.append((GoFormat.plain(value), value, map))
        }
        return keyed.enumerated().sorted { a, b in
            a.element.key == b.element.key ? a.offset < b.offset : precedes(a.element.key, b.element.key)
        }
        .map(\.element)
    }

    /// `sortScalars`: by printed value, as Go's `sort.Strings` orders bytes.
    private static func sortedScalars(_ list: [JSON]) -> [JSON] {
        list.map { (GoFormat.plain($0), $0) }.enumerated().sorted { a, b in
            a.element.0 == b.element.0 ? a.offset < b.offset : precedes(a.element.0, b.element.0)
        }.map(\.element.1)
    }

    private static func precedes(_ a: String, _ b: String) -> Bool {
        a.utf8.lexicographicallyPrecedes(b.utf8)
    }

    private enum GoValueType { case map, list, string, number, bool, null }

    /// The Go type a decoded JSON value has (`interface{}`): numbers are all float64.
    private static func goType(_ v: JSON) -> GoValueType {
        switch v {
        case .object: return .map
        case .array: return .list
        case .string: return .string
        case .int, .double: return .number
        case .bool: return .bool
        case .null: return .null
        }
    }

}
