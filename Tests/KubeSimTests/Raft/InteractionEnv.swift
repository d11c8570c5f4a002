import XCTest
@testable import KubeSim

/// Collects everything an interaction prints: command output and the members' log lines, with
/// the indentation of the block being printed (etcd-io/raft `rafttest` `RedirectLogger`).
final class InteractionOutput: RaftLogSink {
    /// nil means "none": nothing is logged.
    var level: RaftLogLevel? = .info
    private(set) var text = ""
    var indent = ""

    var minimumLevel: RaftLogLevel { level ?? .error }

    func log(_ level: RaftLogLevel, _ line: String) {
        guard let min = self.level, level >= min else { return }
        write("\(level) \(line)")
    }

    /// Command output; like etcd's harness, `log-level none` silences it too (for setup).
    func write(_ s: String) {
        guard level != nil else { return }
        for line in s.split(separator: "\n", omittingEmptySubsequences: false) {
            text += indent + line + "\n"
        }
    }

    /// Errors are printed whatever the level.
    func forceWrite(_ s: String) {
        text += indent + s + "\n"
    }

    func take() -> String {
        defer { text = "" }
        return text
    }

    func withIndent(_ body: () -> Void) {
        let old = indent
        indent += "  "
        body()
        indent = old
    }
}

/// A cluster of `RawNode`s driven by text commands, in the style of etcd-io/raft's
/// `rafttest.InteractionEnv`: the environment owns the network (messages in flight), the
/// storages (which survive `crash`) and every decision about delivery.
///
/// Member ids are 1...n, in the order `add-nodes` created them.
final class InteractionEnv {
    struct Node {
        var rawNode: RawNode?
        let storage: RaftStorage
        var config: RaftConfig
    }

    var nodes: [Node] = []
    /// Messages sent and not yet delivered, in send order.
    var messages: [RaftMessage] = []
    /// Links that drop every message (both directions are listed separately), as (from, to).
    var cut: [(UInt64, UInt64)] = []
    let output = InteractionOutput()
    /// Every message handed to a member, in delivery order (for assertions in XCTests).
    var delivered: [RaftMessage] = []
    /// Called for every entry a member applies, with the member's id (for safety checkers).
    var onApply: ((UInt64, RaftEntry) -> Void)?

    // MARK: command dispatch

    struct Command {
        var name: String
        var positional: [String] = []
        var options: [String: String] = [:]
        /// 1-based line of the command in its file.
        var line: Int
    }

    /// Runs one command and returns what it printed ("ok" when nothing).
    func handle(_ cmd: Command) -> String {
        do {
            try dispatch(cmd)
        } catch let error as HarnessError {
            output.forceWrite("error: \(error.text)")
        } catch {
            output.forceWrite("error: \(error)")
        }
        let text = output.take()
        let trimmed = text.hasSuffix("\n") ? String(text.dropLast()) : text
        return trimmed.isEmpty ? "ok" : trimmed
    }

    struct HarnessError: Error { var text: String }

