import XCTest
@testable import KubeSim

/// Label selectors as upstream parses, prints and matches them.
///
/// Reference: k8s.io/apimachinery `pkg/labels/selector.go` (lexer, parser, `NewRequirement`,
/// `Requirement.Matches`, `String()`), `pkg/api/validate/content/{kube,dns,errors}.go` (1.36) and
/// `pkg/util/validation/validation.go` (1.18) for key/value messages,
/// `pkg/apis/meta/v1/{helpers.go,validation/validation.go}` for `LabelSelectorAsSelector` and
/// `ValidateLabelSelector`. Expected texts were produced by running upstream's own parser
/// (apimachinery HEAD ≈ v0.36 and v0.18.0) over the same inputs.
final class LabelSelectorTests: XCTestCase {
    // The regex hints upstream appends to key and value errors, verbatim (note the doubled spaces).
    static let keyHint = "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an "
        + "alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is "
        + "'([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')"
    static let valueHint = "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' "
        + "or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or "
        + "'12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')"

    private func parseFailure(_ text: String, _ version: KubernetesVersion? = nil) -> StatusError? {
        do throws(StatusError) {
            if let version {
                _ = try LabelSelector.parse(text, version: version)
            } else {
                _ = try LabelSelector.parse(text)
            }
            return nil
        } catch {
            return error
        }
    }

    private func assertParseError(_ text: String, _ message: String, version: KubernetesVersion? = nil,
                                  file: StaticString = #filePath, line: UInt = #line) {
        guard let error = parseFailure(text, version) else {
            XCTFail("\(text) parsed, expected: \(message)", file: file, line: line)
            return
        }
        XCTAssertEqual(error.message, message, "input: \(text)", file: file, line: line)
        XCTAssertEqual(error.code, 400, file: file, line: line)
        XCTAssertEqual(error.reason, "BadRequest", file: file, line: line)
    }

    // MARK: Parsing and printing

    func testParseRoundTripsThroughUpstreamString() throws {
        let cases: [(String, String)] = [
            ("app=nginx,env in (prod,test),!canary", "app=nginx,!canary,env in (prod,test)"),
            ("x in (b,a,a)", "x in (a,b)"),
            ("x notin (a),y", "x notin (a),y"),
            ("a==b", "a==b"),
            ("a!=b", "a!=b"),
            ("x>5", "x>5"),
            ("x<10", "x<10"),
            (" a = b , c ", "a=b,c"),
            ("x in ()", "x in ()"),
            ("x in (a,,b)", "x in (,a,b)"),
            ("x in (a,,)", "x in (,a)"),
            ("k8s.io/app=web", "k8s.io/app=web"),
            ("in=notin", "in=notin"),
            ("x in (in,notin)", "x in (in,notin)"),
            ("x notin(a)", "x notin (a)"),
            ("x= ", "x="),
            ("!a,b", "!a,b"),
            ("b=1,a=2", "a=2,b=1"),
        ]
        for (input, expected) in cases {
            let selector = try LabelSelector.parse(input)
            XCTAssertEqual(selector.description, expected, "input: \(input)")
            // The printed form parses back to the same selector.
            XCTAssertEqual(try LabelSelector.parse(selector.description), selector, "input: \(input)")
        }
    }

    func testRequirementsAreSortedByKeyWithSortedValues() throws {
        let selector = try LabelSelector.parse("tier notin (web,api),app=nginx,!canary,x>3")
        XCTAssertEqual(selector.requirements, [
            .init(key: "app", op: .equals, values: ["nginx"]),
            .init(key: "canary", op: .doesNotExist),
            .init(key: "tier", op: .notIn, values: ["api", "web"]),
            .init(key: "x", op: .greaterThan, values: ["3"]),
        ])
        // Requirements on one key keep their written order.
        XCTAssertEqual(try LabelSelector.parse("a!=c,a=b").description, "a!=c,a=b")
        XCTAssertEqual(LabelSelector(requirements: [.init(key: "b", op: .exists), .init(key: "a", op: .exists)])
            .description, "a,b")
    }

    func testEmptyInputSelectsEverything() throws {
        for input in ["", " ", "\t\n"] {
            let selector = try LabelSelector.parse(input)
            XCTAssertEqual(selector, .everything)
            XCTAssertTrue(selector.isEmpty)
            XCTAssertEqual(selector.description, "")
            XCTAssertTrue(selector.matches(.null))
        }
    }

