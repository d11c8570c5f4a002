/// The API server decodes a body into Go structs before it defaults or validates anything;
/// a member of the wrong JSON type fails there, with a 400 BadRequest worded by Go's
/// `encoding/json` (as forked in `sigs.k8s.io/json`):
///
///     Deployment in version "v1" cannot be handled as a Deployment: json: cannot unmarshal
///     string into Go struct field DeploymentSpec.spec.replicas of type int32
///
/// `DecodeChecker` finds that failure in a `JSON` object. Like `encoding/json`, it keeps the
/// first type mismatch and goes on, but stops at once when a type's own `UnmarshalJSON`
/// fails (quantities, int-or-strings, times); that error is the one reported. The result is
/// a `FieldError` of kind `.invalid` whose field is the JSON path (with indices) and whose
/// detail is Go's text; `Validation.decodeFailure` turns it into the 400.
struct DecodeChecker {
    /// One step from the root to the member being decoded. The path is kept as a stack and
    /// rendered only when a member fails, so a body that decodes costs no string building.
    private enum Step {
        /// A struct member: part of the JSON path and of Go's error context.
        case member(String)
        /// A list element: `[i]` in the JSON path only.
        case index(Int)
        /// A map key: `[key]` in the JSON path only (map keys do not enter Go's context).
        case key(String)
    }

    private var saved: FieldError?
    private var steps: [Step] = []

    /// The decode error of `object` as a `kind`, or nil when it decodes.
    static func check(kind: String, object: JSON) -> FieldError? {
        guard let root = GoSchema.root(kind: kind) else { return nil }
        return check(object, as: root)
    }

    /// The decode error of `object` as the struct `root`, or nil when it decodes.
    static func check(_ object: JSON, as root: GoStruct) -> FieldError? {
        var checker = DecodeChecker()
        checker.steps.reserveCapacity(16)
        if let abort = checker.walkStruct(object, root) { return abort }
        return checker.saved
    }

    /// Decodes the members of a struct; returns an aborting error.
    private mutating func walkStruct(_ value: JSON, _ s: GoStruct) -> FieldError? {
        guard case .object(let members) = value else { return nil }
        for (key, member) in members {
            guard let type = s.fields[key], !DecodeChecker.decodesTrivially(member, type) else { continue }
            steps.append(.member(key))
            let abort = walk(member, type, structName: s.name)
            steps.removeLast()
            if let abort { return abort }
        }
        return nil
    }

