/// The scheduler alone, for kubesim-bench `--scheduler-only`: a Scheduler component fed
/// node and pod watch events directly (no API server), then one scheduling cycle over every
/// pending pod. What it times is the scheduling decisions: PreFilter, Filter with
/// percentageOfNodesToScore, Score, selection and the assume; the Bindings it sends are
/// dropped, so every pod stays assumed on its node, as in the real cycle before the API
/// server answers.
public final class SchedulerBench {
    private let scheduler: Scheduler
    private var ctx: Context
    public let nodeCount: Int
    public private(set) var podCount = 0
    public private(set) var spreadPods = 0
    public private(set) var antiAffinityPods = 0

    /// `nodes` nodes (32 cpu, 128Gi, 110 pods) in 10 zones; Deployments of 20–500 replicas
    /// until `pods` pods: every 10th with a zone spread constraint (DoNotSchedule, maxSkew 1)
    /// and a hostname one (ScheduleAnyway), every 10th (offset 5) with required hostname
    /// anti-affinity; the rest get the system default spreading.
    public init(nodes: Int, pods: Int, seed: UInt64) {
        nodeCount = nodes
        scheduler = Scheduler(wording: Wording(version: .v1_36), host: "bench", seed: seed)
        ctx = Context(now: VirtualTime(seconds: 1_700_000_000), me: 1, apiServer: 0)
        scheduler.handle(.start, &ctx)
        ctx.outbox.removeAll()
        for i in 0..<nodes {
            let name = "node-\(i)"
            let node: JSON = [
                "apiVersion": "v1", "kind": "Node",
                "metadata": ["name": .string(name), "labels": [
                    "kubernetes.io/hostname": .string(name), "topology.kubernetes.io/zone": .string("zone-\(i % 10)"),
                    "topology.kubernetes.io/region": "region-1",
                ]],
                "spec": .emptyObject,
                "status": ["allocatable": ["cpu": "32", "memory": "128Gi", "pods": "110", "ephemeral-storage": "100Gi"]],
            ]
            scheduler.handle(.watch(WatchEvent(tag: scheduler.nodeWatch, type: .added, object: node)), &ctx)
        }
        let sizes = [20, 50, 100, 200, 500, 30, 80]
        var d = 0
        while podCount < pods {
            let replicas = min(sizes[d % sizes.count], pods - podCount)
            let app = "app-\(d)"
            var spec: JSON = [
                "schedulerName": "default-scheduler", "priority": 0,
                "containers": [["name": "c", "image": "nginx", "resources": ["requests": [
                    "cpu": d % 3 == 0 ? "250m" : "100m", "memory": d % 3 == 0 ? "256Mi" : "128Mi"]]]],
            ]
            let selector: JSON = ["matchLabels": ["app": .string(app)]]
            if d % 10 == 0 {
                spec["topologySpreadConstraints"] = [
                    ["maxSkew": 1, "topologyKey": "topology.kubernetes.io/zone", "whenUnsatisfiable": "DoNotSchedule",
                     "labelSelector": selector],
                    ["maxSkew": 1, "topologyKey": "kubernetes.io/hostname", "whenUnsatisfiable": "ScheduleAnyway",
                     "labelSelector": selector],
                ]
                spreadPods += replicas
            } else if d % 10 == 5 {
                spec["affinity"] = ["podAntiAffinity": ["requiredDuringSchedulingIgnoredDuringExecution": [
                    ["labelSelector": selector, "topologyKey": "kubernetes.io/hostname"]]]]
                antiAffinityPods += replicas
            }
            for r in 0..<replicas {
                let pod: JSON = [
                    "apiVersion": "v1", "kind": "Pod",
                    "metadata": [
                        "name": .string("\(app)-\(r)"), "namespace": "default", "uid": .string("uid-\(d)-\(r)"),
                        "labels": ["app": .string(app)],
                        "ownerReferences": [["apiVersion": "apps/v1", "kind": "ReplicaSet", "name": .string(app),
                                             "uid": .string("rs-\(d)"), "controller": true]],
                    ],
                    "spec": spec,
                    "status": ["phase": "Pending"],
                ]
                scheduler.handle(.watch(WatchEvent(tag: scheduler.podWatch, type: .added, object: pod)), &ctx)
            }
            ctx.outbox.removeAll()
            podCount += replicas
            d += 1
        }
        ctx.outbox.removeAll()
    }

    /// A digest of every decision (pod → node, in pod order): equal digests, equal decisions,
    /// so a faster build can be checked against a slower one.
    public var placementDigest: String {
        let lines = scheduler.placement.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
        return String(SeededRandom.fnv1a64(lines.joined(separator: "\n")), radix: 16)
    }

    /// One scheduling cycle over every queued pod: (bound, unschedulable) decisions.
    public func run() -> (scheduled: Int, failed: Int) {
        scheduler.handle(.timer(1), &ctx)
        ctx.outbox.removeAll()
        return (scheduler.scheduledCount, scheduler.failedCount)
    }
}
