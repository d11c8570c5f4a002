/// Accessors for the parts of an API object every component reads: `metadata` and the
/// type fields.
extension JSON {
    var kind: String { self["kind"].string ?? "" }
    var apiVersion: String { self["apiVersion"].string ?? "" }
    var name: String { metadataString("name") }
    var namespace: String { metadataString("namespace") }
    var uid: String { metadataString("uid") }
    var resourceVersion: String { metadataString("resourceVersion") }
    var labels: JSON { self["metadata", "labels"] }
    var annotations: JSON { self["metadata", "annotations"] }
    var generation: Int { self["metadata", "generation"].int ?? 0 }
    /// Whether `metadata.deletionTimestamp` is set: read on nearly every watch event. The
    /// member scan looks at a key's first byte before comparing it whole, since on a live
    /// object the only key of its length is `creationTimestamp`, a full comparison each time.
    var isTerminating: Bool {
        guard case .object(let top) = self, let m = top.index(forKey: "metadata"),
              case .object(let meta) = top.members[m].value
        else { return false }
        return meta.members.withUnsafeBufferPointer { buffer in
            for member in buffer where member.keyLength == 17 && member.key.utf8.first == UInt8(ascii: "d")
                && member.key == "deletionTimestamp"
            {
                return !member.value.isNull
            }
            return false
        }
    }

    /// `metadata.<key>` when it is a string, else "": the reads above, about 120 a pod,
    /// found in one pass where they lie rather than through the path subscript's copies.
    private func metadataString(_ key: String) -> String {
        guard case .object(let top) = self, let m = top.index(forKey: "metadata"),
              case .object(let meta) = top.members[m].value, let i = meta.index(forKey: key),
              case .string(let value) = meta.members[i].value
        else { return "" }
        return value
    }

    /// What an ObjectReference to this object copies: `kind`, `apiVersion` and metadata's
    /// `name`, `namespace`, `uid` and `resourceVersion`, each "" when absent or not a string.
    /// One pass over each level, where the six accessors scan them six times: an event
    /// recorder reads them all for every Event.
    var referenceFields: ReferenceFields {
        guard case .object(let top) = self else { return ReferenceFields() }
        // Each pass builds and returns its own result: a closure that changed a captured
        // variable copied the whole struct out of its box.
        return top.members.withUnsafeBufferPointer { buffer in
            var fields = ReferenceFields()
            // By position, not `for member in`, which copies (retains) each member it passes.
            for i in buffer.indices {
                switch buffer[i].keyLength {
                case 4 where buffer[i].key == "kind": fields.kind = buffer[i].value.string ?? ""
                case 10 where buffer[i].key == "apiVersion": fields.apiVersion = buffer[i].value.string ?? ""
                case 8 where buffer[i].key == "metadata":
                    guard case .object(let meta) = buffer[i].value else { continue }
                    (fields.name, fields.namespace, fields.uid, fields.resourceVersion) = Self.referenceMetadata(meta)
                default: break
                }
            }
            return fields
        }
    }

    /// `metadata`'s name, namespace, uid and resourceVersion, in one pass.
    private static func referenceMetadata(_ meta: JSONObject) -> (String, String, String, String) {
        meta.members.withUnsafeBufferPointer { buffer in
            var name = "", namespace = "", uid = "", resourceVersion = ""
            for i in buffer.indices {
                switch buffer[i].keyLength {
                case 4 where buffer[i].key == "name": name = buffer[i].value.string ?? ""
                case 9 where buffer[i].key == "namespace": namespace = buffer[i].value.string ?? ""
                case 3 where buffer[i].key == "uid": uid = buffer[i].value.string ?? ""
                case 15 where buffer[i].key == "resourceVersion": resourceVersion = buffer[i].value.string ?? ""
                default: break
                }
            }
            return (name, namespace, uid, resourceVersion)
        }
    }

    /// A pod's `spec.nodeName`, or "": read on every pod change by the API server's watch
    /// routing and node index and by the controllers that index pods by node.
    var nodeName: String { nodeNameValue.string ?? "" }

    /// `spec.nodeName` as it is (`.null` when absent), found from the back of the spec: the
    /// binding appends it after every other member.
    var nodeNameValue: JSON {
        guard case .object(let top) = self, let m = top.index(forKey: "spec"),
              case .object(let spec) = top.members[m].value, let i = spec.lastIndex(forKey: "nodeName")
        else { return .null }
        return spec.members[i].value
    }

