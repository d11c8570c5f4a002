/// The text `kubectl describe` prints, written the way its describers write it
/// (`KK:staging/src/k8s.io/kubectl/pkg/describe/describe.go`): a `PrefixWriter` that indents
/// each level by two spaces, over the Go `text/tabwriter` that `tabbedString` sets up
/// (minwidth 0, tabwidth 8, padding 2, padded with spaces). Cells end at `\t`; a run of
/// consecutive lines with a cell in a column is aligned on that column.
///
/// kubectl 1.36 passes everything it writes through `WriteEscaped`, which shows an ESC as `^[`
/// and a carriage return as `\r`; 1.18 wrote values as they were.
///
///     var w = DescribeWriter(version: .v1_36)
///     w.write(0, "Name:\tweb\n")
///     w.write(0, "Namespace:\tdefault\n")
///     w.finish()   // "Name:       web\nNamespace:  default\n"
struct DescribeWriter {
    let version: KubernetesVersion
    /// Through the tabwriter, as describe writes; `rollout history --revision` writes its
    /// PrefixWriter straight to a buffer, tabs and all.
    let aligned: Bool
    /// Levels added to every write, as `NewNestedPrefixWriter` adds them (WriteLine's too).
    var indent = 0
    private var tab = TabWriter(minWidth: 0, tabWidth: 8, padding: 2, rememberWidths: false)
    private var done = ""

    init(version: KubernetesVersion, aligned: Bool = true) {
        self.version = version
        self.aligned = aligned
    }

    /// `PrefixWriter.Write(level, …)`: `text` indented by `level` levels.
    mutating func write(_ level: Int, _ text: String) {
        let level = level + indent
        var indented = level > 0 ? String(repeating: "  ", count: level) + text : text
        if version == .v1_36 { indented = indented.replacingESC() }
        if aligned { tab.write(indented) } else { done += indented }
    }

    /// `PrefixWriter.WriteLine(text)`: `text` and a newline, at no level.
    mutating func line(_ text: String) { write(0, text + "\n") }

    /// Aligns what was written so far on its own, as the describers' `w.Flush()` does before
    /// an Events table.
    mutating func flush() { done += tab.flush() }

    mutating func finish() -> String {
        flush()
        return done
    }
}

/// The helpers every describer shares (`printLabelsMultiline`, `printAnnotationsMultiline`,
/// `DescribeEvents`, …), as `describe.go` writes them.
enum Describe {
    /// Keys in Go's `sort.Strings` order (bytes).
    static func sortedKeys(_ map: JSON) -> [String] {
        (map.object?.keys ?? []).sorted(by: JSON.utf8Less)
    }

    /// `printLabelsMultilineWithIndent`: `Title:<inner>k=v`, one per line in key order, or
    /// `<none>`; later lines indented by `initialIndent` + `innerIndent`.
    static func labels(_ w: inout DescribeWriter, _ title: String, _ labels: JSON,
                       initialIndent: String = "", innerIndent: String = "\t")
    {
        w.write(0, "\(initialIndent)\(title):\(innerIndent)")
        let keys = sortedKeys(labels)
        if keys.isEmpty {
            w.line("<none>")
            return
        }
        for (i, key) in keys.enumerated() {
            // Two writes, as Go's: a nested writer indents each.
            if i != 0 {
                w.write(0, initialIndent)
                w.write(0, innerIndent)
            }
            w.write(0, "\(key)=\(labels[key].string ?? "")\n")
        }
    }

