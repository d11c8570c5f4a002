/// The simulation loop: one virtual clock, one agenda, the components, and the links
/// between them.
///
/// `run(until:)` pops due messages in `(time, sequence)` order, hands each to its component,
/// and schedules what the component left in its outbox. Nothing else advances time.
final class Simulation {
    // The loop's own state is touched several times per message, by this one thread. A
    // component's `handle` (or an `act` body) gets only its `Context` and never calls back
    // into the loop (`busy` asserts it: sequence numbers are handed out from the context and
    // written back after, so a nested call would hand out the same ones). So no two accesses
    // overlap, and the runtime's exclusivity check on each (a thread-local access set), which
    // costs more than the work, is left out.
    @exclusivity(unchecked) private(set) var now: VirtualTime
    @exclusivity(unchecked) private var queue = EventQueue()
    @exclusivity(unchecked) private var components: [any Component] = []
    @exclusivity(unchecked) private var context: Context
    /// True while a component handles a message or an `act` body runs.
    @exclusivity(unchecked) private var busy = false
    /// Links between components: latency and cuts.
    @exclusivity(unchecked) var network: Network
    /// Latency of a link without its own.
    var linkLatency: Duration {
        get { network.latency }
        set { network.latency = newValue }
    }
    @exclusivity(unchecked) private(set) var processed: Int = 0
    /// The API server's id, fixed once registered.
    private(set) var apiServer: ComponentID = 0
    /// Told of each message handled (profiling by the embedding program); nil costs one test.
    /// Read once per message, as the state above, and set only from outside the loop.
    @exclusivity(unchecked) var observer: MessageObserver?

    init(epoch: VirtualTime, linkLatency: Duration) {
        self.now = epoch
        self.network = Network(latency: linkLatency)
        self.context = Context(now: epoch, me: 0, apiServer: 0)
    }

    /// Adds a component; it receives `.start` at the current instant.
    @discardableResult
    func register(_ component: any Component, isAPIServer: Bool = false) -> ComponentID {
        assert(!busy, "the simulation is re-entered from a component")
        let id = components.count
        components.append(component)
        if isAPIServer {
            apiServer = id
            context = Context(now: now, me: 0, apiServer: id)
        }
        queue.push(time: now, after: .zero, target: id, message: .start)
        return id
    }

    /// Schedules a message from outside the loop (the embedding program's client).
    func inject(_ message: Message, to target: ComponentID, after delay: Duration = .zero) {
        assert(!busy, "the simulation is re-entered from a component")
        queue.push(time: now + delay, after: delay, target: target, message: message)
    }

    /// Runs `body` as component `id` at the current instant (the embedding program's own
    /// calls), then schedules what it left in the outbox.
    func act<T>(as id: ComponentID, _ body: (inout Context) -> T) -> T {
        assert(!busy, "the simulation is re-entered from a component")
        var ctx = Context(now: now, me: id, apiServer: apiServer)
        ctx.nextSequence = queue.upcomingSequence
        busy = true
        let result = body(&ctx)
        busy = false
        queue.upcomingSequence = ctx.nextSequence
        schedule(&ctx.outbox, from: id)
        return result
    }

    /// Handles one due message, if any is due at or before `limit`.
    @discardableResult
    func step(limit: VirtualTime) -> Bool {
        assert(!busy, "the simulation is re-entered from a component")
        guard var entry = queue.pop(dueBy: limit) else { return false }
        if entry.time > now { now = entry.time }
        let target = entry.target
        guard components.indices.contains(target) else { return true }
        // Swapped out of the entry, so the component receives the message itself, not a copy
        // (`entry` would otherwise hold it until this call ends, and a request's box, body and
        // all, would be shared while the API server stores it).
        var message = Message.start
        swap(&message, &entry.message)
        context.now = now
        context.me = target
        context.outbox.removeAll(keepingCapacity: true)
        context.nextSequence = queue.upcomingSequence
        busy = true
        if let observer {
            observer.willHandle(component: String(describing: type(of: components[target])), message: message.label)
            components[target].handle(consume message, &context)
            observer.didHandle()
        } else {
            components[target].handle(consume message, &context)
        }
        busy = false
        processed &+= 1
        queue.upcomingSequence = context.nextSequence
        schedule(&context.outbox, from: target)
        return true
    }

    /// Puts a component's outputs on the agenda: timers after their delay, messages after
    /// the link's latency, each with the sequence number it took when sent; a message over a
    /// cut link is lost. Each message is moved out of the outbox (a trivial `.start` left in
    /// its place), not copied: a copy would retain it and emptying the outbox release it
    /// again, for every message.
    private func schedule(_ outbox: inout [Context.Outgoing], from source: ComponentID) {
        for i in outbox.indices {
            let target = outbox[i].target
            let delay: Duration
            if outbox[i].isTimer {
                delay = outbox[i].delay
            } else if let latency = network.delay(from: source, to: target) {
                delay = outbox[i].delay + latency
            } else {
                continue
            }
            var message = Message.start
            swap(&message, &outbox[i].message)
            queue.push(time: now + delay, after: delay, target: target, message: consume message,
                       sequence: outbox[i].sequence)
        }
    }

    /// Runs every message due up to `limit`, then sets the clock to `limit`.
    @discardableResult
    func run(until limit: VirtualTime) -> Int {
        let before = processed
        while step(limit: limit) {}
        if limit > now { now = limit }
        return processed - before
    }

}
