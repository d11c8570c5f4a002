/// The defaults the API server fills in before it validates and stores an object:
/// `pkg/apis/core/v1/defaults.go`, `pkg/apis/apps/v1/defaults.go` and the generated
/// declarative defaults, plus the few normalisations a registry strategy or the v1
/// conversion makes visibly on every write (noted where they apply).
///
///     var d: JSON = ["kind": "Deployment", "spec": ["template": …]]
///     Defaulting.apply(kind: "Deployment", to: &d, version: .v1_36)
///     d["spec", "strategy", "rollingUpdate", "maxSurge"]   // "25%"
///
/// Defaults are appended after the members already present; existing members keep their
/// order. A member of an unexpected JSON type is left alone (decoding reports it).
public enum Defaulting {
    /// Fills defaults as the API server does on create and update, for Pod, Deployment,
    /// ReplicaSet, DaemonSet, Namespace, Node, ConfigMap, Secret, Service, Lease, Event and (1.18)
    /// PriorityClass; other kinds are left unchanged. `version` is the API server's, for the
    /// defaults that arrived after 1.18.
    public static func apply(kind: String, to object: inout JSON, version: KubernetesVersion) {
        guard case .object = object else { return }
        // Cases are compared in order: Events, most of all creates, leave at the first.
        switch kind {
        case "Event", "ConfigMap", "Lease": break  // no visible defaults
        case "Pod": pod(&object)
        case "Deployment": deployment(&object)
        case "ReplicaSet": replicaSet(&object)
        case "DaemonSet": daemonSet(&object)
        case "Service": service(&object)
        case "Secret": secret(&object)
        case "Namespace": namespace(&object, version: version)
        case "Node": node(&object)
        case "PriorityClass": priorityClass(&object, version: version)
        default: break
        }
    }

    /// The DefaultTolerationSeconds admission plugin: a pod that does not tolerate the
    /// `node.kubernetes.io/not-ready` and `node.kubernetes.io/unreachable` NoExecute taints
    /// gets tolerations for them, for 300 seconds.
    public static func defaultTolerationSeconds(pod: inout JSON) {
        guard pod.object != nil, pod["spec"].object != nil else { return }
        if !pod["spec", "tolerations"].isNull, pod["spec", "tolerations"].array == nil { return }
        var tolerations = pod["spec", "tolerations"].array ?? []
        func tolerated(_ key: String) -> Bool {
            tolerations.contains { t in
                let k = t["key"].string ?? ""
                let effect = t["effect"].string ?? ""
                return (k == key || k.isEmpty) && (effect == "NoExecute" || effect.isEmpty)
            }
        }
        let notReady = tolerated("node.kubernetes.io/not-ready")
        let unreachable = tolerated("node.kubernetes.io/unreachable")
        if notReady && unreachable { return }
        if tolerations.isEmpty {
            pod["spec", "tolerations"] = defaultTolerations
            return
        }
        if !notReady { tolerations.append(notReadyToleration) }
        if !unreachable { tolerations.append(unreachableToleration) }
        pod["spec", "tolerations"] = .array(tolerations)
    }

    // Every pod gets the same two: one copy, shared by all pods that hold them.
    private static let notReadyToleration = toleration("node.kubernetes.io/not-ready")
    private static let unreachableToleration = toleration("node.kubernetes.io/unreachable")
    private static let defaultTolerations = JSON.array([notReadyToleration, unreachableToleration])

    private static func toleration(_ key: String) -> JSON {
        ["key": .string(key), "operator": "Exists", "effect": "NoExecute", "tolerationSeconds": 300]
    }

    // MARK: - Helpers

    /// Runs `body` on the object member `key`, creating it when absent; members of another
    /// type are left alone.
    static func member(_ parent: inout JSON, _ key: String, create: Bool = true, _ body: (inout JSON) -> Void) {
        guard parent.object != nil else { return }
        let existing = parent[key]
        var m = existing
        if m.isNull {
            guard create else { return }
            m = .emptyObject
        }
        guard m.object != nil else { return }
        body(&m)
        // A member `body` left alone is not written back: the parent may be shared (a pod's
        // spec with its template's), and writing even the same value would copy it.
        if existing.isNull || !m.sharesStorage(with: existing) { parent[key] = m }
    }

    /// Sets `key` when it is absent.
    static func setDefault(_ object: inout JSON, _ key: String, _ value: JSON) {
        guard object.object != nil, object[key].isNull else { return }
        object[key] = value
    }

