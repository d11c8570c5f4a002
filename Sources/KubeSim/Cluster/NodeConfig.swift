/// A simulated node: what its kubelet registers.
public struct NodeConfig: Sendable {
    public var name: String
    public var controlPlane: Bool
    public var cpu: String = "2"
    public var memory: String = "4Gi"
    public var pods: Int = 110
    public var ephemeralStorage: String = "100Gi"
    /// Extra labels, in order.
    public var labels: [(String, String)] = []
    public var taints: [JSON] = []
    public var internalIP: String
    /// Where the node sits (blast radius): `topology.kubernetes.io/region` and `/zone`, and
    /// kubesim's rack label `topology.kubesim.io/rack` (upstream defines no rack label).
    public var region: String?
    public var zone: String?
    public var rack: String?

    /// The label kubesim puts the rack in.
    public static let rackLabel = "topology.kubesim.io/rack"

    public init(name: String, controlPlane: Bool, internalIP: String) {
        self.name = name
        self.controlPlane = controlPlane
        self.internalIP = internalIP
    }
}

/// How long simulated work takes, in virtual time.
public struct Timing: Sendable {
    /// One way, between any component and the API server.
    public var apiLatency = Duration.millis(1)
    /// RunPodSandbox: before the first container, after the pod is bound.
    public var sandboxCreate = Duration.millis(400)
    public var imagePull = Duration.millis(2000)
    public var containerStart = Duration.millis(300)
    public var containerStop = Duration.millis(500)
    /// kubelet `nodeLeaseDurationSeconds` × 0.25.
    public var leaseRenew = Duration.seconds(10)
    public var leaseDurationSeconds = 40
    /// kubelet `nodeStatusReportFrequency`: a status post even when nothing changed.
    public var nodeStatusReport = Duration.seconds(300)
    /// An etcd member's WAL append with fsync (about a millisecond on an SSD): a member
    /// acknowledges entries only after it, and writes arriving meanwhile share the next one.
    public var etcdWALSync = Duration.millis(1)
    /// kube-controller-manager `--node-monitor-period` (5 s).
    public var nodeMonitorPeriod = Duration.seconds(5)
    /// `--node-monitor-grace-period`: nil takes the version's default (40 s; 50 s since 1.32,
    /// kubernetes/kubernetes#126287).
    public var nodeMonitorGracePeriod: Duration?
    /// `--node-startup-grace-period` (60 s).
    public var nodeStartupGracePeriod = Duration.seconds(60)
    /// `--node-eviction-rate` (0.1 nodes/s), `--secondary-node-eviction-rate` (0.01),
    /// `--unhealthy-zone-threshold` (0.55), `--large-cluster-size-threshold` (50).
    public var nodeEvictionRate = 0.1
    public var secondaryNodeEvictionRate = 0.01
    public var unhealthyZoneThreshold = 0.55
    public var largeClusterSizeThreshold = 50
    public init() {}

    func gracePeriod(_ version: KubernetesVersion) -> Duration {
        if let nodeMonitorGracePeriod { return nodeMonitorGracePeriod }
        switch version {
        case .v1_18: return .seconds(40)
        case .v1_36: return .seconds(50)
        }
    }
}
