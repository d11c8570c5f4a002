/// Deletes dependents whose owners are gone (pkg/controller/garbagecollector), with
/// background propagation: the owner goes first, then each dependent that has no other
/// live owner. An owner deleted with `propagationPolicy: Orphan` waits behind the `orphan`
/// finalizer while its dependents' references to it are removed, then goes alone. One
/// deleted with `Foreground` waits behind `foregroundDeletion` until its blocking dependents
/// (`blockOwnerDeletion: true`) are gone: each is deleted, in the foreground itself when it
/// has dependents of its own, so a Deployment goes after its ReplicaSet, which goes after its
/// pods. Owners are recognised by uid, so an owner recreated under the same name does not
/// adopt the old one's dependents.
final class GarbageCollector: Controller {
    /// Owner kinds this collector watches; references to other kinds (a mirror pod's Node)
    /// are never judged missing.
    static func isOwnerKind(_ kind: String) -> Bool {
        kind == "Deployment" || kind == "ReplicaSet" || kind == "Pod"
    }
    var client = ClientRuntime()
    /// The resources whose objects can own or be owned here.
    let handledInformers: [SharedInformer]
    /// Every watched object's uid → (resource, namespace/name).
    private var live = StringTable<(resource: String, key: String)>()
    /// Owner uid → dependents as (resource, key).
    private var dependents = StringTable<StringTable<(resource: String, key: String)>>()
    /// Owners being deleted in the foreground, uid → (resource, key).
    private var deletingDependents = StringTable<(resource: String, key: String)>()
    /// Dependents this collector asked to delete, until seen terminating or gone.
    private var deleteSent = StringSet()
    /// Each watched object's owner uids, to unlink it when it goes.
    private var owners = StringTable<[String]>()
    /// Dependents whose owner was not (yet) seen: checked again after a grace delay.
    private var unresolved: [Int: (resource: String, object: JSON)] = [:]
    private var nextTimer = 1
    /// How long an unknown owner may stay unseen before the dependent counts as orphaned.
    static let ownerGrace = Duration.seconds(5)

    /// The resources whose objects this collector follows; the API server holds an object
    /// for foreground deletion only where the collector will release it.
    static let collectedResources = ["deployments", "replicasets", "pods"]

    init(informers: SharedInformerFactory) {
        handledInformers = Self.collectedResources.map { informers.informer($0) }
    }

    func observe(_ informer: SharedInformer, _ event: WatchEvent, old: JSON?, _ ctx: inout Context) {
        // Most updates (status, bindings) leave the owners alone: nothing to relink. (The
        // informer's previous object was observed here too, so its links are in place.)
        // Pods own nothing here (and the API server orphans no pod): their many updates skip
        // the check.
        if event.type == .modified, informer.resource != "pods", Self.awaitsOrphaning(event.object) {
            orphanDependents(of: informer.resource, event, &ctx)
            return
        }
        // Pods own nothing here, so none waits for dependents (and their many updates skip
        // the look).
        if event.type == .modified, informer.resource != "pods", event.object.isTerminating,
           Self.awaitsDependents(event.object)
        {
            observe(informer.resource, event, &ctx)
            deletingDependents[event.object.uid] = (informer.resource, event.key)
            processDeletingDependents(event.object.uid, &ctx)
            return
        }
        if event.type == .modified, let old, old.hasSameOwnership(as: event.object) { return }
        observe(informer.resource, event, &ctx)
    }

    func timerFired(_ tag: Int, _ ctx: inout Context) {
        guard let (resource, object) = unresolved.removeValue(forKey: tag) else { return }
        guard live[object.uid] != nil else { return }
        let refs = object["metadata", "ownerReferences"].array ?? []
        if !refs.isEmpty, refs.allSatisfy({ live[$0["uid"].string ?? ""] == nil }) {
            deleteObject(resource, object, &ctx)
        }
    }

