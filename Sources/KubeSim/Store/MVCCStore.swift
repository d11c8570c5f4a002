/// A single-member MVCC key-value store with etcd's revision model.
///
/// One revision counter advances on every write transaction. Each key keeps its create
/// revision, mod revision and version. A log of changes (with previous values) serves
/// watches from a revision and reads at past revisions (by rolling the latest state back),
/// until compaction drops it. Keys are grouped by their resource prefix
/// (`/registry/pods/`) so a range touches only its own resource; a store that has not built
/// that index yet (an etcd member that serves no reads) scans every key.
struct MVCCStore: KeyValueStore {
    private(set) var revision: Int64 = 1
    private(set) var compactedRevision: Int64 = 0
    /// Every live key. A `StringTable`: looking a store key up costs about a third of what
    /// `Dictionary` spends on it.
    private var live = StringTable<KeyValue>()
    /// Keys by resource prefix, for ranges; nil until a range needs it (`indexKeys()`): an
    /// etcd member that serves no reads (a follower, normally) never builds it. Looked up by
    /// the prefix's bytes within the key, so a create builds no prefix string.
    private var buckets: StringTable<Bucket>?

    /// One resource prefix's keys, for ranges: each key as it was created, in a list that
    /// a delete leaves alone until half of it is stale (a set would hash every key once more
    /// on each create). A range reads each key's live value, so stale entries drop out there.
    ///
    /// The list is kept in key order up to `sorted`, without repeats: a range sorts only
    /// the keys created since the last one and merges them in, where sorting the whole list
    /// again cost the lists of a large cluster most of their time (the API server serves its
    /// lists in key order from its watch cache; this is that order).
    private struct Bucket {
        var keys: [String] = []
        /// How many of `keys` are live.
        var live = 0
        /// `keys[..<sorted]` are in byte order, each once.
        var sorted = 0

        var isMostlyStale: Bool { keys.count > 2 * live + 64 }
        /// Whether a key may be listed more than once.
        var mayRepeat: Bool { keys.count != live }

        mutating func added(_ key: String) {
            keys.append(key)
            live += 1
        }

        /// Puts every key in order, each once: sorts the keys added since the last time and
        /// merges them into the sorted ones (a key deleted and created again meets itself).
        mutating func sortKeys() {
            guard sorted < keys.count else { return }
            var added = Array(keys[sorted...])
            KeyOrder.sort(&added)
            var merged: [String] = []
            merged.reserveCapacity(keys.count)
            var i = 0, j = 0
            func append(_ key: String) {
                if let last = merged.last, last.hasSameUTF8(as: key) { return }
                merged.append(key)
            }
            while i < sorted, j < added.count {
                if KeyOrder.precedes(added[j], keys[i]) {
                    append(added[j])
                    j += 1
                } else {
                    append(keys[i])
                    i += 1
                }
            }
            while i < sorted { append(keys[i]); i += 1 }
            while j < added.count { append(added[j]); j += 1 }
            keys = merged
            sorted = keys.count
        }

        /// The sorted keys that start with `prefix`: one stretch of them, found by halving.
        func sortedKeys(withPrefix prefix: String) -> ArraySlice<String> {
            var low = 0, high = sorted
            while low < high {
                let mid = (low + high) / 2
                if KeyOrder.precedes(keys[mid], prefix) { low = mid + 1 } else { high = mid }
            }
            var end = low
            while end < sorted, keys[end].utf8HasPrefix(prefix) { end += 1 }
            return keys[low..<end]
        }
    }
    private var log = EventLog()
    /// Called on every value written, with its revision: the API server stamps
    /// `metadata.resourceVersion` here, as its etcd3 layer does on decode.
    var stamp: (inout JSON, Int64) -> Void = { _, _ in }

    /// `indexingKeys`: false leaves the range index to be built when first needed.
    init(indexingKeys: Bool = true) {
        if indexingKeys { buckets = [:] }
    }

    /// Builds the index of keys by prefix that ranges read, if it is not built yet.
    mutating func indexKeys() {
        guard buckets == nil else { return }
        buckets = StringTable()
        for key in live.keys { addToBucket(key) }
    }

    var keyCount: Int { live.count }
    var logCount: Int { log.count }