    /// `printAnnotationsMultiline`: `key: value` in key order, less the last-applied
    /// configuration; a value longer than the line, or of several lines, goes below its key,
    /// each line cut at 138 bytes. kubectl 1.18 tested the map before taking the
    /// last-applied annotation out, so an object with no other annotation printed nothing
    /// after the title, and the next field continued its line.
    static func annotations(_ w: inout DescribeWriter, _ title: String, _ annotations: JSON) {
        w.write(0, "\(title):\t")
        let all = sortedKeys(annotations)
        let keys = all.filter { $0 != lastAppliedAnnotation }
        let empty = w.version == .v1_18 ? all.isEmpty : keys.isEmpty
        if empty {
            w.line("<none>")
            return
        }
        for (i, key) in keys.enumerated() {
            if i != 0 { w.write(0, "\t") }
            var value = annotations[key].string ?? ""
            if value.hasSuffix("\n") { value.removeLast() }
            if value.utf8.count + key.utf8.count + 2 > maxAnnotationLength || value.contains("\n") {
                w.write(0, "\(key):\n")
                for line in value.split(separator: "\n", omittingEmptySubsequences: false) {
                    w.write(0, "\t  \(shorten(String(line), maxAnnotationLength - 2))\n")
                }
            } else {
                w.write(0, "\(key): \(value)\n")
            }
        }
    }

    static let lastAppliedAnnotation = "kubectl.kubernetes.io/last-applied-configuration"
    static let maxAnnotationLength = 140

    /// `shorten`: the first `max` bytes and `...`.
    static func shorten(_ s: String, _ max: Int) -> String {
        guard s.utf8.count > max else { return s }
        return String(decoding: s.utf8.prefix(max), as: UTF8.self) + "..."
    }

    /// `printTaintsMultilineWithIndent`: taints ordered by effect, then key, as `key=value:Effect`.
    static func taints(_ w: inout DescribeWriter, _ title: String, _ taints: [JSON]) {
        w.write(0, "\(title):\t")
        if taints.isEmpty {
            w.line("<none>")
            return
        }
        func sortKey(_ t: JSON) -> String { (t["effect"].string ?? "") + "," + (t["key"].string ?? "") }
        let sorted = taints.enumerated().sorted {
            let a = sortKey($0.element), b = sortKey($1.element)
            return a == b ? $0.offset < $1.offset : JSON.utf8Less(a, b)
        }
        for (i, taint) in sorted.enumerated() {
            if i != 0 { w.write(0, "\t") }
            w.write(0, "\(taintString(taint.element))\n")
        }
    }

    /// `Taint.ToString`: `key=value:Effect`, `key:Effect` without a value.
    static func taintString(_ t: JSON) -> String {
        let key = t["key"].string ?? "", value = t["value"].string ?? "", effect = t["effect"].string ?? ""
        let kv = value.isEmpty ? key : "\(key)=\(value)"
        return effect.isEmpty ? kv : "\(kv):\(effect)"
    }

    /// `time.RFC1123Z` of a stored timestamp, in UTC (kubectl prints local time), or of Go's
    /// zero time when there is none. Read from the text, so that any year prints as Go
    /// prints it.
    static func rfc1123Z(_ timestamp: JSON) -> String {
        VirtualTime.rfc1123Z(seconds: timestamp.string.flatMap(unixSeconds) ?? zeroTimeSeconds)
    }

    /// 0001-01-01T00:00:00Z, Go's zero `time.Time`.
    static let zeroTimeSeconds: Int64 = -62_135_596_800

    /// Seconds since the epoch of an RFC 3339 text (`2024-01-01T00:00:00Z`, an optional
    /// fraction, `Z` or `±hh:mm`), for any four-digit year; nil when malformed.
    static func unixSeconds(_ text: String) -> Int64? {
        let b = Array(text.utf8)
        func number(_ at: Int, _ count: Int) -> Int64? {
            guard at + count <= b.count else { return nil }
            var v: Int64 = 0
            for c in b[at..<(at + count)] {
                guard c >= 48, c <= 57 else { return nil }
                v = v * 10 + Int64(c - 48)
            }
            return v
        }
        guard b.count >= 20, let y = number(0, 4), b[4] == 45, let mo = number(5, 2), (1...12).contains(mo), b[7] == 45,
              let d = number(8, 2), (1...31).contains(d), b[10] == 84 || b[10] == 116, let h = number(11, 2), b[13] == 58,
              let mi = number(14, 2), b[16] == 58, let s = number(17, 2) else { return nil }
        var i = 19
        if i < b.count, b[i] == 46 {
            i += 1
            while i < b.count, b[i] >= 48, b[i] <= 57 { i += 1 }
        }
        var offset: Int64 = 0
        if i < b.count, b[i] == 90 || b[i] == 122 {
            i += 1
        } else if i < b.count, b[i] == 43 || b[i] == 45, let oh = number(i + 1, 2), i + 3 < b.count, b[i + 3] == 58,
                  let om = number(i + 4, 2) {
            offset = (oh * 60 + om) * 60 * (b[i] == 45 ? -1 : 1)
            i += 6
        } else {
            return nil
        }
        guard i == b.count else { return nil }
        return VirtualTime.days(fromCivil: y, mo, d) * 86_400 + h * 3600 + mi * 60 + s - offset
    }

