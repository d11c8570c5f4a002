/// Checks watch streams against etcd's watch guarantees (`api_guarantees.md`), given the
/// committed write history, as etcd's robustness tests do in `validate/watch.go`.
///
/// For each stream, with its prefix and start revision:
/// - **ordered**: event revisions never decrease (so each key's revisions strictly increase);
/// - **unique**: no change (revision, key) is delivered twice;
/// - **atomic**: the changes of one revision under the prefix arrive together: all of them,
///   in one response, one after another;
/// - **reliable**: from the first revision received to the last, no committed change under the
///   prefix is missing (a wholly missing revision; a partly missing one is an atomic violation);
/// - **resumable**: the first event is the first committed change under the prefix at or after
///   the start revision (etcd's `start_revision` is inclusive), and nothing before it arrives;
/// - **correct**: each event is a committed change under the prefix, with its value, create
///   revision and version (a delete is compared by key and revision only, since etcd's delete
///   event carries just those).
///
///     let checker = WatchChecker(committed: log.map(WatchChecker.Event.init))
///     let violations = checker.check(streams)   // [] when every guarantee holds
///
/// Bookmarks (progress notifications) are not modelled.
struct WatchChecker: Sendable {
    /// One change as the store's log or a watch response carries it.
    struct Event: Equatable, Hashable, Sendable {
        enum Kind: String, Sendable { case put, delete }
        var kind: Kind
        var key: String
        /// The new value of a put; ignored for a delete.
        var value: String
        /// The revision of the change (etcd's event `kv.mod_revision`).
        var modRevision: Int64
        var createRevision: Int64
        var version: Int64

        init(kind: Kind, key: String, value: String = "", modRevision: Int64, createRevision: Int64 = 0,
             version: Int64 = 0) {
            self.kind = kind
            self.key = key
            self.value = value
            self.modRevision = modRevision
            self.createRevision = createRevision
            self.version = version
        }

        static func put(_ key: String, _ value: String, revision: Int64, createRevision: Int64, version: Int64) -> Event {
            Event(kind: .put, key: key, value: value, modRevision: revision, createRevision: createRevision,
                  version: version)
        }

        static func delete(_ key: String, revision: Int64) -> Event {
            Event(kind: .delete, key: key, modRevision: revision)
        }

        /// A store event as a watch delivers it: a delete keeps only key and revision.
        init(_ event: StoreEvent) {
            switch event.kind {
            case .put:
                self = .put(event.kv.key, event.kv.value.serialized(), revision: event.revision,
                            createRevision: event.kv.createRevision, version: event.kv.version)
            case .delete:
                self = .delete(event.kv.key, revision: event.revision)
            }
        }

        /// Same change, compared as a watch client can see it.
        func sameChange(as other: Event) -> Bool {
            guard kind == other.kind, key == other.key, modRevision == other.modRevision else { return false }
            switch kind {
            case .put: return value == other.value && createRevision == other.createRevision && version == other.version
            case .delete: return true
            }
        }
    }

    /// One watch as a client received it: each element of `responses` is one WatchResponse.
    struct Stream: Sendable {
        var watchID: Int
        var prefix: String
        /// Inclusive, as etcd's `start_revision`. A watch opened "from now" should be recorded
        /// with the creation response's header revision + 1.
        var startRevision: Int64
        var responses: [[Event]]

        init(watchID: Int, prefix: String, startRevision: Int64, responses: [[Event]]) {
            self.watchID = watchID
            self.prefix = prefix
            self.startRevision = startRevision
            self.responses = responses
        }
    }

    struct Violation: Equatable, Sendable, CustomStringConvertible {
        enum Guarantee: String, Sendable, Comparable {
            case ordered, unique, atomic, reliable, resumable, correct
            static func < (a: Guarantee, b: Guarantee) -> Bool { a.rawValue < b.rawValue }
        }
        var watchID: Int
        var guarantee: Guarantee
        var revision: Int64
        var key: String
        var detail: String

        var description: String { "watch \(watchID): \(guarantee.rawValue): rev=\(revision) \(key): \(detail)" }
    }

    private struct ChangeID: Hashable {
        var revision: Int64
        var key: String
    }

    /// Committed changes in revision order.
    let committed: [Event]
    private let byChange: [ChangeID: Event]

    init(committed: [Event]) {
        let sorted = committed.enumerated().sorted { ($0.element.modRevision, $0.offset) < ($1.element.modRevision, $1.offset) }
        self.committed = sorted.map(\.element)
        var index: [ChangeID: Event] = [:]
        for event in self.committed where index[ChangeID(revision: event.modRevision, key: event.key)] == nil {
            index[ChangeID(revision: event.modRevision, key: event.key)] = event
        }
        byChange = index
    }

    func check(_ streams: [Stream]) -> [Violation] {
        streams.flatMap(check)
    }

