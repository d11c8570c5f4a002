// libyaml, as Yams builds it (Yams' own node tree is not used, see below).
import CYaml

/// Reads a YAML stream into one JSON value per document, straight from libyaml's events, the
/// way sigs.k8s.io/yaml (go-yaml v2) converts YAML to JSON: plain scalars resolve as YAML 1.1
/// (`YAMLResolve.value(ofPlain:)`), quoted and block scalars and most tagged ones stay strings,
/// mapping keys are their text, aliases repeat their anchor's value, and a key given twice in one
/// mapping is an error.
///
/// No node tree is built on the way: Yams' `Node`, with its tags, marks and duplicate-key
/// sets, cost seven times libyaml's parse, and a manifest's YAML is read on every apply.
/// Containers being read wait on an explicit stack, so depth costs no recursion.
///
/// Errors come in go-yaml's order. What libyaml finds (syntax, an alias to no anchor) stops
/// the stream at once. What go-yaml finds decoding a parsed document (a key that is not a
/// scalar, a repeated key, a value too deep or too aliased, an anchor inside its own value)
/// waits for the document's end, so a syntax error later in the document comes first.
struct YAMLReader {
    /// A container whose end has not been read yet.
    private struct Frame {
        enum Content {
            case sequence([JSON])
            /// `key` is the key read whose value has not come yet; `seen` holds the keys once
            /// there are enough of them that looking along the members would cost more.
            case mapping(JSONObject, key: String?, seen: Set<String>?)
        }
        var content: Content
        let anchor: String?
        /// Tells this container's binding of `anchor` from a later one of the same name.
        let id: Int
        let line: Int
        /// How far below this container its deepest value lies, aliases expanded.
        var height = 0
        /// Nodes in it once aliases are expanded, itself included: what go-yaml counts.
        var size = 1
    }

    /// What an anchor stands for: its value, its text when it is a scalar (which can then also
    /// be a mapping key), and the value's height and size with aliases expanded.
    private struct Anchored {
        var value: JSON
        var text: String?
        var height: Int
        var size: Int
    }

    /// An anchor is bound where its node begins, as go-yaml binds it, so a later node of the
    /// same name (even one inside it) takes the name over; a container still being read is
    /// `open`, and an alias to it is a value inside itself.
    private enum Binding {
        case open(frame: Int)
        case value(Anchored)
    }

    private var stack: [Frame] = []
    private var anchors: [String: Binding] = [:]
    private var nextFrameID = 0
    private var root: JSON?
    /// go-yaml's "unmarshal errors": every repeated key of the document, reported together.
    private var repeatedKeys: [String] = []
    /// The first error go-yaml would stop decoding the document at; past it the document is
    /// only parsed, for the syntax errors that come first.
    private var decodeFailure: StatusError?
    /// go-yaml's guard against alias bombs: nodes decoded, and those of them that came from
    /// expanding aliases.
    private var decodeCount = 0
    private var aliasCount = 0
    /// Containers opened after `decodeFailure`, which are parsed but not built.
    private var skippedDepth = 0

    /// The documents of `text`, or a `StatusError` worded as the API server's YAML decoding
    /// words it (`error converting YAML to JSON: yaml: …`).
    static func documents(_ text: String) -> Result<[JSON], StatusError> {
        var text = text
        return text.withUTF8 { bytes in
            var reader = YAMLReader()
            return reader.read(bytes)
        }
    }

    private mutating func read(_ bytes: UnsafeBufferPointer<UInt8>) -> Result<[JSON], StatusError> {
        var parser = yaml_parser_t()
        guard yaml_parser_initialize(&parser) == 1 else { return .failure(Self.error("yaml: out of memory")) }
        defer { yaml_parser_delete(&parser) }
        yaml_parser_set_encoding(&parser, YAML_UTF8_ENCODING)
        yaml_parser_set_input_string(&parser, bytes.baseAddress, bytes.count)
        var documents: [JSON] = []
        var event = yaml_event_t()
        while true {
            guard yaml_parser_parse(&parser, &event) == 1 else {
                // Nesting past libyaml's own limit (1,000 levels) is past ours, whether or not
                // the parser got as far as ours before its scanner, reading ahead, gave up.
                if parser.problem.map({ String(cString: $0).hasPrefix("Maximum nesting level") }) == true {
                    return .failure(decodeFailure ?? Self.error("exceeded max depth of \(Manifests.maxDepth)"))
                }
                return .failure(Self.parserError(parser))
            }
            defer { yaml_event_delete(&event) }
            switch event.type {
            case YAML_STREAM_END_EVENT:
                return .success(documents)
            case YAML_DOCUMENT_START_EVENT:
                // Each document is decoded on its own, its anchors with it, as kubectl does.
                anchors.removeAll(keepingCapacity: true)
                root = nil
                repeatedKeys = []
                decodeFailure = nil
                skippedDepth = 0
                (decodeCount, aliasCount) = (1, 0)  // the document node
            case YAML_DOCUMENT_END_EVENT:
                if let decodeFailure { return .failure(decodeFailure) }
                if !repeatedKeys.isEmpty {
                    return .failure(Self.error("yaml: unmarshal errors:\n  " + repeatedKeys.joined(separator: "\n  ")))
                }
                documents.append(root ?? .null)
            case YAML_SCALAR_EVENT, YAML_SEQUENCE_START_EVENT, YAML_MAPPING_START_EVENT, YAML_ALIAS_EVENT:
                if let failure = node(event) { return .failure(failure) }
            case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
                closeContainer()
            default:
                continue  // stream start, and the empty event
            }
        }
    }

