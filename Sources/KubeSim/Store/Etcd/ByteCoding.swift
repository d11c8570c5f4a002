/// Little-endian writer for what etcd members keep and send as bytes: proposals, snapshots.
///
/// JSON values are written in a compact binary form (a tag byte, then fixed-width numbers
/// or a length and the bytes), not as JSON text: members decode every proposal they apply
/// and every snapshot they install, and reading tags and lengths is several times cheaper
/// than scanning text.
struct ByteWriter {
    var bytes: [UInt8] = []

    init() {}

    /// A writer whose buffer holds `capacity` bytes before it grows (an exact size spares
    /// the copies of a buffer doubling from empty).
    init(capacity: Int) { bytes.reserveCapacity(capacity) }

    /// The bytes `string(s)` writes.
    static func size(of s: String) -> Int { 4 + s.utf8.count }

    /// The bytes `json(value)` writes.
    static func size(of value: JSON) -> Int {
        switch value {
        case .null, .bool: 1
        case .int, .double: 9
        case .string(let s): 1 + size(of: s)
        case .array(let items): items.reduce(5) { $0 + size(of: $1) }
        case .object(let members): members.reduce(5) { $0 + size(of: $1.key) + size(of: $1.value) }
        }
    }

    mutating func u8(_ v: UInt8) { bytes.append(v) }
    mutating func u32(_ v: UInt32) { withUnsafeBytes(of: v.littleEndian) { bytes.append(contentsOf: $0) } }
    mutating func u64(_ v: UInt64) { withUnsafeBytes(of: v.littleEndian) { bytes.append(contentsOf: $0) } }

    mutating func string(_ s: String) {
        var s = s
        s.withUTF8 { utf8 in
            u32(UInt32(truncatingIfNeeded: utf8.count))
            bytes.append(contentsOf: utf8)
        }
    }

    mutating func json(_ value: JSON) {
        switch value {
        case .null: u8(JSONTag.null)
        case .bool(let b): u8(b ? JSONTag.true : JSONTag.false)
        case .int(let i):
            u8(JSONTag.int)
            u64(UInt64(bitPattern: Int64(i)))
        case .double(let d):
            u8(JSONTag.double)
            u64(d.bitPattern)
        case .string(let s):
            u8(JSONTag.string)
            string(s)
        case .array(let items):
            u8(JSONTag.array)
            u32(UInt32(truncatingIfNeeded: items.count))
            for item in items { json(item) }
        case .object(let members):
            u8(JSONTag.object)
            u32(UInt32(truncatingIfNeeded: members.count))
            for (key, member) in members {
                string(key)
                json(member)
            }
        }
    }
}

/// Reader for `ByteWriter`'s bytes; every read is bounds-checked and answers nil past the
/// end or on bytes the writer could not have written.
struct ByteReader {
    private let bytes: [UInt8]
    private var at = 0
    init(_ bytes: [UInt8]) { self.bytes = bytes }

    mutating func u8() -> UInt8? {
        guard at < bytes.count else { return nil }
        defer { at += 1 }
        return bytes[at]
    }

    mutating func u32() -> UInt32? {
        guard bytes.count - at >= 4 else { return nil }
        var v: UInt32 = 0
        for k in 0..<4 { v |= UInt32(bytes[at + k]) << UInt32(8 * k) }
        at += 4
        return v
    }

    mutating func u64() -> UInt64? {
        guard bytes.count - at >= 8 else { return nil }
        var v: UInt64 = 0
        for k in 0..<8 { v |= UInt64(bytes[at + k]) << UInt64(8 * k) }
        at += 8
        return v
    }

    mutating func string() -> String? {
        guard let n = u32(), bytes.count - at >= Int(n) else { return nil }
        defer { at += Int(n) }
        return String(decoding: bytes[at..<(at + Int(n))], as: UTF8.self)
    }

    /// A value `ByteWriter.json` wrote; nested no deeper than JSON text may be.
    mutating func json(depth: Int = 0) -> JSON? {
        guard depth <= JSON.maxNestingDepth, let tag = u8() else { return nil }
        switch tag {
        case JSONTag.null: return .null
        case JSONTag.false: return .bool(false)
        case JSONTag.true: return .bool(true)
        case JSONTag.int: return u64().map { .int(Int(truncatingIfNeeded: Int64(bitPattern: $0))) }
        case JSONTag.double: return u64().map { .double(Double(bitPattern: $0)) }
        case JSONTag.string: return string().map { .string($0) }
        case JSONTag.array:
            // Each item takes at least one byte: a count beyond what is left is corrupt.
            guard let n = u32(), Int(n) <= bytes.count - at else { return nil }
            var items: [JSON] = []
            items.reserveCapacity(Int(n))
            for _ in 0..<n {
                guard let item = json(depth: depth + 1) else { return nil }
                items.append(item)
            }
            return .array(items)
        case JSONTag.object:
            guard let n = u32(), Int(n) <= bytes.count - at else { return nil }
            var members = JSONObject(minimumCapacity: Int(n))
            for _ in 0..<n {
                // The writer wrote an object's distinct keys: append without searching.
                guard let key = string(), let value = json(depth: depth + 1) else { return nil }
                members.append(key: key, value: value)
            }
            return .object(members)
        default: return nil
        }
    }
}

/// The tag bytes of the binary JSON form.
private enum JSONTag {
    static let null: UInt8 = 0
    static let `false`: UInt8 = 1
    static let `true`: UInt8 = 2
    static let int: UInt8 = 3
    static let double: UInt8 = 4
    static let string: UInt8 = 5
    static let array: UInt8 = 6
    static let object: UInt8 = 7
}
