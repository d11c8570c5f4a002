/// `kubectl taint nodes NAME key=value:Effect | key:Effect | key:Effect- | key-`
/// (`pkg/cmd/taint`): adds or removes taints in the node's `spec.taints`. kubectl does not set
/// `timeAdded`, whatever the effect; only the node lifecycle controller's own taints carry one.
extension Cluster {
    private struct TaintSpec: Equatable {
        var key: String
        var value: String
        var effect: String

        /// `Taint.ToString()`: `key=value:effect`, `key:effect`, or `key` alone.
        var text: String {
            var s = key
            if !value.isEmpty { s += "=" + value }
            if !effect.isEmpty { s += ":" + effect }
            return s
        }
    }

    private static let taintEffects = ["NoSchedule", "PreferNoSchedule", "NoExecute"]

    func kubectlTaint(_ flags: KubectlFlags, _ out: inout KubectlOutput) {
        var args = flags.positional
        guard !args.isEmpty else {
            out.fail("error: at least one taint update is required")
            return
        }
        // `nodes NAME…` or `node/NAME`, then the taints.
        var nodes: [String] = []
        let first = args.removeFirst()
        let slash = first.firstIndex(of: "/")
        let type = slash.map { String(first[..<$0]) } ?? first
        guard let nodeInfo = registry.resolve(type), nodeInfo.plural == "nodes" else {
            out.fail("error: invalid resource type \(type), only node types are supported")
            return
        }
        if let slash { nodes.append(String(first[first.index(after: slash)...])) }
        let isTaint = { (arg: String) in arg.contains(":") || arg.contains("=") || arg.hasSuffix("-") }
        while let arg = args.first, !isTaint(arg) {
            nodes.append(arg)
            args.removeFirst()
        }
        var add: [TaintSpec] = []
        var remove: [TaintSpec] = []
        for spec in args {
            switch Self.parseTaint(spec) {
            case .failure(let failure):
                out.fail(failure.message)
                return
            case .success(let (taint, removing)):
                if removing {
                    remove.append(taint)
                } else {
                    if add.contains(where: { $0.key == taint.key && $0.effect == taint.effect }) {
                        out.fail("error: duplicated taints with the same key and effect: \(taint.text)")
                        return
                    }
                    add.append(taint)
                }
            }
        }
        if add.isEmpty, remove.isEmpty {
            out.fail("error: at least one taint update is required")
            return
        }
        let both = remove.filter { r in add.contains { $0.key == r.key && (r.effect.isEmpty || $0.effect == r.effect) } }
        if !both.isEmpty {
            out.fail("error: can not both modify and remove the following taint(s) in the same command: "
                + both.map(\.text).joined(separator: ", "))
            return
        }
        if nodes.isEmpty, flags.labelSelector == nil, !flags.all {
            out.fail("error: resource(s) were provided, but no name was specified")
            return
        }
        for node in objects(of: GetTarget(info: nodeInfo, names: nodes), flags, &out) {
            taint(node, add: add, remove: remove, overwrite: flags.overwrite, &out)
        }
    }

    private func taint(_ node: JSON, add: [TaintSpec], remove: [TaintSpec], overwrite: Bool, _ out: inout KubectlOutput) {
        var taints = node["spec", "taints"].array ?? []
        if !overwrite, let clash = add.first(where: { a in
            taints.contains { $0["key"].string == a.key && $0["effect"].string == a.effect }
        }) {
            out.fail("error: node \(node.name) already has \(clash.key) taint(s) with same effect(s) and --overwrite is false")
            return
        }
        // `reorganizeTaints`: the taints added come first, then the node's others.
        let replaced = { (t: JSON) in add.contains { t["key"].string == $0.key && t["effect"].string == $0.effect } }
        taints = add.map { a -> JSON in
            var taint: JSON = ["key": .string(a.key), "effect": .string(a.effect)]
            if !a.value.isEmpty { taint["value"] = .string(a.value) }
            return taint
        } + taints.filter { !replaced($0) }
        for r in remove {
            let matches = { (t: JSON) in t["key"].string == r.key && (r.effect.isEmpty || t["effect"].string == r.effect) }
            guard taints.contains(where: matches) else {
                out.fail("error: taint \"\(r.text)\" not found")
                return
            }
            taints.removeAll(where: matches)
        }
        let verb = overwrite || (!add.isEmpty && !remove.isEmpty) ? "modified" : (add.isEmpty ? "untainted" : "tainted")
        // A merge patch; null (no taints left) deletes the member, as Go's omitempty leaves it out.
        let spec: JSONObject = ["taints": taints.isEmpty ? .null : .array(taints)]
        let body: JSON = ["spec": .object(spec)]
        switch request(.patch, "nodes", name: node.name, body: body) {
        case .success: out.print("node/\(node.name) \(verb)")
        case .failure(let e): out.fail(e.kubectlMessage)
        }
    }

    /// One taint argument (`parseTaints`): `key=value:effect` or `key:effect` to add;
    /// `key:effect-` or `key-` to remove.
    private static func parseTaint(_ spec: String) -> Result<(TaintSpec, removing: Bool), KubectlFailure> {
        let removing = spec.hasSuffix("-")
        let body = removing ? String(spec.dropLast()) : spec
        let parts = body.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        guard parts.count <= 2, !parts[0].isEmpty || removing else {
            return .failure(KubectlFailure("error: invalid taint spec: \(spec)"))
        }
        let effect = parts.count == 2 ? parts[1] : ""
        if !effect.isEmpty || !removing, !taintEffects.contains(effect) {
            if effect.isEmpty { return .failure(KubectlFailure("error: invalid taint spec: \(spec)")) }
            return .failure(KubectlFailure("error: invalid taint effect: \(effect), unsupported taint effect\nSee 'kubectl taint -h' for help and examples"))
        }
        let keyValue = parts[0].split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
        let key = keyValue[0]
        let value = keyValue.count == 2 ? keyValue[1] : ""
        // A removal matches on key and effect: a value given with it is ignored.
        let keyErrors = NameRules.labelKey(key, .of(.v1_36))
        let valueErrors = removing ? [] : NameRules.labelValue(value, .of(.v1_36))
        if !(keyErrors + valueErrors).isEmpty {
            return .failure(KubectlFailure("error: invalid taint spec: \(spec), \((keyErrors + valueErrors).joined(separator: "; "))"))
        }
        return .success((TaintSpec(key: key, value: removing ? "" : value, effect: effect), removing))
    }
}
