/// IP addresses and CIDRs as `k8s.io/apimachinery/pkg/util/validation/ip.go` checks them:
/// parsed leniently (`netutils.ParseIPSloppy`, which accepts IPv4 octets with leading zeros),
/// then held to the strict form and to Go's canonical text (`net.IP.String()`).
enum IPAddress {
    struct Parsed {
        /// 4 bytes for dotted IPv4 text, 16 for IPv6 text.
        var bytes: [UInt8]
        var hadLeadingZeros = false
        /// Whether IPv6 text holds an IPv4-mapped address (`::ffff:a.b.c.d`).
        var isV4Mapped: Bool {
            bytes.count == 16 && bytes[0..<10].allSatisfy { $0 == 0 } && bytes[10] == 0xff && bytes[11] == 0xff
        }
    }

    /// Dotted IPv4 without leading zeros (`10.244.1.7`): valid and already in Go's canonical
    /// form, so every check passes; scanned without parsing.
    static func isCanonicalIPv4(_ text: String) -> Bool {
        var parts = 0
        var digits = 0
        var value = 0
        var first: UInt8 = 0
        for b in text.utf8 {
            if b == UInt8(ascii: ".") {
                guard digits > 0 else { return false }
                parts += 1
                digits = 0
                value = 0
                continue
            }
            guard b >= 0x30, b <= 0x39 else { return false }
            if digits == 0 { first = b }
            digits += 1
            value = value * 10 + Int(b - 0x30)
            // No leading zeros, at most 255.
            guard digits <= 3, value <= 255, digits == 1 || first != 0x30 else { return false }
        }
        return parts == 3 && digits > 0
    }

    static func parse(_ text: String) -> Parsed? {
        if text.contains(":") { return parseV6(Array(text.utf8)) }
        return parseV4(Array(text.utf8))
    }

    private static func parseV4(_ s: [UInt8]) -> Parsed? {
        let parts = s.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        var out = Parsed(bytes: [])
        for part in parts {
            guard !part.isEmpty, part.count <= 3, part.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
            let v = part.reduce(0) { $0 * 10 + Int($1 - 0x30) }
            guard v <= 255 else { return nil }
            if part.count > 1, part.first == UInt8(ascii: "0") { out.hadLeadingZeros = true }
            out.bytes.append(UInt8(v))
        }
        return out
    }

    private static func parseV6(_ s: [UInt8]) -> Parsed? {
        var groups: [UInt16] = []
        var ellipsis: Int?
        var i = 0
        var v4Tail: [UInt8]?
        if s.starts(with: [0x3a, 0x3a]) {
            ellipsis = 0
            i = 2
            if i == s.count { return Parsed(bytes: [UInt8](repeating: 0, count: 16)) }
        }
        while i < s.count {
            // An embedded IPv4 address ends the text.
            var j = i
            while j < s.count, s[j] != 0x3a { j += 1 }
            let field = Array(s[i..<j])
            if field.contains(UInt8(ascii: ".")) {
                guard j == s.count, let v4 = parseV4(field), groups.count <= 6 else { return nil }
                v4Tail = v4.bytes
                i = j
                break
            }
            guard !field.isEmpty, field.count <= 4 else { return nil }
            var v: UInt16 = 0
            for c in field {
                let d: UInt16
                switch c {
                case 0x30...0x39: d = UInt16(c - 0x30)
                case 0x61...0x66: d = UInt16(c - 0x61 + 10)
                case 0x41...0x46: d = UInt16(c - 0x41 + 10)
                default: return nil
                }
                v = v << 4 | d
            }
            groups.append(v)
            i = j
            if i == s.count { break }
            i += 1  // the ':'
            if i < s.count, s[i] == 0x3a {
                guard ellipsis == nil else { return nil }
                ellipsis = groups.count
                i += 1
                if i == s.count { break }
            } else if i == s.count {
                return nil  // trailing single ':'
            }
            if groups.count > 8 { return nil }
        }
        var bytes: [UInt8] = []
        for g in groups { bytes += [UInt8(g >> 8), UInt8(g & 0xff)] }
        if let v4Tail { bytes += v4Tail }
        if let e = ellipsis {
            let missing = 16 - bytes.count
            guard missing >= 2 else { return nil }
            bytes.insert(contentsOf: [UInt8](repeating: 0, count: missing), at: e * 2)
        }
        guard bytes.count == 16 else { return nil }
        return Parsed(bytes: bytes)
    }

