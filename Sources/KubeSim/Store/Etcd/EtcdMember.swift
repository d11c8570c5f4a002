/// One etcd member: a Raft node, its durable storage, and the MVCC store it applies
/// committed entries to (etcd's `EtcdServer` reduced to what the simulation needs).
///
/// Clients send `EtcdRequest`s. A transaction becomes a proposal; the member that took it
/// answers once it has applied the entry, so a deposed leader's lost proposal is never
/// answered and the client's timeout decides. A range read is linearizable by ReadIndex:
/// the leader confirms its leadership with a heartbeat round, and the member answers from
/// its applied state once that has caught up with the read index.
///
/// A crash keeps what a real member keeps on disk (Raft's hard state, log and snapshot, and
/// the MVCC backend with the index it was applied to) and loses the rest: pending requests,
/// the Raft role, the leader it knew.
final class EtcdMember: Component {
    let id: UInt64
    /// Component ids of every member, by member id (itself included). At most seven: a
    /// scan finds one sooner than hashing the id did, for every message sent. (Unchecked
    /// exclusivity: see the state below.)
    @exclusivity(unchecked) private(set) var peers: [(id: UInt64, component: ComponentID)]
    private let config: RaftConfig
    /// Applied entries between snapshots (etcd's `--snapshot-count`, 100,000 by default), and
    /// entries kept behind a snapshot for slow followers (etcd's 5,000 catch-up entries).
    var snapshotCount: UInt64 = 100_000
    var catchUpEntries: UInt64 = 5_000
    private var snapshotIndex: UInt64 = 1
    private(set) var snapshotsTaken = 0
    private(set) var snapshotsInstalled = 0
    /// The simulation's tick: Raft's heartbeat (1 tick) and election timeout (10 ticks) are
    /// counted in these.
    let tickInterval: Duration
    /// One WAL append with its fsync (etcd's `wal_fsync_duration_seconds`; about a
    /// millisecond on an SSD). A Ready that persists entries or a hard state keeps the raft
    /// loop busy this long; a follower answers only once its WAL has them.
    var walSyncLatency: Duration = .millis(1)

    // The state below is used on every message, by the simulation's one thread, and no access
    // to it opens while another is open (the store's stamp and Raft's storage reach no member):
    // the runtime's exclusivity check on each access, which costs more than most of the work
    // here, is left out (`@exclusivity(unchecked)`).

    // Durable: survives `crash()`.
    let storage: RaftStorage
    /// Indexed for ranges only once this member serves one (`answerRange`).
    @exclusivity(unchecked) private(set) var kv = MVCCStore(indexingKeys: false)
    @exclusivity(unchecked) private(set) var appliedIndex: UInt64 = 0