    private func dispatch(_ cmd: Command) throws {
        switch cmd.name {
        case "log-level":
            try setLogLevel(cmd.positional.first ?? "info")
        case "add-nodes":
            try addNodes(cmd)
        case "campaign":
            for id in try ids(cmd) { try withNode(id) { $0.campaign() } }
        case "propose":
            let id = try firstID(cmd)
            let data = Array((cmd.positional.dropFirst().first ?? "").utf8)
            try withNode(id) { rn in
                if case .failure = rn.propose(data) { self.output.write("raft proposal dropped") }
            }
        case "propose-conf-change":
            let id = try firstID(cmd)
            guard let spec = cmd.positional.dropFirst().first, let cc = parseConfChange(spec) else {
                throw HarnessError(text: "propose-conf-change needs v<id>, l<id> or r<id>")
            }
            try withNode(id) { rn in
                if case .failure = rn.proposeConfChange(cc) { self.output.write("raft proposal dropped") }
            }
        case "process-ready":
            let targets = try ids(cmd)
            for id in targets {
                if targets.count > 1 { output.write("> \(id) handling Ready") }
                if targets.count > 1 {
                    output.withIndent { self.processReady(id) }
                } else {
                    processReady(id)
                }
            }
        case "deliver-msgs":
            let drop = try parseIDList(cmd.options["drop"])
            let type = cmd.options["type"]
            for id in try ids(cmd) { deliverMsgs(to: id, type: type, drop: drop) }
        case "drop-msgs":
            dropMsgs(from: try cmd.options["from"].map(parseID), to: try cmd.options["to"].map(parseID),
                     type: cmd.options["type"])
        case "stabilize":
            stabilize(try cmd.positional.map(parseID))
        case "tick":
            let id = try firstID(cmd)
            let n = Int(cmd.positional.dropFirst().first ?? "1") ?? 1
            try tick(id, n)
        case "tick-election":
            for id in try ids(cmd) { try tick(id, nodeConfig(id).electionTick) }
        case "tick-heartbeat":
            for id in try ids(cmd) { try tick(id, nodeConfig(id).heartbeatTick) }
        case "set-randomized-election-timeout":
            let id = try firstID(cmd)
            guard let t = cmd.options["timeout"].flatMap({ Int($0) }) else { throw HarnessError(text: "timeout=N required") }
            try withNode(id) { $0._setRandomizedElectionTimeout(t) }
        case "isolate":
            for id in try ids(cmd) {
                for other in 1...UInt64(nodes.count) where other != id {
                    cut.append((id, other))
                    cut.append((other, id))
                }
            }
        case "partition":
            try partition(cmd.positional)
        case "heal":
            cut = []
        case "crash":
            for id in try ids(cmd) { try crash(id) }
        case "restart":
            for id in try ids(cmd) { try restart(id) }
        case "read-index":
            let id = try firstID(cmd)
            let ctx = Array((cmd.positional.dropFirst().first ?? "").utf8)
            try withNode(id) { $0.readIndex(ctx) }
        case "transfer-leadership":
            guard let from = try cmd.options["from"].map(parseID), let to = try cmd.options["to"].map(parseID) else {
                throw HarnessError(text: "from= and to= required")
            }
            try withNode(from) { $0.transferLeader(to: to) }
        case "compact":
            let id = try firstID(cmd)
            guard let index = cmd.positional.dropFirst().first.flatMap({ UInt64($0) }) else {
                throw HarnessError(text: "compact <id> <index>")
            }
            try compact(id, index)
        case "report-unreachable":
            let id = try firstID(cmd)
            guard let peer = try cmd.positional.dropFirst().first.map(parseID) else { throw HarnessError(text: "peer required") }
            try withNode(id) { $0.reportUnreachable(peer) }
        case "raft-state":
            raftState()
        case "raft-log":
            for id in try ids(cmd) { raftLog(id) }
        case "status":
            for id in try ids(cmd) { try status(id) }
        default:
            throw HarnessError(text: "unknown command \(cmd.name)")
        }
    }

    // MARK: parsing helpers

    func parseID(_ s: String) throws -> UInt64 {
        guard let id = UInt64(s), id >= 1, id <= UInt64(nodes.count) else {
            throw HarnessError(text: "unknown node \(s)")
        }
        return id
    }

    private func ids(_ cmd: Command) throws -> [UInt64] {
        let list = try cmd.positional.map(parseID)
        guard !list.isEmpty else { throw HarnessError(text: "\(cmd.name) needs a node id") }
        return list
    }

    private func firstID(_ cmd: Command) throws -> UInt64 {
        guard let first = cmd.positional.first else { throw HarnessError(text: "\(cmd.name) needs a node id") }
        return try parseID(first)
    }

