/// A field selector: an AND of `field=value` / `field!=value` terms over an object's selectable
/// fields, as `k8s.io/apimachinery/pkg/fields/selector.go` defines it.
///
///     let s = try FieldSelector.parse("spec.nodeName=node-1,status.phase!=Running")
///     try s.validate(supported: ["metadata.name", "metadata.namespace", "spec.nodeName", "status.phase"])
///     s.matches { pod.fieldValue($0) }
///
/// Values may escape `\`, `,` and `=` with a backslash (`a=x\,y` is the value `x,y`). Terms are
/// kept in the order upstream's parser leaves them: sorted by their raw text.
public struct FieldSelector: Sendable, Equatable, CustomStringConvertible {
    public struct Requirement: Sendable, Equatable {
        public let field: String
        /// `field`'s components (`spec.nodeName` → `spec`, `nodeName`), split once: a watch
        /// tests the requirement on every object it sees.
        let path: [String]
        /// `.equals` or `.notEquals`: upstream folds `==` into `=` (`hasTerm`), and so does kubesim.
        public var op: Operator
        public var value: String

        public init(field: String, op: Operator, value: String) {
            self.field = field
            path = JSON.fieldPath(field)
            self.op = op
            self.value = value
        }

        /// Whether an object whose field has the value `have` meets the requirement (an
        /// absent field counts as the empty string, as `fields.Set.Get` does).
        func accepts(_ have: String?) -> Bool {
            op == .notEquals ? (have ?? "") != value : (have ?? "") == value
        }
    }

    public enum Operator: String, Sendable {
        case equals = "="
        case doubleEquals = "=="
        case notEquals = "!="
    }

    public var requirements: [Requirement]

    public init(requirements: [Requirement] = []) {
        self.requirements = requirements
    }

    /// Matches every object (upstream `fields.Everything()`).
    public static let everything = FieldSelector()

    public var isEmpty: Bool { requirements.isEmpty }

    /// Upstream `String()`: `field=value` / `field!=value` joined by `,`, values escaped.
    public var description: String {
        requirements.map { r in
            (r.op == .notEquals ? r.field + "!=" : r.field + "=") + FieldSelector.escape(r.value)
        }.joined(separator: ",")
    }

    /// `matches { object.fieldValue($0) }`, with each field's path split beforehand.
    public func matches(_ object: JSON) -> Bool {
        requirements.allSatisfy { $0.accepts(object.fieldValue(path: $0.path)) }
    }

    /// `value(field)` is the object's value for a field path such as `metadata.name`,
    /// `spec.nodeName` or `status.phase`; `nil` counts as the empty string, as `fields.Set.Get` does.
    public func matches(_ value: (String) -> String?) -> Bool {
        requirements.allSatisfy { $0.accepts(value($0.field)) }
    }

    // MARK: Parsing

    /// Parses the `fieldSelector` query parameter (`kubectl --field-selector`). Errors are 400
    /// BadRequest with upstream's text, e.g. `invalid selector: 'a'; can't understand 'a'`.
    public static func parse(_ text: String) throws(StatusError) -> FieldSelector {
        var terms = splitTerms(text)
        terms.sort(by: JSON.utf8Less)
        var requirements: [Requirement] = []
        for term in terms where !term.isEmpty {
            guard let (field, op, raw) = splitTerm(term) else {
                throw StatusError.badRequest("invalid selector: '\(text)'; can't understand '\(term)'")
            }
            let value = try unescape(raw)
            // Upstream's identity Transform drops a term whose field and value are both empty.
            if field.isEmpty && value.isEmpty { continue }
            requirements.append(Requirement(field: field, op: op, value: value))
        }
        return FieldSelector(requirements: requirements)
    }

