/// A node taint, decoded.
struct Taint: Equatable {
    var key: String
    var value: String
    var effect: String
    init(_ json: JSON) {
        key = json["key"].string ?? ""
        value = json["value"].string ?? ""
        effect = json["effect"].string ?? ""
    }
    init(key: String, value: String = "", effect: String) {
        self.key = key
        self.value = value
        self.effect = effect
    }

    /// NoSchedule and NoExecute taints keep pods off a node (`DoNotScheduleTaintsFilterFunc`).
    var blocksScheduling: Bool { effect == "NoSchedule" || effect == "NoExecute" }
}

/// A pod toleration, decoded.
struct Toleration {
    var key: String
    var op: String
    var value: String
    var effect: String
    init(_ json: JSON) {
        key = json["key"].string ?? ""
        op = json["operator"].string ?? "Equal"
        value = json["value"].string ?? ""
        effect = json["effect"].string ?? ""
    }

    /// k8s.io/api/core/v1 `Toleration.ToleratesTaint`.
    func tolerates(_ taint: Taint) -> Bool {
        if !effect.isEmpty, effect != taint.effect { return false }
        if key.isEmpty { return op == "Exists" }
        guard key == taint.key else { return false }
        switch op {
        case "Exists": return true
        case "Equal", "": return value == taint.value
        default: return false
        }
    }
}
