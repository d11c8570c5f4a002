/// Measures what a fault does, from the API server's state over virtual time (not a
/// Kubernetes component: an observer of the store, like a monitoring system scraping
/// kube-state-metrics). From the first fault on it samples every `interval`: each
/// Deployment's and each standalone ReplicaSet's available and desired replicas, the pods
/// Pending, the nodes tainted unreachable/not-ready, and the pods the taint eviction
/// controller marked for deletion. It stops sampling once every fault is restored and every
/// workload is fully available on untainted nodes, so an undisturbed cluster pays nothing.
final class DisruptionMonitor: Component {
    struct Sample {
        var time: VirtualTime
        /// Workload key → (available, desired).
        var workloads: [String: (available: Int, desired: Int)]
        var pending: Int
        var tainted: Int
    }

    unowned let apiServer: APIServer
    let interval: Duration
    private(set) var faults: [JSON] = []
    private(set) var start: VirtualTime?
    private var samples: [Sample] = []
    /// Workload keys (`Deployment/ns/name`) in the order first seen.
    private var workloadKeys: [String] = []
    private var workloadSeen: Set<String> = []
    private var evicted: [String] = []
    private var evictedSeen: Set<String> = []
    private var everTainted: [String] = []
    private var everTaintedSeen: Set<String> = []
    private var pendingPods: [String] = []
    private var eventRevision: Int64 = 0
    private var armed = false
    /// Each fault's time, whether it restores, and its nodes, in call order.
    private var timeline: [(at: VirtualTime, restores: Bool, nodes: [String])] = []
    static let sampleTimer = 1

    init(apiServer: APIServer, interval: Duration = .seconds(10)) {
        self.apiServer = apiServer
        self.interval = interval
    }

    /// Notes a fault (or restore) that takes effect at `at`.
    func note(_ fault: JSON, at: VirtualTime, restores: Bool, nodes: [String], simulation: Simulation, me: ComponentID) {
        faults.append(fault)
        timeline.append((at, restores, nodes))
        if start == nil {
            start = at
            eventRevision = apiServer.store.revision
        }
        if !armed {
            armed = true
            simulation.inject(.timer(Self.sampleTimer), to: me, after: at - simulation.now)
        }
    }

    func handle(_ message: consuming Message, _ ctx: inout Context) {
        guard case .timer(let tag) = message, tag == Self.sampleTimer else { return }
        let s = sample(ctx.now)
        // Nodes down now, from the faults in effect (a later restore has not happened yet).
        var down: Set<String> = []
        var scheduled = false
        for f in timeline.indices.sorted(by: { (timeline[$0].at, $0) < (timeline[$1].at, $1) }) {
            guard timeline[f].at <= ctx.now else { scheduled = true; continue }
            for node in timeline[f].nodes {
                if timeline[f].restores { down.remove(node) } else { down.insert(node) }
            }
        }
        let settled = !scheduled && down.isEmpty && s.tainted == 0 && s.workloads.values.allSatisfy { $0.available >= $0.desired }
        if settled {
            armed = false
        } else {
            ctx.after(interval, timer: Self.sampleTimer)
        }
    }

    /// Takes a sample at `now` (once per instant).
    @discardableResult
    func sample(_ now: VirtualTime) -> Sample {
        if let last = samples.last, last.time == now { return last }
        var workloads: [String: (Int, Int)] = [:]
        func add(_ kind: String, _ obj: JSON) {
            let key = "\(kind)/\(obj.namespace)/\(obj.name)"
            if workloadSeen.insert(key).inserted { workloadKeys.append(key) }
            workloads[key] = (obj["status", "availableReplicas"].int ?? 0, obj["spec", "replicas"].int ?? 1)
        }
        if case .success(let kvs) = apiServer.store.range(prefix: "/registry/deployments/", revision: nil) {
            for kv in kvs { add("Deployment", kv.value) }
        }
        if case .success(let kvs) = apiServer.store.range(prefix: "/registry/replicasets/", revision: nil) {
            for kv in kvs where !(kv.value["metadata", "ownerReferences"].array ?? []).contains(where: { $0["kind"].string == "Deployment" }) {
                add("ReplicaSet", kv.value)
            }
        }
        var tainted = 0
        if case .success(let kvs) = apiServer.store.range(prefix: "/registry/nodes/", revision: nil) {
            for kv in kvs {
                let hit = (kv.value["spec", "taints"].array ?? []).contains { t in
                    let key = t["key"].string ?? ""
                    return key == "node.kubernetes.io/unreachable" || key == "node.kubernetes.io/not-ready"
                }
                guard hit else { continue }
                tainted += 1
                if everTaintedSeen.insert(kv.value.name).inserted { everTainted.append(kv.value.name) }
            }
        }
        pendingPods = []
        if case .success(let kvs) = apiServer.store.range(prefix: "/registry/pods/", revision: nil) {
            for kv in kvs where kv.value["status", "phase"].string == "Pending" && !kv.value.isTerminating {
                pendingPods.append(kv.value.objectKey)
            }
        }
        if case .success(let changes) = apiServer.store.events(after: eventRevision, prefix: "/registry/events/") {
            for change in changes where change.kind == .put {
                let e = change.kv.value
                guard e["reason"].string == "TaintManagerEviction",
                      let message = e["message"].string, message.hasPrefix("Marking for deletion Pod ") else { continue }
                let pod = String(message.dropFirst("Marking for deletion Pod ".count))
                if evictedSeen.insert(pod).inserted { evicted.append(pod) }
            }
        }
        eventRevision = apiServer.store.revision
        let s = Sample(time: now, workloads: workloads, pending: pendingPods.count, tainted: tainted)
        samples.append(s)
        return s
    }

