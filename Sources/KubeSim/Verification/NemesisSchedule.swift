/// One seeded run of an etcd cluster under faults, checked for linearizability.
///
/// The seed decides everything: the members' election timeouts, the workload's requests and
/// the faults (crash, restart, isolate, partition, slow link, heal) injected every half
/// second of virtual time. After the faults stop, the network heals, every member restarts,
/// and the run continues past the clients' request timeout so that every call resolves.
/// Then the history must be linearizable and every member must hold the same data at the
/// same revision.
struct NemesisSchedule {
    struct Outcome {
        var seed: UInt64
        var operations: Int
        var indeterminate: Int
        var faults: [String]
        var verdict: LinearizabilityResult.Verdict
        /// Watch guarantees broken on any watcher's stream.
        var watchViolations: [String]
        /// Watch streams opened and changes they delivered.
        var watchStreams: Int
        var watchEvents: Int
        /// Snapshots the members took and installed from a leader.
        var snapshotsTaken: Int
        var snapshotsInstalled: Int
        /// Members disagreeing after healing, as "member N: revision R, K keys"; empty when all agree.
        var divergence: [String]
        /// On failure: the seed and a shrunk counterexample.
        var report: String

        var passed: Bool { verdict == .linearizable && divergence.isEmpty && watchViolations.isEmpty }
    }

    var members = 3
    var clients = 5
    var keys = 4
    var duration = Duration.seconds(20)
    /// Chance of a fault at each half-second step.
    var faultRate = 0.35
    /// Small, so that members take snapshots and lagging ones are sent them.
    var snapshotCount: UInt64 = 64
    var catchUpEntries: UInt64 = 16

    func run(seed: UInt64) -> Outcome {
        let epoch = VirtualTime(nanos: 0)
        let simulation = Simulation(epoch: epoch, linkLatency: .millis(2))
        let cluster: EtcdCluster
        do {
            cluster = try EtcdCluster(simulation: simulation, members: members, seed: seed)
        } catch {
            return Outcome(seed: seed, operations: 0, indeterminate: 0, faults: [], verdict: .unknown,
                           watchViolations: [], watchStreams: 0, watchEvents: 0, snapshotsTaken: 0, snapshotsInstalled: 0,
                           divergence: ["\(error)"], report: "seed \(seed): \(error)")
        }
        cluster.configureSnapshots(every: snapshotCount, catchUp: catchUpEntries)
        cluster.recordCommittedChanges()
        let workload = KVWorkload(clients: clients, members: cluster.componentIDs, keys: keys, seed: seed,
                                  stopAt: epoch + duration)
        simulation.register(workload)

        var random = SeededRandom(seed: seed, stream: "nemesis")
        var faults: [String] = []
        let step = Duration.millis(500)
        var t = epoch
        while t < epoch + duration {
            t = t + step
            simulation.run(until: t)
            if random.unit() < faultRate, let fault = inject(&random, cluster) {
                let ms = (t.nanos - epoch.nanos) / 1_000_000
                faults.append("\(ms / 1000).\(ms % 1000 / 100)s \(fault)")
            }
        }
        cluster.heal()
        for m in cluster.members where !m.isRunning { try? cluster.restart(m.id) }
        simulation.run(until: t + workload.requestTimeout + .seconds(5))

        let history = workload.history
        let result = LinearizabilityChecker().check(history)
        let divergence = Self.divergence(cluster)
        // The committed changes, as the members applied them (each revision recorded by the
        // first member to apply it; `divergence` checked that every member's own log agrees).
        let committed = cluster.committedChanges.filter { $0.kv.key.hasPrefix(workload.prefix) }
            .map(WatchChecker.Event.init)
        let violations = WatchChecker(committed: committed).check(workload.streams).map(\.description)
        var report = ""
        if result.verdict != .linearizable || !divergence.isEmpty || !violations.isEmpty {
            report = "nemesis seed \(seed): \(result.verdict)"
            if !result.reason.isEmpty { report += " (\(result.reason))" }
            report += "\nfaults:\n" + faults.map { "  " + $0 }.joined(separator: "\n")
            if !divergence.isEmpty { report += "\nmembers diverged:\n" + divergence.map { "  " + $0 }.joined(separator: "\n") }
            if !violations.isEmpty {
                report += "\nwatch guarantees broken:\n" + violations.prefix(10).map { "  " + $0 }.joined(separator: "\n")
            }
            if result.verdict == .notLinearizable {
                let shrunk = HistoryShrinker().shrink(history)
                report += "\nshrunk history (\(shrunk.operations.count) of \(history.operations.count) operations):\n"
                report += HistoryPrinter.render(shrunk)
            }
        }
        return Outcome(seed: seed, operations: history.operations.count,
                       indeterminate: history.operations.filter(\.isIndeterminate).count,
                       faults: faults, verdict: result.verdict, watchViolations: violations,
                       watchStreams: workload.streams.count,
                       watchEvents: workload.streams.reduce(0) { $0 + $1.responses.reduce(0) { $0 + $1.count } },
                       snapshotsTaken: cluster.members.reduce(0) { $0 + $1.snapshotsTaken },
                       snapshotsInstalled: cluster.members.reduce(0) { $0 + $1.snapshotsInstalled },
                       divergence: divergence, report: report)
    }

