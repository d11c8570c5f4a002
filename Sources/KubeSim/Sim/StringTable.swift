#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A hash table from `String` keys to values, for the lookups every object change makes:
/// the store's keys (`/registry/pods/default/web-7d4b9c-x2x5k`), informer caches, uids.
///
/// `Dictionary<String, _>` hashes a key with SipHash through `Hasher`, byte by byte, and
/// compares every key on a probe chain with Unicode-aware `==`: for a key of 40–60 bytes that
/// is 400–700 instructions a lookup, and each pod's life makes about 200 of them. Here a key is
/// hashed 16 bytes at a time (a full-width multiply, finished as MurmurHash3's `fmix64`), each
/// entry keeps its hash, a probe compares hashes first, and only a matching hash compares
/// bytes. Keys are equal when their UTF-8 bytes are, as Go compares strings.
///
/// Entries lie in one dense array, so iteration visits each once without hashing. Their order
/// is deterministic (insertion order, except that a removal moves the last entry into the
/// hole and a change through `table[key]?` moves the entry to the end) but carries no
/// meaning: callers that print or act in order sort, as they would a `Dictionary`.
///
/// The hash is not seeded. A caller that chose keys to collide could make lookups slow, never
/// wrong; the keys served here are names the API server has validated.
struct StringTable<Value> {
    struct Entry {
        let hash: UInt64
        let key: String
        var value: Value
    }

    private var entries: ContiguousArray<Entry> = []
    /// Open addressing, linear probing. A slot is 0 when empty, `removedSlot` where an entry
    /// was removed (probes go on past it), else the entry's hash tag (`tag(_:)`, its high 32
    /// bits) above 1 + its position: a probe passes other keys' slots by their tags without
    /// reading their entries, each a likely cache miss in a large table. The count is a power
    /// of two, or zero before the first insert.
    private var slots: ContiguousArray<UInt64> = []
    /// Slots marked `removedSlot`, which lengthen probes until the next rebuild.
    private var removedSlots = 0

    init() {}

    var count: Int { entries.count }
    var isEmpty: Bool { entries.isEmpty }

    // MARK: Lookup

    /// The position of `key`'s entry (for `key(at:)` and `subscript(valueAt:)`), valid until
    /// the next insert or removal.
    func index(forKey key: String) -> Int? {
        // An empty table (a scheduler's nominations, most of a run) answers without hashing.
        guard !entries.isEmpty else { return nil }
        return find(key, Self.hash(key)).entry
    }

    /// The position of the entry whose key has `bytes` as its UTF-8, for a caller holding
    /// the bytes within a longer string (the store's resource prefix of a key), which then
    /// builds no string to look them up. (Its own probe loop: sharing `find`'s through a
    /// comparison closure stopped the compiler inlining the string comparison, +0.7%.)
    func index(forUTF8 bytes: UnsafeRawBufferPointer) -> Int? {
        guard !slots.isEmpty else { return nil }
        let hash = Self.hash(bytes)
        let tag = Self.tag(hash)
        let mask = slots.count - 1
        var s = Int(truncatingIfNeeded: hash) & mask
        while true {
            let slot = slots[s]
            if slot == 0 { return nil }
            if slot & Self.tagMask == tag, slot != Self.removedSlot {
                let i = Self.position(slot)
                if entries[i].hash == hash,
                   entries[i].key.withUTF8Bytes({ Self.sameBytes(UnsafeRawBufferPointer($0), bytes) })
                {
                    return i
                }
            }
            s = (s + 1) & mask
        }
    }

    subscript(key: String) -> Value? {
        get {
            guard let i = index(forKey: key) else { return nil }
            return entries[i].value
        }
        set {
            if let newValue {
                updateValue(newValue, forKey: key)
            } else {
                removeValue(forKey: key)
            }
        }
        // `table[key]?.insert(x)`, `&table[key]`: the value moves out of the table while it
        // changes and back in after (as `Dictionary` does), so a set or array held as a value
        // is changed in place, not copied whole on every change.
        _modify {
            let hash = Self.hash(key)
            var value = remove(key, hash)
            defer {
                if let changed = value.take() { insertNew(key, hash, changed) }
            }
            yield &value
        }
    }

    /// The value for `key`, inserting `defaultValue()` first if there is none; changed in place.
    subscript(key: String, default defaultValue: @autoclosure () -> Value) -> Value {
        get { self[key] ?? defaultValue() }
        _modify {
            let hash = Self.hash(key)
            let position: Int
            if let i = find(key, hash).entry {
                position = i
            } else {
                position = insertNew(key, hash, defaultValue())
            }
            yield &entries[position].value
        }
    }

