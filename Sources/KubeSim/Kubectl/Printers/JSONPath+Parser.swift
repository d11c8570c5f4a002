/// The parse tree of a JSONPath template, as `k8s.io/client-go/util/jsonpath` builds it
/// (node.go): the template's top level is a list of text and actions (`{…}`), each action a
/// list of the steps inside it.
indirect enum JSONPathNode: Equatable {
    case text(String)
    case list([JSONPathNode])
    case field(String)
    /// `range`, `end`, or any other word (which fails when run).
    case identifier(String)
    case array(JSONPathArrayParams)
    case filter(left: [JSONPathNode], right: [JSONPathNode], op: String)
    case int(Int)
    case float(Double)
    case bool(Bool)
    case wildcard
    case recursive
    case union([[JSONPathNode]])
}

/// `[start:end:step]`; an entry not `known` takes its default when the array is seen.
struct JSONPathArrayParams: Equatable {
    struct Entry: Equatable {
        var value = 0
        var known = false
        /// The end of `[i]`, written `i+1` (made `len` for `[-1]`).
        var derived = false
    }

    var entries = [Entry(), Entry(), Entry()]
}

/// A template's parse or execution failure, worded as upstream's errors are.
struct JSONPathError: Error, Equatable {
    var message: String
    init(_ message: String) { self.message = message }
}

/// The template parser (`parser.go`), written as a loop where upstream recurses once per
/// token, so that a long template costs no stack. The nested parses upstream makes for
/// filters, unions and quoted keys are bounded by `maxNesting`.
struct JSONPathParser {
    static let maxNesting = 32

    private let input: [Unicode.Scalar]
    private var pos = 0
    private var start = 0
    private var width = 0
    private let nesting: Int
    /// The client-go release whose parser this is: v0.18 lets `..` follow `..`.
    private let version: KubernetesVersion

    private init(_ text: String, nesting: Int, version: KubernetesVersion) {
        input = Array(text.unicodeScalars)
        self.nesting = nesting
        self.version = version
    }

    /// The top-level nodes of `text`: `.text` and `.list` (one per action).
    static func parse(_ text: String, version: KubernetesVersion = .v1_36) -> Result<[JSONPathNode], JSONPathError> {
        parse(text, nesting: 0, version: version)
    }

    private static func parse(_ text: String, nesting: Int, version: KubernetesVersion)
        -> Result<[JSONPathNode], JSONPathError>
    {
        guard nesting <= maxNesting else {
            return .failure(JSONPathError("template nested more than \(maxNesting) levels deep"))
        }
        var parser = JSONPathParser(text, nesting: nesting, version: version)
        do {
            return .success(try parser.run())
        } catch let e as JSONPathError {
            return .failure(e)
        } catch {
            return .failure(JSONPathError("\(error)"))
        }
    }

    /// `parseAction`: the steps of `{text}` (its first action).
    private func parseAction(_ text: String) throws -> [JSONPathNode] {
        switch Self.parse("{" + text + "}", nesting: nesting + 1, version: version) {
        case .failure(let e): throw e
        case .success(let nodes):
            if case .list(let steps)? = nodes.first { return steps }
            return []
        }
    }

    // MARK: Reading

    private mutating func next() -> Unicode.Scalar? {
        guard pos < input.count else {
            width = 0
            return nil
        }
        width = 1
        pos += 1
        return input[pos - 1]
    }

    private mutating func peek() -> Unicode.Scalar? {
        let r = next()
        backup()
        return r
    }

    private mutating func backup() { pos -= width }

    private mutating func consumeText() -> String {
        let lo = min(start, input.count), hi = min(max(pos, lo), input.count)
        var s = String.UnicodeScalarView()
        s.append(contentsOf: input[lo..<hi])
        start = pos
        return String(s)
    }

    private func hasPrefix(_ prefix: String) -> Bool {
        var i = pos
        for c in prefix.unicodeScalars {
            guard i < input.count, input[i] == c else { return false }
            i += 1
        }
        return true
    }

