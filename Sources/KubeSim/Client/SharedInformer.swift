/// One resource's cache in kube-controller-manager, kept current by one watch and read by
/// every controller that handles the resource (client-go's shared informer and its
/// indexer). Objects are keyed `namespace/name`. Controllers never iterate it in hash order:
/// they read by key, sort the keys, or keep their own ordered indexes.
final class SharedInformer {
    /// The resource (plural) watched, and the namespace the watch is limited to, if any.
    let resource: String
    let namespace: String?
    private(set) var objects = StringTable<JSON>()
    /// The controller reference last read, and the `ownerReferences` array it was read from:
    /// held, so that its buffer cannot be freed and given to another array while it is the key.
    private var lastOwnerReferences = JSON.null
    private var lastControllerReference: ControllerReference?

    init(resource: String, namespace: String?) {
        self.resource = resource
        self.namespace = namespace
    }

    var count: Int { objects.count }

    subscript(key: String) -> JSON? { objects[key] }

    /// `object.controllerReference`, remembered for the `ownerReferences` array it came from.
    /// A pod keeps the array it was created with, unchanged and so shared by every version of
    /// it, and on each pod event the ReplicaSet and DaemonSet controllers both read the new
    /// and the old version's: one reads it, the others find the same array.
    func controllerReference(of object: JSON) -> ControllerReference? {
        let refs = object["metadata", "ownerReferences"]
        if refs.sharesStorage(with: lastOwnerReferences) { return lastControllerReference }
        let controller = JSON.controllerReference(in: refs)
        lastOwnerReferences = refs
        lastControllerReference = controller
        return controller
    }

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
