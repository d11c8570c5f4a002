/// What the plugins need of a pod, decoded once when the scheduler sees a version of it
/// (framework/types.go PodInfo): filters and scores never walk the pod's JSON per node.
final class PodInfo {
    let pod: JSON
    let key: String
    let name: String
    let namespace: String
    let uid: String
    let labels: [String: String]
    /// What the spec gives, in the pod's namespace.
    let spec: PodSpecInfo
    var priority: Int { spec.priority }
    var preemptionPolicy: String { spec.preemptionPolicy }
    var requests: PodRequests { spec.requests }
    var nodeName: String { spec.nodeName }
    var tolerations: [Toleration] { spec.tolerations }
    var nodeSelector: [(String, String)] { spec.nodeSelector }
    /// Required node affinity: terms are ORed; nil when the pod has none.
    var requiredNodeTerms: [NodeSelectorTermSpec]? { spec.requiredNodeTerms }
    var preferredNodeTerms: [(weight: Int64, term: NodeSelectorTermSpec)] { spec.preferredNodeTerms }
    var spreadConstraints: [SpreadConstraint] { spec.spreadConstraints }
    var requiredAffinity: [AffinityTerm] { spec.requiredAffinity }
    var requiredAntiAffinity: [AffinityTerm] { spec.requiredAntiAffinity }
    var preferredAffinity: [(weight: Int64, term: AffinityTerm)] { spec.preferredAffinity }
    var preferredAntiAffinity: [(weight: Int64, term: AffinityTerm)] { spec.preferredAntiAffinity }
    /// The kind of the pod's controller (for the system default spreading constraints).
    let controllerKind: String?
    let controllerUID: String?
    let isTerminating: Bool
    let creationTimestamp: String
    /// The label set this pod counts in (LabelSetIndex), once placed.
    var labelSet: LabelSetIndex.Entry?

    /// Whether `pod`'s labels are these (`labels == pod.labelMap`), without building its map:
    /// the scheduler asks on every update of a placed pod. Label keys are validated qualified
    /// names (ASCII), so no two of a pod's keys fold into one, and counting them is exact.
    func hasLabels(of pod: JSON) -> Bool {
        let theirs = pod.labels
        // The labels object this was built from, which an update that leaves the labels
        // alone (a binding, a status write) shares: nothing to compare.
        if theirs.sharesStorage(with: self.pod.labels) { return true }
        guard case .object(let o) = theirs else { return labels.isEmpty }
        var count = 0
        for (key, value) in o {
            guard let s = value.mapStringValue else { continue }
            count += 1
            if labels[key] != s { return false }
        }
        return count == labels.count
    }

    /// `sibling`: a pod decoded before, whose spec (in the same namespace) and labels this
    /// one's may share. A controller's pods carry one spec, which the API server defaults
    /// once, and their template's labels: storage shared only by unchanged copies, so what
    /// they give is the sibling's.
    init(_ pod: JSON, sibling: PodInfo? = nil) {
        self.pod = pod
        key = pod.objectKey
        name = pod.name
        namespace = pod.namespace
        uid = pod.uid
        let labels = pod.labels
        if let sibling, labels.sharesStorage(with: sibling.pod.labels) {
            self.labels = sibling.labels
        } else {
            self.labels = pod.labelMap
        }
        let spec = pod["spec"]
        if let sibling, spec.sharesStorage(with: sibling.pod["spec"]), namespace == sibling.namespace {
            self.spec = sibling.spec
        } else {
            self.spec = PodSpecInfo(spec, namespace: namespace)
        }
        controllerKind = pod.controllerRef?["kind"].string
        controllerUID = pod.controllerRef?["uid"].string
        isTerminating = pod.isTerminating
        creationTimestamp = pod["metadata", "creationTimestamp"].string ?? ""
    }

    func tolerates(_ taint: Taint) -> Bool { tolerations.contains { $0.tolerates(taint) } }

    /// Whether any (anti-)affinity term exists, so the pod's terms are indexed.
    var hasPodAffinity: Bool {
        !requiredAffinity.isEmpty || !requiredAntiAffinity.isEmpty || !preferredAffinity.isEmpty
            || !preferredAntiAffinity.isEmpty
    }

