/// What Go's `encoding/json` makes of a `null` element of a `map[string]string` or a
/// `[]string`: the element type's zero value, `""`. The API server decodes every body into
/// Go structs and stores what those encode to, so `labels: {app: null}` is stored, watched
/// and served as `labels: {app: ""}`; validation and label selectors read it that way too
/// (`JSON.mapStringValue`).
///
/// A `null` member of a struct is left as it came: whether Go writes it back as a zero value
/// or drops it depends on the field's `omitempty`, which the schema does not record.
enum NullElements {
    /// `object` as the API server would store it after decoding it as `kind`. Writes only
    /// where it finds a null element: an object without one is not copied.
    static func normalize(_ object: inout JSON, kind: String) {
        guard let root = GoSchema.root(kind: kind), let fixed = inStruct(object, root) else { return }
        object = fixed
    }

    /// The struct with its null elements replaced, or nil when it has none.
    private static func inStruct(_ value: JSON, _ s: GoStruct) -> JSON? {
        guard case .object(let members) = value else { return nil }
        var out = members
        var changed = false
        for i in members.indices {
            guard let type = s.fields[members[i].key], let fixed = fix(members[i].value, type) else { continue }
            out[valueAt: i] = fixed
            changed = true
        }
        return changed ? .object(out) : nil
    }

    private static func fix(_ value: JSON, _ type: GoType) -> JSON? {
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

    /// An element of a map or list: a null string is "", anything else as `fix` finds it.
    private static func fixElement(_ value: JSON, _ type: GoType) -> JSON? {
        if case .string = type, value.isNull { return .string("") }
        return fix(value, type)
    }
}
