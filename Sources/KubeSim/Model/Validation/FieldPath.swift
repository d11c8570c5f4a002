/// A field path rendered as `field.Path.String()` renders it: `spec.containers[0].image`,
/// with map keys in brackets and unquoted (`metadata.annotations[example.com/a]`).
struct FieldPath: Sendable, Equatable, CustomStringConvertible {
    private(set) var description: String

    init(_ root: String) { description = root }

    func child(_ name: String) -> FieldPath {
        if description.isEmpty { return FieldPath(name) }
        return FieldPath(.concatenating(description, ".", name))
    }

    func child(_ first: String, _ rest: String...) -> FieldPath {
        rest.reduce(child(first)) { $0.child($1) }
    }

    func index(_ i: Int) -> FieldPath { FieldPath(.concatenating(description, "[", String(i), "]")) }

    func key(_ k: String) -> FieldPath { FieldPath(.concatenating(description, "[", k, "]")) }
}
