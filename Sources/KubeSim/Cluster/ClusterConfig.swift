/// The settings of a simulated cluster, read from the JSON given to `ks_cluster_new`.
public struct ClusterConfig: Sendable {
    public var seed: UInt64 = 1
    /// 2024-01-01T00:00:00Z.
    public var epoch = VirtualTime(seconds: 1_704_067_200)
    public var version: KubernetesVersion = .v1_18
    public var nodes: [NodeConfig] = ClusterConfig.minikube(count: 3)
    public var timing = Timing()
    /// etcd members (1–7) behind the API server, replicated by Raft; nil keeps the data in one
    /// in-process store (the default, and the fastest).
    public var etcdMembers: Int?
    /// Where each etcd member runs (member 1 first; the API server runs beside member 1).
    /// Links between places in other zones or regions are slower: see `EtcdPlacement`.
    public var etcdPlacement = EtcdPlacement()
    /// kube-controller-manager's `--cluster-cidr`, cut into a /24 per node (minikube's
    /// 10.244.0.0/16 by default: 256 nodes; a bigger cluster needs a shorter prefix).
    public var clusterCIDR = ClusterCIDR.minikube
    /// Whether the cluster starts with minikube's `kube-proxy` and `kindnet` DaemonSets in
    /// `kube-system` (`"systemDaemonSets": false` leaves them out).
    public var systemDaemonSets = true

    public init() {}

    /// minikube's naming: `minikube` (control plane), `minikube-m02`, `minikube-m03`, …,
    /// at 192.168.49.2, .3, … as its docker driver assigns them.
    public static func minikube(count: Int) -> [NodeConfig] {
        (0..<count).map { i in
            let name = i == 0 ? "minikube" : "minikube-m" + (i + 1 < 10 ? "0" : "") + String(i + 1)
            return NodeConfig(name: name, controlPlane: i == 0, internalIP: ClusterConfig.address(i))
        }
    }

    /// 192.168.49.2 upward, 250 addresses per /24 (.2 to .251).
    static func address(_ i: Int) -> String {
        "192.168.\(49 + i / 250).\(2 + i % 250)"
    }

