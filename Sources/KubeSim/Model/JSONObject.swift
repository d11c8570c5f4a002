/// The members of a JSON object, in document order.
///
/// One array of `(key, value)` pairs searched from the front. API objects have few members
/// per level (a pod's spec has about a dozen), where comparing short keys beats hashing them,
/// and one buffer is cheaper to copy, retain and free than a hashed dictionary's keys, values
/// and table. Keys are unique: setting an existing key replaces its value in place.
public struct JSONObject: Sendable, Equatable, RandomAccessCollection, ExpressibleByDictionaryLiteral {
    public typealias Element = (key: String, value: JSON)
    public typealias Index = Int

    /// A struct rather than the `Element` tuple: the compiler specialises copying and
    /// destroying a struct, where tuples go through the runtime's generic witnesses.
    ///
    /// The key's UTF-8 length is kept beside it, where the member would otherwise have padding
    /// (a member is 40 bytes either way): lookups compare it first, and reading a `String`'s
    /// length takes several instructions where this takes one.
    @usableFromInline struct Member: Sendable {
        @usableFromInline let key: String
        @usableFromInline var value: JSON
        @usableFromInline let keyLength: UInt32
        @inlinable init(_ key: String, _ value: JSON) {
            self.key = key
            self.value = value
            keyLength = UInt32(truncatingIfNeeded: key.utf8.count)
        }
    }

    @usableFromInline var members: ContiguousArray<Member>

    @inlinable public init() { members = [] }

    public init(minimumCapacity: Int) {
        members = []
        members.reserveCapacity(minimumCapacity)
    }

    /// Members appended without a look for them first: a literal's keys are distinct (see
    /// `JSON.init(dictionaryLiteral:)`).
    public init(dictionaryLiteral elements: (String, JSON)...) {
        members = []
        members.reserveCapacity(elements.count)
        for (key, value) in elements {
            assert(index(forKey: key) == nil, "a JSON literal repeats the key \(key)")
            members.append(Member(key, value))
        }
    }

    @inlinable public var startIndex: Int { 0 }
    @inlinable public var endIndex: Int { members.count }
    @inlinable public subscript(position: Int) -> Element {
        let m = members[position]
        return (m.key, m.value)
    }

    public var keys: [String] { members.map(\.key) }
    public var values: [JSON] { members.map(\.value) }

    /// Always inlined: the hottest call there is (a pod's life looks up some 1,200 keys), and
    /// the call itself (saving and restoring six registers) cost a quarter of a lookup; the
    /// callers are mostly small accessors, so the library's code shrank with it. (Inlining
    /// those accessors too took 3% fewer instructions again, but 3% more wall time on the
    /// seed run, whose code is the most varied.)
    @inlinable @inline(__always)
    public func index(forKey key: String) -> Int? {
        // Most members differ from the key in length, which costs one comparison.
        let length = UInt32(truncatingIfNeeded: key.utf8.count)
        return members.withUnsafeBufferPointer { buffer in
            for i in buffer.indices where buffer[i].keyLength == length && buffer[i].key == key { return i }
            return nil
        }
    }

    /// `index(forKey:)`, searching from the back: for a member written after the object was
    /// made (a pod's `spec.nodeName`, which the binding appends), where a search from the
    /// front passes every other one first.
    @inlinable
    func lastIndex(forKey key: String) -> Int? {
        let length = UInt32(truncatingIfNeeded: key.utf8.count)
        return members.withUnsafeBufferPointer { buffer in
            for i in buffer.indices.reversed() where buffer[i].keyLength == length && buffer[i].key == key { return i }
            return nil
        }
    }

    /// The value of `key`, or nil. Setting nil removes the member; setting a new key appends it.
    @inlinable
    public subscript(key: String) -> JSON? {
        get {
            guard let i = index(forKey: key) else { return nil }
            return members[i].value
        }
        set {
            if let i = index(forKey: key) {
                if let newValue { members[i].value = newValue } else { members.remove(at: i) }
            } else if let newValue {
                append(key: key, value: newValue)
            }
        }
    }

