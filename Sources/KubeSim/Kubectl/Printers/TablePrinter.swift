/// `kubectl get`'s human-readable tables, rendered from stored API objects.
///
/// Upstream the API server builds a `Table` (`KK:pkg/printers/internalversion/printers.go`)
/// and kubectl decorates and prints it (`cli-runtime/pkg/printers/tableprinter.go`). This type
/// does both: each resource's column set and cell rules live in `TablePrinter+<Group>.swift`;
/// the decoration (NAMESPACE first, `-L` columns, LABELS last) and the tabwriter layout live
/// here.
///
///     TablePrinter.table(resource: "pods", objects: pods, now: clock, options: PrintOptions())
///     // NAME                    READY   STATUS    RESTARTS   AGE
///     // nginx-f89759699-5pqrm   1/1     Running   0          96s
public enum TablePrinter {
    /// Renders `objects` (all of one resource, e.g. "pods", "nodes", "deployments", "replicasets",
    /// "events", "namespaces", "services", "configmaps", "secrets", "leases", "daemonsets",
    /// "endpoints"; any other resource gets kubectl's default `NAME AGE` table) as kubectl's table
    /// text, with a trailing newline. `now` is the virtual clock, used for AGE and LAST SEEN.
    /// Empty input returns "" (the caller prints "No resources found in <ns> namespace." to
    /// stderr). Rows keep the order of `objects`.
    public static func table(resource: String, objects: [JSON], now: VirtualTime, options: PrintOptions) -> String {
        guard !objects.isEmpty else { return "" }
        var writer = TabWriter()
        writer.write(tabSeparated(resource: resource, objects: objects, now: now, options: options))
        return writer.flush()
    }

    /// The tab-separated lines kubectl hands its tabwriter, before alignment. `kubectl get -w`
    /// keeps one `TabWriter` for the whole watch and flushes after every event, so later rows
    /// line up with (or widen) the columns printed before:
    ///
    ///     var w = TabWriter()
    ///     w.write(TablePrinter.tabSeparated(resource: "events", objects: initial, now: t0, options: o))
    ///     print(w.flush(), terminator: "")
    ///     var rowsOnly = o; rowsOnly.noHeaders = true
    ///     w.write(TablePrinter.tabSeparated(resource: "events", objects: [next], now: t1, options: rowsOnly))
    ///     print(w.flush(), terminator: "")
    public static func tabSeparated(resource: String, objects: [JSON], now: VirtualTime, options: PrintOptions) -> String {
        guard !objects.isEmpty else { return "" }  // no rows, no header
        let spec = ResourceTable.forResource(resource, version: options.version)
        let context = CellContext(now: now, version: options.version, wide: options.wide)
        let visible = spec.columns.indices.filter { options.wide || !spec.columns[$0].wide }
        let nameColumn = options.kind == nil ? nil : spec.columns.firstIndex { $0.name == "Name" }

        var out = ""
        if !options.noHeaders {
            var header: [String] = []
            if options.allNamespaces { header.append("NAMESPACE") }
            header += visible.map { asciiUpper(spec.columns[$0].name) }
            header += options.labelColumns.map { key in
                asciiUpper(String(key.split(separator: "/", omittingEmptySubsequences: false).last ?? ""))
            }
            if options.showLabels { header.append("LABELS") }
            out += header.joined(separator: "\t") + "\n"
        }
        for object in objects {
            let cells = spec.row(object, context)
            var row: [String] = []
            if options.allNamespaces {
                row.append(cellText(object["metadata", "namespace"].string ?? "", version: options.version))
            }
            for i in visible {
                var cell = i < cells.count ? cells[i] : ""
                if i == nameColumn, let kind = options.kind { cell = kind + "/" + cell }
                row.append(cellText(cell, version: options.version))
            }
            let labels = stringMap(object["metadata", "labels"])
            for key in options.labelColumns {
                let value = labels.first { $0.key.utf8.elementsEqual(key.utf8) }?.value ?? ""
                row.append(cellText(value, version: options.version))
            }
            if options.showLabels {
                row.append(cellText(formatLabels(labels), version: options.version))
            }
            out += row.joined(separator: "\t") + "\n"
        }
        return out
    }

    /// Since kubectl 1.26 (GH#112553) a cell is cut at its first `\f`, `\n` or `\r` (adding
    /// `...`) and ESC is shown as `^[` (`cli-runtime/pkg/printers/tableprinter.go`,
    /// `terminal.go`). kubectl 1.18 wrote cells as they were.
    static func cellText(_ value: String, version: KubernetesVersion) -> String {
        switch version {
        case .v1_18:
            return value
        case .v1_36:
            let special: Set<Unicode.Scalar> = ["\u{0C}", "\n", "\r", "\u{1B}"]
            guard value.unicodeScalars.contains(where: { special.contains($0) }) else { return value }
            var kept = ""
            var truncated = false
            for scalar in value.unicodeScalars {
                if scalar == "\u{0C}" || scalar == "\n" || scalar == "\r" {
                    truncated = true
                    break
                }
                kept.unicodeScalars.append(scalar)
            }
            let escaped = kept.replacingESC()
            return truncated ? escaped + "..." : escaped
        }
    }

