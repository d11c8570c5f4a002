/// A field path rendered as `field.Path.String()` renders it: `spec.containers[0].image`,
/// with map keys in brackets and unquoted (`metadata.annotations[example.com/a]`).
struct FieldPath: Sendable, Equatable, CustomStringConvertible {
    private(set) var description: String

    init(_ root: String) { description = root }

    func child(_ name: String) -> FieldPath {
        if description.isEmpty { return FieldPath(name) }
        return FieldPath(Self.joined(description, ".", name, ""))
    }

    func child(_ first: String, _ rest: String...) -> FieldPath {
        rest.reduce(child(first)) { $0.child($1) }
    }

    func index(_ i: Int) -> FieldPath { FieldPath(Self.joined(description, "[", String(i), "]")) }

    func key(_ k: String) -> FieldPath { FieldPath(Self.joined(description, "[", k, "]")) }

    /// `a + b + c + d` with one allocation at most (chained `+` builds intermediates).
    private static func joined(_ a: String, _ b: String, _ c: String, _ d: String) -> String {
        let count = a.utf8.count + b.utf8.count + c.utf8.count + d.utf8.count
        var s = a
        // Up to 15 bytes stay inline; reserving would force a heap buffer.
        if count > 15 { s.reserveCapacity(count) }
        s += b
        s += c
        s += d
        return s
    }
}
