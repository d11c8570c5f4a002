/// Keeps each ReplicaSet's pod count at `spec.replicas` and reports its status.
/// Mirrors pkg/controller/replicaset/replica_set.go: handlers only enqueue the owning
/// ReplicaSet's key (an orphan's, every ReplicaSet of its namespace that selects it); `sync`
/// claims its pods (`PodClaims`: adopts matching orphans, releases pods it no longer
/// selects), recounts from the cache, and expectations stop double work.
final class ReplicaSetController: Controller {
    var client = ClientRuntime()
    private var recorder: EventRecorder
    private let replicaSets: SharedInformer
    private let pods: SharedInformer
    /// Controller-owner uid → keys of the pods it controls.
    private var podsByOwner: [String: Set<String>] = [:]
    /// Namespace → keys of its active pods that no controller controls (adoption candidates).
    private var orphans: [String: Set<String>] = [:]
    /// Namespace → keys of its ReplicaSets, and each ReplicaSet's parsed selector by key
    /// (with the uid it was parsed for: `spec.selector` is immutable in apps/v1).
    private var replicaSetsByNamespace: [String: Set<String>] = [:]
    private var selectors: [String: (uid: String, selector: LabelSelector?)] = [:]
    /// Pods a ReplicaSet's next sync should consider adopting or releasing (by its key), and
    /// new ReplicaSets that should look at every orphan of their namespace once. Hints only:
    /// the sync checks each against the cache, so a sync costs nothing when nothing changed.
    private var toAdopt: [String: Set<String>] = [:]
    private var toRelease: [String: Set<String>] = [:]
    private var scanOrphans: Set<String> = []
    /// Adoption and release patches waiting for their answer, by tag.
    private var claims: [UInt64: Claim] = [:]
    private struct Claim {
        var owner: String
        var ownerUID: String
        var pod: String
        var adopt: Bool
    }
    private var queue = WorkQueue()
    private var expectations = ControllerExpectations()
    private var pending: [UInt64: PodControl.PendingWrite] = [:]
    /// `BurstReplicas`: at most this many creates or deletes per sync.
    static let burstReplicas = 500

    init(informers: SharedInformerFactory, version: KubernetesVersion) {
        replicaSets = informers.informer("replicasets")
        pods = informers.informer("pods")
        recorder = EventRecorder(component: "replicaset-controller", version: version)
    }

    var handledInformers: [SharedInformer] { [replicaSets, pods] }

    func observe(_ informer: SharedInformer, _ event: WatchEvent, old: JSON?, _ ctx: inout Context) {
        if informer === replicaSets {
            let ns = event.object.namespace
            if event.type == .deleted {
                replicaSetsByNamespace[ns]?.remove(event.key)
                selectors[event.key] = nil
            } else if old == nil {
                replicaSetsByNamespace[ns, default: []].insert(event.key)
                if !(orphans[ns]?.isEmpty ?? true) { scanOrphans.insert(event.key) }
            }
            enqueue(event.key, &ctx)
        } else {
            podChanged(event, old: old, &ctx)
        }
    }

    func timerFired(_ tag: Int, _ ctx: inout Context) {
        if queue.timerFired(tag, &ctx) {
            while let key = queue.pop() { sync(key, &ctx) }
        }
    }

    private func enqueue(_ key: String, _ ctx: inout Context) { queue.enqueue(key, &ctx) }

    private func ownerKey(_ pod: JSON) -> String? {
        guard let ref = pod.controllerRef, ref["kind"].string == "ReplicaSet", let name = ref["name"].string else {
            return nil
        }
        return "\(pod.namespace)/\(name)"
    }

    /// The uid of the ReplicaSet that controls `pod`, if one does.
    private func controllerUID(_ pod: JSON) -> String? {
        guard let ref = pod.controllerRef, ref["kind"].string == "ReplicaSet", ref["name"].string != nil else { return nil }
        return ref["uid"].string
    }

