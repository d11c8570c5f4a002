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
            switch YAMLReader.documents(text) {
            case .success(let docs): documents = docs
            case .failure(let error): return .failure(error)
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

    /// The same limit as JSON input's.
    static let maxDepth = JSON.maxNestingDepth
}
