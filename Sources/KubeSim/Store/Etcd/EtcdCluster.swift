/// The etcd members of a simulated control plane, and the faults that can be done to them:
/// crash and restart a member, isolate it, partition the members into groups, heal.
///
/// Members are components of the simulation; they reach each other over its network, so a
/// partition is a set of cut links. Everything that happens to the cluster as a whole (a
/// leader elected, a member down, quorum lost or regained) is recorded, with the virtual time,
/// in `events`.
final class EtcdCluster {
    struct Event: Equatable {
        var time: VirtualTime
        var message: String
    }

    enum FaultError: Error, Equatable, CustomStringConvertible {
        case invalidMemberCount(Int)
        case unknownMember(UInt64)
        case notRunning(UInt64)
        case alreadyRunning(UInt64)
        case contradictoryPartition(UInt64)
        case removed(UInt64)
        // Membership changes, worded as etcd answers `etcdctl member …`.
        case noLeader
        case timedOut
        case memberNotFound
        case notLearner
        case learnerNotReady
        case tooManyLearners
        case notEnoughStartedMembers
        case tooManyMembers

        var description: String {
            switch self {
            case .removed(let id): "etcd member \(id) was removed from the cluster"
            case .noLeader: "etcdserver: no leader"
            case .timedOut: "etcdserver: request timed out"
            case .memberNotFound: "etcdserver: member not found"
            case .notLearner: "etcdserver: can only promote a learner member"
            case .learnerNotReady: "etcdserver: can only promote a learner member which is in sync with leader"
            case .tooManyLearners: "etcdserver: too many learner members in cluster"
            case .notEnoughStartedMembers: "etcdserver: re-configuration failed due to not enough started members"
            case .tooManyMembers: "an etcd cluster has at most 7 members"
            case .invalidMemberCount(let n): "an etcd cluster has 1 to 7 members, not \(n)"
            case .unknownMember(let id): "no etcd member with id \(id)"
            case .notRunning(let id): "etcd member \(id) is not running"
            case .alreadyRunning(let id): "etcd member \(id) is already running"
            case .contradictoryPartition(let id): "etcd member \(id) is in more than one group of the partition"
            }
        }
    }

    let simulation: Simulation
    /// Members in id order (ids 1…n).
    /// Members in id order (ids 1…n; a removed member keeps its place).
    var members: [EtcdMember] = []
    var componentIDs: [ComponentID] = []
    /// Members added later draw their randomness from this too.
    let seed: UInt64
    private(set) var events: [Event] = []
    /// Advice given at creation (an even member count tolerates no more failures than one less).
    private(set) var warnings: [String] = []
    private var lastLeader: UInt64 = 0
    private var hadQuorum = true

    init(simulation: Simulation, members count: Int, seed: UInt64, tickInterval: Duration = .millis(100)) throws(FaultError) {
        guard (1...7).contains(count) else { throw .invalidMemberCount(count) }
        self.simulation = simulation
        self.seed = seed
        if count % 2 == 0 {
            warnings.append("an even number of etcd members (\(count)) tolerates no more failures than \(count - 1); prefer 3, 5 or 7")
        }
        let ids = (1...UInt64(count)).map { $0 }
        for id in ids {
            let member: EtcdMember
            do {
                member = try EtcdMember(id: id, voters: ids, peers: [:], tickInterval: tickInterval,
                                        seed: seed &+ id &* 0x9E37_79B9_7F4A_7C15)
            } catch {
                throw .invalidMemberCount(count)
            }
            members.append(member)
            componentIDs.append(simulation.register(member))
        }
        let cache = ProposalCache()
        for member in members {
            for (i, id) in ids.enumerated() { member.connect(id, at: componentIDs[i]) }
            member.proposalCache = cache
            member.onSoftStateChange = { [unowned self] _, _ in self.observe() }
            member.onRemoved = { [unowned self] m in self.record("member \(m.id) removed") }
        }
    }

    func member(_ id: UInt64) throws(FaultError) -> EtcdMember {
        guard id >= 1, id <= UInt64(members.count) else { throw .unknownMember(id) }
        return members[Int(id - 1)]
    }

    func componentID(of id: UInt64) throws(FaultError) -> ComponentID {
        _ = try member(id)
        return componentIDs[Int(id - 1)]
    }

    /// The member every running member agrees leads, if any.
    var leader: UInt64? {
        let leads = Set(members.filter(\.isRunning).map { $0.status().leader })
        guard leads.count == 1, let lead = leads.first, lead != 0,
              members.first(where: { $0.id == lead })?.status().role == .leader else { return nil }
        return lead
    }

