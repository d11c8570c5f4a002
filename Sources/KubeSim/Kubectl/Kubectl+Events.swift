/// `kubectl events` (kubectl 1.36's `pkg/cmd/events/events.go`; 1.18 has no such command and
/// answers as for any unknown one): the namespace's Events (`-A`: every namespace's), only
/// those about one object with `--for KIND/NAME`, only some types with `--types`, oldest
/// first, as `EventPrinter`'s table (`--no-headers`) or `-o json|yaml|name|jsonpath=…`.
///
/// `-w` cannot stream here, so it answers as `get events -w` does: the events the watch
/// would have delivered, in the order they were written, each printed at its own time.
extension Cluster {
    /// What `--for` names: the involvedObject kind, apiVersion and name the events match.
    struct EventsFor {
        let kind: String
        let apiVersion: String
        let name: String
    }

    /// The flags `kubectl events` defines (its own, the print flags, `-n`): any other is
    /// cobra's unknown flag, rather than a filter quietly ignored.
    static let eventsFlags: Set<String> = [
        "-A", "--all-namespaces", "--chunk-size", "--for", "--no-headers", "-o", "--output", "--types", "-w", "--watch",
        "--template", "--allow-missing-template-keys", "--show-managed-fields", "-n", "--namespace",
    ]

    func kubectlEvents(_ flags: KubectlFlags, _ out: inout KubectlOutput) {
        for (name, arg) in flags.given where !Self.eventsFlags.contains(name) {
            out.fail((name.hasPrefix("--") ? "error: unknown flag: \(name)" : "error: unknown shorthand flag: '\(name.dropFirst())' in \(arg)")
                + "\nSee 'kubectl events --help' for usage.")
            return
        }
        // kubectl's order: ToOptions (--for, the printer), Validate (--types), Run.
        var involved: EventsFor?
        if let target = flags.forConditions.last, !target.isEmpty {
            switch decodeResourceTypeName(target) {
            case .failure(let failure):
                out.fail(failure.message)
                return
            case .success(let found): involved = found
            }
        }
        // The print flags are asked only when -o is set (a --template alone changes nothing).
        let output: PrintFlagsOutput
        switch printFlagsOutput(flags) {
        case .failure(let failure):
            out.failVerbatim(failure.message)
            return
        case .success(let o): output = o
        }
        if flags.eventTypes.contains(where: { !["normal", "warning"].contains($0.lowercased()) }) {
            out.fail("error: valid --types are Normal or Warning")
            return
        }

        var request = APIRequest(.list, "events", namespace: flags.allNamespaces ? "" : flags.namespace)
        if let involved, !involved.name.isEmpty {
            // fields.AndSelectors of the three terms, in this order (only with a name, as
            // `--for pod/` lists every event).
            request.fieldSelector = "involvedObject.kind=\(FieldSelector.escape(involved.kind)),"
                + "involvedObject.apiVersion=\(FieldSelector.escape(involved.apiVersion)),"
                + "involvedObject.name=\(FieldSelector.escape(involved.name))"
        }
        let fieldSelector = request.fieldSelector ?? ""
        var events: [JSON]
        switch serve(request) {
        case .success(let list): events = list["items"].array ?? []
        case .failure(var e):
            // EnhanceListError, its subject "events".
            if e.code == 400 || e.code == 404 {
                e.message = fieldSelector.isEmpty
                    ? "Unable to list \"events\": \(e.message)"
                    : "Unable to find \"events\" that match label selector \"\", "
                        + "field selector \(GoValue.goQuote(fieldSelector)): \(e.message)"
            }
            out.fail(e.kubectlMessage)
            return
        }
        // filteredEventType: strings.EqualFold against each type asked for.
        if !flags.eventTypes.isEmpty {
            let wanted = Set(flags.eventTypes.map { $0.lowercased() })
            events = events.filter { wanted.contains(($0["type"].string ?? "").lowercased()) }
        }

        if flags.watch {
            printEventsWatch(events, output, flags, &out)
            return
        }
        if events.isEmpty {
            out.warn(flags.allNamespaces ? "No events found." : "No events found in \(flags.namespace) namespace.")
            return
        }
        // SortableEvents through sort.Sort, which is not stable: equal times end where Go's
        // pdqsort leaves them.
        var keyed = events.map { (time: Self.eventSortTime($0), event: $0) }
        GoSort.sort(&keyed) { $0.time < $1.time }
        events = keyed.map(\.event)

        // Everything goes through kubectl's tabwriter, the JSON and YAML too.
        var writer = TabWriter()
        switch output {
        case .unset:
            var printer = EventPrinter(noHeaders: flags.noHeaders, allNamespaces: flags.allNamespaces)
            writer.write(printer.lines(events, now: now))
        case .json:
            writer.write(TypedEvent.list(events).prettyPrinted() + "\n")
        case .yaml:
            writer.write(YAMLPrinter.yaml(TypedEvent.list(events)))
        case .name:
            // The name printer refuses a typed list; kubectl drops PrintObj's error.
            break
        case .jsonPath(let p):
            // A failed template prints nothing: the error is dropped as well.
            if case .success(let text) = p.print(TypedEvent.decodedAsInterface(TypedEvent.list(events))) {
                writer.write(text)
            }
        }
        out.print(writer.flush(), newline: false)
    }

