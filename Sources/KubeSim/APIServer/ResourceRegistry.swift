/// What the API server knows about one resource: its kind, group, version and scope, as
/// `kubectl api-resources` lists them.
///
/// A class: the API server resolves one for every request and hands it down the write path,
/// where copying nine fields (two arrays) cost more than a reference.
public final class ResourceInfo: Sendable, Equatable {
    public let plural: String
    public let singular: String
    public let kind: String
    public let group: String
    public let version: String
    public let namespaced: Bool
    public let shortNames: [String]
    /// Has a `status` subresource: the main resource ignores status changes.
    public let hasStatus: Bool
    /// Field selectors the server accepts beyond metadata.name and metadata.namespace.
    public let selectableFields: [String]
    /// `v1`, `apps/v1`: the group and version as objects carry them.
    public let apiVersion: String
    /// Key prefix in the store, as the API server lays out etcd: `/registry/pods/`.
    let keyPrefix: String

    public init(plural: String, singular: String, kind: String, group: String, version: String, namespaced: Bool,
                shortNames: [String], hasStatus: Bool, selectableFields: [String])
    {
        self.plural = plural
        self.singular = singular
        self.kind = kind
        self.group = group
        self.version = version
        self.namespaced = namespaced
        self.shortNames = shortNames
        self.hasStatus = hasStatus
        self.selectableFields = selectableFields
        apiVersion = group.isEmpty ? version : "\(group)/\(version)"
        keyPrefix = "/registry/\(plural)/"
    }

    public static func == (a: ResourceInfo, b: ResourceInfo) -> Bool {
        a === b
            || a.plural == b.plural && a.singular == b.singular && a.kind == b.kind && a.group == b.group
            && a.version == b.version && a.namespaced == b.namespaced && a.shortNames == b.shortNames
            && a.hasStatus == b.hasStatus && a.selectableFields == b.selectableFields
    }

    public var groupResource: GroupResource { GroupResource(group: group, resource: plural) }
    public var verbs: [String] { ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"] }

    /// `/registry/pods/default/web-1`, or `/registry/nodes/node-1` for a cluster-scoped
    /// resource: the kept prefix and the rest, in one buffer of the final size.
    func key(namespace: String?, name: String) -> String {
        namespaced ? .concatenating(keyPrefix, namespace ?? "", "/", name) : .concatenating(keyPrefix, name)
    }

    /// `body` over the UTF-8 of `key(namespace:name:)`, written to the stack: a look-up of a
    /// key the store may hold makes no string (`APIServer.stored`).
    func withKeyBytes<R>(namespace: String?, name: String, _ body: (UnsafeRawBufferPointer) -> R) -> R {
        let ns = namespaced ? namespace ?? "" : ""
        let count = keyPrefix.utf8.count + ns.utf8.count + (namespaced ? 1 : 0) + name.utf8.count
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: count) { buffer in
            var end = 0
            func put(_ part: String) {
                part.withUTF8Bytes { bytes in
                    guard let from = bytes.baseAddress, let to = buffer.baseAddress,
                          end + bytes.count <= buffer.count else { return }
                    UnsafeMutableRawPointer(to + end).copyMemory(from: from, byteCount: bytes.count)
                    end += bytes.count
                }
            }
            put(keyPrefix)
            if namespaced {
                put(ns)
                if end < buffer.count {
                    buffer[end] = UInt8(ascii: "/")
                    end += 1
                }
            }
            put(name)
            return body(UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: buffer[..<end])))
        }
    }
}

/// The resources this API server serves, resolvable by every name a client may use.
public struct ResourceRegistry: Sendable {
    public private(set) var resources: [ResourceInfo]
    private var byName = StringTable<Int>()
    private var byKind = StringTable<Int>()