    private func observe(_ resource: String, _ event: WatchEvent, _ ctx: inout Context) {
        let object = event.object
        let uid = object.uid
        switch event.type {
        case .added, .modified:
            let ownerReferences = object["metadata", "ownerReferences"].array ?? []
            let refs = ownerReferences.compactMap { $0["uid"].string }
            if event.type == .modified, live[uid] != nil, owners[uid] == refs { return }
            live[uid] = (resource, event.key)
            let dropped = (owners[uid] ?? []).filter { !refs.contains($0) }
            for old in dropped { dependents[old]?[uid] = nil }
            owners[uid] = refs
            for ref in refs { dependents[ref, default: [:]][uid] = (resource, event.key) }
            // An owner deleted in the foreground may have been waiting for this reference to go.
            for old in dropped where deletingDependents[old] != nil { processDeletingDependents(old, &ctx) }
            guard event.type == .added else { return }
            let judged = ownerReferences.reduce(0) { $0 + (Self.isOwnerKind($1["kind"].string ?? "") ? 1 : 0) }
            if judged > 0, judged == refs.count, refs.allSatisfy({ live[$0] == nil }) {
                unresolved[nextTimer] = (resource, object)
                ctx.after(Self.ownerGrace, timer: nextTimer)
                nextTimer += 1
            }
        case .deleted:
            live[uid] = nil
            deleteSent.remove(uid)
            deletingDependents[uid] = nil
            let ownedBy = owners.removeValue(forKey: uid) ?? []
            for ref in ownedBy { dependents[ref]?[uid] = nil }
            for ref in ownedBy where deletingDependents[ref] != nil { processDeletingDependents(ref, &ctx) }
            for (depUID, dep) in (dependents.removeValue(forKey: uid) ?? [:]).sorted(by: { $0.value.key < $1.value.key }) {
                let stillOwned = (owners[depUID] ?? []).contains { live[$0] != nil }
                if !stillOwned { deleteKey(dep.resource, dep.key, &ctx) }
            }
        }
    }

    private func deleteObject(_ resource: String, _ object: JSON, _ ctx: inout Context) {
        deleteKey(resource, object.objectKey, &ctx)
    }

    private func deleteKey(_ resource: String, _ key: String, propagation: String? = nil, _ ctx: inout Context) {
        var request = Self.request(.delete, resource, key: key)
        request.propagationPolicy = propagation
        client.send(request, &ctx)
    }

    /// Terminating with the `foregroundDeletion` finalizer: its dependents go first.
    private static func awaitsDependents(_ object: JSON) -> Bool {
        (object["metadata", "finalizers"].array ?? []).contains("foregroundDeletion")
    }

