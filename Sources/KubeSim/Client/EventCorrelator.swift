/// client-go's `EventCorrelator` (tools/record/events_cache.go, `EventCorrelate`) for one
/// recorder's `v1` Events. Every event goes through three steps, in upstream's order:
///
/// 1. Aggregation (`EventAggregator.EventAggregate`): events about one object with the same
///    type and reason but different messages are counted per reason, messages as the set's
///    members. A record not touched for more than 600 s starts over. When a new message makes
///    10 of them, the event becomes the reason's combined Event,
///    `(combined from similar events): <message>`, kept under the reason instead of the message,
///    so the next ones update that one Event.
/// 2. Observation (`eventLogger.eventObserve`): an event seen before is a repeat: its count
///    goes up by one and it becomes a patch of the Event already written.
/// 3. Spam filter (`EventSourceObjectSpamFilter.Filter`): a token bucket per source and object
///    (and type, since 1.32), burst 25, refilled at one token per 300 s. An event, new or
///    repeat, that finds no token is dropped. Steps 1 and 2 have counted it all the same.
///
/// The source (component, host) is the recorder's own, so it is in no key here. The state is
/// grouped by the object's uid (its name when it has none): an object has a few reasons and
/// messages, so one short hash and a scan beat hashing every field of upstream's joined keys.
struct EventCorrelator {
    /// What the recorder sends for one event.
    enum Outcome {
        /// A new Event. Also a repeat whose first occurrence was dropped: upstream patches it,
        /// the API server answers NotFound and the recorder creates it (event.go recordEvent).
        case create(Write)
        /// count, lastTimestamp and message of an Event already written.
        case patch(Write)
        /// Dropped by the spam filter: nothing is sent.
        case skip
    }

    struct Write {
        var name: String
        var message: String
        var count: Int
        var firstTimestamp: String
    }

    /// One recorded event, as the correlator's keys see it.
    struct Occurrence {
        /// The object's reference fields, as read once from it (its resourceVersion is not
        /// part of any key).
        var object: ReferenceFields
        var fieldPath, type, reason, message: String

        var kind: String { object.kind }
        var namespace: String { object.namespace }
        var name: String { object.name }
        var uid: String { object.uid }
        var apiVersion: String { object.apiVersion }
    }

    // events_cache.go's defaults.
    static let maxLruCacheEntries = 4096
    static let aggregateMaxEvents = 10
    static let aggregateInterval = Duration.seconds(600)
    static let spamBurst = 25
    static let spamQPS: Float = 1.0 / 300.0
    static let combinedPrefix = "(combined from similar events): "

    /// `getSpamKey` joins the event's type since 1.32 (client-go aa6ed1b, "Updating event spam
    /// key to allow recording of more unique events"): Normal and Warning events about one
    /// object then have a bucket each.
    let spamKeyIncludesType: Bool

    /// Upstream keeps three LRUs of 4096 entries. Here one object's records stay together and
    /// age in two generations: once `recent` holds 4096 records it becomes `older` (the
    /// previous `older` is forgotten), and an object found in `older` moves back to `recent`.
    /// What was used within the last 4096 records is always kept. Nothing iterates either
    /// dictionary, so their order never matters.
    private var recent = StringTable<ObjectState>()
    private var older = StringTable<ObjectState>()
    private var recentEntries = 0

    init(version: KubernetesVersion) {
        spamKeyIncludesType = version != .v1_18
    }

    /// `EventCorrelate`: what to send for `event`; `namer` names the Events it creates.
    mutating func correlate(_ event: Occurrence, now: VirtualTime, timestamp: String,
                            namer: inout EventNamer) -> Outcome
    {
        if recentEntries >= Self.maxLruCacheEntries {
            older = recent
            recent = [:]
            recentEntries = 0
        }
        let key = event.uid.isEmpty ? event.name : event.uid
        var added = 0
        let i: Int
        if let found = recent.index(forKey: key) {
            i = found
        } else {
            // Brought back from the older generation, or started.
            let state = older.removeValue(forKey: key)
                ?? ObjectState(event, spamKeyIncludesType: spamKeyIncludesType, now: now)
            added += state.entries
            i = recent.index(setting: state, forKey: key)
        }
        // Changed where it lies in the table (`recent[key]?` would take it out and put it
        // back, copying it on the way out).
        let (outcome, total) = Self.correlate(event, in: &recent[valueAt: i], added: added,
                                              spamKeyIncludesType: spamKeyIncludesType,
                                              now: now, timestamp: timestamp, namer: &namer)
        recentEntries += total
        return outcome
    }

