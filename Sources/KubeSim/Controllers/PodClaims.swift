/// Adopting and releasing pods (pkg/controller/controller_ref_manager.go,
/// `PodControllerRefManager.ClaimPods`). A controller's sync claims the pods of its namespace
/// that its selector matches: those it controls it keeps; those it controls but no longer
/// matches it releases (they stop counting, and it makes up for them); active orphans that
/// match it adopts, unless it is being deleted. Pods another controller controls are never
/// touched. Adoption and release write no Events.
enum PodClaims {
    /// The JSON patch that makes `owner` the controller of the orphan `pod`: the reference
    /// appended to the pod's owner references, guarded by the pod's uid, as AdoptPod's patch
    /// names the pod's uid.
    static func adopt(_ pod: JSON, by owner: JSON) -> APIRequest {
        let reference = owner.ownerReference(controller: true)
        var operations: [JSON] = [["op": "test", "path": "/metadata/uid", "value": .string(pod.uid)]]
        if pod["metadata", "ownerReferences"].array == nil {
            // `add` would replace a list written since the cache was read (another owner's
            // adoption): the pod must still be the version read.
            operations.append(["op": "test", "path": "/metadata/resourceVersion", "value": .string(pod.resourceVersion)])
            operations.append(["op": "add", "path": "/metadata/ownerReferences", "value": .array([reference])])
        } else {
            // Appended: if another controller reference got there first, validation refuses
            // two ("Only one reference can have Controller set to true").
            operations.append(["op": "add", "path": "/metadata/ownerReferences/-", "value": reference])
        }
        return patch(pod, operations)
    }

    /// The JSON patch that removes `ownerUID`'s reference from `pod` (ReleasePod's delete of
    /// that owner reference), guarded by the pod's uid and the reference's place; nil when
    /// there is none. The field goes when it was the only reference (an empty list is not
    /// kept), guarded then by the whole list, so that a reference added since is not lost.
    static func release(_ pod: JSON, from ownerUID: String) -> APIRequest? {
        let references = pod["metadata", "ownerReferences"].array ?? []
        guard let i = references.firstIndex(where: { $0["uid"].string == ownerUID }) else { return nil }
        var operations: [JSON] = [["op": "test", "path": "/metadata/uid", "value": .string(pod.uid)]]
        if references.count == 1 {
            operations.append(["op": "test", "path": "/metadata/ownerReferences", "value": .array(references)])
            operations.append(["op": "remove", "path": "/metadata/ownerReferences"])
        } else {
            operations.append(["op": "test", "path": .string("/metadata/ownerReferences/\(i)/uid"), "value": .string(ownerUID)])
            operations.append(["op": "remove", "path": .string("/metadata/ownerReferences/\(i)")])
        }
        return patch(pod, operations)
    }

    private static func patch(_ pod: JSON, _ operations: [JSON]) -> APIRequest {
        var request = APIRequest(.patch, "pods", namespace: pod.namespace, name: pod.name)
        request.patchType = .json
        request.body = .array(operations)
        return request
    }
}
