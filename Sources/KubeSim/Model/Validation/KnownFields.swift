/// The JSON members each Go struct of a served kind decodes, complete (`KnownFields+Tables`,
/// generated from upstream's OpenAPI document through the official Python client). A member
/// not listed is one the API server's decoder does not know:
///
/// - decoding into the Go struct drops it (`fieldValidation=Ignore`, and every request in
///   1.18, whose server had no field validation);
/// - `fieldValidation=Warn`, the default for a request that names none since 1.27, drops it
///   too and answers with a warning per field;
/// - `fieldValidation=Strict`, which kubectl sends by default (`--validate=strict`), refuses
///   the request: `strict decoding error: unknown field "spec.replicass"`.
///
/// kubectl 1.18 checked the same thing on the client, against the server's OpenAPI document,
/// before sending anything (`ValidationError(Deployment.spec): unknown field "replicass" in
/// io.k8s.api.apps.v1.DeploymentSpec`).
///
/// Maps and lists of scalars, and values of no fixed shape (IntOrString, Quantity,
/// RawExtension), are not looked into. The tables are parsed once, at first use.
struct KnownFields: Sendable {
    /// What a member holds, as far as the walk cares.
    enum Member: Sendable {
        /// Nothing looked into.
        case value
        case object(Int)
        case list(Int)
        case map(Int)
    }

    struct Struct: Sendable {
        /// `io.k8s.api.apps.v1.DeploymentSpec`.
        let openAPIName: String
        let members: [String: Member]
    }

    /// One member the decoder would not know.
    struct Unknown: Equatable, Sendable {
        /// Where, as the strict decoder writes it: `spec.template.spec.containers[0].imagee`.
        let path: String
        /// The member's name.
        let name: String
        /// Its parent's path as kubectl 1.18's validation writes it: `Deployment.spec.template`
        /// (list elements indexed, the kind first).
        let parent: String
        /// The parent struct's OpenAPI name.
        let parentType: String
    }

    private let rootIndex: [String: Int]
    private let structs: [Struct]

    /// `roots`: kind → client class of its root struct; `structs`: the generated lines.
    init(roots: [String: String], structs text: String) {
        var index: [String: Int] = [:]
        var lines: [[Substring]] = []
        for line in text.split(separator: "\n") {
            let words = line.split(separator: " ")
            guard words.count >= 2 else { continue }
            index[String(words[0])] = lines.count
            lines.append(words)
        }
        var parsed: [Struct] = []
        parsed.reserveCapacity(lines.count)
        for words in lines {
            var members: [String: Member] = [:]
            for word in words.dropFirst(2) {
                guard let mark = word.firstIndex(where: { $0 == ":" || $0 == "[" || $0 == "{" }) else {
                    members[String(word)] = .value
                    continue
                }
                let name = String(word[..<mark])
                // A struct the tables do not hold is not looked into.
                guard let target = index[String(word[word.index(after: mark)...])] else {
                    members[name] = .value
                    continue
                }
                switch word[mark] {
                case ":": members[name] = .object(target)
                case "[": members[name] = .list(target)
                default: members[name] = .map(target)
                }
            }
            parsed.append(Struct(openAPIName: String(words[1]), members: members))
        }
        var rootIndex: [String: Int] = [:]
        for (kind, cls) in roots { if let i = index[cls] { rootIndex[kind] = i } }
        self.rootIndex = rootIndex
        structs = parsed
    }

    static func of(_ version: KubernetesVersion) -> KnownFields {
        switch version {
        case .v1_18: return v1_18
        case .v1_36: return v1_36
        }
    }

    /// The members of `object` (a `kind`) its struct does not have, in document order.
    /// `sortedKeys` visits each object's members in key order, as kubectl 1.18's validator
    /// does; otherwise they come in document order, as the strict decoder reports them.
    func unknown(in object: JSON, kind: String, sortedKeys: Bool = false) -> [Unknown] {
        guard let root = rootIndex[kind] else { return [] }
        var found: [Unknown] = []
        collect(object, root, path: "", parent: kind, sortedKeys: sortedKeys, &found, depth: 0)
        return found
    }