    /// `spec.nodeSelector` and required node affinity (nodeaffinity.GetRequiredNodeAffinity).
    func matchesRequiredNodeAffinity(_ node: NodeInfo) -> Bool {
        for (k, v) in nodeSelector where node.labels[k] != v { return false }
        if let terms = requiredNodeTerms, !terms.contains(where: { $0.matches(node) }) { return false }
        return true
    }
}

/// What the plugins need of a pod's spec (with the namespace its terms default to).
struct PodSpecInfo {
    let priority: Int
    let preemptionPolicy: String
    let requests: PodRequests
    let nodeName: String
    let tolerations: [Toleration]
    let nodeSelector: [(String, String)]
    let requiredNodeTerms: [NodeSelectorTermSpec]?
    let preferredNodeTerms: [(weight: Int64, term: NodeSelectorTermSpec)]
    let spreadConstraints: [SpreadConstraint]
    let requiredAffinity: [AffinityTerm]
    let requiredAntiAffinity: [AffinityTerm]
    let preferredAffinity: [(weight: Int64, term: AffinityTerm)]
    let preferredAntiAffinity: [(weight: Int64, term: AffinityTerm)]

    init(_ spec: JSON, namespace: String) {
        priority = spec["priority"].int ?? 0
        preemptionPolicy = spec["preemptionPolicy"].string ?? "PreemptLowerPriority"
        requests = PodRequests(spec: spec)
        nodeName = spec["nodeName"].string ?? ""
        tolerations = (spec["tolerations"].array ?? []).map(Toleration.init)
        nodeSelector = (spec["nodeSelector"].object ?? [:]).map { ($0.key, $0.value.string ?? "") }
        let affinity = spec["affinity"]
        let nodeAffinity = affinity["nodeAffinity"]
        let required = nodeAffinity["requiredDuringSchedulingIgnoredDuringExecution"]
        requiredNodeTerms = required.isNull ? nil : (required["nodeSelectorTerms"].array ?? []).map(NodeSelectorTermSpec.init)
        preferredNodeTerms = (nodeAffinity["preferredDuringSchedulingIgnoredDuringExecution"].array ?? []).map {
            (Int64($0["weight"].int ?? 0), NodeSelectorTermSpec($0["preference"]))
        }
        spreadConstraints = (spec["topologySpreadConstraints"].array ?? []).map {
            SpreadConstraint($0, namespace: namespace)
        }
        let podAffinity = affinity["podAffinity"]
        let podAnti = affinity["podAntiAffinity"]
        let req = "requiredDuringSchedulingIgnoredDuringExecution"
        let pref = "preferredDuringSchedulingIgnoredDuringExecution"
        requiredAffinity = (podAffinity[req].array ?? []).map { AffinityTerm($0, namespace: namespace) }
        requiredAntiAffinity = (podAnti[req].array ?? []).map { AffinityTerm($0, namespace: namespace) }
        preferredAffinity = (podAffinity[pref].array ?? []).map {
            (Int64($0["weight"].int ?? 0), AffinityTerm($0["podAffinityTerm"], namespace: namespace))
        }
        preferredAntiAffinity = (podAnti[pref].array ?? []).map {
            (Int64($0["weight"].int ?? 0), AffinityTerm($0["podAffinityTerm"], namespace: namespace))
        }
    }
}

/// One node selector term: `matchExpressions` on labels ANDed with `matchFields` on
/// metadata.name (component-helpers/scheduling/corev1/nodeaffinity).
struct NodeSelectorTermSpec {
    struct Expression {
        var key: String
        var op: String
        var values: [String]
    }
    var expressions: [Expression]
    var fields: [Expression]

    init(_ term: JSON) {
        func decode(_ e: JSON) -> Expression {
            Expression(key: e["key"].string ?? "", op: e["operator"].string ?? "",
                       values: (e["values"].array ?? []).compactMap(\.string))
        }
        expressions = (term["matchExpressions"].array ?? []).map(decode)
        fields = (term["matchFields"].array ?? []).map(decode)
    }