    // MARK: Matching

    func testEqualityOperators() throws {
        for input in ["app=web", "app==web", "app in (web)"] {
            let selector = try LabelSelector.parse(input)
            XCTAssertTrue(selector.matches(["app": "web"]), input)
            XCTAssertTrue(selector.matches(["app": "web", "x": "y"]), input)
            XCTAssertFalse(selector.matches(["app": "api"]), input)
            XCTAssertFalse(selector.matches([:]), input)
        }
        let empty = try LabelSelector.parse("app=")
        XCTAssertTrue(empty.matches(["app": ""]))
        XCTAssertFalse(empty.matches([:]))
    }

    func testNotEqualsAndNotInMatchObjectsWithoutTheKey() throws {
        for input in ["app!=web", "app notin (web,api)"] {
            let selector = try LabelSelector.parse(input)
            XCTAssertTrue(selector.matches([:]), input)
            XCTAssertTrue(selector.matches(["other": "web"]), input)
            XCTAssertTrue(selector.matches(["app": "db"]), input)
            XCTAssertFalse(selector.matches(["app": "web"]), input)
        }
        XCTAssertTrue(try LabelSelector.parse("x notin ()").matches(["x": "a"]))
        XCTAssertFalse(try LabelSelector.parse("x notin ()").matches(["x": ""]))
    }

    func testInMatchesAnyListedValue() throws {
        let selector = try LabelSelector.parse("env in (prod,test)")
        XCTAssertTrue(selector.matches(["env": "prod"]))
        XCTAssertTrue(selector.matches(["env": "test"]))
        XCTAssertFalse(selector.matches(["env": "dev"]))
        XCTAssertFalse(selector.matches([:]))
        // `()` is the set holding the empty string.
        XCTAssertTrue(try LabelSelector.parse("x in ()").matches(["x": ""]))
        XCTAssertFalse(try LabelSelector.parse("x in ()").matches([:]))
    }

    func testExistsAndDoesNotExist() throws {
        let exists = try LabelSelector.parse("app")
        XCTAssertEqual(exists.requirements, [.init(key: "app", op: .exists)])
        XCTAssertTrue(exists.matches(["app": ""]))
        XCTAssertFalse(exists.matches(["apps": "x"]))
        let absent = try LabelSelector.parse("!app")
        XCTAssertEqual(absent.requirements, [.init(key: "app", op: .doesNotExist)])
        XCTAssertTrue(absent.matches([:]))
        XCTAssertFalse(absent.matches(["app": ""]))
    }

    func testGreaterThanAndLessThanCompareAs64BitIntegers() throws {
        let gt = try LabelSelector.parse("replicas>5")
        XCTAssertEqual(gt.requirements, [.init(key: "replicas", op: .greaterThan, values: ["5"])])
        XCTAssertTrue(gt.matches(["replicas": "6"]))
        XCTAssertTrue(gt.matches(["replicas": "+10"]))
        XCTAssertFalse(gt.matches(["replicas": "5"]))
        XCTAssertFalse(gt.matches(["replicas": "-7"]))
        XCTAssertFalse(gt.matches(["replicas": "six"]))
        XCTAssertFalse(gt.matches(["replicas": "99999999999999999999"]))  // overflows int64
        XCTAssertFalse(gt.matches([:]))
        let lt = try LabelSelector.parse("replicas<5")
        XCTAssertTrue(lt.matches(["replicas": "-3"]))
        XCTAssertFalse(lt.matches(["replicas": "5"]))
        XCTAssertFalse(lt.matches([:]))
    }

    func testAllRequirementsMustMatch() throws {
        let selector = try LabelSelector.parse("app=photo-view,env=test")
        XCTAssertTrue(selector.matches(["app": "photo-view", "env": "test"]))
        XCTAssertFalse(selector.matches(["app": "imagetrain", "env": "test"]))
        XCTAssertFalse(selector.matches(["app": "photo-view"]))
    }