    /// Changes `key`'s value where it lies, if the table has one. (`table[key]?.change()`
    /// takes the value out of the table and puts it back, copying it on the way out: for a
    /// value holding tables of its own, the form to use on a hot path.)
    mutating func modifyValue(forKey key: String, _ change: (inout Value) -> Void) {
        if let i = index(forKey: key) { change(&entries[i].value) }
    }

    func key(at i: Int) -> String { entries[i].key }

    subscript(valueAt i: Int) -> Value {
        get { entries[i].value }
        _modify { yield &entries[i].value }
    }

    /// Where a lookup found a key: its hash, and its entry's position if it is present. A
    /// caller that goes on to insert the absent key (`insert(_:forKey:at:)`) hashes it once.
    struct Lookup {
        let hash: UInt64
        let entry: Int?
    }

    func lookup(_ key: String) -> Lookup {
        let hash = Self.hash(key)
        return Lookup(hash: hash, entry: find(key, hash).entry)
    }

    // MARK: Changes

    /// Adds `key`, which `lookup` found absent, with nothing changed since; returns its
    /// entry's position.
    @discardableResult
    mutating func insert(_ value: consuming Value, forKey key: String, at lookup: Lookup) -> Int {
        assert(lookup.entry == nil && find(key, lookup.hash).entry == nil, "inserting a key that is present")
        return insertNew(key, lookup.hash, value)
    }

    /// Sets `key`'s value; returns the value it replaced, if any.
    @discardableResult
    mutating func updateValue(_ value: consuming Value, forKey key: String) -> Value? {
        let hash = Self.hash(key)
        if let i = find(key, hash).entry {
            var old = consume value
            swap(&old, &entries[i].value)
            return old
        }
        insertNew(key, hash, value)
        return nil
    }

    /// Sets `key`'s value; returns its entry's position, for a caller that goes on to change
    /// it there (`subscript(valueAt:)`) without looking the key up again.
    mutating func index(setting value: consuming Value, forKey key: String) -> Int {
        let hash = Self.hash(key)
        if let i = find(key, hash).entry {
            entries[i].value = value
            return i
        }
        return insertNew(key, hash, value)
    }

    /// Removes `key`'s entry; returns its value, if it had one. The last entry moves into
    /// the hole, so the array stays dense.
    @discardableResult
    mutating func removeValue(forKey key: String) -> Value? {
        guard !entries.isEmpty else { return nil }
        return remove(key, Self.hash(key))
    }

    private mutating func remove(_ key: String, _ hash: UInt64) -> Value? {
        let (slot, found) = find(key, hash)
        guard let i = found else { return nil }
        slots[slot] = Self.removedSlot
        removedSlots += 1
        let last = entries.count - 1
        guard i != last else { return entries.removeLast().value }
        // The last entry moves into the hole (moved, not copied as `swapAt` would), and its
        // slot now points there.
        slots[locate(entry: last)] = Self.slot(hash: entries[last].hash, position: i)
        var removed = entries.removeLast()
        swap(&removed, &entries[i])
        return removed.value
    }

    /// Removes every entry; `keepingCapacity` keeps the storage for as many again.
    mutating func removeAll(keepingCapacity: Bool = false) {
        entries.removeAll(keepingCapacity: keepingCapacity)
        if keepingCapacity {
            for s in slots.indices { slots[s] = 0 }
        } else {
            slots.removeAll()
        }
        removedSlots = 0
    }

    // MARK: Iteration

    /// The keys, in the table's (deterministic, meaningless) order.
    /// (Closures, not key paths: a key path through the generic `Entry` is instantiated at run
    /// time on every use, some 12,000 instructions.)
    var keys: LazyMapSequence<ContiguousArray<Entry>, String> { entries.lazy.map { $0.key } }
    var values: LazyMapSequence<ContiguousArray<Entry>, Value> { entries.lazy.map { $0.value } }

    // MARK: Internals

