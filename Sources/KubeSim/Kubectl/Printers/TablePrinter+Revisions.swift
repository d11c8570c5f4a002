/// apps/v1 ControllerRevision: `printControllerRevision` in `KK:pkg/printers/internalversion/printers.go`.
extension TablePrinter {
    static let controllerRevisionTable = ResourceTable(
        columns: [.init("Name"), .init("Controller"), .init("Revision"), .init("Age")]
    ) { revision, ctx in
        // The controller as formatResourceName(kind.group/name), e.g. daemonset.apps/kube-proxy.
        var controller = "<none>"
        if let ref = revision.controllerRef {
            let group = (ref["apiVersion"].string ?? "").split(separator: "/").dropLast().first.map(String.init) ?? ""
            let kind = (ref["kind"].string ?? "").lowercased()
            controller = (group.isEmpty ? kind : "\(kind).\(group)") + "/" + (ref["name"].string ?? "")
        }
        return [name(revision), controller, String(int(revision["revision"])), age(revision, ctx)]
    }
}