    func get(_ key: String) -> KeyValue? { live[key] }

    /// `get` for a store held in a class's property (the API server's): a mutating call
    /// reaches the store in place, where a non-mutating one copies the struct first,
    /// retaining each of its tables, for every read.
    mutating func read(_ key: String) -> KeyValue? { live[key] }

    /// `read` of the key whose UTF-8 is `bytes` (mutating for the same reason).
    mutating func read(utf8 bytes: UnsafeRawBufferPointer) -> KeyValue? {
        live.index(forUTF8: bytes).map { live[valueAt: $0] }
    }

    /// A key found while comparing, and where: a transaction's one write to that same key
    /// reuses the position instead of hashing the key again (the API server's writes compare
    /// a key's revision and then write it).
    private struct Found {
        let key: String
        let lookup: StringTable<KeyValue>.Lookup
        var index: Int? { lookup.entry }
    }

    private func compare(_ c: Txn.Compare) -> Bool {
        compare(c, live[c.key])
    }

    private func compare(_ c: Txn.Compare, _ kv: KeyValue?) -> Bool {
        let actual: Int64
        switch c.target {
        case .modRevision: actual = kv?.modRevision ?? 0
        case .createRevision: actual = kv?.createRevision ?? 0
        case .version: actual = kv?.version ?? 0
        }
        switch c.relation {
        case .equal: return actual == c.value
        case .notEqual: return actual != c.value
        case .less: return actual < c.value
        case .greater: return actual > c.value
        }
    }

    /// Applies a transaction the store now owns: values nobody else holds are stamped in
    /// place rather than copied (the API server hands its writes over this way).
    mutating func txn(_ txn: consuming Txn) -> TxnResult {
        var txn = txn
        return self.txn(&txn, collectResults: true, collectEvents: true, keepStamped: true)
    }

    /// Applies `txn`; the result carries the per-operation results only if `collectResults`
    /// and the changes only if `collectEvents` (the log records them either way). A member
    /// applying an entry another member proposed answers no client, and with no watch open
    /// nobody reads its changes: building them would only be copied and thrown away.
    ///
    /// With `keepStamped`, values are stamped where they lie in `txn` and left there stamped:
    /// the members of a cluster apply one shared decoded proposal (`ProposalCache`) with one
    /// stamp function, and a member that finds a value already stamped with its revision
    /// shares it instead of copying it. (Without, a caller's transaction is not written to: its operations would
    /// be copied first.)
    mutating func txn(_ txn: inout Txn, collectResults: Bool, collectEvents: Bool, keepStamped: Bool) -> TxnResult {
        var ok = true
        var found: Found?
        if txn.compares.count == 1, let c = txn.compares.first {
            let lookup = live.lookup(c.key)
            found = Found(key: c.key, lookup: lookup)
            ok = compare(c, lookup.entry.map { live[valueAt: $0] })
        } else {
            // A loop, not `allSatisfy(compare)`: the method reference would copy the whole store.
            for c in txn.compares where !compare(c) {
                ok = false
                break
            }
        }
        return ok ? apply(&txn.success, succeeded: true, collectResults, collectEvents, keepStamped, found)
            : apply(&txn.failure, succeeded: false, collectResults, collectEvents, keepStamped, found)
    }