    private func podChanged(_ event: WatchEvent, old: JSON?, _ ctx: inout Context) {
        let key = event.key
        let uid = controllerUID(event.object)
        let oldUID = old.flatMap(controllerUID)
        // A pod released by its ReplicaSet (or now controlled by another) no longer counts
        // there, and that ReplicaSet looks again (upstream's updatePod syncs the old
        // controller too). Adopting orphans is not modelled.
        if event.type != .deleted, let oldUID, oldUID != uid, let old, let oldKey = ownerKey(old) {
            podsByOwner[oldUID]?.remove(key)
            enqueue(oldKey, &ctx)
        }
        trackOrphan(event, &ctx)
        guard let uid, let rsKey = ownerKey(event.object) else { return }
        // Relabelled out of its ReplicaSet's selector: the sync releases it.
        if event.type != .deleted, oldUID == uid, let old, old.labels != event.object.labels,
           let rs = replicaSets[rsKey], rs.uid == uid, !(selector(of: rs, key: rsKey)?.matches(event.object.labels) ?? false)
        {
            toRelease[rsKey, default: []].insert(key)
        }
        if event.type == .deleted {
            podsByOwner[uid]?.remove(key)
        } else if oldUID != uid {
            podsByOwner[uid, default: []].insert(key)
        }
        expectations.observe(event.type, owner: rsKey, pod: key, wasTerminating: old?.isTerminating == true,
                             isTerminating: event.object.isTerminating)
        enqueue(rsKey, &ctx)
    }

    /// Keeps the orphan index, and asks every ReplicaSet of the namespace that selects an
    /// orphan to look at it (upstream's addPod/updatePod `getPodReplicaSets`).
    private func trackOrphan(_ event: WatchEvent, _ ctx: inout Context) {
        let pod = event.object
        let ns = pod.namespace
        guard event.type != .deleted, pod.controllerRef == nil, PodStatus.isActive(pod), !pod.isTerminating else {
            if !orphans.isEmpty { orphans[ns]?.remove(event.key) }
            return
        }
        orphans[ns, default: []].insert(event.key)
        for rsKey in (replicaSetsByNamespace[ns] ?? []).sorted() {
            guard let rs = replicaSets[rsKey], let selector = selector(of: rs, key: rsKey),
                  selector.matches(pod.labels) else { continue }
            toAdopt[rsKey, default: []].insert(event.key)
            enqueue(rsKey, &ctx)
        }
    }

    /// The ReplicaSet's selector, parsed once; nil selects nothing.
    private func selector(of rs: JSON, key: String) -> LabelSelector? {
        if let cached = selectors[key], cached.uid == rs.uid { return cached.selector }
        var parsed: LabelSelector?
        if case .success(let s) = LabelSelector.fromJSON(rs["spec", "selector"], fieldPath: "spec.selector") { parsed = s }
        selectors[key] = (rs.uid, parsed)
        return parsed
    }

    func answered(_ response: APIResponse, _ ctx: inout Context) {
        if let claim = claims.removeValue(forKey: response.tag) {
            if case .failure = response.result { claimFailed(claim, &ctx) }
            return
        }
        guard let write = pending.removeValue(forKey: response.tag) else { return }
        PodControl.answered(response.result, to: write, owners: replicaSets, expectations: &expectations,
                            recorder: &recorder, client: &client, queue: &queue, &ctx)
    }

    /// The pods this ReplicaSet controls that count toward its replicas.
    private func activePods(of rs: JSON) -> [JSON] {
        let keys = (podsByOwner[rs.uid] ?? []).sorted()
        return keys.compactMap { pods[$0] }.filter(PodStatus.isActive)
    }

    func sync(_ key: String, _ ctx: inout Context) {
        guard let rs = replicaSets[key] else {
            expectations.forget(key)
            return
        }
        let active = claimPods(rs, key: key, &ctx)
        if expectations.satisfied(key, now: ctx.now), !rs.isTerminating {
            manageReplicas(rs, key: key, active: active, &ctx)
        }
        updateStatus(rs, active: active, &ctx)
    }

    /// Claims the ReplicaSet's pods (ClaimPods), then returns the active ones it controls.
    /// Releases and adoptions count at once: the indexes change as the patches leave, and
    /// go back if a patch fails.
    private func claimPods(_ rs: JSON, key: String, _ ctx: inout Context) -> [JSON] {
        guard !toRelease.isEmpty || !toAdopt.isEmpty || !scanOrphans.isEmpty else { return activePods(of: rs) }
        let releases = toRelease.removeValue(forKey: key) ?? []
        var adoptions = toAdopt.removeValue(forKey: key) ?? []
        if scanOrphans.remove(key) != nil { adoptions.formUnion(orphans[rs.namespace] ?? []) }
        // A ReplicaSet being deleted neither releases nor adopts.
        guard !rs.isTerminating else { return activePods(of: rs) }
        let selector = selector(of: rs, key: key)
        for podKey in releases.sorted() {
            guard let pod = pods[podKey], pod.controllerRef?["uid"].string == rs.uid,
                  !(selector?.matches(pod.labels) ?? false),
                  let request = PodClaims.release(pod, from: rs.uid) else { continue }
            podsByOwner[rs.uid]?.remove(podKey)
            claims[client.send(request, &ctx)] = Claim(owner: key, ownerUID: rs.uid, pod: podKey, adopt: false)
        }
        if let selector {
            for podKey in adoptions.sorted() {
                guard orphans[rs.namespace]?.contains(podKey) == true, let pod = pods[podKey], pod.controllerRef == nil,
                      selector.matches(pod.labels) else { continue }
                orphans[rs.namespace]?.remove(podKey)
                podsByOwner[rs.uid, default: []].insert(podKey)
                claims[client.send(PodClaims.adopt(pod, by: rs), &ctx)] = Claim(owner: key, ownerUID: rs.uid, pod: podKey, adopt: true)
            }
        }
        return activePods(of: rs)
    }