    /// Correlates the event in the state of its cache key: the object's own, or another
    /// object's under the same key (a uid shared by kinds, or names without a uid). Returns
    /// the outcome and `added` plus the records `recent` gained.
    private static func correlate(_ event: Occurrence, in state: inout ObjectState, added: Int,
                                  spamKeyIncludesType: Bool, now: VirtualTime, timestamp: String,
                                  namer: inout EventNamer) -> (Outcome, Int)
    {
        if state.holds(event) {
            return state.correlate(event, spamKeyIncludesType: spamKeyIncludesType, now: now,
                                   timestamp: timestamp, namer: &namer, added: added)
        }
        if let i = state.others.firstIndex(where: { $0.holds(event) }) {
            return state.others[i].correlate(event, spamKeyIncludesType: spamKeyIncludesType, now: now,
                                             timestamp: timestamp, namer: &namer, added: added)
        }
        var other = ObjectState(event, spamKeyIncludesType: spamKeyIncludesType, now: now)
        let result = other.correlate(event, spamKeyIncludesType: spamKeyIncludesType, now: now,
                                     timestamp: timestamp, namer: &namer, added: added + other.entries)
        state.others.append(other)
        return result
    }
}

/// What one recorder remembers about one involved object.
private struct ObjectState {
    /// The written Event for one key: eventLogger's `eventLog`. `sent` is false while its
    /// first occurrence was dropped by the spam filter, so that no Event exists yet.
    struct Log {
        let name: String
        let firstTimestamp: String
        var count: Int
        var sent: Bool
    }

    /// One event key (`getEventKey`) within its reason: the exact message and fieldPath.
    struct Message {
        let fieldPath, message: String
        /// The reason's window in which this message last joined its set of messages.
        var window: Int
        var log: Log
    }

    /// One type and reason: its aggregation record (`aggregateRecord`), its combined Event's
    /// log (which outlives the record's resets, as upstream's logger entry does) and its
    /// messages' logs. A reason starts with a message, so the first is held inline.
    struct Reason {
        let type, reason: String
        var lastTimestamp: VirtualTime
        /// Bumped when the record starts over; `Message.window` tells the current members.
        var window = 0
        /// `localKeys.Len()`.
        var distinct = 0
        var combined: Log?
        var first: Message
        var more: [Message] = []

        var messageCount: Int { 1 + more.count }

        /// The index of `event`'s own message (same text and fieldPath), and whether its text
        /// is in the current window's set.
        func find(_ event: EventCorrelator.Occurrence) -> (exact: Int?, member: Bool) {
            var exact: Int?
            var member = false
            func check(_ candidate: Message, _ i: Int) {
                guard candidate.message == event.message else { return }
                if candidate.window == window { member = true }
                if candidate.fieldPath == event.fieldPath { exact = i }
            }
            check(first, 0)
            for (i, candidate) in more.enumerated() { check(candidate, i + 1) }
            return (exact, member)
        }
        /// Message `i`: 0 is `first`, then `more`.
        subscript(message i: Int) -> Message {
            get { i == 0 ? first : more[i - 1] }
            // Changed in place: a get and a set would copy the message (its four strings)
            // out and back for every count bumped.
            _modify {
                if i == 0 { yield &first } else { yield &more[i - 1] }
            }
        }
    }

    /// A spam-filter bucket; `type` is empty before 1.32, where one bucket serves all types.
    struct Bucket {
        let type: String
        var tokens: PassiveTokenBucket
    }

    let kind, namespace, name, uid, apiVersion: String
    var reasons: [Reason] = []
    /// The bucket of the first event's type, and those of other types (≥1.32).
    var bucket: Bucket
    var moreBuckets: [Bucket] = []
    /// Other objects under the same cache key.
    var others: [ObjectState] = []

    /// Records held, counted against the cache's bound.
    var entries: Int {
        reasons.reduce(0) { $0 + 1 + $1.messageCount } + 1 + moreBuckets.count + others.reduce(0) { $0 + $1.entries }
    }

    init(_ event: EventCorrelator.Occurrence, spamKeyIncludesType: Bool, now: VirtualTime) {
        kind = event.kind
        namespace = event.namespace
        name = event.name
        uid = event.uid
        apiVersion = event.apiVersion
        bucket = Self.newBucket(spamKeyIncludesType ? event.type : "", now)
        // Room for a container's four (Pulling, Pulled, Created, Started) at once: each
        // growth copies every reason, retaining its strings.
        reasons.reserveCapacity(4)
    }