    func testMatchesMetadataLabelsJSON() throws {
        let selector = try LabelSelector.parse("app=web,!canary")
        XCTAssertTrue(selector.matches(JSON.object(["app": "web", "tier": "front"])))
        XCTAssertFalse(selector.matches(JSON.object(["app": "web", "canary": "true"])))
        XCTAssertFalse(selector.matches(JSON.null))
        // A label value that is not a string counts as absent.
        XCTAssertFalse(selector.matches(JSON.object(["app": .int(1)])))
        XCTAssertTrue(try LabelSelector.parse("!app").matches(JSON.object(["app": .int(1)])))
        XCTAssertTrue(LabelSelector.everything.matches(JSON.null))
    }

    func testMatchingLabelsInitializerIsSortedEquality() throws {
        let selector = LabelSelector(matchingLabels: ["pod-template-hash": "7c5ddbdf54", "app": "nginx"])
        XCTAssertEqual(selector.description, "app=nginx,pod-template-hash=7c5ddbdf54")
        XCTAssertTrue(selector.matches(["app": "nginx", "pod-template-hash": "7c5ddbdf54", "x": "y"]))
        XCTAssertEqual(LabelSelector(matchingLabels: [:]), .everything)
    }

    // MARK: Parse errors (1.36 wording, apimachinery pkg/labels/selector.go)

    func testSyntaxErrors() {
        let cases: [(String, String)] = [
            ("a b", "unable to parse requirement: found 'b', expected: in, notin, =, ==, !=, gt, lt"),
            ("x gt 5", "unable to parse requirement: found 'gt', expected: in, notin, =, ==, !=, gt, lt"),
            ("xin(a)", "unable to parse requirement: found '(', expected: in, notin, =, ==, !=, gt, lt"),
            ("x,", "found '', expected: identifier after ','"),
            ("a=b,", "found '', expected: identifier after ','"),
            (",x", "found ',', expected: !, identifier, or 'end of string'"),
            ("x=a b", "found 'b', expected: ',' or 'end of string'"),
            ("!x=y", "found '=', expected: ',' or 'end of string'"),
            ("x in (a", "unable to parse requirement: found '', expected: ',' or ')'"),
            ("x in (a b)", "unable to parse requirement: found 'b', expected: ',' or ')'"),
            ("x in a", "unable to parse requirement: found 'a' expected: '('"),
            ("x in (=)", "unable to parse requirement: found '=', expected: ',', ')' or identifier"),
            ("x in (a,=)", "unable to parse requirement: found '=', expected: ',', or identifier"),
            ("!", "unable to parse requirement: found '', expected: identifier"),
            ("x=(a)", "unable to parse requirement: found '(', expected: identifier"),
            // A NUL byte ends the token it is in, as in upstream's byte lexer.
            ("a\u{0}b", "unable to parse requirement: found 'b', expected: in, notin, =, ==, !=, gt, lt"),
        ]
        for (input, message) in cases { assertParseError(input, message) }
    }

    func testGreaterThanAndLessThanNeedOneIntegerThatIsAlsoALabelValue() {
        assertParseError("x>a", "unable to parse requirement: values[0]: Invalid value: \"a\": "
            + "for 'Gt', 'Lt' operators, the value must be an integer")
        assertParseError("x>", "unable to parse requirement: values[0]: Invalid value: \"\": "
            + "for 'Gt', 'Lt' operators, the value must be an integer")
        // Negative numbers fail label-value validation.
        assertParseError("x<-1", "unable to parse requirement: values[0][x]: Invalid value: \"-1\": "
            + LabelSelectorTests.valueHint)
        // Several field errors aggregate as [a, b].
        assertParseError("x>-bad", "unable to parse requirement: [values[0]: Invalid value: \"-bad\": for 'Gt', "
            + "'Lt' operators, the value must be an integer, values[0][x]: Invalid value: \"-bad\": "
            + LabelSelectorTests.valueHint + "]")
    }

