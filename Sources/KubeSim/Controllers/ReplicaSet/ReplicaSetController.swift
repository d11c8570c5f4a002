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
    private var podsByOwner = StringTable<StringSet>()
    /// Which pods the next syncs must adopt or release.
    private var claims = PodClaimTracker(ownerKind: "ReplicaSet")
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
            claims.ownerChanged(event, old: old)
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

    private func podChanged(_ event: WatchEvent, old: JSON?, _ ctx: inout Context) {
        let key = event.key
        let controller = pods.controllerReference(of: event.object)
        let oldController = old.flatMap(pods.controllerReference(of:))
        let uid = controller?.uid(ofKind: "ReplicaSet")
        let oldUID = oldController?.uid(ofKind: "ReplicaSet")
        // A pod released by its ReplicaSet (or now controlled by another) no longer counts
        // there, and that ReplicaSet looks again (upstream's updatePod syncs the old
        // controller too).
        if event.type != .deleted, let oldUID, oldUID != uid, let old, let oldName = oldController?.name {
            podsByOwner[oldUID]?.remove(key)
            enqueue(.concatenating(old.namespace, "/", oldName), &ctx)
        }
        for rsKey in claims.podChanged(event, old: old, controller: controller, owners: replicaSets) { enqueue(rsKey, &ctx) }
        guard let uid, let rsKey = controller?.key(in: event.object.namespace) else { return }
        if event.type == .deleted {
            podsByOwner[uid]?.remove(key)
        } else if oldUID != uid {
            podsByOwner[uid, default: []].insert(key)
        }
        expectations.observe(event.type, owner: rsKey, pod: key, wasTerminating: old?.isTerminating == true,
                             isTerminating: event.object.isTerminating)
        enqueue(rsKey, &ctx)
    }

    func answered(_ response: APIResponse, _ ctx: inout Context) {
        if let claim = claims.answered(response.tag) {
            if case .failure = response.result { claimFailed(claim, &ctx) }
            return
        }
        guard let write = pending.removeValue(forKey: response.tag) else { return }
        PodControl.answered(response.result, to: write, owners: replicaSets, expectations: &expectations,
                            recorder: &recorder, client: &client, queue: &queue, &ctx)
    }

    /// The pods this ReplicaSet controls that count toward its replicas. While a claim is in
    /// flight the index may name a pod by a key now held by another object (deleted and made
    /// again): then each pod's controller is checked too.
    ///
    /// In no particular order: the sync counts them, and ranks them for deletion by an order
    /// that ends in the pod's key (`PodRanking`), so no result depends on the set's order.
    private func activePods(of rs: JSON) -> [JSON] {
        guard let keys = podsByOwner[rs.uid], !keys.isEmpty else { return [] }
        let checkController = claims.hasClaimsInFlight
        var active: [JSON] = []
        active.reserveCapacity(keys.count)
        for key in keys {
            guard let pod = pods[key], PodStatus.isActive(pod) else { continue }
            if checkController, let uid = pod.controllerRef?["uid"].string, uid != rs.uid { continue }
            active.append(pod)
        }
        return active
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
    /// Releases and adoptions count at once: the index changes as the patches leave, and
    /// goes back if a patch fails.
    private func claimPods(_ rs: JSON, key: String, _ ctx: inout Context) -> [JSON] {
        let (release, adopt) = claims.take(for: rs, key: key, pods: pods) { podsByOwner[rs.uid].map(Array.init) ?? [] }
        for pod in release {
            guard let request = PodClaims.release(pod, from: rs.uid) else { continue }
            podsByOwner[rs.uid]?.remove(pod.objectKey)
            claims.sent(client.send(request, &ctx), .init(owner: key, ownerUID: rs.uid, pod: pod.objectKey, adopt: false))
        }
        for pod in adopt {
            podsByOwner[rs.uid, default: []].insert(pod.objectKey)
            claims.sent(client.send(PodClaims.adopt(pod, by: rs), &ctx), .init(owner: key, ownerUID: rs.uid, pod: pod.objectKey, adopt: true))
        }
        return activePods(of: rs)
    }

    /// A refused adoption or release (the pod changed or went): the index goes back to what
    /// the cache holds, and the ReplicaSet looks again after a backoff.
    private func claimFailed(_ claim: PodClaimTracker.Claim, _ ctx: inout Context) {
        let pod = pods[claim.pod]
        if pod?.controllerRef?["uid"].string == claim.ownerUID {
            podsByOwner[claim.ownerUID, default: []].insert(claim.pod)
        } else {
            podsByOwner[claim.ownerUID]?.remove(claim.pod)
        }
        for owner in claims.retry(claim, pod: pod, owners: replicaSets) where owner != claim.owner { enqueue(owner, &ctx) }
        queue.addRateLimited(claim.owner, &ctx)
    }

    private func manageReplicas(_ rs: JSON, key: String, active: [JSON], _ ctx: inout Context) {
        let want = max(0, rs["spec", "replicas"].int ?? 1)
        let diff = active.count - want
        if diff < 0 {
            let n = min(-diff, Self.burstReplicas)
            expectations.expect(key, adds: n, deletions: [], now: ctx.now)
            // Read once for the burst: every pod of it shares them.
            let (namespace, template, generateName) = (rs.namespace, rs["spec", "template"], rs.name + "-")
            let ownerReferences = PodTemplate.ownerReferences(controller: rs)
            for _ in 0..<n {
                var request = APIRequest(.create, "pods", namespace: namespace)
                request.body = PodTemplate.pod(from: template, namespace: namespace, ownerReferences: ownerReferences,
                                               generateName: generateName)
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
        let templateLabels = rs["spec", "template", "metadata", "labels"].object
        var ready = 0, available = 0, fullyLabeled = 0
        var nextCheck: Duration?
        for pod in active {
            if Self.hasEvery(templateLabels, in: pod.labels) { fullyLabeled += 1 }
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

    /// Whether `labels` carries every label of `wanted` with the same value (both read as
    /// `mapStringValue`): whether the selector upstream builds from the template's labels
    /// (`SelectorFromSet`) matches, read where the labels lie rather than through a selector
    /// built on every sync.
    private static func hasEvery(_ wanted: JSONObject?, in labels: JSON) -> Bool {
        guard let wanted, !wanted.isEmpty else { return true }
        let have = labels.object
        // The pods made from the template hold its labels, one buffer.
        if let have, have.sharesBuffer(with: wanted) { return true }
        for (key, value) in wanted {
            guard let value = value.mapStringValue else { continue }
            if have?[key]?.mapStringValue != value { return false }
        }
        return true
    }
}
