import Yams

/// Reading manifests: one or more YAML documents (`---`), a JSON object, a JSON array, or a
/// `v1` `List`, each becoming one API object. YAML is converted to JSON the way
/// sigs.k8s.io/yaml does (YAML 1.1 scalars; mapping keys become strings).
public enum Manifests {
    public static func decode(_ text: String) -> Result<[JSON], StatusError> {
        let trimmed = text.drop { $0 == " " || $0 == "\n" || $0 == "\t" || $0 == "\r" || $0 == "\u{FEFF}" }
        var documents: [JSON] = []
        if trimmed.first == "{" || trimmed.first == "[" {
            do {
                documents = [try JSON.parse(String(trimmed))]
            } catch {
                return .failure(.badRequest("error parsing JSON: \(error.message)"))
            }
        } else {
            do {
                // Parser directly: `compose_all`'s sequence drops errors. Scalars are resolved
                // below, as go-yaml does. UTF-8 named here: Yams' default encoding reads the
                // process environment on every parse (and prints when YAMS_DEFAULT_ENCODING
                // is set), which a library inside someone else's process must not do.
                let parser = try Parser(yaml: text, resolver: .basic, encoding: .utf8)
                while let node = try parser.nextRoot() {
                    documents.append(try convert(node))
                }
            } catch let error as StatusError {
                return .failure(error)
            } catch {
                return .failure(.badRequest("error converting YAML to JSON: \(yamlMessage(error))"))
            }
        }
        var objects: [JSON] = []
        for doc in documents { flatten(doc, into: &objects) }
        return .success(objects)
    }

    /// Lists (`kind: List` or a JSON array) contribute their items; empty documents nothing.
    private static func flatten(_ doc: JSON, into out: inout [JSON]) {
        switch doc {
        case .null: return
        case .array(let items): for item in items { flatten(item, into: &out) }
        case .object:
            if doc["kind"].string?.hasSuffix("List") == true, let items = doc["items"].array {
                for item in items { flatten(item, into: &out) }
            } else {
                out.append(doc)
            }
        default:
            out.append(doc)
        }
    }

    static let maxDepth = 256

    private static func convert(_ node: Node, depth: Int = 0) throws -> JSON {
        if depth > maxDepth { throw StatusError.badRequest("error converting YAML to JSON: exceeded max depth of \(maxDepth)") }
        switch node {
        case .scalar(let scalar):
            return scalarValue(scalar)
        case .sequence(let seq):
            return .array(try seq.map { try convert($0, depth: depth + 1) })
        case .mapping(let mapping):
            var members = JSONObject(minimumCapacity: mapping.count)
            var seen: Set<String> = []
            for (k, v) in mapping {
                let key: String
                switch k {
                case .scalar(let s): key = s.string
                default:
                    throw StatusError.badRequest("error converting YAML to JSON: yaml: invalid map key: \(k)")
                }
                if !seen.insert(key).inserted {
                    let line = (k.mark?.line).map { "line \($0): " } ?? ""
                    throw StatusError.badRequest("error converting YAML to JSON: yaml: \(line)key \"\(key)\" already set in map")
                }
                let value = try convert(v, depth: depth + 1)
                members.append(key: key, value: value)  // keys are distinct; explicit nulls kept
            }
            return .object(members)
        case .alias:
            throw StatusError.badRequest("error converting YAML to JSON: yaml: unknown anchor")
        }
    }

    /// YAML 1.1 plain scalars as go-yaml v2 resolves them; quoted scalars stay strings.
    private static func scalarValue(_ scalar: Node.Scalar) -> JSON {
        let s = scalar.string
        guard scalar.style == .plain || scalar.style == .any else { return .string(s) }
        guard let first = s.utf8.first else { return .null }
        // Only these first bytes can begin a null, bool or number; other ASCII begins a string.
        switch first {
        case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "+"), UInt8(ascii: "."),
             UInt8(ascii: "~"), UInt8(ascii: "t"), UInt8(ascii: "T"), UInt8(ascii: "y"), UInt8(ascii: "Y"),
             UInt8(ascii: "o"), UInt8(ascii: "O"), UInt8(ascii: "f"), UInt8(ascii: "F"), UInt8(ascii: "n"),
             UInt8(ascii: "N"), 0x80...0xFF:
            break
        default:
            return .string(s)
        }
        switch s {
        case "", "~", "null", "Null", "NULL": return .null
        case "true", "True", "TRUE", "yes", "Yes", "YES", "on", "On", "ON", "y", "Y": return .bool(true)
        case "false", "False", "FALSE", "no", "No", "NO", "off", "Off", "OFF", "n", "N": return .bool(false)
        default: break
        }
        if let i = Int(s) { return .int(i) }
        if s.hasPrefix("0x"), let i = Int(s.dropFirst(2), radix: 16) { return .int(i) }
        if s.hasPrefix("0"), s.count > 1, s.allSatisfy({ $0 >= "0" && $0 <= "7" }), let i = Int(s.dropFirst(), radix: 8) {
            return .int(i)
        }
        let numeric = s.first.map { $0.isNumber || $0 == "-" || $0 == "+" || $0 == "." } ?? false
        if numeric, s.contains(where: { $0.isNumber }), let d = Double(s), d.isFinite {
            return .double(d)
        }
        // Infinities and NaN (`.inf`, `.nan`) stay strings, as JSON has no such numbers.
        return .string(s)
    }

    private static func yamlMessage(_ error: Error) -> String {
        if let y = error as? YamlError {
            switch y {
            // go-yaml prints only the problem, not libyaml's "while parsing …" context.
            case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _),
                .composer(_, let problem, let mark, _):
                return "yaml: line \(mark.line): \(problem)"
            default:
                return "yaml: \(y)"
            }
        }
        return "yaml: \(error)"
    }
}
