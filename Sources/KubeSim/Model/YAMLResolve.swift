/// go-yaml v2's implicit typing (`resolve.go`), both ways: what a plain scalar read from a
/// manifest becomes in JSON (as sigs.k8s.io/yaml converts it), and, for the printer, whether a
/// string can be written plain: only if reading it back plain would give the same string, not
/// a bool, null, number or timestamp, and it does not look like a YAML 1.1 base-60 float
/// (`encode.go` `isBase60Float`).
enum YAMLResolve {
    static func isPlainString(_ s: String) -> Bool {
        !resolvesToNonString(s) && !isBase60Float(s)
    }

    /// The JSON value of a plain scalar: a null, a bool, an integer in Go's base-0 syntax (`_`
    /// dropped; past `Int64.max` the nearest double), or a decimal float; anything else is a
    /// string. Infinities and NaN (`.inf`, `.nan`) stay strings, as JSON cannot hold them, and
    /// so do timestamps, which go-yaml gives back as their text when decoding into JSON.
    static func value(ofPlain s: String) -> JSON {
        // Most scalars are names and words, told apart from numbers by their first byte:
        // only numbers are copied out as bytes.
        guard let first = s.utf8.first else { return .null }
        switch first {
        case 0x30...0x39, 0x2B, 0x2D:  // digit, sign
            let bytes = Array(s.utf8)
            let plain = bytes.contains(0x5F) ? bytes.filter { $0 != 0x5F } : bytes
            if let (magnitude, negative) = goInt(plain, base: 0) {
                if let i = int(magnitude, negative: negative) { return .int(i) }
                // go-yaml keeps an unsigned 64-bit integer; JSON here has none, so the nearest double.
                if !negative { return .double(Double(magnitude)) }
            }
            if isGoFloat(plain), let d = Double(String(decoding: plain, as: UTF8.self)) { return .double(d) }
            // go-yaml's own binary form, whose digits may carry a sign: `0b-1` is -1.
            if plain.starts(with: [0x30, 0x62]), let (magnitude, negative) = goInt(Array(plain.dropFirst(2)), base: 2),
               let i = int(magnitude, negative: negative)
            {
                return .int(i)
            }
            return .string(s)
        case 0x2E:  // .
            let bytes = Array(s.utf8)
            guard underscoresOK(bytes) else { return .string(s) }
            let plain = bytes.filter { $0 != 0x5F }
            if isGoFloat(plain), let d = Double(String(decoding: plain, as: UTF8.self)) { return .double(d) }
            return .string(s)
        case 0x79, 0x59, 0x6E, 0x4E, 0x74, 0x54, 0x66, 0x46, 0x6F, 0x4F, 0x7E:  // yYnNtTfFoO~
            // No word below is longer than five bytes (`nginx:1.15` and `template` start as
            // words do).
            guard s.utf8.count <= 5 else { return .string(s) }
            switch s {
            case "~", "null", "Null", "NULL": return .null
            case "true", "True", "TRUE", "yes", "Yes", "YES", "on", "On", "ON", "y", "Y": return .bool(true)
            case "false", "False", "FALSE", "no", "No", "NO", "off", "Off", "OFF", "n", "N": return .bool(false)
            default: return .string(s)
            }
        default:
            return .string(s)
        }
    }

    /// YAML 1.1 words go-yaml reads as bool, null, .inf or .nan.
    static let words: Set<String> = [
        "y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON",
        "n", "N", "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF",
        "", "~", "null", "Null", "NULL",
        ".nan", ".NaN", ".NAN", ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF", "-.inf", "-.Inf", "-.INF",
    ]

    /// `resolve("", s)` returning a tag other than `!!str`: what `value(ofPlain:)` reads as
    /// something else, and the words and timestamps it keeps as text only because JSON has no
    /// infinities and go-yaml gives timestamps back as strings.
    static func resolvesToNonString(_ s: String) -> Bool {
        if words.contains(s) || isTimestamp(Array(s.utf8)) { return true }
        if case .string = value(ofPlain: s) { return false }
        return true
    }

