#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension String {
    /// Runs `body` over the string's UTF-8 bytes where they lie (a copy is made only for a
    /// string without contiguous storage). Scans of names and keys run for every object
    /// written; stepping through `UTF8View`'s iterator costs several times more.
    @inline(__always)
    func withUTF8Bytes<R>(_ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        if let result = utf8.withContiguousStorageIfAvailable(body) { return result }
        return ContiguousArray(utf8).withUnsafeBufferPointer(body)
    }

    /// Whether the string is all ASCII, where Swift's Character-wise `contains`, `==` and `<`
    /// agree with a byte scan and byte order.
    var isASCII: Bool { withUTF8Bytes { $0.allSatisfy { $0 < 0x80 } } }

    /// Whether the two strings have the same UTF-8 bytes (`memcmp` where they lie), as Go
    /// compares strings. (`==` on `String` compares Unicode-equivalent text as equal, and for
    /// two copies of a long string in different storage costs several times as much.)
    @inline(__always)
    func hasSameUTF8(as other: String) -> Bool {
        withUTF8Bytes { x in
            other.withUTF8Bytes { y in
                let n = x.count
                guard n == y.count else { return false }
                let a = UnsafeRawBufferPointer(x), b = UnsafeRawBufferPointer(y)
                // Up to 16 bytes (most keys and names) in two overlapping loads a side, which
                // branch less than `memcmp` does on short inputs.
                if n >= 8, n <= 16 {
                    return a.loadUnaligned(fromByteOffset: 0, as: UInt64.self) == b.loadUnaligned(fromByteOffset: 0, as: UInt64.self)
                        && a.loadUnaligned(fromByteOffset: n - 8, as: UInt64.self) == b.loadUnaligned(fromByteOffset: n - 8, as: UInt64.self)
                }
                if n >= 4, n < 8 {
                    return a.loadUnaligned(fromByteOffset: 0, as: UInt32.self) == b.loadUnaligned(fromByteOffset: 0, as: UInt32.self)
                        && a.loadUnaligned(fromByteOffset: n - 4, as: UInt32.self) == b.loadUnaligned(fromByteOffset: n - 4, as: UInt32.self)
                }
                guard let p = x.baseAddress, let q = y.baseAddress else { return true }
                return memcmp(p, q, n) == 0
            }
        }
    }

    /// Whether the string's UTF-8 bytes come before `other`'s in byte order (etcd's key order,
    /// and Go's for map keys): `memcmp` over both strings' bytes where they lie. (`<` on
    /// `String` orders by Unicode scalars after normalisation, which is not byte order.)
    @inline(__always)
    func utf8Precedes(_ other: String) -> Bool {
        withUTF8Bytes { x in
            other.withUTF8Bytes { y in
                let n = min(x.count, y.count)
                if n > 0, let p = x.baseAddress, let q = y.baseAddress {
                    let c = memcmp(p, q, n)
                    if c != 0 { return c < 0 }
                }
                return x.count < y.count
            }
        }
    }

    /// Whether the string's UTF-8 bytes begin with `prefix`'s: etcd's prefix ranges, which
    /// are byte ranges. (`hasPrefix` compares Unicode-equivalent text as equal.)
    @inline(__always)
    func utf8HasPrefix(_ prefix: String) -> Bool {
        withUTF8Bytes { x in
            prefix.withUTF8Bytes { p in
                guard p.count <= x.count else { return false }
                guard p.count > 0, let a = x.baseAddress, let b = p.baseAddress else { return true }
                return memcmp(a, b, p.count) == 0
            }
        }
    }

    /// Whether `other`'s UTF-8 bytes occur in the string's, as Go's `strings.Contains` reads
    /// them. (`contains` on strings resolves to Foundation's here, through Yams, which
    /// bridges to NSString and compares Unicode-equivalent text as equal.)
    func utf8Contains(_ other: String) -> Bool {
        withUTF8Bytes { haystack in
            other.withUTF8Bytes { needle in
                if needle.isEmpty { return true }
                guard needle.count <= haystack.count, let h = haystack.baseAddress, let n = needle.baseAddress else {
                    return false
                }
                let first = needle[0]
                for i in 0...(haystack.count - needle.count) where h[i] == first {
                    if memcmp(h + i, n, needle.count) == 0 { return true }
                }
                return false
            }
        }
    }
}

