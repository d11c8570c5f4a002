/// What a controller is still waiting to see after its own writes
/// (pkg/controller/controller_utils.go `ControllerExpectations` with UID tracking): a
/// count of pod creations, and the keys of pods it asked to delete. Until both are observed
/// (or 5 minutes pass) the controller does not recount, so it never creates twice for one
/// gap in its cache.
struct ControllerExpectations {
    struct Entry {
        var adds = 0
        var deletions = StringSet()
        var setAt: VirtualTime
    }
    /// `ExpectationsTimeout`.
    static let timeout = Duration.seconds(300)
    private var entries = StringTable<Entry>()

    func satisfied(_ key: String, now: VirtualTime) -> Bool {
        guard let e = entries[key] else { return true }
        if e.adds <= 0, e.deletions.isEmpty { return true }
        return now - e.setAt > Self.timeout
    }

    mutating func expect(_ key: String, adds: Int, deletions: [String], now: VirtualTime) {
        entries[key] = Entry(adds: adds, deletions: StringSet(deletions), setAt: now)
    }

    mutating func creationObserved(_ key: String) {
        entries[key]?.adds -= 1
    }

    mutating func deletionObserved(_ key: String, pod: String) {
        entries[key]?.deletions.remove(pod)
    }

    mutating func forget(_ key: String) { entries.removeValue(forKey: key) }

    /// A change to one of the owner's pods, as the pod handlers count it (`addPod`,
    /// `updatePod`, `deletePod`): a pod arriving fulfils a creation; one seen terminating
    /// or gone fulfils a deletion.
    mutating func observe(_ type: WatchEvent.EventType, owner: String, pod: String,
                          wasTerminating: Bool, isTerminating: Bool)
    {
        switch type {
        case .added:
            if isTerminating { deletionObserved(owner, pod: pod) } else { creationObserved(owner) }
        case .modified:
            if isTerminating, !wasTerminating { deletionObserved(owner, pod: pod) }
        case .deleted:
            deletionObserved(owner, pod: pod)
        }
    }
}