    static func asciiUpper(_ s: String) -> String {
        String(String.UnicodeScalarView(s.unicodeScalars.map { c in
            ("a"..."z").contains(c) ? Unicode.Scalar(c.value - 32) ?? c : c
        }))
    }
}

/// One resource's column set (Go names, upper-cased when printed) and its row function, which
/// returns a cell for every column, wide ones included.
struct ResourceTable: Sendable {
    struct Column: Sendable {
        let name: String
        /// Priority 1 upstream: printed only with `-o wide`.
        let wide: Bool
        init(_ name: String, wide: Bool = false) {
            self.name = name
            self.wide = wide
        }
    }

    let columns: [Column]
    let row: @Sendable (JSON, CellContext) -> [String]

    static func forResource(_ resource: String, version: KubernetesVersion) -> ResourceTable {
        switch canonicalResource(resource) {
        case "pods": return TablePrinter.podTable
        case "nodes": return TablePrinter.nodeTable
        case "deployments": return TablePrinter.deploymentTable
        case "replicasets": return TablePrinter.replicaSetTable
        case "daemonsets": return TablePrinter.daemonSetTable
        case "statefulsets": return TablePrinter.statefulSetTable
        case "jobs": return TablePrinter.jobTable(version)
        case "cronjobs": return TablePrinter.cronJobTable(version)
        case "events": return TablePrinter.eventTable
        case "namespaces": return TablePrinter.namespaceTable
        case "services": return TablePrinter.serviceTable
        case "configmaps": return TablePrinter.configMapTable
        case "secrets": return TablePrinter.secretTable
        case "leases": return TablePrinter.leaseTable
        case "endpoints": return TablePrinter.endpointsTable
        case "poddisruptionbudgets": return TablePrinter.podDisruptionBudgetTable
        case "controllerrevisions": return TablePrinter.controllerRevisionTable
        default: return TablePrinter.defaultTable
        }
    }

    /// Accepts the plural, the singular, kubectl's short names and `<plural>.<group>`.
    static func canonicalResource(_ resource: String) -> String {
        let lower = resource.lowercased()
        let base = lower.split(separator: ".", maxSplits: 1).first.map(String.init) ?? lower
        switch base {
        case "pod", "po": return "pods"
        case "node", "no": return "nodes"
        case "deployment", "deploy": return "deployments"
        case "replicaset", "rs": return "replicasets"
        case "daemonset", "ds": return "daemonsets"
        case "statefulset", "sts": return "statefulsets"
        case "job": return "jobs"
        case "cronjob", "cj": return "cronjobs"
        case "event", "ev": return "events"
        case "namespace", "ns": return "namespaces"
        case "service", "svc": return "services"
        case "configmap", "cm": return "configmaps"
        case "secret": return "secrets"
        case "lease": return "leases"
        case "ep": return "endpoints"
        case "poddisruptionbudget", "pdb": return "poddisruptionbudgets"
        default: return base
        }
    }
}

/// What every cell function may need besides the object.
struct CellContext: Sendable {
    let now: VirtualTime
    let version: KubernetesVersion
    /// `-o wide`: the service printer clips load-balancer addresses only without it.
    let wide: Bool
}

// MARK: - Cells shared by several resources

extension TablePrinter {
    /// kubectl's default table for kinds without a printer (`printObjectMeta`).
    static let defaultTable = ResourceTable(columns: [.init("Name"), .init("Age")]) { obj, ctx in
        [name(obj), age(obj, ctx)]
    }

    static func name(_ obj: JSON) -> String { obj["metadata", "name"].string ?? "" }

    static func age(_ obj: JSON, _ ctx: CellContext) -> String {
        since(obj["metadata", "creationTimestamp"], ctx)
    }

    /// `translateTimestampSince`: `<unknown>` for an unset (zero) time, else HumanDuration.
    static func since(_ timestamp: JSON, _ ctx: CellContext) -> String {
        guard let text = timestamp.string, let delta = elapsed(since: text, now: ctx.now) else {
            return "<unknown>"
        }
        return HumanDuration.string(delta)
    }