    /// Reads `config_json` (see kubesim.h). Unknown members are rejected, so a typo is not
    /// silently ignored.
    public static func parse(_ json: JSON) -> Result<ClusterConfig, StatusError> {
        var config = ClusterConfig()
        guard case .object(let o) = json else {
            return json.isNull ? .success(config) : .failure(.badRequest("cluster config must be a JSON object"))
        }
        var explicitNodes: [NodeConfig]?
        var topology: JSON?
        for (key, value) in o {
            switch key {
            case "topology":
                topology = value
            case "seed":
                guard let s = value.int, s >= 0 else { return .failure(.badRequest("seed must be a non-negative integer")) }
                config.seed = UInt64(s)
            case "epoch":
                guard let t = value.string.flatMap({ VirtualTime(rfc3339: $0) }) else {
                    return .failure(.badRequest("epoch must be an RFC 3339 time such as \"2024-01-01T00:00:00Z\""))
                }
                config.epoch = t
            case "kubernetesVersion":
                guard let v = value.string.flatMap({ KubernetesVersion(rawValue: $0.hasPrefix("v") ? String($0.dropFirst()) : $0) })
                else {
                    let supported = KubernetesVersion.allCases.map { "\"\($0.rawValue)\"" }.joined(separator: ", ")
                    return .failure(.badRequest("kubernetesVersion must be one of \(supported)"))
                }
                config.version = v
            case "nodes":
                switch parseNodes(value) {
                case .success(let nodes): config.nodes = nodes; explicitNodes = value.array == nil ? nil : nodes
                case .failure(let e): return .failure(e)
                }
            case "timing":
                switch parseTiming(value, into: config.timing) {
                case .success(let t): config.timing = t
                case .failure(let e): return .failure(e)
                }
            case "nodeLifecycle":
                switch parseNodeLifecycle(value, into: config.timing) {
                case .success(let t): config.timing = t
                case .failure(let e): return .failure(e)
                }
            case "clusterCIDR":
                guard let text = value.string, let cidr = ClusterCIDR(text) else {
                    return .failure(.badRequest("clusterCIDR must be an IPv4 network with a prefix of /8 to /24, such as 10.244.0.0/16"))
                }
                config.clusterCIDR = cidr
            case "etcd":
                guard case .object(let etcd) = value else { return .failure(.badRequest("etcd must be an object such as {\"members\": 3}")) }
                for (field, v) in etcd {
                    switch field {
                    case "members":
                        guard let n = v.int, (1...7).contains(n) else {
                            return .failure(.badRequest("etcd members must be between 1 and 7 (an odd number: 3, 5 or 7 tolerate 1, 2 or 3 failures)"))
                        }
                        config.etcdMembers = n
                    case "locations", "crossZoneMillis", "crossRegionMillis":
                        if let error = config.etcdPlacement.read(field, v) { return .failure(error) }
                    default:
                        return .failure(.badRequest("unknown etcd config field \"\(field)\""))
                    }
                }
                let placed = config.etcdPlacement.locations.count
                if placed > 0, placed != (config.etcdMembers ?? 0) {
                    return .failure(.badRequest("etcd locations must name one place per member: \(placed) locations for \(config.etcdMembers ?? 0) members"))
                }
            case "systemDaemonSets":
                guard let on = value.bool else { return .failure(.badRequest("systemDaemonSets must be true or false")) }
                config.systemDaemonSets = on
            default:
                return .failure(.badRequest("unknown cluster config field \"\(key)\""))
            }
        }
        if let topology {
            if o["nodes"] != nil, explicitNodes == nil {
                return .failure(.badRequest("topology generates the nodes: give \"nodes\" as a list of extra nodes, not a count"))
            }
            switch NodeTopology.parse(topology) {
            case .failure(let e): return .failure(e)
            case .success(let t):
                let extra = explicitNodes ?? []
                let generated = t.nodes(controlPlane: extra.isEmpty || !extra.contains(where: \.controlPlane))
                var names = Set(generated.map(\.name))
                for node in extra where !names.insert(node.name).inserted {
                    return .failure(.badRequest("node name \"\(node.name)\" is both generated by topology and listed in nodes"))
                }
                guard generated.count + extra.count <= maxNodes else {
                    return .failure(.badRequest("topology and nodes make more than \(maxNodes) nodes"))
                }
                config.nodes = generated + extra
            }
        }
        return .success(config)
    }

    static let maxNodes = 10_000

    private static func parseNodes(_ value: JSON) -> Result<[NodeConfig], StatusError> {
        if let n = value.int {
            guard n >= 0, n <= maxNodes else { return .failure(.badRequest("nodes must be between 0 and \(maxNodes)")) }
            return .success(minikube(count: n))
        }
        guard let list = value.array, list.count <= maxNodes else {
            return .failure(.badRequest("nodes must be a count or a list of at most \(maxNodes) nodes"))
        }
        var out: [NodeConfig] = []
        var names: Set<String> = []
        for (i, item) in list.enumerated() {
            guard let name = item["name"].string, Validation.dns1123Subdomain(name).isEmpty else {
                return .failure(.badRequest("nodes[\(i)].name must be a valid node name"))
            }
            guard names.insert(name).inserted else { return .failure(.badRequest("nodes[\(i)].name \"\(name)\" is repeated")) }
            var node = NodeConfig(name: name, controlPlane: item["controlPlane"].bool ?? (i == 0),
                                  internalIP: item["internalIP"].string ?? address(i))
            if let cpu = item["cpu"].string ?? item["cpu"].int.map(String.init) {
                guard Quantity.parse(cpu) != nil else { return .failure(.badRequest("nodes[\(i)].cpu is not a quantity")) }
                node.cpu = cpu
            }
            if let memory = item["memory"].string {
                guard Quantity.parse(memory) != nil else { return .failure(.badRequest("nodes[\(i)].memory is not a quantity")) }
                node.memory = memory
            }
            if let pods = item["pods"].int {
                guard pods >= 0, pods <= 100_000 else { return .failure(.badRequest("nodes[\(i)].pods is out of range")) }
                node.pods = pods
            }
            for (k, v) in item["labels"].object ?? [:] {
                guard let s = v.string else { return .failure(.badRequest("nodes[\(i)].labels values must be strings")) }
                node.labels.append((k, s))
            }
            // Taints as the Node's spec holds them: string members only (the kubelet registers
            // them as given).
            for (j, taint) in (item["taints"].array ?? []).enumerated() {
                var kept = JSONObject()
                for field in ["key", "value", "effect", "timeAdded"] where !taint[field].isNull {
                    guard let v = taint[field].string else {
                        return .failure(.badRequest("nodes[\(i)].taints[\(j)].\(field) must be a string"))
                    }
                    kept[field] = .string(v)
                }
                guard taint.object != nil, kept["key"] != nil, kept["effect"] != nil else {
                    return .failure(.badRequest("nodes[\(i)].taints[\(j)] needs a key and an effect"))
                }
                node.taints.append(.object(kept))
            }
            for (field, path) in [("region", \NodeConfig.region), ("zone", \NodeConfig.zone), ("rack", \NodeConfig.rack)]
            where !item[field].isNull {
                guard let v = item[field].string, NameRules.labelValue(v, .v1_36).isEmpty, !v.isEmpty else {
                    return .failure(.badRequest("nodes[\(i)].\(field) must be a valid label value"))
                }
                node[keyPath: path] = v
            }
            out.append(node)
        }
        return .success(out)
    }