extension String {
    /// `a + b + c + d`, written once into a string of the final size. Keys (`ns/name`, the
    /// store's `/registry/…` keys) are built for every object written and every watch event;
    /// appending piece by piece grows (copies) the string at each step.
    static func concatenating(_ a: String, _ b: String, _ c: String = "", _ d: String = "") -> String {
        a.withUTF8Bytes { pa in
            b.withUTF8Bytes { pb in
                c.withUTF8Bytes { pc in
                    d.withUTF8Bytes { pd in
                        String(unsafeUninitializedCapacity: pa.count + pb.count + pc.count + pd.count) { out in
                            guard let to = out.baseAddress else { return 0 }
                            var end = 0
                            func put(_ part: UnsafeBufferPointer<UInt8>) {
                                guard let from = part.baseAddress else { return }
                                memcpy(to + end, from, part.count)
                                end += part.count
                            }
                            put(pa)
                            put(pb)
                            put(pc)
                            put(pd)
                            return end
                        }
                    }
                }
            }
        }
    }
}

extension String {
    /// `value` in decimal, as `String(value)` writes it, without its generic path: every
    /// write stamps its revision this way.
    static func decimal(_ value: Int64) -> String {
        guard value >= 0 else { return String(value) }
        var digits = 1
        var rest = value
        while rest >= 10 {
            rest /= 10
            digits += 1
        }
        return String(unsafeUninitializedCapacity: digits) { out in
            var rest = value
            for i in stride(from: digits - 1, through: 0, by: -1) {
                out[i] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: rest % 10)
                rest /= 10
            }
            return digits
        }
    }
}

extension UInt8 {
    /// The ASCII digit for `v` (0–15) in lowercase hexadecimal, as Go's `%x` writes it.
    static func lowercaseHexDigit(_ v: UInt8) -> UInt8 {
        v < 10 ? UInt8(ascii: "0") &+ v : UInt8(ascii: "a") &+ (v &- 10)
    }
}

extension UInt64 {
    /// How many digits `String(self, radix: 16)` (Go's `%x`) writes: no leading zeros, 1 for 0.
    var hexDigitCount: Int { Swift.max(1, (64 - leadingZeroBitCount + 3) / 4) }

    /// Writes those digits, lowercase, into `out` from `i`, and moves `i` past them: for names
    /// built into a buffer of their final size (Event names, container IDs). The room is
    /// checked once, not at every digit.
    func writeHex(into out: UnsafeMutableBufferPointer<UInt8>, at i: inout Int) {
        let count = hexDigitCount
        // No input reaches this: both callers (Event names, container IDs) size `out` from
        // `hexDigitCount`. A wrong size would otherwise write past the buffer.
        precondition(i >= 0 && count <= out.count - i, "no room for the digits")
        guard let base = out.baseAddress else { return }
        let to = base + i
        var rest = self
        for d in stride(from: count - 1, through: 0, by: -1) {
            let nibble = UInt8(truncatingIfNeeded: rest) & 0xF
            to[d] = nibble < 10 ? UInt8(ascii: "0") &+ nibble : UInt8(ascii: "a") &+ (nibble &- 10)
            rest >>= 4
        }
        i += count
    }
}

extension Int {
    /// Decimal text as `Int(_: String)` reads it: an optional sign, then one digit or more;
    /// nil for anything else or a value out of range. For hot paths that hold the bytes.
    init?(decimal bytes: UnsafeBufferPointer<UInt8>) {
        var i = bytes.startIndex
        guard i < bytes.endIndex else { return nil }
        let negative = bytes[i] == UInt8(ascii: "-")
        if negative || bytes[i] == UInt8(ascii: "+") { i += 1 }
        guard i < bytes.endIndex else { return nil }
        var value = 0
        while i < bytes.endIndex {
            let digit = bytes[i] &- UInt8(ascii: "0")
            guard digit < 10 else { return nil }
            let (shifted, o1) = value.multipliedReportingOverflow(by: 10)
            let (next, o2) = negative ? shifted.subtractingReportingOverflow(Int(digit))
                                      : shifted.addingReportingOverflow(Int(digit))
            guard !o1, !o2 else { return nil }
            value = next
            i += 1
        }
        self = value
    }
}
