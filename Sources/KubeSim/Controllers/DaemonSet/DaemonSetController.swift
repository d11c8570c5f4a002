/// Runs one pod of each DaemonSet on every node that should run it, and reports its status.
/// Mirrors pkg/controller/daemon/daemon_controller.go: handlers enqueue the DaemonSet's key;
/// `sync` works from the caches (nodes, the set's pods by node), creates the missing pods
/// (pinned by a `metadata.name` node affinity and placed by the scheduler), deletes pods on
/// nodes that must not run them and surplus ones, then runs the update strategy
/// (`+Update.swift`) and writes status.
final class DaemonSetController: Controller {
    var client = ClientRuntime()
    var recorder: EventRecorder
    let daemonSets: SharedInformer
    let pods: SharedInformer
    let nodes: SharedInformer
    let revisions: SharedInformer
    /// Owner uid → keys of its ControllerRevisions.
    var revisionsByOwner = StringTable<StringSet>()
    /// Revisions asked for and not yet seen, so a sync does not ask twice.
    var pendingRevisions = StringSet()
    /// Controller-owner uid → keys of the pods it controls.
    var podsByOwner = StringTable<StringSet>()
    /// Controller-owner uid → target node → keys of its pods for that node ("" for none).
    var podsByOwnerNode = StringTable<StringTable<StringSet>>()
    /// Pod key → the node it is indexed under.
    private var podTarget = StringTable<String>()
    /// Set key → what the last syncs worked out (see DaemonSetState).
    var states = StringTable<DaemonSetState>()
    /// Set key → its template's revision data and hash, for the generation and collision
    /// count they were worked out at: hashing the template's canonical JSON on every sync
    /// cost more than the rest of the sync.
    var templateHashes = StringTable<TemplateHash>()
    struct TemplateHash {
        var uid: String
        var generation: Int
        var collisionCount: Int
        var data: JSON
        var hash: String
    }
    var queue = WorkQueue()
    var expectations = ControllerExpectations()
    var pending: [UInt64: PodControl.PendingWrite] = [:]
    /// Which pods the next syncs must adopt or release (`PodClaims`).
    var claims = PodClaimTracker(ownerKind: "DaemonSet")
    /// `BurstReplicas` of the DaemonSet controller.
    static let burstReplicas = 250

    init(informers: SharedInformerFactory, version: KubernetesVersion) {
        daemonSets = informers.informer("daemonsets")
        pods = informers.informer("pods")
        nodes = informers.informer("nodes")
        revisions = informers.informer("controllerrevisions")
        recorder = EventRecorder(component: "daemonset-controller", version: version)
    }

    var handledInformers: [SharedInformer] { [daemonSets, pods, nodes, revisions] }

    func observe(_ informer: SharedInformer, _ event: WatchEvent, old: JSON?, _ ctx: inout Context) {
        if informer === daemonSets {
            claims.ownerChanged(event, old: old)
            let key = event.key
            let new: JSON? = event.type == .deleted ? nil : event.object
            if new == nil || old?["spec"] != new?["spec"] || old?.uid != new?.uid { states[key] = nil }
            queue.enqueue(key, &ctx)
        } else if informer === pods {
            podChanged(event, old: old, &ctx)
        } else if informer === nodes {
            nodeChanged(event, old: old, &ctx)
        } else if informer === revisions {
            let key = event.key
            pendingRevisions.remove(key)
            if let ref = event.object.controllerRef, ref["kind"].string == "DaemonSet", let uid = ref["uid"].string {
                if event.type == .deleted { revisionsByOwner[uid]?.remove(key) } else { revisionsByOwner[uid, default: []].insert(key) }
            }
        }
    }

    func timerFired(_ tag: Int, _ ctx: inout Context) {
        if queue.timerFired(tag, &ctx) {
            while let key = queue.pop() { sync(key, &ctx) }
        }
    }

