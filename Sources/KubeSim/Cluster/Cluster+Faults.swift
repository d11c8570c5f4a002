/// Faults of a node scope (`ks_node` with "fail", "partition" or "restore"): every kubelet of a
/// host, rack, zone or region stops (fail: no lease, no status, no container progress) or
/// loses the API server (partition: its pods keep running), at a virtual time, until restored.
public enum Fault {
    public enum Action: String, Sendable { case fail, partition, restore }
    public enum Scope: String, Sendable, CaseIterable { case host, rack, zone, region }
}

extension Cluster {
    /// The nodes of a scope, in config order.
    func nodes(in scope: Fault.Scope, named name: String) -> [String] {
        config.nodes.filter { node in
            switch scope {
            case .host: return node.name == name
            case .rack: return node.rack == name
            case .zone: return node.zone == name
            case .region: return node.region == name
            }
        }.map(\.name)
    }

    /// Applies `action` to every kubelet of the scope at `at` (nil: now). Returns the fault as
    /// recorded in the disruption report.
    public func fault(_ action: Fault.Action, scope: Fault.Scope, name: String, at: VirtualTime? = nil) -> Result<JSON, StatusError> {
        let when = at ?? now
        guard when >= now else {
            return .failure(.badRequest("at must not be before the cluster's current time \(now.rfc3339Micro)"))
        }
        // As ks_run, a year ahead at most (and no overflow of the clock).
        guard when - now <= .seconds(366 * 86_400) else {
            return .failure(.badRequest("at must be within 366 days of the cluster's current time \(now.rfc3339Micro)"))
        }
        let names = nodes(in: scope, named: name)
        guard !names.isEmpty else {
            if scope == .host { return .failure(.notFound(GroupResource(group: "", resource: "nodes"), name)) }
            let known = Set(config.nodes.compactMap { n -> String? in
                switch scope {
                case .rack: return n.rack
                case .zone: return n.zone
                case .region: return n.region
                case .host: return n.name
                }
            }).sorted()
            let hint = known.isEmpty ? "no node has a \(scope.rawValue) (see the cluster config's \"topology\")"
                : "known: " + known.prefix(10).map { "\"\($0)\"" }.joined(separator: ", ")
            return .failure(StatusError(code: 404, reason: "NotFound", message: "no nodes in \(scope.rawValue) \"\(name)\": \(hint)"))
        }
        let tag: Kubelet.TimerTag
        switch action {
        case .fail: tag = .fail
        case .partition: tag = .partition
        case .restore: tag = .restore
        }
        for node in names {
            guard let id = kubeletIDs[node] else { continue }
            simulation.inject(.timer(tag.rawValue), to: id, after: when - now)
        }
        let record: JSON = ["action": .string(action.rawValue), "scope": .string(scope.rawValue), "name": .string(name),
                            "at": .string(when.rfc3339), "nodes": .array(names.map { .string($0) })]
        disruption.note(record, at: when, restores: action == .restore, nodes: names, simulation: simulation, me: disruptionID)
        return .success(record)
    }

    /// `ks_node` {"action": "fail" | "partition" | "restore", "scope", "name", "at"}.
    func faultCall(_ request: JSON) -> Result<JSON, StatusError> {
        guard let action = request["action"].string.flatMap(Fault.Action.init(rawValue:)) else {
            return .failure(.badRequest("unknown node action"))
        }
        let scopeText = request["scope"].string ?? "host"
        guard let scope = Fault.Scope(rawValue: scopeText) else {
            return .failure(.badRequest("unknown scope \"\(scopeText)\": supported scopes are \"host\", \"rack\", \"zone\", \"region\""))
        }
        guard let name = request["name"].string, !name.isEmpty else { return .failure(.badRequest("node request needs \"name\"")) }
        var at: VirtualTime?
        if !request["at"].isNull {
            guard let text = request["at"].string, let t = VirtualTime(rfc3339: text) else {
                return .failure(.badRequest("at must be an RFC 3339 time such as \"2024-01-01T00:05:00Z\""))
            }
            at = t
        }
        return fault(action, scope: scope, name: name, at: at)
    }
}
