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

    /// A range over a prefix shorter than one resource (the API server's relist of
    /// `/registry/`) reads every resource; one over a resource reads only it; the same
    /// answers whether the store built its key index at once, later, or not at all.
    func testRangesAcrossResourcesWithAndWithoutTheKeyIndex() throws {
        var indexed = MVCCStore()
        var lazy = MVCCStore(indexingKeys: false)
        for store in [0, 1] {
            func write(_ txn: Txn) { _ = store == 0 ? indexed.txn(txn) : lazy.txn(txn) }
            write(Txn(success: [.put(key: "/registry/pods/ns/a", value: "pod-a")]))               // rev 2
            write(Txn(success: [.put(key: "/registry/services/specs/ns/s", value: "svc")]))        // rev 3
            write(Txn(success: [.put(key: "/registry/namespaces/ns", value: "ns")]))               // rev 4
            write(Txn(success: [.delete(key: "/registry/pods/ns/a")]))                            // rev 5
            write(Txn(success: [.put(key: "/registry/pods/ns/b", value: "pod-b")]))               // rev 6
        }
        let all = ["ns", "pod-b", "svc"]
        let allAt4 = ["ns", "pod-a", "svc"]
        for round in 0..<2 {
            for (name, copy) in [("indexed", indexed), ("lazy, round \(round)", lazy)] {
                var store = copy
                XCTAssertEqual(try store.range(prefix: "/registry/", revision: nil).get().map(\.value), all.map { .string($0) }, name)
                XCTAssertEqual(try store.range(prefix: "/registry/", revision: 4).get().map(\.value), allAt4.map { .string($0) }, name)
                XCTAssertEqual(try store.range(prefix: "/registry/pods/", revision: nil).get().map(\.value), ["pod-b"], name)
                XCTAssertEqual(try store.range(prefix: "/registry/pods/ns/", revision: 4).get().map(\.value), ["pod-a"], name)
                XCTAssertEqual(try store.range(prefix: "/registry/p", revision: nil).get().map(\.value), ["pod-b"], name)
            }
            lazy.indexKeys()
        }
    }

    /// A resource's key list keeps deleted keys until most of it is stale: a key deleted and
    /// created again, and a bucket that empties and fills again, list each live key once.
    func testRangesAfterDeletesAndRecreates() throws {
        for indexing in [true, false] {
            var store = MVCCStore(indexingKeys: indexing)
            func put(_ name: String, _ value: JSON) { _ = store.txn(Txn(success: [.put(key: "/registry/events/ns/\(name)", value: value)])) }
            func delete(_ name: String) { _ = store.txn(Txn(success: [.delete(key: "/registry/events/ns/\(name)")])) }
            func names() throws -> [String] {
                try store.range(prefix: "/registry/events/", revision: nil).get().map { String($0.key.split(separator: "/").last ?? "") }
            }
            put("a", 1)
            put("b", 1)
            delete("a")
            put("a", 2)
            delete("a")
            put("a", 3)
            XCTAssertEqual(try names(), ["a", "b"])
            XCTAssertEqual(try store.range(prefix: "/registry/events/ns/a", revision: nil).get().map(\.value), [3])
            // Past revisions read through the same list.
            XCTAssertEqual(try store.range(prefix: "/registry/events/", revision: 4).get().map(\.value), [1])
            // Enough churn to rebuild the list more than once, listed between the changes:
            // a list sorts the keys added since the last one into those it sorted then.
            let order: (String, String) -> Bool = { $0.utf8.lexicographicallyPrecedes($1.utf8) }
            for round in 0..<3 {
                for i in (0..<150).reversed() {
                    put("e\(i)", .int(round))
                    if i == 75, indexing {
                        XCTAssertEqual(try names(), (["a", "b"] + (75..<150).map { "e\($0)" }
                            + (round == 0 ? [] : (0..<75).filter { $0 % 10 == 0 }.map { "e\($0)" })).sorted(by: order))
                    }
                }
                for i in 0..<150 where i % 10 != 0 {
                    delete("e\(i)")
                    if i == 99 {
                        XCTAssertEqual(try names(), (["a", "b"] + (0..<150).filter { $0 % 10 == 0 || $0 > 99 }
                            .map { "e\($0)" }).sorted(by: order))
                    }
                }
            }
            store.indexKeys()
            let expected = ["a", "b"] + (0..<150).filter { $0 % 10 == 0 }.map { "e\($0)" }
            XCTAssertEqual(try names(), expected.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) })
            XCTAssertEqual(try store.range(prefix: "/registry/", revision: nil).get().count, expected.count)
        }
    }

    /// Random puts, deletes and compactions against a model that keeps the whole state at
    /// every revision: every range, latest or past, returns the model's keys, values and
    /// revisions in byte order, with or without the key index (built late or from the start).
    /// (The model is a Swift dictionary, which would take canonically equivalent spellings for
    /// one key where the store keeps their bytes apart, so the keys are distinct as Strings;
    /// `testPrefixesMatchBytesOnEveryPath` covers such keys.)
    func testRangesMatchAReferenceModel() throws {
        let keys = ["/registry/pods/ns1/a", "/registry/pods/ns1/ab", "/registry/pods/ns2/a", "/registry/podsx/ns/a",
                    "/registry/pods", "/a", "b", "/registry/pods/ns1/caf\u{E9}", "/registry/pods/ns1/cafe"]
            + (0..<12).map { "/registry/events/ns/e\($0)" }
        let prefixes = ["", "/registry/", "/registry/pods", "/registry/pods/", "/registry/pods/ns1/", "/registry/pods/ns1/caf",
                        "/registry/events/", "/registry/events/ns/e1", "/a", "/registry/nothing/"]
        struct Entry: Equatable { var key: String; var value: JSON; var create, mod, version: Int64 }
        for seed in 0..<60 {
            var random = SeededRandom(seed: UInt64(seed))
            var store = MVCCStore(indexingKeys: seed % 3 == 0)
            var states: [Int64: [String: Entry]] = [1: [:]]
            var compacted: Int64 = 0
            for step in 0..<400 {
                var state = states[store.revision] ?? [:]
                let key = keys[random.int(below: keys.count)]
                let next = store.revision + 1
                if random.int(below: 3) == 0 {
                    _ = store.txn(Txn(success: [.delete(key: key)]))
                    if state.removeValue(forKey: key) != nil { states[next] = state }
                } else {
                    let value = JSON.int(step)
                    _ = store.txn(Txn(success: [.put(key: key, value: value)]))
                    let old = state[key]
                    state[key] = Entry(key: key, value: value, create: old?.create ?? next, mod: next,
                                       version: (old?.version ?? 0) + 1)
                    states[next] = state
                }
                if random.int(below: 50) == 0 {
                    let target = Int64(random.int(below: Int(store.revision))) + 1
                    store.compact(target)
                    compacted = max(compacted, min(target, store.revision))
                }
                if seed % 3 == 1, step == 200 { store.indexKeys() }
                let prefix = prefixes[random.int(below: prefixes.count)]
                let at: Int64? = random.int(below: 2) == 0 ? nil : Int64(random.int(below: Int(store.revision))) + 1
                let got = store.range(prefix: prefix, revision: at)
                if let at, at < store.revision, at <= compacted {
                    XCTAssertEqual(got.failure, .compacted(requested: at, compacted: compacted))
                    continue
                }
                let expected = (states[at ?? store.revision] ?? [:]).values
                    .filter { $0.key.utf8.starts(with: prefix.utf8) }
                    .sorted { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }
                let actual = try got.get().map {
                    Entry(key: $0.key, value: $0.value, create: $0.createRevision, mod: $0.modRevision, version: $0.version)
                }
                XCTAssertEqual(actual.map { Array($0.key.utf8) }, expected.map { Array($0.key.utf8) },
                               "seed \(seed) step \(step) prefix \(prefix) at \(String(describing: at))")
                XCTAssertEqual(actual.map(\.value), expected.map(\.value))
                XCTAssertEqual(actual.map(\.mod), expected.map(\.mod))
                XCTAssertEqual(actual.map(\.create), expected.map(\.create))
                XCTAssertEqual(actual.map(\.version), expected.map(\.version))
            }
        }
    }

    /// Prefixes match bytes, as etcd's ranges are byte ranges, on every path: the latest
    /// state, a past revision and the change log. A name that starts with a combining mark
    /// (which `hasPrefix` would join to the "/" before it) is under its namespace, and two
    /// names with the same text in different bytes (Å as one letter and as the Ångström sign)
    /// are two keys, listed both, also once the list has repeats from a delete.
    func testPrefixesMatchBytesOnEveryPath() throws {
        var store = MVCCStore()
        let combining = "/registry/events/ns/\u{301}x"
        let letter = "/registry/events/ns/\u{C5}", sign = "/registry/events/ns/\u{212B}"
        for key in [combining, letter, sign, "/registry/events/ns/gone"] {
            _ = store.txn(Txn(success: [.put(key: key, value: .string(key))]))
        }
        _ = store.txn(Txn(success: [.delete(key: "/registry/events/ns/gone")]))
        _ = store.txn(Txn(success: [.put(key: "/registry/events/ns/gone", value: "again")]))
        let expected = [combining, letter, sign, "/registry/events/ns/gone"].map { Array($0.utf8) }
            .sorted { $0.lexicographicallyPrecedes($1) }
        for prefix in ["/registry/events/ns/", "/registry/events/", "/registry/"] {
            let latest = try store.range(prefix: prefix, revision: nil).get().map { Array($0.key.utf8) }
            XCTAssertEqual(latest, expected, prefix)
            let past = try store.range(prefix: prefix, revision: store.revision - 1).get().map { Array($0.key.utf8) }
            XCTAssertEqual(past, expected.filter { $0 != Array("/registry/events/ns/gone".utf8) }, prefix)
        }
        let logged = try store.events(after: 1, prefix: "/registry/events/ns/").get()
        XCTAssertEqual(logged.count, 6)
        XCTAssertEqual(logged.first.map { Array($0.kv.key.utf8) }, Array(combining.utf8))
        // Enough deletes to rebuild the bucket's list, which must keep both spellings of Å.
        for i in 0..<100 { _ = store.txn(Txn(success: [.put(key: "/registry/events/ns/e\(i)", value: 1)])) }
        for i in 0..<100 { _ = store.txn(Txn(success: [.delete(key: "/registry/events/ns/e\(i)")])) }
        XCTAssertEqual(try store.range(prefix: "/registry/events/ns/", revision: nil).get().map { Array($0.key.utf8) },
                       expected)
    }

    /// Ranges come back in etcd's order, the bytes of the keys: a prefix before its longer
    /// keys, and "cafe" + combining acute (65 CC 81) before "caff", where Swift's `<` (Unicode
    /// order after normalising to "café") would put it after.
    func testRangesAreInTheByteOrderOfTheKeys() throws {
        var store = MVCCStore()
        let keys = ["/registry/configmaps/ns/b", "/registry/configmaps/ns/a-long-name-beyond-fifteen-bytes",
                    "/registry/configmaps/ns/a", "/registry/configmaps/ns/caff", "/registry/configmaps/ns/cafe\u{301}",
                    "/registry/configmaps/ns/Z", "/registry/configmaps/ns/a-long-name-beyond-fifteen-byte"]
        for key in keys { _ = store.txn(Txn(success: [.put(key: key, value: .string(key))])) }
        let listed = try store.range(prefix: "/registry/configmaps/", revision: nil).get().map(\.key)
        XCTAssertEqual(listed.map { Array($0.utf8) }, keys.map { Array($0.utf8) }.sorted { $0.lexicographicallyPrecedes($1) })
        XCTAssertEqual(listed.count, 7)
        XCTAssertEqual(listed.first, "/registry/configmaps/ns/Z")
        XCTAssertEqual(Array(listed.suffix(2)), ["/registry/configmaps/ns/cafe\u{301}", "/registry/configmaps/ns/caff"])
        XCTAssertFalse(KeyOrder.precedes("a", "a"))
        XCTAssertTrue(KeyOrder.precedes("", "a"))
        XCTAssertTrue(KeyOrder.precedes("ab", "abc"))
        XCTAssertFalse(KeyOrder.precedes("abc", "ab"))
    }

    /// Substring search reads bytes, as Go's `strings.Contains` does: a combining mark after
    /// the needle does not hide it, and Unicode-equivalent spellings are different text.
    func testUTF8ContainsIsAByteSearch() {
        XCTAssertTrue("example.com/x".utf8Contains("/"))
        XCTAssertTrue("example.com/\u{301}x".utf8Contains("/"), "a combining mark after the needle")
        XCTAssertTrue("abc".utf8Contains(""))
        XCTAssertTrue("abc".utf8Contains("abc"))
        XCTAssertTrue("xxabcab".utf8Contains("cab"))
        XCTAssertFalse("ab".utf8Contains("abc"))
        XCTAssertFalse("".utf8Contains("a"))
        XCTAssertFalse("caf\u{E9}".utf8Contains("cafe\u{301}"), "equivalent text, other bytes")
        XCTAssertTrue(#"Replica set "web-5d59" is progressing."#.utf8Contains(#""web-5d59""#))
        XCTAssertTrue(NameRules.contains("example.com/\u{301}x", "/"))
    }

    /// Store keys: `/registry/<resource>/<namespace>/<name>`, without a namespace for a
    /// cluster-scoped resource.
    func testStoreKeys() {
        XCTAssertEqual(ResourceRegistry.standard.resolve("nodes")?.key(namespace: "ignored", name: "n1"), "/registry/nodes/n1")
        XCTAssertEqual(ResourceRegistry.standard.resolve("pods")?.key(namespace: nil, name: "p"), "/registry/pods//p")
    }

    /// Stamping writes the revision as `metadata.resourceVersion`, and leaves a value that
    /// carries exactly that text alone.
    func testStampingResourceVersions() {
        for (before, rev, after) in [(nil, 12, "12"), ("12", 12, "12"), ("120", 12, "12"), ("2", 12, "12"),
                                     ("012", 12, "12"), ("", 0, "0"), ("0", 0, "0"), ("9", 10, "10")] as [(String?, Int64, String)] {
            var value: JSON = ["metadata": ["name": "web"]]
            if let before { value["metadata", "resourceVersion"] = .string(before) }
            APIServer.stampResourceVersion(&value, rev)
            XCTAssertEqual(value["metadata", "resourceVersion"], .string(after), "\(before ?? "nil") at \(rev)")
            XCTAssertEqual(value["metadata", "name"], "web")
        }
    }

    /// A key's resource bucket (what ranges index) and resource name (what watches are
    /// registered under).
    func testKeyPrefixesAndResources() {
        XCTAssertEqual(MVCCStore.bucket(of: "/registry/pods/default/web"), "/registry/pods/")
        XCTAssertEqual(MVCCStore.bucket(of: "/registry/nodes/minikube"), "/registry/nodes/")
        XCTAssertEqual(MVCCStore.bucket(of: "/registry/nodes"), "/registry/nodes")
        XCTAssertEqual(WatchRegistry.resource(ofKey: "/registry/pods/default/web"), "pods")
        XCTAssertEqual(WatchRegistry.resource(ofKey: "/registry/nodes/minikube"), "nodes")
        XCTAssertEqual(WatchRegistry.resource(ofKey: "/registry/leases"), "leases")
        XCTAssertEqual(WatchRegistry.resource(ofKey: "/registry/"), "")
        XCTAssertEqual(WatchRegistry.resource(ofKey: "/other/pods/web"), "")
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

    /// A history longer than one chunk of the change log reads, watches and compacts as a
    /// short one does, including compactions that end inside a chunk.
    func testLongHistoryAcrossLogChunks() throws {
        var store = MVCCStore()
        let n = EventLog.chunkCapacity * 2 + 500
        for i in 0..<n {
            _ = store.txn(Txn(success: [.put(key: "/registry/pods/ns/p\(i % 7)", value: .string("v\(i)"))]))
        }
        // Write i has revision i + 2.
        XCTAssertEqual(store.revision, Int64(n + 1))
        XCTAssertEqual(store.logCount, n)
        let after = Int64(EventLog.chunkCapacity + 3)
        XCTAssertEqual(try store.events(after: after, prefix: "/registry/pods/").get().map(\.revision),
                       Array((after + 1)...Int64(n + 1)))
        // p3 as of revision 100: last written by write 94.
        XCTAssertEqual(try store.range(prefix: "/registry/pods/ns/p3", revision: 100).get().map(\.value), ["v94"])
        XCTAssertEqual(try store.range(prefix: "/registry/pods/ns/p3", revision: 100).get().map(\.modRevision), [96])
        for target in [Int64(EventLog.chunkCapacity + 100), Int64(2 * EventLog.chunkCapacity + 1), Int64(n + 1)] {
            store.compact(target)
            XCTAssertEqual(store.logCount, n + 1 - Int(target))
            XCTAssertEqual(store.events(after: target - 1, prefix: "/registry/pods/").failure,
                           .compacted(requested: target - 1, compacted: target))
            XCTAssertEqual(try store.events(after: target, prefix: "/registry/pods/").get().first?.revision,
                           target < Int64(n + 1) ? target + 1 : nil)
        }
        // Everything was compacted: new changes are logged from scratch.
        _ = store.txn(Txn(success: [.delete(key: "/registry/pods/ns/p0")]))
        XCTAssertEqual(store.logCount, 1)
        XCTAssertEqual(try store.events(after: Int64(n + 1), prefix: "/registry/pods/").get().map(\.kind), [.delete])
    }

    /// A member applying another member's proposal builds neither results nor changes, yet
    /// its store ends in the same state with the same history. Members stamp the shared
    /// transaction in place: one that applies it after another (as stamped) ends the same.
    func testApplyingWithoutResultsKeepsTheSameStateAndHistory() throws {
        var full = MVCCStore(), bare = MVCCStore(), second = MVCCStore()
        full.stamp = APIServer.stampResourceVersion
        bare.stamp = APIServer.stampResourceVersion
        second.stamp = APIServer.stampResourceVersion
        let obj = { (name: String) -> JSON in ["metadata": ["name": .string(name)]] }
        let txns = [
            Txn(success: [.put(key: "/registry/pods/ns/a", value: obj("a1")), .put(key: "/registry/pods/ns/b", value: obj("b1"))]),
            Txn(success: [.put(key: "/registry/pods/ns/a", value: obj("a2")), .get(key: "/registry/pods/ns/b")]),
            Txn(compares: [.init(key: "/registry/pods/ns/a", target: .version, relation: .equal, value: 2)],
                success: [.delete(key: "/registry/pods/ns/b")], failure: [.put(key: "/registry/pods/ns/c", value: obj("c1"))]),
            Txn(compares: [.init(key: "/registry/pods/ns/a", target: .version, relation: .equal, value: 9)],
                success: [.delete(key: "/registry/pods/ns/a")], failure: [.put(key: "/registry/pods/ns/c", value: obj("c1"))]),
        ]
        for txn in txns {
            let a = full.txn(txn)
            var shared = txn
            let b = bare.txn(&shared, collectResults: false, collectEvents: false, keepStamped: true)
            let c = second.txn(&shared, collectResults: false, collectEvents: false, keepStamped: true)
            XCTAssertEqual(a.succeeded, b.succeeded)
            XCTAssertEqual(a.revision, b.revision)
            XCTAssertEqual(c.revision, b.revision)
            XCTAssertTrue(b.results.isEmpty)
            XCTAssertTrue(b.events.isEmpty)
            // The caller's transaction is not written to; the shared one is left stamped.
            for case .put(_, let value) in txn.success + txn.failure {
                XCTAssertTrue(value["metadata", "resourceVersion"].isNull)
            }
            for case .put(_, let value) in (a.succeeded ? shared.success : shared.failure) {
                XCTAssertEqual(value["metadata", "resourceVersion"].string, String(b.revision))
            }
        }
        let history = { (s: MVCCStore) in try s.events(after: 0, prefix: "/registry/").get() }
        for other in [bare, second] {
            XCTAssertEqual(try history(full).map(\.revision), try history(other).map(\.revision))
            XCTAssertEqual(try history(full).map(\.kv.key), try history(other).map(\.kv.key))
            XCTAssertEqual(try history(full).map(\.kv.value), try history(other).map(\.kv.value))
            XCTAssertEqual(try history(full).map(\.previous?.value), try history(other).map(\.previous?.value))
            XCTAssertEqual(full.all().map(\.value), other.all().map(\.value))
            XCTAssertEqual(full.all().map(\.version), other.all().map(\.version))
        }
    }

    /// A proposal's bytes are exactly as many as it announces (the writer reserves that much).
    /// Bytes written in place into a size that is wrong (too small, too large, none) are the
    /// same bytes the growing writer gives: a sizing bug cannot lose or pad a proposal.
    func testInPlaceWritingSurvivesAWrongSize() {
        let value: JSON = ["kind": "Pod", "metadata": ["name": "web", "labels": ["note": "héllo ✓"]],
                           "spec": ["ports": [80, 443], "ratio": 0.5, "paused": false, "none": nil]]
        var reference = ByteWriter()
        reference.u64(42)
        reference.string("/registry/pods/ns/web")
        reference.json(value)
        for count in [0, 1, 9, reference.bytes.count - 1, reference.bytes.count, reference.bytes.count + 100] {
            let bytes = ByteWriter.inPlace(count: count) { w in
                w.u64(42)
                w.string("/registry/pods/ns/web")
                w.json(value)
            }
            XCTAssertEqual(bytes, reference.bytes, "sized \(count)")
        }
    }

    func testProposalEncodingHasTheAnnouncedSize() {
        let pod: JSON = ["metadata": ["name": "web", "labels": ["app": "web", "note": "héllo ✓"]], "spec": ["replicas": 3, "ratio": 0.5,
                         "paused": false, "none": nil, "ports": [80, 443]]]
        let proposals = [
            EtcdProposal(member: 1, requestID: 7, txn: Txn(success: [.put(key: "/registry/pods/ns/web", value: pod)])),
            EtcdProposal(member: 2, requestID: 8, txn: Txn(
                compares: [.init(key: "/registry/pods/ns/web", target: .modRevision, relation: .equal, value: 5)],
                success: [.delete(key: "/registry/pods/ns/web")], failure: [.get(key: "/registry/pods/ns/web")])),
            EtcdProposal(member: 3, requestID: 9, txn: Txn(), compactRevision: 42),
        ]
        var scratch: [UInt8] = []  // grown by the first proposal, reused by the rest
        for p in proposals {
            let bytes = p.encoded()
            XCTAssertEqual(bytes.count, p.encodedSize)
            XCTAssertEqual(p.encoded(scratch: &scratch), bytes)
            let decoded = EtcdProposal(decoding: bytes)
            XCTAssertEqual(decoded?.requestID, p.requestID)
            XCTAssertEqual(decoded?.compactRevision, p.compactRevision)
            XCTAssertEqual(decoded.map { EtcdProposal(member: $0.member, requestID: $0.requestID, txn: $0.txn,
                                                      compactRevision: $0.compactRevision).encoded() }, bytes)
            if case .put(_, let value)? = p.txn.success.first, case .put(_, let back)? = decoded?.txn.success.first {
                XCTAssertEqual(back, value)
            }
        }
        // Larger than the room the scratch has: it grows, and the bytes are the same.
        let big = EtcdProposal(member: 1, requestID: 10, txn: Txn(success: [
            .put(key: "/registry/configmaps/ns/big", value: ["data": ["k": .string(String(repeating: "x", count: 10_000))]]),
        ]))
        XCTAssertEqual(big.encoded(scratch: &scratch), big.encoded())
        XCTAssertGreaterThan(scratch.count, 10_000)
    }
}
