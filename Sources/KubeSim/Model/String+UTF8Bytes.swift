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
}
