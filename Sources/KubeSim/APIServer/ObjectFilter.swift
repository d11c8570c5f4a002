/// The namespace, label selector and field selector of a list or watch.
struct ObjectFilter {
    var namespace: String?
    var labels: LabelSelector
    var fields: FieldSelector
    /// Set when the field selector is exactly `spec.nodeName=<node>`: lets the watch registry
    /// index kubelets' pod watches by node instead of testing each one.
    var nodeName: String?
    /// Set when the field selector is exactly `metadata.name=<name>` (every kubelet watches its
    /// own Node): indexed by name in the watch registry too.
    var objectName: String?

    static func make(_ info: ResourceInfo, _ request: APIRequest,
                     version: KubernetesVersion) -> Result<ObjectFilter, StatusError>
    {
        var labels = LabelSelector.everything
        var fields = FieldSelector.everything
        do throws(StatusError) {
            if let text = request.labelSelector, !text.isEmpty {
                labels = try LabelSelector.parse(text, version: version)
            }
            if let text = request.fieldSelector, !text.isEmpty {
                fields = try FieldSelector.parse(text)
                // Kinds with their own field-label conversion answer "field label not
                // supported"; the rest accept only metadata fields.
                if info.selectableFields.isEmpty {
                    try fields.validateMetadataOnly()
                } else {
                    try fields.validate(supported: ["metadata.name", "metadata.namespace"] + info.selectableFields)
                }
            }
        } catch {
            return .failure(error)
        }
        var nodeName: String?
        if info.plural == "pods", fields.requirements.count == 1, let r = fields.requirements.first,
            r.field == "spec.nodeName", r.op == .equals || r.op == .doubleEquals
        {
            nodeName = r.value
        }
        var objectName: String?
        if nodeName == nil, fields.requirements.count == 1, let r = fields.requirements.first,
            r.field == "metadata.name", r.op == .equals || r.op == .doubleEquals
        {
            objectName = r.value
        }
        let ns = info.namespaced ? request.namespace.flatMap { $0.isEmpty ? nil : $0 } : nil
        return .success(ObjectFilter(namespace: ns, labels: labels, fields: fields, nodeName: nodeName,
                                     objectName: objectName))
    }

    func matches(_ object: JSON) -> Bool {
        if let namespace, object.namespace != namespace { return false }
        if !labels.isEmpty, !labels.matches(object.labels) { return false }
        if !fields.requirements.isEmpty, !fields.matches(object) { return false }
        return true
    }

    /// What a watcher with this filter sees for a store change: an object that starts
    /// matching is ADDED, one that stops matching is DELETED (as the watch cache does).
    func eventType(_ event: StoreEvent) -> WatchEvent.EventType? {
        // Read in place: `previous.map` copied the whole previous state (its key and value
        // retained and released) for every watch of every change.
        let was: Bool
        switch event.previous {
        case .some(let previous): was = matches(previous.value)
        case .none: was = false
        }
        switch event.kind {
        case .delete:
            return was ? .deleted : nil
        case .put:
            let now = matches(event.kv.value)
            switch (was, now) {
            case (true, true): return .modified
            case (false, true): return .added
            case (true, false): return .deleted
            case (false, false): return nil
            }
        }
    }
}