    public subscript(key: String, default defaultValue: @autoclosure () -> JSON) -> JSON {
        get { self[key] ?? defaultValue() }
        set { self[key] = newValue }
    }

    /// In-place access to the value at a member index (for `JSON`'s path writes).
    @inlinable
    subscript(valueAt i: Int) -> JSON {
        get { members[i].value }
        _modify { yield &members[i].value }
    }

    /// Appends a member. A shared buffer is copied with room for one more and a full one
    /// grows by a quarter, where the array would double: stored objects keep their buffers
    /// for the life of the revision (and in the store's history), and a member added to a
    /// copy (`resourceVersion` stamped on a write, a status field) would otherwise leave
    /// nearly half of the buffer unused. (`reserveCapacity` allocates what it is asked for,
    /// and leaves a unique buffer with room alone.)
    @inlinable
    mutating func append(key: consuming String, value: consuming JSON) {
        let count = members.count
        members.reserveCapacity(count < members.capacity ? count + 1 : count + 1 + count / 4)
        members.append(Member(key, value))
    }

    /// Makes room for `extra` more members at once, when a writer knows how many it will add
    /// (each growth copies every member, retaining its key and value).
    mutating func reserveCapacity(adding extra: Int) {
        let needed = members.count + extra
        if needed > members.capacity { members.reserveCapacity(needed) }
    }

    @discardableResult
    public mutating func removeValue(forKey key: String) -> JSON? {
        guard let i = index(forKey: key) else { return nil }
        return members.remove(at: i).value
    }

    @discardableResult
    public mutating func remove(at i: Int) -> Element {
        let m = members.remove(at: i)
        return (m.key, m.value)
    }

    /// Removes the members whose keys satisfy `shouldRemove`; copies nothing when none does.
    public mutating func removeMembers(where shouldRemove: (String) -> Bool) {
        guard members.contains(where: { shouldRemove($0.key) }) else { return }
        members.removeAll { shouldRemove($0.key) }
    }

    /// Whether each key sorts after the one before it by UTF-8 bytes (Go's map key order).
    var keysAreInUTF8Order: Bool {
        members.withUnsafeBufferPointer { buffer in
            for i in buffer.indices.dropFirst() where !buffer[i - 1].key.utf8Precedes(buffer[i].key) { return false }
            return true
        }
    }

    /// Whether both hold one buffer: a copy nobody has written to since (`JSON.sharesStorage`).
    func sharesBuffer(with other: JSONObject) -> Bool {
        members.withUnsafeBufferPointer { $0.baseAddress } == other.members.withUnsafeBufferPointer { $0.baseAddress }
    }

    /// Byte-for-byte equality, members in order: what `==` compares, but strings by their
    /// UTF-8 bytes rather than by Unicode equivalence (to which "\u{212A}" is "K").
    /// `exceptValueOf` leaves that member's value uncompared; it must stand at the same
    /// place in both (or in neither).
    func isIdentical(to other: JSONObject, exceptValueOf key: String? = nil) -> Bool {
        guard members.count == other.members.count else { return false }
        return members.withUnsafeBufferPointer { x in
            other.members.withUnsafeBufferPointer { y in
                if x.baseAddress == y.baseAddress { return true }
                for i in 0..<x.count {
                    guard x[i].keyLength == y[i].keyLength, x[i].key.hasSameUTF8(as: y[i].key) else { return false }
                    if let key, x[i].key.hasSameUTF8(as: key) { continue }
                    guard x[i].value.isIdentical(to: y[i].value) else { return false }
                }
                return true
            }
        }
    }

    /// Order-sensitive equality, as two documents with the same members in another order
    /// serialise differently (`JSON.semanticallyEquals` ignores order).
    public static func == (a: JSONObject, b: JSONObject) -> Bool {
        guard a.members.count == b.members.count else { return false }
        // One buffer shared by both (an unchanged part of an object and its update): equal
        // without reading it, as an Array compares.
        if a.sharesBuffer(with: b) { return true }
        for i in 0..<a.members.count {
            guard a.members[i].key == b.members[i].key, a.members[i].value == b.members[i].value else { return false }
        }
        return true
    }
}
