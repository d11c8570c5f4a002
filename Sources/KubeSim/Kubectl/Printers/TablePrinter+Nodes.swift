/// `kubectl get nodes`: `printNode` in `KK:pkg/printers/internalversion/printers.go`.
extension TablePrinter {
    static let nodeTable = ResourceTable(
        columns: [
            .init("Name"), .init("Status"), .init("Roles"), .init("Age"), .init("Version"),
            .init("Internal-IP", wide: true), .init("External-IP", wide: true), .init("OS-Image", wide: true),
            .init("Kernel-Version", wide: true), .init("Container-Runtime", wide: true),
        ],
        row: nodeRow
    )

    static func nodeRow(_ node: JSON, _ ctx: CellContext) -> [String] {
        let info = node["status", "nodeInfo"]
        var kernel = info["kernelVersion"].string ?? ""
        if kernel.isEmpty { kernel = "<unknown>" }
        // 1.36 appends the architecture (GH#132402).
        if ctx.version == .v1_36, let arch = info["architecture"].string, !arch.isEmpty {
            kernel += " (\(arch))"
        }
        let osImage = info["osImage"].string ?? ""
        let runtime = info["containerRuntimeVersion"].string ?? ""
        return [
            name(node),
            nodeStatus(node),
            nodeRoles(node),
            age(node, ctx),
            info["kubeletVersion"].string ?? "",
            nodeAddress(node, type: "InternalIP"),
            nodeAddress(node, type: "ExternalIP"),
            osImage.isEmpty ? "<unknown>" : osImage,
            kernel,
            runtime.isEmpty ? "<unknown>" : runtime,
        ]
    }

    /// `Ready` / `NotReady` from the (last) Ready condition, `Unknown` without one, then
    /// `,SchedulingDisabled` for a cordoned node.
    static func nodeStatus(_ node: JSON) -> String {
        var status: [String] = []
        if let ready = (node["status", "conditions"].array ?? []).last(where: { $0["type"].string == "Ready" }) {
            status.append(ready["status"].string == "True" ? "Ready" : "NotReady")
        } else {
            status.append("Unknown")
        }
        if node["spec", "unschedulable"].bool == true {
            status.append("SchedulingDisabled")
        }
        return status.joined(separator: ",")
    }

    /// `findNodeRoles`: `node-role.kubernetes.io/<role>` keys and `kubernetes.io/role` values,
    /// sorted and deduplicated, or `<none>`.
    static func nodeRoles(_ node: JSON) -> String {
        var roles = Set<String>()
        for (key, value) in stringMap(node["metadata", "labels"]) {
            let prefix = "node-role.kubernetes.io/".utf8
            if key.utf8.starts(with: prefix) {
                let role = String(decoding: key.utf8.dropFirst(prefix.count), as: UTF8.self)
                if !role.isEmpty { roles.insert(role) }
            } else if key == "kubernetes.io/role", !value.isEmpty {
                roles.insert(value)
            }
        }
        return roles.isEmpty ? "<none>" : roles.sorted(by: JSON.utf8Less).joined(separator: ",")
    }

    /// The first address of `type`, or `<none>`.
    static func nodeAddress(_ node: JSON, type: String) -> String {
        guard let address = (node["status", "addresses"].array ?? []).first(where: { $0["type"].string == type }) else {
            return "<none>"
        }
        return address["address"].string ?? ""
    }
}
