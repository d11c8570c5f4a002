import XCTest
@testable import KubeSim

/// The pod conditions the kubelet and the API server write, built once per distinct
/// condition and shared (`ConditionCache`).
final class PodConditionTests: XCTestCase {
    /// Keys that compare equal hash alike (the dictionary's contract), also for strings equal
    /// only under Unicode equivalence (é composed, and e with a combining accent).
    func testConditionCacheKeysHashAsTheyCompare() {
        let composed = ConditionCache.Key(type: "R\u{E9}ady", observedGeneration: 0, status: "True",
                                          lastTransitionTime: "2024-01-01T00:00:00Z", reason: nil, message: nil)
        let decomposed = ConditionCache.Key(type: "Re\u{301}ady", observedGeneration: 0, status: "True",
                                            lastTransitionTime: "2024-01-01T00:00:00Z", reason: nil, message: nil)
        XCTAssertEqual(composed, decomposed)
        XCTAssertEqual(composed.hashValue, decomposed.hashValue)
    }

    /// The same condition again is the cached object; another type at the same instant is
    /// another object.
    func testConditionCacheSharesEqualConditions() {
        var cache = ConditionCache()
        func ready(_ type: String) -> JSON {
            PodStatus.condition(nil, type: type, status: "False", reason: "ContainersNotReady",
                                message: "containers with unready status: [web]", at: "2024-01-01T00:00:00Z",
                                sharing: &cache)
        }
        let a = ready("Ready")
        XCTAssertTrue(ready("Ready").sharesStorage(with: a))
        let other = ready("ContainersReady")
        XCTAssertEqual(other["type"].string, "ContainersReady")
        XCTAssertFalse(other.sharesStorage(with: a))
    }
}