    /// `translateTimestampSince`: the age of a timestamp, `<unknown>` for none (or Go's zero
    /// time); saturating outside the years a cluster's clock can hold, as Go's durations do.
    static func since(_ timestamp: JSON, now: VirtualTime) -> String {
        guard let text = timestamp.string, let elapsed = TablePrinter.elapsed(since: text, now: now) else {
            return "<unknown>"
        }
        return HumanDuration.string(elapsed)
    }

    /// `DescribeEvents`: `<none>`, or a table ordered by last timestamp (an events.k8s.io
    /// Event has none, and sorts first). The tabwriter is flushed first, so the table's
    /// columns are its own.
    static func events(_ w: inout DescribeWriter, _ events: [JSON], now: VirtualTime) {
        if events.isEmpty {
            w.write(0, "Events:\t<none>\n")
            return
        }
        w.flush()
        // Oldest first: the longest since its last timestamp (none is Go's zero time).
        func age(_ e: JSON) -> Int64 {
            e["lastTimestamp"].string.flatMap { TablePrinter.elapsed(since: $0, now: now) }?.nanos ?? Int64.max
        }
        // Go's sort.Sort is an insertion sort below 13 items, so stable there. Beyond that its
        // order of equal times follows its pdqsort (1.36) or quicksort (1.18), not ported:
        // ties keep the API's order here.
        let sorted = events.enumerated().sorted {
            let a = age($0.element), b = age($1.element)
            return a == b ? $0.offset < $1.offset : a > b
        }.map(\.element)
        w.write(0, "Events:\n  Type\tReason\tAge\tFrom\tMessage\n")
        w.write(1, "----\t------\t----\t----\t-------\n")
        for e in sorted {
            let count = e["count"].int ?? 0
            var interval: String
            switch w.version {
            case .v1_18:
                if count > 1 {
                    interval = "\(since(e["lastTimestamp"], now: now)) (x\(count) over \(since(e["firstTimestamp"], now: now)))"
                } else {
                    interval = since(e["firstTimestamp"], now: now)
                    if e["firstTimestamp"].string == nil { interval = since(e["eventTime"], now: now) }
                }
            case .v1_36:
                let first = e["eventTime"].string != nil ? since(e["eventTime"], now: now)
                                                         : since(e["firstTimestamp"], now: now)
                let series = e["series"]
                if series.object != nil {
                    interval = "\(since(series["lastObservedTime"], now: now)) (x\(series["count"].int ?? 0) over \(first))"
                } else if count > 1 {
                    interval = "\(since(e["lastTimestamp"], now: now)) (x\(count) over \(first))"
                } else {
                    interval = first
                }
            }
            var source = e["source", "component"].string ?? ""
            if source.isEmpty { source = e["reportingComponent"].string ?? "" }
            var message = TablePrinter.trimSpace(e["message"].string ?? "")
            if w.version == .v1_36, let fieldPath = e["involvedObject", "fieldPath"].string, !fieldPath.isEmpty {
                message = "\(fieldPath): \(message)"
            }
            w.write(1, "\(e["type"].string ?? "")\t\(e["reason"].string ?? "")\t\(interval)\t\(source)\t\(message)\n")
        }
    }
}
