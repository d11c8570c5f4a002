extension JSON {
    /// Compact JSON text, members in stored order (what the C interface returns).
    public func serialized() -> String {
        var out = ""
        out.reserveCapacity(256)
        write(to: &out, sortKeys: false)
        return out
    }

    /// Compact JSON with object keys sorted by their UTF-8 bytes: a canonical form for hashing
    /// and for comparing objects regardless of member order.
    public func canonical() -> String {
        var out = ""
        write(to: &out, sortKeys: true)
        return out
    }

    /// Indented JSON as `kubectl get -o json` prints it (4 spaces, `"key": value`).
    public func prettyPrinted(indentWidth: Int = 4) -> String {
        var out = ""
        writePretty(to: &out, indent: 0, width: indentWidth)
        return out
    }

    func write(to out: inout String, sortKeys: Bool) {
        switch self {
        case .null: out += "null"
        case .bool(let b): out += b ? "true" : "false"
        case .int(let i): out += String(i)
        case .double(let d): out += JSON.formatDouble(d)
        case .string(let s): JSON.writeString(s, to: &out)
        case .array(let a):
            out += "["
            for (i, e) in a.enumerated() {
                if i > 0 { out += "," }
                e.write(to: &out, sortKeys: sortKeys)
            }
            out += "]"
        case .object(let o):
            out += "{"
            if sortKeys {
                for (i, k) in o.keys.sorted(by: JSON.utf8Less).enumerated() {
                    if i > 0 { out += "," }
                    JSON.writeString(k, to: &out)
                    out += ":"
                    (o[k] ?? .null).write(to: &out, sortKeys: true)
                }
            } else {
                var first = true
                for (k, v) in o {
                    if !first { out += "," }
                    first = false
                    JSON.writeString(k, to: &out)
                    out += ":"
                    v.write(to: &out, sortKeys: false)
                }
            }
            out += "}"
        }
    }

    private func writePretty(to out: inout String, indent: Int, width: Int) {
        switch self {
        case .array(let a) where !a.isEmpty:
            out += "[\n"
            for (i, e) in a.enumerated() {
                out += String(repeating: " ", count: indent + width)
                e.writePretty(to: &out, indent: indent + width, width: width)
                out += i + 1 < a.count ? ",\n" : "\n"
            }
            out += String(repeating: " ", count: indent) + "]"
        case .object(let o) where !o.isEmpty:
            out += "{\n"
            for (i, (k, v)) in o.enumerated() {
                out += String(repeating: " ", count: indent + width)
                JSON.writeString(k, to: &out)
                out += ": "
                v.writePretty(to: &out, indent: indent + width, width: width)
                out += i + 1 < o.count ? ",\n" : "\n"
            }
            out += String(repeating: " ", count: indent) + "}"
        default:
            write(to: &out, sortKeys: false)
        }
    }

    static func utf8Less(_ a: String, _ b: String) -> Bool {
        a.utf8.lexicographicallyPrecedes(b.utf8)
    }

    /// Shortest round-tripping form; whole numbers print without a fraction, as Go does.
    static func formatDouble(_ d: Double) -> String {
        guard d.isFinite else { return "null" }
        if d.rounded() == d, abs(d) < 1e21 {
            if abs(d) < 9.0e15 { return String(Int(d)) }
        }
        return "\(d)"
    }

    static func writeString(_ s: String, to out: inout String) {
        out += "\""
        var needsEscape = false
        for b in s.utf8 where b < 0x20 || b == 0x22 || b == 0x5c {
            needsEscape = true
            break
        }
        if !needsEscape {
            out += s
        } else {
            for scalar in s.unicodeScalars {
                switch scalar {
                case "\"": out += "\\\""
                case "\\": out += "\\\\"
                case "\n": out += "\\n"
                case "\r": out += "\\r"
                case "\t": out += "\\t"
                case "\u{08}": out += "\\b"
                case "\u{0C}": out += "\\f"
                default:
                    if scalar.value < 0x20 {
                        let hex = String(scalar.value, radix: 16)
                        out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                    } else {
                        out.unicodeScalars.append(scalar)
                    }
                }
            }
        }
        out += "\""
    }
}