    /// The report (see kubesim.h, ks_report).
    func report(now: VirtualTime) -> JSON {
        guard let start else {
            return ["kind": "DisruptionReport", "now": .string(now.rfc3339), "faults": [], "workloads": [], "series": [],
                    "recovered": true, "timeToRecoverSeconds": 0, "podsPending": 0, "pendingPods": [],
                    "podsEvicted": 0, "evictedPods": [], "nodesTainted": [], "maxNodesTainted": 0]
        }
        if now >= start { sample(now) }
        func seconds(_ t: VirtualTime) -> JSON {
            let d = t - start
            return d.nanos % 1_000_000_000 == 0 ? .int(Int(d.nanos / 1_000_000_000)) : .double(Double(d.nanos) / 1e9)
        }
        var workloads: [JSON] = []
        for key in workloadKeys {
            let parts = key.split(separator: "/", maxSplits: 2).map(String.init)
            guard parts.count == 3 else { continue }
            var series: [JSON] = []
            var minAvailable = Int.max, maxUnavailable = 0, desired = 0
            for s in samples {
                guard let w = s.workloads[key] else { continue }
                series.append(["time": .string(s.time.rfc3339), "seconds": seconds(s.time),
                               "available": .int(w.available), "desired": .int(w.desired)])
                minAvailable = min(minAvailable, w.available)
                maxUnavailable = max(maxUnavailable, w.desired - w.available)
                desired = w.desired
            }
            workloads.append(["kind": .string(parts[0]), "namespace": .string(parts[1]), "name": .string(parts[2]),
                              "desired": .int(desired), "minAvailable": .int(minAvailable == .max ? 0 : minAvailable),
                              "maxUnavailable": .int(maxUnavailable), "samples": .array(series)])
        }
        var series: [JSON] = []
        var lastUnavailable: Int?
        var maxTainted = 0
        for (i, s) in samples.enumerated() {
            let unavailable = s.workloads.values.reduce(0) { $0 + max(0, $1.desired - $1.available) }
            if unavailable > 0 { lastUnavailable = i }
            maxTainted = max(maxTainted, s.tainted)
            series.append(["time": .string(s.time.rfc3339), "seconds": seconds(s.time), "unavailable": .int(unavailable),
                           "pending": .int(s.pending), "nodesTainted": .int(s.tainted)])
        }
        // Recovered: fully available at the last sample; the time is that of the first sample
        // after the last one with a replica missing.
        var recovered = true
        var timeToRecover: JSON = 0
        if let i = lastUnavailable {
            if i + 1 < samples.count { timeToRecover = seconds(samples[i + 1].time) } else { recovered = false; timeToRecover = .null }
        }
        return [
            "kind": "DisruptionReport", "start": .string(start.rfc3339), "now": .string(now.rfc3339),
            "sampleSeconds": .int(Int(interval.nanos / 1_000_000_000)),
            "faults": .array(faults), "workloads": .array(workloads), "series": .array(series),
            "recovered": .bool(recovered), "timeToRecoverSeconds": timeToRecover,
            "podsPending": .int(pendingPods.count), "pendingPods": .array(pendingPods.map { .string($0) }),
            "podsEvicted": .int(evicted.count), "evictedPods": .array(evicted.map { .string($0) }),
            "nodesTainted": .array(everTainted.map { .string($0) }), "maxNodesTainted": .int(maxTainted),
        ]
    }
}
