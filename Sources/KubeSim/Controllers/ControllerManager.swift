/// kube-controller-manager: one component running the controllers over shared informers
/// (cmd/kube-controller-manager). Each resource is watched once and its cache kept once; a
/// change is applied to the informer and then handed to each controller that handles it, in
/// the order the controllers were given. (Upstream's informer runs each handler's listener on
/// its own goroutine; a fixed order keeps runs deterministic.) The scheduler and the kubelets
/// are their own processes with their own watches.
///
/// Timers and answers come back to the manager, which routes them: a timer's tag carries the
/// controller's index in its low bits, and each controller's requests are tagged from its own
/// range (`ClientRuntime(tagBase:)`).
final class ControllerManager: Component {
    let informers: SharedInformerFactory
    private let controllers: [any Controller]
    /// Watch tag → informer (one per informer, a few: scanned, which costs less than hashing
    /// the tag for every watch event), and informer index → the controllers that handle it.
    private var informerByWatch: [(tag: UInt64, informer: Int)] = []
    private var handlers: [[Int]] = []
    private var client = ClientRuntime()

    /// Low bits of a timer tag that name the controller: enough for the controllers given.
    private let timerIndexBits: Int
    /// Requests of controller `i` are tagged from `(i + 1) << tagShift`; tag 1... is the manager's.
    private static let tagShift: UInt64 = 40

    init(informers: SharedInformerFactory, controllers: [any Controller]) {
        timerIndexBits = max(1, Int.bitWidth - max(0, controllers.count - 1).leadingZeroBitCount)
        self.informers = informers
        self.controllers = controllers
        for (i, controller) in controllers.enumerated() {
            controller.client = ClientRuntime(tagBase: UInt64(i + 1) << Self.tagShift)
        }
    }

    func handle(_ message: consuming Message, _ ctx: inout Context) {
        switch message {
        case .start:
            start(&ctx)
        case .watch(let event):
            guard let index = informerByWatch.first(where: { $0.tag == event.tag })?.informer else { return }
            let informer = informers.informers[index]
            let old = informer.apply(event)
            for i in handlers[index] {
                run(i, &ctx) { $0.observe(informer, event, old: old, &$1) }
            }
        case .timer(let scoped):
            let i = scoped & (1 << timerIndexBits - 1)
            guard controllers.indices.contains(i) else { return }
            run(i, &ctx) { $0.timerFired(scoped >> timerIndexBits, &$1) }
        case .response(let response):
            let i = Int(truncatingIfNeeded: response.tag >> Self.tagShift) - 1
            guard controllers.indices.contains(i) else { return }
            run(i, &ctx) { $0.answered(response, &$1) }
        case .request, .store:
            break
        }
    }

    /// Starts the controllers, then opens one watch per informer, in the order the
    /// informers were first asked for (upstream's factory starts every informer asked for,
    /// read or handled).
    private func start(_ ctx: inout Context) {
        handlers = Array(repeating: [], count: informers.informers.count)
        for (i, controller) in controllers.enumerated() {
            for informer in controller.handledInformers {
                guard let index = informers.informers.firstIndex(where: { $0 === informer }) else { continue }
                handlers[index].append(i)
            }
        }
        for i in controllers.indices {
            run(i, &ctx) { $0.start(&$1) }
        }
        for (index, informer) in informers.informers.enumerated() {
            informerByWatch.append((client.watch(informer.resource, namespace: informer.namespace, &ctx), index))
        }
    }

    /// Runs controller `i`, then marks the timers it armed as its own.
    private func run(_ i: Int, _ ctx: inout Context, _ body: (any Controller, inout Context) -> Void) {
        let first = ctx.outbox.count
        body(controllers[i], &ctx)
        for j in first..<ctx.outbox.count where ctx.outbox[j].isTimer {
            if case .timer(let tag) = ctx.outbox[j].message {
                ctx.outbox[j].message = .timer(tag << timerIndexBits | i)
            }
        }
    }
}
