/// How Go prints the values of an unstructured object (`map[string]interface{}`,
/// `[]interface{}`, `string`, `int64`, `float64`, `bool`, nil): what kubectl's JSONPath and
/// custom-columns printers write through `fmt` and `encoding/json`.
///
/// - `plain`: `fmt.Sprint` (`%v`): `map[a:1 b:x]`, `[1 2]`, floats as `%g` with the shortest
///   digits (`1e+06`), nil as `<nil>`.
/// - `goSyntax`: `fmt.Sprintf("%#v", …)`: `map[string]interface {}{"a":1}`,
///   `[]interface {}{"x"}`, strings as `strconv.Quote` writes them, nil as
///   `interface {}(nil)`.
/// - `json`: `json.Marshal` / `json.MarshalIndent(v, "", "    ")`: map keys sorted, `<`, `>`
///   and `&` escaped as `\u003c`…, floats in `'f'` form unless very large or small.
///
/// Maps print with their keys in byte order, as Go sorts them (`fmt` since Go 1.12, and
/// `encoding/json` always). Recursion is bounded (`maxDepth`): stored objects are far
/// shallower, and a deeper value prints `…` past the bound rather than exhausting the stack.
enum GoFormat {
    static let maxDepth = 512

    // MARK: fmt %v

    /// `fmt.Sprint(v)` of a value held in an `interface{}` (nil prints `<nil>`).
    static func plain(_ v: JSON) -> String {
        var out = ""
        writePlain(v, to: &out, depth: 0)
        return out
    }

    private static func writePlain(_ v: JSON, to out: inout String, depth: Int) {
        guard depth < maxDepth else { out += "…"; return }
        switch v {
        case .null: out += "<nil>"
        case .bool(let b): out += b ? "true" : "false"
        case .int(let i): out += String(i)
        case .double(let d): out += formatFloatV(d)
        case .string(let s): out += s
        case .array(let a):
            out += "["
            for (i, e) in a.enumerated() {
                if i > 0 { out += " " }
                writePlain(e, to: &out, depth: depth + 1)
            }
            out += "]"
        case .object(let o):
            out += "map["
            for (i, k) in sortedKeys(o).enumerated() {
                if i > 0 { out += " " }
                out += k
                out += ":"
                writePlain(o[k] ?? .null, to: &out, depth: depth + 1)
            }
            out += "]"
        }
    }

    // MARK: fmt %#v

    /// `fmt.Sprintf("%#v", v)` of a value held in an `interface{}`.
    static func goSyntax(_ v: JSON) -> String {
        var out = ""
        writeGoSyntax(v, to: &out, depth: 0)
        return out
    }

    private static func writeGoSyntax(_ v: JSON, to out: inout String, depth: Int) {
        guard depth < maxDepth else { out += "…"; return }
        switch v {
        case .null: out += "interface {}(nil)"
        case .bool(let b): out += b ? "true" : "false"
        case .int(let i): out += String(i)
        case .double(let d): out += formatFloatV(d)
        case .string(let s): out += GoValue.goQuote(s)
        case .array(let a):
            out += "[]interface {}{"
            for (i, e) in a.enumerated() {
                if i > 0 { out += ", " }
                writeGoSyntax(e, to: &out, depth: depth + 1)
            }
            out += "}"
        case .object(let o):
            out += "map[string]interface {}{"
            for (i, k) in sortedKeys(o).enumerated() {
                if i > 0 { out += ", " }
                out += GoValue.goQuote(k)
                out += ":"
                writeGoSyntax(o[k] ?? .null, to: &out, depth: depth + 1)
            }
            out += "}"
        }
    }

    // MARK: encoding/json

    /// `json.Marshal(v)`, or with `indent` `json.MarshalIndent(v, "", indent)`.
    static func json(_ v: JSON, indent: String? = nil) -> String {
        var out: [UInt8] = []
        writeJSON(v, to: &out, indent: indent, level: 0)
        return String(decoding: out, as: UTF8.self)
    }

