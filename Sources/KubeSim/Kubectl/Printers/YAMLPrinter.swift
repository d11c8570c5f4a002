/// `kubectl get -o yaml`: the object as `sigs.k8s.io/yaml` prints it.
///
/// kubectl marshals the object to JSON and calls `yaml.JSONToYAML`, which decodes the JSON with
/// go-yaml v2 into maps and re-encodes them. What that means for the text:
/// - mapping keys come out sorted by go-yaml's `keyList.Less` (letters after other characters,
///   runs of digits compared as numbers), whatever the stored order;
/// - 2-space indent, and a list under a key starts at the key's column (`- ` not indented);
/// - a string is plain unless it would read back as something else (`"true"`, `"123"`,
///   `"2024-01-01T00:00:00Z"`, `""`, `"null"`, `"1:20"`), which makes it double-quoted, or the
///   emitter cannot write it plain (leading `{`, `: `, ` #`, leading/trailing space), which makes
///   it single-quoted; text with a newline is a `|` literal block; characters outside the BMP
///   and control characters force double quotes with escapes;
/// - long plain and quoted strings are folded at a space once past column 80 (go-yaml v2's
///   default width, which kubectl does not change).
///
///     YAMLPrinter.yaml(["kind": "Pod", "metadata": ["name": "web", "labels": ["app": "web"]]])
///     // kind: Pod
///     // metadata:
///     //   labels:
///     //     app: web
///     //   name: web
public enum YAMLPrinter {
    public static func yaml(_ value: JSON) -> String {
        var emitter = YAMLEmitter()
        emitter.emitDocument(node(value))
        return String(decoding: emitter.out, as: UTF8.self)
    }

    /// The go-yaml v2 encoder's view of a JSON value (`encode.go` `marshal`).
    static func node(_ value: JSON) -> YAMLNode {
        switch value {
        case .null:
            return .scalar("null", .plain)
        case .bool(let b):
            return .scalar(b ? "true" : "false", .plain)
        case .int(let i):
            return .scalar(String(i), .plain)
        case .double(let d):
            return .scalar(number(d), .plain)
        case .string(let s):
            return .scalar(s, stringStyle(s))
        case .array(let items):
            return .sequence(items.map(node))
        case .object(let members):
            let keys = members.keys.sorted(by: keyLess)
            return .mapping(keys.map { key in (key: .scalar(key, stringStyle(key)), value: node(members[key] ?? .null)) })
        }
    }

    /// `encoder.stringv`: a literal block for text with a newline; plain if the text would
    /// resolve back to a string; double-quoted otherwise.
    static func stringStyle(_ s: String) -> YAMLNode.Style {
        if s.utf8.contains(0x0A) { return .literal }
        return YAMLResolve.isPlainString(s) ? .plain : .doubleQuoted
    }

    /// How a JSON number reaches go-yaml: `json.Marshal` writes whole floats without a fraction,
    /// so they read back (and print) as integers; other floats print with Go's `%g`-style
    /// shortest formatting (`strconv.FormatFloat(f, 'g', -1, 64)`).
    static func number(_ d: Double) -> String {
        if d.isNaN { return ".nan" }
        if d.isInfinite { return d > 0 ? ".inf" : "-.inf" }
        if d.rounded() == d {
            if d >= -9.223_372_036_854_775_808e18 && d < 9.223_372_036_854_775_808e18 { return String(Int64(d)) }
            if d > 0 && d < 1.844_674_407_370_955_161_6e19 { return String(UInt64(d)) }
        }
        return goFormatG(d)
    }

    /// `strconv.FormatFloat(d, 'g', -1, 64)`: shortest digits; `%e` form when the exponent is
    /// below -4 or at least 6 (Go's fixed `eprec` for shortest output), else `%f` form.
    static func goFormatG(_ d: Double) -> String {
        // Swift's description also prints the shortest round-tripping digits.
        let text = "\(abs(d))"
        let parts = text.split(separator: "e", maxSplits: 1)
        let mantissa = parts.first.map(String.init) ?? text
        let exponent = parts.count > 1 ? Int(parts[1]) ?? 0 : 0
        let intPart = mantissa.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
        var digits = Array(mantissa.filter { $0 != "." })
        var dp = intPart.count + exponent  // value = 0.digits × 10^dp
        while let first = digits.first, first == "0", digits.count > 1 {
            digits.removeFirst()
            dp -= 1
        }
        while let last = digits.last, last == "0", digits.count > 1 { digits.removeLast() }
        if digits == ["0"] { return d.sign == .minus ? "-0" : "0" }

        var out = d.sign == .minus ? "-" : ""
        let exp = dp - 1
        if exp < -4 || exp >= 6 {
            out.append(digits[0])
            if digits.count > 1 { out += "." + String(digits[1...]) }
            out += exp < 0 ? "e-" : "e+"
            let magnitude = abs(exp)
            out += magnitude < 10 ? "0\(magnitude)" : "\(magnitude)"
            return out
        }
        if dp > 0 {
            for i in 0..<dp { out.append(i < digits.count ? digits[i] : "0") }
        } else {
            out += "0"
        }
        let fraction = max(digits.count - dp, 0)
        if fraction > 0 {
            out += "."
            for i in 1...fraction {
                let j = dp + i - 1
                out.append(j >= 0 && j < digits.count ? digits[j] : "0")
            }
        }
        return out
    }

    /// go-yaml v2's `keyList.Less` for string keys: rune by rune; a letter sorts after a
    /// non-letter; where digits meet, the whole digit runs compare as numbers.
    static func keyLess(_ a: String, _ b: String) -> Bool {
        let ar = Array(a.unicodeScalars)
        let br = Array(b.unicodeScalars)
        var i = 0
        while i < ar.count && i < br.count {
            if ar[i] == br[i] {
                i += 1
                continue
            }
            let al = isLetter(ar[i])
            let bl = isLetter(br[i])
            if al && bl { return ar[i].value < br[i].value }
            if al || bl { return bl }
            var an: Int64 = 0
            var bn: Int64 = 0
            if ar[i] == "0" || br[i] == "0" {
                var j = i - 1
                while j >= 0 && isDigit(ar[j]) {
                    if ar[j] != "0" {
                        an = 1
                        bn = 1
                        break
                    }
                    j -= 1
                }
            }
            var ai = i
            while ai < ar.count && isDigit(ar[ai]) {
                an = an &* 10 &+ (Int64(ar[ai].value) &- 48)
                ai += 1
            }
            var bi = i
            while bi < br.count && isDigit(br[bi]) {
                bn = bn &* 10 &+ (Int64(br[bi].value) &- 48)
                bi += 1
            }
            if an != bn { return an < bn }
            if ai != bi { return ai < bi }
            return ar[i].value < br[i].value
        }
        return ar.count < br.count
    }

    /// Go's `unicode.IsLetter` (general category L).
    static func isLetter(_ c: Unicode.Scalar) -> Bool {
        switch c.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter: return true
        default: return false
        }
    }

    /// Go's `unicode.IsDigit` (general category Nd).
    static func isDigit(_ c: Unicode.Scalar) -> Bool { c.properties.generalCategory == .decimalNumber }
}
