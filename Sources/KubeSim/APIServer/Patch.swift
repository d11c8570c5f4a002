/// Patch documents the API server applies: RFC 7386 JSON merge patch and RFC 6902 JSON patch.
enum Patch {
    /// RFC 7386: objects merge recursively, `null` removes a member, anything else replaces.
    static func merge(_ target: JSON, _ patch: JSON) -> JSON {
        guard case .object(let p) = patch else { return patch }
        var result: JSON = target.object == nil ? .emptyObject : target
        for (key, value) in p {
            if value.isNull {
                result[key] = .null
            } else {
                result[key] = merge(result[key], value)
            }
        }
        return result
    }

    /// RFC 6902 operations: add, remove, replace, move, copy, test. Errors are worded as the
    /// API server's (evanphx/json-patch) and become 422/400 upstream; here they are returned.
    static func json(_ target: JSON, _ patch: JSON) -> Result<JSON, StatusError> {
        guard let ops = patch.array else {
            return .failure(.badRequest("json: cannot unmarshal object into Go value of type jsonpatch.Patch"))
        }
        var doc = target
        for op in ops {
            guard let kind = op["op"].string else { return .failure(.badRequest("Unexpected kind: unknown")) }
            guard let path = op["path"].string, let target = Patch.pointer(path) else {
                return .failure(.badRequest("doc is missing path: \"\(op["path"].string ?? "")\""))
            }
            switch kind {
            case "add":
                guard let r = set(&doc, target, op["value"], insert: true) else {
                    return .failure(.badRequest("add operation does not apply: doc is missing path: \"\(path)\""))
                }
                doc = r
            case "remove":
                guard get(doc, target) != nil, let r = remove(doc, target) else {
                    return .failure(.badRequest("remove operation does not apply: doc is missing path: \"\(path)\""))
                }
                doc = r
            case "replace":
                guard get(doc, target) != nil, let r = set(&doc, target, op["value"], insert: false) else {
                    return .failure(.badRequest("replace operation does not apply: doc is missing key: \(path)"))
                }
                doc = r
            case "move", "copy":
                guard let from = op["from"].string.flatMap({ Patch.pointer($0) }), let value = get(doc, from) else {
                    return .failure(.badRequest("\(kind) operation does not apply: doc is missing from path"))
                }
                if kind == "move" {
                    guard let r = remove(doc, from) else { return .failure(.badRequest("move operation failed")) }
                    doc = r
                }
                guard let r = set(&doc, target, value, insert: true) else {
                    return .failure(.badRequest("\(kind) operation does not apply: doc is missing path: \"\(path)\""))
                }
                doc = r
            case "test":
                guard let value = get(doc, target), value == op["value"] else {
                    return .failure(.badRequest("testing value \(path) failed: test failed"))
                }
            default:
                return .failure(.badRequest("Unexpected kind: \(kind)"))
            }
        }
        return .success(doc)
    }

    /// Splits a JSON pointer (`/a/b~1c`) into unescaped tokens.
    static func pointer(_ text: String) -> [String]? {
        if text.isEmpty { return [] }
        guard text.hasPrefix("/") else { return nil }
        return text.dropFirst().split(separator: "/", omittingEmptySubsequences: false).map { token in
            var out = ""
            var tilde = false
            for c in token {
                if tilde {
                    out.append(c == "1" ? "/" : c == "0" ? "~" : c)
                    tilde = false
                } else if c == "~" {
                    tilde = true
                } else {
                    out.append(c)
                }
            }
            return out
        }
    }

    static func get(_ doc: JSON, _ path: [String]) -> JSON? {
        var node = doc
        for token in path {
            switch node {
            case .object(let o):
                guard let next = o[token] else { return nil }
                node = next
            case .array(let a):
                guard let i = Int(token), a.indices.contains(i) else { return nil }
                node = a[i]
            default: return nil
            }
        }
        return node
    }

    private static func set(_ doc: inout JSON, _ path: [String], _ value: JSON, insert: Bool) -> JSON? {
        guard let head = path.first else { return value }
        let rest = Array(path.dropFirst())
        switch doc {
        case .object(var o):
            if rest.isEmpty {
                o[head] = value
            } else {
                guard var child = o[head], let r = set(&child, rest, value, insert: insert) else { return nil }
                o[head] = r
            }
            return .object(o)
        case .array(var a):
            if rest.isEmpty {
                if head == "-", insert { a.append(value); return .array(a) }
                guard let i = Int(head) else { return nil }
                if insert {
                    guard i >= 0, i <= a.count else { return nil }
                    a.insert(value, at: i)
                } else {
                    guard a.indices.contains(i) else { return nil }
                    a[i] = value
                }
                return .array(a)
            }
            guard let i = Int(head), a.indices.contains(i) else { return nil }
            var child = a[i]
            guard let r = set(&child, rest, value, insert: insert) else { return nil }
            a[i] = r
            return .array(a)
        default:
            return nil
        }
    }

    private static func remove(_ doc: JSON, _ path: [String]) -> JSON? {
        guard let head = path.first else { return nil }
        let rest = Array(path.dropFirst())
        switch doc {
        case .object(var o):
            if rest.isEmpty {
                guard o.removeValue(forKey: head) != nil else { return nil }
            } else {
                guard let child = o[head], let r = remove(child, rest) else { return nil }
                o[head] = r
            }
            return .object(o)
        case .array(var a):
            guard let i = Int(head), a.indices.contains(i) else { return nil }
            if rest.isEmpty {
                a.remove(at: i)
            } else {
                guard let r = remove(a[i], rest) else { return nil }
                a[i] = r
            }
            return .array(a)
        default:
            return nil
        }
    }
}
