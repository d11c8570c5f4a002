import XCTest
@testable import KubeSim

/// A node's pod addresses: lowest free first, from .2 to .254.
final class AddressPoolTests: XCTestCase {
    func testLowestFreeFirstAndReleasedNumbersComeBack() {
        var pool = AddressPool()
        XCTAssertEqual(pool.allocate(), 2)
        XCTAssertEqual(pool.allocate(), 3)
        XCTAssertEqual(pool.allocate(), 4)
        pool.release(3)
        pool.release(1000)  // outside the range: ignored
        pool.release(-1)
        XCTAssertEqual(pool.allocate(), 3)
        XCTAssertEqual(pool.allocate(), 5)
    }

    func testTheRangeEndsAt254() {
        var pool = AddressPool()
        var handed: [Int] = []
        while let n = pool.allocate() { handed.append(n) }
        XCTAssertEqual(handed, Array(2...254))
        pool.release(64)
        pool.release(128)
        XCTAssertEqual(pool.allocate(), 64)
        XCTAssertEqual(pool.allocate(), 128)
        XCTAssertNil(pool.allocate())
        pool.removeAll()
        XCTAssertEqual(pool.allocate(), 2)
    }
}
