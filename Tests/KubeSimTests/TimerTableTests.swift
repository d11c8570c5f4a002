import XCTest
@testable import KubeSim

/// `TimerTable` against `Dictionary` as the reference: tags armed in increasing order, fired
/// in any order (most in order, some late, some never), the table emptied and armed again.
final class TimerTableTests: XCTestCase {
    func testMatchesADictionaryWhateverOrderTheTimersFireIn() {
        var random = SeededRandom(seed: 7, stream: "timers")
        var table = TimerTable<String>()
        var reference: [Int: String] = [:]
        var nextTag = 100
        var pending: [Int] = []
        for step in 0..<20_000 {
            if random.int(below: 3) != 0 || pending.isEmpty {
                table.insert("t\(nextTag)", tag: nextTag)
                reference[nextTag] = "t\(nextTag)"
                pending.append(nextTag)
                nextTag += 1
            } else {
                // Mostly the oldest, sometimes any; now and then a tag fired already or never armed.
                let tag: Int
                switch random.int(below: 10) {
                case 0: tag = pending[random.int(below: pending.count)]
                case 1: tag = nextTag + 5
                case 2: tag = 99
                default: tag = pending[0]
                }
                XCTAssertEqual(table.remove(tag: tag), reference.removeValue(forKey: tag), "step \(step) tag \(tag)")
                pending.removeAll { $0 == tag }
            }
            if step % 5_000 == 4_999 {
                table.removeAll()
                reference.removeAll()
                pending.removeAll()
            }
        }
        for tag in pending { XCTAssertEqual(table.remove(tag: tag), reference.removeValue(forKey: tag)) }
        XCTAssertTrue(reference.isEmpty)
        XCTAssertNil(table.remove(tag: nextTag - 1))
    }
}