    /// Whether both are objects holding one `spec` buffer: revisions between which only
    /// other parts changed (a status write, 2 of a pod's 3 changes), so that every spec
    /// field, `nodeName` among them, is the same in both without reading it.
    func sharesSpec(with other: JSON) -> Bool {
        guard case .object(let a) = self, case .object(let b) = other,
              let i = a.index(forKey: "spec"), let j = b.index(forKey: "spec")
        else { return false }
        return a.members[i].value.sharesStorage(with: b.members[j].value)
    }

    /// Whether both have the same `metadata.uid` and `metadata.ownerReferences`, compared
    /// where they lie: the garbage collector asks it of every update it watches (four a pod),
    /// and the path reads copied both members out of each side. An update leaves the
    /// references' buffer shared, which answers at once.
    func hasSameOwnership(as other: JSON) -> Bool {
        guard case .object(let a) = self, case .object(let b) = other,
              let i = a.index(forKey: "metadata"), let j = b.index(forKey: "metadata"),
              case .object(let ma) = a.members[i].value, case .object(let mb) = b.members[j].value
        else { return uid == other.uid && self["metadata", "ownerReferences"] == other["metadata", "ownerReferences"] }
        func member(_ meta: JSONObject, _ key: String) -> JSON {
            meta.index(forKey: key).map { meta.members[$0].value } ?? .null
        }
        let (ua, ub) = (member(ma, "uid"), member(mb, "uid"))
        // `uid` as the accessor reads it: a string, else "".
        guard (ua.string ?? "") == (ub.string ?? "") else { return false }
        let (ra, rb) = (member(ma, "ownerReferences"), member(mb, "ownerReferences"))
        return ra.sharesStorage(with: rb) || ra == rb
    }

    /// Sets `metadata.resourceVersion` to `revision`'s decimal digits, where the member lies
    /// (every write stamps one). A value already stamped with them is left alone: the etcd
    /// members apply one shared proposal, and writing the same string again would copy the
    /// object each time. Other values (no object, no `metadata` object) are stamped as
    /// `self["metadata", "resourceVersion"] = …` would.
    mutating func stampResourceVersion(_ revision: Int64) {
        let rv = String.decimal(revision)
        guard case .object(var top) = self, let m = top.index(forKey: "metadata") else {
            self["metadata", "resourceVersion"] = .string(rv)
            return
        }
        let r: Int?
        do {  // `meta` ends here, before the change, so that it does not share the members
            guard case .object(let meta) = top.members[m].value else {
                self["metadata", "resourceVersion"] = .string(rv)
                return
            }
            r = meta.index(forKey: "resourceVersion")
            if let r, case .string(let old) = meta.members[r].value, old == rv { return }
        }
        self = .null  // so that `top`, and the metadata through it, are uniquely held
        top[valueAt: m].setMember("resourceVersion", at: r, to: .string(rv))
        self = .object(top)
    }

    /// `namespace/name`, or `name` for cluster-scoped objects: the key controllers queue.
    var objectKey: String {
        let ns = namespace
        return ns.isEmpty ? name : .concatenating(ns, "/", name)
    }

    var creationTimestamp: VirtualTime? {
        self["metadata", "creationTimestamp"].string.flatMap { VirtualTime(rfc3339: $0) }
    }

    /// The owner reference with `controller: true`, if any.
    var controllerRef: JSON? {
        for ref in self["metadata", "ownerReferences"].array ?? [] where ref["controller"].bool == true {
            return ref
        }
        return nil
    }

    /// The owner reference with `controller: true`, its fields read once: the ReplicaSet and
    /// DaemonSet controllers look at a pod's controller several times on every pod event.
    /// (Its own loop: read through a copy of `controllerRef`, the throughput run takes 0.3%
    /// more instructions.)
    var controllerReference: ControllerReference? {
        JSON.controllerReference(in: self["metadata", "ownerReferences"])
    }

    /// The reference with `controller: true` in an `ownerReferences` array.
    static func controllerReference(in ownerReferences: JSON) -> ControllerReference? {
        guard case .array(let refs) = ownerReferences else { return nil }
        for ref in refs where ref["controller"].bool == true {
            return ControllerReference(kind: ref["kind"].string, name: ref["name"].string, uid: ref["uid"].string)
        }
        return nil
    }