    /// The character `back` places before the read position, if there is one.
    private func before(_ back: Int) -> Unicode.Scalar? {
        let i = pos - back
        return i >= 0 && i < input.count ? input[i] : nil
    }

    // MARK: Parsing

    private enum State { case text, action }

    private mutating func run() throws -> [JSONPathNode] {
        var root: [JSONPathNode] = []
        var cur: [JSONPathNode] = []
        var state = State.text
        while true {
            switch state {
            case .text:
                // parseText: up to the next `{`, or the end.
                var sawDelim = false
                while true {
                    if hasPrefix("{") {
                        sawDelim = true
                        break
                    }
                    if next() == nil { break }
                }
                if pos > start { root.append(.text(consumeText())) }
                guard sawDelim else { return root }
                // parseLeftDelim
                pos += 1
                _ = consumeText()
                cur = []
                state = .action
            case .action:
                if hasPrefix("}") {
                    pos += 1
                    _ = consumeText()
                    root.append(.list(cur))
                    state = .text
                    continue
                }
                if hasPrefix("[?(") {
                    try parseFilter(&cur)
                    continue
                }
                if hasPrefix("..") {
                    try parseRecursive(&cur)
                    continue
                }
                guard let r = next(), !Self.isEndOfLine(r) else { throw JSONPathError("unclosed action") }
                switch r {
                case " ", "@", "$":
                    _ = consumeText()
                case "[":
                    try parseArray(&cur)
                case "\"", "'":
                    try parseQuote(&cur, end: r)
                case ".":
                    parseField(&cur)
                case "+", "-":
                    backup()
                    try parseNumber(&cur)
                default:
                    if Self.isDigit(r) {
                        backup()
                        try parseNumber(&cur)
                    } else if Self.isAlphaNumeric(r) {
                        backup()
                        parseIdentifier(&cur)
                    } else {
                        throw JSONPathError("unrecognized character in action: \(Self.goUnicode(r))")
                    }
                }
            }
        }
    }

    /// `parseIdentifier`: `range`, `end`, `true`, `false`, or any other word.
    private mutating func parseIdentifier(_ cur: inout [JSONPathNode]) {
        while true {
            let r = next()
            if Self.isTerminator(r) {
                backup()
                break
            }
        }
        let value = consumeText()
        if value == "true" || value == "false" {
            cur.append(.bool(value == "true"))
        } else {
            cur.append(.identifier(value))
        }
    }

    /// `parseRecursive`: `..`, then a field name if one follows at once.
    private mutating func parseRecursive(_ cur: inout [JSONPathNode]) throws {
        // The check came with client-go v0.19; before it `....` parsed as two `..` in a row.
        if version != .v1_18, case .recursive? = cur.last {
            throw JSONPathError("invalid multiple recursive descent")
        }
        pos += 2
        _ = consumeText()
        cur.append(.recursive)
        if let r = peek(), Self.isAlphaNumeric(r) { parseField(&cur) }
    }

    /// `parseNumber`: an int, else a float (`strconv.Atoi`, then `ParseFloat`).
    private mutating func parseNumber(_ cur: inout [JSONPathNode]) throws {
        if let r = peek(), r == "+" || r == "-" { _ = next() }
        while true {
            let r = next()
            guard let r, r == "." || Self.isDigit(r) else {
                backup()
                break
            }
        }
        let value = consumeText()
        if let i = Self.atoi(value) {
            cur.append(.int(i))
        } else if let d = Self.parseFloat(value) {
            cur.append(.float(d))
        } else {
            throw JSONPathError("cannot parse number \(value)")
        }
    }