    private func podChanged(_ event: WatchEvent, old: JSON?, _ ctx: inout Context) {
        let key = event.key
        let controller = pods.controllerReference(of: event.object)
        let uid = controller?.uid(ofKind: "DaemonSet")
        // A pod released by its DaemonSet (or now controlled by another) leaves that set's
        // indexes, and the set looks again at the node it was on.
        if event.type != .deleted, let old, let oldController = pods.controllerReference(of: old),
            let oldUID = oldController.uid(ofKind: "DaemonSet"), oldUID != uid, let oldName = oldController.name
        {
            let oldKey = String.concatenating(old.namespace, "/", oldName)
            unindex(key, from: oldUID, dsKey: oldKey)
            queue.enqueue(oldKey, &ctx)
        }
        for dsKey in claims.podChanged(event, old: old, controller: controller, owners: daemonSets) { queue.enqueue(dsKey, &ctx) }
        guard let uid, let dsKey = controller?.key(in: event.object.namespace) else { return }
        // Re-index the pod under its target node; both nodes need a fresh look.
        let previous = podTarget[key]
        let target = event.type == .deleted ? nil : (DaemonSetUtil.targetNode(event.object) ?? "")
        if let previous, previous != target { podsByOwnerNode[uid]?[previous]?.remove(key) }
        if let target { podsByOwnerNode[uid, default: [:]][target, default: []].insert(key) }
        podTarget[key] = target
        for node in [previous, target].compactMap({ $0 }) { states.modifyValue(forKey: dsKey) { $0.touch(node) } }
        if event.type == .deleted { podsByOwner[uid]?.remove(key) } else { podsByOwner[uid, default: []].insert(key) }
        expectations.observe(event.type, owner: dsKey, pod: key, wasTerminating: old?.isTerminating == true,
                             isTerminating: event.object.isTerminating)
        queue.enqueue(dsKey, &ctx)
    }

    /// A node added, changed (labels, taints, cordon) or removed may change where every
    /// DaemonSet should run.
    private func nodeChanged(_ event: WatchEvent, old: JSON?, _ ctx: inout Context) {
        let new: JSON? = event.type == .deleted ? nil : event.object
        let name = event.object.name
        var lo = 0, hi = nodeNames.count  // binary search for name's place
        while lo < hi {
            let mid = (lo + hi) / 2
            if nodeNames[mid] < name { lo = mid + 1 } else { hi = mid }
        }
        let index = lo
        let present = index < nodeNames.count && nodeNames[index] == name
        if event.type == .deleted, present { nodeNames.remove(at: index) }
        if event.type != .deleted, !present { nodeNames.insert(name, at: index) }
        if event.type == .modified, let old, let new, old.labels == new.labels,
            old["spec", "taints"] == new["spec", "taints"]
        {
            return  // status-only changes (heartbeats) do not move daemon pods
        }
        for key in daemonSets.objects.keys.sorted() {
            states.modifyValue(forKey: key) { $0.touch(name) }
            queue.enqueue(key, &ctx)
        }
    }

    /// Takes the pod out of the indexes of the set `uid` (`dsKey`), which looks again at its
    /// node; `keepTarget` leaves the pod's node entry to the set that controls it now.
    private func unindex(_ podKey: String, from uid: String, dsKey: String, keepTarget: Bool = false) {
        podsByOwner[uid]?.remove(podKey)
        guard let node = keepTarget ? podTarget[podKey] : podTarget.removeValue(forKey: podKey) else { return }
        podsByOwnerNode[uid]?[node]?.remove(podKey)
        states.modifyValue(forKey: dsKey) { $0.touch(node) }
    }

    /// Indexes the pod under the set `uid` (`dsKey`) and its target node.
    private func index(_ pod: JSON, under uid: String, dsKey: String) {
        let podKey = pod.objectKey
        let target = DaemonSetUtil.targetNode(pod) ?? ""
        if let previous = podTarget[podKey], previous != target { podsByOwnerNode[uid]?[previous]?.remove(podKey) }
        podsByOwner[uid, default: []].insert(podKey)
        podsByOwnerNode[uid, default: [:]][target, default: []].insert(podKey)
        podTarget[podKey] = target
        states.modifyValue(forKey: dsKey) { $0.touch(target) }
    }

    /// Claims the set's pods (ClaimPods): releases those it no longer selects and adopts the
    /// orphans it selects, both counted at once (the indexes go back if a patch fails).
    private func claimPods(_ ds: JSON, key: String, _ ctx: inout Context) {
        let (release, adopt) = claims.take(for: ds, key: key, pods: pods) { podsByOwner[ds.uid].map(Array.init) ?? [] }
        for pod in release {
            guard let request = PodClaims.release(pod, from: ds.uid) else { continue }
            unindex(pod.objectKey, from: ds.uid, dsKey: key)
            claims.sent(client.send(request, &ctx), .init(owner: key, ownerUID: ds.uid, pod: pod.objectKey, adopt: false))
        }
        for pod in adopt {
            index(pod, under: ds.uid, dsKey: key)
            claims.sent(client.send(PodClaims.adopt(pod, by: ds), &ctx), .init(owner: key, ownerUID: ds.uid, pod: pod.objectKey, adopt: true))
        }
    }