    func check(_ stream: Stream) -> [Violation] {
        var violations: [Violation] = []
        func report(_ guarantee: Violation.Guarantee, _ event: Event, _ detail: String) {
            violations.append(Violation(watchID: stream.watchID, guarantee: guarantee, revision: event.modRevision,
                                        key: event.key, detail: detail))
        }
        func inPrefix(_ key: String) -> Bool { key.utf8.starts(with: stream.prefix.utf8) }

        // Deliveries of committed changes, first occurrence only, with the response they came in.
        var delivered: [(event: Event, response: Int)] = []
        var seen = Set<ChangeID>()
        for (response, events) in stream.responses.enumerated() {
            for event in events {
                let id = ChangeID(revision: event.modRevision, key: event.key)
                guard inPrefix(event.key) else {
                    report(.correct, event, "\(event.kind.rawValue) outside the watched prefix \(stream.prefix)")
                    continue
                }
                guard let change = byChange[id] else {
                    report(.correct, event, "\(event.kind.rawValue) that was never committed")
                    continue
                }
                guard seen.insert(id).inserted else {
                    report(.unique, event, "\(event.kind.rawValue) delivered again")
                    continue
                }
                if !event.sameChange(as: change) {
                    report(.correct, event, "got \(Self.describe(event)), committed \(Self.describe(change))")
                }
                delivered.append((event, response))
            }
        }

        // Ordered.
        var highest = Int64.min
        for (event, _) in delivered {
            if event.modRevision < highest {
                report(.ordered, event, "delivered after rev=\(highest)")
            }
            highest = max(highest, event.modRevision)
        }

        // Resumable.
        let expectedFirst = committed.first { $0.modRevision >= stream.startRevision && inPrefix($0.key) }
        for (event, _) in delivered where event.modRevision < stream.startRevision {
            report(.resumable, event, "before the start revision \(stream.startRevision)")
        }
        if let first = delivered.first?.event, first.modRevision >= stream.startRevision {
            if let expectedFirst, expectedFirst.modRevision != first.modRevision {
                report(.resumable, first, "watch from rev=\(stream.startRevision) began here; the first change is "
                       + "rev=\(expectedFirst.modRevision) \(expectedFirst.key)")
            }
        }

        // Atomic and reliable, revision by revision from the first received to the last.
        guard let firstRevision = delivered.map(\.event.modRevision).min(),
              let lastRevision = delivered.map(\.event.modRevision).max() else { return Self.sorted(violations) }
        var positionsByRevision: [Int64: [Int]] = [:]
        for (position, item) in delivered.enumerated() {
            positionsByRevision[item.event.modRevision, default: []].append(position)
        }
        var index = 0
        while index < committed.count {
            let revision = committed[index].modRevision
            var end = index
            while end < committed.count, committed[end].modRevision == revision { end += 1 }
            defer { index = end }
            guard revision >= max(firstRevision, stream.startRevision), revision <= lastRevision else { continue }
            let changes = committed[index..<end].filter { inPrefix($0.key) }
            guard let someChange = changes.first else { continue }
            guard let positions = positionsByRevision[revision] else {
                for change in changes { report(.reliable, change, "\(change.kind.rawValue) missing") }
                continue
            }
            for change in changes where !seen.contains(ChangeID(revision: revision, key: change.key)) {
                report(.atomic, change, "\(change.kind.rawValue) missing from its revision's delivery")
            }
            let responses = Set(positions.map { delivered[$0].response })
            if responses.count > 1 {
                report(.atomic, someChange, "revision split across responses \(responses.sorted())")
            } else if let lo = positions.min(), let hi = positions.max(), hi - lo + 1 != positions.count {
                report(.atomic, someChange, "revision not delivered contiguously")
            }
        }
        return Self.sorted(violations)
    }

    private static func sorted(_ violations: [Violation]) -> [Violation] {
        violations.enumerated().sorted { a, b in
            let x = a.element, y = b.element
            if x.watchID != y.watchID { return x.watchID < y.watchID }
            if x.revision != y.revision { return x.revision < y.revision }
            if x.key != y.key { return JSON.utf8Less(x.key, y.key) }
            if x.guarantee != y.guarantee { return x.guarantee < y.guarantee }
            return a.offset < b.offset
        }.map(\.element)
    }

    private static func describe(_ event: Event) -> String {
        switch event.kind {
        case .put: return "put \"\(event.value)\" create=\(event.createRevision) ver=\(event.version)"
        case .delete: return "delete"
        }
    }
}

extension WatchChecker {
    /// The changes a store must have committed for `history` to hold, replayed along a
    /// linearization the checker found: one event per write that changed something, at the
    /// revision it made. This gives watch streams a reference that does not trust the store's
    /// own log, as etcd's robustness tests check watch events against the linearized history.
    ///
    ///     let result = LinearizabilityChecker().check(history)
    ///     let committed = WatchChecker.committed(replaying: history, along: result.linearization)
    static func committed(replaying history: History, along linearization: [Int]) -> [Event] {
        var model = LinearizabilityChecker.SequentialModel(revision: history.initialRevision,
                                                           keyValues: history.initialKeyValues)
        var events: [Event] = []
        for index in linearization where history.operations.indices.contains(index) {
            let request = history.operations[index].request
            guard let key = request.key, !request.isRead else { continue }
            let before = model.revision
            _ = model.apply(request)
            guard model.revision != before else { continue }
            if let kv = model.get(key) {
                events.append(.put(key, kv.value, revision: kv.modRevision, createRevision: kv.createRevision,
                                   version: kv.version))
            } else {
                events.append(.delete(key, revision: model.revision))
            }
        }
        return events
    }
}