    // Volatile (replaced on restart).
    @exclusivity(unchecked) private var node: RawNode
    @exclusivity(unchecked) private(set) var isRunning = true
    /// Bumped on every restart so that timers armed before a crash are ignored.
    private var incarnation = 0
    @exclusivity(unchecked) private var pendingWrites = ProposalWaiters()
    /// When each waiting proposal or read gives up, oldest first (etcd's request timeout: the
    /// client has stopped waiting by then, and a lost proposal must not be kept forever).
    @exclusivity(unchecked) private var expiries: [(deadline: VirtualTime, proposal: UInt64?, read: UInt64?)] = []
    private var expiriesHead = 0
    static let requestTimeout = Duration.seconds(7)
    /// Proposals and reads still waiting for an answer (for tests of the bound above).
    var waitingRequests: Int { pendingWrites.count + readContexts.count }
    @exclusivity(unchecked) private var nextProposal: UInt64 = 0
    @exclusivity(unchecked) private var pendingReads: [(index: UInt64, request: EtcdRequest, prefix: String)] = []
    @exclusivity(unchecked) private var readContexts: [UInt64: EtcdRequest] = [:]
    private var nextRead: UInt64 = 0
    /// A Ready is handled once per instant, after every message of that instant: proposals
    /// that arrive together leave in one MsgApp, as etcd's raft loop batches them.
    @exclusivity(unchecked) private var readyArmed = false
    /// The raft loop is writing its WAL until then: the next Ready waits, and collects
    /// everything that arrived meanwhile (how etcd batches under load).
    @exclusivity(unchecked) private var busyUntil = VirtualTime(nanos: 0)
    /// Open watches, in the order they were opened.
    @exclusivity(unchecked) private var watchers: [(client: ComponentID, requestID: UInt64, prefix: String, from: Int64)] = []
    private static let readyTimer = -1
    /// What happened, for the control-plane event stream (leader changes, restarts).
    @exclusivity(unchecked) private(set) var softState = SoftState()
    var onSoftStateChange: ((EtcdMember, SoftState) -> Void)?
    /// Told of every change this member applies (for verification: the committed history).
    @exclusivity(unchecked) var onApply: (([StoreEvent]) -> Void)?
    /// Decoded proposals shared with the other members of the cluster (nil: decode alone).
    @exclusivity(unchecked) var proposalCache: ProposalCache?
    /// Where proposals are encoded before being copied out at their size (`encoded(scratch:)`).
    /// It keeps the room the largest proposal so far needed (at most twice that, plus 4 KiB)
    /// for the member's life: one buffer, where sizing every proposal first cost a walk of it.
    private var encodingScratch: [UInt8] = []

    init(id: UInt64, voters: [UInt64], peers: [UInt64: ComponentID], tickInterval: Duration = .millis(100),
         seed: UInt64) throws(RaftConfigError)
    {
        self.id = id
        self.peers = peers.sorted { $0.key < $1.key }.map { (id: $0.key, component: $0.value) }
        self.tickInterval = tickInterval
        var config = RaftConfig(id: id)
        config.seed = seed
        self.config = config
        storage = RaftStorage()
        // Every member starts from the same initial configuration, as `etcd --initial-cluster`.
        // A member joining a running cluster (`--initial-cluster-state existing`) starts
        // empty: the leader sends it a snapshot and the log after it.
        if !voters.isEmpty {
            try? storage.applySnapshot(RaftSnapshot(index: 1, term: 1, confState: ConfState(voters: voters)))
            appliedIndex = 1
        }
        var restored = config
        restored.applied = appliedIndex
        node = try RawNode(config: restored, storage: storage)
    }

    /// Set once a committed configuration change removed this member: it has stopped for
    /// good, as etcd exits with "the member has been permanently removed from the cluster".
    private(set) var isRemoved = false
    /// Told when this member applies a change that removes it.
    var onRemoved: ((EtcdMember) -> Void)?

    /// The configuration this member has applied (voters and learners).
    var membership: ConfState { node.status().config }

    /// The leader's view of how far each member's log matches its own (empty elsewhere).
    var matchIndexes: [UInt64: UInt64] {
        var out: [UInt64: UInt64] = [:]
        for (id, progress) in node.status().progress { out[id] = progress.match }
        return out
    }

    /// Proposes a membership change (etcd's MemberAdd, MemberPromote, MemberRemove). False
    /// when this member cannot take proposals (it knows no leader).
    func proposeConfChange(_ change: RaftConfChange, _ ctx: inout Context) -> Bool {
        guard isRunning, case .success = node.proposeConfChange(change) else { return false }
        armReady(&ctx)
        return true
    }

    /// Where the member stamps values it writes (the API server's resourceVersion).
    func setStamp(_ stamp: @escaping (inout JSON, Int64) -> Void) { kv.stamp = stamp }
    var stamp: (inout JSON, Int64) -> Void { kv.stamp }

    /// Removed while it could not hear of it (down or cut off): it never starts again.
    func markRemoved() { isRemoved = true }

    func connect(_ member: UInt64, at component: ComponentID) {
        if let i = peers.firstIndex(where: { $0.id == member }) {
            peers[i].component = component
        } else {
            peers.append((id: member, component: component))
        }
    }