    /// Splits on commas not escaped by a backslash; the backslashes stay in the terms. Read as
    /// UTF-8: both are ASCII, and no byte of a longer character can look like either, so the
    /// pieces between them are whole characters. (Bytes, not `String.Index` steps: every
    /// informer's watch and list passes its selector through here.)
    static func splitTerms(_ text: String) -> [String] {
        if text.isEmpty { return [] }
        return text.withUTF8Bytes { bytes in
            var terms: [String] = []
            var start = 0
            var inSlash = false
            for i in bytes.indices {
                let byte = bytes[i]
                if inSlash {
                    inSlash = false
                } else if byte == UInt8(ascii: "\\") {
                    inSlash = true
                } else if byte == UInt8(ascii: ",") {
                    terms.append(String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<i]), as: UTF8.self))
                    start = i + 1
                }
            }
            terms.append(String(decoding: UnsafeBufferPointer(rebasing: bytes[start...]), as: UTF8.self))
            return terms
        }
    }

    /// The first `!=`, `==` or `=` splits the term (checked in that order at each position);
    /// the field part has no escaping.
    static func splitTerm(_ term: String) -> (String, Operator, String)? {
        term.withUTF8Bytes { bytes -> (String, Operator, String)? in
            func text(_ range: Range<Int>) -> String {
                String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self)
            }
            for i in bytes.indices {
                let byte = bytes[i]
                let doubled = i + 1 < bytes.count && bytes[i + 1] == UInt8(ascii: "=")
                if doubled, byte == UInt8(ascii: "!") || byte == UInt8(ascii: "=") {
                    let op: Operator = byte == UInt8(ascii: "!") ? .notEquals : .equals
                    return (text(0..<i), op, text((i + 2)..<bytes.count))
                }
                if byte == UInt8(ascii: "=") { return (text(0..<i), .equals, text((i + 1)..<bytes.count)) }
            }
            return nil
        }
    }

    /// `UnescapeValue`.
    static func unescape(_ raw: String) throws(StatusError) -> String {
        let plain = raw.withUTF8Bytes { bytes in
            !bytes.contains { $0 == UInt8(ascii: "\\") || $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "=") }
        }
        if plain { return raw }
        var out = ""
        var inSlash = false
        for c in raw.unicodeScalars {
            if inSlash {
                guard c == "\\" || c == "," || c == "=" else {
                    throw StatusError.badRequest("invalid field selector: invalid escape sequence: \\\(Character(c))")
                }
                out.unicodeScalars.append(c)
                inSlash = false
                continue
            }
            switch c {
            case "\\":
                inSlash = true
            case ",", "=":
                // Upstream formats the rune with %v, which prints its code point (`=` is 61).
                throw StatusError.badRequest("invalid field selector: unescaped character in value: \(c.value)")
            default:
                out.unicodeScalars.append(c)
            }
        }
        if inSlash { throw StatusError.badRequest("invalid field selector: invalid escape sequence: \\") }
        return out
    }

    /// `EscapeValue`: `\` → `\\`, `,` → `\,`, `=` → `\=`.
    static func escape(_ value: String) -> String {
        var out = ""
        for c in value.unicodeScalars {
            if c == "\\" || c == "," || c == "=" { out += "\\" }
            out.unicodeScalars.append(c)
        }
        return out
    }

    // MARK: Field label conversion

    /// The apiserver's field-label conversion for kinds that register one (pods, nodes, events,
    /// …; `pkg/apis/core/v1/conversion.go`): every field must be in `supported`, else 400
    /// `field label not supported: <field>`. Terms are checked in order, the first failure wins.
    public func validate(supported: [String]) throws(StatusError) {
        for r in requirements where !supported.contains(r.field) {
            throw StatusError.badRequest("field label not supported: \(r.field)")
        }
    }

    /// `runtime.DefaultMetaV1FieldSelectorConversion`, used for kinds without their own
    /// conversion (Deployments, for one): only `metadata.name` and `metadata.namespace`.
    func validateMetadataOnly() throws(StatusError) {
        for r in requirements where r.field != "metadata.name" && r.field != "metadata.namespace" {
            throw StatusError.badRequest(
                "\(GoValue.goQuote(r.field)) is not a known field selector: only \"metadata.name\", "
                    + "\"metadata.namespace\"")
        }
    }
}
