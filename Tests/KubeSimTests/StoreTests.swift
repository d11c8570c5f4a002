import XCTest
@testable import KubeSim

/// The MVCC store's revision model (etcd's: one revision counter, per-key create/mod
/// revision and version, history until compaction).
final class StoreTests: XCTestCase {
    func testRevisionsAndVersions() {
        var store = MVCCStore()
        let a1 = store.txn(Txn(success: [.put(key: "/registry/pods/ns/a", value: "1")]))
        XCTAssertEqual(a1.revision, 2)
        let a2 = store.txn(Txn(success: [.put(key: "/registry/pods/ns/a", value: "2")]))
        XCTAssertEqual(a2.revision, 3)
        let kv = store.get("/registry/pods/ns/a")
        XCTAssertEqual(kv?.createRevision, 2)
        XCTAssertEqual(kv?.modRevision, 3)
        XCTAssertEqual(kv?.version, 2)
        // A failed compare writes nothing and keeps the revision.
        let failed = store.txn(Txn(compares: [.init(key: "/registry/pods/ns/a", target: .modRevision, relation: .equal, value: 2)],
                                   success: [.put(key: "/registry/pods/ns/a", value: "3")]))
        XCTAssertFalse(failed.succeeded)
        XCTAssertEqual(store.revision, 3)
    }

    func testReadsAtPastRevisionsAndCompaction() throws {
        var store = MVCCStore()
        _ = store.txn(Txn(success: [.put(key: "/registry/pods/ns/a", value: "a1")]))  // rev 2
        _ = store.txn(Txn(success: [.put(key: "/registry/pods/ns/b", value: "b1")]))  // rev 3
        _ = store.txn(Txn(success: [.put(key: "/registry/pods/ns/a", value: "a2")]))  // rev 4
        _ = store.txn(Txn(success: [.delete(key: "/registry/pods/ns/b")]))             // rev 5
        let at3 = try store.range(prefix: "/registry/pods/", revision: 3).get()
        XCTAssertEqual(at3.map(\.value), ["a1", "b1"])
        let now = try store.range(prefix: "/registry/pods/", revision: nil).get()
        XCTAssertEqual(now.map(\.value), ["a2"])
        let events = try store.events(after: 3, prefix: "/registry/pods/").get()
        XCTAssertEqual(events.map(\.revision), [4, 5])
        store.compact(4)
        XCTAssertEqual(store.range(prefix: "/registry/pods/", revision: 3).failure, .compacted(requested: 3, compacted: 4))
        XCTAssertEqual(store.events(after: 3, prefix: "/registry/pods/").failure, .compacted(requested: 3, compacted: 4))
        XCTAssertEqual(try store.events(after: 4, prefix: "/registry/pods/").get().map(\.revision), [5])
    }

    /// A cache that relists (its etcd member lost the history it needed) tells its watchers
    /// what changed in between: puts for new and changed keys, deletes for keys gone.
    func testDifferencesToARelistedState() {
        var cache = MVCCStore()
        _ = cache.txn(Txn(success: [.put(key: "/registry/pods/ns/a", value: "a1")]))  // rev 2
        _ = cache.txn(Txn(success: [.put(key: "/registry/pods/ns/b", value: "b1")]))  // rev 3
        _ = cache.txn(Txn(success: [.put(key: "/registry/pods/ns/c", value: "c1")]))  // rev 4
        var etcd = cache
        _ = etcd.txn(Txn(success: [.put(key: "/registry/pods/ns/b", value: "b2")]))   // rev 5
        _ = etcd.txn(Txn(success: [.delete(key: "/registry/pods/ns/c")]))             // rev 6
        _ = etcd.txn(Txn(success: [.put(key: "/registry/pods/ns/d", value: "d1")]))   // rev 7
        let missed = cache.differences(to: etcd.all(), at: etcd.revision)
        XCTAssertEqual(missed.map(\.kv.key), ["/registry/pods/ns/b", "/registry/pods/ns/c", "/registry/pods/ns/d"])
        XCTAssertEqual(missed.map(\.kind), [.put, .delete, .put])
        XCTAssertEqual(missed.map(\.revision), [5, 7, 7])
        XCTAssertEqual(missed[0].previous?.value, "b1")
        XCTAssertEqual(missed[1].previous?.value, "c1")
        XCTAssertNil(missed[2].previous)
        cache.replaceState(revision: etcd.revision, with: etcd.all())
        XCTAssertTrue(cache.differences(to: etcd.all(), at: etcd.revision).isEmpty)
    }
}