    /// `object` without the members its struct does not have; false (and `object` untouched)
    /// when it has none.
    @discardableResult
    func prune(_ object: inout JSON, kind: String) -> Bool {
        guard let root = rootIndex[kind], !unknown(in: object, kind: kind).isEmpty else { return false }
        object = pruned(object, root, depth: 0)
        return true
    }

    /// Deeper than any served object goes; a document past it is not looked into further.
    private static let maxDepth = 64

    private func collect(_ value: JSON, _ s: Int, path: String, parent: String, sortedKeys: Bool,
                         _ found: inout [Unknown], depth: Int)
    {
        guard depth < Self.maxDepth, case .object(let object) = value, structs.indices.contains(s) else { return }
        let known = structs[s]
        let members = sortedKeys ? object.sorted { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) } : Array(object)
        for (key, member) in members {
            let childPath = path.isEmpty ? key : path + "." + key
            guard let kind = known.members[key] else {
                found.append(Unknown(path: childPath, name: key, parent: parent, parentType: known.openAPIName))
                continue
            }
            switch kind {
            case .value:
                break
            case .object(let t):
                collect(member, t, path: childPath, parent: parent + "." + key, sortedKeys: sortedKeys, &found,
                        depth: depth + 1)
            case .list(let t):
                guard case .array(let elements) = member else { break }
                for (i, element) in elements.enumerated() {
                    collect(element, t, path: childPath + "[\(i)]", parent: parent + ".\(key)[\(i)]",
                            sortedKeys: sortedKeys, &found, depth: depth + 1)
                }
            case .map(let t):
                guard case .object(let entries) = member else { break }
                for (name, element) in entries {
                    collect(element, t, path: childPath + "[\(name)]", parent: parent + ".\(key)[\(name)]",
                            sortedKeys: sortedKeys, &found, depth: depth + 1)
                }
            }
        }
    }

    private func pruned(_ value: JSON, _ s: Int, depth: Int) -> JSON {
        guard depth < Self.maxDepth, case .object(let members) = value, structs.indices.contains(s) else { return value }
        let known = structs[s]
        var kept = JSONObject(minimumCapacity: members.count)
        for (key, member) in members {
            guard let kind = known.members[key] else { continue }
            switch kind {
            case .value:
                kept.append(key: key, value: member)
            case .object(let t):
                kept.append(key: key, value: pruned(member, t, depth: depth + 1))
            case .list(let t):
                if case .array(let elements) = member {
                    kept.append(key: key, value: .array(elements.map { pruned($0, t, depth: depth + 1) }))
                } else {
                    kept.append(key: key, value: member)
                }
            case .map(let t):
                if case .object(let entries) = member {
                    var map = JSONObject(minimumCapacity: entries.count)
                    for (name, element) in entries { map.append(key: name, value: pruned(element, t, depth: depth + 1)) }
                    kept.append(key: key, value: .object(map))
                } else {
                    kept.append(key: key, value: member)
                }
            }
        }
        return .object(kept)
    }
}

extension KnownFields {
    /// The strict decoder's message for `unknown` (`unknown field "a", unknown field "b"`).
    static func strictDecodingError(_ unknown: [Unknown]) -> String {
        "strict decoding error: " + unknown.map { "unknown field \"\($0.path)\"" }.joined(separator: ", ")
    }

    /// kubectl 1.18's client-side validation of `unknown` (found with `sortedKeys`, the
    /// order its validator visits them), as `error validating data: …` words it; several in
    /// brackets.
    static func kubectlValidationError(_ unknown: [Unknown]) -> String {
        let parts = unknown.map { "ValidationError(\($0.parent)): unknown field \"\($0.name)\" in \($0.parentType)" }
        return parts.count == 1 ? parts[0] : "[" + parts.joined(separator: ", ") + "]"
    }
}
