import XCTest
#if canImport(Glibc)
import Glibc
#endif
@testable import KubeSim
@testable import KubeSimC

/// The exported C functions, called as a C program would (the C suite in bindings/c
/// covers the same ground from C itself).
final class CInterfaceTests: XCTestCase {
    private func take(_ p: UnsafeMutablePointer<CChar>?) -> JSON {
        guard let p else { return .null }
        defer { ks_free(p) }
        return (try? JSON.parse(String(cString: p))) ?? .null
    }

    func testNullArgumentsAreErrorsNotCrashes() {
        var out: UnsafeMutablePointer<CChar>?
        XCTAssertEqual(ks_get(nil, "{}", &out), -1)
        XCTAssertEqual(take(out)["message"].string, "the cluster handle is NULL")
        XCTAssertEqual(ks_run(nil, nil, nil), -1)
        XCTAssertEqual(ks_cluster_new(nil, nil, nil), -1)
        ks_free(nil)
        ks_cluster_free(nil)
    }

    func testBadInputLeavesStateUnchanged() throws {
        var handle: OpaquePointer?
        var error: UnsafeMutablePointer<CChar>?
        XCTAssertEqual(ks_cluster_new(#"{"seed": 3}"#, &handle, &error), 0)
        XCTAssertNil(error)
        defer { ks_cluster_free(handle) }
        var out: UnsafeMutablePointer<CChar>?
        XCTAssertEqual(ks_state(handle, nil, &out), 0)
        let before = take(out)

        XCTAssertEqual(ks_apply(handle, "kind: [unclosed", &out), -1)
        XCTAssertEqual(take(out)["reason"].string, "BadRequest")
        XCTAssertEqual(ks_apply(handle, "apiVersion: v1\nkind: Widget\nmetadata:\n  name: w\n", &out), -2)
        let unknown = take(out)
        XCTAssertEqual(unknown["items"][index: 0]["error", "message"].string, "no matches for kind \"Widget\" in version \"v1\"")
        XCTAssertEqual(ks_get(handle, #"{"resource":"pods","name":"nope"}"#, &out), -2)
        XCTAssertEqual(take(out)["message"].string, "pods \"nope\" not found")

        let invalidUTF8: [CChar] = [0x7b, CChar(bitPattern: 0xff), CChar(bitPattern: 0xfe), 0x7d, 0]
        XCTAssertEqual(invalidUTF8.withUnsafeBufferPointer { ks_list(handle, $0.baseAddress, &out) }, -1)
        XCTAssertEqual(take(out)["message"].string, "the input is not valid UTF-8")

        let huge = String(repeating: "a", count: 3_145_729)
        XCTAssertEqual(ks_apply(handle, huge, &out), -1)
        let tooLarge = take(out)
        XCTAssertEqual(tooLarge["code"].int, 413)
        XCTAssertEqual(tooLarge["message"].string, "Request entity too large: limit is 3145728")

        XCTAssertEqual(ks_state(handle, nil, &out), 0)
        XCTAssertEqual(take(out), before)
    }

    func testVersion() {
        XCTAssertEqual(ks_version_number(), 1000)
        XCTAssertEqual(ks_version().map { String(cString: $0) }, "0.1.0")
    }
}
