import XCTest
@testable import KubeSim

/// Quantities parse and print as `k8s.io/apimachinery/pkg/api/resource` does. Cases come
/// from upstream's `TestQuantityParse` and `TestQuantityString` (quantity_test.go).
final class QuantityTests: XCTestCase {
    private func canonical(_ text: String) -> String? { Quantity.parse(text)?.description }

    func testCanonicalForms() {
        let cases: [(String, String)] = [
            ("100m", "100m"), ("2", "2"), ("1.5", "1500m"), ("128Mi", "128Mi"), ("1G", "1G"), ("1e3", "1e3"),
            ("0.5Gi", "512Mi"), ("1Gi", "1Gi"), ("1024Mi", "1Gi"), ("307200Ki", "300Mi"), ("5000m", "5"),
            ("0.5", "500m"), ("1.08", "1080m"), ("1080000000n", "1080m"), ("1000u", "1m"), ("0.001T", "1G"),
            (".001e12", "1e9"), ("0.001e0", "1e-3"), ("1000e-12", "1e-9"), ("00", "0"), ("0", "0"), ("0Ki", "0"),
            ("1025", "1025"), ("1000", "1k"), ("100.035k", "100035"), ("1.2e3", "1200"), ("1.01E", "1010P"),
            ("12E", "12E"), ("3.001n", "4n"), ("0.0000000001", "1n"), ("0.000000000001Ki", "2n"),
            ("-1.5", "-1500m"), ("+2", "2"), ("-0", "0"), ("1.", "1"), ("1.G", "1G"), (".0001k", "100m"),
            ("0.05Gi", "53687091200m"), ("1023Ki", "1023Ki"), ("1536", "1536"),
            ("9Ei", "9223372036854775807"), ("9223372036854775807Ki", "9223372036854775807"),
        ]
        for (input, expected) in cases {
            XCTAssertEqual(canonical(input), expected, "canonical form of \(input)")
        }
    }

    /// The defaulting's byte check says "canonical" only of text that parses and prints back
    /// as itself at milli precision, and says it of the forms objects usually carry.
    func testCanonicalAtMilliAgreesWithParseAndPrint() {
        let numbers = ["0", "00", "01", "1", "7", "8", "9", "10", "100", "110", "250", "999", "1000", "1001", "1024",
                       "1500", "1536", "2048", "3000", "4096", "1048576", "17179869184", "123456789012345678",
                       "999999999999999999", "1000000000000000000", "1234567890123456789", "9223372036854775807"]
        let suffixes = ["", "n", "u", "m", "k", "M", "G", "T", "P", "E", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei", "K", "i",
                        "mi", " ", "e3", "KiB"]
        var accepted = 0
        for number in numbers {
            for suffix in suffixes {
                let text = number + suffix
                guard Quantity.isCanonicalAtMilli(text) else { continue }
                accepted += 1
                XCTAssertEqual(Quantity.parse(text)?.roundedUp(toPower: -3).description, text, text)
            }
        }
        XCTAssertGreaterThan(accepted, 100)
        // The node validation's byte reading: the parse's milli value wherever it answers.
        var read = 0
        for number in numbers {
            for suffix in suffixes {
                let text = number + suffix
                guard let milli = Quantity.simpleMilliValue(text) else { continue }
                read += 1
                XCTAssertEqual(Quantity.parse(text)?.milliValue, milli, text)
            }
        }
        XCTAssertGreaterThan(read, 200)
        XCTAssertEqual(Quantity.simpleMilliValue("8Gi"), 8 << 30 * 1000)
        XCTAssertNil(Quantity.simpleMilliValue("-1"))
        XCTAssertNil(Quantity.simpleMilliValue("10P"))  // past Int64 in thousandths
        for text in ["100m", "250m", "2", "110", "4Gi", "128Mi", "1500", "1k", "7Ei", "17179869184", "0", "1023Ki"] {
            XCTAssertTrue(Quantity.isCanonicalAtMilli(text), text)
        }
        for text in ["1000m", "1024Ki", "0m", "05", "1000", "100u", "9Ei", "1e3", "+1", "1.5", " 1", "1000E"] {
            XCTAssertFalse(Quantity.isCanonicalAtMilli(text), text)
        }
    }