    private func peer(_ member: UInt64) -> ComponentID? {
        for p in peers where p.id == member { return p.component }
        return nil
    }

    // MARK: Faults

    /// Stops the member's process: durable state stays, the rest is gone. Its host resets the
    /// open watch streams, so their clients learn at once and go elsewhere.
    func crash(_ ctx: inout Context) {
        guard isRunning else { return }
        for w in watchers {
            let reset = EtcdResponse(id: w.requestID, member: id, result: .failure(.unavailable))
            ctx.deliver(.store(.response(reset)), to: w.client)
        }
        isRunning = false
        pendingWrites.removeAll()
        expiries.removeAll()
        expiriesHead = 0
        pendingReads.removeAll()
        readContexts.removeAll()
        watchers.removeAll()  // the streams break with the process
        readyArmed = false
        softState = SoftState()
    }

    /// A committed change removed this member: it stops serving and never comes back.
    private func removedFromCluster(_ ctx: inout Context) {
        crash(&ctx)
        isRemoved = true
        onRemoved?(self)
    }

    /// Starts a crashed member again over its durable state.
    func restart(_ ctx: inout Context) {
        guard !isRunning, !isRemoved else { return }
        // Raft hands out everything after the snapshot again, as etcd's restartNode does: the
        // membership changes in it must be re-applied; the MVCC store skips what it has.
        var restored = config
        restored.applied = storage.snapshot.index
        restored.seed = config.seed &+ UInt64(incarnation + 1)
        guard let n = try? RawNode(config: restored, storage: storage) else { return }
        node = n
        isRunning = true
        busyUntil = ctx.now
        incarnation += 1
        ctx.after(tickInterval, timer: incarnation)
    }

    // MARK: Component

    func handle(_ message: consuming Message, _ ctx: inout Context) {
        guard isRunning else {
            // The process is down but its host is up: a client's connection is refused.
            if case .store(.request(let request)) = message { answer(request, .failure(.unavailable), &ctx) }
            return
        }
        switch message {
        case .start:
            ctx.after(tickInterval, timer: incarnation)
        case .timer(Self.readyTimer):
            readyArmed = false
            processReady(&ctx)
            return
        case .timer(let tag):
            guard tag == incarnation else { return }
            forgetExpired(ctx.now)
            node.tick()
            ctx.after(tickInterval, timer: incarnation)
        case .store(.raft(let m)):
            _ = node.step(m)
        case .store(.request(let request)):
            serve(request, &ctx)
            // Requests of one instant leave in one Ready.
            armReady(&ctx)
            return
        case .store(.response), .request, .response, .watch:
            return
        }
        processReady(&ctx)
    }

    func campaign(_ ctx: inout Context) {
        guard isRunning else { return }
        node.campaign()
        processReady(&ctx)
    }

    func transferLeadership(to member: UInt64, _ ctx: inout Context) {
        guard isRunning else { return }
        _ = node.transferLeader(to: member)
        processReady(&ctx)
    }