    /// The slot holding `key`, or where it would go (the first removed slot on its probe
    /// path, else the empty slot that ended it), and its entry position if present.
    private func find(_ key: String, _ hash: UInt64) -> (slot: Int, entry: Int?) {
        guard !slots.isEmpty else { return (0, nil) }
        let tag = Self.tag(hash)
        let mask = slots.count - 1
        var s = Int(truncatingIfNeeded: hash) & mask
        var reusable: Int?
        // Terminates: a rebuild keeps at least a quarter of the slots empty.
        while true {
            let slot = slots[s]
            if slot == 0 { return (reusable ?? s, nil) }
            if slot == Self.removedSlot {
                if reusable == nil { reusable = s }
            } else if slot & Self.tagMask == tag {
                let i = Self.position(slot)
                if entries[i].hash == hash, Self.sameBytes(entries[i].key, key) { return (s, i) }
            }
            s = (s + 1) & mask
        }
    }

    /// The slot that points at entry `i`.
    private func locate(entry i: Int) -> Int {
        let mask = slots.count - 1
        let wanted = Self.slot(hash: entries[i].hash, position: i)
        var s = Int(truncatingIfNeeded: entries[i].hash) & mask
        while slots[s] != wanted { s = (s + 1) & mask }
        return s
    }

    // Slot encoding. Positions stay below 2³² − 2: a table that large would not fit in memory
    // (an entry takes at least 24 bytes), so the low half of a used slot is never all ones.

    @inline(__always) private static var tagMask: UInt64 { 0xFFFF_FFFF_0000_0000 }
    @inline(__always) private static var removedSlot: UInt64 { 0xFFFF_FFFF }

    /// The high 32 bits of a hash; slots are picked by its low bits, so the two are unrelated.
    @inline(__always)
    private static func tag(_ hash: UInt64) -> UInt64 { hash & tagMask }

    @inline(__always)
    private static func slot(hash: UInt64, position: Int) -> UInt64 {
        tag(hash) | UInt64(truncatingIfNeeded: position + 1)
    }

    @inline(__always)
    private static func position(_ slot: UInt64) -> Int { Int(truncatingIfNeeded: slot & 0xFFFF_FFFF) - 1 }

    /// `value` is taken, not copied: a value moved out and back (`table[key]?`) or handed
    /// over by `updateValue` goes into the entry as it is.
    @discardableResult
    private mutating func insertNew(_ key: String, _ hash: UInt64, _ value: consuming Value) -> Int {
        // At most three quarters of the slots in use or removed, so probes stay short and end.
        if (entries.count + removedSlots + 1) * 4 > slots.count * 3 {
            rebuild(slotCount: Self.slotCount(for: entries.count + 1))
        }
        assert(entries.count < 0xFFFF_FFFE, "an entry position that does not fit a slot")
        let slot = find(key, hash).slot
        if slots[slot] == Self.removedSlot { removedSlots -= 1 }
        entries.append(Entry(hash: hash, key: key, value: value))
        slots[slot] = Self.slot(hash: hash, position: entries.count - 1)
        return entries.count - 1
    }

    /// Slots for `n` entries: a power of two with at least half of them empty.
    private static func slotCount(for n: Int) -> Int {
        var count = 8
        while count < 2 * n { count *= 2 }
        return count
    }

    /// Lays every entry out again in `slotCount` slots, dropping removed slots.
    private mutating func rebuild(slotCount: Int) {
        slots = ContiguousArray(repeating: 0, count: slotCount)
        removedSlots = 0
        let mask = slotCount - 1
        for i in entries.indices {
            var s = Int(truncatingIfNeeded: entries[i].hash) & mask
            while slots[s] != 0 { s = (s + 1) & mask }
            slots[s] = Self.slot(hash: entries[i].hash, position: i)
        }
    }

    // MARK: Hashing and comparing bytes

    static func hash(_ key: String) -> UInt64 {
        key.withUTF8Bytes { bytes in hash(UnsafeRawBufferPointer(bytes)) }
    }

