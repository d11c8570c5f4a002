/// `kubectl get -o custom-columns=NAME:.metadata.name,PHASE:.status.phase`: kubectl's
/// `CustomColumnsPrinter` (pkg/cmd/get/customcolumn.go).
///
/// Each column is a header and a JSONPath (relaxed: `.metadata.name`, `metadata.name` and
/// `{.metadata.name}` all mean `{.metadata.name}`), run with missing keys allowed. A cell is
/// every value found, as `fmt.Sprint` prints it (`map[app:web]`, `[a b]`), joined by commas;
/// `<none>` when nothing is. 1.36 escapes the terminal controls in a value
/// (`EscapeTerminal`); 1.18 prints it as it is (`fmt.Sprintf("%v", …)`). Rows go through kubectl's tabwriter, headers first (once per run
/// of the same kind of object) unless `--no-headers`.
final class CustomColumnsPrinter {
    struct Column: Equatable {
        var header: String
        var fieldSpec: String
    }

    /// What `PrintObj` is handed: a list of objects, or one object.
    enum Shape: Equatable { case list, object }

    let columns: [Column]
    let noHeaders: Bool
    /// The kubectl release printing: its JSONPath engine, and whether cells are escaped.
    let version: KubernetesVersion
    private var lastShape: Shape?

    init(columns: [Column], noHeaders: Bool, version: KubernetesVersion = .v1_36) {
        self.columns = columns
        self.noHeaders = noHeaders
        self.version = version
    }

    /// `NewCustomColumnsPrinterFromSpec`: comma-separated `HEADER:path` pairs.
    static func fromSpec(_ spec: String, noHeaders: Bool, version: KubernetesVersion = .v1_36)
        -> Result<CustomColumnsPrinter, JSONPathError>
    {
        if spec.isEmpty {
            return .failure(JSONPathError("custom-columns format specified but no custom columns given"))
        }
        func text(_ scalars: ArraySlice<Unicode.Scalar>) -> String {
            var s = String.UnicodeScalarView()
            s.append(contentsOf: scalars)
            return String(s)
        }
        var columns: [Column] = []
        // Split as Go's `strings.Split` and `SplitN(…, ":", 2)` do: by the characters alone.
        for part in Array(spec.unicodeScalars).split(separator: ",", omittingEmptySubsequences: false) {
            guard let colon = part.firstIndex(of: ":") else {
                return .failure(JSONPathError(
                    "unexpected custom-columns spec: \(text(part)), expected <header>:<json-path-expr>"))
            }
            switch relaxedJSONPathExpression(text(part[(colon + 1)...])) {
            case .failure(let e): return .failure(e)
            case .success(let path): columns.append(Column(header: text(part[..<colon]), fieldSpec: path))
            }
        }
        return .success(CustomColumnsPrinter(columns: columns, noHeaders: noHeaders, version: version))
    }

    /// `RelaxedJSONPathExpression`: `^\{\.?([^{}]+)\}$|^\.?([^{}]+)$` made `{.…}`; "" stays "".
    static func relaxedJSONPathExpression(_ expression: String) -> Result<String, JSONPathError> {
        if expression.isEmpty { return .success(expression) }
        let scalars = Array(expression.unicodeScalars)
        func field(_ body: ArraySlice<Unicode.Scalar>) -> String? {
            guard !body.isEmpty, !body.contains("{"), !body.contains("}") else { return nil }
            // `\.?` gives its dot back when nothing else would be left.
            let rest = body.first == "." && body.count > 1 ? body.dropFirst() : body
            var s = String.UnicodeScalarView()
            s.append(contentsOf: rest)
            return String(s)
        }
        if scalars.count >= 2, scalars.first == "{", scalars.last == "}",
           let spec = field(scalars[1..<(scalars.count - 1)])
        {
            return .success("{.\(spec)}")
        }
        if let spec = field(scalars[...]) { return .success("{.\(spec)}") }
        return .failure(JSONPathError("unexpected path string, expected a 'name1.name2' or '.name1.name2' "
            + "or '{name1.name2}' or '{.name1.name2}'"))
    }

    /// `PrintObj`: the header (unless printed for this shape already) and a row per object
    /// written to `writer`; a column that does not parse or run fails after what was written.
    func print(_ object: JSON, shape: Shape, to writer: inout TabWriter) -> JSONPathError? {
        if !noHeaders, shape != lastShape {
            writer.write(columns.map(\.header).joined(separator: "\t") + "\n")
            lastShape = shape
        }
        var parsers: [JSONPath] = []
        for column in columns {
            switch JSONPath.parse(column.fieldSpec, version: version) {
            case .failure(let e): return e
            case .success(let path):
                path.allowMissingKeys = true
                parsers.append(path)
            }
        }
        let objects = shape == .list ? (object["items"].array ?? []) : [object]
        for o in objects {
            var cells: [String] = []
            for parser in parsers {
                switch parser.findResults(.json(o)) {
                case .failure(let e): return e
                case .success(let values):
                    var strings: [String] = []
                    if values.first?.isEmpty ?? true { strings.append("<none>") }
                    for set in values {
                        for v in set { strings.append(version == .v1_18 ? v.plain : Self.escapeTerminal(v.plain)) }
                    }
                    cells.append(strings.joined(separator: ","))
                }
            }
            writer.write(cells.joined(separator: "\t") + "\n")
        }
        return nil
    }

    /// `printers.EscapeTerminal`: ESC as `^[`, CR as `\r`.
    static func escapeTerminal(_ s: String) -> String {
        guard s.unicodeScalars.contains(where: { $0 == "\u{1B}" || $0 == "\r" }) else { return s }
        var out = String.UnicodeScalarView()
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\u{1B}": out.append(contentsOf: "^[".unicodeScalars)
            case "\r": out.append(contentsOf: "\\r".unicodeScalars)
            default: out.append(scalar)
            }
        }
        return String(out)
    }
}
