/// What the DaemonSet controller does to a template to make one node's pod, and which nodes
/// should run one (pkg/controller/daemon/util/daemonset_util.go and the predicates of
/// daemon_controller.go `NodeShouldRunDaemonPod`).
enum DaemonSetUtil {
    /// `apps.DefaultDaemonSetUniqueLabelKey`.
    static let revisionHashLabel = "controller-revision-hash"
    /// `extensions.DaemonSetTemplateGenerationKey`.
    static let templateGenerationLabel = "pod-template-generation"
    /// The annotation the API server keeps on apps/v1 DaemonSets (`spec.templateGeneration`
    /// of the internal type): "1" on create, bumped when the template changes.
    static let templateGenerationAnnotation = "deprecated.daemonset.template.generation"

    /// The current template's revision hash (the ControllerRevision name suffix).
    static func hash(_ ds: JSON) -> String {
        DaemonSetController.revisionHash(DaemonSetController.revisionData(ds),
                                         collisionCount: ds["status", "collisionCount"].int ?? 0)
    }

    static func templateGeneration(_ ds: JSON) -> String? {
        ds.annotations[templateGenerationAnnotation].string
    }

    /// `IsPodUpdated`: the pod carries the current hash or the current template generation.
    static func isUpdated(_ pod: JSON, hash: String, generation: String?) -> Bool {
        let labels = pod.labels
        if let generation, labels[templateGenerationLabel].string == generation { return true }
        return !hash.isEmpty && labels[revisionHashLabel].string == hash
    }

    /// The node a daemon pod is for: its nodeName, or before binding the node its
    /// `matchFields metadata.name In [node]` affinity names (`GetTargetNodeName`).
    static func targetNode(_ pod: JSON) -> String? {
        if let n = pod["spec", "nodeName"].string, !n.isEmpty { return n }
        let terms = pod["spec", "affinity", "nodeAffinity", "requiredDuringSchedulingIgnoredDuringExecution",
                        "nodeSelectorTerms"].array ?? []
        for term in terms {
            for f in term["matchFields"].array ?? [] where f["key"].string == "metadata.name" && f["operator"].string == "In" {
                if let values = f["values"].array, values.count == 1, let v = values[0].string { return v }
            }
        }
        return nil
    }

    /// What every node's pod shares (`CreatePodTemplate`, `AddOrUpdateDaemonPodTolerations`):
    /// the template with the revision labels and the daemon tolerations, built once for all
    /// the pods one sync creates.
    static func podTemplate(for ds: JSON, hash: String) -> JSON {
        var template = ds["spec", "template"]
        var labels = template["metadata", "labels"].object ?? [:]
        if let generation = templateGeneration(ds) { labels[templateGenerationLabel] = .string(generation) }
        labels[revisionHashLabel] = .string(hash)
        template["metadata", "labels"] = .object(labels)
        template.updateMember("spec") { addDaemonTolerations(&$0) }
        return template
    }

    /// `node`'s pod from `podTemplate(for:hash:)`: the node-name affinity added
    /// (`ReplaceDaemonSetPodNodeNameNodeAffinity`).
    static func pod(from template: JSON, of ds: JSON, node: String) -> JSON {
        var template = template
        template.updateMember("spec") { $0["affinity"] = nodeNameAffinity($0["affinity"], node: node) }
        return PodTemplate.pod(from: template, owner: ds, generateName: ds.name + "-")
    }

    /// Keeps the template's other affinity; its required node terms each get the node-name
    /// field requirement (replacing any matchFields), or a single such term is made.
    static func nodeNameAffinity(_ affinity: JSON, node: String) -> JSON {
        let field: JSON = ["key": "metadata.name", "operator": "In", "values": [.string(node)]]
        var result = affinity.object == nil ? JSON.emptyObject : affinity
        var required = result["nodeAffinity", "requiredDuringSchedulingIgnoredDuringExecution"]
        var terms = required["nodeSelectorTerms"].array ?? []
        if terms.isEmpty {
            terms = [["matchFields": [field]]]
        } else {
            terms = terms.map { term in
                var t = term
                t["matchFields"] = [field]
                return t
            }
        }
        if required.object == nil { required = .emptyObject }
        required["nodeSelectorTerms"] = .array(terms)
        if result["nodeAffinity"].object == nil { result["nodeAffinity"] = .emptyObject }
        result["nodeAffinity", "requiredDuringSchedulingIgnoredDuringExecution"] = required
        return result
    }

    /// The tolerations every daemon pod gets, so node problems and cordon do not keep it off
    /// (or evict it from) its node.
    static func addDaemonTolerations(_ spec: inout JSON) {
        var tolerations = spec["tolerations"].array ?? []
        for toleration in daemonTolerations { addOrUpdate(toleration, in: &tolerations) }
        if spec["hostNetwork"].bool == true { addOrUpdate(networkUnavailable, in: &tolerations) }
        spec["tolerations"] = .array(tolerations)
    }