    /// "(1,2,3)" or "1,2,3" → [1, 2, 3]; numbers need not name existing nodes.
    func parseIDList(_ s: String?) throws -> [UInt64] {
        guard let s else { return [] }
        let inner = s.trimmingCharacters(in: CharacterSet(charactersIn: "()"))
        if inner.isEmpty { return [] }
        return try inner.split(separator: ",").map {
            guard let v = UInt64($0.trimmingCharacters(in: .whitespaces)) else { throw HarnessError(text: "bad id list \(s)") }
            return v
        }
    }

    private func parseConfChange(_ s: String) -> RaftConfChange? {
        guard let kind = s.first, let id = UInt64(s.dropFirst()) else { return nil }
        switch kind {
        case "v": return RaftConfChange(type: .addNode, nodeID: id)
        case "l": return RaftConfChange(type: .addLearnerNode, nodeID: id)
        case "r": return RaftConfChange(type: .removeNode, nodeID: id)
        default: return nil
        }
    }

    private func setLogLevel(_ s: String) throws {
        switch s {
        case "none": output.level = nil
        case "debug": output.level = .debug
        case "info": output.level = .info
        case "warn": output.level = .warn
        case "error": output.level = .error
        default: throw HarnessError(text: "unknown log level \(s)")
        }
    }

    private func nodeConfig(_ id: UInt64) -> RaftConfig { nodes[Int(id - 1)].config }

    private func withNode(_ id: UInt64, _ body: (inout RawNode) -> Void) throws {
        let k = Int(id - 1)
        guard var rn = nodes[k].rawNode else { throw HarnessError(text: "node \(id) is crashed") }
        nodes[k].rawNode = nil  // keep the value unique while it is mutated
        body(&rn)
        nodes[k].rawNode = rn
    }

    // MARK: commands

    private func addNodes(_ cmd: Command) throws {
        guard let n = cmd.positional.first.flatMap({ Int($0) }), n > 0 else { throw HarnessError(text: "add-nodes N") }
        let voters = try parseIDList(cmd.options["voters"])
        let learners = try parseIDList(cmd.options["learners"])
        let index = UInt64(cmd.options["index"] ?? "0") ?? 0
        for _ in 0..<n {
            let id = UInt64(nodes.count + 1)
            var cfg = RaftConfig(id: id)
            // etcd's interaction tests use short timeouts to keep transcripts small.
            cfg.electionTick = Int(cmd.options["election-tick"] ?? "3") ?? 3
            cfg.heartbeatTick = Int(cmd.options["heartbeat-tick"] ?? "1") ?? 1
            cfg.preVote = cmd.options["prevote"] == "true"
            cfg.checkQuorum = cmd.options["checkquorum"] == "true"
            if let s = cmd.options["max-size-per-msg"], let v = UInt64(s) { cfg.maxSizePerMsg = v }
            if let s = cmd.options["max-inflight"], let v = Int(s) { cfg.maxInflightMsgs = v }
            cfg.seed = UInt64(cmd.options["seed"] ?? "1") ?? 1
            let storage = RaftStorage()
            if index > 0 {
                // The members start from a snapshot at `index` (term 1) naming the configuration.
                try? storage.applySnapshot(RaftSnapshot(index: index, term: 1,
                                                        confState: ConfState(voters: voters, learners: learners)))
            }
            nodes.append(Node(rawNode: nil, storage: storage, config: cfg))
            try startNode(id)
        }
    }

    private func startNode(_ id: UInt64) throws {
        let k = Int(id - 1)
        do {
            nodes[k].rawNode = try RawNode(config: nodes[k].config, storage: nodes[k].storage, logger: output)
        } catch {
            throw HarnessError(text: error.description)
        }
    }

