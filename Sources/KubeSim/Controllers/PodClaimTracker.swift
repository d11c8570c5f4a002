/// What a controller that claims pods (`PodClaims`: the ReplicaSet and DaemonSet controllers)
/// keeps to claim incrementally. Upstream's sync lists every pod of the namespace and claims
/// from the list; here the watch notes which pods a sync must look at (a controlled pod that
/// its owner's selector does not match, an orphan an owner's selector matches, every orphan
/// for a new owner, every controlled pod for a new owner), so a sync with nothing noted does
/// no claiming work. The notes are hints: `take` checks each against the cache.
struct PodClaimTracker {
    /// The owners' kind (`ReplicaSet`, `DaemonSet`).
    let ownerKind: String
    /// Namespace → keys of its active pods that no controller controls.
    private var orphans = StringTable<StringSet>()
    /// Namespace → keys of its owners; each owner's parsed selector by key, with the uid it was
    /// parsed for (`spec.selector` is immutable in apps/v1).
    private var ownersByNamespace = StringTable<StringSet>()
    private var selectors = StringTable<(uid: String, selector: LabelSelector?)>()
    private var toAdopt = StringTable<StringSet>()
    private var toRelease = StringTable<StringSet>()
    /// New owners, whose first sync looks at every orphan of the namespace and every pod
    /// that already names them (pods seen before their owner).
    private var newOwners = StringSet()
    /// Adoption and release patches waiting for their answer, by tag, and the pods they are
    /// for: a pod with a claim in flight is noted for nobody else until the answer.
    private var waiting: [UInt64: Claim] = [:]
    private var inFlight = StringSet()

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
            newOwners.remove(event.key)
        } else if old == nil {
            ownersByNamespace[ns, default: []].insert(event.key)
            newOwners.insert(event.key)
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

    /// A pod changed: notes an orphan for the owners that select it, and a controlled pod its
    /// owner's selector does not match (new, or relabelled) for that owner. Returns the
    /// owners to sync for the orphan (upstream's addPod/updatePod `getPodReplicaSets`,
    /// `getDaemonSetsForPod`), in key order.
    ///
    /// `controller` is the pod's `controllerReference`, which the caller has read already.
    mutating func podChanged(_ event: WatchEvent, old: JSON?, controller: ControllerReference?,
                             owners: SharedInformer) -> [String] {
        let pod = event.object
        assert(controller?.uid == pod.controllerReference?.uid, "controller must be the pod's own")
        // Read when needed: most pods are no orphan, and their labels stay as they were.
        var ns: String { pod.namespace }
        // Another kind's pod (the DaemonSet controller sees every ReplicaSet's) is nobody's
        // orphan here, whatever its state.
        if let ref = controller, ref.kind != ownerKind {
            if !orphans.isEmpty { orphans[ns]?.remove(event.key) }
            return []
        }
        guard event.type != .deleted, !pod.isTerminating else {
            if !orphans.isEmpty { orphans[ns]?.remove(event.key) }
            return []
        }
        if let ref = controller {
            if !orphans.isEmpty { orphans[ns]?.remove(event.key) }
            guard old.map({ $0.labels != pod.labels }) ?? true, let name = ref.name else { return [] }
            let key = String.concatenating(ns, "/", name)
            if let owner = owners[key], owner.uid == ref.uid,
               !(selector(of: owner, key: key)?.matches(pod.labels) ?? false)
            {
                toRelease[key, default: []].insert(event.key)
            }
            return []
        }
        guard PodStatus.isActive(pod), !inFlight.contains(event.key) else {
            if !orphans.isEmpty { orphans[ns]?.remove(event.key) }
            return []
        }
        return noteOrphan(event.key, pod, owners: owners)
    }

    /// Indexes an orphan and notes it for every owner that selects it; returns those owners.
    private mutating func noteOrphan(_ podKey: String, _ pod: JSON, owners: SharedInformer) -> [String] {
        let ns = pod.namespace
        orphans[ns, default: []].insert(podKey)
        var selecting: [String] = []
        for key in (ownersByNamespace[ns] ?? []).sorted() {
            guard let owner = owners[key], !owner.isTerminating, let selector = selector(of: owner, key: key),
                  selector.matches(pod.labels) else { continue }
            toAdopt[key, default: []].insert(podKey)
            selecting.append(key)
        }
        return selecting
    }

    var hasNotes: Bool { !toRelease.isEmpty || !toAdopt.isEmpty || !newOwners.isEmpty }
    /// Whether a claim is waiting for its answer (a pod may then be counted by its key alone).
    var hasClaimsInFlight: Bool { !inFlight.isEmpty }

    /// The pods `owner` must release and adopt now, in key order, checked against the cache;
    /// `controlled` lists the keys of the pods indexed as its own (read only for a new owner).
    /// Adopted pods leave the orphan index at once, so no other owner takes them meanwhile. An
    /// owner being deleted neither releases nor adopts (its notes wait until it is gone).
    mutating func take(for owner: JSON, key: String, pods: SharedInformer,
                       controlled: () -> [String]) -> (release: [JSON], adopt: [JSON]) {
        guard hasNotes, !owner.isTerminating else { return ([], []) }
        var releases = toRelease.removeValue(forKey: key) ?? []
        var adoptions = toAdopt.removeValue(forKey: key) ?? []
        if newOwners.remove(key) != nil {
            adoptions.formUnion(orphans[owner.namespace] ?? [])
            releases.formUnion(controlled())
        }
        let selector = selector(of: owner, key: key)
        var release: [JSON] = []
        for podKey in releases.sorted() where !inFlight.contains(podKey) {
            guard let pod = pods[podKey], pod.controllerRef?["uid"].string == owner.uid, !pod.isTerminating,
                  !(selector?.matches(pod.labels) ?? false) else { continue }
            release.append(pod)
        }
        var adopt: [JSON] = []
        if let selector {
            for podKey in adoptions.sorted() where !inFlight.contains(podKey) {
                guard orphans[owner.namespace]?.contains(podKey) == true, let pod = pods[podKey], pod.controllerRef == nil,
                      selector.matches(pod.labels) else { continue }
                orphans[owner.namespace]?.remove(podKey)
                adopt.append(pod)
            }
        }
        return (release, adopt)
    }

    /// Remembers a claim's patch until its answer.
    mutating func sent(_ tag: UInt64, _ claim: Claim) {
        waiting[tag] = claim
        inFlight.insert(claim.pod)
    }

    /// The claim an answer is for, if it is one.
    mutating func answered(_ tag: UInt64) -> Claim? {
        guard !waiting.isEmpty, let claim = waiting.removeValue(forKey: tag) else { return nil }
        inFlight.remove(claim.pod)
        return claim
    }

    /// A refused claim: notes the pod again as the cache now shows it, for every owner that
    /// may claim it (the refused one's sync comes after a backoff). Returns the owners to sync.
    mutating func retry(_ claim: Claim, pod: JSON?, owners: SharedInformer) -> [String] {
        guard let pod, !pod.isTerminating else { return [] }
        if let ref = pod.controllerRef {
            if ref["uid"].string == claim.ownerUID, ownersByNamespace[pod.namespace]?.contains(claim.owner) == true {
                toRelease[claim.owner, default: []].insert(claim.pod)
                return [claim.owner]
            }
            return []
        }
        guard PodStatus.isActive(pod) else { return [] }
        return noteOrphan(claim.pod, pod, owners: owners)
    }
}