    /// An empty term matches nothing.
    func matches(_ node: NodeInfo) -> Bool {
        if expressions.isEmpty, fields.isEmpty { return false }
        for e in expressions where !Self.requirement(e, value: node.labels[e.key]) { return false }
        for f in fields {
            guard f.key == "metadata.name", Self.requirement(f, value: node.name) else { return false }
        }
        return true
    }

    static func requirement(_ e: Expression, value: String?) -> Bool {
        switch e.op {
        case "In": return value.map(e.values.contains) ?? false
        case "NotIn": return value.map { !e.values.contains($0) } ?? true
        case "Exists": return value != nil
        case "DoesNotExist": return value == nil
        case "Gt", "Lt":
            guard let v = value.flatMap({ Int64($0) }), e.values.count == 1, let bound = Int64(e.values[0]) else {
                return false
            }
            return e.op == "Gt" ? v > bound : v < bound
        default: return false
        }
    }
}

/// A pod (anti-)affinity term (framework/types.go AffinityTerm): which pods it selects, in
/// which namespaces, over which topology key.
struct AffinityTerm {
    /// nil: the selector is absent and selects nothing.
    var selector: LabelSelector?
    var namespaces: Set<String>
    /// `namespaceSelector: {}` selects every namespace.
    var allNamespaces: Bool
    var topologyKey: String
    /// Identifies equal terms, so existing pods' terms group in the index.
    var signature: String

    init(_ json: JSON, namespace: String) {
        selector = (try? LabelSelector.fromJSON(json["labelSelector"], fieldPath: "labelSelector").get()) ?? nil
        var ns = Set((json["namespaces"].array ?? []).compactMap(\.string))
        let nsSelector = json["namespaceSelector"]
        // An empty namespaceSelector means all namespaces; a non-empty one is matched against
        // namespace labels the scheduler does not watch, so it selects none beyond `namespaces`.
        allNamespaces = nsSelector.object.map(\.isEmpty) ?? false
        if ns.isEmpty, nsSelector.isNull { ns = [namespace] }
        namespaces = ns
        topologyKey = json["topologyKey"].string ?? ""
        signature = "\(ns.sorted().joined(separator: ","))|\(allNamespaces)|\(selector?.description ?? "<nil>")|\(topologyKey)"
    }

    func matches(namespace: String, labels: [String: String]) -> Bool {
        guard allNamespaces || namespaces.contains(namespace), let selector else { return false }
        return selector.matches(labels)
    }
}

/// A topology spread constraint (podtopologyspread/common.go topologySpreadConstraint).
struct SpreadConstraint {
    var maxSkew: Int
    var topologyKey: String
    var whenUnsatisfiable: String
    var selector: LabelSelector?
    var minDomains: Int
    /// nodeAffinityPolicy (default Honor) and nodeTaintsPolicy (default Ignore).
    var honorNodeAffinity: Bool
    var honorTaints: Bool
    var namespace: String

    init(_ json: JSON, namespace: String) {
        // int32 in Go: a larger number cannot be in an object the API server decoded, but
        // one written straight into etcd is read as it is.
        maxSkew = Self.int32(json["maxSkew"].int ?? 1)
        topologyKey = json["topologyKey"].string ?? ""
        whenUnsatisfiable = json["whenUnsatisfiable"].string ?? "DoNotSchedule"
        selector = (try? LabelSelector.fromJSON(json["labelSelector"], fieldPath: "labelSelector").get()) ?? nil
        minDomains = Self.int32(json["minDomains"].int ?? 1)
        honorNodeAffinity = (json["nodeAffinityPolicy"].string ?? "Honor") == "Honor"
        honorTaints = (json["nodeTaintsPolicy"].string ?? "Ignore") == "Honor"
        self.namespace = namespace
    }

    private static func int32(_ value: Int) -> Int { min(max(value, Int(Int32.min)), Int(Int32.max)) }

    init(maxSkew: Int, topologyKey: String, selector: LabelSelector, namespace: String) {
        self.maxSkew = maxSkew
        self.topologyKey = topologyKey
        whenUnsatisfiable = "ScheduleAnyway"
        self.selector = selector
        minDomains = 1
        honorNodeAffinity = true
        honorTaints = false
        self.namespace = namespace
    }
}