    private mutating func walk(_ value: JSON, _ type: GoType, structName: String) -> FieldError? {
        if value.isNull { return nil }
        switch type {
        case .string:
            if value.string == nil { mismatch(DecodeChecker.kind(value), type, structName) }
        case .bool:
            if value.bool == nil { mismatch(DecodeChecker.kind(value), type, structName) }
        case .int32, .int64:
            var range = Int.min...Int.max
            if case .int32 = type { range = Int(Int32.min)...Int(Int32.max) }
            switch value {
            case .int(let i): if !range.contains(i) { mismatch("number \(i)", type, structName) }
            case .double(let d):
                if let i = value.int, range.contains(i) { break }
                mismatch("number " + JSON.formatDouble(d), type, structName)
            default: mismatch(DecodeChecker.kind(value), type, structName)
            }
        case .quantity:
            // Quantity.UnmarshalJSON parses whatever text it is given, quoted or not.
            let text: String
            switch value {
            case .string(let s) where DecodeChecker.isPlainQuantity(s.utf8): return nil
            case .int(let i) where i >= 0: return nil
            case .string(let s): text = Quantity.trimmingSpaces(s)
            case .int(let i): text = String(i)
            case .double(let d): text = JSON.formatDouble(d)
            default: text = value.serialized()
            }
            if case .failure(let e) = Quantity.parseResult(text) { return abort(e.message) }
        case .intOrString:
            // IntOrString.UnmarshalJSON: a string, else json.Unmarshal into an int32.
            switch value {
            case .string: break
            case .int(let i):
                if Int32(exactly: i) == nil {
                    return abort("json: cannot unmarshal number \(i) into Go value of type int32")
                }
            case .double(let d):
                if let i = value.int, Int32(exactly: i) != nil { break }
                return abort("json: cannot unmarshal number \(JSON.formatDouble(d)) into Go value of type int32")
            default: return abort("json: cannot unmarshal \(DecodeChecker.kind(value)) into Go value of type int32")
            }
        case .time(let name, _):
            // metav1.Time.UnmarshalJSON: a string, then time.Parse(RFC3339, …).
            guard let s = value.string else {
                return abort("json: cannot unmarshal \(DecodeChecker.kind(value)) into Go value of type string")
            }
            if VirtualTime(rfc3339: s) == nil {
                let layout = name == "v1.MicroTime" ? "2006-01-02T15:04:05.000000Z07:00" : "2006-01-02T15:04:05Z07:00"
                return abort("parsing time \(GoValue.goQuote(s)) as \"\(layout)\": cannot parse "
                    + "\(GoValue.goQuote(s)) as \"2006\"")
            }
        case .bytes:
            guard let s = value.string else {
                mismatch(DecodeChecker.kind(value), type, structName)
                return nil
            }
            if saved == nil, case .failure(let e) = Base64.decode(s) {
                save("illegal base64 data at input byte \(e.offset)")
            }
        case .map(let element, _):
            guard case .object(let o) = value else {
                mismatch(DecodeChecker.kind(value), type, structName)
                return nil
            }
            for (k, v) in o where !DecodeChecker.decodesTrivially(v, element) {
                steps.append(.key(k))
                let abort = walk(v, element, structName: structName)
                steps.removeLast()
                if let abort { return abort }
            }
        case .list(let element, _):
            guard case .array(let a) = value else {
                mismatch(DecodeChecker.kind(value), type, structName)
                return nil
            }
            for (i, v) in a.enumerated() where !DecodeChecker.decodesTrivially(v, element) {
                steps.append(.index(i))
                let abort = walk(v, element, structName: structName)
                steps.removeLast()
                if let abort { return abort }
            }
        case .object(let s):
            guard case .object = value else {
                mismatch(DecodeChecker.kind(value), type, structName)
                return nil
            }
            return walkStruct(value, s)
        case .opaque:
            if value.object == nil { mismatch(DecodeChecker.kind(value), type, structName) }
        }
        return nil
    }

    /// `UnmarshalTypeError`: kept if it is the first, and decoding goes on.
    private mutating func mismatch(_ what: String, _ type: GoType, _ structName: String) {
        guard saved == nil else { return }
        var goPath = ""
        for case .member(let name) in steps {
            if !goPath.isEmpty { goPath += "." }
            goPath += name
        }
        save("json: cannot unmarshal \(what) into Go struct field \(structName).\(goPath) of type \(type.goName)")
    }

    private mutating func save(_ message: String) {
        if saved == nil { saved = abort(message) }
    }

    private func abort(_ message: String) -> FieldError {
        FieldError(kind: .invalid, field: path.description, value: nil, detail: message)
    }

    /// The JSON path of the member being decoded, as `field.Path` renders it.
    private var path: FieldPath {
        var p = FieldPath("")
        for step in steps {
            switch step {
            case .member(let name): p = p.child(name)
            case .index(let i): p = p.index(i)
            case .key(let k): p = p.key(k)
            }
        }
        return p
    }

    /// Whether `walk` would find nothing in `value`: null, or a scalar of the right kind with
    /// nothing nested (checked here to spare the path bookkeeping of the common case).
    private static func decodesTrivially(_ value: JSON, _ type: GoType) -> Bool {
        switch (type, value) {
        case (_, .null): return true
        case (.string, .string), (.bool, .bool), (.intOrString, .string), (.int64, .int): return true
        case (.int32, .int(let i)): return Int32(exactly: i) != nil
        case (.quantity, .string(let s)): return isPlainQuantity(s.utf8)
        default: return false
        }
    }

    /// Suffixes `ParseQuantity` accepts after plain digits.
    private static let quantitySuffixes: Set<String> = [
        "", "n", "u", "m", "k", "M", "G", "T", "P", "E", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei",
    ]

    /// Digits and an optional SI suffix (`100m`, `64Mi`, `2`): the common form, which always
    /// parses, so the full parse is skipped for it.
    private static func isPlainQuantity(_ s: String.UTF8View) -> Bool {
        var i = s.startIndex
        while i != s.endIndex, s[i] >= UInt8(ascii: "0"), s[i] <= UInt8(ascii: "9") { i = s.index(after: i) }
        guard i != s.startIndex else { return false }
        let suffix = s[i...]
        if suffix.isEmpty { return true }
        return suffix.count <= 2 && quantitySuffixes.contains(String(decoding: suffix, as: UTF8.self))
    }