    func testInvalidKeysAndValues() {
        let hint = LabelSelectorTests.keyHint
        let cases: [(String, String)] = [
            // The parser validates keys on a nil field path, which Go prints as "<nil>".
            ("-bad=x", "unable to parse requirement: <nil>: Invalid value: \"-bad\": name part " + hint),
            ("ü", "unable to parse requirement: <nil>: Invalid value: \"ü\": name part " + hint),
            ("/x", "unable to parse requirement: <nil>: Invalid value: \"/x\": prefix part must be non-empty"),
            ("x/", "unable to parse requirement: <nil>: Invalid value: \"x/\": name part must be non-empty; name part "
                + hint),
            ("a/b/c", "unable to parse requirement: <nil>: Invalid value: \"a/b/c\": a valid label key " + hint
                + " with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')"),
            ("Example.com/x", "unable to parse requirement: <nil>: Invalid value: \"Example.com/x\": prefix part a "
                + "lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and "
                + "must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation "
                + "is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"),
            (String(repeating: "k", count: 64), "unable to parse requirement: <nil>: Invalid value: \""
                + String(repeating: "k", count: 64) + "\": name part must be no more than 63 bytes"),
            ("app=-bad", "unable to parse requirement: values[0][app]: Invalid value: \"-bad\": "
                + LabelSelectorTests.valueHint),
            ("x=\"q\"", "unable to parse requirement: values[0][x]: Invalid value: \"\\\"q\\\"\": "
                + LabelSelectorTests.valueHint),
            ("x=" + String(repeating: "v", count: 64), "unable to parse requirement: values[0][x]: Invalid value: \""
                + String(repeating: "v", count: 64) + "\": must be no more than 63 bytes"),
        ]
        for (input, message) in cases { assertParseError(input, message) }
        XCTAssertNil(parseFailure(String(repeating: "k", count: 63) + "=" + String(repeating: "v", count: 63)))
        XCTAssertNil(parseFailure(String(repeating: "d", count: 253) + "/x"))
    }

    // MARK: 1.18 wording (apimachinery v0.18.0)

    func testKubernetes118Wording() {
        assertParseError("a b", "unable to parse requirement: found 'b', expected: '=', '!=', '==', 'in', notin'",
                         version: .v1_18)
        assertParseError("x>-bad", "unable to parse requirement: for 'Gt', 'Lt' operators, the value must be an integer",
                         version: .v1_18)
        assertParseError("app=-bad", "unable to parse requirement: invalid label value: \"-bad\": at key: \"app\": "
            + LabelSelectorTests.valueHint, version: .v1_18)
        assertParseError("-bad=x", "unable to parse requirement: invalid label key \"-bad\": name part "
            + LabelSelectorTests.keyHint, version: .v1_18)
        assertParseError(String(repeating: "k", count: 64), "unable to parse requirement: invalid label key \""
            + String(repeating: "k", count: 64) + "\": name part must be no more than 63 characters", version: .v1_18)
        // 1.18's list parser swallowed the second of two commas, so `(a,,)` was an error there.
        assertParseError("x in (a,,)", "unable to parse requirement: found ')', expected: ',', or identifier",
                         version: .v1_18)
        XCTAssertNil(parseFailure("x in (a,,)", .v1_36))
    }

    // MARK: metav1.LabelSelector