    func answered(_ response: APIResponse, _ ctx: inout Context) {
        if let claim = claims.answered(response.tag) {
            guard case .failure = response.result else { return }
            // Refused (the pod changed or went): the indexes follow the cache again.
            let pod = pods[claim.pod]
            let controller = pod?.controllerRef?["uid"].string
            if let pod, controller == claim.ownerUID {
                index(pod, under: claim.ownerUID, dsKey: claim.owner)
            } else if podsByOwner[claim.ownerUID]?.contains(claim.pod) == true {
                // Not ours after all: out of this set's indexes, leaving the pod's node to
                // whichever set controls it now.
                unindex(claim.pod, from: claim.ownerUID, dsKey: claim.owner, keepTarget: pod?.controllerUID(kind: "DaemonSet") != nil)
            }
            for owner in claims.retry(claim, pod: pod, owners: daemonSets) where owner != claim.owner { queue.enqueue(owner, &ctx) }
            queue.addRateLimited(claim.owner, &ctx)
            return
        }
        guard let write = pending.removeValue(forKey: response.tag) else { return }
        PodControl.answered(response.result, to: write, owners: daemonSets, expectations: &expectations,
                            recorder: &recorder, client: &client, queue: &queue, &ctx)
    }

    /// The set's pods for `node`, oldest first (`podByCreationTimestampAndPhase`), leaving out
    /// those both finished and being deleted.
    func podsOn(_ ds: JSON, _ node: String) -> [JSON] {
        guard let keys = podsByOwnerNode[ds.uid]?[node], !keys.isEmpty else { return [] }
        var list: [JSON] = []
        for key in keys {
            guard let pod = pods[key] else { continue }
            let phase = pod["status", "phase"].string ?? ""
            if pod.isTerminating, phase == "Succeeded" || phase == "Failed" { continue }
            list.append(pod)
        }
        if list.count > 1 {
            list.sort { a, b in
                let ta = a.creationTimestamp?.nanos ?? 0, tb = b.creationTimestamp?.nanos ?? 0
                if ta != tb { return ta < tb }
                return a.name < b.name
            }
        }
        return list
    }

    /// Node names in order, kept as nodes come and go (so a sync does not sort them).
    var nodeNames: [String] = []

    func sync(_ key: String, _ ctx: inout Context) {
        guard let ds = daemonSets[key] else {
            expectations.forget(key)
            states[key] = nil
            templateHashes[key] = nil
            return
        }
        let hash = ds.isTerminating ? templateHash(ds).hash : constructHistory(ds, &ctx)
        claimPods(ds, key: key, &ctx)
        // Taken out while it changes, so that its tables (one entry per node) change in
        // place rather than being copied for the sync.
        var state = states.removeValue(forKey: key) ?? DaemonSetState(ds, hash: hash)
        // A new template, or availability that depends on time: look at every node again.
        if state.hash != hash || state.minReadySeconds > 0 { state = DaemonSetState(ds, hash: hash) }
        refresh(ds, &state, now: ctx.now)
        if !ds.isTerminating, expectations.satisfied(key, now: ctx.now) {
            manage(ds, key: key, hash: hash, &state, &ctx)
            if state.totals.old > 0, expectations.satisfied(key, now: ctx.now),
                ds["spec", "updateStrategy", "type"].string != "OnDelete"
            {
                rollingUpdate(ds, key: key, hash: hash, state, &ctx)
            }
        }
        states[key] = state
        updateStatus(ds, state, &ctx)
    }

    /// Recomputes the dirty nodes' decisions and shares, and the totals.
    private func refresh(_ ds: JSON, _ state: inout DaemonSetState, now: VirtualTime) {
        let names: [String]
        if state.everythingDirty {
            names = nodeNames
            state.entries = [:]
            state.totals = DaemonSetState.Share()
            state.unmanaged = StringSet(nodeNames)
            for node in (podsByOwnerNode[ds.uid] ?? [:]).keys where nodes[node] == nil { state.unmanaged.insert(node) }
            state.everythingDirty = false
        } else {
            names = state.dirty.sorted()
        }
        state.dirty = []
        state.nextCheck = nil
        for name in names {
            if let old = state.entries.removeValue(forKey: name) { state.totals = state.totals - old.share }
            guard let node = nodes[name] else { continue }
            var entry = DaemonSetState.NodeEntry()
            (entry.run, entry.keep) = state.placement.shouldRun(on: node)
            let list = podsOn(ds, name)
            entry.share = share(list, run: entry.run, state, now: now)
            if entry.run, entry.share.ready == 1, entry.share.available == 0, let pod = list.first,
                let since = PodStatus.readySince(pod)
            {
                let wait = since + .seconds(Int64(state.minReadySeconds)) - now
                state.nextCheck = state.nextCheck.map { min($0, wait) } ?? wait
            }
            state.entries[name] = entry
            state.totals = state.totals + entry.share
        }
    }

