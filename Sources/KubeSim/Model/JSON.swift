/// A JSON value whose objects keep their keys in document order.
///
/// Every API object in kubesim is a `JSON` tree, as `unstructured.Unstructured` is in
/// client-go: fields the simulator does not model still round-trip unchanged. Objects keep
/// their members in order (`JSONObject`), so serialising a value never depends on hashing.
///
///     var pod: JSON = ["metadata": ["name": "web"]]
///     pod["status", "phase"] = "Running"
///     pod["metadata", "name"].string   // "web"
public enum JSON: Sendable, Equatable {
    case null
    case bool(Bool)
    case int(Int)
    case double(Double)
    case string(String)
    case array([JSON])
    case object(JSONObject)

    public static let emptyObject = JSON.object(JSONObject())
}

// MARK: - Reading

extension JSON {
    public var string: String? {
        if case .string(let s) = self { return s }
        return nil
    }

    /// The value of a `map[string]string` member (labels, selectors, annotations) as Go
    /// decodes it: a string, or "" for null; nil for any other type.
    var mapStringValue: String? {
        if case .null = self { return "" }
        return string
    }

    /// Integers, and doubles that hold a whole number (as YAML and JSON may write `3.0`).
    public var int: Int? {
        switch self {
        case .int(let i): return i
        case .double(let d):
            guard d.rounded() == d, abs(d) < 9.0e15 else { return nil }
            return Int(d)
        default: return nil
        }
    }

    public var bool: Bool? {
        if case .bool(let b) = self { return b }
        return nil
    }

    public var array: [JSON]? {
        if case .array(let a) = self { return a }
        return nil
    }

    public var object: JSONObject? {
        if case .object(let o) = self { return o }
        return nil
    }

    public var isNull: Bool {
        if case .null = self { return true }
        return false
    }

    /// Whether member `key` is absent or null: `self[key].isNull`, read where the member lies
    /// rather than through a copy of it.
    func isNull(at key: String) -> Bool {
        guard case .object(let o) = self, let i = o.index(forKey: key) else { return true }
        return o.members[i].value.isNull
    }

    /// The JSON type name as Kubernetes validation messages print it.
    public var typeName: String {
        switch self {
        case .null: return "null"
        case .bool: return "boolean"
        case .int: return "integer"
        case .double: return "number"
        case .string: return "string"
        case .array: return "array"
        case .object: return "object"
        }
    }

    /// Object member access; `.null` for a missing key or a non-object.
    public subscript(key: String) -> JSON {
        get {
            if case .object(let o) = self { return o[key] ?? .null }
            return .null
        }
        _modify {
            var inner: JSONObject
            if case .object(let o) = self { inner = o } else { inner = JSONObject() }
            self = .null  // drop our reference so `inner` is uniquely owned
            if let i = inner.index(forKey: key) {
                defer {
                    if inner[valueAt: i].isNull { inner.remove(at: i) }
                    self = .object(inner)
                }
                yield &inner[valueAt: i]
            } else {
                var value = JSON.null
                defer {
                    if !value.isNull { inner.append(key: key, value: value) }
                    self = .object(inner)
                }
                yield &value
            }
        }
        set {
            var inner: JSONObject
            if case .object(let o) = self { inner = o } else { inner = JSONObject() }
            self = .null
            if case .null = newValue { inner.removeValue(forKey: key) } else { inner[key] = newValue }
            self = .object(inner)
        }
    }

    /// Removes an object's members whose keys satisfy `shouldRemove`; copies nothing when
    /// none does, and leaves other values alone.
    public mutating func removeMembers(where shouldRemove: (String) -> Bool) {
        guard case .object(var o) = self, o.contains(where: { shouldRemove($0.key) }) else { return }
        self = .null  // so that `o` is uniquely owned
        o.removeMembers(where: shouldRemove)
        self = .object(o)
    }

    /// Room for `extra` more members in the object at `key`, in place (nothing if it is not
    /// an object).
    mutating func reserveCapacity(adding extra: Int, in key: String) {
        guard case .object = self[key] else { return }
        updateMember(key) { $0.reserveObjectCapacity(adding: extra) }
    }

    /// Room for `extra` more members in this object, at once (nothing if it is not one).
    mutating func reserveObjectCapacity(adding extra: Int) {
        guard case .object(var o) = self else { return }
        self = .null  // drop our reference so `o` is uniquely owned
        o.reserveCapacity(adding: extra)
        self = .object(o)
    }

    /// Path access: `pod["status", "phase"]`. Setting `.null` removes the last member.
    /// Two and three keys have their own accessors so that hot paths allocate nothing.
    public subscript(a: String, b: String) -> JSON {
        // Read through the parent where it lies: `self[a][b]` would copy (retain and
        // release) the whole parent object to read one member of it.
        get {
            guard case .object(let o) = self, let i = o.index(forKey: a) else { return .null }
            return o.members[i].value[b]
        }
        _modify { yield &self[a][b] }
        set {
            // Removing from an absent parent must not create the parent.
            if newValue.isNull, self[a].isNull { return }
            // `self[a][b] = newValue`, written out: a coroutine per level costs several
            // hundred instructions, and every create and write stamps metadata this way.
            updateMember(a) { $0[b] = newValue }
        }
    }

    public subscript(a: String, b: String, c: String) -> JSON {
        get {
            guard case .object(let o) = self, let i = o.index(forKey: a) else { return .null }
            return o.members[i].value[b, c]
        }
        _modify { yield &self[a][b][c] }
        set {
            if newValue.isNull, self[a][b].isNull { return }
            updateMember(a) { $0[b, c] = newValue }
        }
    }

