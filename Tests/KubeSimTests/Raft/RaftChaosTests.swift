import Foundation
import XCTest
@testable import KubeSim

/// Seeded chaos over five members: random ticks, proposals, message loss, partitions, crashes
/// and compactions, checking Raft's safety properties after every step (Raft paper Figure 3:
/// Election Safety, State Machine Safety) and liveness once everything heals.
final class RaftChaosTests: XCTestCase {
    /// 20 seeds by default; `KUBESIM_RAFT_CHAOS_SEEDS=1000` for a longer run.
    func testSafetyUnderChaos() throws {
        let seeds = ProcessInfo.processInfo.environment["KUBESIM_RAFT_CHAOS_SEEDS"].flatMap { UInt64($0) } ?? 20
        let only = ProcessInfo.processInfo.environment["KUBESIM_RAFT_CHAOS_ONLY"].flatMap { UInt64($0) }
        for seed in UInt64(1)...max(1, seeds) where only == nil || only == seed {
            try runChaos(seed: seed, steps: 1500)
        }
    }

    private func runChaos(seed: UInt64, steps: Int) throws {
        var rng = SeededRandom(seed: seed, stream: "raft-chaos")
        let env = InteractionEnv()
        env.output.level = nil
        let trace = ProcessInfo.processInfo.environment["KUBESIM_RAFT_CHAOS_ONLY"] != nil
        if trace { env.output.level = .debug }
        func run(_ line: String) {
            let out = env.handle(RaftInteractionTests.parse(line, line: 0))
            if trace { print("> \(line)\n\(out)") }
        }
        run("add-nodes 5 voters=(1,2,3,4,5) index=1 prevote=true checkquorum=true seed=\(seed)")

        // State Machine Safety: no two members apply different entries at the same index.
        var appliedAt: [UInt64: RaftEntry] = [:]
        var violations: [String] = []
        env.onApply = { id, e in
            if let prior = appliedAt[e.index] {
                if prior != e { violations.append("seed \(seed): \(id) applied \(RaftDescribe.entry(e)), another member \(RaftDescribe.entry(prior))") }
            } else {
                appliedAt[e.index] = e
            }
        }
        // Election Safety: at most one leader per term.
        var leaderOfTerm: [UInt64: UInt64] = [:]
        var proposals = 0

        for step in 0..<steps {
            let id = UInt64(rng.int(below: 5) + 1)
            switch rng.int(below: 100) {
            case 0..<40: run("tick \(id) 1")
            case 40..<55:
                proposals += 1
                run("propose \(id) p\(proposals)")
            case 55..<90:
                // One network round: every member handles its Ready, then every message in
                // flight is delivered, except the ~5% the network loses.
                for k in 1...5 where env.nodes[k - 1].rawNode?.hasReady ?? false { env.processReady(UInt64(k)) }
                if trace { print(env.output.take()) }
                var kept: [RaftMessage] = []
                var lost: [RaftMessage] = []
                for m in env.messages {
                    if rng.int(below: 20) == 0 { lost.append(m) } else { kept.append(m) }
                }
                env.messages = kept
                for m in lost { env.lose(m) }
                for k in 1...5 { env.deliverMsgs(to: UInt64(k), type: nil) }
                if trace { print(env.output.take()) }
            case 90..<93: run("isolate \(id)")
            case 93..<96: run("heal")
            case 96:
                if env.nodes.filter({ $0.rawNode != nil }).count > 3 { run("crash \(id)") }
            case 97, 98: if env.nodes[Int(id - 1)].rawNode == nil { run("restart \(id)") }
            default:
                if let st = env.nodes[Int(id - 1)].rawNode?.status(), st.applied > 5 { run("compact \(id) \(st.applied - 2)") }
            }
            for node in env.nodes {
                guard let rn = node.rawNode, rn.raft.state == .leader else { continue }
                if let other = leaderOfTerm[rn.raft.term], other != rn.id {
                    violations.append("seed \(seed) step \(step): leaders \(other) and \(rn.id) in term \(rn.raft.term)")
                }
                leaderOfTerm[rn.raft.term] = rn.id
            }
        }

        // Liveness: heal everything, restart the crashed, and a leader must emerge and commit.
        run("heal")
        for id in 1...5 where env.nodes[id - 1].rawNode == nil { run("restart \(id)") }
        var leader: UInt64?
        for _ in 0..<200 where leader == nil {
            for id in 1...5 { run("tick \(id) 1") }
            run("stabilize")
            leader = env.nodes.compactMap { $0.rawNode }.first { $0.raft.state == .leader }?.id
        }
        let elected = try XCTUnwrap(leader, "seed \(seed): no leader after healing")
        run("propose \(elected) final")
        run("stabilize")
        for _ in 0..<3 {
            run("tick-heartbeat \(elected)")
            run("stabilize")
        }
        let commits = env.nodes.compactMap { $0.rawNode?.status().hardState.commit }
        if Set(commits).count > 1, let st = env.nodes[Int(elected - 1)].rawNode?.status() {
            print("STUCK seed \(seed)", st.progress.map { "\($0.id): \($0.progress)" }, env.nodes.map { $0.rawNode.map { "\($0.raft.state) t\($0.raft.term) lead\($0.raft.lead) last\($0.raft.raftLog.lastIndex)" } ?? "down" })
        }
        XCTAssertEqual(Set(commits).count, 1, "seed \(seed): members disagree on commit \(commits)")
        XCTAssertTrue(appliedAt.values.contains { $0.data == Array("final".utf8) }, "seed \(seed): final proposal not applied")
        XCTAssertEqual(violations, [], "seed \(seed)")
        if ProcessInfo.processInfo.environment["KUBESIM_RAFT_CHAOS_VERBOSE"] == "1" {
            print("CHAOS seed \(seed): terms with leader \(leaderOfTerm.count), applied indexes \(appliedAt.count), snapshots \(env.delivered.filter { $0.type == .snap }.count), rejections \(env.delivered.filter { $0.type == .appResp && $0.reject }.count)")
        }
    }
}
