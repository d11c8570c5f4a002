/// etcd's key order: the byte order of the keys' UTF-8 forms.
///
/// Compared over the contiguous bytes of native strings rather than through `UTF8View`'s
/// iterator, which costs several times more; lists sort every key they return by this.
enum KeyOrder {
    @inline(__always)
    static func precedes(_ a: String, _ b: String) -> Bool {
        var a = a, b = b
        return a.withUTF8 { x in
            b.withUTF8 { y in
                let n = min(x.count, y.count)
                var i = 0
                while i < n {
                    if x[i] != y[i] { return x[i] < y[i] }
                    i += 1
                }
                return x.count < y.count
            }
        }
    }
}
