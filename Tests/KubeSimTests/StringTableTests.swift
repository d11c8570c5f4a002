import XCTest
@testable import KubeSim

/// `StringTable` against `Dictionary` as the reference, through the operations the store and
/// caches make: inserts, replacements, removals (which move the last entry), reinserts,
/// in-place changes through a default, and enough keys to rebuild the slots many times.
final class StringTableTests: XCTestCase {
    func testAgreesWithDictionaryThroughRandomOperations() {
        var random = SeededRandom(seed: 42)
        var table = StringTable<Int>()
        var reference: [String: Int] = [:]
        // Keys of every length around the 8-byte steps the hash reads, sharing long prefixes
        // as store keys do, plus non-ASCII ones.
        let keys: [String] = (0..<600).map { i in
            switch i % 4 {
            case 0: return "/registry/pods/default/web-\(i)"
            case 1: return String(repeating: "k", count: i % 23)
            case 2: return "default/p\(i)-é\(i % 7)"
            default: return "\(i)"
            }
        }
        for step in 0..<40_000 {
            let key = keys[random.int(below: keys.count)]
            switch random.int(below: 6) {
            case 0, 1:
                XCTAssertEqual(table.updateValue(step, forKey: key), reference.updateValue(step, forKey: key))
            case 2:
                XCTAssertEqual(table.removeValue(forKey: key), reference.removeValue(forKey: key))
            case 3:
                table[key, default: 0] += 1
                reference[key, default: 0] += 1
            case 4:
                table[key] = nil
                reference[key] = nil
            default:
                XCTAssertEqual(table[key], reference[key], "step \(step)")
            }
            XCTAssertEqual(table.count, reference.count)
        }
        var seen: [String: Int] = [:]
        for (key, value) in table { XCTAssertNil(seen.updateValue(value, forKey: key), "\(key) twice") }
        XCTAssertEqual(seen, reference)
        for key in keys {
            XCTAssertEqual(table[key], reference[key])
            if let i = table.index(forKey: key) {
                XCTAssertEqual(table.key(at: i), key)
                XCTAssertEqual(table[valueAt: i], reference[key])
            }
        }
        // Emptied one by one, then used again.
        for key in keys { table.removeValue(forKey: key) }
        XCTAssertTrue(table.isEmpty)
        XCTAssertNil(table["/registry/pods/default/web-0"])
        table["a"] = 1
        XCTAssertEqual(Array(table.keys), ["a"])
    }

    /// A value changed through the table (`table[key]?.insert(x)`, `table[key, default:]`,
    /// `table[valueAt:]`) is changed where it lies, held by nothing else meanwhile: a set or
    /// array held as a value is then changed in place rather than copied whole.
    func testValuesChangeInPlace() throws {
        final class Storage {}
        struct Probe {
            var storage = Storage()
            var wasUnique: Bool?
            mutating func change() { wasUnique = isKnownUniquelyReferenced(&storage) }
        }
        var table = StringTable<Probe>()
        table["a"] = Probe()
        table["b"] = Probe()
        table["a"]?.change()
        XCTAssertEqual(table["a"]?.wasUnique, true)
        table["b", default: Probe()].change()
        XCTAssertEqual(table["b"]?.wasUnique, true)
        table["c", default: Probe()].change()
        XCTAssertEqual(table["c"]?.wasUnique, true)
        let i = try XCTUnwrap(table.index(forKey: "a"))
        table[valueAt: i].wasUnique = nil
        table[valueAt: i].change()
        XCTAssertEqual(table["a"]?.wasUnique, true)
        table[valueAt: i].wasUnique = nil
        table.modifyValue(forKey: "a") { $0.change() }
        XCTAssertEqual(table["a"]?.wasUnique, true)
        table.modifyValue(forKey: "absent") { $0.change() }
        XCTAssertNil(table["absent"])
        XCTAssertEqual(table.count, 3)
        // Set to nil through the optional: removed.
        table["b"] = nil
        XCTAssertNil(table["b"])
        XCTAssertEqual(table.count, 2)
    }

    /// Copies share one storage until one of them changes; a change, by any route, leaves
    /// the other copy as it was.
    func testCopiesAreIndependentValues() throws {
        var a: StringTable<[Int]> = ["x": [1], "y": [2]]
        var copies = [a, a, a, a, a, a]
        a["x"]?.append(10)
        copies[0]["z"] = [3]
        copies[1].removeValue(forKey: "y")
        copies[2]["y", default: []].append(20)
        let i = try XCTUnwrap(copies[3].index(forKey: "x"))
        copies[3][valueAt: i] = [30]
        copies[4].removeAll(keepingCapacity: true)
        copies[5].updateValue([40], forKey: "x")
        XCTAssertEqual(a["x"], [1, 10])
        XCTAssertEqual(a["y"], [2])
        XCTAssertEqual(a.count, 2)
        func contents(_ t: StringTable<[Int]>) -> [String] { t.map { "\($0.key)=\($0.value)" }.sorted() }
        XCTAssertEqual(contents(copies[0]), ["x=[1]", "y=[2]", "z=[3]"])
        XCTAssertEqual(contents(copies[1]), ["x=[1]"])
        XCTAssertEqual(contents(copies[2]), ["x=[1]", "y=[2, 20]"])
        XCTAssertEqual(contents(copies[3]), ["x=[30]", "y=[2]"])
        XCTAssertEqual(contents(copies[4]), [])
        XCTAssertEqual(contents(copies[5]), ["x=[40]", "y=[2]"])
        XCTAssertEqual(copies[4]["x"], nil)
        copies[4]["w"] = [5]
        XCTAssertEqual(contents(copies[4]), ["w=[5]"])
        // Removing an absent key from a shared table, and reading it, change nothing.
        var b = a
        XCTAssertNil(b.removeValue(forKey: "absent"))
        b["absent"] = nil
        XCTAssertEqual(contents(a), contents(b))
    }

