/// `POST pods/<name>/eviction` (policy/v1 Eviction): a pod deletion that honours its
/// PodDisruptionBudget (pkg/registry/core/pod/storage/eviction.go `EvictionREST.Create`).
/// The budget's status is decremented and the pod recorded in `disruptedPods` in the same
/// transaction that deletes the pod.
extension APIServer {
    static let evictionDenied = "Cannot evict pod as it would violate the pod's disruption budget."

    func evict(_ request: APIRequest, _ ctx: inout Context) -> Reply {
        let pods = GroupResource(group: "", resource: "pods")
        let ns = request.namespace ?? "default"
        guard let name = request.name, !name.isEmpty else { return .failure(.badRequest("resource name may not be empty")) }
        let eviction = request.body
        guard eviction.object != nil else {
            return .failure(.badRequest("the body of the request was in an unknown format - accepted media types include: application/json, application/yaml"))
        }
        let kind = eviction.kind, apiVersion = eviction.apiVersion
        if !kind.isEmpty, kind != "Eviction" || !["policy/v1", "policy/v1beta1"].contains(apiVersion) {
            return .failure(.badRequest("the kind in the data (\(kind)) does not match the expected kind (Eviction)"))
        }
        if !eviction.name.isEmpty, eviction.name != name {
            return .failure(.badRequest("name in URL does not match name in Eviction object"))
        }
        let podKey = "/registry/pods/\(ns)/\(name)"
        guard let current = store.read(podKey) else { return .failure(.notFound(pods, name)) }
        let pod = current.value
        let grace = eviction["deleteOptions", "gracePeriodSeconds"].int

        // canIgnorePDB: a pod that is finished, not started or already going needs no budget.
        let phase = pod["status", "phase"].string ?? ""
        var compares: [Txn.Compare] = [.init(key: podKey, target: .modRevision, relation: .equal, value: current.modRevision)]
        var ops: [Txn.Op] = []
        if !(["Succeeded", "Failed", "Pending"].contains(phase) || pod.isTerminating) {
            let budgets = budgetsSelecting(pod)
            if budgets.count > 1 {
                return .failure(.internalError("This pod has more than one PodDisruptionBudget, which the eviction subresource does not support."))
            }
            if let budget = budgets.first {
                var pdb = budget.value
                let status = pdb["status"]
                let unhealthyAllowed = !PodStatus.isReady(pod)
                    && (pdb["spec", "unhealthyPodEvictionPolicy"].string == "AlwaysAllow"
                        || ((status["currentHealthy"].int ?? 0) >= (status["desiredHealthy"].int ?? 0)
                            && (status["desiredHealthy"].int ?? 0) > 0))
                if !unhealthyAllowed {
                    // checkAndDecrement.
                    if (status["observedGeneration"].int ?? 0) < pdb.generation {
                        return .failure(Self.tooManyRequests(
                            cause: "The disruption budget \(pdb.name) is still being processed by the server."))
                    }
                    let allowed = status["disruptionsAllowed"].int ?? 0
                    if allowed < 0 {
                        return .failure(.forbidden(GroupResource(group: "policy", resource: "poddisruptionbudget"),
                                                   pdb.name, "pdb disruptions allowed is negative"))
                    }
                    if allowed == 0 {
                        return .failure(Self.tooManyRequests(cause:
                            "The disruption budget \(pdb.name) needs \(status["desiredHealthy"].int ?? 0) healthy pods and has \(status["currentHealthy"].int ?? 0) currently"))
                    }
                    pdb["status", "disruptionsAllowed"] = .int(allowed - 1)
                    if allowed - 1 == 0 {
                        pdb["status", "conditions"] = DisruptionController.disruptionAllowedCondition(
                            status["conditions"], allowed: false, reason: nil, message: "",
                            generation: status["observedGeneration"].int ?? 0, now: ctx.now)
                    }
                    var disrupted = pdb["status", "disruptedPods"]
                    if disrupted.object == nil { disrupted = .emptyObject }
                    disrupted[name] = .string(ctx.now.rfc3339)
                    pdb["status", "disruptedPods"] = disrupted
                    compares.append(.init(key: budget.key, target: .modRevision, relation: .equal, value: budget.modRevision))
                    ops.append(.put(key: budget.key, value: pdb))
                }
            }
        }
        ops.append(podDeletion(pod, key: podKey, grace: grace, now: ctx.now))
        return commit(Txn(compares: compares, success: ops), &ctx) { result, _ in
            guard result.succeeded else { return .failure(.conflict(pods, name)) }
            return .success(["kind": "Status", "apiVersion": "v1", "metadata": .emptyObject, "status": "Success",
                             "code": 201])
        }
    }

    /// `NewTooManyRequests` with the budget cause (`DisruptionBudget`).
    static func tooManyRequests(cause: String) -> StatusError {
        var e = StatusError.tooManyRequests(evictionDenied)
        e.details = ["causes": [["reason": "DisruptionBudget", "message": .string(cause)]]]
        return e
    }

    /// The budgets in the pod's namespace whose selector matches it; a budget with an empty
    /// selector matches nothing here (`getPodDisruptionBudgets`).
    private func budgetsSelecting(_ pod: JSON) -> [KeyValue] {
        guard case .success(let kvs) = store.range(prefix: "/registry/poddisruptionbudgets/\(pod.namespace)/", revision: nil)
        else { return [] }
        return kvs.filter { kv in
            guard case .success(let selector?) = LabelSelector.fromJSON(kv.value["spec", "selector"], fieldPath: "spec.selector"),
                selector != .everything
            else { return false }
            return selector.matches(pod.labels)
        }
    }

    /// The pod's deletion with the eviction's deleteOptions, as `delete` does it: graceful for
    /// a pod on a node (deletionTimestamp set, the kubelet finishes), at once otherwise. From
    /// 1.26 the pod first gets the `DisruptionTarget` condition.
    private func podDeletion(_ pod: JSON, key: String, grace requested: Int?, now: VirtualTime) -> Txn.Op {
        let bound = !pod.nodeName.isEmpty
        let phase = pod["status", "phase"].string ?? ""
        var grace = requested ?? pod["spec", "terminationGracePeriodSeconds"].int ?? 30
        if !bound || phase == "Succeeded" || phase == "Failed" { grace = 0 }
        if grace <= 0 { return .delete(key: key) }
        if pod.isTerminating, version != .v1_36 { return .get(key: key) }  // already going: nothing to change
        var object = pod
        if version == .v1_36 {
            PodStatus.setCondition(&object, type: "DisruptionTarget", status: "True", reason: "EvictionByEvictionAPI",
                                   message: "Eviction API: evicting", at: now.rfc3339)
        }
        if !pod.isTerminating {
            object["metadata", "deletionTimestamp"] = .string((now + .seconds(Int64(grace))).rfc3339)
            object["metadata", "deletionGracePeriodSeconds"] = .int(grace)
            if object.generation > 0 { object["metadata", "generation"] = .int(object.generation + 1) }
        }
        return .put(key: key, value: object)
    }
}
