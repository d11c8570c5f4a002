
/// A label selector: an AND of requirements over an object's `metadata.labels`, as
/// `k8s.io/apimachinery/pkg/labels/selector.go` defines it.
///
/// Built from the string form that `kubectl get -l` sends as `labelSelector`:
///
///     let s = try LabelSelector.parse("app=nginx,env in (prod,test),!canary")
///     s.description                                  // "app=nginx,!canary,env in (prod,test)"
///     s.matches(["app": "nginx", "env": "prod"])     // true
///
/// or from a `metav1.LabelSelector` object (`spec.selector`) with `fromJSON`. Requirements are
/// kept sorted by key (upstream's `internalSelector`), so `description` is deterministic.
public struct LabelSelector: Sendable, Equatable, CustomStringConvertible {
    /// One clause: `key op values`.
    public struct Requirement: Sendable, Equatable {
        public var key: String
        public var op: Operator
        /// Sorted by byte order, as upstream's parser leaves them (`sets.String.List()`).
        public var values: [String]

        public init(key: String, op: Operator, values: [String] = []) {
            self.key = key
            self.op = op
            self.values = values
        }
    }

    /// `selection.Operator`. The raw values are upstream's operator names; the string grammar
    /// spells `gt`/`lt` as `>`/`<`.
    public enum Operator: String, Sendable {
        case equals = "="
        case doubleEquals = "=="
        case notEquals = "!="
        case in_ = "in"
        case notIn = "notin"
        case exists = "exists"
        case doesNotExist = "!"
        case greaterThan = "gt"
        case lessThan = "lt"
    }

    /// Sorted by key (stable, so requirements on one key keep their order).
    public var requirements: [Requirement]

    public init(requirements: [Requirement] = []) {
        self.requirements = LabelSelector.sortedByKey(requirements)
    }

    /// `SelectorFromValidatedSet`: one `key=value` requirement per label; empty matches all.
    init(matchingLabels labels: [String: String]) {
        self.init(requirements: labels.keys.sorted(by: JSON.utf8Less).map {
            Requirement(key: $0, op: .equals, values: [labels[$0] ?? ""])
        })
    }

    /// Matches every object (upstream `labels.Everything()`).
    public static let everything = LabelSelector()

    /// True when the selector does not restrict anything.
    public var isEmpty: Bool { requirements.isEmpty }

    /// Upstream `String()`: requirements joined by `,`, e.g. `app=nginx,env in (prod,test),!x`.
    public var description: String {
        requirements.map(\.description).joined(separator: ",")
    }

    /// `labels` is a `metadata.labels` object (or `.null` for no labels). A null value is "",
    /// as Go decodes it; a label with a value of another type counts as absent.
    public func matches(_ labels: JSON) -> Bool {
        let object = labels.object
        return matches { object?[$0]?.mapStringValue }
    }

    public func matches(_ labels: [String: String]) -> Bool {
        matches { labels[$0] }
    }

    func matches(_ lookup: (String) -> String?) -> Bool {
        requirements.allSatisfy { $0.matches(lookup) }
    }

    // MARK: Parsing the string form

    /// Parses the string form (`-l`, the `labelSelector` query parameter) with current upstream
    /// (1.36) wording. Errors are 400 BadRequest with the parser's text, which the apiserver
    /// passes through unchanged, e.g.
    /// `unable to parse requirement: found 'b', expected: in, notin, =, ==, !=, gt, lt`.
    public static func parse(_ text: String) throws(StatusError) -> LabelSelector {
        try parse(text, version: .v1_36)
    }

    /// Parses with the wording of `version` (1.18 and 1.36 differ in their error texts).
    static func parse(_ text: String, version: KubernetesVersion) throws(StatusError) -> LabelSelector {
        var parser = LabelSelectorParser(text, wording: SelectorWording.of(version))
        do throws(SelectorParseError) {
            return LabelSelector(requirements: try parser.parse())
        } catch {
            throw StatusError.badRequest(error.message)
        }
    }

    // MARK: metav1.LabelSelector

