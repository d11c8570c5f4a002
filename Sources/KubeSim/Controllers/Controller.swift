/// A controller run by kube-controller-manager (`ControllerManager`). It reads the shared
/// informers it took from the factory, is told of each change to those it handles, and
/// answers its own timers and the API server's answers to its requests. Everything it sends
/// goes through its `client`, whose tags the manager uses to route the answers back; it opens
/// no watches of its own (the manager drops changes on watches it did not open): it asks the
/// factory for an informer instead.
protocol Controller: AnyObject {
    /// Tags of this controller's requests; the manager sets it before start.
    var client: ClientRuntime { get set }
    /// The informers whose changes `observe` is told of, in the order its handlers are added.
    var handledInformers: [SharedInformer] { get }
    /// Once, when the manager starts, before any change is observed.
    func start(_ ctx: inout Context)
    /// A change on one of `handledInformers`, after the informer applied it: `old` is the
    /// object it held before (nil when added).
    func observe(_ informer: SharedInformer, _ event: WatchEvent, old: JSON?, _ ctx: inout Context)
    /// One of the controller's own timers (`ctx.after`), with the tag it armed.
    func timerFired(_ tag: Int, _ ctx: inout Context)
    /// The answer to one of its requests.
    func answered(_ response: APIResponse, _ ctx: inout Context)
}

extension Controller {
    func start(_ ctx: inout Context) {}
    func answered(_ response: APIResponse, _ ctx: inout Context) {}
}
