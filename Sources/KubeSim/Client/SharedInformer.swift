/// One resource's cache in kube-controller-manager, kept current by one watch and read by
/// every controller that handles the resource (client-go's shared informer and its
/// indexer). Objects are keyed `namespace/name`. Controllers never iterate it in hash order:
/// they read by key, sort the keys, or keep their own ordered indexes.
final class SharedInformer {
    /// The resource (plural) watched, and the namespace the watch is limited to, if any.
    let resource: String
    let namespace: String?
    private(set) var objects = StringTable<JSON>()

    init(resource: String, namespace: String?) {
        self.resource = resource
        self.namespace = namespace
    }

    var count: Int { objects.count }

    subscript(key: String) -> JSON? { objects[key] }

    /// Applies a watch event; returns the object held before (nil when it is new).
    @discardableResult
    func apply(_ event: WatchEvent) -> JSON? {
        switch event.type {
        case .added, .modified: return objects.updateValue(event.object, forKey: event.key)
        case .deleted: return objects.removeValue(forKey: event.key)
        }
    }
}

/// The informers of one kube-controller-manager (client-go's SharedInformerFactory): asking
/// twice for a resource gives the same informer, so the process opens one watch per resource
/// however many controllers read it.
final class SharedInformerFactory {
    /// In the order first asked for, which is the order their watches open.
    private(set) var informers: [SharedInformer] = []

    func informer(_ resource: String, namespace: String? = nil) -> SharedInformer {
        if let existing = informers.first(where: { $0.resource == resource && $0.namespace == namespace }) {
            return existing
        }
        let informer = SharedInformer(resource: resource, namespace: namespace)
        informers.append(informer)
        return informer
    }
}
