/// Little-endian writer for what etcd members keep and send as bytes: proposals, snapshots.
///
/// JSON values are written in a compact binary form (a tag byte, then fixed-width numbers
/// or a length and the bytes), not as JSON text: members decode every proposal they apply
/// and every snapshot they install, and reading tags and lengths is several times cheaper
/// than scanning text.
struct ByteWriter {
    var bytes: [UInt8] = []

    init() {}

    /// The bytes `string(s)` writes.
    static func size(of s: String) -> Int { 4 + s.utf8.count }

    /// The bytes `json(value)` writes.
    static func size(of value: JSON) -> Int {
        switch value {
        case .null, .bool: return 1
        case .int, .double: return 9
        case .string(let s): return 1 + size(of: s)
        case .array(let items):
            return items.withUnsafeBufferPointer { items in
                var n = 5
                for i in items.indices { n += size(of: items[i]) }
                return n
            }
        case .object(let o):
            // Through the members' buffer: iterating the object would copy (retain) each pair.
            return o.members.withUnsafeBufferPointer { members in
                var n = 5
                for i in members.indices { n += size(of: members[i].key) + size(of: members[i].value) }
                return n
            }
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

    /// Sized first, then written in place: a value is hundreds of small writes (a pod is
    /// about a hundred members), and appending each to the array checks its uniqueness and
    /// capacity every time.
    mutating func json(_ value: JSON) {
        let start = bytes.count
        let n = Self.size(of: value)
        bytes.append(contentsOf: repeatElement(0, count: n))
        bytes.withUnsafeMutableBytes { raw in
            var out = RawByteWriter(raw, at: start)
            out.json(value)
        }
    }
}

extension ByteWriter {
    /// The bytes `body` writes, in place into `count` bytes (for a value whose exact size is
    /// known, such as a proposal: one allocation, and no array append per field). Should the
    /// sizing be wrong, the bytes are still all there: written again into more room, then
    /// trimmed (callers assert the size, so tests catch the sizing bug).
    static func inPlace(count: Int, _ body: (inout RawByteWriter) -> Void) -> [UInt8] {
        var capacity = max(0, count)
        while true {
            var bytes = [UInt8](repeating: 0, count: capacity)
            let (written, overflowed) = bytes.withUnsafeMutableBytes { raw in
                var out = RawByteWriter(raw, at: 0)
                body(&out)
                return (out.written, out.overflowed)
            }
            if !overflowed {
                bytes.removeLast(capacity - written)
                return bytes
            }
            capacity = capacity * 2 + 64
        }
    }
}

/// Writes into bytes already allocated (`ByteWriter.json`, `ByteWriter.inPlace`). Every store
/// is bounds-checked: the room was sized first, and a write past it is dropped rather than made.
struct RawByteWriter {
    private let raw: UnsafeMutableRawBufferPointer
    private var at: Int
    /// Where the next byte goes.
    var written: Int { at }
    /// A write found too little room left (and wrote nothing).
    private(set) var overflowed = false

    init(_ raw: UnsafeMutableRawBufferPointer, at: Int) {
        self.raw = raw
        self.at = at
    }

    @inline(__always)
    mutating func u8(_ v: UInt8) {
        guard at < raw.count else { return overflowed = true }
        raw[at] = v
        at += 1
    }

    @inline(__always)
    mutating func u32(_ v: UInt32) {
        guard raw.count - at >= 4 else { return overflowed = true }
        raw.storeBytes(of: v.littleEndian, toByteOffset: at, as: UInt32.self)
        at += 4
    }

    @inline(__always)
    mutating func u64(_ v: UInt64) {
        guard raw.count - at >= 8 else { return overflowed = true }
        raw.storeBytes(of: v.littleEndian, toByteOffset: at, as: UInt64.self)
        at += 8
    }

    @inline(__always)
    mutating func string(_ s: String) {
        s.withUTF8Bytes { bytes($0) }
    }

    @inline(__always)
    private mutating func bytes(_ utf8: UnsafeBufferPointer<UInt8>) {
        u32(UInt32(truncatingIfNeeded: utf8.count))
        guard raw.count - at >= utf8.count else { return overflowed = true }
        guard let base = raw.baseAddress, let from = utf8.baseAddress else { return }
        (base + at).copyMemory(from: from, byteCount: utf8.count)
        at += utf8.count
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
            items.withUnsafeBufferPointer { items in
                for i in items.indices { json(items[i]) }
            }
        case .object(let o):
            u8(JSONTag.object)
            u32(UInt32(truncatingIfNeeded: o.members.count))
            o.members.withUnsafeBufferPointer { members in
                for i in members.indices {
                    string(members[i].key)
                    // Strings, most values, are written here rather than through another call.
                    if case .string(let s) = members[i].value {
                        u8(JSONTag.string)
                        string(s)
                    } else {
                        json(members[i].value)
                    }
                }
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

    /// Runs one read over the bytes in place and moves past what it read.
    private mutating func read<T>(_ body: (inout RawByteReader) -> T?) -> T? {
        let (value, end) = bytes.withUnsafeBytes { raw in
            var r = RawByteReader(raw, at: at)
            let value = body(&r)
            return (value, r.at)
        }
        at = end
        return value
    }

    mutating func u8() -> UInt8? { read { $0.u8() } }
    mutating func u32() -> UInt32? { read { $0.u32() } }
    mutating func u64() -> UInt64? { read { $0.u64() } }
    mutating func string() -> String? { read { $0.string() } }

    /// A value `ByteWriter.json` wrote; nested no deeper than JSON text may be.
    mutating func json() -> JSON? { read { $0.json(depth: 0) } }
}

/// Reads bytes in place (a whole JSON value is read through one pointer, not an array
/// index checked on every byte).
private struct RawByteReader {
    private let raw: UnsafeRawBufferPointer
    private(set) var at: Int

    init(_ raw: UnsafeRawBufferPointer, at: Int) {
        self.raw = raw
        self.at = at
    }

    mutating func u8() -> UInt8? {
        guard at < raw.count else { return nil }
        defer { at += 1 }
        return raw[at]
    }

    mutating func u32() -> UInt32? {
        guard raw.count - at >= 4 else { return nil }
        defer { at += 4 }
        return UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: at, as: UInt32.self))
    }

    mutating func u64() -> UInt64? {
        guard raw.count - at >= 8 else { return nil }
        defer { at += 8 }
        return UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: at, as: UInt64.self))
    }

    mutating func string() -> String? {
        guard let n = u32(), raw.count - at >= Int(n) else { return nil }
        defer { at += Int(n) }
        return String(decoding: UnsafeRawBufferPointer(rebasing: raw[at..<(at + Int(n))]), as: UTF8.self)
    }

    mutating func json(depth: Int) -> JSON? {
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
            guard let n = u32(), Int(n) <= raw.count - at else { return nil }
            var items: [JSON] = []
            items.reserveCapacity(Int(n))
            for _ in 0..<n {
                guard let item = json(depth: depth + 1) else { return nil }
                items.append(item)
            }
            return .array(items)
        case JSONTag.object:
            guard let n = u32(), Int(n) <= raw.count - at else { return nil }
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
