/// `ks_etcd`: the etcd members behind the API server, their status as `etcdctl endpoint
/// status` reports it, the control plane's event stream, and the faults.
extension Cluster {
    func etcdCall(_ request: JSON) -> Result<JSON, StatusError> {
        guard let etcd else {
            return .failure(.badRequest("this cluster keeps its data in one in-process store; create it with \"etcd\": {\"members\": 3} to have etcd members"))
        }
        let action = request["action"].string ?? ""
        do {
            switch action {
            case "status":
                return .success(etcdStatus(etcd))
            case "events":
                let since = max(0, request["since"].int ?? 0)
                let items = etcd.events.dropFirst(min(since, etcd.events.count)).map { event -> JSON in
                    ["time": .string(event.time.rfc3339Micro), "message": .string(event.message)]
                }
                return .success(["items": .array(Array(items)), "cursor": .int(etcd.events.count)])
            case "add":
                // etcdctl member add [--learner]: a learner unless "learner": false.
                guard request["learner"].isNull || request["learner"].bool != nil else {
                    return .failure(.badRequest("\"learner\" must be true or false"))
                }
                let id = try etcd.addMember(learner: request["learner"].bool ?? true)
                var status = etcdStatus(etcd)
                status["added"] = .int(Int(id))
                return .success(status)
            case "promote": try etcd.promote(try member(request))
            case "remove": try etcd.removeMember(try member(request))
            case "crash": try etcd.crash(try member(request))
            case "restart": try etcd.restart(try member(request))
            case "isolate": try etcd.isolate(try member(request))
            case "heal": etcd.heal()
            case "partition":
                guard let groups = request["groups"].array, !groups.isEmpty else {
                    return .failure(.badRequest("partition needs \"groups\": a list of member id lists, such as [[1], [2, 3]]"))
                }
                var ids: [[UInt64]] = []
                for group in groups {
                    guard let list = group.array else {
                        return .failure(.badRequest("partition needs \"groups\": a list of member id lists, such as [[1], [2, 3]]"))
                    }
                    ids.append(try list.map { try memberID($0) })
                }
                try etcd.partition(ids)
            case "delay":
                guard let pair = request["between"].array, pair.count == 2,
                      let millis = request["millis"].int, (0...3_600_000).contains(millis) else {
                    return .failure(.badRequest("delay needs \"between\": [a, b] and \"millis\" (0 to 3600000)"))
                }
                try etcd.setLatency(.millis(Int64(millis)), between: try memberID(pair[0]), and: try memberID(pair[1]))
            default:
                return .failure(.badRequest("unknown etcd action \"\(action)\": supported actions are \"status\", \"events\", \"crash\", \"restart\", \"isolate\", \"partition\", \"heal\", \"delay\", \"add\", \"promote\", \"remove\""))
            }
        } catch let error as EtcdCluster.FaultError {
            switch error {
            case .noLeader, .timedOut: return .failure(APIServer.etcdError(error.description))
            default: return .failure(.badRequest(error.description))
            }
        } catch let error as StatusError {
            return .failure(error)
        } catch {
            return .failure(.internalError("\(error)"))
        }
        return .success(etcdStatus(etcd))
    }

    private func member(_ request: JSON) throws -> UInt64 {
        guard !request["member"].isNull else { throw StatusError.badRequest("the action needs \"member\": a member id") }
        return try memberID(request["member"])
    }

    private func memberID(_ value: JSON) throws -> UInt64 {
        guard let n = value.int, n >= 0 else { throw StatusError.badRequest("member ids are positive integers, not \(value.serialized())") }
        return UInt64(n)
    }

    /// One entry per member with `etcdctl endpoint status`'s fields, and the same as a table.
    private func etcdStatus(_ etcd: EtcdCluster) -> JSON {
        let statuses = etcd.status()
        let rows: [JSON] = statuses.map { s in
            let member = etcd.members[Int(s.id - 1)]
            let locations = config.etcdPlacement.locations
            let place = locations.indices.contains(Int(s.id - 1)) ? locations[Int(s.id - 1)] : nil
            let bytes = member.kv.all().reduce(0) { $0 + $1.key.utf8.count + $1.value.serialized().utf8.count }
            return [
                "id": .int(Int(s.id)), "endpoint": .string("etcd-\(s.id)"), "running": .bool(s.isRunning),
                "isLeader": .bool(s.role == .leader), "isLearner": .bool(etcd.learners.contains(s.id)),
                "leader": .int(Int(s.leader)),
                "raftTerm": .int(Int(s.term)), "raftIndex": .int(Int(s.raftIndex)),
                "raftAppliedIndex": .int(Int(s.appliedIndex)), "revision": .int(Int(s.revision)),
                "keys": .int(s.keys), "dbSizeBytes": .int(bytes),
                "region": place.map { .string($0.region) } ?? .null, "zone": place.map { .string($0.zone) } ?? .null,
                "errors": s.isRunning ? .array([]) : ["member is down"],
            ]
        }
        var text = "ENDPOINT\tID\tIS LEADER\tIS LEARNER\tRAFT TERM\tRAFT INDEX\tRAFT APPLIED INDEX\tREVISION\tKEYS\tERRORS\n"
        for s in statuses {
            let cells = ["etcd-\(s.id)", String(s.id), s.role == .leader ? "true" : "false",
                         etcd.learners.contains(s.id) ? "true" : "false", String(s.term),
                         String(s.raftIndex), String(s.appliedIndex), String(s.revision), String(s.keys),
                         s.isRunning ? "" : "member is down"]
            text += cells.joined(separator: "\t") + "\n"
        }
        return ["members": .array(rows), "table": .string(TabWriter.format(text)),
                "warnings": .array(etcd.warnings.map { .string($0) })]
    }

    /// Sets the links between the etcd members, and from the API server (beside member 1)
    /// to each, by how far apart their places are.
    func placeEtcdMembers() {
        let placement = config.etcdPlacement
        guard let etcd, placement.locations.count == etcd.componentIDs.count else { return }
        let ids = etcd.componentIDs
        let sameZone = config.timing.apiLatency
        for i in ids.indices {
            let fromAPIServer = placement.latency(placement.locations[0], placement.locations[i], sameZone: sameZone)
            simulation.network.setLatency(fromAPIServer, between: apiServerID, and: ids[i])
            for j in ids.indices where j > i {
                let d = placement.latency(placement.locations[i], placement.locations[j], sameZone: sameZone)
                simulation.network.setLatency(d, between: ids[i], and: ids[j])
            }
        }
    }
}