    func testMalformedInputsReturnNil() {
        for input in ["", "1.1.M", "1+1.0M", "0.1mi", "0.1am", "aoeu", ".5i", "1i", "-3.01i", "-3.01e-", " 1", "1 ",
                      "1e", "1Kii", "--1", "1e99999999999999999999", "0x10", "1,000"] {
            XCTAssertNil(Quantity.parse(input), "\(input) should not parse")
        }
    }

    func testParseErrorsUseUpstreamWording() {
        guard case .failure(let e) = Quantity.parseResult("abc") else { return XCTFail("abc parsed") }
        XCTAssertEqual(e.message, "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'")
        guard case .failure(let s) = Quantity.parseResult("1mi") else { return XCTFail("1mi parsed") }
        XCTAssertEqual(s.message, "unable to parse quantity's suffix")
    }

    func testComparisonIsByValue() throws {
        let gi = try XCTUnwrap(Quantity.parse("1Gi"))
        XCTAssertEqual(gi, Quantity.parse("1073741824"))
        XCTAssertEqual(Quantity.parse("1"), Quantity.parse("1000m"))
        XCTAssertLessThan(try XCTUnwrap(Quantity.parse("100m")), try XCTUnwrap(Quantity.parse("1")))
        XCTAssertGreaterThan(try XCTUnwrap(Quantity.parse("2")), try XCTUnwrap(Quantity.parse("1500m")))
        XCTAssertLessThan(try XCTUnwrap(Quantity.parse("-1")), try XCTUnwrap(Quantity.parse("0")))
        XCTAssertLessThan(try XCTUnwrap(Quantity.parse("-2")), try XCTUnwrap(Quantity.parse("-1")))
        XCTAssertLessThan(try XCTUnwrap(Quantity.parse("999Mi")), gi)
        XCTAssertLessThan(try XCTUnwrap(Quantity.parse("1e-9")), try XCTUnwrap(Quantity.parse("1m")))
    }

    func testIntegerViewsRoundUp() throws {
        XCTAssertEqual(Quantity.parse("100m")?.milliValue, 100)
        XCTAssertEqual(Quantity.parse("100m")?.value, 1)
        XCTAssertEqual(Quantity.parse("1.5")?.value, 2)
        XCTAssertEqual(Quantity.parse("2")?.milliValue, 2000)
        XCTAssertEqual(Quantity.parse("1Gi")?.value, 1_073_741_824)
        XCTAssertEqual(Quantity.parse("1n")?.milliValue, 1)
        XCTAssertEqual(Quantity.parse("-1.5")?.value, -1)
        XCTAssertEqual(Quantity.parse("0")?.milliValue, 0)
    }

    func testHugeValuesSaturate() {
        XCTAssertEqual(Quantity.parse("1e100")?.value, Int64.max)
        XCTAssertEqual(Quantity.parse("1e100")?.milliValue, Int64.max)
        XCTAssertEqual(Quantity.parse("-1e100")?.value, Int64.min)
        XCTAssertEqual(Quantity.parse("9223372036854775807")?.value, Int64.max)
        XCTAssertEqual(Quantity.parse("9223372036854775807")?.milliValue, Int64.max)
        XCTAssertEqual(Quantity.parse("9223372036854775808")?.value, Int64.max)
        XCTAssertEqual(Quantity.parse("-9223372036854775808")?.value, Int64.min)
        XCTAssertEqual(Quantity.parse("8Ei")?.value, Int64.max, "binary amounts are capped at MaxInt64")
        XCTAssertEqual(Quantity.parse("1e2147483647")?.value, Int64.max)
        XCTAssertEqual(Quantity.parse("1e-2147483648")?.description, "1e-9")
        XCTAssertNotNil(Quantity.parse("1e9999999999")?.description)
        XCTAssertEqual(Quantity.parse(String(repeating: "9", count: 400))?.value, Int64.max)
    }

