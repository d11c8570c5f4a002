/// etcd's key order: the byte order of the keys' UTF-8 forms (`String.utf8Precedes`).
///
/// Compared with `memcmp` over the strings' own contiguous bytes, neither copying the strings
/// (a retain and a release each) nor stepping through `UTF8View`'s iterator, which cost
/// several times more; lists sort every key they return by this.
enum KeyOrder {
    @inline(__always)
    static func precedes(_ a: String, _ b: String) -> Bool {
        a.utf8Precedes(b)
    }

    /// Puts key-values in key order. When every key is ASCII, as nearly every API object's is
    /// (most names must be DNS names; an Event's may hold any text), `<` gives the same order,
    /// and compares faster than any byte loop of ours: it is one inlined check and `memcmp`
    /// inside the standard library.
    static func sort(_ kvs: inout [KeyValue]) {
        if kvs.allSatisfy({ $0.key.isASCII }) {
            kvs.sort { $0.key < $1.key }
        } else {
            kvs.sort { precedes($0.key, $1.key) }
        }
    }

    /// Puts keys in order, as `sort(_:)` does key-values.
    static func sort(_ keys: inout [String]) {
        if keys.allSatisfy({ $0.isASCII }) {
            keys.sort { $0 < $1 }
        } else {
            keys.sort { precedes($0, $1) }
        }
    }
}