    /// `parseArray`: `[i]`, `[a:b:c]`, `[*]`, `['key']`, or a union `[x,y]`.
    private mutating func parseArray(_ cur: inout [JSONPathNode]) throws {
        while true {
            guard let r = next(), r != "\n" else { throw JSONPathError("unterminated array") }
            if r == "]" { break }
        }
        var text = Array(consumeText().unicodeScalars)
        text = text.count >= 2 ? Array(text[1..<(text.count - 1)]) : []
        if text == ["*"] { text = [":"] }

        // Union: every part parsed as an array step of its own.
        let parts = text.split(separator: ",", omittingEmptySubsequences: false)
        if parts.count > 1 {
            var union: [[JSONPathNode]] = []
            for part in parts {
                var lo = part.startIndex, hi = part.endIndex
                while lo < hi, part[lo] == " " { lo += 1 }
                while hi > lo, part[hi - 1] == " " { hi -= 1 }
                union.append(try parseAction("[" + Self.string(part[lo..<hi]) + "]"))
            }
            cur.append(.union(union))
            return
        }

        // A quoted key: `['a.b']` is the path `.a.b`.
        if text.count >= 2, text.first == "'", text.last == "'", !text.dropFirst().dropLast().contains("'") {
            cur.append(contentsOf: try parseAction("." + Self.string(text.dropFirst().dropLast())))
            return
        }

        // A slice: `(-?\d*)(:-?\d*)?(:-?\d*)?`.
        let groups = text.split(separator: ":", omittingEmptySubsequences: false)
        guard groups.count <= 3, groups.allSatisfy(Self.isSliceNumber) else {
            throw JSONPathError("invalid array index \(Self.string(text))")
        }
        var values = groups.enumerated().map { i, g in (i > 0 ? ":" : "") + Self.string(g) }
        while values.count < 3 { values.append("") }
        var params = JSONPathArrayParams()
        for i in 0..<3 {
            if !values[i].isEmpty {
                if i > 0 { values[i].removeFirst() }
                if i > 0, values[i].isEmpty {
                    params.entries[i].known = false
                } else {
                    params.entries[i].known = true
                    guard let v = Self.atoi(values[i]) else {
                        throw JSONPathError("array index \(values[i]) is not a number")
                    }
                    params.entries[i].value = v
                }
            } else if i == 1 {
                params.entries[1].known = true
                params.entries[1].value = params.entries[0].value &+ 1
                params.entries[1].derived = true
            } else {
                params.entries[i].known = false
                params.entries[i].value = 0
            }
        }
        cur.append(.array(params))
    }

    /// `parseFilter`: `[?(left op right)]` or `[?(path)]` (the elements where it exists).
    private mutating func parseFilter(_ cur: inout [JSONPathNode]) throws {
        pos += 3
        _ = consumeText()
        var begin = false, end = false
        var pair: Unicode.Scalar = "\""
        scan: while true {
            guard let r = next(), r != "\n" else { throw JSONPathError("unterminated filter") }
            switch r {
            case "\"", "'":
                if !begin {
                    begin = true
                    pair = r
                    continue scan
                }
                if before(2) != "\\", r == pair { end = true }
            case ")":
                if begin == end { break scan }
            default:
                break
            }
        }
        if next() != "]" { throw JSONPathError("unclosed array expect ]") }
        let all = Array(consumeText().unicodeScalars)
        let text = Array(all.prefix(max(0, all.count - 2)))
        if let (left, op, right) = Self.splitComparison(text) {
            let l = try parseAction(Self.string(left))
            let r = try parseAction(Self.string(right))
            cur.append(.filter(left: l, right: r, op: Self.string(op)))
        } else {
            cur.append(.filter(left: try parseAction(Self.string(text)), right: [], op: "exists"))
        }
    }

