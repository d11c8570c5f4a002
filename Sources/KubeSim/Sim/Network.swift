/// The simulated network between components: every message crosses a link with a latency,
/// and links can be cut (one way or both) to partition the cluster.
///
/// Lookups only: no iteration over the sets reaches behaviour, so hashing order never shows.
struct Network {
    /// A directed link.
    struct Link: Hashable {
        var from: ComponentID
        var to: ComponentID
    }

    /// Latency of a link without its own.
    var latency: Duration
    private var latencyOf: [Link: Duration] = [:]
    private var cut: Set<Link> = []

    init(latency: Duration) { self.latency = latency }

    /// The delay of a message from `from` to `to`, or nil when the link is cut. A component
    /// reaches itself at once.
    func delay(from: ComponentID, to: ComponentID) -> Duration? {
        if from == to { return .zero }
        let link = Link(from: from, to: to)
        if !cut.isEmpty, cut.contains(link) { return nil }
        return latencyOf.isEmpty ? latency : latencyOf[link] ?? latency
    }

    mutating func setLatency(_ d: Duration, between a: ComponentID, and b: ComponentID) {
        latencyOf[Link(from: a, to: b)] = d
        latencyOf[Link(from: b, to: a)] = d
    }

    /// Cuts the link from `from` to `to` (and back, unless `oneWay`).
    mutating func cut(_ from: ComponentID, _ to: ComponentID, oneWay: Bool = false) {
        cut.insert(Link(from: from, to: to))
        if !oneWay { cut.insert(Link(from: to, to: from)) }
    }

    mutating func heal(_ from: ComponentID, _ to: ComponentID) {
        cut.remove(Link(from: from, to: to))
        cut.remove(Link(from: to, to: from))
    }

    mutating func healAll() { cut.removeAll() }

    func isCut(_ from: ComponentID, _ to: ComponentID) -> Bool { cut.contains(Link(from: from, to: to)) }
}
