/// A write load on an etcd cluster in the simulation, for the benchmark: clients keep
/// `inFlight` puts outstanding (as `etcdctl check perf` and etcd's `benchmark put` do), each
/// proposed, committed on a quorum and applied to the MVCC store of every member. The
/// caller times `run()`; nothing here reads a clock.
public final class EtcdBench {
    private let simulation: Simulation
    private let cluster: EtcdCluster
    private let load: PutLoad

    public init?(members: Int = 3, writes: Int, inFlight: Int = 1_000, valueBytes: Int = 100, seed: UInt64 = 1) {
        simulation = Simulation(epoch: VirtualTime(nanos: 0), linkLatency: .micros(100))
        guard let cluster = try? EtcdCluster(simulation: simulation, members: members, seed: seed) else { return nil }
        self.cluster = cluster
        load = PutLoad(writes: writes, inFlight: inFlight, valueBytes: valueBytes, members: cluster.componentIDs)
        simulation.register(load)
        // Elect a leader before the load starts.
        simulation.run(until: VirtualTime(nanos: 0) + .seconds(3))
        load.leader = cluster.leader.flatMap { try? cluster.componentID(of: $0) }
    }

    /// Runs until every write is acknowledged; returns the acknowledged count and each
    /// member's store revision (all equal to the writes plus one when every member applied all).
    public func run() -> (acknowledged: Int, revisions: [Int64]) {
        simulation.inject(.timer(PutLoad.startTag), to: load.id)
        var limit = simulation.now
        while load.acknowledged < load.writes, limit < VirtualTime(nanos: 0) + .seconds(3_600) {
            limit = limit + .seconds(1)
            simulation.run(until: limit)
        }
        // Followers apply what the leader acknowledged at its next heartbeat.
        simulation.run(until: simulation.now + .millis(300))
        return (load.acknowledged, cluster.members.map(\.kv.revision))
    }

    /// Virtual time the writes took.
    public var virtualSeconds: Double { load.virtualSeconds }

    /// For each seed: a 3-member cluster elects a leader, the leader crashes, and the virtual
    /// milliseconds until another member is elected are reported.
    public static func electionAfterLeaderCrash(seeds: ClosedRange<UInt64>, members: Int = 3) -> [Double] {
        var out: [Double] = []
        for seed in seeds {
            let simulation = Simulation(epoch: VirtualTime(nanos: 0), linkLatency: .millis(1))
            guard let cluster = try? EtcdCluster(simulation: simulation, members: members, seed: seed) else { continue }
            simulation.run(until: VirtualTime(nanos: 0) + .seconds(5))
            guard let leader = cluster.leader, (try? cluster.crash(leader)) != nil else { continue }
            let crashed = simulation.now
            let before = cluster.events.count
            simulation.run(until: crashed + .seconds(10))
            if let elected = cluster.events.dropFirst(before).first(where: { $0.message.contains("elected leader") }) {
                out.append(Double(elected.time.nanos - crashed.nanos) / 1e6)
            }
        }
        return out
    }

    /// Runs `count` nemesis schedules from `firstSeed`; returns the reports of those that
    /// failed (empty when every history was linearizable and the members agreed).
    public static func nemesis(firstSeed: UInt64, count: Int, members: Int = 3) -> (operations: Int, failures: [String]) {
        var schedule = NemesisSchedule()
        schedule.members = members
        var operations = 0
        var failures: [String] = []
        for i in 0..<max(0, count) {
            let outcome = schedule.run(seed: firstSeed &+ UInt64(i))
            operations += outcome.operations
            if !outcome.passed { failures.append(outcome.report) }
        }
        return (operations, failures)
    }
}

/// The clients of `EtcdBench`.
private final class PutLoad: Component {
    static let startTag = 1
    let writes: Int
    let inFlight: Int
    let value: JSON
    let members: [ComponentID]
    var leader: ComponentID?
    var id: ComponentID = -1
    private(set) var acknowledged = 0
    private var sent = 0
    private var started: VirtualTime?
    private(set) var virtualSeconds = 0.0

    init(writes: Int, inFlight: Int, valueBytes: Int, members: [ComponentID]) {
        self.writes = writes
        self.inFlight = max(1, inFlight)
        self.value = .string(String(repeating: "x", count: max(1, valueBytes)))
        self.members = members
    }

    func handle(_ message: consuming Message, _ ctx: inout Context) {
        switch message {
        case .start:
            id = ctx.me
        case .timer(Self.startTag):
            started = ctx.now
            while sent < min(writes, inFlight) { send(&ctx) }
        case .store(.response(let response)):
            if case .success = response.result {
                acknowledged += 1
                if acknowledged == writes, let started {
                    virtualSeconds = Double(ctx.now.nanos - started.nanos) / 1e9
                }
                if sent < writes { send(&ctx) }
            } else {
                // No leader at that member: send it again shortly.
                sent -= 1
                ctx.after(.millis(100), timer: Self.startTag + 1)
            }
        case .timer:
            if sent < writes { send(&ctx) }
        default:
            return
        }
    }

    private func send(_ ctx: inout Context) {
        guard let target = leader ?? members.first else { return }
        let key = "/registry/bench/k\(sent % 10_000)"
        let txn = Txn(success: [.put(key: key, value: value)])
        sent += 1
        ctx.deliver(.store(.request(EtcdRequest(id: UInt64(sent), client: ctx.me, operation: .txn(txn)))), to: target)
    }
}