    /// `metav1.LabelSelector` JSON (`{matchLabels, matchExpressions}`) → selector, as
    /// `LabelSelectorAsSelector` does after `ValidateLabelSelector`
    /// (`apimachinery/pkg/apis/meta/v1/{helpers.go,validation/validation.go}`), with 1.36 wording.
    ///
    /// Absent or null → `nil` (upstream `labels.Nothing()`: matches nothing); `{}` → `everything`.
    /// Invalid content → field errors under `fieldPath`, e.g.
    /// `spec.selector.matchExpressions[0].values: Required value: must be specified when `operator` is 'In' or 'NotIn'`.
    public static func fromJSON(_ json: JSON, fieldPath: String) -> Result<LabelSelector?, FieldErrors> {
        fromJSON(json, fieldPath: fieldPath, version: .v1_36)
    }

    static func fromJSON(_ json: JSON, fieldPath: String,
                         version: KubernetesVersion) -> Result<LabelSelector?, FieldErrors> {
        let wording = SelectorWording.of(version)
        let path = SelectorPath(fieldPath)
        let decoded: DecodedSelector
        switch json {
        case .null: return .success(nil)
        case .object(let object): decoded = DecodedSelector(object, path)
        default: return .failure(FieldErrors(errors: [SelectorPath.typeError(fieldPath, json, "object")]))
        }
        if !decoded.typeErrors.isEmpty { return .failure(FieldErrors(errors: decoded.typeErrors)) }
        let errors = decoded.validate(path, wording)
        if !errors.isEmpty { return .failure(FieldErrors(errors: errors)) }

        // LabelSelectorAsSelector.
        if decoded.matchLabels.isEmpty && decoded.expressions.isEmpty { return .success(.everything) }
        var requirements: [Requirement] = []
        do throws(SelectorParseError) {
            for (key, value) in decoded.matchLabels {
                requirements.append(try newRequirement(key: key, op: .equals, values: [value], wording))
            }
            for e in decoded.expressions {
                let op: Operator
                switch e.op {
                case "In": op = .in_
                case "NotIn": op = .notIn
                case "Exists": op = .exists
                default: op = .doesNotExist
                }
                requirements.append(try newRequirement(key: e.key, op: op,
                                                       values: e.values.sorted(by: JSON.utf8Less), wording))
            }
        } catch {
            // Workload validation reports a selector LabelSelectorAsSelector rejects this way
            // (reachable in 1.18, whose ValidateLabelSelector did not check expression values).
            return .failure(FieldErrors(errors: [.invalid(fieldPath, json, "invalid label selector")]))
        }
        return .success(LabelSelector(requirements: requirements))
    }

    // MARK: Helpers shared with the parser

    /// `NewRequirement`: checks the key, the value count for the operator and every value.
    static func newRequirement(key: String, op: Operator, values: [String],
                               _ wording: SelectorWording) throws(SelectorParseError) -> Requirement {
        // 1.36 collects field errors (path: `key`, `values[i][key]`) and aggregates them;
        // 1.18 returned the first problem as a plain error.
        var errors: [String] = []
        func fail(_ path: String, _ value: String, _ detail: String, legacy: String) throws(SelectorParseError) {
            if wording.fieldErrors {
                errors.append("\(path): Invalid value: \(value): \(detail)")
            } else {
                throw SelectorParseError(legacy)
            }
        }
        let keyErrors = LabelValidation.keyErrors(key, wording)
        if !keyErrors.isEmpty {
            let detail = keyErrors.joined(separator: "; ")
            try fail("key", GoValue.goQuote(key), detail,
                     legacy: "invalid label key \(GoValue.goQuote(key)): \(detail)")
        }
        let list = JSON.array(values.map { .string($0) }).serialized()
        switch op {
        case .in_, .notIn:
            if values.isEmpty {
                let d = "for 'in', 'notin' operators, values set can't be empty"
                try fail("values", list, d, legacy: d)
            }
        case .equals, .doubleEquals, .notEquals:
            if values.count != 1 {
                let d = "exact-match compatibility requires one single value"
                try fail("values", list, d, legacy: d)
            }
        case .exists, .doesNotExist:
            if !values.isEmpty {
                let d = "values set must be empty for exists and does not exist"
                try fail("values", list, d, legacy: d)
            }
        case .greaterThan, .lessThan:
            if values.count != 1 {
                let d = "for 'Gt', 'Lt' operators, exactly one value is required"
                try fail("values", list, d, legacy: d)
            }
            for (i, v) in values.enumerated() where Int64(v) == nil {
                let d = "for 'Gt', 'Lt' operators, the value must be an integer"
                try fail("values[\(i)]", GoValue.goQuote(v), d, legacy: d)
            }
        }
        for (i, v) in values.enumerated() {
            let valueErrors = LabelValidation.valueErrors(v, wording)
            if !valueErrors.isEmpty {
                let detail = valueErrors.joined(separator: "; ")
                try fail("values[\(i)][\(key)]", GoValue.goQuote(v), detail,
                         legacy: "invalid label value: \(GoValue.goQuote(v)): at key: "
                            + "\(GoValue.goQuote(key)): \(detail)")
            }
        }
        if !errors.isEmpty { throw SelectorParseError(SelectorWording.aggregate(errors)) }
        return Requirement(key: key, op: op, values: values)
    }

