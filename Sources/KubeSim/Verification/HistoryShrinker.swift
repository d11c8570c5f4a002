/// Shrinks a non-linearizable history to a small one that is still non-linearizable, so a
/// failing nemesis schedule can print a counterexample a person can read.
///
/// Only removals that cannot invent a violation are tried, so every shrunk history is itself a
/// true counterexample (dropping an arbitrary successful write would leave a gap in the
/// revisions, which the checker rightly rejects, and the "violation" would be the shrinker's):
/// - **operations that leave the store unchanged** (reads, writes whose compare failed), by
///   delta debugging (Zeller's ddmin), first per client, then over chunks of operations: any
///   linearization of the whole, without them, is still one of the rest;
/// - **everything after a revision** r: writes after r, and reads and failed writes that saw a
///   later revision, all follow the write that made r + 1 in any linearization;
/// - **everything before a revision** r: the writes up to r (their order is fixed by their
///   revisions) are replaced by the state they leave, which becomes the initial state, and
///   reads and failed writes that saw an earlier revision are dropped.
/// The revision cuts are monotone (if a cut fails, every wider one does), so each is a
/// bisection. An indeterminate create or update whose (unique) value a response shows is pinned
/// to that mod revision and cut like a completed write; other indeterminate operations are
/// always kept, and a prefix cut cannot pass a revision that one of them may have made (the
/// state there is not known).
///
/// Each kept operation keeps its own record unchanged.
struct HistoryShrinker: Sendable {
    var checker: LinearizabilityChecker
    /// Checker runs allowed; the smallest failing history found so far is returned when spent.
    var checkBudget: Int

    init(checker: LinearizabilityChecker = LinearizabilityChecker(stepBudget: 1_000_000), checkBudget: Int = 2_000) {
        self.checker = checker
        self.checkBudget = checkBudget
    }

    /// The shrunk history, or `history` itself when it is not (provably) non-linearizable.
    func shrink(_ history: History) -> History {
        var run = Run(checker: checker, budget: checkBudget)
        guard run.fails(history) else { return history }
        var current = history
        while run.checks < checkBudget {
            let before = current.operations.count
            current = run.dropSuffix(current)
            current = run.dropPrefix(current)
            current = run.dropPerClient(current)
            current = run.ddmin(current)
            if current.operations.count == before { break }
        }
        return current
    }

    /// Test hook: every revision cut of `history` (suffix and prefix), for checking that no
    /// cut turns a linearizable history into a failing one.
    func _revisionCuts(_ history: History) -> [History] {
        guard Run.cutsApply(history) else { return [] }
        let sides = Run.sides(history)
        return Run.writeRevisions(sides).flatMap { r in
            [Run.keepUpTo(r, history, sides)] + (Run.startAfter(r, history, sides).map { [$0] } ?? [])
        }
    }

    private struct Run {
        let checker: LinearizabilityChecker
        let budget: Int
        var checks = 0

        init(checker: LinearizabilityChecker, budget: Int) {
            self.checker = checker
            self.budget = budget
        }

        mutating func check(_ history: History) -> LinearizabilityResult? {
            guard checks < budget else { return nil }
            checks += 1
            return checker.check(history)
        }

        mutating func fails(_ history: History) -> Bool {
            check(history)?.verdict == .notLinearizable
        }

        /// Where each operation sits against the revisions, as a revision cut sees it.
        enum Side {
            /// A completed write that created this revision.
            case write(Int64)
            /// A read or failed write that saw this revision.
            case neutral(Int64)
            /// An indeterminate create or update whose value a response shows at this mod
            /// revision: it took effect there (etcd's robustness tests patch such operations the
            /// same way, from watch events or the WAL).
            case pinned(Int64)
            /// Any other indeterminate operation: it may have taken effect anywhere, or never.
            case free
        }

        static func sides(_ history: History) -> [Side] {
            let ops = history.operations
            var writers: [String: Int] = [:]
            var observed: [String: Set<Int64>] = [:]
            for op in ops {
                switch op.request {
                case .create(_, let value), .update(_, let value, _): writers[value, default: 0] += 1
                case .delete, .get, .range: break
                }
                for kv in op.completion?.response.kvs ?? [] { observed[kv.value, default: []].insert(kv.modRevision) }
            }
            return ops.map { op in
                guard let response = op.completion?.response else {
                    switch op.request {
                    case .create(_, let value), .update(_, let value, _):
                        // Unique values only: then the response shows this very request's write.
                        if writers[value] == 1, let mods = observed[value], mods.count == 1, let mod = mods.first {
                            return .pinned(mod)
                        }
                        return .free
                    case .delete, .get, .range:
                        return .free
                    }
                }
                return op.leavesStoreUnchanged ? .neutral(response.revision) : .write(response.revision)
            }
        }