    /// The magnitude and sign of integer text as Go's `strconv.ParseInt(s, base, 64)` reads it,
    /// if it fits 64 bits. Base 0 reads prefixes: `0x`, `0o`, `0b`, a bare leading `0` for octal.
    static func goInt(_ s: [UInt8], base: Int) -> (magnitude: UInt64, negative: Bool)? {
        var digits = s[...]
        var negative = false
        if let first = digits.first, first == 0x2B || first == 0x2D {
            negative = first == 0x2D
            digits = digits.dropFirst()
        }
        guard !digits.isEmpty else { return nil }
        var radix = base == 0 ? 10 : base
        if base == 0, digits.first == 0x30 {
            let second = digits.count >= 3 ? digits[digits.startIndex + 1] | 0x20 : 0
            switch second {
            case 0x62: radix = 2; digits = digits.dropFirst(2)
            case 0x6F: radix = 8; digits = digits.dropFirst(2)
            case 0x78: radix = 16; digits = digits.dropFirst(2)
            default: radix = 8; digits = digits.dropFirst(1)
            }
        }
        var value: UInt64 = 0
        for c in digits {
            let d: Int
            switch c {
            case 0x30...0x39: d = Int(c - 0x30)
            case 0x61...0x7A: d = Int(c - 0x61) + 10
            case 0x41...0x5A: d = Int(c - 0x41) + 10
            default: return nil
            }
            guard d < radix else { return nil }
            let (m, o1) = value.multipliedReportingOverflow(by: UInt64(radix))
            let (a, o2) = m.addingReportingOverflow(UInt64(d))
            if o1 || o2 { return nil }
            value = a
        }
        return (value, negative)
    }

    /// The Int of a magnitude and sign, if it fits.
    private static func int(_ magnitude: UInt64, negative: Bool) -> Int? {
        if negative { return magnitude <= UInt64(Int64.max) + 1 ? Int(truncatingIfNeeded: 0 &- magnitude) : nil }
        return magnitude <= UInt64(Int64.max) ? Int(magnitude) : nil
    }

    /// `^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$`
    static func isYAMLStyleFloat(_ s: [UInt8]) -> Bool {
        var i = 0
        func digits() -> Int {
            let start = i
            while i < s.count, s[i] >= 0x30, s[i] <= 0x39 { i += 1 }
            return i - start
        }
        if i < s.count, s[i] == 0x2B || s[i] == 0x2D { i += 1 }
        if i < s.count, s[i] == 0x2E {
            i += 1
            guard digits() > 0 else { return false }
        } else {
            guard digits() > 0 else { return false }
            if i < s.count, s[i] == 0x2E {
                i += 1
                _ = digits()
            }
        }
        if i < s.count, s[i] == 0x65 || s[i] == 0x45 {
            i += 1
            if i < s.count, s[i] == 0x2B || s[i] == 0x2D { i += 1 }
            guard digits() > 0 else { return false }
        }
        return i == s.count
    }

    /// strconv's `underscoreOK` for base-10 text: every `_` sits between two digits (a sign
    /// may lead).
    static func underscoresOK(_ s: [UInt8]) -> Bool {
        var body = s[...]
        if let first = body.first, first == 0x2B || first == 0x2D { body = body.dropFirst() }
        var saw: UInt8 = 0x5E  // ^ start, 0 digit, _ underscore, ! other
        for c in body {
            if c >= 0x30 && c <= 0x39 {
                saw = 0x30
            } else if c == 0x5F {
                if saw != 0x30 { return false }
                saw = 0x5F
            } else {
                if saw == 0x5F { return false }
                saw = 0x21
            }
        }
        return saw != 0x5F
    }

    /// `strconv.ParseFloat(s, 64)` succeeding for decimal text: well-formed and finite (an
    /// overflow is `ErrRange`).
    static func isGoFloat(_ s: [UInt8]) -> Bool {
        guard isYAMLStyleFloat(s), let d = Double(String(decoding: s, as: UTF8.self)) else { return false }
        return d.isFinite
    }