    /// Upstream sorts with `sort.Sort(ByKey)`; a stable sort gives the same result for the
    /// selector sizes people write and stays deterministic beyond them.
    static func sortedByKey(_ requirements: [Requirement]) -> [Requirement] {
        requirements.enumerated().sorted { a, b in
            if a.element.key != b.element.key { return JSON.utf8Less(a.element.key, b.element.key) }
            return a.offset < b.offset
        }.map(\.element)
    }
}

extension LabelSelector.Requirement: CustomStringConvertible {
    /// Upstream `Requirement.String()`: `!k`, `k`, `k=v`, `k==v`, `k!=v`, `k in (a,b)`,
    /// `k notin (a,b)`, `k>5`, `k<5`; several values are printed sorted.
    public var description: String {
        var s = op == .doesNotExist ? "!" + key : key
        switch op {
        case .exists, .doesNotExist: return s
        case .equals: s += "="
        case .doubleEquals: s += "=="
        case .notEquals: s += "!="
        case .in_: s += " in "
        case .notIn: s += " notin "
        case .greaterThan: s += ">"
        case .lessThan: s += "<"
        }
        let joined = values.count == 1 ? values[0] : values.sorted(by: JSON.utf8Less).joined(separator: ",")
        return op == .in_ || op == .notIn ? s + "(" + joined + ")" : s + joined
    }

    /// Upstream `Requirement.Matches`: `!=` and `notin` match objects without the key; `gt`/`lt`
    /// need the label to parse as a 64-bit integer.
    func matches(_ lookup: (String) -> String?) -> Bool {
        switch op {
        case .in_, .equals, .doubleEquals:
            guard let value = lookup(key) else { return false }
            return values.contains(value)
        case .notIn, .notEquals:
            guard let value = lookup(key) else { return true }
            return !values.contains(value)
        case .exists:
            return lookup(key) != nil
        case .doesNotExist:
            return lookup(key) == nil
        case .greaterThan, .lessThan:
            guard let value = lookup(key), let have = Int64(value),
                  values.count == 1, let want = Int64(values[0]) else { return false }
            return op == .greaterThan ? have > want : have < want
        }
    }
}

/// A `metav1.LabelSelector` read out of JSON, with the shapes a typed Go decoder insists on.
private struct DecodedSelector {
    /// Sorted by key: Go decodes matchLabels into a map, so kubesim picks an order that is deterministic.
    var matchLabels: [(key: String, value: String)] = []
    var expressions: [(key: String, op: String, values: [String])] = []
    var typeErrors: [FieldError] = []

    init(_ object: JSONObject, _ root: SelectorPath) {
        let labelsPath = root.child("matchLabels")
        switch object["matchLabels"] ?? .null {
        case .null: break
        case .object(let labels):
            for (key, value) in labels {
                if let s = value.mapStringValue {
                    matchLabels.append((key, s))
                } else {
                    typeErrors.append(SelectorPath.typeError(labelsPath.key(key), value, "string"))
                }
            }
        case let other: typeErrors.append(SelectorPath.typeError(labelsPath.text, other, "object"))
        }
        matchLabels.sort { JSON.utf8Less($0.key, $1.key) }

        let expressionsPath = root.child("matchExpressions")
        switch object["matchExpressions"] ?? .null {
        case .null: break
        case .array(let items):
            for (i, item) in items.enumerated() { decodeExpression(item, expressionsPath.index(i)) }
        case let other: typeErrors.append(SelectorPath.typeError(expressionsPath.text, other, "array"))
        }
    }

