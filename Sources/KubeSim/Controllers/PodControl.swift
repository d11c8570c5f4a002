/// What a controller does with the answer to a pod it asked to create or delete
/// (pkg/controller `RealPodControl` and the syncs that call it): the owner's
/// `SuccessfulCreate` / `FailedCreate` / `SuccessfulDelete` / `FailedDelete` events, and a failed
/// write's expectation fulfilled at once, since the change it waited for will never be seen.
enum PodControl {
    /// A write a controller waits on, by its request's tag.
    enum PendingWrite {
        case create(owner: String)
        case delete(owner: String, pod: String)
        /// The owner's own status. A failure (a conflict) means the cache is behind; the
        /// watch brings the owner back.
        case status
    }

    /// The answer to `write`: the owner's events and expectations, and a rate-limited
    /// retry of the owner (found in `owners` by key) when a create or delete failed.
    static func answered(_ result: Result<JSON, StatusError>, to write: PendingWrite, owners: SharedInformer,
                         expectations: inout ControllerExpectations, recorder: inout EventRecorder,
                         client: inout ClientRuntime, queue: inout WorkQueue, _ ctx: inout Context)
    {
        switch write {
        case .create(let key):
            guard let owner = owners[key] else { return }
            if createAnswered(result, owner: owner, key: key, expectations: &expectations, recorder: &recorder,
                              client: &client, &ctx) {
                queue.addRateLimited(key, &ctx)
            }
        case .delete(let key, let pod):
            guard let owner = owners[key] else { return }
            if deleteAnswered(result, owner: owner, key: key, pod: pod, expectations: &expectations,
                              recorder: &recorder, client: &client, &ctx) {
                queue.addRateLimited(key, &ctx)
            }
        case .status:
            break
        }
    }

    /// True when the create failed and the owner should be synced again after a backoff.
    private static func createAnswered(_ result: Result<JSON, StatusError>, owner: JSON, key: String,
                               expectations: inout ControllerExpectations, recorder: inout EventRecorder,
                               client: inout ClientRuntime, _ ctx: inout Context) -> Bool
    {
        switch result {
        case .success(let pod):
            recorder.record(owner, reason: "SuccessfulCreate", message: .concatenating("Created pod: ", pod.name), client: &client, &ctx)
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
    private static func deleteAnswered(_ result: Result<JSON, StatusError>, owner: JSON, key: String, pod: String,
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