    func testFromJSONNullIsNothingAndEmptyIsEverything() throws {
        XCTAssertEqual(LabelSelector.fromJSON(.null, fieldPath: "spec.selector"), .success(nil))
        XCTAssertEqual(LabelSelector.fromJSON(.emptyObject, fieldPath: "spec.selector"), .success(.everything))
        let empty = try JSON.parse(#"{"matchLabels":{},"matchExpressions":[]}"#)
        XCTAssertEqual(LabelSelector.fromJSON(empty, fieldPath: "spec.selector"), .success(.everything))
    }

    func testFromJSONBuildsSortedRequirements() throws {
        let json = try JSON.parse(#"""
            {"matchLabels":{"tier":"web","app":"nginx"},
             "matchExpressions":[{"key":"env","operator":"In","values":["test","prod"]},
                                 {"key":"canary","operator":"DoesNotExist"},
                                 {"key":"app","operator":"NotIn","values":["x"]},
                                 {"key":"gpu","operator":"Exists"}]}
            """#)
        let selector = try XCTUnwrap(try LabelSelector.fromJSON(json, fieldPath: "spec.selector").get())
        XCTAssertEqual(selector.description, "app=nginx,app notin (x),!canary,env in (prod,test),gpu,tier=web")
        XCTAssertTrue(selector.matches(["app": "nginx", "tier": "web", "env": "prod", "gpu": "a100"]))
        XCTAssertFalse(selector.matches(["app": "nginx", "tier": "web", "env": "prod"]))
        // Upstream keeps duplicate values; String() prints them.
        let dup = try JSON.parse(#"{"matchExpressions":[{"key":"a","operator":"In","values":["x","x"]}]}"#)
        XCTAssertEqual(try LabelSelector.fromJSON(dup, fieldPath: "spec.selector").get()?.description, "a in (x,x)")
    }

    private func fieldErrors(_ text: String, version: KubernetesVersion = .v1_36,
                             file: StaticString = #filePath, line: UInt = #line) throws -> [String] {
        let json = try JSON.parse(text)
        switch LabelSelector.fromJSON(json, fieldPath: "spec.selector", version: version) {
        case .success(let selector):
            XCTFail("accepted as \(String(describing: selector))", file: file, line: line)
            return []
        case .failure(let errors):
            return errors.errors.map(\.description)
        }
    }

    func testFromJSONValidationErrors() throws {
        XCTAssertEqual(try fieldErrors(#"{"matchExpressions":[{"key":"env","operator":"In"}]}"#), [
            "spec.selector.matchExpressions[0].values: Required value: must be specified when `operator` is 'In' or 'NotIn'",
        ])
        XCTAssertEqual(try fieldErrors(#"{"matchExpressions":[{"key":"env","operator":"Exists","values":["a"]}]}"#), [
            "spec.selector.matchExpressions[0].values: Forbidden: may not be specified when `operator` is 'Exists' or "
                + "'DoesNotExist'",
        ])
        XCTAssertEqual(try fieldErrors(#"{"matchExpressions":[{"key":"env","operator":"Equals","values":["a"]}]}"#), [
            "spec.selector.matchExpressions[0].operator: Invalid value: \"Equals\": not a valid selector operator",
        ])
        XCTAssertEqual(try fieldErrors(#"{"matchExpressions":[{"key":"-env","operator":"In","values":["-a","ok"]}]}"#), [
            "spec.selector.matchExpressions[0].key: Invalid value: \"-env\": name part " + LabelSelectorTests.keyHint,
            "spec.selector.matchExpressions[0].values[0]: Invalid value: \"-a\": " + LabelSelectorTests.valueHint,
        ])
        // matchLabels errors carry no key in their path, as upstream's ValidateLabels.
        XCTAssertEqual(try fieldErrors(#"{"matchLabels":{"app":"-bad"}}"#), [
            "spec.selector.matchLabels: Invalid value: \"-bad\": " + LabelSelectorTests.valueHint,
        ])
        XCTAssertEqual(try fieldErrors(#"{"matchExpressions":[{"operator":"Exists"}]}"#), [
            "spec.selector.matchExpressions[0].key: Invalid value: \"\": name part must be non-empty",
            "spec.selector.matchExpressions[0].key: Invalid value: \"\": name part " + LabelSelectorTests.keyHint,
        ])
    }

    func testFromJSON118LeavesExpressionValuesToTheConversion() throws {
        XCTAssertEqual(try fieldErrors(#"{"matchLabels":{"a/b/c":"x"}}"#, version: .v1_18), [
            "spec.selector.matchLabels: Invalid value: \"a/b/c\": a qualified name " + LabelSelectorTests.keyHint
                + " with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')",
        ])
        XCTAssertEqual(try fieldErrors(#"{"matchExpressions":[{"key":"a","operator":"In","values":["-a"]}]}"#,
                                       version: .v1_18), [
            "spec.selector: Invalid value: {\"matchExpressions\":[{\"key\":\"a\",\"operator\":\"In\",\"values\":[\"-a\"]}]}: "
                + "invalid label selector",
        ])
    }

    func testFromJSONWrongTypes() throws {
        XCTAssertEqual(try fieldErrors(#""app=web""#), ["spec.selector: Invalid value: \"app=web\": must be of type object"])
        XCTAssertEqual(try fieldErrors(#"{"matchLabels":{"app":1}}"#),
                       ["spec.selector.matchLabels[app]: Invalid value: 1: must be of type string"])
        XCTAssertEqual(try fieldErrors(#"{"matchExpressions":[{"key":"a","operator":"In","values":"x"}]}"#),
                       ["spec.selector.matchExpressions[0].values: Invalid value: \"x\": must be of type array"])
    }
}
