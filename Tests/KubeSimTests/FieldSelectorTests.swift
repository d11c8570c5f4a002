import XCTest
@testable import KubeSim

/// Field selectors as upstream parses, prints and matches them.
///
/// Reference: k8s.io/apimachinery `pkg/fields/selector.go` (`ParseSelector`, `splitTerms`,
/// `splitTerm`, `UnescapeValue`, `EscapeValue`), `pkg/runtime/conversion.go`
/// (`DefaultMetaV1FieldSelectorConversion`) and kubernetes `pkg/apis/core/v1/conversion.go`
/// (`field label not supported: %s`). Parse results and errors were checked against upstream's
/// own `ParseSelector` over the same inputs.
final class FieldSelectorTests: XCTestCase {
    private func parseFailure(_ text: String) -> StatusError? {
        do throws(StatusError) {
            _ = try FieldSelector.parse(text)
            return nil
        } catch {
            return error
        }
    }

    private func assertParseError(_ text: String, _ message: String,
                                  file: StaticString = #filePath, line: UInt = #line) {
        guard let error = parseFailure(text) else {
            XCTFail("\(text) parsed, expected: \(message)", file: file, line: line)
            return
        }
        XCTAssertEqual(error.message, message, "input: \(text)", file: file, line: line)
        XCTAssertEqual(error.code, 400, file: file, line: line)
        XCTAssertEqual(error.reason, "BadRequest", file: file, line: line)
    }

