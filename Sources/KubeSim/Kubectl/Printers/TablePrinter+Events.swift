/// `kubectl get events`: `printEvent` in `KK:pkg/printers/internalversion/printers.go`.
extension TablePrinter {
    static let eventTable = ResourceTable(
        columns: [
            .init("Last Seen"), .init("Type"), .init("Reason"), .init("Object"),
            .init("Subobject", wide: true), .init("Source", wide: true),
            .init("Message"),
            .init("First Seen", wide: true), .init("Count", wide: true), .init("Name", wide: true),
        ],
        row: eventRow
    )

    static func eventRow(_ event: JSON, _ ctx: CellContext) -> [String] {
        let involved = event["involvedObject"]
        let kind = (involved["kind"].string ?? "").lowercased()
        let objectName = involved["name"].string ?? ""
        let source = event["source"]
        var component = source["component"].string ?? ""
        var host = source["host"].string ?? ""

        var firstSeen = since(event["firstTimestamp"], ctx)
        var lastSeen = since(event["lastTimestamp"], ctx)
        var count = int(event["count"])
        switch ctx.version {
        case .v1_18:
            // kubectl 1.18 read only the core/v1 timestamps, so an event written through
            // events.k8s.io (eventTime only, e.g. the scheduler's Scheduled) shows <unknown>.
            break
        case .v1_36:
            if event["firstTimestamp"].isNull { firstSeen = since(event["eventTime"], ctx) }
            if event["lastTimestamp"].isNull { lastSeen = firstSeen }
            if event["series"].object != nil {
                lastSeen = since(event["series", "lastObservedTime"], ctx)
                count = int(event["series", "count"])
            } else if count == 0 {
                count = 1  // singleton events of the events.k8s.io API carry no count
            }
            if component.isEmpty { component = event["reportingComponent"].string ?? "" }
            if host.isEmpty { host = event["reportingInstance"].string ?? "" }
        }
        return [
            lastSeen,
            event["type"].string ?? "",
            event["reason"].string ?? "",
            objectName.isEmpty ? kind : kind + "/" + objectName,
            involved["fieldPath"].string ?? "",
            host.isEmpty ? component : component + ", " + host,
            trimSpace(event["message"].string ?? ""),
            firstSeen,
            String(count),
            name(event),
        ]
    }

    /// Go's `strings.TrimSpace`: strips Unicode White_Space from both ends.
    static func trimSpace(_ s: String) -> String {
        let scalars = s.unicodeScalars
        guard let start = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
            let end = scalars.lastIndex(where: { !$0.properties.isWhitespace })
        else { return "" }
        return String(scalars[start...end])
    }
}
