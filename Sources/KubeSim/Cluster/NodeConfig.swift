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
    public init() {}
}
