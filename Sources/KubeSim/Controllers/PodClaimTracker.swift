/// What a controller that claims pods (`PodClaims`: the ReplicaSet and DaemonSet controllers)
/// keeps to claim incrementally. Upstream's sync lists every pod of the namespace and claims
/// from the list; here the watch notes which pods a sync must look at (one relabelled out of
/// its owner's selector, an orphan an owner's selector matches, every orphan for a new owner),
/// so a sync with nothing noted does no claiming work. The notes are hints: `take` checks
/// each against the cache.
struct PodClaimTracker {
    /// The owners' kind (`ReplicaSet`, `DaemonSet`).
    let ownerKind: String
    /// Namespace → keys of its active pods that no controller controls.
    private var orphans: [String: Set<String>] = [:]
    /// Namespace → keys of its owners; each owner's parsed selector by key, with the uid it was
    /// parsed for (`spec.selector` is immutable in apps/v1).
    private var ownersByNamespace: [String: Set<String>] = [:]
    private var selectors: [String: (uid: String, selector: LabelSelector?)] = [:]
    private var toAdopt: [String: Set<String>] = [:]
    private var toRelease: [String: Set<String>] = [:]
    private var scanOrphans: Set<String> = []
    /// Adoption and release patches waiting for their answer, by tag.
    private var waiting: [UInt64: Claim] = [:]

    struct Claim {
        var owner: String
        var ownerUID: String
        var pod: String
        var adopt: Bool
    }

    init(ownerKind: String) { self.ownerKind = ownerKind }

    /// An owner added or removed.
    mutating func ownerChanged(_ event: WatchEvent, old: JSON?) {
        let ns = event.object.namespace
        if event.type == .deleted {
            ownersByNamespace[ns]?.remove(event.key)
            selectors[event.key] = nil
            toAdopt[event.key] = nil
            toRelease[event.key] = nil
            scanOrphans.remove(event.key)
        } else if old == nil {
            ownersByNamespace[ns, default: []].insert(event.key)
            if !(orphans[ns]?.isEmpty ?? true) { scanOrphans.insert(event.key) }
        }
    }

    /// The owner's selector, parsed once; nil selects nothing.
    mutating func selector(of owner: JSON, key: String) -> LabelSelector? {
        if let cached = selectors[key], cached.uid == owner.uid { return cached.selector }
        var parsed: LabelSelector?
        if case .success(let s) = LabelSelector.fromJSON(owner["spec", "selector"], fieldPath: "spec.selector") { parsed = s }
        selectors[key] = (owner.uid, parsed)
        return parsed
    }

    /// A pod changed: notes an orphan for the owners that select it, and a pod relabelled out
    /// of its owner's selector for that owner. Returns the owners to sync for the orphan
    /// (upstream's addPod/updatePod `getPodReplicaSets`/`getDaemonSetsForPod`), in key order.
    mutating func podChanged(_ event: WatchEvent, old: JSON?, owners: SharedInformer) -> [String] {
        let pod = event.object
        let ns = pod.namespace
        guard event.type != .deleted, !pod.isTerminating else {
            if !orphans.isEmpty { orphans[ns]?.remove(event.key) }
            return []
        }
        if let ref = pod.controllerRef {
            if !orphans.isEmpty { orphans[ns]?.remove(event.key) }
            // Relabelled out of its owner's selector: the owner's sync releases it.
            if ref["kind"].string == ownerKind, let old, old.labels != pod.labels, let name = ref["name"].string {
                let key = ns + "/" + name
                if let owner = owners[key], owner.uid == ref["uid"].string,
                   !(selector(of: owner, key: key)?.matches(pod.labels) ?? false)
                {
                    toRelease[key, default: []].insert(event.key)
                }
            }
            return []
        }
        guard PodStatus.isActive(pod) else {
            if !orphans.isEmpty { orphans[ns]?.remove(event.key) }
            return []
        }
        orphans[ns, default: []].insert(event.key)
        var selecting: [String] = []
        for key in (ownersByNamespace[ns] ?? []).sorted() {
            guard let owner = owners[key], let selector = selector(of: owner, key: key), selector.matches(pod.labels) else { continue }
            toAdopt[key, default: []].insert(event.key)
            selecting.append(key)
        }
        return selecting
    }

    var hasNotes: Bool { !toRelease.isEmpty || !toAdopt.isEmpty || !scanOrphans.isEmpty }

    /// The pods `owner` must release and adopt now, in key order, checked against the cache.
    /// Adopted pods leave the orphan index at once, so no other owner takes them meanwhile.
    /// An owner being deleted neither releases nor adopts.
    mutating func take(for owner: JSON, key: String, pods: SharedInformer) -> (release: [JSON], adopt: [JSON]) {
        guard hasNotes else { return ([], []) }
        let releases = toRelease.removeValue(forKey: key) ?? []
        var adoptions = toAdopt.removeValue(forKey: key) ?? []
        if scanOrphans.remove(key) != nil { adoptions.formUnion(orphans[owner.namespace] ?? []) }
        guard !owner.isTerminating else { return ([], []) }
        let selector = selector(of: owner, key: key)
        var release: [JSON] = []
        for podKey in releases.sorted() {
            guard let pod = pods[podKey], pod.controllerRef?["uid"].string == owner.uid,
                  !(selector?.matches(pod.labels) ?? false) else { continue }
            release.append(pod)
        }
        var adopt: [JSON] = []
        if let selector {
            for podKey in adoptions.sorted() {
                guard orphans[owner.namespace]?.contains(podKey) == true, let pod = pods[podKey], pod.controllerRef == nil,
                      selector.matches(pod.labels) else { continue }
                orphans[owner.namespace]?.remove(podKey)
                adopt.append(pod)
            }
        }
        return (release, adopt)
    }

    /// Remembers a claim's patch until its answer.
    mutating func sent(_ tag: UInt64, _ claim: Claim) { waiting[tag] = claim }

    /// The claim an answer is for, if it is one.
    mutating func answered(_ tag: UInt64) -> Claim? {
        waiting.isEmpty ? nil : waiting.removeValue(forKey: tag)
    }

    /// A refused claim: notes it again if the cache says it still applies (the owner's
    /// sync, after a backoff, looks at it again).
    mutating func retry(_ claim: Claim, pod: JSON?) {
        guard let pod else { return }
        let controller = pod.controllerRef?["uid"].string
        if controller == claim.ownerUID, !claim.adopt {
            toRelease[claim.owner, default: []].insert(claim.pod)
        } else if controller == nil, claim.adopt, PodStatus.isActive(pod), !pod.isTerminating {
            orphans[pod.namespace, default: []].insert(claim.pod)
            toAdopt[claim.owner, default: []].insert(claim.pod)
        }
    }
}
