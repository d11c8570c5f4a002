/// `kubectl rollout history`, `undo` and `restart` of Deployments (`pkg/cmd/rollout`,
/// `polymorphichelpers/history.go`, `rollback.go`, `objectrestarter.go`). A Deployment's
/// history is its ReplicaSets, numbered by their `deployment.kubernetes.io/revision`.
extension Cluster {
    func rolloutRevision(_ flags: KubectlFlags, _ out: inout KubectlOutput) {
        let command = flags.positional.first ?? ""
        if command == "history" {
            if flags.positional.count < 2 {
                out.fail("error: required resource not specified")
                return
            }
            if let revision = flags.revision, revision < 0 {
                out.fail("error: revision must be a positive integer: \(revision)")
                return
            }
        }
        guard let targets = resolveTargets(Array(flags.positional.dropFirst()), flags, &out) else { return }
        for target in targets {
            if target.names.isEmpty { out.fail("error: resource(s) were provided, but no name was specified") }
            for name in target.names {
                let plural = target.info.plural
                guard plural == "deployments" || plural == "daemonsets" else {
                    out.fail("error: \(command) is not supported for \(Self.printedKind(target.info)) in this simulator")
                    continue
                }
                let object: JSON
                switch request(.get, plural, namespace: flags.namespace, name: name) {
                case .success(let o): object = o
                case .failure(let e):
                    out.fail(e.kubectlMessage)
                    continue
                }
                switch (command, plural) {
                case ("history", "deployments"): history(object, revision: flags.revision ?? 0, &out)
                case ("history", _): daemonSetHistory(object, revision: flags.revision ?? 0, &out)
                case ("undo", "deployments"): undo(object, toRevision: flags.toRevision ?? 0, &out)
                case ("undo", _): undoDaemonSet(object, toRevision: flags.toRevision ?? 0, &out)
                default: restart(target.info, object, &out)
                }
            }
        }
    }

    /// The ReplicaSets the Deployment controls, by revision (a later one with the same number
    /// replaces an earlier, as the history map does upstream).
    private func revisions(of deployment: JSON) -> [(revision: Int, object: JSON)] {
        guard case .success(let list) = request(.list, "replicasets", namespace: deployment.namespace) else { return [] }
        let owned = (list["items"].array ?? []).filter { rs in
            (rs["metadata", "ownerReferences"].array ?? []).contains {
                $0["controller"].bool == true && $0["uid"].string == deployment.uid
            }
        }
        return Self.byRevision(owned.map { (DeploymentUtil.revision($0), $0) })
    }

    /// The rollbackers' choice of revision: `toRevision`, or 0 for the one before the latest
    /// (`noPrevious` when there is none).
    static func revision(_ toRevision: Int, in history: [(revision: Int, object: JSON)],
                         noPrevious: String) -> Result<JSON, KubectlFailure>
    {
        let notFound = KubectlFailure("error: unable to find specified revision \(toRevision) in history")
        guard toRevision >= 0 else { return .failure(notFound) }
        if toRevision == 0 {
            guard history.count >= 2 else { return .failure(KubectlFailure("error: " + noPrevious)) }
            return .success(history[history.count - 2].object)
        }
        guard let found = history.first(where: { $0.revision == toRevision }) else { return .failure(notFound) }
        return .success(found.object)
    }

    /// The history map's order: by revision number, a later object with a number replacing an
    /// earlier one.
    static func byRevision(_ items: [(Int, JSON)]) -> [(revision: Int, object: JSON)] {
        var byRevision: [Int: JSON] = [:]
        for (revision, object) in items { byRevision[revision] = object }
        return byRevision.keys.sorted().compactMap { r in byRevision[r].map { (r, $0) } }
    }

    /// `DeploymentHistoryViewer.ViewHistory`: the revisions and their change causes, or one
    /// revision's pod template as `DescribePodTemplate` writes it (unaligned, its change
    /// cause among the template's annotations).
    private func history(_ deployment: JSON, revision: Int, _ out: inout KubectlOutput) {
        let history = revisions(of: deployment)
        if history.isEmpty {
            out.print("deployment.apps/\(deployment.name) \nNo rollout history found.")
            return
        }
        if revision > 0 {
            guard let rs = history.first(where: { $0.revision == revision })?.object else {
                out.fail("error: unable to find the specified revision")
                return
            }
            var template = rs["spec", "template"]
            if let cause = rs.annotations["kubernetes.io/change-cause"].string, !cause.isEmpty {
                template["metadata", "annotations", "kubernetes.io/change-cause"] = .string(cause)
            }
            printRevisionTemplate("deployment.apps/\(deployment.name)", revision: revision, template, &out)
            return
        }
        printHistoryTable("deployment.apps/\(deployment.name)", history.map {
            ($0.revision, $0.object.annotations["kubernetes.io/change-cause"].string ?? "")
        }, &out)
    }