    /// 16 bytes a step, folded by one 64×64→128-bit multiply (as wyhash does): a store key
    /// (`/registry/events/default/web-…-x2x5k.17a3…`, 50–60 bytes) takes four steps where
    /// a multiply per 8 bytes took seven or eight.
    static func hash(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        let n = bytes.count
        var h = 0x243F_6A88_85A3_08D3 ^ (UInt64(n) &* 0x9E37_79B9_7F4A_7C15)
        var i = 0
        while i + 16 <= n {
            h = fold(bytes.loadUnaligned(fromByteOffset: i, as: UInt64.self) ^ 0xA076_1D64_78BD_642F,
                     bytes.loadUnaligned(fromByteOffset: i + 8, as: UInt64.self) ^ h)
            i += 16
        }
        if i < n {
            // The last 1–15 bytes, zero-extended into two words, read without a loop (a loop
            // over a few bytes mispredicts its exit): whole words where 8 or more are left,
            // the last of them ending at the last byte and shifted past the bytes already
            // read; else, for short keys, two overlapping loads of 4 or three single bytes.
            let rest = n - i
            var low: UInt64, high: UInt64 = 0
            if rest >= 8 {
                low = bytes.loadUnaligned(fromByteOffset: i, as: UInt64.self)
                if rest > 8 {
                    high = bytes.loadUnaligned(fromByteOffset: n - 8, as: UInt64.self) >> UInt64((16 - rest) * 8)
                }
            } else if n >= 8 {
                low = bytes.loadUnaligned(fromByteOffset: n - 8, as: UInt64.self) >> UInt64((8 - rest) * 8)
            } else if n >= 4 {
                low = UInt64(bytes.loadUnaligned(fromByteOffset: 0, as: UInt32.self))
                    | UInt64(bytes.loadUnaligned(fromByteOffset: n - 4, as: UInt32.self)) << 32
            } else {
                low = UInt64(bytes[0]) | UInt64(bytes[n >> 1]) << 8 | UInt64(bytes[n - 1]) << 16
            }
            h = fold(low ^ 0xA076_1D64_78BD_642F, high ^ h ^ 0xE703_7ED1_A0B4_28DB)
        }
        // MurmurHash3's fmix64: every input bit reaches the low bits the slots are taken from.
        h ^= h >> 33
        h &*= 0xFF51_AFD7_ED55_8CCD
        h ^= h >> 33
        h &*= 0xC4CE_B9FE_1A85_EC53
        h ^= h >> 33
        return h
    }

    /// The high and low halves of the full product, combined. A word equal to what it is
    /// xored with (a constant, or the state so far) zeroes the product and with it what was
    /// hashed before: keys chosen to do that collide, slowing lookups but never making them
    /// wrong.
    @inline(__always)
    private static func fold(_ x: UInt64, _ y: UInt64) -> UInt64 {
        let (high, low) = x.multipliedFullWidth(by: y)
        return high ^ low
    }

    @inline(__always)
    static func sameBytes(_ a: String, _ b: String) -> Bool { a.hasSameUTF8(as: b) }

    static func sameBytes(_ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer) -> Bool {
        guard a.count == b.count else { return false }
        guard let p = a.baseAddress, let q = b.baseAddress else { return true }
        return memcmp(p, q, a.count) == 0
    }
}

extension StringTable: Sequence {
    struct Iterator: IteratorProtocol {
        fileprivate var base: IndexingIterator<ContiguousArray<Entry>>
        mutating func next() -> (key: String, value: Value)? {
            guard let e = base.next() else { return nil }
            return (e.key, e.value)
        }
    }

    func makeIterator() -> Iterator { Iterator(base: entries.makeIterator()) }
    var underestimatedCount: Int { entries.count }
}

extension StringTable: Sendable where Value: Sendable {}
extension StringTable.Entry: Sendable where Value: Sendable {}
extension StringSet: Sendable {}

extension StringTable: ExpressibleByDictionaryLiteral {
    init(dictionaryLiteral elements: (String, Value)...) {
        self.init()
        for (k, v) in elements { self[k] = v }
    }
}

/// A set of strings on a `StringTable`, for the same hot paths (keys of pods in flight, of
/// objects queued).
struct StringSet: Sequence, ExpressibleByArrayLiteral {
    private var table = StringTable<Void>()

    init() {}
    init(arrayLiteral elements: String...) { formUnion(elements) }
    init<S: Sequence>(_ members: S) where S.Element == String { formUnion(members) }

    var count: Int { table.count }
    var isEmpty: Bool { table.isEmpty }

    func contains(_ member: String) -> Bool { table.index(forKey: member) != nil }

    /// Adds `member`; answers as `Set.insert` does.
    @discardableResult
    mutating func insert(_ member: String) -> (inserted: Bool, memberAfterInsert: String) {
        (table.updateValue((), forKey: member) == nil, member)
    }

    /// Removes `member`; the member removed, or nil, as `Set.remove` answers.
    @discardableResult
    mutating func remove(_ member: String) -> String? {
        table.removeValue(forKey: member) == nil ? nil : member
    }

    mutating func formUnion<S: Sequence>(_ other: S) where S.Element == String {
        for member in other { insert(member) }
    }


    func makeIterator() -> LazyMapSequence<StringTable<Void>, String>.Iterator {
        table.lazy.map { $0.key }.makeIterator()
    }
}