    private static func writeJSON(_ v: JSON, to out: inout [UInt8], indent: String?, level: Int) {
        guard level < maxDepth else { out += Array("null".utf8); return }
        func newline(_ level: Int) {
            guard let indent else { return }
            out.append(0x0A)
            for _ in 0..<level { out += Array(indent.utf8) }
        }
        switch v {
        case .null: out += Array("null".utf8)
        case .bool(let b): out += Array((b ? "true" : "false").utf8)
        case .int(let i): out += Array(String(i).utf8)
        case .double(let d): out += Array(formatFloatJSON(d).utf8)
        case .string(let s): writeJSONString(s, to: &out)
        case .array(let a):
            out.append(UInt8(ascii: "["))
            for (i, e) in a.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                newline(level + 1)
                writeJSON(e, to: &out, indent: indent, level: level + 1)
            }
            if !a.isEmpty { newline(level) }
            out.append(UInt8(ascii: "]"))
        case .object(let o):
            out.append(UInt8(ascii: "{"))
            let keys = sortedKeys(o)
            for (i, k) in keys.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                newline(level + 1)
                writeJSONString(k, to: &out)
                out.append(UInt8(ascii: ":"))
                if indent != nil { out.append(UInt8(ascii: " ")) }
                writeJSON(o[k] ?? .null, to: &out, indent: indent, level: level + 1)
            }
            if !keys.isEmpty { newline(level) }
            out.append(UInt8(ascii: "}"))
        }
    }

    /// A string as `encoding/json` writes it with HTML escaping on (`json.Marshal`'s default).
    static func writeJSONString(_ s: String, to out: inout [UInt8]) {
        JSON.writeHTMLSafeString(s, to: &out)
    }

    // MARK: strconv

    static func hexDigits(_ value: UInt32, width: Int, uppercase: Bool = false) -> String {
        let digits = String(value, radix: 16, uppercase: uppercase)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }

    private static func sortedKeys(_ o: JSONObject) -> [String] {
        o.keys.sorted { $0.utf8Precedes($1) }
    }

    // MARK: Floats

    /// The shortest decimal digits that read back as `d` (Go's `decimalSlice`: the value is
    /// `0.d₁d₂… × 10^dp`; no digits for zero).
    struct Digits {
        var negative = false
        var digits: [UInt8] = []  // ASCII
        var dp = 0
        var nd: Int { digits.count }
    }

    /// Swift's `description` of a finite Double carries the shortest round-tripping digits, as
    /// Go's `strconv` finds them; they are read back out of it here.
    static func shortestDigits(_ d: Double) -> Digits {
        var result = Digits()
        result.negative = d.sign == .minus
        let text = Array(d.magnitude.description.utf8)
        var mantissa: [UInt8] = []
        var pointAt: Int?
        var exponent = 0
        var i = 0
        while i < text.count {
            let c = text[i]
            if c == UInt8(ascii: ".") {
                pointAt = mantissa.count
            } else if c == UInt8(ascii: "e") || c == UInt8(ascii: "E") {
                exponent = Int(String(decoding: text[(i + 1)...], as: UTF8.self)) ?? 0
                break
            } else if c >= UInt8(ascii: "0"), c <= UInt8(ascii: "9") {
                mantissa.append(c)
            }
            i += 1
        }
        var dp = (pointAt ?? mantissa.count) + exponent
        var start = 0
        while start < mantissa.count, mantissa[start] == UInt8(ascii: "0") {
            start += 1
            dp -= 1
        }
        var end = mantissa.count
        while end > start, mantissa[end - 1] == UInt8(ascii: "0") { end -= 1 }
        if start == end { return Digits(negative: result.negative, digits: [], dp: 0) }
        result.digits = Array(mantissa[start..<end])
        result.dp = dp
        return result
    }

    /// `%v` of a float64: `strconv.FormatFloat(d, 'g', -1, 64)`.
    static func formatFloatV(_ d: Double) -> String {
        if d.isNaN { return "NaN" }
        if d.isInfinite { return d < 0 ? "-Inf" : "+Inf" }
        let digs = shortestDigits(d)
        let exp = digs.dp - 1
        if exp < -4 || exp >= 6 {
            return fmtE(digs, prec: digs.nd - 1)
        }
        return fmtF(digs, prec: max(digs.nd - digs.dp, 0))
    }

    /// A float64 as `encoding/json` writes it: `'f'` form, `'e'` below 1e-6 or from 1e21
    /// (with `e-07` shortened to `e-7`).
    static func formatFloatJSON(_ d: Double) -> String {
        guard d.isFinite else { return "null" }
        let digs = shortestDigits(d)
        let magnitude = d.magnitude
        if magnitude != 0, magnitude < 1e-6 || magnitude >= 1e21 {
            var s = Array(fmtE(digs, prec: digs.nd - 1).utf8)
            let n = s.count
            if n >= 4, s[n - 4] == UInt8(ascii: "e"), s[n - 3] == UInt8(ascii: "-"), s[n - 2] == UInt8(ascii: "0") {
                s[n - 2] = s[n - 1]
                s.removeLast()
            }
            return String(decoding: s, as: UTF8.self)
        }
        return fmtF(digs, prec: max(digs.nd - digs.dp, 0))
    }

    /// Go's `fmtE`: `-d.ddde±dd`.
    private static func fmtE(_ d: Digits, prec: Int) -> String {
        var out: [UInt8] = []
        if d.negative { out.append(UInt8(ascii: "-")) }
        out.append(d.nd != 0 ? d.digits[0] : UInt8(ascii: "0"))
        if prec > 0 {
            out.append(UInt8(ascii: "."))
            var i = 1
            let m = min(d.nd, prec + 1)
            if i < m {
                out += d.digits[i..<m]
                i = m
            }
            while i <= prec {
                out.append(UInt8(ascii: "0"))
                i += 1
            }
        }
        out.append(UInt8(ascii: "e"))
        var exp = d.dp - 1
        if d.nd == 0 { exp = 0 }
        if exp < 0 {
            out.append(UInt8(ascii: "-"))
            exp = -exp
        } else {
            out.append(UInt8(ascii: "+"))
        }
        if exp < 10 {
            out.append(UInt8(ascii: "0"))
        }
        out += Array(String(exp).utf8)
        return String(decoding: out, as: UTF8.self)
    }

    /// Go's `fmtF`: `-ddd.ddd` with `prec` digits after the point.
    private static func fmtF(_ d: Digits, prec: Int) -> String {
        var out: [UInt8] = []
        if d.negative { out.append(UInt8(ascii: "-")) }
        if d.dp > 0 {
            let m = min(d.nd, d.dp)
            out += d.digits[0..<m]
            if m < d.dp { out += Array(repeating: UInt8(ascii: "0"), count: d.dp - m) }
        } else {
            out.append(UInt8(ascii: "0"))
        }
        if prec > 0 {
            out.append(UInt8(ascii: "."))
            for i in 1...prec {
                let j = d.dp + i - 1
                out.append(j >= 0 && j < d.nd ? d.digits[j] : UInt8(ascii: "0"))
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}