    private mutating func decodeExpression(_ item: JSON, _ path: SelectorPath) {
        guard case .object(let e) = item else {
            typeErrors.append(SelectorPath.typeError(path.text, item, "object"))
            return
        }
        func string(_ name: String) -> String {
            switch e[name] ?? .null {
            case .null: return ""
            case .string(let s): return s
            case let other:
                typeErrors.append(SelectorPath.typeError(path.child(name).text, other, "string"))
                return ""
            }
        }
        let key = string("key"), op = string("operator")
        var values: [String] = []
        switch e["values"] ?? .null {
        case .null: break
        case .array(let vs):
            for (j, v) in vs.enumerated() {
                if let s = v.string {
                    values.append(s)
                } else {
                    typeErrors.append(SelectorPath.typeError(path.child("values").index(j).text, v, "string"))
                }
            }
        case let other:
            typeErrors.append(SelectorPath.typeError(path.child("values").text, other, "array"))
        }
        expressions.append((key, op, values))
    }

    /// `ValidateLabelSelector` (`apimachinery/pkg/apis/meta/v1/validation/validation.go`).
    func validate(_ root: SelectorPath, _ wording: SelectorWording) -> [FieldError] {
        var errors: [FieldError] = []
        // ValidateLabels reports on `matchLabels` itself, without the key.
        let labelsPath = root.child("matchLabels").text
        for (key, value) in matchLabels {
            for msg in LabelValidation.keyErrors(key, wording) { errors.append(.invalid(labelsPath, .string(key), msg)) }
            for msg in LabelValidation.valueErrors(value, wording) {
                errors.append(.invalid(labelsPath, .string(value), msg))
            }
        }
        for (i, e) in expressions.enumerated() {
            let path = root.child("matchExpressions").index(i)
            switch e.op {
            case "In", "NotIn":
                if e.values.isEmpty {
                    errors.append(.required(path.child("values").text,
                                            "must be specified when `operator` is 'In' or 'NotIn'"))
                }
            case "Exists", "DoesNotExist":
                if !e.values.isEmpty {
                    errors.append(.forbidden(path.child("values").text,
                                             "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"))
                }
            default:
                errors.append(.invalid(path.child("operator").text, .string(e.op), "not a valid selector operator"))
            }
            for msg in LabelValidation.keyErrors(e.key, wording) {
                errors.append(.invalid(path.child("key").text, .string(e.key), msg))
            }
            if wording.validatesExpressionValues {
                for (j, value) in e.values.enumerated() {
                    for msg in LabelValidation.valueErrors(value, wording) {
                        errors.append(.invalid(path.child("values").index(j).text, .string(value), msg))
                    }
                }
            }
        }
        return errors
    }
}

/// Field errors from `LabelSelector.fromJSON`, in upstream's order.
public struct FieldErrors: Error, Sendable, Equatable {
    public var errors: [FieldError]
    public init(errors: [FieldError]) { self.errors = errors }
}

/// A selector parse failure: the text upstream's parser returns.
struct SelectorParseError: Error {
    var message: String
    init(_ message: String) { self.message = message }
}

// MARK: - Lexer and parser (upstream `Lexer` / `Parser` in labels/selector.go)

private enum SelectorToken: Equatable {
    case error, endOfString, closedPar, comma, doesNotExist, doubleEquals, equals, greaterThan
    case identifier, in_, lessThan, notEquals, notIn, openPar

    /// `string2token`.
    init?(_ literal: String) {
        switch literal {
        case ")": self = .closedPar
        case ",": self = .comma
        case "!": self = .doesNotExist
        case "==": self = .doubleEquals
        case "=": self = .equals
        case ">": self = .greaterThan
        case "in": self = .in_
        case "<": self = .lessThan
        case "!=": self = .notEquals
        case "notin": self = .notIn
        case "(": self = .openPar
        default: return nil
        }
    }
}

