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
        let add: JSON = pod["metadata", "ownerReferences"].array == nil
            ? ["op": "add", "path": "/metadata/ownerReferences", "value": .array([reference])]
            : ["op": "add", "path": "/metadata/ownerReferences/-", "value": reference]
        return patch(pod, [["op": "test", "path": "/metadata/uid", "value": .string(pod.uid)], add])
    }

    /// The JSON patch that removes `ownerUID`'s reference from `pod` (ReleasePod's delete of
    /// that owner reference), guarded by the reference's place; nil when there is none. The
    /// field goes when it was the only reference, as an empty list is not kept.
    static func release(_ pod: JSON, from ownerUID: String) -> APIRequest? {
        let references = pod["metadata", "ownerReferences"].array ?? []
        guard let i = references.firstIndex(where: { $0["uid"].string == ownerUID }) else { return nil }
        let remove: JSON = references.count == 1
            ? ["op": "remove", "path": "/metadata/ownerReferences"]
            : ["op": "remove", "path": .string("/metadata/ownerReferences/\(i)")]
        return patch(pod, [["op": "test", "path": .string("/metadata/ownerReferences/\(i)/uid"), "value": .string(ownerUID)],
                           remove])
    }

    private static func patch(_ pod: JSON, _ operations: [JSON]) -> APIRequest {
        var request = APIRequest(.patch, "pods", namespace: pod.namespace, name: pod.name)
        request.patchType = .json
        request.body = .array(operations)
        return request
    }
}