        /// Revision cuts need every completed successful write to change the store; a delete
        /// without a non-zero precondition may not (deleting a missing key keeps the revision).
        static func cutsApply(_ history: History) -> Bool {
            !history.operations.contains {
                guard case .delete(_, let rv) = $0.request, $0.completion?.response.succeeded == true else { return false }
                return rv == nil || rv == 0
            }
        }

        /// Revisions made by known writes, ascending and unique.
        static func writeRevisions(_ sides: [Side]) -> [Int64] {
            Array(Set(sides.compactMap { side -> Int64? in
                switch side {
                case .write(let v), .pinned(let v): return v
                case .neutral, .free: return nil
                }
            })).sorted()
        }

        /// The operations kept when cutting everything after revision `r`: writes up to `r`,
        /// reads and failed writes that saw at most `r`, and the indeterminate operations not
        /// known to come later. In any linearization the dropped ones follow the write that
        /// made `r + 1`, and so does every kept indeterminate operation placed after them,
        /// which may then be taken as never applied.
        static func keepUpTo(_ r: Int64, _ history: History, _ sides: [Side]) -> History {
            let kept = history.operations.indices.filter {
                switch sides[$0] {
                case .write(let v), .neutral(let v), .pinned(let v): return v <= r
                case .free: return true
                }
            }
            return History(operations: kept.map { history.operations[$0] }, initialRevision: history.initialRevision,
                           initialKeyValues: history.initialKeyValues)
        }

        /// Everything after the write that made `r`, started from the state that write left:
        /// in any linearization the dropped operations precede that point. Nil when the known
        /// writes up to `r` do not replay cleanly into revision `r` from the initial state (a
        /// revision was made by an indeterminate write nobody saw, so the state is not known).
        static func startAfter(_ r: Int64, _ history: History, _ sides: [Side]) -> History? {
            var model = LinearizabilityChecker.SequentialModel(revision: history.initialRevision,
                                                               keyValues: history.initialKeyValues)
            let writes = history.operations.indices.compactMap { i -> (Int64, Int)? in
                switch sides[i] {
                case .write(let v), .pinned(let v): return v <= r ? (v, i) : nil
                case .neutral, .free: return nil
                }
            }.sorted { $0 < $1 }
            for (revision, i) in writes {
                let response = model.apply(history.operations[i].request)
                guard response == history.operations[i].completion?.response ?? .ok(revision: revision) else { return nil }
            }
            guard model.revision == r else { return nil }
            let rest = history.operations.indices.filter {
                switch sides[$0] {
                case .write(let v), .pinned(let v): return v > r
                case .neutral(let v): return v >= r
                case .free: return true
                }
            }
            return History(operations: rest.map { history.operations[$0] }, initialRevision: model.revision,
                           initialKeyValues: model.keyValues)
        }

        /// Keeps the operations up to the lowest revision that still fails. A cut that fails
        /// makes every later cut fail too, so the search is a bisection.
        mutating func dropSuffix(_ history: History) -> History {
            guard Self.cutsApply(history) else { return history }
            let sides = Self.sides(history)
            let revisions = Self.writeRevisions(sides)
            var lo = 0, hi = revisions.count
            var best = history
            while lo < hi, checks < budget {
                let mid = (lo + hi) / 2
                let candidate = Self.keepUpTo(revisions[mid], history, sides)
                if fails(candidate) { best = candidate; hi = mid } else { lo = mid + 1 }
            }
            return best
        }

        /// Folds the writes up to the highest revision that still fails into the initial
        /// state. A cut that fails makes every earlier cut fail too, so this bisects as well.
        mutating func dropPrefix(_ history: History) -> History {
            guard Self.cutsApply(history) else { return history }
            let sides = Self.sides(history)
            let revisions = Self.writeRevisions(sides)
            var lo = 0, hi = revisions.count
            var best = history
            while lo < hi, checks < budget {
                let mid = (lo + hi) / 2
                if let candidate = Self.startAfter(revisions[mid], history, sides), fails(candidate) {
                    best = candidate
                    lo = mid + 1
                } else {
                    hi = mid
                }
            }
            return best
        }

        func with(_ history: History, operations: [HistoryOperation]) -> History {
            History(operations: operations, initialRevision: history.initialRevision,
                    initialKeyValues: history.initialKeyValues)
        }

        /// Tries dropping all of one client's store-neutral operations at once.
        mutating func dropPerClient(_ history: History) -> History {
            var current = history
            let clients = Set(current.operations.map(\.clientID)).sorted()
            for client in clients {
                let kept = current.operations.filter { !($0.clientID == client && $0.leavesStoreUnchanged) }
                guard kept.count < current.operations.count else { continue }
                let candidate = with(current, operations: kept)
                if fails(candidate) { current = candidate }
                if checks >= budget { break }
            }
            return current
        }

