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
/// RawExtension), are not looked into (the served kinds have no map of structs). The tables
/// are parsed once, at first use.
struct KnownFields: Sendable {
    /// What a member holds, as far as the walk cares.
    enum Member: Sendable {
        /// Nothing looked into.
        case value
        /// A struct (its index in the tables).
        case object(Int)
        /// A list of structs.
        case list(Int)
    }

    struct Struct: Sendable {
        /// `io.k8s.api.apps.v1.DeploymentSpec`.
        let openAPIName: String
        /// Looked up by their bytes, as Go compares member names.
        let members: StringTable<Member>
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

    /// `roots`: kind → client class of its root struct; `structs`: the generated lines. Read
    /// as bytes, once a process: words are ASCII.
    init(roots: [String: String], structs text: String) {
        var lines: [[String]] = []
        var text = text
        text.withUTF8 { bytes in
            var line: [String] = []
            var start = 0
            for i in 0...bytes.count {
                let end = i == bytes.count || bytes[i] == UInt8(ascii: " ") || bytes[i] == UInt8(ascii: "\n")
                guard end else { continue }
                if i > start { line.append(String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<i]), as: UTF8.self)) }
                start = i + 1
                if i == bytes.count || bytes[i] == UInt8(ascii: "\n") {
                    if line.count >= 2 { lines.append(line) }
                    line = []
                }
            }
        }
        var index = StringTable<Int>()
        for (i, words) in lines.enumerated() { index[words[0]] = i }
        var parsed: [Struct] = []
        parsed.reserveCapacity(lines.count)
        for words in lines {
            var members = StringTable<Member>()
            for word in words.dropFirst(2) {
                let utf8 = word.utf8
                guard let mark = utf8.firstIndex(where: { $0 == UInt8(ascii: ":") || $0 == UInt8(ascii: "[") }) else {
                    members[word] = .value
                    continue
                }
                let name = String(word[..<mark])
                // A struct the tables do not hold is not looked into.
                guard let target = index[String(word[word.index(after: mark)...])] else {
                    members[name] = .value
                    continue
                }
                members[name] = utf8[mark] == UInt8(ascii: ":") ? .object(target) : .list(target)
            }
            parsed.append(Struct(openAPIName: words[1], members: members))
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

    /// The members of `object` (a `kind`) its struct does not have: in document order, as the
    /// API server's strict decoder meets them; or (`sortedKeys`) in key order at every level,
    /// the decoder's order for a body a client wrote with sorted keys (kubectl marshals an
    /// unstructured object) and kubectl 1.18's validator's, which also passes over null
    /// members (`skippingNulls`, `mapItem.VisitKind`).
    func unknown(in object: JSON, kind: String, sortedKeys: Bool = false, skippingNulls: Bool = false) -> [Unknown] {
        guard let root = rootIndex[kind] else { return [] }
        var walk = Walk(kind: kind, sortedKeys: sortedKeys, skippingNulls: skippingNulls, firstOnly: false)
        walk.visit(object, root, in: self, depth: 0)
        return walk.found
    }

    /// Whether `object` (a `kind`) has a member its struct does not have (`skippingNulls`: a
    /// null one aside, as kubectl 1.18's validator passes them over).
    func hasUnknown(in object: JSON, kind: String, skippingNulls: Bool = false) -> Bool {
        guard let root = rootIndex[kind] else { return false }
        var walk = Walk(kind: kind, sortedKeys: false, skippingNulls: skippingNulls, firstOnly: true)
        walk.visit(object, root, in: self, depth: 0)
        return !walk.found.isEmpty
    }

    /// `object` without the members its struct does not have (rebuilt: call it on one that
    /// has some).
    func prune(_ object: inout JSON, kind: String) {
        guard let root = rootIndex[kind] else { return }
        object = pruned(object, root, depth: 0)
    }

    /// Deeper than any served object goes; a document past it is not looked into further.
    private static let maxDepth = 64

    /// One walk over a document. The way down is kept as steps, written out as paths only
    /// for a member that is reported: most documents have none.
    private struct Walk {
        enum Step {
            case member(String)
            case index(Int)
        }

        let kind: String
        let sortedKeys: Bool
        let skippingNulls: Bool
        let firstOnly: Bool
        var steps: [Step] = []
        var found: [Unknown] = []

        init(kind: String, sortedKeys: Bool, skippingNulls: Bool, firstOnly: Bool) {
            self.kind = kind
            self.sortedKeys = sortedKeys
            self.skippingNulls = skippingNulls
            self.firstOnly = firstOnly
        }

        mutating func visit(_ value: JSON, _ s: Int, in tables: KnownFields, depth: Int) {
            guard depth < KnownFields.maxDepth, case .object(let object) = value,
                  tables.structs.indices.contains(s) else { return }
            let known = tables.structs[s]
            if sortedKeys {
                // Sorted only to report: checks (`hasUnknown`) take the document order, so a
                // document without unknown members is never sorted.
                for (key, member) in object.sorted(by: { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }) {
                    if skippingNulls, member.isNull { continue }
                    visit(key, member, known, in: tables, depth: depth)
                }
                return
            }
            // Members read where they lie (iterating the object copies each key and value).
            object.members.withUnsafeBufferPointer { members in
                for i in members.indices {
                    if firstOnly, !found.isEmpty { return }
                    if skippingNulls, members[i].value.isNull { continue }
                    visit(members[i].key, members[i].value, known, in: tables, depth: depth)
                }
            }
        }

        private mutating func visit(_ key: String, _ member: JSON, _ known: Struct, in tables: KnownFields, depth: Int) {
            guard let kind = known.members[key] else {
                report(key, in: known)
                return
            }
            switch kind {
            case .value:
                break
            case .object(let t):
                enter(.member(key))
                visit(member, t, in: tables, depth: depth + 1)
                leave()
            case .list(let t):
                guard case .array(let elements) = member else { break }
                enter(.member(key))
                for (i, element) in elements.enumerated() {
                    enter(.index(i))
                    visit(element, t, in: tables, depth: depth + 1)
                    leave()
                }
                leave()
            }
        }

        /// The way down, kept only by a walk that reports paths (a check stops at the first).
        private mutating func enter(_ step: Step) { if !firstOnly { steps.append(step) } }
        private mutating func leave() { if !firstOnly, !steps.isEmpty { steps.removeLast() } }

        private mutating func report(_ key: String, in known: Struct) {
            guard !firstOnly else {
                found.append(Unknown(path: key, name: key, parent: kind, parentType: known.openAPIName))
                return
            }
            var path = "", parent = kind
            for step in steps {
                switch step {
                case .member(let name):
                    path += path.isEmpty ? name : "." + name
                    parent += "." + name
                case .index(let i):
                    path += "[\(i)]"
                    parent += "[\(i)]"
                }
            }
            path += path.isEmpty ? key : "." + key
            found.append(Unknown(path: path, name: key, parent: parent, parentType: known.openAPIName))
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

    /// kubectl 1.18's client-side validation of `unknown` (found in its validator's order:
    /// sorted keys, skipping nulls), as `error validating data: …` words it; several in
    /// brackets.
    static func kubectlValidationError(_ unknown: [Unknown]) -> String {
        let parts = unknown.map { "ValidationError(\($0.parent)): unknown field \"\($0.name)\" in \($0.parentType)" }
        return parts.count == 1 ? parts[0] : "[" + parts.joined(separator: ", ") + "]"
    }
}