    /// A refused adoption or release (the pod changed or went): the indexes go back to what
    /// the cache holds, and the ReplicaSet looks again after a backoff.
    private func claimFailed(_ claim: Claim, _ ctx: inout Context) {
        if let pod = pods[claim.pod] {
            let controller = pod.controllerRef?["uid"].string
            if controller == claim.ownerUID {
                podsByOwner[claim.ownerUID, default: []].insert(claim.pod)
                if !claim.adopt { toRelease[claim.owner, default: []].insert(claim.pod) }
            } else {
                podsByOwner[claim.ownerUID]?.remove(claim.pod)
                if controller == nil, PodStatus.isActive(pod), !pod.isTerminating {
                    orphans[pod.namespace, default: []].insert(claim.pod)
                    toAdopt[claim.owner, default: []].insert(claim.pod)
                }
            }
        } else {
            podsByOwner[claim.ownerUID]?.remove(claim.pod)
        }
        queue.addRateLimited(claim.owner, &ctx)
    }

    private func manageReplicas(_ rs: JSON, key: String, active: [JSON], _ ctx: inout Context) {
        let want = max(0, rs["spec", "replicas"].int ?? 1)
        let diff = active.count - want
        if diff < 0 {
            let n = min(-diff, Self.burstReplicas)
            expectations.expect(key, adds: n, deletions: [], now: ctx.now)
            for _ in 0..<n {
                var request = APIRequest(.create, "pods", namespace: rs.namespace)
                request.body = PodTemplate.pod(from: rs["spec", "template"], owner: rs, generateName: rs.name + "-")
                let tag = client.send(request, &ctx)
                pending[tag] = .create(owner: key)
            }
        } else if diff > 0 {
            let victims = Array(PodRanking.deletionOrder(active, related: active).prefix(min(diff, Self.burstReplicas)))
            expectations.expect(key, adds: 0, deletions: victims.map(\.objectKey), now: ctx.now)
            for pod in victims {
                let tag = client.send(APIRequest(.delete, "pods", namespace: pod.namespace, name: pod.name), &ctx)
                pending[tag] = .delete(owner: key, pod: pod.name)
            }
        }
    }

    private func updateStatus(_ rs: JSON, active: [JSON], _ ctx: inout Context) {
        let minReady = Int64(rs["spec", "minReadySeconds"].int ?? 0)
        let templateLabels = LabelSelector(matchingLabels: rs["spec", "template", "metadata"].labelMapFromLabels)
        var ready = 0, available = 0, fullyLabeled = 0
        var nextCheck: Duration?
        for pod in active {
            if templateLabels.matches(pod.labels) { fullyLabeled += 1 }
            guard PodStatus.isReady(pod) else { continue }
            ready += 1
            if minReady == 0 {
                available += 1
                continue
            }
            let since = PodStatus.readySince(pod) ?? ctx.now
            let wait = since + .seconds(minReady)
            if wait <= ctx.now {
                available += 1
            } else {
                let remaining = wait - ctx.now
                nextCheck = nextCheck.map { min($0, remaining) } ?? remaining
            }
        }
        var status = rs["status"]
        status["replicas"] = .int(active.count)
        status["fullyLabeledReplicas"] = .int(fullyLabeled)
        status["readyReplicas"] = .int(ready)
        status["availableReplicas"] = .int(available)
        status["observedGeneration"] = .int(rs.generation)
        // Zero counts are omitted, as Go's omitempty drops them.
        for field in ["fullyLabeledReplicas", "readyReplicas", "availableReplicas"] where status[field].int == 0 {
            status[field] = .null
        }
        if let nextCheck { queue.add(rs.objectKey, after: nextCheck, &ctx) }
        guard status != rs["status"] else { return }
        pending[client.send(.updateStatus("replicasets", rs, status: status), &ctx)] = .status
    }
}