        /// ddmin over the store-neutral operations: remove chunks while the history still fails.
        mutating func ddmin(_ history: History) -> History {
            var current = history
            var granularity = 2
            while checks < budget {
                let removable = current.operations.indices.filter { current.operations[$0].leavesStoreUnchanged }
                if removable.isEmpty { break }
                granularity = min(granularity, removable.count)
                let chunkSize = (removable.count + granularity - 1) / granularity
                var reduced = false
                var start = 0
                while start < removable.count {
                    let chunk = Set(removable[start..<min(start + chunkSize, removable.count)])
                    start += chunkSize
                    let kept = current.operations.indices.filter { !chunk.contains($0) }.map { current.operations[$0] }
                    let candidate = with(current, operations: kept)
                    if fails(candidate) {
                        current = candidate
                        reduced = true
                        break
                    }
                    if checks >= budget { return current }
                }
                if reduced {
                    granularity = max(granularity - 1, 2)
                } else if granularity >= removable.count {
                    break
                } else {
                    granularity = min(granularity * 2, removable.count)
                }
            }
            return current
        }
    }
}

/// Renders a history as one line per operation, in call order:
///
///     c3 [12.001s → 12.014s] update /registry/pods/default/a rv=17 "c3-5" → ok rev=18
///
/// An indeterminate operation shows `→ ?` for its return and `unknown` for its outcome. A
/// history that does not start from an empty store at revision 1 begins with an `initial` line.
enum HistoryPrinter {
    static func render(_ history: History, marking unplaced: [Int] = []) -> String {
        var lines: [String] = []
        if history.initialRevision != 1 || !history.initialKeyValues.isEmpty {
            let kvs = history.initialKeyValues.sorted { JSON.utf8Less($0.key, $1.key) }
            lines.append((["initial rev=\(history.initialRevision)"] + kvs.map(describe)).joined(separator: " "))
        }
        let order = history.operations.indices.sorted {
            (history.operations[$0].call, $0) < (history.operations[$1].call, $1)
        }
        let marked = Set(unplaced)
        for index in order {
            lines.append(line(history.operations[index]) + (marked.contains(index) ? "  ← not linearizable" : ""))
        }
        return lines.joined(separator: "\n")
    }

    static func line(_ op: HistoryOperation) -> String {
        let end = op.completion.map { time($0.time) } ?? "?"
        var text = "c\(op.clientID) [\(time(op.call)) → \(end)] "
        switch op.request {
        case .create(let key, let value): text += "create \(key) \(quoted(value))"
        case .update(let key, let value, let rv): text += "update \(key) rv=\(rv) \(quoted(value))"
        case .delete(let key, let rv): text += "delete \(key)" + (rv.map { " rv=\($0)" } ?? "")
        case .get(let key): text += "get \(key)"
        case .range(let prefix): text += "range \(prefix)"
        }
        guard let response = op.completion?.response else { return text + " → unknown" }
        if op.request.isRead {
            let kvs = response.kvs.isEmpty ? "(none)" : response.kvs.map(describe).joined(separator: " ")
            return text + " → rev=\(response.revision) \(kvs)"
        }
        text += response.succeeded ? " → ok rev=\(response.revision)" : " → failed rev=\(response.revision)"
        if let current = response.kvs.first { text += " current " + describe(current) }
        return text
    }

    /// `/registry/pods/default/a="c3-5"(create=4 mod=18 ver=3)`
    static func describe(_ kv: ObservedKeyValue) -> String {
        "\(kv.key)=\(quoted(kv.value))(create=\(kv.createRevision) mod=\(kv.modRevision) ver=\(kv.version))"
    }

    /// Virtual nanoseconds as seconds with milliseconds: `12.001s`.
    static func time(_ nanos: Int64) -> String {
        let sign = nanos < 0 ? "-" : ""
        let magnitude = nanos.magnitude
        let seconds = magnitude / 1_000_000_000
        let millis = (magnitude % 1_000_000_000) / 1_000_000
        let padded = String(millis)
        return "\(sign)\(seconds).\(String(repeating: "0", count: max(0, 3 - padded.count)))\(padded)s"
    }

    /// Quotes a value, escaping quotes and backslashes so JSON values stay unambiguous.
    private static func quoted(_ value: String) -> String {
        var out = "\""
        for c in value {
            if c == "\"" || c == "\\" { out.append("\\") }
            out.append(c)
        }
        return out + "\""
    }
}