    /// `^([^!<>=]+)([!<>=]+)(.+?)$`, as Go's regexp matches it.
    private static func splitComparison(_ text: [Unicode.Scalar])
        -> (ArraySlice<Unicode.Scalar>, ArraySlice<Unicode.Scalar>, ArraySlice<Unicode.Scalar>)?
    {
        func isOp(_ c: Unicode.Scalar) -> Bool { c == "!" || c == "<" || c == ">" || c == "=" }
        guard let opStart = text.firstIndex(where: isOp), opStart > 0 else { return nil }
        var opEnd = opStart
        while opEnd < text.count, isOp(text[opEnd]) { opEnd += 1 }
        // The right side takes at least one character (`.` matches anything but a newline,
        // which a filter cannot hold); the operator gives one back if it must.
        if opEnd == text.count { opEnd -= 1 }
        guard opEnd > opStart, opEnd < text.count else { return nil }
        if text[opEnd...].contains("\n") { return nil }
        return (text[..<opStart], text[opStart..<opEnd], text[opEnd...])
    }

    /// `parseQuote`: a string literal in `"` or `'`, escapes as Go's.
    private mutating func parseQuote(_ cur: inout [JSONPathNode], end: Unicode.Scalar) throws {
        while true {
            guard let r = next(), r != "\n" else { throw JSONPathError("unterminated quoted string") }
            if r == end, before(2) != "\\" { break }
        }
        let value = consumeText()
        switch Self.unquoteExtend(value) {
        case .success(let s): cur.append(.text(s))
        case .failure(let e): throw JSONPathError("unquote string \(value) error \(e.message)")
        }
    }

    /// `parseField`: a name up to the next unescaped terminator; `*` is the wildcard.
    private mutating func parseField(_ cur: inout [JSONPathNode]) {
        _ = consumeText()
        while advance() {}
        let value = consumeText()
        if value == "*" {
            cur.append(.wildcard)
        } else {
            cur.append(.field(Self.string(value.unicodeScalars.filter { $0 != "\\" })))
        }
    }

    private mutating func advance() -> Bool {
        let r = next()
        if r == "\\" {
            _ = next()
        } else if Self.isTerminator(r) {
            backup()
            return false
        }
        return true
    }

    // MARK: Characters

    private static func isTerminator(_ r: Unicode.Scalar?) -> Bool {
        guard let r else { return true }
        switch r {
        case " ", "\t", "\r", "\n", ".", ",", "[", "]", "$", "@", "{", "}": return true
        default: return false
        }
    }

    private static func isEndOfLine(_ r: Unicode.Scalar) -> Bool { r == "\r" || r == "\n" }

    /// `unicode.IsDigit`: category Nd.
    static func isDigit(_ r: Unicode.Scalar) -> Bool {
        r.properties.generalCategory == .decimalNumber
    }

