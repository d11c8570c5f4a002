/// What the API server stores of a body: what decoding it into Go structs and encoding those
/// again leaves. A null or an empty collection is stored as Go writes it back:
///
/// - an element of a `map[string]string` or a `[]string` is the element type's zero value,
///   `""`: `labels: {app: null}` is stored, watched and served as `labels: {app: ""}`, and
///   validation and label selectors read it that way too (`JSON.mapStringValue`);
/// - a member of a struct is left out when its tag has `omitempty` (nearly all are) and it is
///   null, or an empty map or list: the `nodeSelector:`, `tolerations: []` or `labels: {}` a
///   manifest leaves empty is not stored at all;
/// - a member without `omitempty` (`GoStruct.required`) is written as its zero value: `""`,
///   `0`, `false`, and `null` for a slice, map or pointer;
/// - a `metav1.Time` value is written as `null` whatever its tag, being zero; from 1.34
///   `creationTimestamp` is `omitzero` and left out.
///
/// Simplified: a struct value Go would write back as its zero value (an omitempty
/// `strategy: null` is `strategy: {}` to Go) is left out, or kept null when required
/// (`template`); defaulting fills in the ones that matter. Zero scalars (`paused: false`) are
/// kept, since the schema does not say which fields are pointers. A null member the schema
/// does not model is left out as an omitempty one; inside such a member, or an `.opaque`
/// struct, values are left as they came.
enum GoRoundTrip {
    /// `object` as the API server would store it after decoding it as `kind` (its `metadata`
    /// and `status` only, for a write to the status subresource). Writes only where it finds
    /// something to change: an object without any is not copied. True if anything changed.
    @discardableResult
    static func normalize(_ object: inout JSON, kind: String, status: Bool = false,
                          version: KubernetesVersion) -> Bool
    {
        let root: GoStruct? = status ? GoSchema.statusRoot(kind: kind) : GoSchema.root(kind: kind)
        guard let root, let fixed = Normalizer(version: version).inStruct(object, root) else { return false }
        object = fixed
        return true
    }
}

/// One walk of `GoRoundTrip.normalize`.
private struct Normalizer {
    let version: KubernetesVersion

    /// What Go writes for a member that came as `null`: nothing, or a value.
    private enum Written { case nothing, value(JSON) }

    private func nullMember(_ key: String, of s: GoStruct) -> Written {
        guard let type = s.fields[key] else { return .nothing }
        if case .time(_, let pointer) = type {
            if pointer { return .nothing }
            // `omitzero` since 1.34.
            if key == "creationTimestamp", s.name == "ObjectMeta", version != .v1_18 { return .nothing }
            return .value(.null)
        }
        guard s.required.contains(key) else { return .nothing }
        switch type {
        case .string: return .value(.string(""))
        case .int32, .int64, .intOrString: return .value(.int(0))
        case .bool: return .value(.bool(false))
        case .quantity, .time, .bytes, .map, .list, .object, .opaque: return .value(.null)
        }
    }

    /// The struct with its nulls and empty collections written as Go writes them, or nil when
    /// it has none.
    func inStruct(_ value: JSON, _ s: GoStruct) -> JSON? {
        guard case .object(let members) = value else { return nil }
        var out = members
        var changed = false
        // From the end, so that a member left out does not move those still to visit.
        for i in members.indices.reversed() {
            let member = members[i]
            if member.value.isNull {
                switch nullMember(member.key, of: s) {
                case .nothing:
                    _ = out.remove(at: i)
                    changed = true
                case .value(let written):
                    guard !written.isNull else { continue }
                    out[valueAt: i] = written
                    changed = true
                }
                continue
            }
            guard let type = s.fields[member.key] else { continue }
            if isEmptyCollection(member.value, type), !s.required.contains(member.key) {
                _ = out.remove(at: i)
                changed = true
                continue
            }
            guard let fixed = fix(member.value, type) else { continue }
            out[valueAt: i] = fixed
            changed = true
        }
        return changed ? .object(out) : nil
    }

    private func fix(_ value: JSON, _ type: GoType) -> JSON? {
        switch (type, value) {
        case (.object(let s), _):
            return inStruct(value, s)
        case (.map(let element, _), .object(let entries)):
            var out = entries
            var changed = false
            for i in entries.indices {
                guard let fixed = fixElement(entries[i].value, element) else { continue }
                out[valueAt: i] = fixed
                changed = true
            }
            return changed ? .object(out) : nil
        case (.list(let element, _), .array(let items)):
            var out = items
            var changed = false
            for i in items.indices {
                guard let fixed = fixElement(items[i], element) else { continue }
                out[i] = fixed
                changed = true
            }
            return changed ? .array(out) : nil
        default:
            return nil
        }
    }

    /// An empty map or slice, which `omitempty` leaves out: `labels: {}`, `tolerations: []`.
    private func isEmptyCollection(_ value: JSON, _ type: GoType) -> Bool {
        switch (type, value) {
        case (.map, .object(let o)): return o.isEmpty
        case (.list, .array(let a)): return a.isEmpty
        default: return false
        }
    }

    /// An element of a map or list: a null string is "", anything else as `fix` finds it.
    private func fixElement(_ value: JSON, _ type: GoType) -> JSON? {
        if case .string = type, value.isNull { return .string("") }
        return fix(value, type)
    }
}