    static func newBucket(_ type: String, _ now: VirtualTime) -> Bucket {
        Bucket(type: type, tokens: PassiveTokenBucket(qps: EventCorrelator.spamQPS, burst: EventCorrelator.spamBurst,
                                                      now: now))
    }

    func holds(_ event: EventCorrelator.Occurrence) -> Bool {
        name == event.name && namespace == event.namespace && kind == event.kind && uid == event.uid
            && apiVersion == event.apiVersion
    }

    /// The three steps of `EventCorrelate` for this object. Returns the outcome and
    /// `added` plus the records added here.
    mutating func correlate(_ event: EventCorrelator.Occurrence, spamKeyIncludesType: Bool, now: VirtualTime,
                            timestamp: String, namer: inout EventNamer, added: Int) -> (EventCorrelator.Outcome, Int)
    {
        var added = added

        // 1. EventAggregate, and the event key's log among the reason's messages.
        var aggregated = false
        var log: Log
        let r: Int
        let m: Int?
        if let i = reasons.firstIndex(where: { $0.reason == event.reason && $0.type == event.type }) {
            r = i
            // "Is the previous record too old?" Strictly more than the interval since the
            // last similar event, whatever became of that one.
            if now - reasons[i].lastTimestamp > EventCorrelator.aggregateInterval {
                reasons[i].window += 1
                reasons[i].distinct = 0
            }
            reasons[i].lastTimestamp = now
            let window = reasons[i].window
            let (exact, member) = reasons[i].find(event)
            if !member { reasons[i].distinct += 1 }
            if reasons[i].distinct >= EventCorrelator.aggregateMaxEvents {
                // "do not grow our local key set any larger than max": upstream pops an
                // arbitrary member (Go map order). The newcomer is popped here, so the set
                // keeps the window's first nine messages and nothing depends on chance.
                reasons[i].distinct -= 1
                aggregated = true
            }
            if aggregated {
                // 2. eventObserve under the reason's key: the combined Event.
                m = nil
                if let combined = reasons[i].combined {
                    log = combined
                    log.count += 1
                } else {
                    log = Log(name: namer.next(event.name, now), firstTimestamp: timestamp, count: 1, sent: false)
                }
            } else if let j = exact {
                // 2. eventObserve: a repeat of this message.
                m = j
                reasons[i][message: j].window = window
                reasons[i][message: j].log.count += 1
                log = reasons[i][message: j].log
            } else {
                m = reasons[i].messageCount
                log = Log(name: namer.next(event.name, now), firstTimestamp: timestamp, count: 1, sent: false)
                reasons[i].more.append(Message(fieldPath: event.fieldPath, message: event.message,
                                               window: window, log: log))
                added += 1
            }
        } else {
            r = reasons.count
            m = 0
            log = Log(name: namer.next(event.name, now), firstTimestamp: timestamp, count: 1, sent: false)
            let first = Message(fieldPath: event.fieldPath, message: event.message, window: 0, log: log)
            reasons.append(Reason(type: event.type, reason: event.reason, lastTimestamp: now, distinct: 1, first: first))
            added += 2
        }

        // 3. The spam filter: one bucket per object (per type since 1.32).
        let accepted: Bool
        let bucketType = spamKeyIncludesType ? event.type : ""
        if bucket.type == bucketType {
            accepted = bucket.tokens.tryAccept(now)
        } else if let b = moreBuckets.firstIndex(where: { $0.type == bucketType }) {
            accepted = moreBuckets[b].tokens.tryAccept(now)
        } else {
            var fresh = Self.newBucket(bucketType, now)
            accepted = fresh.tokens.tryAccept(now)
            moreBuckets.append(fresh)
            added += 1
        }

        let wasSent = log.sent
        if accepted { log.sent = true }
        if let m {
            reasons[r][message: m].log.sent = log.sent
        } else {
            reasons[r].combined = log
        }
        guard accepted else { return (.skip, added) }
        // EventAggregatorByReasonMessageFunc's message for the combined Event.
        let message = aggregated ? EventCorrelator.combinedPrefix + event.message : event.message
        let write = EventCorrelator.Write(name: log.name, message: message, count: log.count,
                                          firstTimestamp: log.firstTimestamp)
        return (wasSent ? .patch(write) : .create(write), added)
    }
}