    /// `isBase60Float`: `^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$`, e.g. `1:20`.
    static func isBase60Float(_ s: String) -> Bool {
        let b = Array(s.utf8)
        guard let first = b.first, first == 0x2B || first == 0x2D || (first >= 0x30 && first <= 0x39),
            b.contains(0x3A)
        else { return false }
        func isDigit(_ c: UInt8) -> Bool { c >= 0x30 && c <= 0x39 }
        var i = 0
        if b[i] == 0x2B || b[i] == 0x2D { i += 1 }
        guard i < b.count, isDigit(b[i]) else { return false }
        i += 1
        while i < b.count, isDigit(b[i]) || b[i] == 0x5F { i += 1 }
        var groups = 0
        while i < b.count, b[i] == 0x3A {
            i += 1
            // [0-5]?[0-9]
            if i + 1 < b.count, b[i] >= 0x30, b[i] <= 0x35, isDigit(b[i + 1]) {
                i += 2
            } else if i < b.count, isDigit(b[i]) {
                i += 1
            } else {
                return false
            }
            groups += 1
        }
        guard groups > 0 else { return false }
        if i < b.count, b[i] == 0x2E {
            i += 1
            while i < b.count, isDigit(b[i]) || b[i] == 0x5F { i += 1 }
        }
        return i == b.count
    }

    /// go-yaml's `parseTimestamp`: `YYYY-M-D`, optionally followed by `T`/`t` + `h:m:s[.frac]`
    /// + `Z` or `±hh:mm`, or by a space + `h:m:s[.frac]` (Go `time.Parse` with the layouts
    /// `2006-1-2T15:4:5.999999999Z07:00`, `2006-1-2t…`, `2006-1-2 15:4:5.999999999`, `2006-1-2`).
    static func isTimestamp(_ b: [UInt8]) -> Bool {
        func isDigit(_ i: Int) -> Bool { i < b.count && b[i] >= 0x30 && b[i] <= 0x39 }
        /// One or two digits, as Go's `getnum(s, false)`.
        func number(_ i: inout Int) -> Int? {
            guard isDigit(i) else { return nil }
            var v = Int(b[i] - 0x30)
            i += 1
            if isDigit(i) {
                v = v * 10 + Int(b[i] - 0x30)
                i += 1
            }
            return v
        }
        guard b.count >= 5, (0..<4).allSatisfy(isDigit), b[4] == 0x2D else { return false }
        let year = (0..<4).reduce(0) { $0 * 10 + Int(b[$1] - 0x30) }
        var i = 5
        guard let month = number(&i), (1...12).contains(month), i < b.count, b[i] == 0x2D else { return false }
        i += 1
        guard let day = number(&i), day >= 1, day <= daysIn(month: month, year: year) else { return false }
        if i == b.count { return true }  // 2006-1-2
        let separator = b[i]
        guard separator == 0x54 || separator == 0x74 || separator == 0x20 else { return false }
        i += 1
        guard let hour = number(&i), hour < 24, i < b.count, b[i] == 0x3A else { return false }
        i += 1
        guard let minute = number(&i), minute < 60, i < b.count, b[i] == 0x3A else { return false }
        i += 1
        guard let second = number(&i), second < 60 else { return false }
        if i + 1 < b.count, b[i] == 0x2E || b[i] == 0x2C, isDigit(i + 1) {
            i += 1
            while isDigit(i) { i += 1 }
        }
        if separator == 0x20 { return i == b.count }
        // Z07:00
        guard i < b.count else { return false }
        if b[i] == 0x5A { return i + 1 == b.count }
        guard b.count - i == 6, b[i] == 0x2B || b[i] == 0x2D, isDigit(i + 1), isDigit(i + 2), b[i + 3] == 0x3A,
            isDigit(i + 4), isDigit(i + 5)
        else { return false }
        let offsetHours = Int(b[i + 1] - 0x30) * 10 + Int(b[i + 2] - 0x30)
        let offsetMinutes = Int(b[i + 4] - 0x30) * 10 + Int(b[i + 5] - 0x30)
        return offsetHours <= 24 && offsetMinutes <= 60
    }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }
}