    /// Applies `body` to every object element of the array member `key`.
    static func eachElement(_ parent: inout JSON, _ key: String, _ body: (inout JSON) -> Void) {
        let existing = parent[key]
        guard case .array(var items) = existing else { return }
        for i in items.indices where items[i].object != nil {
            // Each element changed on a copy and stored only if `body` wrote to it: writing
            // through `items[i]` would give the array a buffer of its own whatever happened.
            var element = items[i]
            body(&element)
            if !element.sharesStorage(with: items[i]) { items[i] = element }
        }
        // Written back only if an element changed (`member`).
        let changed = JSON.array(items)
        if !changed.sharesStorage(with: existing) { parent[key] = changed }
    }

    // MARK: - Workloads

    static func deployment(_ d: inout JSON) {
        member(&d, "spec") { spec in
            setDefault(&spec, "replicas", 1)
            member(&spec, "strategy") { strategy in
                setDefault(&strategy, "type", "RollingUpdate")
                if strategy["type"].string == "RollingUpdate" {
                    member(&strategy, "rollingUpdate") { ru in
                        setDefault(&ru, "maxUnavailable", "25%")
                        setDefault(&ru, "maxSurge", "25%")
                    }
                }
            }
            setDefault(&spec, "revisionHistoryLimit", 10)
            setDefault(&spec, "progressDeadlineSeconds", 600)
            podTemplate(&spec)
        }
    }

    static func replicaSet(_ rs: inout JSON) {
        member(&rs, "spec") { spec in
            setDefault(&spec, "replicas", 1)
            podTemplate(&spec)
        }
    }

    static func daemonSet(_ ds: inout JSON) {
        member(&ds, "spec") { spec in
            member(&spec, "updateStrategy") { strategy in
                setDefault(&strategy, "type", "RollingUpdate")
                if strategy["type"].string == "RollingUpdate" {
                    member(&strategy, "rollingUpdate") { ru in
                        setDefault(&ru, "maxUnavailable", 1)
                        setDefault(&ru, "maxSurge", 0)
                    }
                }
            }
            setDefault(&spec, "revisionHistoryLimit", 10)
            podTemplate(&spec)
        }
    }

    /// A template's spec gets the PodSpec defaults, not the Pod-only ones. Template and spec
    /// are Go structs, not pointers, so they are defaulted even when absent.
    private static func podTemplate(_ spec: inout JSON) {
        member(&spec, "template") { template in
            member(&template, "spec") { podSpec(&$0, isPod: false) }
        }
    }

    // MARK: - Core kinds

    static func service(_ svc: inout JSON) {
        member(&svc, "spec") { spec in
            setDefault(&spec, "sessionAffinity", "None")
            switch spec["sessionAffinity"].string {
            case "None":
                spec["sessionAffinityConfig"] = .null
            case "ClientIP":
                if spec["sessionAffinityConfig", "clientIP",
                        "timeoutSeconds"].isNull, spec["sessionAffinityConfig"].object != nil
                    || spec["sessionAffinityConfig"].isNull
                {
                    spec["sessionAffinityConfig"] = ["clientIP": ["timeoutSeconds": 10800]]
                }
            default:
                break
            }
            setDefault(&spec, "type", "ClusterIP")
            eachElement(&spec, "ports") { port in
                setDefault(&port, "protocol", "TCP")
                let target = port["targetPort"]
                if target.isNull || target.int == 0 || target.string == "" {
                    port["targetPort"] = port["port"].int.map { .int($0) } ?? 0
                }
            }
            let type = spec["type"].string ?? ""
            let external = type == "NodePort" || type == "LoadBalancer" || !(spec["externalIPs"].array ?? []).isEmpty
            if external, (spec["externalTrafficPolicy"].string ?? "").isEmpty { spec["externalTrafficPolicy"] = "Cluster" }
            if spec["internalTrafficPolicy"].isNull, ["NodePort", "LoadBalancer", "ClusterIP"].contains(type) {
                spec["internalTrafficPolicy"] = "Cluster"
            }
            if type == "LoadBalancer" { setDefault(&spec, "allocateLoadBalancerNodePorts", true) }
            // The service strategy keeps clusterIP and clusterIPs in step (normalizeClusterIPs).
            let clusterIP = spec["clusterIP"].string ?? ""
            let clusterIPs = spec["clusterIPs"].array ?? []
            if !clusterIP.isEmpty, clusterIPs.isEmpty, spec["clusterIPs"].isNull || spec["clusterIPs"].array != nil {
                spec["clusterIPs"] = [.string(clusterIP)]
            } else if clusterIP.isEmpty, spec["clusterIP"].isNull, let first = clusterIPs.first?.string {
                spec["clusterIP"] = .string(first)
            }
        }
    }

