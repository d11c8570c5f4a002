extension JSON {
    /// Compact JSON text, members in stored order (what the C interface returns).
    public func serialized() -> String {
        String(decoding: utf8Text(sortKeys: false), as: UTF8.self)
    }

    /// Compact JSON with object keys sorted by their UTF-8 bytes: a canonical form for hashing
    /// and for comparing objects regardless of member order.
    public func canonical() -> String {
        String(decoding: utf8Text(sortKeys: true), as: UTF8.self)
    }

    /// The UTF-8 bytes of `serialized()` or `canonical()`. Text is built as bytes and made a
    /// String once: appending piece by piece to a String costs several times more.
    func utf8Text(sortKeys: Bool) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(512)
        write(to: &out, sortKeys: sortKeys)
        return out
    }

    /// Indented JSON as `kubectl get -o json` prints it (`json.MarshalIndent`: 4 spaces,
    /// `"key": value`, `<`, `>`, `&`, U+2028 and U+2029 escaped as `\u003c` and so on).
    public func prettyPrinted(indentWidth: Int = 4) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(1024)
        writePretty(to: &out, indent: 0, width: indentWidth)
        return String(decoding: out, as: UTF8.self)
    }

    func write(to out: inout [UInt8], sortKeys: Bool) {
        switch self {
        case .null: JSON.append("null", to: &out)
        case .bool(let b): JSON.append(b ? "true" : "false", to: &out)
        case .int(let i): JSON.writeInt(i, to: &out)
        case .double(let d): JSON.append(JSON.formatDouble(d), to: &out)
        case .string(let s): JSON.writeString(s, to: &out)
        case .array(let a):
            out.append(UInt8(ascii: "["))
            for (i, e) in a.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                e.write(to: &out, sortKeys: sortKeys)
            }
            out.append(UInt8(ascii: "]"))
        case .object(let o):
            out.append(UInt8(ascii: "{"))
            // Manifests mostly list keys in order already (`apiVersion`, `kind`, `metadata`,
            // `spec`): those are written as they lie, without sorting a list of positions.
            if sortKeys, !o.keysAreInUTF8Order {
                let order = o.indices.sorted { o.members[$0].key.utf8Precedes(o.members[$1].key) }
                for (i, m) in order.enumerated() {
                    if i > 0 { out.append(UInt8(ascii: ",")) }
                    JSON.writeString(o.members[m].key, to: &out)
                    out.append(UInt8(ascii: ":"))
                    o.members[m].value.write(to: &out, sortKeys: true)
                }
            } else {
                for (i, m) in o.members.enumerated() {
                    if i > 0 { out.append(UInt8(ascii: ",")) }
                    JSON.writeString(m.key, to: &out)
                    out.append(UInt8(ascii: ":"))
                    m.value.write(to: &out, sortKeys: sortKeys)
                }
            }
            out.append(UInt8(ascii: "}"))
        }
    }

    private func writePretty(to out: inout [UInt8], indent: Int, width: Int) {
        switch self {
        case .array(let a) where !a.isEmpty:
            JSON.append("[\n", to: &out)
            for (i, e) in a.enumerated() {
                out.append(contentsOf: repeatElement(UInt8(ascii: " "), count: indent + width))
                e.writePretty(to: &out, indent: indent + width, width: width)
                JSON.append(i + 1 < a.count ? ",\n" : "\n", to: &out)
            }
            out.append(contentsOf: repeatElement(UInt8(ascii: " "), count: indent))
            out.append(UInt8(ascii: "]"))
        case .object(let o) where !o.isEmpty:
            JSON.append("{\n", to: &out)
            for (i, (k, v)) in o.enumerated() {
                out.append(contentsOf: repeatElement(UInt8(ascii: " "), count: indent + width))
                JSON.writeHTMLSafeString(k, to: &out)
                JSON.append(": ", to: &out)
                v.writePretty(to: &out, indent: indent + width, width: width)
                JSON.append(i + 1 < o.count ? ",\n" : "\n", to: &out)
            }
            out.append(contentsOf: repeatElement(UInt8(ascii: " "), count: indent))
            out.append(UInt8(ascii: "}"))
        case .string(let s):
            JSON.writeHTMLSafeString(s, to: &out)
        default:
            write(to: &out, sortKeys: false)
        }
    }

    /// Byte order of the UTF-8 forms, as Go sorts map keys when it marshals them.
    static func utf8Less(_ a: String, _ b: String) -> Bool {
        a.utf8Precedes(b)
    }

    /// Shortest round-tripping form; whole numbers print without a fraction, as Go does.
    static func formatDouble(_ d: Double) -> String {
        guard d.isFinite else { return "null" }
        if d.rounded() == d, abs(d) < 1e21 {
            if abs(d) < 9.0e15 { return String(Int(d)) }
        }
        return "\(d)"
    }

    /// `value` in decimal, as `String(value)` writes it, without making the string.
    static func writeInt(_ value: Int, to out: inout [UInt8]) {
        if value < 0 { out.append(UInt8(ascii: "-")) }
        let start = out.count
        var rest = value.magnitude
        repeat {
            out.append(UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: rest % 10))
            rest /= 10
        } while rest > 0
        out[start...].reverse()
    }

    @inline(__always)
    private static func append(_ s: String, to out: inout [UInt8]) {
        s.withUTF8Bytes { out.append(contentsOf: $0) }
    }

    /// A JSON string literal: `"`, `\` and control characters escaped as Go's encoder
    /// escapes them (`\n`, `\r`, `\t`, `\b`, `\f`, else `\u00XX`); other bytes, including
    /// all of non-ASCII UTF-8, are copied as they are.
    static func writeString(_ s: String, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        s.withUTF8Bytes { bytes in
            guard bytes.contains(where: { $0 < 0x20 || $0 == 0x22 || $0 == 0x5C }) else {
                out.append(contentsOf: bytes)
                return
            }
            for b in bytes { writeEscaped(b, to: &out) }
        }
        out.append(UInt8(ascii: "\""))
    }

    /// `writeString` as `json.Marshal` writes for kubectl's `-o json`: also `<`, `>`, `&` as
    /// `\u003c`, `\u003e`, `\u0026`, and U+2028, U+2029 as `\u2028`, `\u2029`. (Its own
    /// function: the stored and hashed forms, on the simulation's path, escape less.)
    /// `shortControlEscapes` false writes backspace and form feed as Go before 1.22 did.
    static func writeHTMLSafeString(_ s: String, to out: inout [UInt8], shortControlEscapes: Bool = true) {
        out.append(UInt8(ascii: "\""))
        s.withUTF8Bytes { bytes in
            var i = 0
            while i < bytes.count {
                let b = bytes[i]
                i += 1
                switch b {
                case 0x3C: append("\\u003c", to: &out)
                case 0x3E: append("\\u003e", to: &out)
                case 0x26: append("\\u0026", to: &out)
                case 0xE2 where i + 1 < bytes.count && bytes[i] == 0x80 && (bytes[i + 1] == 0xA8 || bytes[i + 1] == 0xA9):
                    append(bytes[i + 1] == 0xA8 ? "\\u2028" : "\\u2029", to: &out)
                    i += 2
                case 0x08 where !shortControlEscapes: append("\\u0008", to: &out)
                case 0x0C where !shortControlEscapes: append("\\u000c", to: &out)
                default: writeEscaped(b, to: &out)
                }
            }
        }
        out.append(UInt8(ascii: "\""))
    }

    @inline(__always)
    private static func writeEscaped(_ b: UInt8, to out: inout [UInt8]) {
        switch b {
        case 0x22: append("\\\"", to: &out)
        case 0x5C: append("\\\\", to: &out)
        case 0x0A: append("\\n", to: &out)
        case 0x0D: append("\\r", to: &out)
        case 0x09: append("\\t", to: &out)
        case 0x08: append("\\b", to: &out)
        case 0x0C: append("\\f", to: &out)
        case ..<0x20:
            append("\\u00", to: &out)
            out.append(UInt8.lowercaseHexDigit(b >> 4))
            out.append(UInt8.lowercaseHexDigit(b & 0xF))
        default:
            out.append(b)
        }
    }
}
