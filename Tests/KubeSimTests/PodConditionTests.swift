import XCTest
@testable import KubeSim

/// The pod conditions the kubelet and the API server write, built once per distinct
/// condition and shared (`ConditionCache`).
final class PodConditionTests: XCTestCase {
    /// A cached condition is reused only for the very same bytes: two messages equal under
    /// Unicode equivalence (é composed, and e with a combining accent) are two conditions,
    /// each written with its own bytes.
    func testConditionCacheKeysAreBytes() {
        var cache = ConditionCache()
        let composed = "caf\u{E9}", decomposed = "cafe\u{301}"
        XCTAssertEqual(composed, decomposed)  // equal as Swift strings
        let a = PodStatus.condition(nil, type: "Ready", status: "False", reason: "ContainersNotReady", message: composed,
                                    at: "2024-01-01T00:00:00Z", sharing: &cache)
        let b = PodStatus.condition(nil, type: "Ready", status: "False", reason: "ContainersNotReady", message: decomposed,
                                    at: "2024-01-01T00:00:00Z", sharing: &cache)
        XCTAssertEqual(Array((a["message"].string ?? "").utf8), Array(composed.utf8))
        XCTAssertEqual(Array((b["message"].string ?? "").utf8), Array(decomposed.utf8))
        // The same condition again is the cached object; another type at that instant is not.
        let again = PodStatus.condition(nil, type: "Ready", status: "False", reason: "ContainersNotReady",
                                        message: composed, at: "2024-01-01T00:00:00Z", sharing: &cache)
        XCTAssertTrue(again.sharesStorage(with: a))
        let other = PodStatus.condition(nil, type: "ContainersReady", status: "False", reason: "ContainersNotReady",
                                        message: composed, at: "2024-01-01T00:00:00Z", sharing: &cache)
        XCTAssertEqual(other["type"].string, "ContainersReady")
        XCTAssertFalse(other.sharesStorage(with: a))
    }
}