    /// `processDeletingDependentsItem`: with no blocking dependent left the owner's
    /// `foregroundDeletion` finalizer is removed (and the API server deletes it); otherwise
    /// each blocking dependent not yet being deleted is (`attemptToDeleteItem`): in the
    /// foreground when it has dependents itself, or, if another owner still holds it, only
    /// its reference to this one is removed.
    private func processDeletingDependents(_ ownerUID: String, _ ctx: inout Context) {
        guard let owner = deletingDependents[ownerUID] else { return }
        // Blocking: the dependent's reference to this owner has `blockOwnerDeletion` (read
        // from the informer now, so a reference changed since counts as it is).
        let blocking = (dependents[ownerUID] ?? [:]).filter { _, dep in
            let current = cached(dep.resource, dep.key)
            return (current?["metadata", "ownerReferences"].array ?? []).contains {
                $0["uid"].string == ownerUID && $0["blockOwnerDeletion"].bool == true
            }
        }.sorted { $0.value.key < $1.value.key }
        guard !blocking.isEmpty else {
            let current = cached(owner.resource, owner.key)
            guard let current, current.uid == ownerUID else { return }
            var request = Self.request(.patch, owner.resource, key: owner.key)
            let kept = (current["metadata", "finalizers"].array ?? []).filter { $0 != "foregroundDeletion" }
            let metadata: JSONObject = ["finalizers": kept.isEmpty ? .null : .array(kept),
                                        "resourceVersion": .string(current.resourceVersion)]
            request.body = ["metadata": .object(metadata)]
            client.send(request, &ctx)
            deletingDependents[ownerUID] = nil
            return
        }
        for (depUID, dep) in blocking where !deleteSent.contains(depUID) {
            guard let current = cached(dep.resource, dep.key),
                  current.uid == depUID, !current.isTerminating
            else { continue }
            let heldElsewhere = (owners[depUID] ?? []).contains { $0 != ownerUID && live[$0] != nil && deletingDependents[$0] == nil }
            if heldElsewhere {
                // Only the reference goes; another owner deleted later may still delete it.
                removeOwnerReference(dep.resource, key: dep.key, ownerUID: ownerUID, &ctx)
            } else {
                let hasDependents = !(dependents[depUID] ?? [:]).isEmpty
                deleteKey(dep.resource, dep.key, propagation: hasDependents ? "Foreground" : "Background", &ctx)
                deleteSent.insert(depUID)
            }
        }
    }

    /// The informer's copy of the object at `key` of `resource`.
    private func cached(_ resource: String, _ key: String) -> JSON? {
        handledInformers.first { $0.resource == resource }?[key]
    }

    /// A request for the object at `namespace/name` (or `name`, cluster-scoped).
    private static func request(_ verb: Verb, _ resource: String, key: String) -> APIRequest {
        let parts = key.split(separator: "/", maxSplits: 1).map(String.init)
        return parts.count == 2
            ? APIRequest(verb, resource, namespace: parts[0], name: parts[1])
            : APIRequest(verb, resource, name: key)
    }

    /// Terminating with the `orphan` finalizer: its dependents are to be let go first.
    private static func awaitsOrphaning(_ object: JSON) -> Bool {
        object.isTerminating && (object["metadata", "finalizers"].array ?? []).contains("orphan")
    }

    /// `orphanDependents`: each dependent's reference to the owner is removed, then the owner's
    /// `orphan` finalizer, after which the API server deletes it. The dependents' changes are
    /// sent first, so they are seen before the owner's deletion and nothing cascades.
    private func orphanDependents(of resource: String, _ event: WatchEvent, _ ctx: inout Context) {
        let owner = event.object
        for (depUID, dep) in (dependents.removeValue(forKey: owner.uid) ?? [:]).sorted(by: { $0.value.key < $1.value.key }) {
            owners[depUID]?.removeAll { $0 == owner.uid }
            removeOwnerReference(dep.resource, key: dep.key, ownerUID: owner.uid, &ctx)
        }
        var request = Self.request(.patch, resource, key: event.key)
        let kept = (owner["metadata", "finalizers"].array ?? []).filter { $0 != "orphan" }
        let metadata: JSONObject = ["finalizers": kept.isEmpty ? .null : .array(kept),
                                    "resourceVersion": .string(owner.resourceVersion)]
        request.body = ["metadata": .object(metadata)]
        client.send(request, &ctx)
    }

    private func removeOwnerReference(_ resource: String, key: String, ownerUID: String, _ ctx: inout Context) {
        var request = Self.request(.patch, resource, key: key)
        // Orphaning removes the deleted owner's reference and keeps the others (the merge
        // patch replaces the list); with none left the member goes, as omitempty leaves it.
        let current = cached(resource, key)
        let kept = (current?["metadata", "ownerReferences"].array ?? []).filter { $0["uid"].string != ownerUID }
        let metadata: JSONObject = ["ownerReferences": kept.isEmpty ? .null : .array(kept)]
        request.patchType = .merge
        request.body = ["metadata": .object(metadata)]
        client.send(request, &ctx)
    }
}