    /// Snapshot every `count` applied entries, keeping `catchUp` entries behind it (etcd's
    /// `--snapshot-count` and catch-up entries; small values exercise snapshot transfer).
    func configureSnapshots(every count: UInt64, catchUp: UInt64) {
        for m in members {
            m.snapshotCount = max(1, count)
            m.catchUpEntries = catchUp
        }
    }

    /// Every change any member applied, once per revision, in revision order — recorded only
    /// after `recordCommittedChanges()` (verification: no member keeps its whole history
    /// once it has installed a snapshot).
    private(set) var committedChanges: [StoreEvent] = []

    func noteCommitted(_ events: [StoreEvent]) {
        guard let revision = events.first?.revision, revision > (committedChanges.last?.revision ?? 0) else { return }
        committedChanges.append(contentsOf: events)
    }

    func recordCommittedChanges() {
        for member in members {
            member.onApply = { [unowned self] events in self.noteCommitted(events) }
        }
    }

    // MARK: Faults

    func crash(_ id: UInt64) throws(FaultError) {
        let m = try member(id)
        guard !m.isRemoved else { throw .removed(id) }
        guard m.isRunning else { throw .notRunning(id) }
        simulation.act(as: try componentID(of: id)) { ctx in m.crash(&ctx) }
        record("member \(id) down")
        observe()
    }

    func restart(_ id: UInt64) throws(FaultError) {
        let m = try member(id)
        guard !m.isRemoved else { throw .removed(id) }
        guard !m.isRunning else { throw .alreadyRunning(id) }
        simulation.act(as: try componentID(of: id)) { ctx in m.restart(&ctx) }
        record("member \(id) restarted")
        observe()
    }

    /// Cuts every link between `id` and the other members.
    func isolate(_ id: UInt64) throws(FaultError) {
        let c = try componentID(of: id)
        for other in componentIDs where other != c { simulation.network.cut(c, other) }
        record("member \(id) isolated")
    }

    /// Splits the members into groups that cannot reach each other; members named in no
    /// group form one more group.
    func partition(_ groups: [[UInt64]]) throws(FaultError) {
        var groupOf: [UInt64: Int] = [:]
        for (g, group) in groups.enumerated() {
            for id in group {
                _ = try member(id)
                if let prior = groupOf[id], prior != g { throw .contradictoryPartition(id) }
                groupOf[id] = g
            }
        }
        let ids = members.map(\.id)
        simulation.network.healAll()
        for a in ids {
            for b in ids where a < b && (groupOf[a] ?? -1) != (groupOf[b] ?? -1) {
                simulation.network.cut(componentIDs[Int(a - 1)], componentIDs[Int(b - 1)])
            }
        }
        let described = groups.map { "{" + $0.sorted().map(String.init).joined(separator: ",") + "}" }.joined(separator: " ")
        record("members partitioned: \(described)")
    }

    /// Restores every link between members.
    func heal() {
        for a in componentIDs {
            for b in componentIDs where a < b { simulation.network.heal(a, b) }
        }
        record("network healed")
    }

    /// Extra latency on the link between two members, both ways.
    func setLatency(_ latency: Duration, between a: UInt64, and b: UInt64) throws(FaultError) {
        simulation.network.setLatency(latency, between: try componentID(of: a), and: try componentID(of: b))
    }

    // MARK: Observation

    /// Per-member status, in id order (`etcdctl endpoint status --cluster`).
    func status() -> [EtcdMemberStatus] { members.filter { !$0.isRemoved }.map { $0.status() } }

    func record(_ message: String) {
        events.append(Event(time: simulation.now, message: message))
    }

    /// Notes leader changes and quorum transitions as members report role changes.
    func observe() {
        let lead = members.first { $0.isRunning && $0.status().role == .leader }?.id ?? 0
        if lead != lastLeader {
            if lead != 0 {
                record("member \(lead) elected leader at term \(members[Int(lead - 1)].status().term)")
            }
            lastLeader = lead
        }
        let voters = self.voters
        let running = voters.filter { members.indices.contains(Int($0) - 1) && members[Int($0) - 1].isRunning }.count
        let quorum = voters.count / 2 + 1
        let has = running >= quorum
        if has != hadQuorum {
            record(has ? "quorum regained (\(running)/\(voters.count) members running)"
                       : "quorum lost (\(running)/\(voters.count) members running)")
            hadQuorum = has
        }
    }
}
