// kubesim-bench: the speed targets of the foundation issue, measured in wall time.
//
//   make bench   (`swift run` of kubesim-bench with the Makefile's release flags)
//   make bench BENCH_ARGS=--quick
//
// Prints one line per figure: `<name> <value> <unit>`, then a short summary.

#if canImport(Glibc)
import Glibc
#endif
import KubeSim

let arguments = CommandLine.arguments
let quick = arguments.contains("--quick")
let seedOnly = arguments.contains("--seed-only")
let scaleOnly = arguments.contains("--scale-only")
let storeOnly = arguments.contains("--store-only")
/// `--scale-etcd-only`: just the 10,000-pod run on a 3-member etcd (for profiling it).
let scaleEtcdOnly = arguments.contains("--scale-etcd-only")
/// `--etcd-puts-only`: just the puts through a 3-member etcd (issue 3's write figure).
let etcdPutsOnly = arguments.contains("--etcd-puts-only")
/// `--scheduler-only [--nodes N] [--pods P]`: the scheduler's decisions alone.
let schedulerOnly = arguments.contains("--scheduler-only")
/// `--idle-only [--nodes N]`: one virtual hour of an idle cluster (issue 4).
let idleOnly = arguments.contains("--idle-only")
/// `--size-only --nodes N [--pods-per-node K]`: a whole cluster of N nodes brought to N×K
/// Running pods (issue 4's growth table).
let sizeOnly = arguments.contains("--size-only")
/// `--nemesis N [--first-seed S] [--members M]`: the long linearizability run, nothing else.
func argument(after flag: String) -> Int? {
    guard let i = arguments.firstIndex(of: flag), i + 1 < arguments.count else { return nil }
    return Int(arguments[i + 1])
}
let nemesisCount = argument(after: "--nemesis")
/// `--breakdown`: also time every message the seed and scale runs handle, by component and
/// kind, and print where the time went (the timing adds a little to the figures).
nonisolated(unsafe) let breakdown = arguments.contains("--breakdown") ? MessageTimes() : nil
/// A run that asks for one figure alone runs nothing else.
let alone = scaleEtcdOnly || etcdPutsOnly || schedulerOnly || idleOnly || sizeOnly || nemesisCount != nil
let runSeed = !scaleOnly && !storeOnly && !alone
let runScale = !seedOnly && !storeOnly && !alone
let runStore = !seedOnly && !scaleOnly && !alone
let clock = ContinuousClock()

func seconds(_ d: Swift.Duration) -> Double {
    Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
}