/// Works on bytes, as upstream does: a NUL byte reads as end of input.
private struct SelectorLexer {
    let bytes: [UInt8]
    var pos = 0

    init(_ text: String) { bytes = Array(text.utf8) }

    mutating func read() -> UInt8 {
        guard pos < bytes.count else { return 0 }
        pos += 1
        return bytes[pos - 1]
    }

    mutating func unread() { if pos > 0 { pos -= 1 } }

    static func isWhitespace(_ c: UInt8) -> Bool { c == 0x20 || c == 0x09 || c == 0x0D || c == 0x0A }

    static func isSpecialSymbol(_ c: UInt8) -> Bool {
        switch c {
        case UInt8(ascii: "="), UInt8(ascii: "!"), UInt8(ascii: "("), UInt8(ascii: ")"),
             UInt8(ascii: ","), UInt8(ascii: ">"), UInt8(ascii: "<"):
            return true
        default:
            return false
        }
    }

    mutating func lex() -> (SelectorToken, String) {
        var ch = read()
        while SelectorLexer.isWhitespace(ch) { ch = read() }
        if ch == 0 { return (.endOfString, "") }
        unread()
        return SelectorLexer.isSpecialSymbol(ch) ? scanSpecialSymbol() : scanIdentifierOrKeyword()
    }

    private mutating func scanIdentifierOrKeyword() -> (SelectorToken, String) {
        var buffer: [UInt8] = []
        while true {
            let ch = read()
            if ch == 0 { break }
            if SelectorLexer.isSpecialSymbol(ch) || SelectorLexer.isWhitespace(ch) {
                unread()
                break
            }
            buffer.append(ch)
        }
        let literal = String(decoding: buffer, as: UTF8.self)
        if let keyword = SelectorToken(literal) { return (keyword, literal) }
        return (.identifier, literal)
    }

    /// Longest run of special symbols that is still a token: `!=`, `==`, then `=` and so on.
    private mutating func scanSpecialSymbol() -> (SelectorToken, String) {
        var last: (SelectorToken, String)?
        var buffer: [UInt8] = []
        while true {
            let ch = read()
            if ch == 0 { break }
            guard SelectorLexer.isSpecialSymbol(ch) else {
                unread()
                break
            }
            buffer.append(ch)
            let literal = String(decoding: buffer, as: UTF8.self)
            if let token = SelectorToken(literal) {
                last = (token, literal)
            } else if last != nil {
                unread()
                break
            }
        }
        guard let last else {
            return (.error, "error expected: keyword found '\(String(decoding: buffer, as: UTF8.self))'")
        }
        return last
    }
}

private struct LabelSelectorParser {
    private enum Context { case keyAndOperator, values }

    private var items: [(SelectorToken, String)] = []
    private var position = 0
    private let wording: SelectorWording

    init(_ text: String, wording: SelectorWording) {
        self.wording = wording
        var lexer = SelectorLexer(text)
        while true {
            let item = lexer.lex()
            items.append(item)
            if item.0 == .endOfString { break }
        }
    }

    /// In a values context `in` and `notin` are ordinary identifiers (`x in (in)`).
    private func lookahead(_ context: Context) -> (SelectorToken, String) {
        let item = position < items.count ? items[position] : (.endOfString, "")
        if context == .values, item.0 == .in_ || item.0 == .notIn { return (.identifier, item.1) }
        return item
    }

    private mutating func consume(_ context: Context) -> (SelectorToken, String) {
        let item = lookahead(context)
        position += 1
        return item
    }