    /// `DeploymentRollbacker`: the ReplicaSet of `toRevision` (0: the one before the latest)
    /// gives its template back, less its pod-template-hash label, with its annotations.
    private func undo(_ deployment: JSON, toRevision: Int, _ out: inout KubectlOutput) {
        let ref = "deployment.apps/\(deployment.name)"
        if deployment["spec", "paused"].bool == true {
            out.fail("error: you cannot rollback a paused deployment; resume it first with 'kubectl rollout resume' and try again")
            return
        }
        let chosen: JSON
        switch Self.revision(toRevision, in: revisions(of: deployment),
                             noPrevious: "no rollout history found for deployment \(GoValue.goQuote(deployment.name))") {
        case .failure(let failure):
            out.fail(failure.message)
            return
        case .success(let object): chosen = object
        }
        var template = chosen["spec", "template"]
        template["metadata", "labels", DeploymentUtil.podTemplateHashLabel] = .null
        if DeploymentUtil.templatesEqualIgnoringHash(deployment["spec", "template"], template) {
            out.print("\(ref) skipped rollback (current template already matches revision \(toRevision))")
            return
        }
        // The Deployment keeps its own values of the annotations a ReplicaSet does not carry,
        // and takes the ReplicaSet's others (a change-cause among them); keys sorted, as Go
        // writes a map.
        var annotations: [(String, JSON)] = []
        for (key, value) in deployment.annotations.object ?? [:] where DeploymentUtil.skipCopyAnnotation(key) {
            annotations.append((key, value))
        }
        for (key, value) in chosen.annotations.object ?? [:] where !DeploymentUtil.skipCopyAnnotation(key) {
            annotations.append((key, value))
        }
        var sorted = JSONObject()
        for (key, value) in annotations.sorted(by: { JSON.utf8Less($0.0, $1.0) }) { sorted[key] = value }
        var request = APIRequest(.patch, "deployments", namespace: deployment.namespace, name: deployment.name)
        request.patchType = .json
        request.body = [
            ["op": "replace", "path": "/spec/template", "value": template],
            ["op": "replace", "path": "/metadata/annotations", "value": .object(sorted)],
        ]
        switch serve(request) {
        case .success: out.print("\(ref) rolled back")
        case .failure(let e): out.fail(e.kubectlMessage)
        }
    }

    /// `ObjectRestarter`: a new `kubectl.kubernetes.io/restartedAt` on the pod template (the
    /// virtual clock, to the second) makes the controller roll every pod.
    private func restart(_ info: ResourceInfo, _ object: JSON, _ out: inout KubectlOutput) {
        if object["spec", "paused"].bool == true {
            out.fail("error: \(info.plural).\(info.group) \(GoValue.goQuote(object.name)) can't restart paused deployment (run rollout resume first)")
            return
        }
        let key = "kubectl.kubernetes.io/restartedAt"
        let stamp = now.rfc3339
        if object["spec", "template", "metadata", "annotations", key].string == stamp {
            out.fail("error: failed to create patch for \(object.name): if restart has already been triggered within "
                + "the past second, please wait before attempting to trigger another")
            return
        }
        let body: JSON = ["spec": ["template": ["metadata": ["annotations": [key: .string(stamp)]]]]]
        switch request(.patch, info.plural, namespace: object.namespace, name: object.name, body: body) {
        case .success: out.print("\(Self.printedKind(info))/\(object.name) restarted")
        case .failure(let e): out.fail(e.kubectlMessage)
        }
    }

    /// The revisions' table: REVISION and CHANGE-CAUSE through kubectl's tabwriter (columns two
    /// spaces wider than their widest cell), after the object's `kind/name `.
    func printHistoryTable(_ ref: String, _ rows: [(revision: Int, cause: String)], _ out: inout KubectlOutput) {
        // tabbedString: tabwriter(0, 8, 2, ' ', 0).
        var w = TabWriter(minWidth: 0, tabWidth: 8, padding: 2, rememberWidths: false)
        w.write("REVISION\tCHANGE-CAUSE\n")
        for row in rows { w.write("\(row.revision)\t\(row.cause.isEmpty ? "<none>" : row.cause)\n") }
        out.print("\(ref) \n" + w.flush())
    }

    /// `printTemplate`: one revision's pod template as DescribePodTemplate writes it, straight
    /// to a buffer (unaligned), after `kind/name with revision #N`.
    func printRevisionTemplate(_ ref: String, revision: Int, _ template: JSON, _ out: inout KubectlOutput) {
        var w = DescribeWriter(version: config.version, aligned: false)
        Describe.podTemplate(&w, template)
        out.print("\(ref) with revision #\(revision)\n" + w.finish())
    }
}
