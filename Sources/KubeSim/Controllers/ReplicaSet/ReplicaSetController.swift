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
    /// Adoptions sent and not yet seen on the watch: pod key → adopting ReplicaSet's uid;
    /// and the adoption and release patches waiting for their answer, by tag.
    private var adopting: [String: String] = [:]
    private var claims: [UInt64: (owner: String, pod: String)] = [:]
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
        if adopting[key] == uid { adopting[key] = nil }
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
            orphans[ns]?.remove(event.key)
            return
        }
        orphans[ns, default: []].insert(event.key)
        for rsKey in (replicaSetsByNamespace[ns] ?? []).sorted() {
            guard let rs = replicaSets[rsKey], let selector = selector(of: rs, key: rsKey),
                  selector.matches(pod.labels) else { continue }
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
            // A failed adoption or release (the pod changed or went): look again later.
            if case .failure = response.result {
                if adopting[claim.pod] != nil { adopting[claim.pod] = nil }
                queue.addRateLimited(claim.owner, &ctx)
            }
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

    /// The active pods the ReplicaSet controls after claiming (ClaimPods): those it controls
    /// and still selects, and the orphans it adopts now or adopted before the watch showed it.
    private func claimPods(_ rs: JSON, key: String, _ ctx: inout Context) -> [JSON] {
        let selector = selector(of: rs, key: key)
        var claimed: [JSON] = []
        for pod in activePods(of: rs) {
            if let selector, selector.matches(pod.labels) {
                claimed.append(pod)
            } else if rs.isTerminating {
                // A ReplicaSet being deleted releases nothing (and adopts nothing).
                claimed.append(pod)
            } else if let request = PodClaims.release(pod, from: rs.uid) {
                claims[client.send(request, &ctx)] = (key, pod.objectKey)
            }
        }
        guard let selector, !rs.isTerminating, let candidates = orphans[rs.namespace], !candidates.isEmpty else {
            return claimed
        }
        let controlled = claimed.count
        for podKey in candidates.sorted() {
            guard let pod = pods[podKey], selector.matches(pod.labels) else { continue }
            if let adopter = adopting[podKey] {
                if adopter == rs.uid { claimed.append(pod) }
                continue
            }
            adopting[podKey] = rs.uid
            claims[client.send(PodClaims.adopt(pod, by: rs), &ctx)] = (key, podKey)
            claimed.append(pod)
        }
        if claimed.count > controlled { claimed.sort { $0.objectKey < $1.objectKey } }
        return claimed
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
