/// `kubectl rollout history` and `undo` of DaemonSets (`polymorphichelpers/history.go`
/// `DaemonSetHistoryViewer`, `rollback.go` `DaemonSetRollbacker`): a DaemonSet's history is
/// its ControllerRevisions, each holding the patch that restores one template.
extension Cluster {
    /// The ControllerRevisions the DaemonSet controls that its selector matches
    /// (`controlledHistory`), by revision; a later one with the same number replaces an
    /// earlier, as the history map does.
    private func controllerRevisions(of ds: JSON) -> [(revision: Int, object: JSON)] {
        guard let selector = TablePrinter.labelSelectorString(ds["spec", "selector"]),
              case .success(let list) = request(.list, "controllerrevisions", namespace: ds.namespace, configure: {
                  $0.labelSelector = selector.isEmpty ? nil : selector
              }) else { return [] }
        let owned = (list["items"].array ?? []).filter { $0.controllerReference?.uid == ds.uid }
        return Self.byRevision(owned.map { ($0["revision"].int ?? 0, $0) })
    }

    /// The template a revision restores: its patch's `spec.template`, as strategic merge's
    /// `$patch: replace` leaves it.
    private static func revisionTemplate(_ history: JSON) -> JSON {
        var template = history["data", "spec", "template"]
        template["$patch"] = .null
        return template
    }

    func daemonSetHistory(_ ds: JSON, revision: Int, _ out: inout KubectlOutput) {
        let ref = "daemonset.apps/\(ds.name)"
        let history = controllerRevisions(of: ds)
        if history.isEmpty {
            out.print("\(ref) \nNo rollout history found.")
            return
        }
        if revision > 0 {
            guard let found = history.first(where: { $0.revision == revision }) else {
                out.fail("error: unable to find the specified revision")
                return
            }
            printRevisionTemplate(ref, revision: revision, Self.revisionTemplate(found.object), &out)
            return
        }
        printHistoryTable(ref, history.map { ($0.revision, $0.object.annotations["kubernetes.io/change-cause"].string ?? "") },
                          &out)
    }

    /// `DaemonSetRollbacker.Rollback`: the revision asked for (0: the one before the latest)
    /// patched back onto the set, unless its template is the set's already.
    func undoDaemonSet(_ ds: JSON, toRevision: Int, _ out: inout KubectlOutput) {
        let ref = "daemonset.apps/\(ds.name)"
        let chosen: JSON
        switch Self.revision(toRevision, in: controllerRevisions(of: ds), noPrevious: "no last revision to roll back to") {
        case .failure(let failure):
            out.fail(failure.message)
            return
        case .success(let object): chosen = object
        }
        // daemonSetMatch: the set's own patch is the revision's.
        if DaemonSetController.revisionData(ds) == chosen["data"] {
            out.print("\(ref) skipped rollback (current template already matches revision \(toRevision))")
            return
        }
        var request = APIRequest(.patch, "daemonsets", namespace: ds.namespace, name: ds.name)
        request.patchType = .json
        request.body = [["op": "replace", "path": "/spec/template", "value": Self.revisionTemplate(chosen)]]
        switch serve(request) {
        case .success: out.print("\(ref) rolled back")
        case .failure(let e): out.fail("error: failed restoring revision \(toRevision): \(e.message)")
        }
    }
}
