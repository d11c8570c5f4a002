/// Index of a component in the simulation; stable for the cluster's life.
public typealias ComponentID = Int

/// What travels between components. Components never call each other: every interaction is
/// one of these, delivered by the simulation loop after the link's latency.
enum Message {
    /// Sent once when the component is registered.
    case start
    /// A client's call to the API server, in a box of its own (a request is large, and
    /// messages move through the outbox and the agenda).
    case request(RequestBox)
    /// The API server's answer to a request, matched by tag.
    case response(APIResponse)
    /// A change on a watch the component opened, matched by the watch request's tag.
    case watch(WatchEvent)
    /// A timer the component armed, with its own tag.
    case timer(Int)
    /// Traffic of the etcd members: Raft between them, requests and answers to clients.
    indirect case store(StoreMessage)
}

/// The box a request travels in. An `indirect` case's box can only be copied out of, so
/// every create stored a copy of the body it was sent (its top levels copied again); this box
/// belongs to its message, and the API server moves the request out of it.
final class RequestBox {
    /// nil once `take` has moved the request out (no placeholder request is built for it).
    private var stored: APIRequest?

    init(_ request: consuming APIRequest) { stored = consume request }

    /// The request (an empty get once it was taken).
    var request: APIRequest { stored ?? APIRequest(.get, "") }

    /// The request: moved out when `box` is its only holder (a message delivered once),
    /// copied otherwise.
    static func take(_ box: inout RequestBox) -> APIRequest {
        guard isKnownUniquelyReferenced(&box), let request = box.stored.take() else { return box.request }
        return request
    }
}

/// A state machine driven by the simulation loop: it reacts to messages and timers and
/// leaves its outputs in the context. It never sleeps, locks or reads a clock.
protocol Component: AnyObject {
    /// The message is the component's own: what it keeps (a request's body, to be stored)
    /// can move out of it rather than be copied.
    func handle(_ message: consuming Message, _ ctx: inout Context)
}

/// A component's view of the loop during one `handle` call: the current virtual time and an
/// outbox. Outputs are only collected here; the loop delivers them.
struct Context {
    struct Outgoing {
        var target: ComponentID
        var message: Message
        /// Extra delay on top of the link latency (timers: the whole delay, no link).
        var delay: Duration
        var isTimer: Bool
        /// Orders it among the messages due at the same instant (the agenda's sequence).
        var sequence: UInt64
    }

    var now: VirtualTime
    var me: ComponentID
    let apiServer: ComponentID
    var outbox: [Outgoing] = []
    /// The agenda's next sequence number: each outgoing message takes one as it is sent, in
    /// order, and the loop continues from here afterwards.
    var nextSequence: UInt64 = 0

    init(now: VirtualTime, me: ComponentID, apiServer: ComponentID) {
        self.now = now
        self.me = me
        self.apiServer = apiServer
    }

    /// Takes the next sequence number: each message sent takes one, and a timer armed later
    /// with one taken now (`after(_:timer:sequence:)`) is delivered, among the messages due
    /// at its instant, exactly where one armed now would be.
    mutating func reserveSequence() -> UInt64 {
        defer { nextSequence &+= 1 }
        return nextSequence
    }

    /// Arms a timer with a sequence number reserved earlier.
    mutating func after(_ delay: Duration, timer tag: Int, sequence: UInt64) {
        outbox.append(Outgoing(target: me, message: .timer(tag), delay: delay, isTimer: true, sequence: sequence))
    }

    /// `now` in RFC 3339 (whole seconds), formatted once per second: the objects written in
    /// one second share the string's storage instead of each holding a copy.
    var nowRFC3339: String {
        mutating get {
            let second = now.seconds
            if second != formattedSecond {
                formattedSecond = second
                formattedNow = now.rfc3339
            }
            return formattedNow
        }
    }
    private var formattedSecond = Int64.min
    private var formattedNow = ""

    /// Sends a request to the API server. The answer arrives as `.response` with `request.tag`.
    mutating func send(_ request: consuming APIRequest) {
        request.client = me
        outbox.append(Outgoing(target: apiServer, message: .request(RequestBox(consume request)), delay: .zero, isTimer: false,
                               sequence: reserveSequence()))
    }

    /// Arms a timer: `.timer(tag)` arrives after `delay`.
    mutating func after(_ delay: Duration, timer tag: Int) {
        outbox.append(Outgoing(target: me, message: .timer(tag), delay: delay, isTimer: true, sequence: reserveSequence()))
    }

    /// Sends any message to another component over the link between them.
    mutating func deliver(_ message: consuming Message, to target: ComponentID) {
        outbox.append(Outgoing(target: target, message: message, delay: .zero, isTimer: false, sequence: reserveSequence()))
    }

    /// Sends a message that leaves `delay` from now (work the sender must finish first).
    mutating func deliver(_ message: consuming Message, to target: ComponentID, after delay: Duration) {
        outbox.append(Outgoing(target: target, message: message, delay: delay, isTimer: false, sequence: reserveSequence()))
    }
}
