/// What a component needs to talk to the API server: tags for its requests and watches,
/// whose answers and changes come back with them. (client-go's REST client and reflector,
/// reduced to the messages the simulation delivers.)
struct ClientRuntime {
    private var nextTag: UInt64

    /// Tags count up from `tagBase`: a process running several clients (the controller
    /// manager) gives each its own range and routes the answers by it.
    init(tagBase: UInt64 = 1) { nextTag = tagBase }

    mutating func newTag() -> UInt64 {
        defer { nextTag &+= 1 }
        return nextTag
    }

    /// Sends `request`; returns its tag.
    @discardableResult
    mutating func send(_ request: consuming APIRequest, _ ctx: inout Context) -> UInt64 {
        let tag = newTag()
        request.tag = tag
        ctx.send(consume request)
        return tag
    }

    /// Opens a watch (list then watch) on `resource`; returns its tag.
    @discardableResult
    mutating func watch(_ resource: String, namespace: String? = nil, fieldSelector: String? = nil,
                        labelSelector: String? = nil, announcesListEnd: Bool = false, replacing old: UInt64? = nil,
                        _ ctx: inout Context) -> UInt64
    {
        var r = APIRequest(.watch, resource, namespace: namespace)
        r.fieldSelector = fieldSelector
        r.labelSelector = labelSelector
        r.announcesListEnd = announcesListEnd
        r.replacesWatch = old
        return send(r, &ctx)
    }
}
