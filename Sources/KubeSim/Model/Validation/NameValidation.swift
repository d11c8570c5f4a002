#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// String format checks of `k8s.io/apimachinery/pkg/util/validation` (and its successor
/// `api/validate/content`): each returns upstream's messages, or `[]` when the value is valid.
/// The regular expressions upstream uses are matched by hand on UTF-8 bytes; the patterns
/// are quoted in the messages exactly as upstream quotes them.
enum NameRules {
    static let dns1123LabelFormat = "[a-z0-9]([-a-z0-9]*[a-z0-9])?"
    static let dns1123SubdomainFormat = dns1123LabelFormat + "(\\." + dns1123LabelFormat + ")*"
    static let dns1035LabelFormat = "[a-z]([-a-z0-9]*[a-z0-9])?"
    static let labelKeyFormat = "([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]"
    static let labelValueFormat = "(" + labelKeyFormat + ")?"
    static let labelKeyMessage = "must consist of alphanumeric characters, '-', '_' or '.', "
        + "and must start and end with an alphanumeric character"
    static let labelValueMessage = "a valid label must be an empty string or consist of alphanumeric "
        + "characters, '-', '_' or '.', and must start and end with an alphanumeric character"
    static let dns1035LabelMessage = "a DNS-1035 label must consist of lower case alphanumeric characters or "
        + "'-', start with an alphabetic character, and end with an alphanumeric character"

    static let dns1123LabelMaxLength = 63
    static let dns1123SubdomainMaxLength = 253
    static let labelMaxLength = 63

    /// `RegexError`: the message, examples and pattern, spaced exactly as upstream
    /// (`(e.g. 'a',  or 'b', regex used for validation is '…')`).
    static func regexError(_ message: String, _ format: String, _ examples: [String]) -> String {
        if examples.isEmpty { return message + " (regex used for validation is '" + format + "')" }
        var out = message + " (e.g. "
        for (i, e) in examples.enumerated() {
            if i > 0 { out += " or " }
            out += "'" + e + "', "
        }
        return out + "regex used for validation is '" + format + "')"
    }

    static func maxLengthError(_ n: Int, unit: String = "characters") -> String {
        "must be no more than \(n) \(unit)"
    }

    // MARK: - Character classes