/// A memory figure of this process in bytes, from /proc/self/status ("VmRSS", "VmHWM").
func procStatusBytes(_ field: String) -> Int {
    guard let f = fopen("/proc/self/status", "r") else { return 0 }
    defer { fclose(f) }
    var line = [CChar](repeating: 0, count: 256)
    while fgets(&line, Int32(line.count), f) != nil {
        let s = String(decoding: line.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        if s.hasPrefix(field + ":") { return (Int(s.filter(\.isNumber)) ?? 0) * 1024 }
    }
    return 0
}

/// Resident set size in bytes.
func residentBytes() -> Int { procStatusBytes("VmRSS") }

/// Wall time per (component, message kind), for `--breakdown`.
final class MessageTimes: MessageObserver {
    private var totals: [String: (count: Int, time: Swift.Duration)] = [:]
    private var label = ""
    private var started = ContinuousClock.now

    func willHandle(component: String, message: String) {
        label = component + "  " + message
        started = ContinuousClock.now
    }

    func didHandle() {
        let elapsed = ContinuousClock.now - started
        totals[label, default: (0, .zero)].count += 1
        totals[label, default: (0, .zero)].time += elapsed
    }

    /// Prints the kinds that took the most time, then forgets them.
    func report(_ title: String, per units: Int, unit: String, top: Int = 25) {
        let all = totals.values.reduce(Swift.Duration.zero) { $0 + $1.time }
        print("# \(title): where the handling time went (\(format3(seconds(all))) s in all)")
        print("#   share   per \(unit)   µs each   component  message")
        let rows = totals.sorted { $0.value.time != $1.value.time ? $0.value.time > $1.value.time : $0.key < $1.key }
        for (label, value) in rows.prefix(top) {
            let share = seconds(value.time) / max(seconds(all), 1e-12) * 100
            let each = seconds(value.time) / Double(value.count) * 1e6
            let per = Double(value.count) / Double(units)
            print("#   \(pad(format1(share) + "%", 6))  \(pad(format2(per), 9))  \(pad(format2(each), 8))   \(label)")
        }
        totals.removeAll()
    }

    private func pad(_ s: String, _ width: Int) -> String { String(repeating: " ", count: max(0, width - s.count)) + s }
    private func format1(_ x: Double) -> String { String(Double(Int((x * 10).rounded())) / 10) }
    private func format2(_ x: Double) -> String { String(Double(Int((x * 100).rounded())) / 100) }
}

func runningPods(_ cluster: Cluster) -> Int {
    let r = cluster.call(.list, #"{"resource":"pods","namespace":"default","fieldSelector":"status.phase=Running"}"#)
    if case .success(let list) = r { return list["items"].array?.count ?? 0 }
    return 0
}

func deploymentYAML(name: String, replicas: Int) -> String {
    """
    apiVersion: apps/v1
    kind: Deployment
    metadata:
      name: \(name)
    spec:
      replicas: \(replicas)
      selector:
        matchLabels:
          app: \(name)
      template:
        metadata:
          labels:
            app: \(name)
        spec:
          containers:
          - name: nginx
            image: nginx:1.15
            ports:
            - containerPort: 80

    """
}

/// Runs the cluster `step` at a time until `want` pods are Running; false if `limit` steps
/// were not enough.
func untilRunning(_ cluster: Cluster, _ want: Int, step: KubeSim.Duration, limit: Int) -> Bool {
    for _ in 0..<limit {
        cluster.run(for: step)
        if runningPods(cluster) >= want { return true }
    }
    return false
}

/// New 3-node clusters (seeds 1…`iterations`), each brought to the seed's Deployment
/// Running: the sorted wall times.
func seedSamples(_ iterations: Int, systemDaemonSets: Bool, observer: MessageObserver?) -> [Double] {
    var samples: [Double] = []
    let seedManifest = deploymentYAML(name: "nginx-deployment", replicas: 3)
    for i in 0..<iterations {
        var config = ClusterConfig()
        config.seed = UInt64(i + 1)
        config.systemDaemonSets = systemDaemonSets
        let start = clock.now
        let cluster = Cluster(config: config, messageObserver: observer)
        _ = cluster.apply(manifests: seedManifest)
        let ok = untilRunning(cluster, 3, step: .millis(500), limit: 40)
        // Timed while the cluster lives: tearing it down is not part of the figure (ARC would
        // otherwise free it right after its last use, before the clock is read).
        withExtendedLifetime(cluster) { samples.append(seconds(clock.now - start)) }
        if !ok { print("error: seed deployment did not reach Running"); exit(1) }
    }
    return samples.sorted()
}

// 1. The seed's Deployment on a fresh 3-node cluster.
if runSeed {
    let iterations = quick ? 20 : 200
    let samples = seedSamples(iterations, systemDaemonSets: true, observer: breakdown)
    print("seed_3_replicas_to_running_median \(format3(samples[samples.count / 2] * 1000)) ms")
    print("seed_3_replicas_to_running_p90 \(format3(samples[samples.count * 9 / 10] * 1000)) ms")
    breakdown?.report("seed, \(iterations) new clusters each to 3 Running replicas", per: iterations, unit: "cluster")
    // Where the figure goes: the same without kindnet and kube-proxy (6 of its 13 pods; the
    // control plane's 4 static pods stay). Not the target's cluster, which has them.
    let bare = seedSamples(iterations, systemDaemonSets: false, observer: nil)
    print("seed_without_system_daemonsets_median \(format3(bare[bare.count / 2] * 1000)) ms")
}

func format3(_ x: Double) -> String {
    let scaled = (x * 1000).rounded() / 1000
    return "\(scaled)"
}

/// One run of the foundation's scale figure: Deployments of 10 replicas on `nodes` nodes,
/// from a new cluster to every pod Running. Prints `<prefix>_…` lines.
func scaleRun(prefix: String, etcdMembers: Int?) {
    let deployments = quick ? 100 : 1000
    let replicas = 10
    let nodes = quick ? 10 : 100
    let total = deployments * replicas
    var config = ClusterConfig()
    config.nodes = ClusterConfig.minikube(count: nodes)
    config.etcdMembers = etcdMembers
    let rssBefore = residentBytes()
    let start = clock.now
    let cluster = Cluster(config: config, messageObserver: etcdMembers == nil ? breakdown : nil)
    var manifests = ""
    for d in 0..<deployments {
        manifests += "---\n" + deploymentYAML(name: "app-\(d)", replicas: replicas)
    }
    let applyStart = clock.now
    if case .failure(let e) = cluster.apply(manifests: manifests) { print("error: \(e.message)"); exit(1) }
    let applied = clock.now
    let ok = untilRunning(cluster, total, step: .seconds(1), limit: 120)
    let end = clock.now
    let rssAfter = residentBytes()
    if !ok { print("error: only \(runningPods(cluster)) of \(total) pods Running (\(prefix))"); exit(1) }
    let wall = seconds(end - start)
    print("\(prefix)_deployments \(deployments) count")
    print("\(prefix)_pods \(total) count")
    print("\(prefix)_nodes \(nodes) count")
    print("\(prefix)_apply_wall \(format3(seconds(applied - applyStart))) s")
    print("\(prefix)_total_wall \(format3(wall)) s")
    print("\(prefix)_pods_per_second \(Int(Double(total) / wall)) pods/s")
    print("\(prefix)_cost_per_pod \(format3(wall / Double(total) * 1e6)) us")
    print("\(prefix)_rss_per_pod \((rssAfter - rssBefore) / total) bytes")
    print("\(prefix)_virtual_time \(cluster.now.rfc3339)")
    // Every message since the cluster was created: with etcd, most are handled while apply
    // waits for the writes, outside `run(for:)`.
    print("\(prefix)_messages_per_pod \(cluster.messagesHandled / total) count")
    if etcdMembers == nil { breakdown?.report("\(prefix), \(total) pods from a new cluster", per: total, unit: "pod") }
}

// 2. 1,000 Deployments × 10 replicas on 100 nodes.
if runScale {
    scaleRun(prefix: "scale", etcdMembers: nil)
}

/// 200,000 puts through a 3-member etcd, 1,000 in flight: the store's write figure.
func etcdPuts() {
    let storeWrites = quick ? 20_000 : 200_000
    guard let bench = EtcdBench(members: 3, writes: storeWrites) else { print("error: no etcd cluster"); exit(1) }
    let start = clock.now
    let (acknowledged, revisions) = bench.run()
    let wall = seconds(clock.now - start)
    if acknowledged != storeWrites || Set(revisions).count != 1 {
        print("error: etcd bench acknowledged \(acknowledged), revisions \(revisions)"); exit(1)
    }
    print("etcd_3_members_puts \(storeWrites) count")
    print("etcd_3_members_writes_per_second \(Int(Double(storeWrites) / wall)) writes/s")
    print("etcd_3_members_virtual_seconds \(format3(bench.virtualSeconds)) s")
}

// 3. The replicated store (issue 3).
if runStore {
    let raftWrites = quick ? 100_000 : 1_000_000
    let start = clock.now
    let applied = RaftBench.run(writes: raftWrites)
    let wall = seconds(clock.now - start)
    if applied != [raftWrites, raftWrites, raftWrites] { print("error: raft bench applied \(applied)"); exit(1) }
    print("raft_consensus_3_members_writes_per_second \(Int(Double(raftWrites) / wall)) writes/s")

    etcdPuts()

    let elections = EtcdBench.electionAfterLeaderCrash(seeds: 1...(quick ? 50 : 500)).sorted()
    if let first = elections.first, let last = elections.last {
        print("election_after_leader_crash_seeds \(elections.count) count")
        print("election_after_leader_crash_min \(format3(first)) ms")
        print("election_after_leader_crash_median \(format3(elections[elections.count / 2])) ms")
        print("election_after_leader_crash_p90 \(format3(elections[elections.count * 9 / 10])) ms")
        print("election_after_leader_crash_max \(format3(last)) ms")
    }

    // The foundation's Deployments-to-Running run, with the data in 3 etcd members.
    scaleRun(prefix: "scale_etcd3", etcdMembers: 3)
}

if etcdPutsOnly {
    etcdPuts()
}

if scaleEtcdOnly {
    scaleRun(prefix: "scale_etcd3", etcdMembers: 3)
}

// 4. `--nemesis N`: seeded fault schedules, each history checked for linearizability.
if let count = nemesisCount {
    let first = UInt64(argument(after: "--first-seed") ?? 1)
    let members = argument(after: "--members") ?? 3
    let start = clock.now
    let (operations, failures) = EtcdBench.nemesis(firstSeed: first, count: count, members: members)
    print("nemesis_schedules \(count) count")
    print("nemesis_operations \(operations) count")
    print("nemesis_wall \(format3(seconds(clock.now - start))) s")
    print("nemesis_failures \(failures.count) count")
    for report in failures.prefix(3) { print(report) }
    if !failures.isEmpty { exit(1) }
}

// 5. `--scheduler-only`: 5,000 nodes, 150,000 pending pods of mixed Deployments (some with
// zone spread, some with hostname anti-affinity), one scheduling cycle, timed.
if schedulerOnly {
    let nodes = argument(after: "--nodes") ?? (quick ? 500 : 5000)
    let pods = argument(after: "--pods") ?? (quick ? 15_000 : 150_000)
    let rssBefore = residentBytes()
    var start = clock.now
    let bench = SchedulerBench(nodes: nodes, pods: pods, seed: 1)
    print("scheduler_setup_wall \(format3(seconds(clock.now - start))) s")
    start = clock.now
    let (scheduled, failed) = bench.run()
    let wall = seconds(clock.now - start)
    print("scheduler_nodes \(bench.nodeCount) count")
    print("scheduler_pods \(bench.podCount) count")
    print("scheduler_pods_with_spread \(bench.spreadPods) count")
    print("scheduler_pods_with_anti_affinity \(bench.antiAffinityPods) count")
    print("scheduler_scheduled \(scheduled) count")
    print("scheduler_unschedulable \(failed) count")
    print("scheduler_decisions_wall \(format3(wall)) s")
    print("scheduler_throughput \(Int(Double(scheduled + failed) / wall)) pods/s")
    print("scheduler_rss \((residentBytes() - rssBefore) / 1_048_576) MiB")
    print("scheduler_placement_digest \(bench.placementDigest) hex")
    if scheduled + failed != bench.podCount { print("error: \(scheduled + failed) decisions for \(bench.podCount) pods"); exit(1) }
}

/// Peak resident set size in bytes.
func peakResidentBytes() -> Int { procStatusBytes("VmHWM") }

/// A cluster of `nodes` nodes in 3 zones (racks of 10), from the same config a user gives, with
/// a cluster CIDR big enough for a /24 per node.
func topologyCluster(nodes: Int) -> Cluster? {
    let racks = max(1, (nodes + 29) / 30)
    let text = #"{"clusterCIDR": "10.64.0.0/10", "topology": {"regions": 1, "zonesPerRegion": 3, "racksPerZone": \#(racks), "nodesPerRack": 10}}"#
    guard let json = try? JSON.parse(text), case .success(let config) = ClusterConfig.parse(json) else { return nil }
    return Cluster(config: config)
}

// 6. `--idle-only`: one virtual hour of an idle 1,000-node cluster: leases every 10 s, node
// status, the node lifecycle controller's 5 s passes, the system DaemonSets' pods.
if idleOnly {
    let nodes = argument(after: "--nodes") ?? (quick ? 100 : 1000)
    var start = clock.now
    guard let cluster = topologyCluster(nodes: nodes) else { print("error: no cluster"); exit(1) }
    cluster.run(for: .seconds(60))
    print("idle_nodes \(cluster.config.nodes.count) count")
    print("idle_setup_wall \(format3(seconds(clock.now - start))) s")
    start = clock.now
    let handled = cluster.run(for: .seconds(3600))
    print("idle_virtual_hour_wall \(format3(seconds(clock.now - start))) s")
    print("idle_messages_per_virtual_hour \(handled) count")
    print("idle_peak_rss \(peakResidentBytes() / 1_048_576) MiB")
}

// 7. `--size-only --nodes N`: Deployments of mixed sizes (10 to 300 replicas; every 10th with a
// zone spread constraint, every 10th with hostname anti-affinity preferred) until N × K pods
// run, from a new cluster.
if sizeOnly {
    let nodes = argument(after: "--nodes") ?? 100
    let perNode = argument(after: "--pods-per-node") ?? 30
    let total = nodes * perNode
    let start = clock.now
    guard let cluster = topologyCluster(nodes: nodes) else { print("error: no cluster"); exit(1) }
    let created = clock.now
    let sizes = [10, 30, 100, 300, 50, 20]
    var remaining = total, d = 0, manifests = ""
    while remaining > 0 {
        let replicas = min(remaining, sizes[d % sizes.count])
        var yaml = deploymentYAML(name: "app-\(d)", replicas: replicas)
        // The pod template's spec starts "    spec:\n      containers:" (see deploymentYAML).
        let podSpec = "    spec:\n      containers:"
        if d % 10 == 3 {
            yaml = yaml.replacing(podSpec, with: "    spec:\n      topologySpreadConstraints:\n"
                + "      - {maxSkew: 1, topologyKey: topology.kubernetes.io/zone, whenUnsatisfiable: DoNotSchedule, "
                + "labelSelector: {matchLabels: {app: app-\(d)}}}\n      containers:")
        } else if d % 10 == 7 {
            yaml = yaml.replacing(podSpec, with: "    spec:\n      affinity:\n        podAntiAffinity:\n"
                + "          preferredDuringSchedulingIgnoredDuringExecution:\n          - weight: 100\n"
                + "            podAffinityTerm: {topologyKey: kubernetes.io/hostname, labelSelector: {matchLabels: {app: app-\(d)}}}\n"
                + "      containers:")
        }
        manifests += "---\n" + yaml
        remaining -= replicas
        d += 1
    }
    if case .failure(let e) = cluster.apply(manifests: manifests) { print("error: \(e.message)"); exit(1) }
    let ok = untilRunning(cluster, total, step: .seconds(5), limit: 240)
    let end = clock.now
    if !ok { print("error: only \(runningPods(cluster)) of \(total) pods Running"); exit(1) }
    print("size_nodes \(cluster.config.nodes.count) count")
    print("size_deployments \(d) count")
    print("size_pods \(total) count")
    print("size_create_wall \(format3(seconds(created - start))) s")
    print("size_total_wall \(format3(seconds(end - start))) s")
    print("size_pods_per_second \(Int(Double(total) / seconds(end - start))) pods/s")
    print("size_virtual_time \(cluster.now.rfc3339)")
    print("size_peak_rss \(peakResidentBytes() / 1_048_576) MiB")
}