    /// The JSON kind as `UnmarshalTypeError.Value` names it.
    private static func kind(_ value: JSON) -> String {
        switch value {
        case .null: return "null"
        case .bool: return "bool"
        case .int, .double: return "number"
        case .string: return "string"
        case .array: return "array"
        case .object: return "object"
        }
    }
}

/// Standard base64 as Go's `encoding/base64.StdEncoding` reads it (newlines ignored,
/// padding required), reporting the offset Go's `CorruptInputError` reports.
enum Base64 {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
    private static let decodeTable: [Int8] = {
        var t = [Int8](repeating: -1, count: 256)
        for (i, c) in alphabet.enumerated() { t[Int(c)] = Int8(i) }
        return t
    }()

    static func encode(_ bytes: [UInt8]) -> String {
        var out: [UInt8] = []
        out.reserveCapacity((bytes.count + 2) / 3 * 4)
        var i = 0
        while i + 2 < bytes.count {
            let n = UInt32(bytes[i]) << 16 | UInt32(bytes[i + 1]) << 8 | UInt32(bytes[i + 2])
            out += [alphabet[Int(n >> 18 & 63)], alphabet[Int(n >> 12 & 63)], alphabet[Int(n >> 6 & 63)],
                    alphabet[Int(n & 63)]]
            i += 3
        }
        let rest = bytes.count - i
        if rest == 1 {
            let n = UInt32(bytes[i]) << 16
            out += [alphabet[Int(n >> 18 & 63)], alphabet[Int(n >> 12 & 63)], UInt8(ascii: "="), UInt8(ascii: "=")]
        } else if rest == 2 {
            let n = UInt32(bytes[i]) << 16 | UInt32(bytes[i + 1]) << 8
            out += [alphabet[Int(n >> 18 & 63)], alphabet[Int(n >> 12 & 63)], alphabet[Int(n >> 6 & 63)], UInt8(ascii: "=")]
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// `base64.CorruptInputError`: the offset of the first corrupt input byte.
    struct CorruptInput: Error, Equatable {
        let offset: Int
    }

    /// The decoded bytes, or where the input is corrupt.
    static func decode(_ text: String) -> Result<[UInt8], CorruptInput> {
        let src = Array(text.utf8)
        var out: [UInt8] = []
        var si = 0
        let newline: (UInt8) -> Bool = { $0 == 0x0a || $0 == 0x0d }
        while si < src.count {
            var quantum = [UInt8](repeating: 0, count: 4)
            var j = 0
            var padded = false
            while j < 4 {
                while si < src.count, newline(src[si]) { si += 1 }
                if si == src.count {
                    if j == 0 { return .success(out) }
                    return .failure(CorruptInput(offset: si - j))
                }
                let c = src[si]
                si += 1
                if c == UInt8(ascii: "=") {
                    switch j {
                    case 0, 1: return .failure(CorruptInput(offset: si - 1))
                    case 2:
                        while si < src.count, newline(src[si]) { si += 1 }
                        if si == src.count { return .failure(CorruptInput(offset: src.count)) }
                        if src[si] != UInt8(ascii: "=") { return .failure(CorruptInput(offset: si - 1)) }
                        si += 1
                    default: break
                    }
                    while si < src.count, newline(src[si]) { si += 1 }
                    if si < src.count { return .failure(CorruptInput(offset: si)) }
                    padded = true
                    break
                }
                let v = decodeTable[Int(c)]
                if v < 0 { return .failure(CorruptInput(offset: si - 1)) }
                quantum[j] = UInt8(v)
                j += 1
            }
            let n = UInt32(quantum[0]) << 18 | UInt32(quantum[1]) << 12 | UInt32(quantum[2]) << 6 | UInt32(quantum[3])
            let bytes = [UInt8(n >> 16 & 0xff), UInt8(n >> 8 & 0xff), UInt8(n & 0xff)]
            out += bytes.prefix(padded ? j - 1 : 3)
            if padded { return .success(out) }
        }
        return .success(out)
    }
}