    /// Setting a value through `index(setting:forKey:)` adds or replaces it and gives the
    /// position where it now lies, through table growth.
    func testIndexSettingAValue() {
        var table: StringTable<Int> = [:]
        for n in 0..<100 {
            let i = table.index(setting: n, forKey: "k\(n)")
            XCTAssertEqual(table.key(at: i), "k\(n)")
            XCTAssertEqual(table[valueAt: i], n)
        }
        let i = table.index(setting: -7, forKey: "k42")
        XCTAssertEqual(table.count, 100)
        XCTAssertEqual(table.key(at: i), "k42")
        XCTAssertEqual(table["k42"], -7)
    }

    /// A key can be looked up by its bytes within a longer string, with no string built.
    func testIndexForUTF8Bytes() {
        let table: StringTable<Int> = ["/registry/pods/": 1, "/registry/events/": 2]
        let key = "/registry/events/default/web.17"
        key.withUTF8Bytes { bytes in
            func prefix(_ n: Int) -> UnsafeRawBufferPointer {
                UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: bytes[..<n]))
            }
            XCTAssertEqual(table.index(forUTF8: prefix(17)).map { table.key(at: $0) }, "/registry/events/")
            XCTAssertNil(table.index(forUTF8: prefix(16)))
            XCTAssertNil(table.index(forUTF8: prefix(0)))
        }
        XCTAssertNil(StringTable<Int>().index(forUTF8: UnsafeRawBufferPointer(start: nil, count: 0)))
    }

    /// Keys are equal when their bytes are, as in Go: the precomposed and decomposed spellings
    /// of "é", equal as Swift `String`s, are two keys.
    func testKeysCompareByBytes() {
        var table: StringTable<Int> = ["caf\u{E9}": 1]
        table["cafe\u{301}"] = 2
        XCTAssertEqual(table.count, 2)
        XCTAssertEqual(table["caf\u{E9}"], 1)
        XCTAssertEqual(table["cafe\u{301}"], 2)
        XCTAssertNil(table["cafe"])
        XCTAssertTrue(StringTable<Int>.sameBytes("", ""))
        XCTAssertFalse(StringTable<Int>.sameBytes("a", ""))
        // Every length the comparison reads differently (bytes, two 4-byte loads, two 8-byte
        // loads, memcmp), with the one differing byte at every position.
        for n in 1...40 {
            let key = String(repeating: "a", count: n)
            XCTAssertTrue(key.hasSameUTF8(as: String(decoding: Array(key.utf8), as: UTF8.self)))
            for i in 0..<n {
                var bytes = Array(key.utf8)
                bytes[i] = UInt8(ascii: "b")
                XCTAssertFalse(key.hasSameUTF8(as: String(decoding: bytes, as: UTF8.self)), "length \(n), byte \(i)")
            }
        }
    }

    /// The same bytes hash the same wherever they lie (a small string, a native one, a fresh
    /// copy, a slice of a longer buffer whose other bytes differ), and every byte of a key
    /// counts: every length the hash reads differently, up to three 16-byte steps and a tail.
    func testHashReadsEveryByte() {
        let long = "/registry/pods/default/web-7d4b9c-x2x5k"
        let copy = String(decoding: Array(long.utf8), as: UTF8.self)
        XCTAssertEqual(StringTable<Int>.hash(long), StringTable<Int>.hash(copy))
        var hashes = Set<UInt64>()
        for n in 0...47 {
            let key = String(repeating: "a", count: n)
            hashes.insert(StringTable<Int>.hash(key))
            for fill: UInt8 in [0x00, 0xFF] {
                var buffer = [UInt8](repeating: fill, count: n + 16)
                buffer.replaceSubrange(8..<(8 + n), with: key.utf8)
                let sliced = buffer.withUnsafeBytes { StringTable<Int>.hash(UnsafeRawBufferPointer(rebasing: $0[8..<(8 + n)])) }
                XCTAssertEqual(sliced, StringTable<Int>.hash(key), "length \(n) amid \(fill)")
            }
            for i in 0..<n {
                var bytes = Array(key.utf8)
                bytes[i] = UInt8(ascii: "b")
                hashes.insert(StringTable<Int>.hash(String(decoding: bytes, as: UTF8.self)))
            }
        }
        XCTAssertEqual(hashes.count, 48 + (0...47).reduce(0, +))
    }
}