    private func serve(_ request: EtcdRequest, _ ctx: inout Context) {
        switch request.operation {
        case .txn(let txn):
            nextProposal &+= 1
            let proposal = EtcdProposal(member: id, requestID: nextProposal, txn: txn)
            if case .failure = node.propose(proposal.encoded(scratch: &encodingScratch)) {
                answer(request, .failure(.noLeader), &ctx)
                return
            }
            // A leader appended the entry at once: the members apply the proposal as it was
            // made instead of decoding its bytes (a follower forwards it, and decodes).
            if let cache = proposalCache, let at = node.leaderLastEntry {
                cache.insert(proposal, index: at.index, term: at.term)
            }
            pendingWrites.add(nextProposal, (request.client, request.id))
            expiries.append((ctx.now + Self.requestTimeout, nextProposal, nil))
        case .watch(let prefix, let start):
            openWatch(request, prefix: prefix, from: start, &ctx)
        case .cancelWatch(let watchID):
            watchers.removeAll { $0.client == request.client && $0.requestID == watchID }
        case .compact(let revision):
            nextProposal &+= 1
            let proposal = EtcdProposal(member: id, requestID: nextProposal, txn: Txn(), compactRevision: revision)
            if case .failure = node.propose(proposal.encoded(scratch: &encodingScratch)) {
                answer(request, .failure(.noLeader), &ctx)
                return
            }
            pendingWrites.add(nextProposal, (request.client, request.id))
            expiries.append((ctx.now + Self.requestTimeout, nextProposal, nil))
        case .range(let prefix, let serializable):
            if serializable {
                answerRange(request, prefix: prefix, &ctx)
                return
            }
            nextRead &+= 1
            // The leader keys pending reads by context, so it must be unique cluster-wide.
            var w = ByteWriter()
            w.u64(id)
            w.u64(nextRead)
            readContexts[nextRead] = request
            expiries.append((ctx.now + Self.requestTimeout, nil, nextRead))
            if case .failure = node.readIndex(w.bytes) {
                readContexts[nextRead] = nil
                answer(request, .failure(.noLeader), &ctx)
            }
        }
    }

    /// Persists, sends, applies — the order etcd's raft loop follows for a follower (the
    /// leader may send first; here both happen within one instant).
    private func processReady(_ ctx: inout Context) {
        while isRunning, node.hasReady {
            guard ctx.now >= busyUntil else {
                armReady(&ctx)
                return
            }
            let rd = node.ready()
            let persists = rd.hardState != nil || !rd.entries.isEmpty || rd.snapshot.map { !$0.isEmpty } == true
            let leads = (rd.softState ?? softState).raftState == .leader
            // A leader replicates while it writes its own WAL; anyone else speaks after.
            let sendDelay = persists && !leads ? walSyncLatency : .zero
            if let snap = rd.snapshot, !snap.isEmpty {
                // A leader sent us its state: install it in place of everything we applied.
                // The state may be newer than the snapshot's index (etcd sends its backend as
                // it is when the message leaves); the entries in between are then skipped as
                // applied, as etcd's consistent index skips them.
                if let state = MVCCStore.decodeSnapshot(snap.data), state.appliedIndex >= snap.index,
                   (try? storage.applySnapshot(snap)) != nil
                {
                    kv.replaceState(revision: state.revision, with: state.kvs)
                    appliedIndex = state.appliedIndex
                    snapshotIndex = snap.index
                    snapshotsInstalled += 1
                    // The changes the snapshot skipped cannot be replayed: watches start over.
                    for w in watchers {
                        let gone = EtcdResponse(id: w.requestID, member: id, result: .failure(.compacted(kv.compactedRevision)))
                        ctx.deliver(.store(.response(gone)), to: w.client)
                    }
                    watchers.removeAll()
                }
            }
            if let hs = rd.hardState { storage.setHardState(hs) }
            if !rd.entries.isEmpty { storage.append(rd.entries) }
            var snapshotsSent: [UInt64] = []
            for i in rd.messages.indices {
                // Sent as they lie: only a snapshot changes before it leaves (copying every
                // message out of the Ready first was a second copy of each).
                guard rd.messages[i].type == .snap else {
                    if let target = peer(rd.messages[i].to) {
                        ctx.deliver(.store(.raft(rd.messages[i])), to: target, after: sendDelay)
                    }
                    continue
                }
                // etcd's merged snapshot: the backend as it is now, described by the index,
                // term and configuration it was applied to (so a member added since Raft's
                // own snapshot finds itself in it).
                var m = rd.messages[i]
                m.snapshot?.data = kv.snapshotData(appliedIndex: appliedIndex)
                if let term = try? storage.term(appliedIndex) {
                    m.snapshot?.index = appliedIndex
                    m.snapshot?.term = term
                    m.snapshot?.confState = node.status().config
                }
                snapshotsSent.append(m.to)
                if let target = peer(m.to) { ctx.deliver(.store(.raft(m)), to: target, after: sendDelay) }
            }
            if let soft = rd.softState {
                softState = soft
                onSoftStateChange?(self, soft)
            }
            for entry in rd.committedEntries { apply(entry, &ctx) }
            for rs in rd.readStates {
                var r = ByteReader(rs.requestCtx)
                if r.u64() == id, let key = r.u64(), let request = readContexts.removeValue(forKey: key),
                   case .range(let prefix, _) = request.operation
                {
                    pendingReads.append((rs.index, request, prefix))
                }
            }
            node.advance(rd)
            // The transport has taken the snapshot (a lost one is noticed by probing later).
            for to in snapshotsSent { node.reportSnapshot(to, failed: false) }
            maybeSnapshot()
            releaseReads(&ctx)
            if persists { busyUntil = ctx.now + walSyncLatency }
        }
    }

