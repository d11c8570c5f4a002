/// A component's cache of one resource, kept current by its watch (client-go's informer
/// store). Objects are keyed `namespace/name`. Components never iterate it directly: they read by
/// key or through their own ordered indexes, so hash order never reaches behaviour.
struct Informer {
    private(set) var objects: [String: JSON] = [:]

    var count: Int { objects.count }

    subscript(key: String) -> JSON? { objects[key] }

    /// Applies a watch event; returns the object before and after.
    @discardableResult
    mutating func apply(_ event: WatchEvent) -> (old: JSON?, new: JSON?) {
        let key = event.key
        switch event.type {
        case .added, .modified:
            let old = objects.updateValue(event.object, forKey: key)
            return (old, event.object)
        case .deleted:
            return (objects.removeValue(forKey: key), nil)
        }
    }
}