    /// Performs a Ready as an embedding must: persist, send, apply, advance.
    func processReady(_ id: UInt64) {
        let k = Int(id - 1)
        guard var rn = nodes[k].rawNode else { return }
        nodes[k].rawNode = nil
        let rd = rn.ready()
        output.write(RaftDescribe.ready(rd))
        let storage = nodes[k].storage
        if let snap = rd.snapshot { try? storage.applySnapshot(snap) }
        storage.append(rd.entries)
        if let hs = rd.hardState { storage.setHardState(hs) }
        if let onApply { for e in rd.committedEntries { onApply(id, e) } }
        for e in rd.committedEntries where e.type == .confChange {
            guard let cc = RaftConfChange(decoding: e.data) else { continue }
            let cs = rn.applyConfChange(cc)
            // Like etcd's server, record the new configuration in a snapshot at the applied
            // index, so that a member added later can be brought up by MsgSnap.
            _ = try? storage.createSnapshot(at: e.index, confState: cs, data: [])
        }
        rn.advance(rd)
        nodes[k].rawNode = rn
        // Sent last, with the member back in place, so a lost snapshot can be reported to it.
        for m in rd.messages { enqueue(m) }
    }

    private func isCut(_ from: UInt64, _ to: UInt64) -> Bool {
        cut.contains { $0.0 == from && $0.1 == to }
    }

    private func isUp(_ id: UInt64) -> Bool {
        id >= 1 && id <= UInt64(nodes.count) && nodes[Int(id - 1)].rawNode != nil
    }

    /// A message on a cut link, or to a crashed or unknown member, is lost.
    private func enqueue(_ m: RaftMessage) {
        guard isUp(m.to), !isCut(m.from, m.to) else {
            lose(m)
            return
        }
        messages.append(m)
    }

    /// The transport tells the sender of a lost snapshot, as etcd's embedding must
    /// (`ReportSnapshot(SnapshotFailure)`); otherwise the leader waits for it forever.
    func lose(_ m: RaftMessage) {
        guard m.type == .snap, isUp(m.from) else { return }
        try? withNode(m.from) { $0.reportSnapshot(m.to, failed: true) }
    }

    func deliverMsgs(to id: UInt64, type: String?, drop: [UInt64] = []) {
        var mine: [RaftMessage] = []
        var rest: [RaftMessage] = []
        for m in messages {
            if m.to == id && (type == nil || m.type.description == type) { mine.append(m) } else { rest.append(m) }
        }
        messages = rest
        for m in mine {
            if drop.contains(m.from) {
                output.write("dropped: \(RaftDescribe.message(m))")
                lose(m)
                continue
            }
            output.write(RaftDescribe.message(m))
            guard isUp(id) else { continue }
            delivered.append(m)
            try? withNode(id) { rn in
                switch rn.step(m) {
                case .success: break
                case .failure(.proposalDropped): self.output.write("raft proposal dropped")
                case .failure(.invalidMessage): self.output.write("raft: invalid message")
                }
            }
            if m.type == .snap && isUp(m.from) {
                // The transport finished sending the snapshot (etcd `ReportSnapshot(SnapshotFinish)`).
                try? withNode(m.from) { $0.reportSnapshot(m.to, failed: false) }
            }
        }
    }

    private func dropMsgs(from: UInt64?, to: UInt64?, type: String?) {
        var rest: [RaftMessage] = []
        var lost: [RaftMessage] = []
        for m in messages {
            let hit = (from == nil || m.from == from) && (to == nil || m.to == to)
                && (type == nil || m.type.description == type)
            if hit {
                output.write("dropped: \(RaftDescribe.message(m))")
                lost.append(m)
            } else {
                rest.append(m)
            }
        }
        messages = rest
        for m in lost { lose(m) }
    }