    /// `_`, `unicode.IsLetter` (category L) or `unicode.IsDigit`.
    static func isAlphaNumeric(_ r: Unicode.Scalar) -> Bool {
        if r == "_" || isDigit(r) { return true }
        switch r.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter: return true
        default: return false
        }
    }

    private static func isSliceNumber(_ g: ArraySlice<Unicode.Scalar>) -> Bool {
        var digits = g[...]
        if digits.first == "-" { digits = digits.dropFirst() }
        return digits.allSatisfy { $0.value >= 0x30 && $0.value <= 0x39 }
    }

    /// `%#U`: `U+002A '*'` (the character only when printable).
    static func goUnicode(_ r: Unicode.Scalar) -> String {
        let code = "U+" + GoFormat.hexDigits(r.value, width: 4, uppercase: true)
        return GoValue.isGoPrintable(r) ? code + " '" + String(r) + "'" : code
    }

    private static func string<S: Sequence>(_ scalars: S) -> String where S.Element == Unicode.Scalar {
        var s = String.UnicodeScalarView()
        s.append(contentsOf: scalars)
        return String(s)
    }

    /// `strconv.Atoi`: an optional sign and ASCII digits, within 64 bits.
    static func atoi(_ s: String) -> Int? {
        var body = Substring(s)
        if body.first == "+" || body.first == "-" { body = body.dropFirst() }
        guard !body.isEmpty, body.unicodeScalars.allSatisfy({ $0.value >= 0x30 && $0.value <= 0x39 }) else { return nil }
        return Int(s)
    }

    /// `strconv.ParseFloat(s, 64)` for what `parseNumber` reads: a sign, digits and dots.
    static func parseFloat(_ s: String) -> Double? {
        var body = Substring(s)
        if body.first == "+" || body.first == "-" { body = body.dropFirst() }
        let parts = body.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count <= 2, parts.contains(where: { !$0.isEmpty }),
              body.unicodeScalars.allSatisfy({ $0 == "." || ($0.value >= 0x30 && $0.value <= 0x39) })
        else { return nil }
        guard let d = Double(s.hasPrefix("+") ? String(s.dropFirst()) : s), d.isFinite else { return nil }
        return d
    }

    // MARK: Unquoting

    /// `UnquoteExtend`: `strconv.Unquote`, single quotes allowed.
    static func unquoteExtend(_ s: String) -> Result<String, JSONPathError> {
        let syntax = JSONPathError("invalid syntax")
        let scalars = Array(s.unicodeScalars)
        guard scalars.count >= 2, let quote = scalars.first, scalars.last == quote,
              quote == "\"" || quote == "'"
        else { return .failure(syntax) }
        let body = scalars[1..<(scalars.count - 1)]
        if !body.contains("\\"), !body.contains(quote) { return .success(string(body)) }
        var bytes: [UInt8] = []
        var i = body.startIndex
        func hexValue(_ c: Unicode.Scalar) -> UInt32? {
            switch c.value {
            case 0x30...0x39: return c.value - 0x30
            case 0x61...0x66: return c.value - 0x61 + 10
            case 0x41...0x46: return c.value - 0x41 + 10
            default: return nil
            }
        }
        func appendScalar(_ v: UInt32) -> Bool {
            guard let u = Unicode.Scalar(v) else { return false }
            bytes += Array(String(u).utf8)
            return true
        }
        while i < body.endIndex {
            let c = body[i]
            if c == quote { return .failure(syntax) }
            guard c == "\\" else {
                bytes += Array(String(c).utf8)
                i += 1
                continue
            }
            i += 1
            guard i < body.endIndex else { return .failure(syntax) }
            let e = body[i]
            i += 1
            switch e {
            case "a": bytes.append(0x07)
            case "b": bytes.append(0x08)
            case "f": bytes.append(0x0C)
            case "n": bytes.append(0x0A)
            case "r": bytes.append(0x0D)
            case "t": bytes.append(0x09)
            case "v": bytes.append(0x0B)
            case "\\": bytes.append(0x5C)
            case "'", "\"":
                guard e == quote else { return .failure(syntax) }
                bytes.append(UInt8(e.value))
            case "x", "u", "U":
                let n = e == "x" ? 2 : (e == "u" ? 4 : 8)
                guard body.endIndex - i >= n else { return .failure(syntax) }
                var v: UInt32 = 0
                for _ in 0..<n {
                    guard let h = hexValue(body[i]) else { return .failure(syntax) }
                    v = v << 4 | h
                    i += 1
                }
                if e == "x" {
                    bytes.append(UInt8(truncatingIfNeeded: v))
                } else if !appendScalar(v) {
                    return .failure(syntax)
                }
            case "0"..."7":
                guard body.endIndex - i >= 2 else { return .failure(syntax) }
                var v = e.value - 0x30
                for _ in 0..<2 {
                    let d = body[i].value
                    guard d >= 0x30, d <= 0x37 else { return .failure(syntax) }
                    v = v << 3 | (d - 0x30)
                    i += 1
                }
                guard v <= 255 else { return .failure(syntax) }
                bytes.append(UInt8(v))
            default:
                return .failure(syntax)
            }
        }
        // `\x80`-style bytes that form no UTF-8 become U+FFFD (Go would write them raw).
        return .success(String(decoding: bytes, as: UTF8.self))
    }
}