    /// Sets the member `key` of this object in place, at `index` where the caller found it
    /// (nil: it is absent, and is appended). On anything but an object, `self[key] = value`.
    mutating func setMember(_ key: String, at index: Int?, to value: consuming JSON) {
        guard case .object(var o) = self else {
            self[key] = value
            return
        }
        self = .null  // drop our reference so `o` is uniquely owned
        if let index { o[valueAt: index] = value } else { o.append(key: key, value: value) }
        self = .object(o)
    }

    /// Changes the member `key` in place, as `self[key]` would be written: a non-object
    /// becomes an object, and a missing member is added (with what `change` makes of `.null`)
    /// unless it stays `.null`. The hot paths' form of `self[key].mutate()`, which costs a
    /// coroutine.
    @inline(__always)
    mutating func updateMember(_ key: String, _ change: (inout JSON) -> Void) {
        var inner: JSONObject
        if case .object(let o) = self { inner = o } else { inner = JSONObject() }
        self = .null  // drop our reference so `inner` is uniquely owned
        if let i = inner.index(forKey: key) {
            change(&inner.members[i].value)
            if inner.members[i].value.isNull { inner.remove(at: i) }
        } else {
            var value = JSON.null
            change(&value)
            if !value.isNull { inner.append(key: key, value: value) }
        }
        self = .object(inner)
    }

    public subscript(first: String, second: String, third: String, rest: String...) -> JSON {
        get { self[path: [first, second, third] + rest] }
        set { self[path: [first, second, third] + rest] = newValue }
    }

    public subscript(path path: [String]) -> JSON {
        get {
            var node = self
            for key in path { node = node[key] }
            return node
        }
        set {
            guard let head = path.first else { self = newValue; return }
            if path.count == 1 { self[head] = newValue; return }
            if case .null = newValue, self[head].isNull { return }
            self[head][path: Array(path.dropFirst())] = newValue
        }
    }

    /// Array element access with bounds checking; `.null` when out of range.
    public subscript(index index: Int) -> JSON {
        if case .array(let a) = self, a.indices.contains(index) { return a[index] }
        return .null
    }
}

// MARK: - Comparison

extension JSON {
    /// Whether both are the same object or array buffer: a copy nobody has written to since.
    /// Any write to a shared copy gives it a buffer of its own, even one that changes nothing
    /// (`body(&array[i])` makes the array's buffer unique first), so a caller that wants to
    /// know whether anything changed writes through a copy of the part. Two empty objects (or
    /// arrays) share the empty buffer; scalars and null never share.
    func sharesStorage(with other: JSON) -> Bool {
        switch (self, other) {
        case (.object(let a), .object(let b)): a.sharesBuffer(with: b)
        case (.array(let a), .array(let b)):
            a.withUnsafeBufferPointer { $0.baseAddress } == b.withUnsafeBufferPointer { $0.baseAddress }
        default: false
        }
    }

    /// Byte-for-byte equality: strings compare by their UTF-8 bytes, where `==` compares them
    /// by Unicode equivalence. What validation may rely on to skip a value it checked before.
    func isIdentical(to other: JSON) -> Bool {
        switch (self, other) {
        case (.object(let a), .object(let b)): return a.isIdentical(to: b)
        case (.string(let a), .string(let b)): return a.hasSameUTF8(as: b)
        case (.array(let a), .array(let b)):
            guard a.count == b.count else { return false }
            return a.withUnsafeBufferPointer { x in
                b.withUnsafeBufferPointer { y in
                    if x.baseAddress == y.baseAddress { return true }
                    for i in 0..<x.count where !x[i].isIdentical(to: y[i]) { return false }
                    return true
                }
            }
        case (.int(let a), .int(let b)): return a == b
        case (.bool(let a), .bool(let b)): return a == b
        case (.null, .null): return true
        case (.double(let a), .double(let b)): return a == b
        default: return false
        }
    }

    /// Equality that ignores the order of object members (Go's `apiequality.Semantic` on
    /// decoded objects); numbers compare by value.
    public func semanticallyEquals(_ other: JSON) -> Bool {
        switch (self, other) {
        case (.object(let a), .object(let b)):
            guard a.count == b.count else { return false }
            // One buffer (a ReplicaSet's template and its Deployment's): equal unread.
            if a.sharesBuffer(with: b) { return true }
            for (key, value) in a {
                guard let theirs = b[key], value.semanticallyEquals(theirs) else { return false }
            }
            return true
        case (.array(let a), .array(let b)):
            guard a.count == b.count else { return false }
            for i in a.indices where !a[i].semanticallyEquals(b[i]) { return false }
            return true
        case (.int(let a), .double(let b)): return Double(a) == b
        case (.double(let a), .int(let b)): return a == Double(b)
        default: return self == other
        }
    }
}

// MARK: - Literals

extension JSON: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByBooleanLiteral,
    ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral, ExpressibleByNilLiteral, ExpressibleByFloatLiteral
{
    public init(stringLiteral value: String) { self = .string(value) }
    public init(integerLiteral value: Int) { self = .int(value) }
    public init(floatLiteral value: Double) { self = .double(value) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(arrayLiteral elements: JSON...) { self = .array(elements) }
    public init(nilLiteral: ()) { self = .null }
    /// A literal's keys are distinct (a repeated one is a slip in kubesim's own source, which
    /// a debug build catches), so each member is appended without a look for it first.
    public init(dictionaryLiteral elements: (String, JSON)...) {
        var o = JSONObject(minimumCapacity: elements.count)
        for (k, v) in elements where !v.isNull {
            assert(o.index(forKey: k) == nil, "a JSON literal repeats the key \(k)")
            o.append(key: k, value: v)
        }
        self = .object(o)
    }
}