    /// `AddOrUpdateTolerationInPodSpec`: an equal toleration (key, operator, value, effect) is
    /// replaced, else it is added.
    private static func addOrUpdate(_ toleration: JSON, in tolerations: inout [JSON]) {
        let key = toleration["key"].string, effect = toleration["effect"].string
        if let i = tolerations.firstIndex(where: {
            $0["key"].string == key && ($0["operator"].string ?? "Equal") == "Exists"
                && ($0["value"].string ?? "") == "" && $0["effect"].string == effect
        }) {
            tolerations[i] = toleration
        } else {
            tolerations.append(toleration)
        }
    }

    /// Built once and shared by every daemon pod's spec.
    private static let daemonTolerations: [JSON] = [
        ("node.kubernetes.io/not-ready", "NoExecute"), ("node.kubernetes.io/unreachable", "NoExecute"),
        ("node.kubernetes.io/disk-pressure", "NoSchedule"), ("node.kubernetes.io/memory-pressure", "NoSchedule"),
        ("node.kubernetes.io/pid-pressure", "NoSchedule"), ("node.kubernetes.io/unschedulable", "NoSchedule"),
    ].map(existsToleration)
    private static let networkUnavailable = existsToleration("node.kubernetes.io/network-unavailable", "NoSchedule")

    private static func existsToleration(_ key: String, _ effect: String) -> JSON {
        ["key": .string(key), "operator": "Exists", "effect": .string(effect)]
    }

    /// What decides where a DaemonSet's pods go, read once from its template (the daemon
    /// tolerations included, as upstream checks the pod `NewPod` builds).
    struct Placement {
        var nodeSelector: [(String, JSON)]
        var terms: [JSON]
        var tolerations: [JSON]

        init(_ ds: JSON) {
            var spec = ds["spec", "template", "spec"]
            DaemonSetUtil.addDaemonTolerations(&spec)
            nodeSelector = (spec["nodeSelector"].object ?? [:]).map { ($0.key, $0.value) }
            terms = spec["affinity", "nodeAffinity", "requiredDuringSchedulingIgnoredDuringExecution",
                         "nodeSelectorTerms"].array ?? []
            tolerations = spec["tolerations"].array ?? []
        }

        /// `NodeShouldRunDaemonPod`: whether a daemon pod should be created on `node`, and
        /// whether one already there may stay (only NoExecute taints evict it).
        func shouldRun(on node: JSON) -> (run: Bool, keep: Bool) {
            let labels = node.labels
            for (k, v) in nodeSelector where labels[k] != v { return (false, false) }
            if !terms.isEmpty, !terms.contains(where: { DaemonSetUtil.matches($0, node: node) }) { return (false, false) }
            var run = true, keep = true
            for taint in node["spec", "taints"].array ?? [] {
                let effect = taint["effect"].string ?? ""
                guard effect == "NoSchedule" || effect == "NoExecute" else { continue }
                if tolerations.contains(where: { DaemonSetUtil.tolerates($0, taint) }) { continue }
                run = false
                if effect == "NoExecute" { keep = false }
            }
            return (run, keep)
        }
    }

    static func shouldRun(_ ds: JSON, on node: JSON) -> (run: Bool, keep: Bool) {
        Placement(ds).shouldRun(on: node)
    }

    /// `Toleration.ToleratesTaint`.
    static func tolerates(_ toleration: JSON, _ taint: JSON) -> Bool {
        let effect = toleration["effect"].string ?? ""
        if !effect.isEmpty, effect != taint["effect"].string { return false }
        let key = toleration["key"].string ?? ""
        let op = toleration["operator"].string ?? "Equal"
        if key.isEmpty { return op == "Exists" }
        guard key == taint["key"].string else { return false }
        switch op {
        case "Exists": return true
        case "Equal", "": return (toleration["value"].string ?? "") == (taint["value"].string ?? "")
        default: return false
        }
    }

    /// One node selector term: expressions on labels and fields on metadata.name, ANDed.
    static func matches(_ term: JSON, node: JSON) -> Bool {
        let expressions = term["matchExpressions"].array ?? []
        let fields = term["matchFields"].array ?? []
        if expressions.isEmpty, fields.isEmpty { return false }
        let labels = node.labels
        for e in expressions where !requirement(e, value: labels[e["key"].string ?? ""].string) { return false }
        for f in fields where f["key"].string != "metadata.name" || !requirement(f, value: node.name) { return false }
        return true
    }

    private static func requirement(_ e: JSON, value: String?) -> Bool {
        let values = (e["values"].array ?? []).compactMap(\.string)
        switch e["operator"].string ?? "" {
        case "In": return value.map(values.contains) ?? false
        case "NotIn": return value.map { !values.contains($0) } ?? true
        case "Exists": return value != nil
        case "DoesNotExist": return value == nil
        case "Gt", "Lt":
            guard let v = value.flatMap({ Int64($0) }), values.count == 1, let bound = Int64(values[0]) else { return false }
            return e["operator"].string == "Gt" ? v > bound : v < bound
        default: return false
        }
    }

    /// `podutil.IsPodAvailable`: Ready for at least minReadySeconds.
    static func isAvailable(_ pod: JSON, minReadySeconds: Int, now: VirtualTime) -> Bool {
        guard PodStatus.isReady(pod) else { return false }
        if minReadySeconds <= 0 { return true }
        guard let since = PodStatus.readySince(pod) else { return false }
        return since + .seconds(Int64(minReadySeconds)) <= now
    }
}
