/// One open watch: who asked, with which tag, on what. A class: every change the API server
/// dispatches reads the watches it goes to, and reading a struct out of the registry's array
/// copies it (its filter's selectors and strings retained) for each.
final class Watch {
    let client: ComponentID
    let tag: UInt64
    let resource: String
    let filter: ObjectFilter
    /// Closed: taken out of the registry's indexes, its place in `all` kept so that the
    /// other watches' positions stay.
    var closed = false

    init(client: ComponentID, tag: UInt64, resource: String, filter: ObjectFilter) {
        self.client = client
        self.tag = tag
        self.resource = resource
        self.filter = filter
    }
}

/// The API server's open watches, indexed so a change reaches only the watches that can
/// match it: by resource, and for pods by `spec.nodeName` (every kubelet watches its own
/// node's pods). Watches are kept in the order they were opened, so delivery order is
/// deterministic. A class: the API server calls it on every change, and a struct held in a
/// class property is copied (each of its tables retained) for such a call.
final class WatchRegistry {
    /// One resource's watches: of every object, and of one object by name
    /// (`metadata.name=<name>`). Together, so a change looks its resource up once.
    private struct ResourceWatches {
        var all: [Int] = []
        var byName = StringTable<[Int]>()
    }

    private var all: [Watch] = []
    private var byResource = StringTable<ResourceWatches>()
    private var podsByNode = StringTable<[Int]>()

    private var closedCount = 0

    /// Open watches.
    var count: Int { all.count - closedCount }

    /// The open watches of the pods on `node` (each kubelet's own).
    func podWatchCount(node: String) -> Int { podsByNode[node]?.count ?? 0 }

    /// Closes `client`'s watch `tag`, if open: nothing more is sent on it. Rare (a client
    /// watching again after it lost its stream), so the watches are searched.
    func close(client: ComponentID, tag: UInt64) {
        for (i, watch) in all.enumerated() where watch.client == client && watch.tag == tag && !watch.closed {
            watch.closed = true
            closedCount += 1
            if let node = watch.filter.nodeName {
                podsByNode[node]?.removeAll { $0 == i }
            } else if let name = watch.filter.objectName {
                byResource[watch.resource]?.byName[name]?.removeAll { $0 == i }
            } else {
                byResource[watch.resource]?.all.removeAll { $0 == i }
            }
        }
    }

    func add(_ watch: Watch) {
        let i = all.count
        all.append(watch)
        if let node = watch.filter.nodeName {
            podsByNode[node, default: []].append(i)
        } else if let name = watch.filter.objectName {
            byResource[watch.resource, default: ResourceWatches()].byName[name, default: []].append(i)
        } else {
            byResource[watch.resource, default: ResourceWatches()].all.append(i)
        }
    }

    /// Delivers a change to the watches that can match it; `resource` is the key's
    /// (`resource(ofKey:)`).
    func dispatch(_ event: StoreEvent, resource: String, _ ctx: inout Context) {
        // Worked out on the first watch the event goes to (Events have none).
        var key: String?
        if let watches = byResource[resource] {
            for i in watches.all { send(all[i], event, &key, &ctx) }
            if !watches.byName.isEmpty, let list = watches.byName[event.kv.value.name] {
                for i in list { send(all[i], event, &key, &ctx) }
            }
        }
        if resource == "pods", !podsByNode.isEmpty {
            let node = event.kv.value.nodeName
            // A status write leaves the spec (one buffer) and so the node as they were.
            let previousNode: String
            switch event.previous {  // read in place (`previous?.value` copied the whole state)
            case .some(let previous):
                previousNode = previous.value.sharesSpec(with: event.kv.value) ? node : previous.value.nodeName
            case .none:
                previousNode = ""
            }
            if !node.isEmpty, let list = podsByNode[node] {
                for i in list { send(all[i], event, &key, &ctx) }
            }
            if !previousNode.isEmpty, previousNode != node, let list = podsByNode[previousNode] {
                for i in list { send(all[i], event, &key, &ctx) }
            }
        }
    }

    private func send(_ watch: Watch, _ event: StoreEvent, _ key: inout String?, _ ctx: inout Context) {
        guard let type = watch.filter.eventType(event) else { return }
        let objectKey = key ?? event.kv.value.objectKey
        key = objectKey
        ctx.deliver(.watch(WatchEvent(tag: watch.tag, type: type, object: event.kv.value, key: objectKey)),
                    to: watch.client)
    }

    private static let registryPrefix = Array("/registry/".utf8)

    /// `/registry/pods/default/web` → `pods`.
    static func resource(ofKey key: String) -> String {
        // Scans bytes instead of splitting: this runs for every change the store reports.
        key.withUTF8Bytes { bytes in
            guard bytes.starts(with: registryPrefix) else { return "" }
            let rest = bytes[registryPrefix.count...]
            let end = rest.firstIndex(of: UInt8(ascii: "/")) ?? rest.endIndex
            return String(decoding: rest[..<end], as: UTF8.self)
        }
    }
}
