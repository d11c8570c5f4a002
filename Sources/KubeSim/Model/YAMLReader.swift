// libyaml, as Yams builds it (Yams' own node tree is not used, see below).
import CYaml

/// Reads a YAML stream into one JSON value per document, straight from libyaml's events, the
/// way sigs.k8s.io/yaml (go-yaml v2) converts YAML to JSON: plain scalars resolve as YAML 1.1
/// (`YAMLResolve.value(ofPlain:)`), quoted and block scalars stay strings, mapping keys are their
/// text, aliases repeat their anchor's value, and a key given twice in one mapping is an error.
///
/// No node tree is built on the way: Yams' `Node`, with its tags, marks and duplicate-key
/// sets, cost seven times libyaml's parse, and a manifest's YAML is read on every apply.
/// Containers being read wait on an explicit stack, so depth costs no recursion.
struct YAMLReader {
    /// A container whose end has not been read yet, with the line it starts on.
    private enum Frame {
        case sequence([JSON], anchor: String?, line: Int)
        /// `key` is the key read whose value has not come yet; `seen` holds the keys once
        /// there are enough of them that looking along the members would cost more.
        case mapping(JSONObject, key: String?, seen: Set<String>?, anchor: String?, line: Int)
    }

    /// What an anchor stands for: its value, and its text when it is a scalar (which can then
    /// also be a mapping key).
    private struct Anchored {
        var value: JSON
        var text: String?
    }

    private var stack: [Frame] = []
    private var anchors: [String: Anchored] = [:]
    private var root: JSON?
    /// go-yaml's "unmarshal errors": every repeated key of the document, reported together.
    private var repeatedKeys: [String] = []
    /// A mapping key that is not a scalar. Like repeated keys, it is reported once the
    /// document has parsed (go-yaml finds both decoding a parsed document), and before them.
    private var invalidKey: StatusError?

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
            guard yaml_parser_parse(&parser, &event) == 1 else { return .failure(Self.parserError(parser)) }
            defer { yaml_event_delete(&event) }
            switch event.type {
            case YAML_STREAM_END_EVENT:
                return .success(documents)
            case YAML_DOCUMENT_START_EVENT:
                // Anchors belong to their document, as go-yaml keeps them.
                anchors.removeAll(keepingCapacity: true)
                root = nil
                repeatedKeys = []
                invalidKey = nil
            case YAML_DOCUMENT_END_EVENT:
                if let invalidKey { return .failure(invalidKey) }
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

    /// One node's event: a scalar or alias is a value; a container start opens a frame.
    private mutating func node(_ event: yaml_event_t) -> StatusError? {
        // The node's depth is the number of containers around it.
        if stack.count > Manifests.maxDepth {
            return Self.error("exceeded max depth of \(Manifests.maxDepth)")
        }
        let line = Int(event.start_mark.line) + 1
        switch event.type {
        case YAML_SCALAR_EVENT:
            let scalar = event.data.scalar
            let text = scalar.value.map { String(decoding: UnsafeBufferPointer(start: $0, count: scalar.length), as: UTF8.self) } ?? ""
            let value = scalar.style == YAML_PLAIN_SCALAR_STYLE ? YAMLResolve.value(ofPlain: text) : .string(text)
            if let anchor = Self.string(scalar.anchor) { anchors[anchor] = Anchored(value: value, text: text) }
            add(value, text: text, line: line)
        case YAML_ALIAS_EVENT:
            let name = Self.string(event.data.alias.anchor) ?? ""
            guard let anchored = anchors[name] else { return Self.error("yaml: unknown anchor '\(name)' referenced") }
            add(anchored.value, text: anchored.text, line: line)
        case YAML_SEQUENCE_START_EVENT:
            stack.append(.sequence([], anchor: Self.string(event.data.sequence_start.anchor), line: line))
        default:
            stack.append(.mapping(JSONObject(), key: nil, seen: nil, anchor: Self.string(event.data.mapping_start.anchor),
                                  line: line))
        }
        return nil
    }

    /// The innermost container is complete: it becomes a value of the one around it.
    private mutating func closeContainer() {
        guard let frame = stack.popLast() else { return }
        let value: JSON, anchor: String?, line: Int
        switch frame {
        case .sequence(let items, let a, let l): (value, anchor, line) = (.array(items), a, l)
        case .mapping(let members, _, _, let a, let l): (value, anchor, line) = (.object(members), a, l)
        }
        if let anchor { anchors[anchor] = Anchored(value: value, text: nil) }
        add(value, text: nil, line: line)
    }

    /// Puts a complete value where it belongs: the document's root, the next item of a
    /// sequence, or a mapping's key (`text`, which a container does not have) or value.
    private mutating func add(_ value: JSON, text: String?, line: Int) {
        // Past an invalid key the document is only parsed, for the syntax errors that come first.
        guard invalidKey == nil else { return }
        guard var frame = stack.popLast() else {
            root = value
            return
        }
        // Taken off the stack while it changes, so its storage is not shared and grows in place.
        defer { stack.append(frame) }
        switch frame {
        case .sequence(var items, let anchor, let start):
            frame = .sequence([], anchor: nil, line: 0)
            items.append(value)
            frame = .sequence(items, anchor: anchor, line: start)
        case .mapping(var members, let key, var seen, let anchor, let start):
            frame = .mapping(JSONObject(), key: nil, seen: nil, anchor: nil, line: 0)
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
                frame = .mapping(members, key: nil, seen: seen, anchor: anchor, line: start)
            } else {
                guard let text else {
                    invalidKey = Self.error("yaml: invalid map key: \(value.serialized())")
                    return
                }
                frame = .mapping(members, key: text, seen: seen, anchor: anchor, line: start)
            }
        }
    }

    private static func string(_ pointer: UnsafeMutablePointer<yaml_char_t>?) -> String? {
        pointer.map { String(cString: $0) }
    }

    private static func error(_ message: String) -> StatusError {
        .badRequest("error converting YAML to JSON: \(message)")
    }

    /// libyaml's problem as go-yaml reports it: the line for the scanner's and parser's, the
    /// problem alone for the reader's (bytes YAML does not allow).
    private static func parserError(_ parser: yaml_parser_t) -> StatusError {
        let problem = parser.problem.map { String(cString: $0) } ?? "unknown problem parsing YAML content"
        switch parser.error {
        case YAML_SCANNER_ERROR, YAML_PARSER_ERROR:
            return error("yaml: line \(Int(parser.problem_mark.line) + 1): \(problem)")
        case YAML_MEMORY_ERROR:
            return error("yaml: out of memory")
        default:
            return error("yaml: \(problem)")
        }
    }
}