    func testJSONForms() {
        XCTAssertEqual(Quantity(json: 2)?.description, "2")
        XCTAssertEqual(Quantity(json: 0.5)?.description, "500m")
        XCTAssertEqual(Quantity(json: " 250m ")?.description, "250m")
        XCTAssertNil(Quantity(json: true))
        XCTAssertNil(Quantity(json: .null))
        XCTAssertNil(Quantity(json: "lots"))
    }

    /// The one-pass parse of whole digits with a suffix must agree exactly (digits, exponent,
    /// sign, format and error) with upstream's general grammar, including at its edges: 18
    /// and 19 digits, binary amounts at and past Int64.max, zero with each suffix.
    func testOnePassParseMatchesTheGeneralGrammar() {
        var numbers = ["0", "00", "007", "1", "7", "10", "100", "1000", "1023", "1024", "1536", "110",
                       "17784752", "999999999999999999", "123456789012345678", "100000000000000000",
                       "1234567890123456789", "9223372036854775807", "9223372036854775808"]
        for shift in stride(from: 10, through: 60, by: 10) {
            let limit = UInt64(Int64.max) >> UInt64(shift)
            numbers += [String(limit), String(limit + 1), String(limit - 1)]
        }
        let suffixes = ["", "n", "u", "m", "k", "M", "G", "T", "P", "E", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei",
                        "K", "mi", "i", "e3", "E3", "Kii", "ki", " ", ".5", "x"]
        func parts(_ r: Result<Quantity, Quantity.ParseError>) -> String {
            switch r {
            case .success(let q): return "\(q.digits) e\(q.exponent) \(q.negative) \(q.format) \(q.description)"
            case .failure(let e): return "error \(e)"
            }
        }
        for number in numbers {
            for suffix in suffixes {
                let text = number + suffix
                XCTAssertEqual(parts(Quantity.parseResult(text)), parts(Quantity.parseGeneral(text)), text)
            }
        }
    }

    /// Every suffix's power, read back through the value in thousandths.
    func testEverySuffixScalesByItsPower() {
        let decimal: [(String, Int64)] = [("n", 1), ("u", 1), ("m", 1), ("", 1_000), ("k", 1_000_000), ("M", 1_000_000_000),
                                          ("G", 1_000_000_000_000), ("T", 1_000_000_000_000_000),
                                          ("P", 1_000_000_000_000_000_000), ("E", Int64.max)]
        for (suffix, milli) in decimal {
            XCTAssertEqual(Quantity.parse("1" + suffix)?.milliValue, milli, "1\(suffix)")
        }
        for (i, suffix) in ["Ki", "Mi", "Gi", "Ti", "Pi", "Ei"].enumerated() {
            XCTAssertEqual(Quantity.parse("1" + suffix)?.value, Int64(1) << Int64(10 * (i + 1)), "1\(suffix)")
        }
        XCTAssertEqual(Quantity.parse("1E")?.description, "1E")
        XCTAssertEqual(Quantity.parse("1E3")?.description, "1e3")
        XCTAssertNil(Quantity.parse("1K"))
        XCTAssertNil(Quantity.parse("1mi"))
    }

    func testDescriptionOfBinaryAmounts() {
        let cases: [(String, String)] = [
            ("1023", "1023"), ("1Ki", "1Ki"), ("1536Ki", "1536Ki"), ("1.5Ki", "1536"), ("0.5Ki", "512"),
            ("8Ei", "9223372036854775807"), ("2048Mi", "2Gi"), ("1000Ki", "1000Ki"), ("17784752Ki", "17784752Ki"),
        ]
        for (input, expected) in cases {
            XCTAssertEqual(canonical(input), expected, "canonical form of \(input)")
        }
        XCTAssertNil(Quantity.parse(" 1Gi\t"))
        XCTAssertEqual(Quantity.trimmingSpaces(" 1Gi\t"), "1Gi")
        XCTAssertEqual(Quantity.trimmingSpaces("1Gi"), "1Gi")
        XCTAssertEqual(Quantity.trimmingSpaces("  "), "")
        XCTAssertEqual(Quantity.trimmingSpaces(""), "")
    }
}