    /// One node's share of the status counts.
    private func share(_ list: [JSON], run: Bool, _ state: DaemonSetState, now: VirtualTime) -> DaemonSetState.Share {
        var s = DaemonSetState.Share()
        s.old = list.contains { !$0.isTerminating && !DaemonSetUtil.isUpdated($0, hash: state.hash, generation: state.generation) } ? 1 : 0
        guard run else {
            s.misscheduled = list.isEmpty ? 0 : 1
            return s
        }
        s.desired = 1
        guard let pod = list.first else { return s }
        s.current = 1
        if PodStatus.isReady(pod) {
            s.ready = 1
            if DaemonSetUtil.isAvailable(pod, minReadySeconds: state.minReadySeconds, now: now) { s.available = 1 }
        }
        if DaemonSetUtil.isUpdated(pod, hash: state.hash, generation: state.generation) { s.updated = 1 }
        return s
    }

    /// `manage` / `podsShouldBeOnNode` for the nodes not looked at since they changed: which
    /// need a pod, which pods must go.
    private func manage(_ ds: JSON, key: String, hash: String, _ state: inout DaemonSetState, _ ctx: inout Context) {
        var needPods: [String] = []
        var toDelete: [JSON] = []
        for name in state.unmanaged.sorted() {
            let daemonPods = podsOn(ds, name)
            guard let entry = state.entries[name] else {
                // Pods for a node that no longer exists, or for none.
                toDelete += daemonPods.filter { !$0.isTerminating }
                continue
            }
            if entry.run, daemonPods.isEmpty {
                needPods.append(name)
            } else if entry.keep {
                var running: [JSON] = []
                for pod in daemonPods where !pod.isTerminating {
                    switch pod["status", "phase"].string ?? "" {
                    case "Failed":
                        recorder.record(ds, type: "Warning", reason: "FailedDaemonPod",
                                        message: "Found failed daemon pod \(pod.namespace)/\(pod.name) on node \(name), will try to kill it",
                                        client: &client, &ctx)
                        toDelete.append(pod)
                    case "Succeeded":
                        recorder.record(ds, reason: "SucceededDaemonPod",
                                        message: "Found succeeded daemon pod \(pod.namespace)/\(pod.name) on node \(name), will try to delete it",
                                        client: &client, &ctx)
                        toDelete.append(pod)
                    default:
                        running.append(pod)
                    }
                }
                // Without surge, more than one running pod on a node: all but the oldest go.
                if running.count > 1 { toDelete += running.dropFirst() }
            } else {
                toDelete += daemonPods.filter { !$0.isTerminating }
            }
        }
        // What is past this sync's burst waits for the next one.
        state.unmanaged = StringSet(needPods.dropFirst(Self.burstReplicas))
        for pod in toDelete.dropFirst(Self.burstReplicas) { state.unmanaged.insert(DaemonSetUtil.targetNode(pod) ?? "") }
        syncNodes(ds, key: key, delete: toDelete, create: needPods, hash: hash, &ctx)
    }

    /// `syncNodes`: creates the pods for `create` (node names) and deletes `delete`, at most
    /// `burstReplicas` of each per sync, under expectations.
    func syncNodes(_ ds: JSON, key: String, delete: [JSON], create: [String], hash: String, _ ctx: inout Context) {
        let creates = Array(create.prefix(Self.burstReplicas))
        let deletes = Array(delete.prefix(Self.burstReplicas))
        guard !creates.isEmpty || !deletes.isEmpty else { return }
        expectations.expect(key, adds: creates.count, deletions: deletes.map(\.objectKey), now: ctx.now)
        let template = creates.isEmpty ? .null : DaemonSetUtil.podTemplate(for: ds, hash: hash)
        for node in creates {
            var request = APIRequest(.create, "pods", namespace: ds.namespace)
            request.body = DaemonSetUtil.pod(from: template, of: ds, node: node)
            pending[client.send(request, &ctx)] = .create(owner: key)
        }
        for pod in deletes {
            let tag = client.send(APIRequest(.delete, "pods", namespace: pod.namespace, name: pod.name), &ctx)
            pending[tag] = .delete(owner: key, pod: pod.name)
        }
    }
}