    /// Drops proposals and reads whose clients gave up waiting (checked every tick).
    private func forgetExpired(_ now: VirtualTime) {
        while expiriesHead < expiries.count, expiries[expiriesHead].deadline <= now {
            let e = expiries[expiriesHead]
            if let p = e.proposal { _ = pendingWrites.remove(p) }
            if let r = e.read { readContexts[r] = nil }
            expiriesHead += 1
        }
        if expiriesHead > 1024, expiriesHead * 2 > expiries.count {
            expiries.removeFirst(expiriesHead)
            expiriesHead = 0
        }
    }

    /// Handles the next Ready when the raft loop is free: at the end of this instant, or
    /// when the WAL write in progress is done.
    private func armReady(_ ctx: inout Context) {
        guard !readyArmed else { return }
        readyArmed = true
        ctx.after(busyUntil > ctx.now ? busyUntil - ctx.now : .zero, timer: Self.readyTimer)
    }

    private func apply(_ entry: RaftEntry, _ ctx: inout Context) {
        defer { appliedIndex = max(appliedIndex, entry.index) }
        switch entry.type {
        case .confChange:
            // Always: Raft's view of the membership is volatile and rebuilt from these.
            if let cc = RaftConfChange(decoding: entry.data) {
                let conf = node.applyConfChange(cc)
                if cc.type == .removeNode, cc.nodeID == id, !conf.contains(id) { removedFromCluster(&ctx) }
            }
        case .normal:
            // The MVCC store is durable: entries it already holds are not applied twice
            // (etcd's consistent index).
            guard entry.index > appliedIndex else { return }
            // The empty entry a new leader appends carries nothing to apply.
            guard !entry.data.isEmpty,
                  let decoded = proposalCache?.proposal(for: entry) ?? ProposalCache.Decoded(entry)
            else { return }
            apply(decoded, &ctx)
        }
    }

    /// Applies one decoded proposal to the MVCC store; the member that took the request answers.
    private func apply(_ decoded: ProposalCache.Decoded, _ ctx: inout Context) {
        let proposal = (member: decoded.proposal.member, requestID: decoded.proposal.requestID,
                        compactRevision: decoded.proposal.compactRevision)
        if let revision = proposal.compactRevision {
            kv.compact(revision)
            if proposal.member == id, let waiter = pendingWrites.remove(proposal.requestID) {
                let done = TxnResult(succeeded: true, revision: kv.revision, results: [], events: [])
                let response = EtcdResponse(id: waiter.requestID, member: id, result: .success(.txn(done)))
                ctx.deliver(.store(.response(response)), to: waiter.client)
            }
            return
        }
        // Only the member that took the request answers it; the others need the changes
        // only for their open watches and the verification hook.
        let waiter = proposal.member == id ? pendingWrites.remove(proposal.requestID) : nil
        let result = kv.txn(&decoded.proposal.txn, collectResults: waiter != nil,
                            collectEvents: waiter != nil || !watchers.isEmpty || onApply != nil, keepStamped: true)
        if !result.events.isEmpty {
            notifyWatchers(result.events, &ctx)
            onApply?(result.events)
        }
        if let waiter {
            let response = EtcdResponse(id: waiter.requestID, member: id, result: .success(.txn(result)))
            ctx.deliver(.store(.response(response)), to: waiter.client)
        }
    }