    /// Processes Readies and delivers messages until nothing changes (etcd `Stabilize`).
    func stabilize(_ only: [UInt64]) {
        let targets = only.isEmpty ? Array(1...UInt64(nodes.count)) : only
        var rounds = 0
        while rounds < 10_000 {
            rounds += 1
            var done = true
            for id in targets where isUp(id) && (nodes[Int(id - 1)].rawNode?.hasReady ?? false) {
                output.write("> \(id) handling Ready")
                output.withIndent { self.processReady(id) }
                done = false
            }
            for id in targets where messages.contains(where: { $0.to == id }) {
                output.write("> \(id) receiving messages")
                output.withIndent { self.deliverMsgs(to: id, type: nil) }
                done = false
            }
            if done { return }
        }
        output.write("error: stabilize did not converge")
    }

    private func tick(_ id: UInt64, _ n: Int) throws {
        for _ in 0..<max(0, n) { try withNode(id) { $0.tick() } }
    }

    /// `partition 1 2 | 3`: cut every link between the groups.
    private func partition(_ args: [String]) throws {
        var groups: [[UInt64]] = [[]]
        for a in args {
            if a == "|" { groups.append([]) } else { groups[groups.count - 1].append(try parseID(a)) }
        }
        for (g, group) in groups.enumerated() {
            for (h, other) in groups.enumerated() where g != h {
                for a in group { for b in other { cut.append((a, b)) } }
            }
        }
    }

    private func crash(_ id: UInt64) throws {
        let k = Int(id - 1)
        guard nodes[k].rawNode != nil else { throw HarnessError(text: "node \(id) is already crashed") }
        // Volatile state is gone; the storage object (the disk) stays. Messages to it are lost.
        nodes[k].rawNode = nil
        let lost = messages.filter { $0.to == id }
        messages.removeAll { $0.to == id }
        for m in lost { lose(m) }
    }

    private func restart(_ id: UInt64) throws {
        let k = Int(id - 1)
        guard nodes[k].rawNode == nil else { throw HarnessError(text: "node \(id) is running") }
        try startNode(id)
    }

    /// Snapshots node `id`'s applied state at `index` and compacts its log through it.
    private func compact(_ id: UInt64, _ index: UInt64) throws {
        let k = Int(id - 1)
        guard let rn = nodes[k].rawNode else { throw HarnessError(text: "node \(id) is crashed") }
        let storage = nodes[k].storage
        guard index <= rn.status().applied else { throw HarnessError(text: "index \(index) is not applied") }
        do {
            try storage.createSnapshot(at: index, confState: rn.status().config, data: [])
            try storage.compact(index)
        } catch {
            throw HarnessError(text: "\(error)")
        }
        raftLog(id)
    }

    private func raftState() {
        for (k, node) in nodes.enumerated() {
            guard let rn = node.rawNode else {
                output.write("\(k + 1): crashed")
                continue
            }
            let st = rn.status()
            let role = st.config.voters.contains(st.id) ? "Voter" : (st.config.learners.contains(st.id) ? "Learner" : "Non-Voter")
            output.write("\(st.id): \(st.softState.raftState) (\(role)) Term:\(st.hardState.term) Lead:\(st.softState.lead)")
        }
    }

    private func raftLog(_ id: UInt64) {
        let storage = nodes[Int(id - 1)].storage
        let first = storage.firstIndex, last = storage.lastIndex
        guard last >= first, let ents = try? storage.entries(first, last + 1, maxSize: .max) else {
            output.write("log is empty: first index=\(first), last index=\(last)")
            return
        }
        for e in ents { output.write(RaftDescribe.entry(e)) }
    }

    private func status(_ id: UInt64) throws {
        guard let rn = nodes[Int(id - 1)].rawNode else { throw HarnessError(text: "node \(id) is crashed") }
        let st = rn.status()
        output.write("\(st.id): \(st.softState.raftState) \(RaftDescribe.hardState(st.hardState)) Applied:\(st.applied) LastIndex:\(st.lastIndex) Lead:\(st.softState.lead) ElectionTimeout:\(st.randomizedElectionTimeout) \(st.config)")
        for (pid, pr) in st.progress { output.write("\(pid): \(pr)") }
    }
}