    /// kube-controller-manager's node lifecycle flags: `{"nodeEvictionRate": 0.1,
    /// "secondaryNodeEvictionRate": 0.01, "unhealthyZoneThreshold": 0.55,
    /// "largeClusterSizeThreshold": 50}`.
    private static func parseNodeLifecycle(_ value: JSON, into base: Timing) -> Result<Timing, StatusError> {
        guard case .object(let o) = value else {
            return .failure(.badRequest("nodeLifecycle must be an object such as {\"nodeEvictionRate\": 0.1}"))
        }
        var t = base
        for (key, v) in o {
            let number: Double?
            switch v {
            case .int(let i): number = Double(i)
            case .double(let d): number = d
            default: number = nil
            }
            guard let n = number, n.isFinite, n >= 0, n <= 1_000_000 else {
                return .failure(.badRequest("nodeLifecycle.\(key) must be a non-negative number"))
            }
            switch key {
            case "nodeEvictionRate": t.nodeEvictionRate = n
            case "secondaryNodeEvictionRate": t.secondaryNodeEvictionRate = n
            case "unhealthyZoneThreshold": t.unhealthyZoneThreshold = n
            case "largeClusterSizeThreshold":
                guard n == n.rounded() else { return .failure(.badRequest("nodeLifecycle.largeClusterSizeThreshold must be an integer")) }
                t.largeClusterSizeThreshold = Int(n)
            default: return .failure(.badRequest("unknown nodeLifecycle field \"\(key)\""))
            }
        }
        return .success(t)
    }

    private static func parseTiming(_ value: JSON, into base: Timing) -> Result<Timing, StatusError> {
        var t = base
        for (key, v) in value.object ?? [:] {
            guard let ms = v.int, ms >= 0, ms <= 86_400_000 else {
                return .failure(.badRequest("timing.\(key) must be a number of milliseconds"))
            }
            switch key {
            case "apiLatencyMillis": t.apiLatency = .millis(Int64(ms))
            case "imagePullMillis": t.imagePull = .millis(Int64(ms))
            case "sandboxCreateMillis": t.sandboxCreate = .millis(Int64(ms))
            case "containerStartMillis": t.containerStart = .millis(Int64(ms))
            case "containerStopMillis": t.containerStop = .millis(Int64(ms))
            case "etcdWALSyncMillis": t.etcdWALSync = .millis(Int64(ms))
            case "nodeMonitorPeriodMillis":
                // A zero period would run the pass forever at one instant.
                guard ms >= 1 else { return .failure(.badRequest("timing.nodeMonitorPeriodMillis must be at least 1")) }
                t.nodeMonitorPeriod = .millis(Int64(ms))
            case "nodeMonitorGracePeriodMillis": t.nodeMonitorGracePeriod = .millis(Int64(ms))
            case "nodeStartupGracePeriodMillis": t.nodeStartupGracePeriod = .millis(Int64(ms))
            default: return .failure(.badRequest("unknown timing field \"\(key)\""))
            }
        }
        return .success(t)
    }
}
