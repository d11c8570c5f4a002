/// The parts of pod statuses a kubelet writes again and again with the same content: the
/// conditions and container states of pods that change in the same second, an image's id.
/// Each is built once and shared by every status that holds it (JSON values are copied on
/// write, so sharing cannot leak a change from one pod to another).
struct SharedStatusValues {
    var conditions = ConditionCache()
    private var running: (since: String, state: JSON)?
    private var imageIDs = StringTable<JSON>()
    private var unready: (names: [String], message: String)?

    static let containerCreating: JSON = ["waiting": ["reason": "ContainerCreating"]]

    /// `{"running": {"startedAt": since}}`.
    mutating func runningState(since: String) -> JSON {
        if let running, running.since == since { return running.state }
        let state: JSON = ["running": ["startedAt": .string(since)]]
        running = (since, state)
        return state
    }

    /// The Ready and ContainersReady message for these unready containers:
    /// `containers with unready status: [a b]`. A controller's pods name the same ones.
    mutating func unreadyMessage(_ names: [String]) -> String {
        if let unready, unready.names.elementsEqual(names, by: { $0.hasSameUTF8(as: $1) }) { return unready.message }
        let message = "containers with unready status: [\(names.joined(separator: " "))]"
        unready = (names, message)
        return message
    }

    /// The image's id as the runtime reports it (`NodeObject.imageID`).
    mutating func imageID(_ image: String) -> JSON {
        if let id = imageIDs[image] { return id }
        let id = JSON.string(NodeObject.imageID(image))
        // A node holds a handful of images; the bound only guards against a stream of new ones.
        if imageIDs.count >= 256 { imageIDs.removeAll(keepingCapacity: true) }
        imageIDs[image] = id
        return id
    }
}