    private mutating func apply(_ ops: inout [Txn.Op], succeeded: Bool, _ collectResults: Bool,
                                _ collectEvents: Bool, _ keepStamped: Bool, _ found: Found?) -> TxnResult {
        // The revision a write takes; it becomes the store's only if something changed.
        let rev = revision + 1
        // A position stays valid until the first change: only a transaction's one operation uses it.
        let found = ops.count == 1 ? found : nil
        var results: [TxnResult.OpResult] = []
        var events: [StoreEvent] = []
        var changed = false
        for k in ops.indices {
            if keepStamped, case .put = ops[k] {
                // Moved out of the transaction (an empty get left in its place), so that a value
                // nobody else holds is stamped in place, then put back stamped.
                var op = Txn.Op.get(key: "")
                swap(&op, &ops[k])
                guard case .put(let key, var value) = consume op else { continue }
                stamp(&value, rev)
                ops[k] = .put(key: key, value: value)
                put(key, value, rev, &results, &events, collectResults, collectEvents, found)
                changed = true
                continue
            }
            switch ops[k] {
            case .get(let key):
                if collectResults { results.append(.get(live[key])) }
            case .put(let key, var value):
                stamp(&value, rev)
                put(key, value, rev, &results, &events, collectResults, collectEvents, found)
                changed = true
            case .delete(let key):
                guard let previous = live.removeValue(forKey: key) else {
                    if collectResults { results.append(.delete(previous: nil)) }
                    continue
                }
                removeFromBucket(key)
                var tomb = previous
                tomb.modRevision = rev
                stamp(&tomb.value, rev)
                if collectResults { results.append(.delete(previous: previous)) }
                let event = StoreEvent(kind: .delete, revision: rev, kv: tomb, previous: previous)
                if collectEvents { events.append(event) }
                log.append(event)
                changed = true
            }
        }
        if changed { revision = rev }
        return TxnResult(succeeded: succeeded, revision: revision, results: results, events: events)
    }

    /// A put of `value` at `key` if the key's mod revision is `modRevision` (0: if the key
    /// does not exist): what `txn` does for a transaction of that one comparison and that one
    /// put (the API server's every create, update and binding), without building the
    /// transaction's lists. The value, which the caller hands over, is stamped in place.
    /// Returns the change, or nil when the comparison failed.
    mutating func put(_ key: String, _ value: consuming JSON, ifModRevision modRevision: Int64) -> StoreEvent? {
        let lookup = live.lookup(key)
        guard (lookup.entry.map { live[valueAt: $0].modRevision } ?? 0) == modRevision else { return nil }
        let rev = revision + 1
        var value = value
        stamp(&value, rev)
        // Empty lists, never allocated: neither is collected.
        var events: [StoreEvent] = []
        var results: [TxnResult.OpResult] = []
        let change = put(key, value, rev, &results, &events, false, false, Found(key: key, lookup: lookup))
        revision = rev
        return change
    }

    /// Writes one stamped value at `rev`; returns the change it logged.
    @discardableResult
    private mutating func put(_ key: String, _ value: JSON, _ rev: Int64, _ results: inout [TxnResult.OpResult],
                              _ events: inout [StoreEvent], _ collectResults: Bool, _ collectEvents: Bool,
                              _ found: Found?) -> StoreEvent {
        // One hash for a key (none when the compare found it): read and replace through its
        // index, or insert it with the hash the lookup took.
        let kv: KeyValue
        let previous: KeyValue?
        let lookup = if let found, found.key.hasSameUTF8(as: key) { found.lookup } else { live.lookup(key) }
        if let i = lookup.entry {
            // Every revision of a key shares the first write's key string rather than
            // holding the copy each request brought.
            let key = live.key(at: i)
            // Swap the new state in: the old one moves out without being copied.
            var old = KeyValue(key: key, value: value, createRevision: rev, modRevision: rev, version: 1)
            swap(&old, &live[valueAt: i])
            live[valueAt: i].createRevision = old.createRevision
            live[valueAt: i].version = old.version + 1
            kv = live[valueAt: i]
            previous = consume old
        } else {
            previous = nil
            kv = KeyValue(key: key, value: value, createRevision: rev, modRevision: rev, version: 1)
            live.insert(kv, forKey: key, at: lookup)
            addToBucket(key)
        }
        if collectResults { results.append(.put(kv)) }
        let event = StoreEvent(kind: .put, revision: rev, kv: kv, previous: previous)
        if collectEvents { events.append(event) }
        log.append(event)
        return event
    }

    /// Removes entries whose key equals the previous entry's, in a list sorted by key.
    private static func dropRepeatedKeys(_ kvs: inout [KeyValue]) {
        var kept = 0
        for i in kvs.indices where kept == 0 || !kvs[i].key.hasSameUTF8(as: kvs[kept - 1].key) {
            if i != kept { kvs.swapAt(i, kept) }
            kept += 1
        }
        kvs.removeSubrange(kept...)
    }

    /// `/registry/pods/default/web` → `/registry/pods/`.
    static func bucket(of key: String) -> String {
        key.withUTF8Bytes { bytes in String(decoding: bytes[..<bucketEnd(bytes)], as: UTF8.self) }
    }