    /// The uid of this object's controller when it is of `kind` (and named), if any.
    func controllerUID(kind: String) -> String? {
        controllerReference?.uid(ofKind: kind)
    }

    /// Labels as a Swift dictionary (`mapStringValue`: a null is "", other types are left out).
    var labelMap: [String: String] { JSON.stringMap(labels) }

    /// An object's string members as a dictionary, sized once (growing it member by member
    /// rehashes every key again at each doubling).
    private static func stringMap(_ json: JSON) -> [String: String] {
        guard case .object(let o) = json, !o.isEmpty else { return [:] }
        var out: [String: String] = [:]
        out.reserveCapacity(o.count)
        for (k, v) in o { if let s = v.mapStringValue { out[k] = s } }
        return out
    }

    /// A reference to this object as an owner, for a dependent's `ownerReferences`.
    func ownerReference(controller: Bool) -> JSON {
        [
            "apiVersion": .string(apiVersion), "kind": .string(kind), "name": .string(name),
            "uid": .string(uid), "controller": .bool(controller), "blockOwnerDeletion": true,
        ]
    }

    /// The value of a field-selector path (`metadata.name`, `spec.nodeName`, `status.phase`) as
    /// the API server's field set renders it: strings as-is, numbers and booleans as text,
    /// absent fields as "".
    func fieldValue(_ path: String) -> String? {
        fieldValue(path: JSON.fieldPath(path))
    }

    /// A field path's components, split at each "." byte; empty ones are left out.
    static func fieldPath(_ path: String) -> [String] {
        path.withUTF8Bytes { bytes in
            var parts: [String] = []
            var start = 0
            for i in 0...bytes.count where i == bytes.count || bytes[i] == UInt8(ascii: ".") {
                if i > start { parts.append(String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<i]), as: UTF8.self)) }
                start = i + 1
            }
            return parts
        }
    }

    /// The same for a path already split into its components (`fieldPath`).
    func fieldValue(path: [String]) -> String? {
        let node: JSON
        switch path.count {
        // The selectable fields have two components (`spec.nodeName`, `status.phase`): read
        // where they lie, not through a copy of each level. A watch tests every change.
        case 2 where path[0] == "spec" && path[1] == "nodeName": node = nodeNameValue
        case 2: node = self[path[0], path[1]]
        default:
            var n = self
            for key in path { n = n[key] }
            node = n
        }
        switch node {
        case .string(let s): return s
        case .int(let i): return String(i)
        case .double(let d): return JSON.formatDouble(d)
        case .bool(let b): return b ? "true" : "false"
        case .null: return ""
        default: return nil
        }
    }
}

/// An object's controller, as its owner reference with `controller: true` names it.
///
/// A class: the ReplicaSet and DaemonSet controllers pass a pod's controller (and its old
/// one) along on every pod event, and each optional-chained read of a struct of three
/// strings copied all three (the class is 0.3% fewer instructions on the throughput run).
final class ControllerReference {
    let kind: String?
    let name: String?
    let uid: String?

    init(kind: String?, name: String?, uid: String?) {
        self.kind = kind
        self.name = name
        self.uid = uid
    }

    /// The key (`<namespace>/<name>`) last built by `key(in:)`.
    private var lastKey: (namespace: String, key: String)?

    /// The controller's uid when it is of `kind` and named, as the controllers resolve it.
    func uid(ofKind kind: String) -> String? {
        guard self.kind == kind, name != nil else { return nil }
        return uid
    }

    /// The controller's work-queue key, `<namespace>/<name>`, for a dependent in `namespace`
    /// (nil when it has no name). Remembered: a controller's pods share one reference (the
    /// informer's, per owner references), and each of their changes asks.
    func key(in namespace: String) -> String? {
        guard let name else { return nil }
        if let lastKey, lastKey.namespace == namespace { return lastKey.key }
        let key = String.concatenating(namespace, "/", name)
        lastKey = (namespace, key)
        return key
    }
}

/// `JSON.referenceFields`.
struct ReferenceFields {
    var kind = "", apiVersion = "", name = "", namespace = "", uid = "", resourceVersion = ""
}
