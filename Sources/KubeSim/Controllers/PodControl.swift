/// What a controller does with the answer to a pod it asked to create or delete
/// (pkg/controller `RealPodControl` and the syncs that call it): the owner's
/// `SuccessfulCreate` / `FailedCreate` / `SuccessfulDelete` / `FailedDelete` events, and a failed
/// write's expectation fulfilled at once, since the change it waited for will never be seen.
enum PodControl {
    /// True when the create failed and the owner should be synced again after a backoff.
    static func createAnswered(_ result: Result<JSON, StatusError>, owner: JSON, key: String,
                               expectations: inout ControllerExpectations, recorder: inout EventRecorder,
                               client: inout ClientRuntime, _ ctx: inout Context) -> Bool
    {
        switch result {
        case .success(let pod):
            recorder.record(owner, reason: "SuccessfulCreate", message: "Created pod: \(pod.name)", client: &client, &ctx)
            return false
        case .failure(let error):
            expectations.creationObserved(key)
            recorder.record(owner, type: "Warning", reason: "FailedCreate", message: "Error creating: \(error.message)",
                            client: &client, &ctx)
            return true
        }
    }

    /// True when the delete failed for another reason than the pod being gone already, and
    /// the owner should be synced again after a backoff.
    static func deleteAnswered(_ result: Result<JSON, StatusError>, owner: JSON, key: String, pod: String,
                               expectations: inout ControllerExpectations, recorder: inout EventRecorder,
                               client: inout ClientRuntime, _ ctx: inout Context) -> Bool
    {
        switch result {
        case .success:
            recorder.record(owner, reason: "SuccessfulDelete", message: "Deleted pod: \(pod)", client: &client, &ctx)
            return false
        case .failure(let error):
            expectations.deletionObserved(key, pod: "\(owner.namespace)/\(pod)")
            guard error.code != 404 else { return false }
            recorder.record(owner, type: "Warning", reason: "FailedDelete", message: "Error deleting: \(error.message)",
                            client: &client, &ctx)
            return true
        }
    }
}