    mutating func parse() throws(SelectorParseError) -> [LabelSelector.Requirement] {
        var requirements: [LabelSelector.Requirement] = []
        while true {
            let (tok, lit) = lookahead(.values)
            switch tok {
            case .identifier, .doesNotExist:
                do throws(SelectorParseError) {
                    requirements.append(try parseRequirement())
                } catch {
                    throw SelectorParseError("unable to parse requirement: \(error.message)")
                }
                let (t, l) = consume(.values)
                switch t {
                case .endOfString:
                    return requirements
                case .comma:
                    let (t2, l2) = lookahead(.values)
                    if t2 != .identifier && t2 != .doesNotExist {
                        throw SelectorParseError("found '\(l2)', expected: identifier after ','")
                    }
                default:
                    throw SelectorParseError("found '\(l)', expected: ',' or 'end of string'")
                }
            case .endOfString:
                return requirements
            default:
                throw SelectorParseError("found '\(lit)', expected: !, identifier, or 'end of string'")
            }
        }
    }

    private mutating func parseRequirement() throws(SelectorParseError) -> LabelSelector.Requirement {
        let (key, inferred) = try parseKeyAndInferOperator()
        if let inferred {
            return try LabelSelector.newRequirement(key: key, op: inferred, values: [], wording)
        }
        let op = try parseOperator()
        let values: Set<String>
        switch op {
        case .in_, .notIn: values = try parseValues()
        default: values = try parseExactValue()
        }
        return try LabelSelector.newRequirement(key: key, op: op,
                                                values: values.sorted(by: JSON.utf8Less), wording)
    }

    /// The key, and `exists`/`doesNotExist` when no binary operator follows.
    private mutating func parseKeyAndInferOperator() throws(SelectorParseError) -> (String, LabelSelector.Operator?) {
        var op: LabelSelector.Operator?
        var (tok, literal) = consume(.values)
        if tok == .doesNotExist {
            op = .doesNotExist
            (tok, literal) = consume(.values)
        }
        guard tok == .identifier else {
            throw SelectorParseError("found '\(literal)', expected: identifier")
        }
        let keyErrors = LabelValidation.keyErrors(literal, wording)
        if !keyErrors.isEmpty {
            let detail = keyErrors.joined(separator: "; ")
            // 1.36 builds a field error on the parser's nil path, which Go prints as "<nil>".
            throw SelectorParseError(wording.fieldErrors
                ? "<nil>: Invalid value: \(GoValue.goQuote(literal)): \(detail)"
                : "invalid label key \(GoValue.goQuote(literal)): \(detail)")
        }
        let (next, _) = lookahead(.values)
        if (next == .endOfString || next == .comma) && op == nil { op = .exists }
        return (literal, op)
    }

    private mutating func parseOperator() throws(SelectorParseError) -> LabelSelector.Operator {
        let (tok, lit) = consume(.keyAndOperator)
        switch tok {
        case .in_: return .in_
        case .equals: return .equals
        case .doubleEquals: return .doubleEquals
        case .greaterThan: return .greaterThan
        case .lessThan: return .lessThan
        case .notIn: return .notIn
        case .notEquals: return .notEquals
        default: throw SelectorParseError("found '\(lit)', expected: \(wording.binaryOperators)")
        }
    }

    /// `( a, b, ... )`; `()` is the set holding the empty string.
    private mutating func parseValues() throws(SelectorParseError) -> Set<String> {
        let (open, openLit) = consume(.values)
        guard open == .openPar else { throw SelectorParseError("found '\(openLit)' expected: '('") }
        let (tok, lit) = lookahead(.values)
        switch tok {
        case .identifier, .comma:
            let s = try parseIdentifiersList()
            guard consume(.values).0 == .closedPar else {
                throw SelectorParseError("found '\(lit)', expected: ')'")
            }
            return s
        case .closedPar:
            _ = consume(.values)
            return [""]
        default:
            throw SelectorParseError("found '\(lit)', expected: ',', ')' or identifier")
        }
    }

    /// A comma-separated list in which empty entries stand for the empty string.
    private mutating func parseIdentifiersList() throws(SelectorParseError) -> Set<String> {
        var s: Set<String> = []
        while true {
            let (tok, lit) = consume(.values)
            switch tok {
            case .identifier:
                s.insert(lit)
                let (tok2, lit2) = lookahead(.values)
                switch tok2 {
                case .comma: continue
                case .closedPar: return s
                default: throw SelectorParseError("found '\(lit2)', expected: ',' or ')'")
                }
            case .comma:
                if s.isEmpty { s.insert("") }
                let (tok2, _) = lookahead(.values)
                if tok2 == .closedPar {
                    s.insert("")
                    return s
                }
                if tok2 == .comma {
                    // 1.18 swallowed the second comma here, so `(a,,)` failed there.
                    if wording.consumesDoubleComma { _ = consume(.values) }
                    s.insert("")
                }
            default:
                throw SelectorParseError("found '\(lit)', expected: ',', or identifier")
            }
        }
    }