    func testParseSortsTermsAndPrintsUpstreamString() throws {
        let cases: [(String, String)] = [
            ("spec.nodeName=node-1,status.phase!=Running", "spec.nodeName=node-1,status.phase!=Running"),
            ("b=1,a=2", "a=2,b=1"),
            ("a==b", "a=b"),
            ("a!=b", "a!=b"),
            (#"a=b\,c"#, #"a=b\,c"#),
            (#"a=b\=c"#, #"a=b\=c"#),
            (#"a=b\\c"#, #"a=b\\c"#),
            ("a=", "a="),
            ("=x", "=x"),
            ("a!b=c", "a!b=c"),
            ("a=b,", "a=b"),
        ]
        for (input, expected) in cases {
            let selector = try FieldSelector.parse(input)
            XCTAssertEqual(selector.description, expected, "input: \(input)")
            XCTAssertEqual(try FieldSelector.parse(selector.description), selector, "input: \(input)")
        }
    }

    func testRequirementsHoldUnescapedValues() throws {
        XCTAssertEqual(try FieldSelector.parse(#"x!=a\,b,metadata.name==web\\1"#).requirements, [
            .init(field: "metadata.name", op: .equals, value: #"web\1"#),
            .init(field: "x", op: .notEquals, value: "a,b"),
        ])
        XCTAssertEqual(try FieldSelector.parse(#"a=b\=c"#).requirements, [.init(field: "a", op: .equals, value: "b=c")])
    }

    func testEmptyTermsSelectEverything() throws {
        for input in ["", ",", ",,", "=", "!=", "==,"] {
            let selector = try FieldSelector.parse(input)
            XCTAssertEqual(selector, .everything, "input: \(input)")
            XCTAssertEqual(selector.description, "")
        }
    }

    func testParseErrors() {
        let cases: [(String, String)] = [
            ("a", "invalid selector: 'a'; can't understand 'a'"),
            ("a=b,c", "invalid selector: 'a=b,c'; can't understand 'c'"),
            // Upstream prints the offending rune with %v: its code point ('=' is 61).
            ("a=b=c", "invalid field selector: unescaped character in value: 61"),
            (#"a\=b=c"#, "invalid field selector: unescaped character in value: 61"),
            ("a=!=b", "invalid field selector: unescaped character in value: 61"),
            (#"a=b\c"#, #"invalid field selector: invalid escape sequence: \c"#),
            (#"a=\é"#, #"invalid field selector: invalid escape sequence: \é"#),
            (#"a=b\"#, #"invalid field selector: invalid escape sequence: \"#),
        ]
        for (input, message) in cases { assertParseError(input, message) }
    }

    func testMatchingTreatsMissingFieldsAsEmpty() throws {
        let pod: [String: String] = ["metadata.name": "web", "status.phase": "Running"]
        let running = try FieldSelector.parse("status.phase=Running")
        XCTAssertTrue(running.matches { pod[$0] })
        XCTAssertFalse(running.matches { _ in nil })
        let notRunning = try FieldSelector.parse("status.phase!=Running")
        XCTAssertFalse(notRunning.matches { pod[$0] })
        XCTAssertTrue(notRunning.matches { _ in nil })
        // An unscheduled pod has no spec.nodeName: it matches `spec.nodeName=`.
        XCTAssertTrue(try FieldSelector.parse("spec.nodeName=").matches { pod[$0] })
        XCTAssertFalse(try FieldSelector.parse("spec.nodeName=").matches { _ in "node-1" })
        // Every term must match.
        let both = try FieldSelector.parse("metadata.name=web,status.phase=Pending")
        XCTAssertFalse(both.matches { pod[$0] })
        XCTAssertTrue(FieldSelector.everything.matches { _ in nil })
        // Escaped separators are data.
        XCTAssertTrue(try FieldSelector.parse(#"a=x\,y"#).matches { $0 == "a" ? "x,y" : nil })
    }

    /// The values an object gives field selectors: strings as they are, numbers and booleans
    /// as text, absent fields as "", and no value for an object or a list.
    func testFieldValuesOfAnObject() {
        let pod: JSON = ["metadata": ["name": "web-7d9f8c6b5-x2k4z", "namespace": "default"],
                         "spec": ["nodeName": "minikube-m02", "replicas": 3, "hostNetwork": true,
                                  "containers": [["name": "nginx"]]],
                         "status": ["phase": "Running"]]
        XCTAssertEqual(pod.fieldValue("metadata.name"), "web-7d9f8c6b5-x2k4z")
        XCTAssertEqual(pod.fieldValue("spec.nodeName"), "minikube-m02")
        XCTAssertEqual(pod.fieldValue("status.phase"), "Running")
        XCTAssertEqual(pod.fieldValue("spec.replicas"), "3")
        XCTAssertEqual(pod.fieldValue("spec.hostNetwork"), "true")
        XCTAssertEqual(pod.fieldValue("status.podIP"), "")
        XCTAssertEqual(pod.fieldValue("spec.nodeName.extra"), "")
        XCTAssertNil(pod.fieldValue("spec"))
        XCTAssertNil(pod.fieldValue("spec.containers"))
        // Empty path components are skipped, as splitting on "." without them does.
        XCTAssertEqual(pod.fieldValue("status..phase"), "Running")
        XCTAssertEqual(pod.fieldValue(".status.phase."), "Running")
        XCTAssertNil(pod.fieldValue(""))
        XCTAssertNil(pod.fieldValue("."))
    }

    func testValidateAgainstAKindsFieldLabels() throws {
        let podFields = ["metadata.name", "metadata.namespace", "spec.nodeName", "spec.restartPolicy",
                         "spec.schedulerName", "spec.serviceAccountName", "spec.hostNetwork", "status.phase",
                         "status.podIP", "status.podIPs", "status.nominatedNodeName"]
        try FieldSelector.parse("spec.nodeName=n1,status.phase=Running").validate(supported: podFields)
        do throws(StatusError) {
            // Terms are checked in sorted order; the first unsupported one is reported.
            try FieldSelector.parse("status.hostIP=10.0.0.1,spec.foo=x").validate(supported: podFields)
            XCTFail("accepted an unsupported field")
        } catch {
            XCTAssertEqual(error.message, "field label not supported: spec.foo")
            XCTAssertEqual(error.code, 400)
            XCTAssertEqual(error.reason, "BadRequest")
        }
    }

    func testDefaultConversionAllowsOnlyNameAndNamespace() throws {
        try FieldSelector.parse("metadata.name=web,metadata.namespace=default").validateMetadataOnly()
        do throws(StatusError) {
            try FieldSelector.parse("spec.replicas=3").validateMetadataOnly()
            XCTFail("accepted spec.replicas")
        } catch {
            XCTAssertEqual(error.message,
                           #""spec.replicas" is not a known field selector: only "metadata.name", "metadata.namespace""#)
            XCTAssertEqual(error.code, 400)
        }
    }

    /// A list by `spec.nodeName` (what each kubelet watches, served from the API server's pod
    /// index by node) follows pods as they are bound, moved between namespaces' lists and deleted.
    func testNodeNameListsFollowBindingsAndDeletions() throws {
        var config = ClusterConfig()
        config.systemDaemonSets = false
        let c = Cluster(config: config)
        let onM02 = { (namespace: String?) -> [String] in
            guard case .success(let list) = c.request(.list, "pods", namespace: namespace, configure: {
                $0.fieldSelector = "spec.nodeName=minikube-m02"
            }) else { return ["error"] }
            return (list["items"].array ?? []).map(\.name)
        }
        XCTAssertEqual(onM02("default"), [])
        for (name, node) in [("b", "minikube-m02"), ("a", "minikube-m02"), ("c", "minikube-m03")] {
            let pod: JSON = ["apiVersion": "v1", "kind": "Pod", "metadata": ["name": .string(name)],
                             "spec": ["nodeName": .string(node), "containers": [["name": "c", "image": "busybox"]]]]
            if case .failure(let e) = c.request(.create, "pods", namespace: "default", body: pod) { XCTFail(e.message) }
        }
        XCTAssertEqual(onM02("default"), ["a", "b"])
        XCTAssertEqual(onM02("kube-system"), [])
        XCTAssertEqual(onM02(nil), ["a", "b"])
        _ = c.request(.delete, "pods", namespace: "default", name: "b") { $0.gracePeriodSeconds = 0 }
        XCTAssertEqual(onM02("default"), ["a"])
    }
}
