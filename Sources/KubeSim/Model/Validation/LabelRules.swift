/// Label maps and label selectors as `k8s.io/apimachinery/pkg/apis/meta/v1/validation`
/// validates them (`ValidateLabels`, `ValidateLabelSelector`), and selector matching as
/// `metav1.LabelSelectorAsSelector` + `labels.Selector.Matches` decide it. Kept here, apart
/// from the API server's selector parser, so validation has no dependency on it.
extension ObjectValidator {
    /// `ValidateLabels`: every key, then its value; errors carry the map's path, not the key's.
    func validateLabels(_ labels: JSON, _ path: @autoclosure () -> FieldPath) -> [FieldError] {
        guard case .object(let members) = labels else { return [] }
        var errs: [FieldError] = []
        for (k, member) in members {
            guard let v = member.string else { continue }
            errs += validateLabelName(k, path())
            errs += errors(NameRules.labelValue(v, wording), path(), v)
        }
        return errs
    }

    /// `ValidateLabelName`: a qualified name.
    func validateLabelName(_ key: String, _ path: @autoclosure () -> FieldPath) -> [FieldError] {
        errors(NameRules.labelKey(key, wording), path(), key)
    }

    /// `ValidateLabelSelector` with invalid label values rejected.
    func validateLabelSelector(_ selector: JSON, _ path: @autoclosure () -> FieldPath) -> [FieldError] {
        guard selector.object != nil else { return [] }
        var errs = validateLabels(selector["matchLabels"], path().child("matchLabels"))
        for (i, r) in Self.array(selector["matchExpressions"]).enumerated() {
            func p() -> FieldPath { path().child("matchExpressions").index(i) }
            let values = Self.array(r["values"])
            let op = Self.string(r["operator"])
            switch op {
            case "In", "NotIn":
                if values.isEmpty {
                    errs.append(required(p().child("values"), "must be specified when `operator` is 'In' or 'NotIn'"))
                }
            case "Exists", "DoesNotExist":
                if !values.isEmpty {
                    errs.append(forbidden(p().child("values"),
                                          "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"))
                }
            default:
                errs.append(invalid(p().child("operator"), .string(op), "not a valid selector operator"))
            }
            errs += validateLabelName(Self.string(r["key"]), p().child("key"))
            for (j, v) in values.enumerated() {
                let s = Self.string(v)
                errs += errors(NameRules.labelValue(s, wording), p().child("values").index(j), s)
            }
        }
        return errs
    }

    /// Whether `LabelSelectorAsSelector` converts the selector without error.
    func selectorConverts(_ selector: JSON) -> Bool {
        validateLabelSelector(selector, FieldPath("selector")).isEmpty
    }
}

/// Label selector semantics (`labels.Selector`), on JSON selectors and label maps.
enum SelectorMatch {
    /// A nil selector selects nothing (`labels.Nothing()`).
    static func isNothing(_ selector: JSON) -> Bool { selector.object == nil }

    /// An empty selector selects everything (`labels.Everything()`).
    static func isEverything(_ selector: JSON) -> Bool {
        guard selector.object != nil else { return false }
        return (selector["matchLabels"].object?.isEmpty ?? true) && (selector["matchExpressions"].array?.isEmpty ?? true)
    }

    static func matches(_ selector: JSON, _ labels: JSON) -> Bool {
        if isNothing(selector) { return false }
        let set = ObjectValidator.stringMap(labels)
        func value(_ key: String) -> String? { set.first { $0.key == key }?.value }
        for (k, v) in ObjectValidator.stringMap(selector["matchLabels"]) where value(k) != v { return false }
        for r in ObjectValidator.array(selector["matchExpressions"]) {
            let key = ObjectValidator.string(r["key"])
            let values = ObjectValidator.array(r["values"]).compactMap(\.string)
            let actual = value(key)
            switch ObjectValidator.string(r["operator"]) {
            case "In": if !(actual.map(values.contains) ?? false) { return false }
            case "NotIn": if actual.map(values.contains) ?? false { return false }
            case "Exists": if actual == nil { return false }
            case "DoesNotExist": if actual != nil { return false }
            default: return false
            }
        }
        return true
    }
}