    /// The single value after `=`, `==`, `!=`, `>` or `<`; nothing there means the empty string.
    private mutating func parseExactValue() throws(SelectorParseError) -> Set<String> {
        let (next, _) = lookahead(.values)
        if next == .endOfString || next == .comma { return [""] }
        let (tok, lit) = consume(.values)
        guard tok == .identifier else { throw SelectorParseError("found '\(lit)', expected: identifier") }
        return [lit]
    }
}

// MARK: - Label key and value validation

/// `content.IsLabelKey` / `IsLabelValue` (1.36; `validation.IsQualifiedName` /
/// `IsValidLabelValue` in 1.18): the messages, each one entry.
enum LabelValidation {
    static let labelKeyFormat = "([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]"
    static let labelValueFormat = "(" + labelKeyFormat + ")?"
    static let dnsSubdomainFormat = "[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*"
    static let labelKeyMessage = "must consist of alphanumeric characters, '-', '_' or '.', "
        + "and must start and end with an alphanumeric character"
    static let labelValueMessage = "a valid label must be an empty string or consist of alphanumeric characters, "
        + "'-', '_' or '.', and must start and end with an alphanumeric character"

    static func keyErrors(_ key: String, _ wording: SelectorWording) -> [String] {
        var errors: [String] = []
        let parts = key.utf8.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: false)
        let name: Substring.UTF8View
        switch parts.count {
        case 1:
            name = parts[0]
        case 2:
            let prefix = parts[0]
            name = parts[1]
            if prefix.isEmpty {
                errors.append("prefix part must be non-empty")
            } else {
                errors += dnsSubdomainErrors(Array(prefix), wording).map { "prefix part " + $0 }
            }
        default:
            return [wording.tooManySlashesSubject + " "
                + regexError(labelKeyMessage, labelKeyFormat, ["MyName", "my.name", "123-abc"])
                + " with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')"]
        }
        if name.isEmpty {
            errors.append("name part must be non-empty")
        } else if name.count > 63 {
            errors.append("name part " + wording.maxLength(63))
        }
        if !isLabelName(Array(name)) {
            errors.append("name part " + regexError(labelKeyMessage, labelKeyFormat, ["MyName", "my.name", "123-abc"]))
        }
        return errors
    }

    static func valueErrors(_ value: String, _ wording: SelectorWording) -> [String] {
        var errors: [String] = []
        let bytes = Array(value.utf8)
        if bytes.count > 63 { errors.append(wording.maxLength(63)) }
        if !bytes.isEmpty && !isLabelName(bytes) {
            errors.append(regexError(labelValueMessage, labelValueFormat, ["MyValue", "my_value", "12345"]))
        }
        return errors
    }

    static func dnsSubdomainErrors(_ bytes: [UInt8], _ wording: SelectorWording) -> [String] {
        var errors: [String] = []
        if bytes.count > 253 { errors.append(wording.maxLength(253)) }
        let labels = bytes.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        if !labels.allSatisfy({ isDNSLabel(Array($0)) }) {
            errors.append(regexError(wording.dnsSubdomainMessage, dnsSubdomainFormat, ["example.com"]))
        }
        return errors
    }

    /// `([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]`
    static func isLabelName(_ b: [UInt8]) -> Bool {
        guard let first = b.first, let last = b.last, isAlphanumeric(first), isAlphanumeric(last) else { return false }
        return b.allSatisfy { isAlphanumeric($0) || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "_")
            || $0 == UInt8(ascii: ".") }
    }

    /// `[a-z0-9]([-a-z0-9]*[a-z0-9])?`
    static func isDNSLabel(_ b: [UInt8]) -> Bool {
        func lowerAlnum(_ c: UInt8) -> Bool { (c >= 0x61 && c <= 0x7A) || (c >= 0x30 && c <= 0x39) }
        guard let first = b.first, let last = b.last, lowerAlnum(first), lowerAlnum(last) else { return false }
        return b.allSatisfy { lowerAlnum($0) || $0 == UInt8(ascii: "-") }
    }

    static func isAlphanumeric(_ c: UInt8) -> Bool {
        (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A) || (c >= 0x30 && c <= 0x39)
    }

    /// `RegexError`: `msg (e.g. 'A',  or 'B', regex used for validation is 're')` — upstream's
    /// doubled space before `or` included.
    static func regexError(_ message: String, _ format: String, _ examples: [String]) -> String {
        if examples.isEmpty { return message + " (regex used for validation is '" + format + "')" }
        var s = message + " (e.g. "
        for (i, example) in examples.enumerated() {
            if i > 0 { s += " or " }
            s += "'" + example + "', "
        }
        return s + "regex used for validation is '" + format + "')"
    }
}