    static func secret(_ s: inout JSON) {
        setDefault(&s, "type", "Opaque")
        // The v1 conversion folds stringData into data (base64), stringData winning.
        guard let stringData = s["stringData"].object else { return }
        if !s["data"].isNull, s["data"].object == nil { return }
        var data = s["data"].object ?? [:]
        for (k, v) in stringData {
            guard let text = v.string else { return }
            data[k] = .string(Base64.encode(Array(text.utf8)))
        }
        s["data"] = .object(data)
        s["stringData"] = .null
    }

    /// 1.18's strategy drops `preemptionPolicy` while NonPreemptingPriority is alpha (off).
    /// kubesim's 1.18 honours a policy that is set (and admission defaults a missing one), as
    /// 1.19 did, but drops the empty one kubectl 1.18's `create priorityclass` sends, as 1.18
    /// did, rather than refuse it as 1.19 would.
    static func priorityClass(_ pc: inout JSON, version: KubernetesVersion) {
        if version == .v1_18, pc["preemptionPolicy"].string == "" { pc["preemptionPolicy"] = .null }
    }

    static func namespace(_ ns: inout JSON, version: KubernetesVersion) {
        // SetDefaults_Namespace (1.21+): every named namespace carries its name as a label.
        if version != .v1_18, let name = ns["metadata", "name"].string, !name.isEmpty {
            member(&ns, "metadata") { meta in
                member(&meta, "labels") { $0["kubernetes.io/metadata.name"] = .string(name) }
            }
        }
        // The namespace strategy's PrepareForCreate adds the "kubernetes" finalizer. It is
        // applied here only to a new, live namespace (no resourceVersion, not deleting) that
        // names no finalizers, so an update never brings back one the namespace controller
        // removed.
        let isNew = (ns["metadata", "resourceVersion"].string ?? "").isEmpty && ns["metadata", "deletionTimestamp"].isNull
        if isNew {
            member(&ns, "spec") { spec in
                if spec["finalizers"].isNull { spec["finalizers"] = ["kubernetes"] }
            }
        }
        member(&ns, "status") { setDefault(&$0, "phase", "Active") }
    }

    static func node(_ n: inout JSON) {
        // The v1 conversion keeps podCIDR and podCIDRs in step.
        member(&n, "spec", create: false) { spec in
            let cidr = spec["podCIDR"].string ?? ""
            let cidrs = spec["podCIDRs"].array ?? []
            if !cidr.isEmpty, cidrs.isEmpty, spec["podCIDRs"].isNull || spec["podCIDRs"].array != nil {
                spec["podCIDRs"] = [.string(cidr)]
            } else if cidr.isEmpty, spec["podCIDR"].isNull, let first = cidrs.first?.string {
                spec["podCIDR"] = .string(first)
            }
        }
        member(&n, "status", create: false) { status in
            canonicalQuantities(&status, "capacity")
            if status["allocatable"].isNull, status["capacity"].object != nil { status["allocatable"] = status["capacity"] }
            canonicalQuantities(&status, "allocatable")
        }
    }

    /// `SetDefaults_ResourceList`: every quantity rounded up to milli precision, stored in
    /// canonical form (as the round trip through `resource.Quantity` stores it).
    static func canonicalQuantities(_ parent: inout JSON, _ key: String) {
        let existing = parent[key]
        guard case .object(var list) = existing else { return }
        for (name, value) in list {
            // Most quantities are canonical already (a template's, defaulted when it was
            // stored); rewriting them would copy the list.
            if let text = value.string, Quantity.isCanonicalAtMilli(text) { continue }
            guard let q = Quantity(json: value) else { continue }
            let canonical = q.roundedUp(toPower: -3).description
            if let text = value.string, text.hasSameUTF8(as: canonical) { continue }
            list[name] = .string(canonical)
        }
        if !JSON.object(list).sharesStorage(with: existing) { parent[key] = .object(list) }
    }
}