    /// One node's event: a scalar or alias is a value; a container start opens a frame. Returns
    /// the error that stops the stream, if any.
    private mutating func node(_ event: yaml_event_t) -> StatusError? {
        if decodeFailure != nil { return skip(event) }
        // The node's depth is the number of containers around it.
        if stack.count > Manifests.maxDepth {
            fail(Self.error("exceeded max depth of \(Manifests.maxDepth)"))
            return skip(event)
        }
        decodeCount += 1
        // go-yaml checks at every node: past 400,000 the allowed share falls as nodes come.
        if decodeCount > 400_000 { checkAliasing() }
        let line = Int(event.start_mark.line) + 1
        switch event.type {
        case YAML_SCALAR_EVENT:
            let scalar = event.data.scalar
            let text = scalar.value.map { String(decoding: UnsafeBufferPointer(start: $0, count: scalar.length), as: UTF8.self) } ?? ""
            let value: JSON
            switch Self.string(scalar.tag) {
            case nil:
                value = scalar.style == YAML_PLAIN_SCALAR_STYLE ? YAMLResolve.value(ofPlain: text) : .string(text)
            case "tag:yaml.org,2002:bool", "tag:yaml.org,2002:int", "tag:yaml.org,2002:float", "tag:yaml.org,2002:timestamp":
                value = YAMLResolve.value(ofPlain: text)  // go-yaml's resolvableTag: read as plain
            case "tag:yaml.org,2002:null":
                value = ["", "~", "null", "Null", "NULL"].contains(text) ? .null : .string(text)
            case "tag:yaml.org,2002:binary":
                switch Base64.decode(text) {
                case .success(let bytes): value = .string(String(decoding: bytes, as: UTF8.self))
                case .failure:
                    value = .string(text)
                    fail(Self.error("yaml: !!binary value contains invalid base64 data"))
                }
            default:
                value = .string(text)  // `!!str`, `!`, and every tag go-yaml does not resolve
            }
            if let anchor = Self.string(scalar.anchor) {
                anchors[anchor] = .value(Anchored(value: value, text: text, height: 0, size: 1))
            }
            add(value, text: text, line: line, height: 0, size: 1)
        case YAML_ALIAS_EVENT:
            let name = Self.string(event.data.alias.anchor) ?? ""
            let anchored: Anchored
            switch anchors[name] {
            case nil:
                return Self.error("yaml: unknown anchor '\(name)' referenced")
            case .open:
                fail(Self.error("yaml: anchor '\(name)' value contains itself"))
                return nil
            case .value(let a):
                anchored = a
            }
            // The alias stands for its whole value here: as deep as it goes from this place,
            // and every node of it decoded again (go-yaml's `allowedAliasRatio`).
            if stack.count + anchored.height > Manifests.maxDepth {
                fail(Self.error("exceeded max depth of \(Manifests.maxDepth)"))
            }
            // Bounded: an anchored value's nodes were all counted already, and the check below
            // stops a document whose count runs away.
            decodeCount += anchored.size
            aliasCount += anchored.size
            checkAliasing()
            add(anchored.value, text: anchored.text, line: line, height: anchored.height, size: 1 + anchored.size)
        case YAML_SEQUENCE_START_EVENT:
            open(.sequence([]), anchor: Self.string(event.data.sequence_start.anchor), line: line)
        default:
            open(.mapping(JSONObject(), key: nil, seen: nil), anchor: Self.string(event.data.mapping_start.anchor), line: line)
        }
        return nil
    }

    private mutating func open(_ content: Frame.Content, anchor: String?, line: Int) {
        nextFrameID += 1
        if let anchor { anchors[anchor] = .open(frame: nextFrameID) }
        stack.append(Frame(content: content, anchor: anchor, id: nextFrameID, line: line))
    }

    /// go-yaml's alias-bomb guard (`allowedAliasRatio`).
    private mutating func checkAliasing() {
        if aliasCount > 100, decodeCount > 1000, Double(aliasCount) / Double(decodeCount) > Self.allowedAliasRatio(decodeCount) {
            fail(Self.error("yaml: document contains excessive aliasing"))
        }
    }