// MARK: - Wording by version

/// The selector and label-validation texts that differ between the releases kubesim imitates
/// (apimachinery v0.18.0 for 1.18, v0.36.0 for 1.36), in one table.
struct SelectorWording: Sendable {
    /// `MaxLenError`'s unit.
    var maxLengthUnit: String
    /// Subject of the "too many slashes" label-key message.
    var tooManySlashesSubject: String
    var dnsSubdomainMessage: String
    /// The operator list in `found '%s', expected: …`.
    var binaryOperators: String
    /// 1.36 reports `NewRequirement` problems as aggregated field errors; 1.18 as the first plain error.
    var fieldErrors: Bool
    var consumesDoubleComma: Bool
    /// `ValidateLabelSelectorRequirement` checks `values` (1.36) or leaves them to the conversion (1.18).
    var validatesExpressionValues: Bool

    static func of(_ version: KubernetesVersion) -> SelectorWording {
        switch version {
        case .v1_18:
            return SelectorWording(
                maxLengthUnit: "characters",
                tooManySlashesSubject: "a qualified name",
                dnsSubdomainMessage: "a DNS-1123 subdomain must consist of lower case alphanumeric characters, "
                    + "'-' or '.', and must start and end with an alphanumeric character",
                binaryOperators: "'=', '!=', '==', 'in', notin'",
                fieldErrors: false, consumesDoubleComma: true, validatesExpressionValues: false)
        case .v1_36:
            return SelectorWording(
                maxLengthUnit: "bytes",
                tooManySlashesSubject: "a valid label key",
                dnsSubdomainMessage: "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric "
                    + "characters, '-' or '.', and must start and end with an alphanumeric character",
                binaryOperators: "in, notin, =, ==, !=, gt, lt",
                fieldErrors: true, consumesDoubleComma: false, validatesExpressionValues: true)
        }
    }

    func maxLength(_ n: Int) -> String { "must be no more than \(n) \(maxLengthUnit)" }

    /// `utilerrors.Aggregate.Error()`: one message bare, several as `[a, b]`, duplicates dropped.
    static func aggregate(_ messages: [String]) -> String {
        var unique: [String] = []
        for m in messages where !unique.contains(m) { unique.append(m) }
        return unique.count == 1 ? unique[0] : "[" + unique.joined(separator: ", ") + "]"
    }
}

/// A `field.Path` rendered as upstream prints it: `spec.selector.matchExpressions[0].key`.
struct SelectorPath {
    var text: String
    init(_ text: String) { self.text = text }
    func child(_ name: String) -> SelectorPath { SelectorPath(text.isEmpty ? name : text + "." + name) }
    func index(_ i: Int) -> SelectorPath { SelectorPath(text + "[\(i)]") }
    func key(_ k: String) -> String { text + "[\(k)]" }

    /// Decoding a value of the wrong JSON type. Upstream fails earlier, in the JSON decoder;
    /// kubesim reports it as a field error worded like structural-schema validation.
    static func typeError(_ path: String, _ value: JSON, _ type: String) -> FieldError {
        .invalid(path, value, "must be of type \(type)")
    }
}