    /// Where a key's bucket name ends: just past its third "/" (all of it when it has fewer).
    private static func bucketEnd(_ bytes: UnsafeBufferPointer<UInt8>) -> Int {
        var slashes = 0
        for i in bytes.indices where bytes[i] == UInt8(ascii: "/") {
            slashes += 1
            if slashes == 3 { return i + 1 }
        }
        return bytes.count
    }

    /// The position of `key`'s bucket in `buckets`, found by the bucket name's bytes within
    /// the key; `create` adds the bucket when there is none.
    private mutating func bucketIndex(of key: String, create: Bool) -> Int? {
        guard buckets != nil else { return nil }
        return key.withUTF8Bytes { bytes in
            let name = UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: bytes[..<Self.bucketEnd(bytes)]))
            if let i = buckets?.index(forUTF8: name) { return i }
            guard create else { return nil }
            return buckets?.index(setting: Bucket(), forKey: String(decoding: name, as: UTF8.self))
        }
    }

    private mutating func addToBucket(_ key: String) {
        guard let i = bucketIndex(of: key, create: true) else { return }
        buckets?[valueAt: i].added(key)
    }

    /// The keys a range over `prefix` may hold (each still checked against it): the one
    /// resource's bucket; every bucket under a prefix shorter than a resource (`/registry/`,
    /// the API server's relist); every key when the index is not built.
    private func candidateKeys(_ prefix: String) -> (keys: [String], mayRepeat: Bool) {
        guard let buckets else { return (Array(live.keys), false) }
        if Self.isWithinOneBucket(prefix) {
            guard let entry = buckets[Self.bucket(of: prefix)] else { return ([], false) }
            return (entry.keys, entry.mayRepeat)
        }
        var keys: [String] = []
        var mayRepeat = false
        for (bucket, entry) in buckets where bucket.utf8HasPrefix(prefix) {
            keys.append(contentsOf: entry.keys)
            mayRepeat = mayRepeat || entry.mayRepeat
        }
        return (keys, mayRepeat)
    }

    /// Whether every key under `prefix` is in one bucket: it names a resource (three "/").
    private static func isWithinOneBucket(_ prefix: String) -> Bool {
        prefix.utf8.reduce(0) { $1 == UInt8(ascii: "/") ? $0 + 1 : $0 } >= 3
    }

    /// Counts a deleted key out of its bucket; rebuilds the bucket's list from the live keys
    /// once most of it is stale (the sorted part stays sorted).
    private mutating func removeFromBucket(_ key: String) {
        guard let i = bucketIndex(of: key, create: false) else { return }
        buckets?[valueAt: i].live -= 1
        guard let bucket = buckets?[valueAt: i], bucket.isMostlyStale else { return }
        var seen = StringSet()  // by bytes, as the live keys are
        var kept: [String] = []
        var sortedKept = 0
        for (n, key) in bucket.keys.enumerated() where live[key] != nil && seen.insert(key).inserted {
            kept.append(key)
            if n < bucket.sorted { sortedKept += 1 }
        }
        buckets?[valueAt: i].keys = kept
        buckets?[valueAt: i].sorted = sortedKept
    }

    /// The latest values under `prefix`, in key order. Mutating: a resource's bucket keeps
    /// its keys sorted for the next range.
    mutating func range(prefix: String, revision at: Int64? = nil) -> Result<[KeyValue], StoreError> {
        if let at, at < revision {
            if at <= compactedRevision { return .failure(.compacted(requested: at, compacted: compactedRevision)) }
            // Roll the latest state back: undo every change after `at`, newest first. Keyed by
            // bytes, as the live keys are.
            var state = StringTable<KeyValue>()
            for key in candidateKeys(prefix).keys where key.utf8HasPrefix(prefix) { state[key] = live[key] }
            var i = log.count
            let first = log.firstIndex(after: at)
            while i > first {
                i -= 1
                let event = log[i]
                if event.kv.key.utf8HasPrefix(prefix) { state[event.kv.key] = event.previous }
            }
            var kvs = Array(state.values)
            KeyOrder.sort(&kvs)
            return .success(kvs)
        }
        if let at, at > revision { return .failure(.futureRevision(requested: at, current: revision)) }
        var out: [KeyValue] = []
        if buckets != nil, Self.isWithinOneBucket(prefix) {
            guard let b = bucketIndex(of: prefix, create: false) else { return .success([]) }
            buckets?[valueAt: b].sortKeys()
            guard let keys = buckets?[valueAt: b].sortedKeys(withPrefix: prefix) else { return .success([]) }
            out.reserveCapacity(keys.count)
            for key in keys {
                if let kv = live[key] { out.append(kv) }
            }
            return .success(out)
        }
        let (bucketKeys, mayRepeat) = candidateKeys(prefix)
        out.reserveCapacity(bucketKeys.count)
        for key in bucketKeys where key.utf8HasPrefix(prefix) {
            if let kv = live[key] { out.append(kv) }
        }
        KeyOrder.sort(&out)
        // A key deleted and created again is listed twice in its bucket (see `Bucket`).
        if mayRepeat { Self.dropRepeatedKeys(&out) }
        return .success(out)
    }

    /// The latest values under `prefix` in no order, a key deleted and created again perhaps
    /// twice: for callers folding them into a result that does not depend on order, which
    /// `range` would sort and copy for nothing.
    func forEachLive(prefix: String, _ body: (KeyValue) -> Void) {
        for key in candidateKeys(prefix).keys where key.utf8HasPrefix(prefix) {
            if let kv = live[key] { body(kv) }
        }
    }

    func events(after: Int64, prefix: String) -> Result<[StoreEvent], StoreError> {
        if after < compactedRevision { return .failure(.compacted(requested: after, compacted: compactedRevision)) }
        if after > revision { return .failure(.futureRevision(requested: after, current: revision)) }
        return .success(log.events(from: log.firstIndex(after: after), prefix: prefix))
    }

    mutating func compact(_ target: Int64) {
        let target = min(target, revision)
        guard target > compactedRevision else { return }
        log.removeFirst(log.firstIndex(after: target))
        compactedRevision = target
    }

    /// Applies changes another store made, at their revisions (a watch cache following etcd).
    /// Changes at or below the current revision were seen already and are skipped.
    mutating func replay(_ events: [StoreEvent]) {
        let seen = revision
        for event in events where event.revision > seen {
            let key = event.kv.key
            switch event.kind {
            case .put:
                if live.updateValue(event.kv, forKey: key) == nil { addToBucket(key) }
            case .delete:
                if live.removeValue(forKey: key) != nil { removeFromBucket(key) }
            }
            log.append(event)
            revision = event.revision
        }
    }

    /// What replacing the state with `kvs` (read at `revision`) changes, as watch events in
    /// key order: a put for each key that is new or changed, a delete for each key that is
    /// gone (client-go's Replace turns a relist into the same deltas).
    func differences(to kvs: [KeyValue], at revision: Int64) -> [StoreEvent] {
        var out: [StoreEvent] = []
        var kept: Set<String> = []
        for kv in kvs {
            kept.insert(kv.key)
            let previous = live[kv.key]
            if previous?.modRevision != kv.modRevision {
                out.append(StoreEvent(kind: .put, revision: kv.modRevision, kv: kv, previous: previous))
            }
        }
        for old in all() where !kept.contains(old.key) {
            var tomb = old
            tomb.modRevision = revision
            stamp(&tomb.value, revision)
            out.append(StoreEvent(kind: .delete, revision: revision, kv: tomb, previous: old))
        }
        return out.sorted { KeyOrder.precedes($0.kv.key, $1.kv.key) }
    }

    /// Starts over from a snapshot's state: these keys at this revision, no history.
    mutating func replaceState(revision rev: Int64, with kvs: [KeyValue]) {
        live = [:]
        for kv in kvs { live[kv.key] = kv }
        if buckets != nil {
            buckets = nil
            indexKeys()
        }
        log = EventLog()
        revision = rev
        compactedRevision = rev
    }

    /// Every live key-value, in key order (for state dumps).
    func all() -> [KeyValue] {
        var kvs = Array(live.values)
        KeyOrder.sort(&kvs)
        return kvs
    }
}