    /// A node of a document that has already failed to decode: parsed only, for the errors
    /// parsing finds, so no value is built and no container kept. Its anchors are remembered by
    /// name, so that an alias to one is not taken for an unknown anchor.
    private mutating func skip(_ event: yaml_event_t) -> StatusError? {
        let anchor: String?
        switch event.type {
        case YAML_SCALAR_EVENT:
            anchor = Self.string(event.data.scalar.anchor)
        case YAML_SEQUENCE_START_EVENT:
            anchor = Self.string(event.data.sequence_start.anchor)
            skippedDepth += 1
        case YAML_MAPPING_START_EVENT:
            anchor = Self.string(event.data.mapping_start.anchor)
            skippedDepth += 1
        default:
            let name = Self.string(event.data.alias.anchor) ?? ""
            if anchors[name] == nil { return Self.error("yaml: unknown anchor '\(name)' referenced") }
            return nil
        }
        if let anchor { anchors[anchor] = .value(Anchored(value: .null, text: nil, height: 0, size: 1)) }
        return nil
    }

    /// The innermost container is complete: it becomes a value of the one around it.
    private mutating func closeContainer() {
        if skippedDepth > 0 {
            skippedDepth -= 1
            return
        }
        guard let frame = stack.popLast() else { return }
        let value: JSON
        switch frame.content {
        case .sequence(let items): value = .array(items)
        case .mapping(let members, _, _): value = .object(members)
        }
        // Unless a node inside took the name over since.
        if let anchor = frame.anchor, case .open(frame.id)? = anchors[anchor] {
            anchors[anchor] = .value(Anchored(value: value, text: nil, height: frame.height, size: frame.size))
        }
        add(value, text: nil, line: frame.line, height: frame.height, size: frame.size)
    }

    /// Puts a complete value where it belongs: the document's root, the next item of a
    /// sequence, or a mapping's key (`text`, which a container does not have) or value.
    private mutating func add(_ value: JSON, text: String?, line: Int, height: Int, size: Int) {
        guard decodeFailure == nil else { return }
        guard var frame = stack.popLast() else {
            root = value
            return
        }
        // Taken off the stack while it changes, so its storage is not shared and grows in place.
        defer { stack.append(frame) }
        frame.height = max(frame.height, height + 1)
        frame.size += size
        switch frame.content {
        case .sequence(var items):
            frame.content = .sequence([])
            items.append(value)
            frame.content = .sequence(items)
        case .mapping(var members, let key, var seen):
            frame.content = .sequence([])
            if let key {
                if seen?.contains(key) ?? (members.index(forKey: key) != nil) {
                    // go-yaml keeps the first value and names the line of the second.
                    repeatedKeys.append("line \(line): key \(JSON.string(key).serialized()) already set in map")
                } else {
                    members.append(key: key, value: value)
                    if seen != nil {
                        seen?.insert(key)
                    } else if members.count == 16 {
                        seen = Set(members.keys)
                    }
                }
                frame.content = .mapping(members, key: nil, seen: seen)
            } else {
                frame.content = .mapping(members, key: text, seen: seen)
                if text == nil { fail(Self.error("yaml: invalid map key: \(value.serialized())")) }
            }
        }
    }

    /// Records the document's first decoding error; it is reported at the document's end.
    private mutating func fail(_ error: StatusError) {
        if decodeFailure == nil { decodeFailure = error }
    }

    /// go-yaml's `allowedAliasRatio`: 99% of the decoded nodes may come from aliases up to
    /// 400,000 nodes, falling to 10% at 4,000,000.
    private static func allowedAliasRatio(_ decodeCount: Int) -> Double {
        let low = 400_000.0, high = 4_000_000.0
        let count = Double(decodeCount)
        if count <= low { return 0.99 }
        if count >= high { return 0.10 }
        return 0.99 - 0.89 * (count - low) / (high - low)
    }

    private static func string(_ pointer: UnsafeMutablePointer<yaml_char_t>?) -> String? {
        pointer.map { String(cString: $0) }
    }

    private static func error(_ message: String) -> StatusError {
        .badRequest("error converting YAML to JSON: \(message)")
    }

    /// libyaml's problem as go-yaml's `parser.fail` words it: the problem's line as libyaml
    /// counts it from 0 (plus one for the scanner's, whose line has not advanced yet), else the
    /// context's, and no line at all when that is 0.
    private static func parserError(_ parser: yaml_parser_t) -> StatusError {
        guard parser.error != YAML_MEMORY_ERROR else { return error("yaml: out of memory") }
        let problem = parser.problem.map { String(cString: $0) } ?? "unknown problem parsing YAML content"
        var line = 0
        if parser.problem_mark.line != 0 {
            line = Int(parser.problem_mark.line) + (parser.error == YAML_SCANNER_ERROR ? 1 : 0)
        } else if parser.context_mark.line != 0 {
            line = Int(parser.context_mark.line)
        }
        return error(line != 0 ? "yaml: line \(line): \(problem)" : "yaml: \(problem)")
    }
}
