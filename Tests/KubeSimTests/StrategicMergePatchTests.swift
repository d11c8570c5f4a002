import XCTest
@testable import KubeSim

/// The strategic merge patch as the API server applies it: lists with a merge strategy
/// merge by their key, other lists are replaced, and the client's directives apply.
final class StrategicMergePatchTests: XCTestCase {
    private func patched(_ object: String, _ patch: String, kind: String = "Pod") throws -> String {
        switch StrategicMergePatch.apply(try JSON.parse(object), try JSON.parse(patch), kind: kind) {
        case .success(let result): return result.serialized()
        case .failure(let f): return "error: " + f.message
        }
    }

    private let pod = #"{"metadata":{"name":"web","finalizers":["a","b"]},"spec":{"containers":[{"name":"nginx","image":"nginx:1.15","ports":[{"containerPort":80}],"env":[{"name":"A","value":"1"},{"name":"B","value":"2"}]},{"name":"log","image":"busybox"}],"tolerations":[{"key":"x","operator":"Exists"}]}}"#

    /// A container is matched by name and merged: its other fields stay; env merges by name
    /// inside it. The patch's items keep the patch's order and a new one goes ahead of a live
    /// one the patch does not name (`normalizeElementOrder`).
    func testContainersMergeByName() throws {
        XCTAssertEqual(try patched(pod, #"{"spec":{"containers":[{"name":"nginx","image":"nginx:1.16","env":[{"name":"B","value":"3"},{"name":"C","value":"4"}]},{"name":"sidecar","image":"envoy"}]}}"#),
                       #"{"metadata":{"name":"web","finalizers":["a","b"]},"spec":{"containers":[{"name":"nginx","image":"nginx:1.16","ports":[{"containerPort":80}],"env":[{"name":"A","value":"1"},{"name":"B","value":"3"},{"name":"C","value":"4"}]},{"name":"sidecar","image":"envoy"},{"name":"log","image":"busybox"}],"tolerations":[{"key":"x","operator":"Exists"}]}}"#)
    }

    /// `$patch: delete` removes the element with the key; `$patch: replace` the whole list;
    /// a list without a merge strategy (tolerations) is replaced; null removes a member.
    func testDirectivesAndReplacedLists() throws {
        XCTAssertEqual(try patched(pod, #"{"spec":{"containers":[{"name":"log","$patch":"delete"}],"tolerations":[{"key":"y","operator":"Exists"}]}}"#),
                       #"{"metadata":{"name":"web","finalizers":["a","b"]},"spec":{"containers":[{"name":"nginx","image":"nginx:1.15","ports":[{"containerPort":80}],"env":[{"name":"A","value":"1"},{"name":"B","value":"2"}]}],"tolerations":[{"key":"y","operator":"Exists"}]}}"#)
        XCTAssertEqual(try patched(pod, #"{"spec":{"containers":[{"name":"only","image":"x"},{"$patch":"replace"}],"tolerations":null}}"#),
                       #"{"metadata":{"name":"web","finalizers":["a","b"]},"spec":{"containers":[{"name":"only","image":"x"}]}}"#)
        XCTAssertEqual(try patched(#"{"spec":{"nodeSelector":{"a":"1"}}}"#, #"{"spec":{"nodeSelector":{"$patch":"replace","b":"2"}}}"#),
                       #"{"spec":{"nodeSelector":{"b":"2"}}}"#)
    }

    /// Lists of primitives with a merge strategy (finalizers) are unions, ordered as
    /// upstream orders them (its "preserve the order from the patch" cases);
    /// `$deleteFromPrimitiveList` takes values out.
    func testPrimitiveLists() throws {
        XCTAssertEqual(try patched(#"{"metadata":{"finalizers":["1","2","3"]}}"#, #"{"metadata":{"finalizers":["3","1"]}}"#),
                       #"{"metadata":{"finalizers":["2","3","1"]}}"#)
        XCTAssertEqual(try patched(#"{"metadata":{"finalizers":["a","b"]}}"#, #"{"metadata":{"finalizers":["b","c"]}}"#),
                       #"{"metadata":{"finalizers":["a","b","c"]}}"#)
        XCTAssertEqual(try patched(#"{"metadata":{"finalizers":["a","b"]}}"#, #"{"metadata":{"$deleteFromPrimitiveList/finalizers":["a"]}}"#),
                       #"{"metadata":{"finalizers":["b"]}}"#)
    }

    /// `$retainKeys` keeps only the named members; `$setElementOrder` orders a merged list.
    func testRetainKeysAndElementOrder() throws {
        XCTAssertEqual(try patched(#"{"spec":{"strategy":{"type":"RollingUpdate","rollingUpdate":{"maxSurge":1}}}}"#,
                                   #"{"spec":{"strategy":{"$retainKeys":["type"],"type":"Recreate"}}}"#, kind: "Deployment"),
                       #"{"spec":{"strategy":{"type":"Recreate"}}}"#)
        XCTAssertEqual(try patched(pod, #"{"spec":{"$setElementOrder/containers":[{"name":"log"},{"name":"nginx"}]}}"#)
                           .contains(#""containers":[{"name":"log""#), true)
        // Items the order does not name keep their live places.
        XCTAssertEqual(try patched(#"{"metadata":{"finalizers":["9","1","2"]}}"#, #"{"metadata":{"$setElementOrder/finalizers":["2","1"]}}"#),
                       #"{"metadata":{"finalizers":["9","2","1"]}}"#)
        XCTAssertEqual(try patched(pod, #"{"spec":{"$setElementOrder/containers":[{"name":"nginx"}],"containers":[{"name":"log","image":"x"}]}}"#),
                       "error: The order in patch list:\n[map[image:x name:log]]\n doesn't match $setElementOrder list:\n[map[name:nginx]]\n")
    }

    /// Outside the kinds' Go types (a ConfigMap has no merge lists) a strategic patch is a
    /// merge patch; a bad directive or a list element without its key fails.
    func testErrors() throws {
        XCTAssertEqual(try patched(pod, #"[]"#), "error: json: cannot unmarshal array into Go value of type map[string]interface {}")
        XCTAssertEqual(try patched(pod, #"{"spec":{"$patch":"frob"}}"#), "error: unknown patch type: frob in map: map[$patch:frob]")
        XCTAssertEqual(try patched(pod, #"{"spec":{"containers":[{"name":"log","$patch":"merge"}]}}"#),
                       "error: merging lists cannot yet be specified in the patch")
        XCTAssertEqual(try patched(pod, #"{"metadata":{"finalizers":[["a"]]}}"#), "error: lists of lists are not supported")
        XCTAssertEqual(try patched(#"{"spec":{"strategy":{"type":"Recreate"}}}"#,
                                   #"{"spec":{"strategy":{"$retainKeys":["type"],"rollingUpdate":{"maxSurge":1}}}}"#, kind: "Deployment"),
                       "error: invalid patch format of retainKeys")
        XCTAssertEqual(try patched(pod, #"{"spec":{"containers":[{"image":"x"}]}}"#),
                       "error: map: map[image:x] does not contain declared merge key: name")
        XCTAssertEqual(try patched(#"{"data":{"a":"1"}}"#, #"{"data":{"b":"2"}}"#, kind: "ConfigMap"), #"{"data":{"a":"1","b":"2"}}"#)
    }
}
