import XCTest
@testable import KubeSim

/// `JSONObject`: members in document order, found by key.
final class JSONObjectTests: XCTestCase {
    func testLookupsTellApartKeysOfOneLength() {
        let long = String(repeating: "k", count: 300)
        let longer = String(repeating: "k", count: 301)
        var o: JSONObject = ["name": "a", "nine": "b", "": "empty", long: "300", longer: "301"]
        XCTAssertEqual(o["name"], "a")
        XCTAssertEqual(o["nine"], "b")
        XCTAssertEqual(o[""], "empty")
        XCTAssertEqual(o[long], "300")
        XCTAssertEqual(o[longer], "301")
        XCTAssertNil(o["none"])
        XCTAssertNil(o["nam"])

        o["nine"] = "c"
        o["none"] = "d"
        o["name"] = nil
        XCTAssertEqual(o.keys, ["nine", "", long, longer, "none"])
        XCTAssertEqual(o.values, ["c", "empty", "300", "301", "d"])
    }

    func testKeysMadeInDifferentWaysAreTheSameKey() throws {
        // Parsed, interpolated and long keys find the members literals made, and back.
        let parsed = try JSON.parse(#"{"metadata":{"resourceVersion":"7"},"spec":{"nodeName":"m02"}}"#)
        let node = "node"
        XCTAssertEqual(parsed["spec", "\(node)Name"], "m02")
        XCTAssertEqual(parsed["metadata", "resourceVersion"], "7")
        var labels = JSON.emptyObject
        labels["app.kubernetes.io/\(node)-pool-with-a-long-name"] = "x"
        XCTAssertEqual(labels["app.kubernetes.io/node-pool-with-a-long-name"], "x")
    }

    /// One text in two byte sequences of different lengths ("é" as one scalar and as "e" +
    /// combining acute) is two keys, as in Go's JSON, where `String`'s `==` alone would merge
    /// them.
    func testKeysAreToldApartByTheirBytes() throws {
        let object = try JSON.parse("{\"caf\u{E9}\": 1, \"cafe\u{301}\": 2}")
        XCTAssertEqual(object.object?.count, 2)
        XCTAssertEqual(object["caf\u{E9}"], 1)
        XCTAssertEqual(object["cafe\u{301}"], 2)
    }

    /// A member keeps its key's length where it would otherwise have padding.
    func testAMemberIsAKeyAndAValue() {
        XCTAssertEqual(MemoryLayout<JSONObject.Member>.stride, 40)
    }

    /// A repeated key replaces the earlier value, as encoding/json does, and keys that differ
    /// in bytes stay two keys, in a small object and past the parser's key index alike.
    func testParsedDuplicatesMergeTheSameWayAtAnySize() throws {
        for filler in [0, 20] {
            let others = (0..<filler).map { "\"k\($0)\": \($0)" }
            let members = others + ["\"caf\u{E9}\": 1", "\"cafe\u{301}\": 2", "\"a\": 1", "\"a\": 3", "\"caf\u{E9}\": 4"]
            let object = try XCTUnwrap(JSON.parse("{" + members.joined(separator: ",") + "}").object)
            XCTAssertEqual(object.count, filler + 3, "filler \(filler)")
            XCTAssertEqual(object["a"], 3)
            XCTAssertEqual(object["caf\u{E9}"], 4)
            XCTAssertEqual(object["cafe\u{301}"], 2)
            XCTAssertEqual(object.keys.suffix(3), ["caf\u{E9}", "cafe\u{301}", "a"])
        }
    }

    /// `isIdentical` is `==` by bytes: Unicode-equivalent strings, which `==` calls equal,
    /// differ; so do members in another order, and nested values.
    func testIdenticalComparesBytes() throws {
        let stored = try JSON.parse(#"{"labels":{"app":"K","tier":"web"},"refs":[{"uid":"u-1"}]}"#)
        XCTAssertTrue(stored.isIdentical(to: stored))
        XCTAssertTrue(stored.isIdentical(to: try JSON.parse(#"{"labels":{"app":"K","tier":"web"},"refs":[{"uid":"u-1"}]}"#)))
        var kelvin = stored
        kelvin["labels", "app"] = "\u{212A}"
        XCTAssertEqual(kelvin, stored)
        XCTAssertFalse(kelvin.isIdentical(to: stored))
        var inArray = stored
        inArray["refs"] = [["uid": "u-2"]]
        XCTAssertFalse(inArray.isIdentical(to: stored))
        let reordered = try JSON.parse(#"{"labels":{"tier":"web","app":"K"},"refs":[{"uid":"u-1"}]}"#)
        XCTAssertFalse(reordered.isIdentical(to: stored))
        XCTAssertFalse(JSON.int(1).isIdentical(to: .double(1)))
        XCTAssertTrue(JSON.null.isIdentical(to: .null))
    }

    func testConcatenatingJoinsBytes() {
        XCTAssertEqual(String.concatenating("/registry/pods/", "default", "/", "web-1"), "/registry/pods/default/web-1")
        XCTAssertEqual(String.concatenating("a", ""), "a")
        XCTAssertEqual(String.concatenating("", ""), "")
        XCTAssertEqual(String.concatenating("caf", "e\u{301}", "/", "\u{212A}").utf8.count, 10)
        XCTAssertEqual(Array(String.concatenating("caf", "e\u{301}").utf8), Array("cafe\u{301}".utf8))
    }

    func testDecimalWritesAsStringDoes() {
        for v: Int64 in [0, 7, 9, 10, 99, 100, 12_345, 999_999_999_999_999, 1_000_000_000_000_000, .max, -1, .min] {
            XCTAssertEqual(String.decimal(v), String(v))
        }
    }

    /// Every write stamps `metadata.resourceVersion`: replaced or added where it lies, left
    /// alone (the object not copied) when it already says the revision, and made as the path
    /// setter makes it on other shapes.
    func testStampResourceVersion() throws {
        var pod = try JSON.parse(#"{"kind":"Pod","metadata":{"name":"a","resourceVersion":"7","uid":"u"},"spec":{}}"#)
        let before = pod
        pod.stampResourceVersion(7)
        XCTAssertTrue(pod.sharesStorage(with: before))
        pod.stampResourceVersion(12)
        XCTAssertEqual(pod, try JSON.parse(#"{"kind":"Pod","metadata":{"name":"a","resourceVersion":"12","uid":"u"},"spec":{}}"#))
        XCTAssertEqual(before["metadata", "resourceVersion"], "7")

        var fresh = try JSON.parse(#"{"metadata":{"name":"b"}}"#)
        fresh.stampResourceVersion(3)
        XCTAssertEqual(fresh, try JSON.parse(#"{"metadata":{"name":"b","resourceVersion":"3"}}"#))
        var numeric = try JSON.parse(#"{"metadata":{"resourceVersion":3}}"#)
        numeric.stampResourceVersion(3)
        XCTAssertEqual(numeric, try JSON.parse(#"{"metadata":{"resourceVersion":"3"}}"#))

        for text in [#"{"kind":"Pod"}"#, #"{"metadata":"x"}"#, #"{"metadata":null}"#, "[1]", "null"] {
            var stamped = try JSON.parse(text)
            var expected = stamped
            stamped.stampResourceVersion(5)
            expected["metadata", "resourceVersion"] = "5"
            XCTAssertEqual(stamped, expected, text)
        }
    }

    /// The one-pass read of an object's reference fields gives what the six accessors give,
    /// whatever the members' order, and "" for what is absent or not a string.
    func testReferenceFieldsAreTheAccessorsValues() throws {
        for text in [
            #"{"apiVersion":"v1","kind":"Pod","metadata":{"name":"web","namespace":"default","uid":"u-1","resourceVersion":"7"}}"#,
            #"{"metadata":{"resourceVersion":"7","uid":"u-1","name":"web"},"kind":"Pod"}"#,
            #"{"kind":3,"metadata":{"name":null,"namespace":"kube-system","nam":"x","uid2":"y"}}"#,
            #"{"kind":"Node","metadata":"web"}"#,
            #"["Pod"]"#,
        ] {
            let object = try JSON.parse(text)
            let fields = object.referenceFields
            XCTAssertEqual(fields.kind, object.kind, text)
            XCTAssertEqual(fields.apiVersion, object.apiVersion, text)
            XCTAssertEqual(fields.name, object.name, text)
            XCTAssertEqual(fields.namespace, object.namespace, text)
            XCTAssertEqual(fields.uid, object.uid, text)
            XCTAssertEqual(fields.resourceVersion, object.resourceVersion, text)
        }
        XCTAssertEqual(try JSON.parse(#"{"metadata":{"uid":"u-1"}}"#).referenceFields.uid, "u-1")
    }

    /// The in-place ownership comparison answers as comparing the accessors' values would:
    /// the uid (a string, else "") and the ownerReferences, shared or only equal.
    func testSameOwnershipIsTheAccessorsComparison() throws {
        let texts = [
            #"{"metadata":{"uid":"u-1","ownerReferences":[{"uid":"rs-1"}]}}"#,
            #"{"metadata":{"ownerReferences":[{"uid":"rs-1"}],"uid":"u-1","resourceVersion":"9"},"status":{}}"#,
            #"{"metadata":{"uid":"u-2","ownerReferences":[{"uid":"rs-1"}]}}"#,
            #"{"metadata":{"uid":"u-1","ownerReferences":[{"uid":"rs-2"}]}}"#,
            #"{"metadata":{"uid":"u-1"}}"#,
            #"{"metadata":{"uid":7}}"#,
            #"{"metadata":{}}"#,
            #"{"metadata":"x"}"#,
            #"[1]"#,
        ]
        let objects = try texts.map { try JSON.parse($0) }
        for (a, x) in zip(texts, objects) {
            for (b, y) in zip(texts, objects) {
                let expected = x.uid == y.uid && x["metadata", "ownerReferences"] == y["metadata", "ownerReferences"]
                XCTAssertEqual(x.hasSameOwnership(as: y), expected, "\(a) against \(b)")
            }
        }
        // A later revision sharing the references' buffer.
        var revision = objects[0]
        revision["metadata", "resourceVersion"] = "10"
        XCTAssertTrue(objects[0].hasSameOwnership(as: revision))
    }
}