    /// One random fault; nil when the chosen one does not apply (nothing to restart).
    private func inject(_ random: inout SeededRandom, _ cluster: EtcdCluster) -> String? {
        let ids = cluster.members.map(\.id)
        guard let any = ids.randomElement(using: &random) else { return nil }
        switch random.int(below: 7) {
        case 0:
            guard (try? cluster.crash(any)) != nil else { return nil }
            return "crash \(any)"
        case 1:
            // Kill whoever leads now: the election after a leader crash is what matters most.
            guard let leader = cluster.leader, (try? cluster.crash(leader)) != nil else { return nil }
            return "crash leader \(leader)"
        case 2:
            guard let stopped = cluster.members.first(where: { !$0.isRunning }),
                  (try? cluster.restart(stopped.id)) != nil else { return nil }
            return "restart \(stopped.id)"
        case 3:
            guard (try? cluster.isolate(any)) != nil else { return nil }
            return "isolate \(any)"
        case 4:
            let shuffled = ids.shuffled(using: &random)
            let cut = 1 + random.int(below: max(1, ids.count - 1))
            let groups = [Array(shuffled.prefix(cut)), Array(shuffled.dropFirst(cut))]
            guard (try? cluster.partition(groups)) != nil else { return nil }
            return "partition \(groups.map { $0.sorted() })"
        case 5:
            guard let other = ids.filter({ $0 != any }).randomElement(using: &random) else { return nil }
            let latency = Duration.millis(Int64(10 + random.int(below: 300)))
            guard (try? cluster.setLatency(latency, between: any, and: other)) != nil else { return nil }
            return "latency \(any)<->\(other) \(latency.nanos / 1_000_000)ms"
        default:
            cluster.heal()
            return "heal"
        }
    }

    /// Members whose data differ from member 1's after healing, or whose own change log
    /// differs from what was applied first at the same revisions.
    private static func divergence(_ cluster: EtcdCluster) -> [String] {
        guard let first = cluster.members.first else { return [] }
        var byRevision: [Int64: [WatchChecker.Event]] = [:]
        for change in cluster.committedChanges { byRevision[change.revision, default: []].append(WatchChecker.Event(change)) }
        var logProblems: [String] = []
        for m in cluster.members {
            guard case .success(let log) = m.kv.events(after: m.kv.compactedRevision, prefix: "") else { continue }
            var mine: [Int64: [WatchChecker.Event]] = [:]
            for change in log { mine[change.revision, default: []].append(WatchChecker.Event(change)) }
            for revision in mine.keys.sorted() where mine[revision] != byRevision[revision] {
                logProblems.append("member \(m.id): its change at revision \(revision) differs from the committed one")
                break
            }
        }
        func dump(_ m: EtcdMember) -> [String] {
            m.kv.all().map { "\($0.key)@\($0.modRevision)/\($0.createRevision)/\($0.version)=\($0.value.serialized())" }
        }
        let reference = dump(first)
        var out: [String] = logProblems
        for m in cluster.members.dropFirst() where m.kv.revision != first.kv.revision || dump(m) != reference {
            out.append("member \(m.id): revision \(m.kv.revision), \(m.kv.keyCount) keys (member 1: revision \(first.kv.revision), \(first.kv.keyCount) keys)")
        }
        return out
    }
}
