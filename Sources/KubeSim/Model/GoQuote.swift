/// Go's `strconv.Quote`, the `%q` of every message kubesim words as upstream does: field
/// errors, label selector errors, duration and time parse errors, `kubectl describe`'s mount
/// paths.
extension GoValue {
    /// `strconv.Quote` (`appendQuotedWith` with `ASCIIonly` and `graphicOnly` false): `\` and
    /// `"` escaped, printable runes kept, the others as `\a`…`\v`, `\xHH` (other ASCII
    /// controls), `\uHHHH` or `\UHHHHHHHH`. (Go also writes invalid UTF-8 as `\xHH`; a Swift
    /// string holds none.)
    static func goQuote(_ s: String) -> String {
        var out = "\""
        for scalar in s.unicodeScalars {
            if scalar == "\"" || scalar == "\\" {
                out += "\\"
                out.unicodeScalars.append(scalar)
                continue
            }
            if isGoPrintable(scalar) {
                out.unicodeScalars.append(scalar)
                continue
            }
            switch scalar {
            case "\u{07}": out += "\\a"
            case "\u{08}": out += "\\b"
            case "\u{0C}": out += "\\f"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{0B}": out += "\\v"
            default:
                let v = scalar.value
                if v < 0x20 || v == 0x7F {
                    out += "\\x" + lowerHex(v, digits: 2)
                } else if v < 0x10000 {
                    out += "\\u" + lowerHex(v, digits: 4)
                } else {
                    out += "\\U" + lowerHex(v, digits: 8)
                }
            }
        }
        return out + "\""
    }

    /// `strconv.IsPrint` (as `unicode.IsPrint`): letters, marks, numbers, punctuation,
    /// symbols and the ASCII space; not U+00A0 or the other spaces.
    static func isGoPrintable(_ scalar: Unicode.Scalar) -> Bool {
        if scalar.value < 0x80 { return scalar.value >= 0x20 && scalar.value < 0x7F }
        switch scalar.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
             .nonspacingMark, .spacingMark, .enclosingMark,
             .decimalNumber, .letterNumber, .otherNumber,
             .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation,
             .initialPunctuation, .finalPunctuation, .otherPunctuation,
             .mathSymbol, .currencySymbol, .modifierSymbol, .otherSymbol:
            return true
        default:
            return false
        }
    }

    /// `value` in `digits` lower-case hex digits, zero-padded (Go's `lowerhex`).
    private static func lowerHex(_ value: UInt32, digits: Int) -> String {
        let text = String(value, radix: 16)
        return String(repeating: "0", count: max(0, digits - text.count)) + text
    }
}