    /// `-w`: each event printed by itself, in the order the events were written, aged at its
    /// own time; the headings once, before the first.
    private func printEventsWatch(_ events: [JSON], _ output: PrintFlagsOutput, _ flags: KubectlFlags,
                                  _ out: inout KubectlOutput)
    {
        let arrivals = events.sorted { (Int64($0.resourceVersion) ?? 0) < (Int64($1.resourceVersion) ?? 0) }
        var printer = EventPrinter(noHeaders: flags.noHeaders, allNamespaces: flags.allNamespaces)
        var writer = TabWriter()
        for (i, e) in arrivals.enumerated() {
            switch output {
            case .unset:
                // An event without a time (or one the clock cannot hold) is aged now.
                let at = VirtualTime(goTime: Self.eventSortTime(e)) ?? now
                writer.write(printer.lines([e], now: at))
            case .json:
                writer.write(TypedEvent.event(e).prettyPrinted() + "\n")
            case .yaml:
                // One YAML printer for the whole watch: a separator before every document after the first.
                writer.write((i > 0 ? "---\n" : "") + YAMLPrinter.yaml(TypedEvent.event(e)))
            case .name:
                writer.write("event/\(e.name.isEmpty ? "<unknown>" : e.name)\n")
            case .jsonPath(let p):
                if case .success(let text) = p.print(TypedEvent.decodedAsInterface(TypedEvent.event(e))) {
                    writer.write(text)
                }
            }
            out.print(writer.flush(), newline: false)
        }
    }

    /// `decodeResourceTypeName`: `KIND/NAME` to what the events' involvedObject must hold, the
    /// kind resolved as kubectl's REST mapper resolves a resource (`pod`, `pods`, `po`, `Pod`,
    /// `deployments.apps`, `deployments.v1.apps`). An empty name matches every event.
    func decodeResourceTypeName(_ s: String) -> Result<EventsFor, KubectlFailure> {
        guard s.contains("/") else { return .failure(KubectlFailure("error: --for must be in resource/name form")) }
        let segments = s.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard segments.count == 2 else {
            return .failure(KubectlFailure("error: arguments in resource/name form may not have more than one slash"))
        }
        // schema.ParseResourceArg: `resource.version.group` is tried as fully specified first,
        // then everything after the first dot is the group.
        let arg = segments[0].lowercased()
        let parts = arg.split(separator: ".", maxSplits: 2, omittingEmptySubsequences: false).map(String.init)
        var info: ResourceInfo?
        if parts.count == 3, let r = registry.resolve(parts[0]), r.version == parts[1], r.group == parts[2] {
            info = r
        }
        let resource = parts[0]
        let group = arg.count > resource.count ? String(arg.dropFirst(resource.count + 1)) : ""
        if resource.isEmpty {
            // DefaultRESTMapper's own error (%v of the GroupVersionResource), not a no-match.
            return .failure(KubectlFailure("error: a resource must be present, got: \(group)/, Resource="))
        }
        // No group: any group's resource of that name; a group: that group, else (as
        // DefaultRESTMapper resorts to) one the group is a prefix of, by plural or singular
        // name only (short names expand only in their own group).
        if info == nil, let r = registry.resolve(resource) {
            let prefixMatch = r.group.hasPrefix(group) && (resource == r.plural || resource == r.singular)
            if group.isEmpty || r.group == group || prefixMatch { info = r }
        }
        guard let info else {
            // A NoResourceMatchError: CheckErr prints it without the "error: " prefix.
            let inGroup = group.isEmpty ? "" : " in group \(GoValue.goQuote(group))"
            return .failure(KubectlFailure("the server doesn't have a resource type \(GoValue.goQuote(resource))\(inGroup)"))
        }
        return .success(EventsFor(kind: info.kind, apiVersion: info.apiVersion, name: segments[1]))
    }

    /// `eventTime` in events.go, the time events sort by: a series' last sighting, else
    /// lastTimestamp, else eventTime; Go's zero time when none is set.
    static func eventSortTime(_ e: JSON) -> GoTime {
        if e["series"].object != nil { return GoTime(e["series", "lastObservedTime"]) }
        if !TypedEvent.isZero(e["lastTimestamp"]) { return GoTime(e["lastTimestamp"]) }
        return GoTime(e["eventTime"])
    }
}

/// A decoded `time.Time` to compare with `Before`: seconds since the epoch for any year (Go's
/// zero time when unset or unreadable) and the nanoseconds within the second.
struct GoTime: Comparable {
    let seconds: Int64
    let nanos: Int64

    init(_ timestamp: JSON) {
        guard let text = timestamp.string, let seconds = Describe.unixSeconds(text) else {
            self.seconds = Describe.zeroTimeSeconds
            nanos = 0
            return
        }
        self.seconds = seconds
        // Within the years VirtualTime holds the fraction is read too; beyond them, whole seconds.
        nanos = VirtualTime(rfc3339: text).map { $0.nanos - $0.seconds * 1_000_000_000 } ?? 0
    }

    static func < (a: GoTime, b: GoTime) -> Bool { (a.seconds, a.nanos) < (b.seconds, b.nanos) }
}

extension VirtualTime {
    /// The instant a decoded Go time names, if the simulation's clock can hold it.
    init?(goTime t: GoTime) {
        let (whole, overflow) = t.seconds.multipliedReportingOverflow(by: 1_000_000_000)
        guard !overflow else { return nil }
        let (sum, overflowSum) = whole.addingReportingOverflow(t.nanos)
        guard !overflowSum else { return nil }
        self.init(nanos: sum)
    }
}
