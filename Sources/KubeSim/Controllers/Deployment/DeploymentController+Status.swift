/// Deployment status and conditions (pkg/controller/deployment/sync.go `calculateStatus`,
/// progress.go).
extension DeploymentController {
    func syncStatus(_ d: JSON, newRS: JSON?, all: [JSON], _ ctx: inout Context) {
        let replicas = d["spec", "replicas"].int ?? 1
        let available = DeploymentUtil.availableReplicas(all)
        // Built member by member in DeploymentStatus's order; every key is new.
        var members = JSONObject(minimumCapacity: 8)
        members.append(key: "observedGeneration", value: .int(d.generation))
        // Go's omitempty drops zero counts.
        func count(_ key: String, _ n: Int) { if n != 0 { members.append(key: key, value: .int(n)) } }
        count("replicas", DeploymentUtil.statusReplicas(all))
        count("updatedReplicas", newRS?["status", "replicas"].int ?? 0)
        count("readyReplicas", DeploymentUtil.readyReplicas(all))
        count("availableReplicas", available)
        count("unavailableReplicas", max(0, DeploymentUtil.specReplicas(all) - available))
        if let c = d["status", "collisionCount"].int { members.append(key: "collisionCount", value: .int(c)) }
        var status = JSON.object(members)

        var conditions = d["status", "conditions"].array ?? []
        let minAvailable = replicas - DeploymentUtil.maxUnavailable(d)
        if available >= minAvailable {
            setCondition(&conditions, type: "Available", status: "True", reason: "MinimumReplicasAvailable",
                         message: "Deployment has minimum availability.", now: ctx.now)
        } else {
            setCondition(&conditions, type: "Available", status: "False", reason: "MinimumReplicasUnavailable",
                         message: "Deployment does not have minimum availability.", now: ctx.now)
        }
        if let newRS {
            let complete = isComplete(d, newRS: newRS, all: all)
            let existing = conditions.first { $0["type"].string == "Progressing" }
            if complete {
                setCondition(&conditions, type: "Progressing", status: "True", reason: "NewReplicaSetAvailable",
                             message: "ReplicaSet \"\(newRS.name)\" has successfully progressed.", now: ctx.now)
            } else if existing == nil {
                setCondition(&conditions, type: "Progressing", status: "True", reason: "NewReplicaSetCreated",
                             message: "Created new replica set \"\(newRS.name)\"", now: ctx.now)
            } else if existing?["reason"].string == "NewReplicaSetAvailable"
                || existing?["message"].string?.utf8Contains("\"\(newRS.name)\"") != true
            {
                setCondition(&conditions, type: "Progressing", status: "True", reason: "ReplicaSetUpdated",
                             message: "ReplicaSet \"\(newRS.name)\" is progressing.", now: ctx.now)
            }
        }
        if !conditions.isEmpty { status["conditions"] = .array(conditions) }
        guard status != d["status"] else { return }
        pending[client.send(.updateStatus("deployments", d, status: status), &ctx)] = d.objectKey
    }

    /// Deployment conditions carry lastUpdateTime and lastTransitionTime; both move only when
    /// the condition changes.
    private func setCondition(_ conditions: inout [JSON], type: String, status: String, reason: String,
                              message: String, now: VirtualTime)
    {
        let index = conditions.firstIndex { $0["type"].string == type }
        if let index {
            let c = conditions[index]
            if c["status"].string == status, c["reason"].string == reason, c["message"].string == message { return }
        }
        let transition: String
        if let index, conditions[index]["status"].string == status,
            let t = conditions[index]["lastTransitionTime"].string
        {
            transition = t
        } else {
            transition = now.rfc3339
        }
        let condition: JSON = [
            "type": .string(type), "status": .string(status), "lastUpdateTime": .string(now.rfc3339),
            "lastTransitionTime": .string(transition), "reason": .string(reason), "message": .string(message),
        ]
        if let index { conditions[index] = condition } else { conditions.append(condition) }
    }
}