    private static func isLower(_ b: UInt8) -> Bool { b >= 0x61 && b <= 0x7a }
    private static func isUpper(_ b: UInt8) -> Bool { b >= 0x41 && b <= 0x5a }
    private static func isDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }
    private static func isAlnum(_ b: UInt8) -> Bool { isLower(b) || isUpper(b) || isDigit(b) }

    /// `[a-z0-9]([-a-z0-9]*[a-z0-9])?`
    static func matchesDNS1123Label<C: BidirectionalCollection>(_ s: C) -> Bool where C.Element == UInt8 {
        guard let first = s.first, let last = s.last else { return false }
        guard isLower(first) || isDigit(first), isLower(last) || isDigit(last) else { return false }
        return s.allSatisfy { isLower($0) || isDigit($0) || $0 == UInt8(ascii: "-") }
    }

    static func matchesDNS1123Subdomain(_ s: String) -> Bool { s.withUTF8Bytes { matchesDNS1123Subdomain($0) } }

    /// Dot-separated DNS-1123 labels, scanned in place (every label, empty ones included,
    /// must match `matchesDNS1123Label`).
    static func matchesDNS1123Subdomain<C: Collection>(_ s: C) -> Bool where C.Element == UInt8 {
        var labelLength = 0
        var previous: UInt8 = 0
        for b in s {
            if b == UInt8(ascii: ".") {
                guard labelLength > 0, isLower(previous) || isDigit(previous) else { return false }
                labelLength = 0
                continue
            }
            if labelLength == 0 {
                guard isLower(b) || isDigit(b) else { return false }
            } else {
                guard isLower(b) || isDigit(b) || b == UInt8(ascii: "-") else { return false }
            }
            previous = b
            labelLength += 1
        }
        return labelLength > 0 && (isLower(previous) || isDigit(previous))
    }

    /// Whether `labelKey` finds nothing wrong, decided without building any message: at most
    /// one '/', a valid subdomain before it, a label name of at most 63 bytes after.
    private static func isLabelKey(_ value: String) -> Bool {
        value.withUTF8Bytes { u in
            var slash: Int?
            for i in u.indices where u[i] == UInt8(ascii: "/") {
                if slash != nil { return false }
                slash = i
            }
            var name = u[...]
            if let slash {
                let prefix = u[..<slash]
                guard !prefix.isEmpty, prefix.count <= dns1123SubdomainMaxLength, matchesDNS1123Subdomain(prefix) else {
                    return false
                }
                name = u[(slash + 1)...]
            }
            return !name.isEmpty && name.count <= labelMaxLength && matchesLabelName(name)
        }
    }

    /// `strings.Contains(s, needle)`: a byte search, so a combining mark after the needle
    /// does not hide it (as a Character-wise search would).
    static func contains(_ s: String, _ needle: Unicode.Scalar) -> Bool {
        s.utf8Contains(String(needle))
    }

    /// `([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]`
    static func matchesLabelName<C: BidirectionalCollection>(_ s: C) -> Bool where C.Element == UInt8 {
        guard let first = s.first, let last = s.last, isAlnum(first), isAlnum(last) else { return false }
        return s.allSatisfy { isAlnum($0) || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: ".") }
    }

    // MARK: - DNS names

    static func dns1123Label(_ value: String, _ wording: ValidationWording) -> [String] {
        if value.utf8.count <= dns1123LabelMaxLength, value.withUTF8Bytes({ matchesDNS1123Label($0) }) { return [] }
        var errors: [String] = []
        if value.utf8.count > dns1123LabelMaxLength { errors.append(maxLengthError(dns1123LabelMaxLength)) }
        if !matchesDNS1123Label(value.utf8) {
            if wording.reportsDotsInLabels, matchesDNS1123Subdomain(value) {
                // A valid subdomain that is not a label: the length was checked, so it is dots.
                errors.append("must not contain dots")
            } else {
                errors.append(regexError(wording.dns1123LabelMessage, dns1123LabelFormat, ["my-name", "123-abc"]))
            }
        }
        return errors
    }

    static func dns1123Subdomain(_ value: String, _ wording: ValidationWording) -> [String] {
        var errors: [String] = []
        if value.utf8.count > dns1123SubdomainMaxLength { errors.append(maxLengthError(dns1123SubdomainMaxLength)) }
        if !matchesDNS1123Subdomain(value) {
            errors.append(regexError(wording.dns1123SubdomainMessage, dns1123SubdomainFormat, ["example.com"]))
        }
        return errors
    }

    static func dns1035Label(_ value: String) -> [String] {
        var errors: [String] = []
        let bytes = value.utf8
        if bytes.count > dns1123LabelMaxLength { errors.append(maxLengthError(dns1123LabelMaxLength)) }
        let ok = bytes.first.map(isLower) == true && matchesDNS1123Label(bytes)
        if !ok { errors.append(regexError(dns1035LabelMessage, dns1035LabelFormat, ["my-name", "abc-123"])) }
        return errors
    }

    /// `maskTrailingDash`: a generateName prefix may end in '-'. Upstream replaces the last
    /// two bytes with "a" (sic).
    static func maskTrailingDash(_ name: String) -> String {
        // Written into one new string: every generated pod name's prefix comes through here.
        name.withUTF8Bytes { bytes in
            guard bytes.count > 1, bytes.last == UInt8(ascii: "-") else { return name }
            let kept = bytes.count - 2
            // (A character cut in two is repaired, as `String(decoding:)` would.)
            return String(unsafeUninitializedCapacity: kept + 1) { out in
                if let from = bytes.baseAddress, let to = out.baseAddress { to.initialize(from: from, count: kept) }
                out[kept] = UInt8(ascii: "a")
                return kept + 1
            }
        }
    }

    /// The name rule of a kind (`ValidateNameFunc`); `prefix` for generateName.
    enum NameKind: Sendable {
        case dnsSubdomain, dnsLabel, dns1035Label, pathSegment
    }

    static func name(_ value: String, _ kind: NameKind, prefix: Bool, _ wording: ValidationWording) -> [String] {
        let v = prefix ? maskTrailingDash(value) : value
        switch kind {
        case .dnsSubdomain: return dns1123Subdomain(v, wording)
        case .dnsLabel: return dns1123Label(v, wording)
        case .dns1035Label: return dns1035Label(v)
        case .pathSegment: return pathSegmentName(value, prefix: prefix)
        }
    }

    /// Whether the bytes hold '/' or '%', by `memchr` (every Event's name is checked, and a
    /// byte-by-byte scan of its 40-odd bytes cost more than the rest of the check).
    private static func containsSlashOrPercent(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let base = bytes.baseAddress, !bytes.isEmpty else { return false }
        return memchr(base, Int32(UInt8(ascii: "/")), bytes.count) != nil
            || memchr(base, Int32(UInt8(ascii: "%")), bytes.count) != nil
    }

    /// `IsPathSegmentName`: what every name must be to appear in a URL.
    static func pathSegmentName(_ value: String, prefix: Bool = false) -> [String] {
        // The common case in one pass over the bytes: no '/' or '%', and not "." or "..".
        if !value.withUTF8Bytes({ Self.containsSlashOrPercent($0) }),
            prefix || value.utf8.count > 2 || (value != "." && value != "..")
        {
            return []
        }
        if !prefix {
            for illegal in [".", ".."] where value == illegal { return ["may not be '\(illegal)'"] }
        }
        var errors: [String] = []
        for illegal in ["/", "%"] where value.contains(illegal) { errors.append("may not contain '\(illegal)'") }
        return errors
    }

    // MARK: - Labels

    /// `IsQualifiedName` / `content.IsLabelKey`: an optional DNS-subdomain prefix and '/',
    /// then a name of at most 63 bytes.
    static func labelKey(_ value: String, _ wording: ValidationWording) -> [String] {
        if isLabelKey(value) { return [] }
        var errors: [String] = []
        let parts = value.utf8.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: false)
        let name: Substring.UTF8View.SubSequence
        switch parts.count {
        case 1:
            name = parts[0]
        case 2:
            let prefix = String(decoding: parts[0], as: UTF8.self)
            name = parts[1]
            if prefix.isEmpty {
                errors.append("prefix part must be non-empty")
            } else {
                errors += dns1123Subdomain(prefix, wording).map { "prefix part " + $0 }
            }
        default:
            return [wording.labelKeyTooManySlashesSubject + " "
                + regexError(labelKeyMessage, labelKeyFormat, ["MyName", "my.name", "123-abc"])
                + " with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')"]
        }
        if name.isEmpty {
            errors.append("name part must be non-empty")
        } else if name.count > labelMaxLength {
            errors.append("name part " + maxLengthError(labelMaxLength, unit: wording.labelLengthUnit))
        }
        if !matchesLabelName(name) {
            errors.append("name part " + regexError(labelKeyMessage, labelKeyFormat, ["MyName", "my.name", "123-abc"]))
        }
        return errors
    }

    /// `IsValidLabelValue`: empty, or a label name of at most 63 bytes.
    static func labelValue(_ value: String, _ wording: ValidationWording) -> [String] {
        var errors: [String] = []
        if value.utf8.count > labelMaxLength {
            errors.append(maxLengthError(labelMaxLength, unit: wording.labelLengthUnit))
        }
        if !value.isEmpty, !matchesLabelName(value.utf8) {
            errors.append(regexError(labelValueMessage, labelValueFormat, ["MyValue", "my_value", "12345"]))
        }
        return errors
    }

    // MARK: - Other formats

    /// `IsConfigMapKey`: the keys of ConfigMap and Secret data.
    static func configMapKey(_ value: String) -> [String] {
        var errors: [String] = []
        let bytes = value.utf8
        if bytes.count > dns1123SubdomainMaxLength { errors.append(maxLengthError(dns1123SubdomainMaxLength)) }
        let ok = !bytes.isEmpty && bytes.allSatisfy {
            isAlnum($0) || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: ".")
        }
        if !ok {
            errors.append(regexError("a valid config key must consist of alphanumeric characters, '-', '_' or '.'",
                                     "[-._a-zA-Z0-9]+", ["key.name", "KEY_NAME", "key-name"]))
        }
        if value == "." {
            errors.append("must not be '.'")
        } else if value == ".." {
            errors.append("must not be '..'")
        } else if value.hasPrefix("..") {
            errors.append("must not start with '..'")
        }
        return errors
    }

    /// `IsValidPortNum`.
    static func portNumber(_ port: Int) -> [String] {
        (1...65535).contains(port) ? [] : [inclusiveRange(1, 65535)]
    }

    static func inclusiveRange(_ lo: Int, _ hi: Int) -> String { "must be between \(lo) and \(hi), inclusive" }

    /// `IsValidPortName`: an IANA service name.
    static func portName(_ value: String, _ wording: ValidationWording) -> [String] {
        let bytes = value.utf8
        if let f = bytes.first, let l = bytes.last, f != UInt8(ascii: "-"), l != UInt8(ascii: "-"), bytes.count <= 15,
            bytes.contains(where: isLower)
        {
            // Only [a-z0-9-] without "--": valid (and ASCII, so the byte scan is the check).
            var previous: UInt8 = 0
            var ok = true
            for b in bytes {
                if !(isLower(b) || isDigit(b) || b == UInt8(ascii: "-")) || (b == previous && b == UInt8(ascii: "-")) {
                    ok = false
                    break
                }
                previous = b
            }
            if ok { return [] }
        }
        var errors: [String] = []
        if bytes.count > 15 { errors.append(maxLengthError(15)) }
        if bytes.isEmpty || !bytes.allSatisfy({ isLower($0) || isDigit($0) || $0 == UInt8(ascii: "-") }) {
            errors.append("must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)")
        }
        if !bytes.contains(where: isLower) { errors.append(wording.portNameLetterMessage) }
        if value.contains("--") { errors.append("must not contain consecutive hyphens") }
        if let f = bytes.first, let l = bytes.last, f == UInt8(ascii: "-") || l == UInt8(ascii: "-") {
            errors.append("must not begin or end with a hyphen")
        }
        return errors
    }

    /// `IsValidPercent`: `[0-9]+%`.
    static func percent(_ value: String) -> [String] {
        let bytes = value.utf8
        let ok = bytes.count >= 2 && bytes.last == UInt8(ascii: "%") && bytes.dropLast().allSatisfy(isDigit)
        if ok { return [] }
        return [regexError("a valid percent string must be a numeric string followed by an ending '%'",
                           "[0-9]+%", ["1%", "93%"])]
    }

    /// `IsEnvVarName`, or `IsRelaxedEnvVarName` where the release relaxed it.
    static func envVarName(_ value: String, _ wording: ValidationWording) -> [String] {
        let bytes = value.utf8
        if wording.relaxedEnvVarNames {
            if bytes.isEmpty { return ["environment variable name must be non-empty"] }
            let ok = bytes.allSatisfy { $0 >= 0x20 && $0 < 0x7f && $0 != UInt8(ascii: "=") }
            if ok { return [] }
            return ["a valid environment variable name must consist only of printable ASCII characters other than '='"]
        }
        var errors: [String] = []
        let headOK = bytes.first.map { isLower($0) || isUpper($0) || $0 == 0x2d || $0 == 0x2e || $0 == 0x5f } ?? false
        let restOK = bytes.dropFirst().allSatisfy { isAlnum($0) || $0 == 0x2d || $0 == 0x2e || $0 == 0x5f }
        if !(headOK && restOK) {
            errors.append(regexError(
                "a valid environment variable name must consist of alphabetic characters, digits, '_', '-', or '.', "
                    + "and must not start with a digit",
                "[-._a-zA-Z][-._a-zA-Z0-9]*", ["my.env-name", "MY_ENV.NAME", "MyEnvName1"]))
        }
        if value == "." {
            errors.append("must not be '.'")
        } else if value == ".." {
            errors.append("must not be '..'")
        } else if value.hasPrefix("..") {
            errors.append("must not start with '..'")
        }
        return errors
    }

    /// `IsHTTPHeaderName`.
    static func httpHeaderName(_ value: String) -> [String] {
        let bytes = value.utf8
        if !bytes.isEmpty, bytes.allSatisfy({ isAlnum($0) || $0 == UInt8(ascii: "-") }) { return [] }
        return [regexError("a valid HTTP header must consist of alphanumeric characters or '-'", "[-A-Za-z0-9]+",
                           ["X-Header-Name"])]
    }
}
