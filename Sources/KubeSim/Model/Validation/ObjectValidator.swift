
/// The validation functions of `pkg/apis/*/validation`, run over `JSON` objects. Each check
/// lives in the file of its kind (`ObjectValidator+…` style extensions); this file holds the
/// error constructors and the rendering of values that upstream prints from Go structs.
///
/// Checks assume the object decoded (see `DecodeChecker`) and was defaulted; they still
/// read every member defensively, so an unexpected shape yields errors, never a trap.
struct ObjectValidator {
    let wording: ValidationWording
    /// Whether the kind lives in a namespace (and so `metadata.namespace` is required).
    var namespaced = true
    /// The API server's values last found valid (nil: check every value).
    var memo: ValidationMemo? = nil

    // MARK: - Error constructors (`field.Required`, `field.Invalid`, …)

    func required(_ path: FieldPath, _ detail: String = "") -> FieldError { .required(path.description, detail) }

    func invalid(_ path: FieldPath, _ value: JSON, _ detail: String) -> FieldError {
        .invalid(path.description, value, detail)
    }

    func unsupported(_ path: FieldPath, _ value: JSON, _ supported: [String]) -> FieldError {
        .unsupported(path.description, value, supported)
    }

    func duplicate(_ path: FieldPath, _ value: JSON) -> FieldError { .duplicate(path.description, value) }

    func forbidden(_ path: FieldPath, _ detail: String) -> FieldError { .forbidden(path.description, detail) }

    func notFound(_ path: FieldPath, _ value: JSON) -> FieldError { .notFound(path.description, value) }

    func tooLong(_ path: FieldPath, _ max: Int) -> FieldError {
        FieldError(kind: .tooLong, field: path.description, value: nil, detail: wording.tooLong(max))
    }

    /// An Invalid error whose value upstream renders from a Go map or struct: JSON in current
    /// releases, Go syntax (`%#v`) in old ones. The Go form is not JSON, so it travels in the
    /// detail with the value left out; the rendered text is the same.
    func invalid(_ path: FieldPath, _ value: GoValue, _ detail: String) -> FieldError {
        if wording.goSyntaxValues {
            let text = value.goSyntax
            return FieldError(kind: .invalid, field: path.description, value: nil,
                              detail: detail.isEmpty ? text : text + ": " + detail)
        }
        return .invalid(path.description, value.json, detail)
    }

    func unsupported(_ path: FieldPath, _ value: GoValue, _ supported: [String]) -> FieldError {
        var e = FieldError.unsupported(path.description, value.json, supported)
        if wording.goSyntaxValues {
            e.value = nil
            e.detail = e.detail.isEmpty ? value.goSyntax : value.goSyntax + ": " + e.detail
        }
        return e
    }

    /// A Duplicate error whose value upstream renders from a Go struct (see `invalid`).
    func duplicate(_ path: FieldPath, _ value: GoValue) -> FieldError {
        var e = FieldError.duplicate(path.description, value.json)
        if wording.goSyntaxValues {
            e.value = nil
            e.detail = value.goSyntax
        }
        return e
    }

    /// An Invalid error per message; the path is only built when there is one.
    func errors(_ messages: [String], _ path: @autoclosure () -> FieldPath, _ value: String) -> [FieldError] {
        if messages.isEmpty { return [] }
        let p = path()
        return messages.map { invalid(p, .string(value), $0) }
    }

    // MARK: - Reading

    /// A member that should be a string; "" when absent or of another type.
    static func string(_ j: JSON) -> String { j.string ?? "" }

    /// A `map[string]string` member in document order, a null value as "" (`mapStringValue`);
    /// values of other types are skipped (the decode check reports them).
    static func stringMap(_ j: JSON) -> [(key: String, value: String)] {
        guard let o = j.object else { return [] }
        return o.compactMap { k, v in v.mapStringValue.map { (k, $0) } }
    }

    static func array(_ j: JSON) -> [JSON] { j.array ?? [] }
}

/// A value upstream prints from a Go type, with both of its renderings.
enum GoValue {
    /// `map[string]string` (nil when the member is absent).
    case stringMap(JSON)
    /// `metav1.LabelSelector`, pointed to or not.
    case labelSelector(JSON)
    /// `intstr.IntOrString` (a JSON string or integer).
    case intOrString(JSON)
    /// Any other value, given in both renderings.
    case other(json: JSON, go: String)

    /// `json.Marshal`: map keys sorted, empty members omitted as the struct tags say.
    var json: JSON {
        switch self {
        case .stringMap(let m): return GoValue.sortedStringMap(m)
        case .labelSelector(let s):
            guard s.object != nil else { return .null }
            var out = JSONObject()
            let labels = GoValue.sortedStringMap(s["matchLabels"])
            if let o = labels.object, !o.isEmpty { out["matchLabels"] = labels }
            let expressions = (s["matchExpressions"].array ?? []).map { r -> JSON in
                var e = JSONObject()
                e["key"] = .string(r["key"].string ?? "")
                e["operator"] = .string(r["operator"].string ?? "")
                if let values = r["values"].array, !values.isEmpty { e["values"] = .array(values) }
                return .object(e)
            }
            if !expressions.isEmpty { out["matchExpressions"] = .array(expressions) }
            return .object(out)
        case .intOrString(let v): return v.isNull ? 0 : v
        case .other(let json, _): return json
        }
    }

    /// `fmt.Sprintf("%#v", …)`.
    var goSyntax: String {
        switch self {
        case .stringMap(let m): return GoValue.goMap(m)
        case .labelSelector(let s):
            let expressions: String
            if let list = s["matchExpressions"].array {
                let items = list.map { r -> String in
                    let values: String
                    if let vs = r["values"].array {
                        values = "[]string{" + vs.map { GoValue.goQuote($0.string ?? "") }.joined(separator: ", ") + "}"
                    } else {
                        values = "[]string(nil)"
                    }
                    return "v1.LabelSelectorRequirement{Key:" + GoValue.goQuote(r["key"].string ?? "") + ", Operator:"
                        + GoValue.goQuote(r["operator"].string ?? "") + ", Values:" + values + "}"
                }
                expressions = "[]v1.LabelSelectorRequirement{" + items.joined(separator: ", ") + "}"
            } else {
                expressions = "[]v1.LabelSelectorRequirement(nil)"
            }
            return "v1.LabelSelector{MatchLabels:" + GoValue.goMap(s["matchLabels"]) + ", MatchExpressions:"
                + expressions + "}"
        case .intOrString(let v):
            if let s = v.string { return "intstr.IntOrString{Type:1, IntVal:0, StrVal:" + GoValue.goQuote(s) + "}" }
            return "intstr.IntOrString{Type:0, IntVal:\(v.int ?? 0), StrVal:\"\"}"
        case .other(_, let go): return go
        }
    }

    static func sortedStringMap(_ m: JSON) -> JSON {
        guard let o = m.object else { return .null }
        var out = JSONObject()
        for k in o.keys.sorted(by: JSON.utf8Less) { out[k] = o[k] }
        return .object(out)
    }

    static func goMap(_ m: JSON) -> String {
        guard let o = m.object else { return "map[string]string(nil)" }
        let items = o.keys.sorted(by: JSON.utf8Less).map { k in goQuote(k) + ":" + goQuote(o[k]?.string ?? "") }
        return "map[string]string{" + items.joined(separator: ", ") + "}"
    }
}