    /// `now - t` for an RFC 3339 time; nil when unset, unparsable or Go's zero time. Times
    /// outside the years `VirtualTime` can hold (1678–2261) saturate instead of trapping.
    static func elapsed(since text: String, now: VirtualTime) -> Duration? {
        guard let year = year(text) else { return nil }
        if year < 1678 {
            if text.hasPrefix("0001-01-01T00:00:00") { return nil }  // metav1.Time{}.IsZero()
            return Duration(nanos: Int64.max)
        }
        if year > 2261 { return Duration(nanos: Int64.min) }
        guard let t = VirtualTime(rfc3339: text) else { return nil }
        let (d, overflow) = now.nanos.subtractingReportingOverflow(t.nanos)
        if overflow { return Duration(nanos: now.nanos < t.nanos ? Int64.min : Int64.max) }
        return Duration(nanos: d)
    }

    /// An RFC 3339 time within the years `VirtualTime` can hold, else nil.
    static func time(_ text: String) -> VirtualTime? {
        guard let year = year(text), (1678...2261).contains(year) else { return nil }
        return VirtualTime(rfc3339: text)
    }

    /// The four-digit year an RFC 3339 text starts with.
    private static func year(_ text: String) -> Int? {
        let digits = Array(text.utf8.prefix(4))
        guard digits.count == 4, digits.allSatisfy({ $0 >= 48 && $0 <= 57 }) else { return nil }
        return digits.reduce(0) { $0 * 10 + Int($1 - 48) }
    }

    /// A JSON object of strings as (key, value) pairs in stored order (non-strings read as "").
    static func stringMap(_ value: JSON) -> [(key: String, value: String)] {
        guard let object = value.object else { return [] }
        return object.map { (key: $0.key, value: $0.value.string ?? "") }
    }

    /// `labels.FormatLabels`: `k=v` pairs sorted by the whole pair (bytewise), joined by `,`,
    /// or `<none>`.
    static func formatLabels(_ labels: [(key: String, value: String)]) -> String {
        let pairs = labels.map { $0.key + "=" + $0.value }.sorted(by: JSON.utf8Less)
        return pairs.isEmpty ? "<none>" : pairs.joined(separator: ",")
    }

    static func formatLabels(_ value: JSON) -> String { formatLabels(stringMap(value)) }

    /// `layoutContainerCells`: container names and images, each joined by `,`.
    static func containerCells(_ podSpec: JSON) -> (names: String, images: String) {
        let containers = podSpec["containers"].array ?? []
        return (
            containers.map { $0["name"].string ?? "" }.joined(separator: ","),
            containers.map { $0["image"].string ?? "" }.joined(separator: ",")
        )
    }

    /// The selector text of `metav1.LabelSelectorAsSelector(sel).String()`; nil when the
    /// selector is invalid. A missing selector selects nothing and an empty one everything;
    /// both print as "".
    static func labelSelectorString(_ selector: JSON) -> String? {
        guard let object = selector.object else { return "" }
        var requirements: [(key: String, text: String)] = []
        for (key, value) in object["matchLabels"]?.object ?? [:] {
            guard let v = value.string else { return nil }
            requirements.append((key, key + "=" + v))
        }
        for expression in object["matchExpressions"]?.array ?? [] {
            let key = expression["key"].string ?? ""
            let values = (expression["values"].array ?? []).map { $0.string ?? "" }
            switch expression["operator"].string ?? "" {
            case "In", "NotIn":
                guard !values.isEmpty else { return nil }
                let op = expression["operator"].string == "In" ? " in " : " notin "
                let list = values.count == 1 ? values[0] : values.sorted(by: JSON.utf8Less).joined(separator: ",")
                requirements.append((key, key + op + "(" + list + ")"))
            case "Exists":
                guard values.isEmpty else { return nil }
                requirements.append((key, key))
            case "DoesNotExist":
                guard values.isEmpty else { return nil }
                requirements.append((key, "!" + key))
            default:
                return nil
            }
        }
        // labels.Selector.Add sorts requirements by key.
        let sorted = requirements.enumerated().sorted { a, b in
            if a.element.key != b.element.key { return JSON.utf8Less(a.element.key, b.element.key) }
            return a.offset < b.offset
        }
        return sorted.map { $0.element.text }.joined(separator: ",")
    }

    /// `metav1.FormatLabelSelector`: `<none>` when empty or unset, `<error>` when invalid.
    static func formatLabelSelector(_ selector: JSON) -> String {
        guard let text = labelSelectorString(selector) else { return "<error>" }
        return text.isEmpty ? "<none>" : text
    }

    static func int(_ value: JSON) -> Int { value.int ?? 0 }
}

extension String {
    /// `terminalEscaper`: ESC as `^[` (and CR as `\r`, though cells are cut at CR first).
    func replacingESC() -> String {
        var out = ""
        for scalar in unicodeScalars {
            switch scalar {
            case "\u{1B}": out += "^["
            case "\r": out += "\\r"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
