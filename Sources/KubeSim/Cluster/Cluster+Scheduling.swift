/// The scheduler's explanation of one pod, from the scheduler component's own state.
extension Cluster {
    /// For a pod: where it is in the scheduling queue and its last attempt, and what a
    /// scheduling cycle run now finds on every node — each filter plugin's verdict (and
    /// reasons), each score plugin's raw, normalised and weighted score, the total, and the
    /// best node(s). 404 when the scheduler does not know the pod (no such pod, or one for
    /// another scheduler).
    public func explainScheduling(name: String, namespace: String = "default") -> Result<JSON, StatusError> {
        guard let explanation = scheduler.explain(namespace: namespace, name: name) else {
            return .failure(.notFound(GroupResource(group: "", resource: "pods"), name))
        }
        return .success(explanation)
    }

    /// `ks_scheduler`: `{"action": "explain", "namespace": …, "name": …}`.
    func schedulerCall(_ request: JSON) -> Result<JSON, StatusError> {
        let action = request["action"].string ?? ""
        guard action == "explain" else {
            return .failure(.badRequest("unknown scheduler action \"\(action)\": supported actions are \"explain\""))
        }
        guard let name = request["name"].string, !name.isEmpty else {
            return .failure(.badRequest("scheduler request needs \"name\""))
        }
        return explainScheduling(name: name, namespace: request["namespace"].string ?? "default")
    }
}