    public static let standard = ResourceRegistry(resources: [
        ResourceInfo(plural: "configmaps", singular: "configmap", kind: "ConfigMap", group: "", version: "v1",
                     namespaced: true, shortNames: ["cm"], hasStatus: false, selectableFields: []),
        ResourceInfo(plural: "events", singular: "event", kind: "Event", group: "", version: "v1",
                     namespaced: true, shortNames: ["ev"], hasStatus: false,
                     selectableFields: ["involvedObject.kind", "involvedObject.namespace", "involvedObject.name",
                                        "involvedObject.uid", "involvedObject.apiVersion",
                                        "involvedObject.resourceVersion", "involvedObject.fieldPath",
                                        "reason", "reportingComponent", "source", "type"]),
        ResourceInfo(plural: "namespaces", singular: "namespace", kind: "Namespace", group: "", version: "v1",
                     namespaced: false, shortNames: ["ns"], hasStatus: true, selectableFields: ["status.phase"]),
        ResourceInfo(plural: "nodes", singular: "node", kind: "Node", group: "", version: "v1",
                     namespaced: false, shortNames: ["no"], hasStatus: true, selectableFields: ["spec.unschedulable"]),
        ResourceInfo(plural: "pods", singular: "pod", kind: "Pod", group: "", version: "v1",
                     namespaced: true, shortNames: ["po"], hasStatus: true,
                     selectableFields: ["spec.nodeName", "spec.restartPolicy", "spec.schedulerName",
                                        "spec.serviceAccountName", "spec.hostNetwork", "status.phase",
                                        "status.podIP", "status.nominatedNodeName"]),
        ResourceInfo(plural: "secrets", singular: "secret", kind: "Secret", group: "", version: "v1",
                     namespaced: true, shortNames: [], hasStatus: false, selectableFields: ["type"]),
        ResourceInfo(plural: "services", singular: "service", kind: "Service", group: "", version: "v1",
                     namespaced: true, shortNames: ["svc"], hasStatus: true, selectableFields: []),
        ResourceInfo(plural: "deployments", singular: "deployment", kind: "Deployment", group: "apps", version: "v1",
                     namespaced: true, shortNames: ["deploy"], hasStatus: true, selectableFields: []),
        ResourceInfo(plural: "replicasets", singular: "replicaset", kind: "ReplicaSet", group: "apps", version: "v1",
                     namespaced: true, shortNames: ["rs"], hasStatus: true, selectableFields: ["status.replicas"]),
        ResourceInfo(plural: "daemonsets", singular: "daemonset", kind: "DaemonSet", group: "apps", version: "v1",
                     namespaced: true, shortNames: ["ds"], hasStatus: true, selectableFields: []),
        ResourceInfo(plural: "controllerrevisions", singular: "controllerrevision", kind: "ControllerRevision",
                     group: "apps", version: "v1", namespaced: true, shortNames: [], hasStatus: false,
                     selectableFields: []),
        ResourceInfo(plural: "poddisruptionbudgets", singular: "poddisruptionbudget", kind: "PodDisruptionBudget",
                     group: "policy", version: "v1", namespaced: true, shortNames: ["pdb"], hasStatus: true,
                     selectableFields: []),
        ResourceInfo(plural: "leases", singular: "lease", kind: "Lease", group: "coordination.k8s.io",
                     version: "v1", namespaced: true, shortNames: [], hasStatus: false, selectableFields: []),
        ResourceInfo(plural: "priorityclasses", singular: "priorityclass", kind: "PriorityClass",
                     group: "scheduling.k8s.io", version: "v1", namespaced: false, shortNames: ["pc"],
                     hasStatus: false, selectableFields: []),
    ])

    init(resources: [ResourceInfo]) {
        self.resources = resources
        for (i, r) in resources.enumerated() {
            for name in [r.plural, r.singular, r.kind.lowercased()] + r.shortNames {
                byName[name] = i
                if !r.group.isEmpty { byName["\(name).\(r.group)"] = i }
            }
            byKind[r.kind] = i
            byKind["\(r.apiVersion)/\(r.kind)"] = i
        }
    }

    /// The resources in the `all` category, in discovery order (core, then apps, autoscaling,
    /// batch): what `kubectl get all` lists. Those this simulator does not serve are skipped.
    public static let allCategory = [
        "pods", "replicationcontrollers", "services", "daemonsets", "deployments", "replicasets", "statefulsets",
        "horizontalpodautoscalers", "cronjobs", "jobs",
    ]

    /// Resolves `pods`, `pod`, `po`, `Pod`, `deployments.apps`, `deploy` …
    public func resolve(_ name: String) -> ResourceInfo? {
        if let i = byName[name] ?? byName[name.lowercased()] { return resources[i] }
        return nil
    }

    /// Resolves a manifest's `kind` and `apiVersion`; a kind in the wrong group is not found.
    public func resolve(kind: String, apiVersion: String) -> ResourceInfo? {
        guard let i = byKind[kind] else { return nil }
        let r = resources[i]
        if apiVersion.isEmpty || apiVersion == r.apiVersion { return r }
        return nil
    }

    /// `kubectl api-versions`: every group/version, sorted.
    public var apiVersions: [String] {
        Array(Set(resources.map(\.apiVersion))).sorted()
    }
}
