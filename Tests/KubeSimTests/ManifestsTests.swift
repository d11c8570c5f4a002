import XCTest
@testable import KubeSim

/// Reading manifests: YAML converted to JSON as sigs.k8s.io/yaml (go-yaml v2) converts it,
/// and its errors worded as the API server's.
final class ManifestsTests: XCTestCase {
    private func decode(_ text: String) -> [JSON]? { try? Manifests.decode(text).get() }
    private func error(_ text: String) -> String? { Manifests.decode(text).failure?.message }

    func testPlainScalarsResolveAsYAML11AndOthersStayStrings() throws {
        let docs = try XCTUnwrap(decode("""
            a: yes
            b: "yes"
            c: 0x1F
            d: 012
            d2: 0o17
            d3: 0b101
            d4: -0x1F
            d5: 1_000
            d6: 08
            d7: 9223372036854775807
            d8: -9223372036854775808
            d9: 9223372036854775808
            d10: 0xFFFFFFFFFFFFFFFF
            d11: 0b-1
            t: !!str 123
            t2: ! 12
            t3: !!int "12"
            t4: !custom 12
            t5: !!null ~
            t6: !!binary aGVsbG8=
            e: 1e3
            e2: 1.
            e3: +.5
            e4: 0x1p3
            e5: 1e400
            e6: 2001-12-14
            f: .inf
            g: ~
            h: |
              two
              lines
            i: 'off'
            1: one
            true: key
            ---
            # only a comment: no object
            ---
            kind: List
            items: [{name: a}, {name: y}]

            """))
        XCTAssertEqual(docs.count, 3)
        XCTAssertEqual(docs[0].serialized(),
                       #"{"a":true,"b":"yes","c":31,"d":10,"d2":15,"d3":5,"d4":-31,"d5":1000,"d6":8,"d7":9223372036854775807,"#
                       + #""d8":-9223372036854775808,"d9":9.223372036854776e+18,"d10":1.8446744073709552e+19,"d11":-1,"t":"123","t2":"12","t3":12,"t4":"12","t5":null,"t6":"hello","e":1000,"e2":1,"e3":0.5,"e4":"0x1p3","e5":"1e400","#
                       + #""e6":"2001-12-14","f":".inf","g":null,"h":"two\nlines\n","i":"off","1":"one","true":"key"}"#)
        XCTAssertEqual(docs[0]["d"], .int(10), "a leading 0 is octal")
        XCTAssertEqual(docs[0]["d6"], .double(8), "not octal, so a float, as in go-yaml")
        // go-yaml keeps d9 and d10 as unsigned 64-bit integers; JSON here has none.
        XCTAssertEqual(docs[1], ["name": "a"])
        XCTAssertEqual(docs[2], ["name": true])
        XCTAssertEqual(decode(""), [])
        XCTAssertEqual(decode("---\n---\n"), [])
    }

    func testAliasesRepeatTheirAnchorsWithinADocument() throws {
        let docs = try XCTUnwrap(decode("""
            labels: &labels {app: web, tier: front}
            selector: *labels
            name: &name web
            *name : again
            list: &list [1, *name]
            copy: *list

            """))
        XCTAssertEqual(docs.first?.serialized(),
                       #"{"labels":{"app":"web","tier":"front"},"selector":{"app":"web","tier":"front"},"name":"web","web":"again","list":[1,"web"],"copy":[1,"web"]}"#)
        XCTAssertEqual(error("a: *nowhere\n"), "error converting YAML to JSON: yaml: unknown anchor 'nowhere' referenced")
        // An anchor belongs to its document, as in go-yaml.
        XCTAssertEqual(error("a: &x 1\n---\nb: *x\n"), "error converting YAML to JSON: yaml: unknown anchor 'x' referenced")
    }

    func testRepeatedKeysAreAllReportedWithTheirValuesLines() {
        XCTAssertEqual(error("""
            a: 1
            b: 2
            a: 3
            b:
              - x

            """), "error converting YAML to JSON: yaml: unmarshal errors:\n  line 3: key \"a\" already set in map\n  line 5: key \"b\" already set in map")
        // Past sixteen keys a mapping remembers its keys in a set: the same answer.
        let many = (0..<40).map { "k\($0): \($0)\n" }.joined() + "k7: again\n"
        XCTAssertEqual(error(many), "error converting YAML to JSON: yaml: unmarshal errors:\n  line 41: key \"k7\" already set in map")
        XCTAssertEqual(decode((0..<40).map { "k\($0): \($0)\n" }.joined())?.first?.object?.count, 40)
    }

    func testSyntaxErrorsComeBeforeKeyErrors() {
        XCTAssertEqual(error("? [a]\n: b\n"), "error converting YAML to JSON: yaml: invalid map key: [\"a\"]")
        // The document is parsed whole before its keys are judged, as go-yaml does, and the
        // line is go-yaml's: libyaml's problem line counted from 0 (go-yaml's parser.fail).
        XCTAssertEqual(error("? [a]\n: b\nc: [d\n"),
                       "error converting YAML to JSON: yaml: line 3: did not find expected ',' or ']'")
        XCTAssertEqual(error("a: 1\na: 2\nb: {c\n"),
                       "error converting YAML to JSON: yaml: line 3: did not find expected ',' or '}'")
        // Lines as kubectl 1.32 prints them for the same input.
        XCTAssertEqual(error("v: [A,"), "error converting YAML to JSON: yaml: line 1: did not find expected node content")
        XCTAssertEqual(error("apiVersion: v1\nkind: Pod\nmetadata:\n  name: [unclosed\n"),
                       "error converting YAML to JSON: yaml: line 4: did not find expected ',' or ']'")
        // A document that fails stops the stream: what follows is not read.
        XCTAssertEqual(error("a: 1\na: 2\n---\nb: [\n"),
                       "error converting YAML to JSON: yaml: unmarshal errors:\n  line 2: key \"a\" already set in map")
    }

    func testAliasesCannotNestPastTheDepthLimitOrMultiplyUnbounded() {
        // Each anchor wraps the last in 100 brackets: 300 deep once the aliases are expanded.
        var deep = "- &a0 x\n"
        for i in 1...3 {
            deep += "- &a\(i) " + String(repeating: "[", count: 100) + "*a\(i - 1)" + String(repeating: "]", count: 100) + "\n"
        }
        XCTAssertEqual(error(deep), "error converting YAML to JSON: exceeded max depth of 256")
        XCTAssertEqual(try? YAMLReader.documents("- &a0 x\n- &a1 [[[*a0]]]\n- [[*a1]]\n").get().first?.serialized(),
                       #"["x",[[["x"]]],[[[[["x"]]]]]]"#)

        // Nine levels of ten aliases each: a billion strings from a few hundred bytes.
        var laughs = "a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
        for i in 1...8 {
            let previous = Array(repeating: "*a\(i - 1)", count: 10).joined(separator: ", ")
            laughs += "a\(i): &a\(i) [\(previous)]\n"
        }
        XCTAssertEqual(error(laughs), "error converting YAML to JSON: yaml: document contains excessive aliasing")
        // A few aliases in a normal document are fine.
        XCTAssertEqual(decode("base: &b {x: 1}\none: *b\ntwo: *b\n")?.first?["two"], ["x": 1])

        // A name is bound where its node begins: a node inside takes it over, as in go-yaml.
        XCTAssertEqual(decode("a: &x [&x 1, *x]\nb: *x\n")?.first?.serialized(), #"{"a":[1,1],"b":1}"#)
        XCTAssertEqual(decode("x: &x {a: &x {b: 1}, c: *x}\n")?.first?.serialized(), #"{"x":{"a":{"b":1},"c":{"b":1}}}"#)
        XCTAssertEqual(error("a: &x [*x]\n"), "error converting YAML to JSON: yaml: anchor 'x' value contains itself")
        XCTAssertEqual(error("- &x 1\n- &x [*x]\n"), "error converting YAML to JSON: yaml: anchor 'x' value contains itself")
        // A syntax error later in the document still comes first.
        XCTAssertEqual(error("a: &x [*x]\nb: [\n"),
                       "error converting YAML to JSON: yaml: line 2: did not find expected node content")
    }

    func testBinaryMustBeBase64() {
        XCTAssertEqual(error("a: !!binary \"!!!\"\n"), "error converting YAML to JSON: yaml: !!binary value contains invalid base64 data")
    }

    func testDepthIsLimitedAndControlCharactersRefused() {
        // Past libyaml's own limit (1,000 levels) the error is still ours.
        let block = (0..<1_200).map { String(repeating: " ", count: $0) + "- \n" }.joined()
        XCTAssertEqual(error(block), "error converting YAML to JSON: exceeded max depth of 256")
        XCTAssertEqual(error("a: " + String(repeating: "[", count: 2_000)), "error converting YAML to JSON: exceeded max depth of 256")
        let deepest = String(repeating: "[", count: 257) + String(repeating: "]", count: 257)
        XCTAssertEqual(YAMLReader.documents(deepest).failure?.message, nil)
        let tooDeep = String(repeating: "[", count: 258) + String(repeating: "]", count: 258)
        XCTAssertEqual(YAMLReader.documents(tooDeep).failure?.message,
                       "error converting YAML to JSON: exceeded max depth of 256")
        XCTAssertEqual(error("a: b\u{01}\n"), "error converting YAML to JSON: yaml: control characters are not allowed")
    }
}