    /// Every `snapshotCount` applied entries: snapshot and drop the log behind it but for
    /// `catchUpEntries` (etcd's `triggerSnapshot` and `compact`). As in etcd the snapshot
    /// itself holds no keys (the MVCC store is durable on its own); a member that needs one
    /// gets the store as it is when the snapshot is sent.
    private func maybeSnapshot() {
        guard appliedIndex >= snapshotIndex &+ snapshotCount else { return }
        let conf = node.status().config
        guard (try? storage.createSnapshot(at: appliedIndex, confState: conf, data: [])) != nil else { return }
        snapshotIndex = appliedIndex
        snapshotsTaken += 1
        if appliedIndex > catchUpEntries { try? storage.compact(appliedIndex - catchUpEntries) }
    }

    /// Sends the history a watch asks for (what this member has applied), then keeps it open.
    private func openWatch(_ request: EtcdRequest, prefix: String, from start: Int64, _ ctx: inout Context) {
        let start = max(start, 1)
        switch kv.events(after: start - 1, prefix: prefix) {
        case .success(let history):
            if !history.isEmpty { answer(request, .success(.watchEvents(history)), &ctx) }
        case .failure(.compacted(_, let compacted)):
            answer(request, .failure(.compacted(compacted)), &ctx)
            return
        case .failure(.futureRevision):
            break  // nothing applied there yet: the changes come as they are applied
        }
        watchers.append((request.client, request.id, prefix, max(start, kv.revision + 1)))
    }

    /// One revision's changes, to every watch whose prefix they touch (atomic per revision).
    private func notifyWatchers(_ events: [StoreEvent], _ ctx: inout Context) {
        for w in watchers {
            let mine = events.filter { $0.revision >= w.from && $0.kv.key.utf8HasPrefix(w.prefix) }
            guard !mine.isEmpty else { continue }
            let response = EtcdResponse(id: w.requestID, member: id, result: .success(.watchEvents(mine)))
            ctx.deliver(.store(.response(response)), to: w.client)
        }
    }

    private func releaseReads(_ ctx: inout Context) {
        guard !pendingReads.isEmpty else { return }
        var waiting: [(index: UInt64, request: EtcdRequest, prefix: String)] = []
        for read in pendingReads {
            if read.index <= appliedIndex { answerRange(read.request, prefix: read.prefix, &ctx) } else { waiting.append(read) }
        }
        pendingReads = waiting
    }

    private func answerRange(_ request: EtcdRequest, prefix: String, _ ctx: inout Context) {
        kv.indexKeys()
        switch kv.range(prefix: prefix, revision: nil) {
        case .success(let kvs): answer(request, .success(.range(kvs, revision: kv.revision)), &ctx)
        case .failure: answer(request, .failure(.noLeader), &ctx)
        }
    }

    private func answer(_ request: EtcdRequest, _ result: Result<EtcdResponse.Value, EtcdError>, _ ctx: inout Context) {
        ctx.deliver(.store(.response(EtcdResponse(id: request.id, member: id, result: result))), to: request.client)
    }

    // MARK: Status

    /// `etcdctl endpoint status`: id, leader, term, raft index, applied index, db size.
    func status() -> EtcdMemberStatus {
        let hs = storage.hardState
        return EtcdMemberStatus(
            id: id, isRunning: isRunning, leader: isRunning ? softState.lead : 0, role: isRunning ? softState.raftState : nil,
            term: hs.term, raftIndex: storage.lastIndex, appliedIndex: appliedIndex,
            revision: kv.revision, keys: kv.keyCount)
    }
}

/// One member's line of `etcdctl endpoint status`.
struct EtcdMemberStatus: Equatable {
    var id: UInt64
    var isRunning: Bool
    var leader: UInt64
    var role: RaftStateType?
    var term: UInt64
    var raftIndex: UInt64
    var appliedIndex: UInt64
    var revision: Int64
    var keys: Int
}
