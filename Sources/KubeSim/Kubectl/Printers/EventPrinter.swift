/// `kubectl events`' own table (1.36 `pkg/cmd/events/event_printer.go`), not the Event table
/// `get events` prints: LAST SEEN, TYPE, REASON, OBJECT, MESSAGE, and NAMESPACE first with
/// `-A`. OBJECT is `Kind/name` with the kind as the involvedObject spells it (`Pod/web-1`).
/// The headings go out once, before whatever is printed first.
///
///     LAST SEEN          TYPE      REASON    OBJECT      MESSAGE
///     30s                Normal    Pulling   Pod/web-1   Pulling image "nginx:1.15"
///     5s (x3 over 30s)   Warning   BackOff   Pod/web-1   Back-off restarting failed container
struct EventPrinter {
    let noHeaders: Bool
    let allNamespaces: Bool
    private var headersPrinted = false

    init(noHeaders: Bool, allNamespaces: Bool) {
        self.noHeaders = noHeaders
        self.allNamespaces = allNamespaces
    }

    /// The tab-separated lines for `events`, each aged at `now` (`PrintObj`).
    mutating func lines(_ events: [JSON], now: VirtualTime) -> String {
        var text = ""
        if !noHeaders, !headersPrinted {
            text += (allNamespaces ? "NAMESPACE\t" : "") + "LAST SEEN\tTYPE\tREASON\tOBJECT\tMESSAGE\n"
            headersPrinted = true
        }
        for e in events {
            if allNamespaces { text += (e["metadata", "namespace"].string ?? "") + "\t" }
            let escape = CustomColumnsPrinter.escapeTerminal
            let involved = e["involvedObject"]
            text += Self.interval(e, now: now) + "\t"
                + escape(e["type"].string ?? "") + "\t"
                + escape(e["reason"].string ?? "") + "\t"
                + escape(involved["kind"].string ?? "") + "/" + escape(involved["name"].string ?? "") + "\t"
                + escape(TablePrinter.trimSpace(e["message"].string ?? "")) + "\n"
        }
        return text
    }

    /// `getInterval`, LAST SEEN: the age of the event's first sighting (its eventTime, or
    /// for a core/v1 Event without one its firstTimestamp), or for a repeated event the age
    /// of its last sighting and `(xN over FIRST)`: a series' count, else `count` above 1.
    static func interval(_ e: JSON, now: VirtualTime) -> String {
        let ctx = CellContext(now: now, version: .v1_36, wide: false)
        let eventTime = e["eventTime"]
        let first = TablePrinter.since(TypedEvent.isZero(eventTime) ? e["firstTimestamp"] : eventTime, ctx)
        let series = e["series"]
        if series.object != nil {
            return "\(TablePrinter.since(series["lastObservedTime"], ctx)) (x\(series["count"].int ?? 0) over \(first))"
        }
        let count = e["count"].int ?? 0
        if count > 1 {
            return "\(TablePrinter.since(e["lastTimestamp"], ctx)) (x\(count) over \(first))"
        }
        return first
    }
}