    /// `net.IP.String()`: dotted for IPv4 (and IPv4-mapped), RFC 5952 for IPv6.
    static func format(_ bytes: [UInt8]) -> String {
        if bytes.count == 4 { return bytes.map { String($0) }.joined(separator: ".") }
        let p = Parsed(bytes: bytes)
        if p.isV4Mapped { return bytes[12...].map { String($0) }.joined(separator: ".") }
        var groups: [UInt16] = []
        for k in stride(from: 0, to: 16, by: 2) { groups.append(UInt16(bytes[k]) << 8 | UInt16(bytes[k + 1])) }
        var bestStart = -1, bestLen = 0, k = 0
        while k < 8 {
            if groups[k] == 0 {
                var e = k
                while e < 8, groups[e] == 0 { e += 1 }
                if e - k > bestLen, e - k >= 2 { bestStart = k; bestLen = e - k }
                k = e
            } else {
                k += 1
            }
        }
        var out = ""
        var g = 0
        while g < 8 {
            if g == bestStart {
                out += "::"
                g += bestLen
                continue
            }
            if !out.isEmpty, !out.hasSuffix(":") { out += ":" }
            out += String(groups[g], radix: 16)
            g += 1
        }
        return out
    }
}

extension ObjectValidator {
    /// `IsValidIP`.
    func validateIP(_ value: String, _ path: @autoclosure () -> FieldPath) -> [FieldError] {
        if IPAddress.isCanonicalIPv4(value) { return [] }
        guard let ip = IPAddress.parse(value) else {
            let example = !wording.strictIPs ? "(e.g. 10.9.8.7)" : "(e.g. 10.9.8.7 or 2001:db8::ffff)"
            return [invalid(path(), .string(value), "must be a valid IP address, " + example)]
        }
        if !wording.strictIPs { return [] }
        var errs: [FieldError] = []
        if ip.hadLeadingZeros { errs.append(invalid(path(), .string(value), "must not have leading 0s")) }
        if ip.bytes.count == 16, ip.isV4Mapped {
            errs.append(invalid(path(), .string(value), "must not be an IPv4-mapped IPv6 address"))
        }
        if !errs.isEmpty { return errs }
        let canonical = IPAddress.format(ip.bytes)
        if canonical != value {
            errs.append(invalid(path(), .string(value), "must be in canonical form (\(GoValue.goQuote(canonical)))"))
        }
        return errs
    }

    /// `IsValidCIDR`: a subnet (no bits beyond the prefix), in canonical form.
    func validateCIDR(_ value: String, _ path: @autoclosure () -> FieldPath) -> [FieldError] {
        let parts = value.split(separator: "/", omittingEmptySubsequences: false)
        let bad = wording.strictIPs ? "must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)" : "not a valid CIDR"
        guard parts.count == 2, let ip = IPAddress.parse(String(parts[0])), !parts[1].isEmpty, parts[1].count <= 3,
            parts[1].allSatisfy({ $0.isASCII && $0.isNumber }), let bits = Int(parts[1]), bits <= ip.bytes.count * 8
        else { return [invalid(path(), .string(value), bad)] }
        if !wording.strictIPs { return [] }
        var masked = ip.bytes
        for k in 0..<masked.count {
            let keep = max(0, min(8, bits - k * 8))
            masked[k] &= keep == 0 ? 0 : UInt8(truncatingIfNeeded: 0xff << (8 - keep))
        }
        if ip.hadLeadingZeros || (parts[1].count > 1 && parts[1].first == "0") {
            return [invalid(path(), .string(value), "must not have leading 0s in IP or prefix length")]
        }
        if ip.bytes.count == 16, ip.isV4Mapped {
            return [invalid(path(), .string(value), "must not have an IPv4-mapped IPv6 address")]
        }
        if masked != ip.bytes {
            return [invalid(path(), .string(value), "must not have bits set beyond the prefix length")]
        }
        let canonical = IPAddress.format(masked) + "/\(bits)"
        if canonical != value {
            return [invalid(path(), .string(value), "must be in canonical form (\(GoValue.goQuote(canonical)))")]
        }
        return []
    }
}
