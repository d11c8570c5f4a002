/// The verbs of the Kubernetes REST API.
public enum Verb: String, Sendable {
    case get, list, create, update, patch, delete, watch
}

/// The patch formats the API server accepts.
public enum PatchType: String, Sendable {
    /// RFC 7386 JSON merge patch (`application/merge-patch+json`).
    case merge
    /// RFC 6902 JSON patch (`application/json-patch+json`).
    case json
    /// Kubernetes' strategic merge patch (`application/strategic-merge-patch+json`), kubectl's
    /// default for the built-in kinds.
    case strategic
}

/// `?fieldValidation=` (1.27+): what the API server does with members of a body that the
/// kind's Go structs do not have (`KnownFields`). A request that names none gets `warn`.
enum FieldValidation: String, Sendable {
    /// Dropped.
    case ignore = "Ignore"
    /// Dropped, with a warning per field (kubesim does not return the warnings).
    case warn = "Warn"
    /// Refused: 400 `strict decoding error: unknown field "…"`. kubectl's default.
    case strict = "Strict"
}

/// One call to the API server, as a REST request would carry it.
struct APIRequest {
    var verb: Verb
    /// A resource name as clients write it: plural (`pods`), singular, short (`deploy`) or
    /// group-qualified (`deployments.apps`).
    var resource: String
    var namespace: String? = nil
    var name: String? = nil
    /// `status`, `binding` or `scale`.
    var subresource: String? = nil
    /// The object for create and update, the patch document for patch, the Binding for binding.
    var body: JSON = .null
    var patchType: PatchType = .merge
    var labelSelector: String? = nil
    var fieldSelector: String? = nil
    /// For watch: changes after this revision. For list: ignored (always the latest).
    var resourceVersion: String? = nil
    /// For delete: `Background` (default), `Foreground` or `Orphan`.
    var propagationPolicy: String? = nil
    /// For delete of a pod: nil uses the pod's terminationGracePeriodSeconds.
    var gracePeriodSeconds: Int? = nil
    /// For delete: the uid the object must still have (`DeleteOptions.preconditions.uid`);
    /// another object under the name is left alone, with a 409.
    var preconditionUID: String? = nil
    /// For create, update and patch from the embedding program (components send only known
    /// fields): see `FieldValidation`. 1.18's server drops unknown fields whatever it says.
    var fieldValidation: FieldValidation? = nil
    /// The body as a client that marshals a map writes it, keys sorted at every level
    /// (kubectl): the order in which the decoder meets, and reports, unknown members.
    var bodyKeysSorted = false
    /// `?dryRun=All` on a create, update, patch or delete: admitted, defaulted and validated,
    /// then answered as it would be stored (a delete: as it would mark or remove the object),
    /// and nothing is stored (no revision, no watch event).
    var dryRun = false
    /// Filled in by the loop: who asked.
    var client: ComponentID = -1
    /// The client's correlation id; the response (or each watch event) carries it back.
    var tag: UInt64 = 0
    /// False for fire-and-forget writes (events, lease renewals): no response is sent.
    var wantsResponse = true
    /// For a watch from no resourceVersion: once its ADDED events for the current state are
    /// sent, a success response (the list's resourceVersion) says the list is complete, as
    /// upstream's `sendInitialEvents` ends with a bookmark annotated
    /// `k8s.io/initial-events-end`. A client that lost its watch learns from it which of the
    /// objects it knew went while it was away.
    var announcesListEnd = false
    /// For a watch: the client's earlier watch this one replaces, whose stream was lost (as a
    /// partition breaks the connection, and the server lets the old watch go). It is closed.
    var replacesWatch: UInt64? = nil
    /// Built by one of the simulation's components or by the cluster's start-up (not decoded
    /// from the embedding program's text): its field types are right by construction.
    var fromComponent = true
}

extension APIRequest {
    /// In an extension, over the memberwise initialiser: an initialiser of the struct's own
    /// (its stored properties having defaults) made the optimiser build each request twice,
    /// a copy retaining every string and then the original released, at every `send`.
    init(_ verb: Verb, _ resource: String, namespace: String? = nil, name: String? = nil,
         subresource: String? = nil, body: JSON = .null, wantsResponse: Bool = true)
    {
        self.init(verb: verb, resource: resource, namespace: namespace, name: name, subresource: subresource,
                  body: body, wantsResponse: wantsResponse)
    }

    /// `PUT <resource>/<name>/status`: `object` with `status` in place of its own, as a
    /// controller writes the status it computed (conflicting if `object` is stale).
    static func updateStatus(_ resource: String, _ object: JSON, status: JSON) -> APIRequest {
        var request = APIRequest(.update, resource, namespace: object.namespace.isEmpty ? nil : object.namespace,
                                 name: object.name)
        request.subresource = "status"
        var body = object
        body["status"] = status
        request.body = body
        return request
    }
}

/// The answer to a request: an object (a `…List` for list) or a Status error.
struct APIResponse {
    var tag: UInt64
    var result: Result<JSON, StatusError>
}

/// One change seen on a watch.
struct WatchEvent {
    enum EventType: String { case added = "ADDED", modified = "MODIFIED", deleted = "DELETED" }
    var tag: UInt64
    var type: EventType
    var object: JSON
    /// The object's `namespace/name` (informers' key), worked out once by the API server for
    /// all the watches an event goes to, which then share the string.
    var key: String
}

extension WatchEvent {
    /// An event keyed by its object's own `namespace/name`. (The memberwise initialiser takes
    /// the key: an initialiser in the struct's body made every event sent a copy first.)
    init(tag: UInt64, type: EventType, object: JSON) {
        self.init(tag: tag, type: type, object: object, key: object.objectKey)
    }
}
