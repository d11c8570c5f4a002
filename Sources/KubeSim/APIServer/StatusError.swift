/// A failed API call, as the Kubernetes API server reports it: a `v1` `Status` with a
/// machine-readable `reason`, an HTTP `code` and a message worded like upstream's
/// (`k8s.io/apimachinery/pkg/api/errors`).
public struct StatusError: Error, Equatable, Sendable, CustomStringConvertible {
    public var code: Int
    public var reason: String
    public var message: String
    public var details: JSON

    public init(code: Int, reason: String, message: String, details: JSON = .emptyObject) {
        self.code = code
        self.reason = reason
        self.message = message
        self.details = details
    }

    public var description: String { message }

    /// The `Status` object returned to clients.
    public var status: JSON {
        var s: JSON = [
            "kind": "Status",
            "apiVersion": "v1",
            "metadata": .emptyObject,
            "status": "Failure",
            "message": .string(message),
        ]
        if !reason.isEmpty { s["reason"] = .string(reason) }
        s["details"] = details
        s["code"] = .int(code)
        return s
    }

    /// kubectl's rendering (`Error from server (NotFound): …`, or the Invalid layout).
    public var kubectlMessage: String {
        if reason == "Invalid", let kind = details["kind"].string, let causes = details["causes"].array {
            let name = details["name"].string ?? ""
            let subject = kind.isEmpty && name.isEmpty ? "The request is invalid" : "The \(kind) \"\(name)\" is invalid"
            var lines: [String] = []
            for cause in causes {
                let line = [cause["field"].string, cause["message"].string].compactMap { $0 }
                    .filter { !$0.isEmpty }.joined(separator: ": ")
                if !lines.contains(line) { lines.append(line) }
            }
            if lines.count == 1 { return "\(subject): \(lines[0])" }
            if !lines.isEmpty {
                return "\(subject): \n" + lines.map { "* " + $0 }.joined(separator: "\n")
            }
        }
        if reason.isEmpty { return "Error from server: \(message)" }
        return "Error from server (\(reason)): \(message)"
    }

    private static func details(name: String?, resource: GroupResource?, kind: String? = nil) -> JSON {
        var d = JSON.emptyObject
        if let name { d["name"] = .string(name) }
        if let resource {
            if !resource.group.isEmpty { d["group"] = .string(resource.group) }
            d["kind"] = .string(kind ?? resource.resource)
        }
        return d
    }

    public static func notFound(_ resource: GroupResource, _ name: String) -> StatusError {
        StatusError(code: 404, reason: "NotFound", message: "\(resource) \"\(name)\" not found",
                    details: details(name: name, resource: resource))
    }

    public static func alreadyExists(_ resource: GroupResource, _ name: String) -> StatusError {
        StatusError(code: 409, reason: "AlreadyExists", message: "\(resource) \"\(name)\" already exists",
                    details: details(name: name, resource: resource))
    }

    public static func conflict(_ resource: GroupResource, _ name: String) -> StatusError {
        StatusError(
            code: 409, reason: "Conflict",
            message: "Operation cannot be fulfilled on \(resource) \"\(name)\": the object has been modified; "
                + "please apply your changes to the latest version and try again",
            details: details(name: name, resource: resource))
    }

    public static func conflict(_ resource: GroupResource, _ name: String, _ why: String) -> StatusError {
        StatusError(code: 409, reason: "Conflict",
                    message: "Operation cannot be fulfilled on \(resource) \"\(name)\": \(why)",
                    details: details(name: name, resource: resource))
    }

    /// 422 with field errors: `Deployment.apps "d" is invalid: spec.replicas: Invalid value: -1: …`.
    public static func invalid(kind: String, group: String, name: String, _ errors: [FieldError]) -> StatusError {
        var unique: [String] = []
        for e in errors where !unique.contains(e.description) { unique.append(e.description) }
        let joined = unique.count == 1 ? unique[0] : "[" + unique.joined(separator: ", ") + "]"
        let qualified = group.isEmpty ? kind : "\(kind).\(group)"
        var d: JSON = ["name": .string(name)]
        if !group.isEmpty { d["group"] = .string(group) }
        d["kind"] = .string(kind)
        d["causes"] = .array(errors.map { $0.cause })
        return StatusError(code: 422, reason: "Invalid", message: "\(qualified) \"\(name)\" is invalid: \(joined)",
                           details: d)
    }

    public static func badRequest(_ message: String) -> StatusError {
        StatusError(code: 400, reason: "BadRequest", message: message)
    }

    public static func methodNotSupported(_ resource: GroupResource, _ verb: String) -> StatusError {
        StatusError(code: 405, reason: "MethodNotAllowed",
                    message: "\(verb) is not supported on resources of kind \"\(resource)\"",
                    details: ["group": .string(resource.group), "kind": .string(resource.resource)])
    }

    public static func gone(_ message: String) -> StatusError {
        StatusError(code: 410, reason: "Expired", message: message)
    }

    public static func requestEntityTooLarge(limit: Int) -> StatusError {
        StatusError(code: 413, reason: "RequestEntityTooLarge",
                    message: "Request entity too large: limit is \(limit)")
    }

    public static func forbidden(_ resource: GroupResource, _ name: String, _ why: String) -> StatusError {
        StatusError(code: 403, reason: "Forbidden", message: "\(resource) \"\(name)\" is forbidden: \(why)",
                    details: details(name: name, resource: resource))
    }

    public static func tooManyRequests(_ message: String) -> StatusError {
        StatusError(code: 429, reason: "TooManyRequests", message: message)
    }

    public static func timeout(_ message: String) -> StatusError {
        StatusError(code: 504, reason: "Timeout", message: "Timeout: \(message)")
    }

    public static func internalError(_ message: String) -> StatusError {
        StatusError(code: 500, reason: "InternalError", message: "Internal error occurred: \(message)")
    }

    /// The type not known to the server: what `kubectl apply` reports for an unknown kind.
    public static func noKind(kind: String, apiVersion: String) -> StatusError {
        let gv = apiVersion.isEmpty ? "" : " in version \"\(apiVersion)\""
        return StatusError(code: 404, reason: "NotFound",
                           message: "no matches for kind \"\(kind)\"\(gv)")
    }
}

/// A resource qualified by its API group, printed `pods` or `deployments.apps` as in upstream
/// error messages.
public struct GroupResource: Hashable, Sendable, CustomStringConvertible {
    public var group: String
    public var resource: String
    public init(group: String, resource: String) {
        self.group = group
        self.resource = resource
    }
    public var description: String { group.isEmpty ? resource : "\(resource).\(group)" }
}

extension Array where Element == FieldError {
    /// Appends `more` only if there are any: validation appends what each check found, nearly
    /// always nothing, and the generic append costs a hundred-odd instructions even then.
    static func += (errors: inout [FieldError], more: [FieldError]) {
        if !more.isEmpty { errors.append(contentsOf: more) }
    }
}

/// One validation failure (`k8s.io/apimachinery/pkg/util/validation/field`).
public struct FieldError: Equatable, Sendable, CustomStringConvertible {
    public enum Kind: String, Sendable {
        case required = "Required value"
        case invalid = "Invalid value"
        case unsupported = "Unsupported value"
        case duplicate = "Duplicate value"
        case notFound = "Not found"
        case forbidden = "Forbidden"
        case tooLong = "Too long"
        case tooMany = "Too many"

        var causeReason: String {
            switch self {
            case .required: return "FieldValueRequired"
            case .invalid: return "FieldValueInvalid"
            case .unsupported: return "FieldValueNotSupported"
            case .duplicate: return "FieldValueDuplicate"
            case .notFound: return "FieldValueNotFound"
            case .forbidden: return "FieldValueForbidden"
            case .tooLong: return "FieldValueTooLong"
            case .tooMany: return "FieldValueTooMany"
            }
        }
    }

    public var kind: Kind
    public var field: String
    public var value: JSON?
    public var detail: String

    public static func required(_ field: String, _ detail: String = "") -> FieldError {
        FieldError(kind: .required, field: field, value: nil, detail: detail)
    }
    public static func invalid(_ field: String, _ value: JSON, _ detail: String) -> FieldError {
        FieldError(kind: .invalid, field: field, value: value, detail: detail)
    }
    public static func unsupported(_ field: String, _ value: JSON, _ supported: [String]) -> FieldError {
        let list = supported.map { "\"\($0)\"" }.joined(separator: ", ")
        return FieldError(kind: .unsupported, field: field, value: value,
                          detail: supported.isEmpty ? "" : "supported values: \(list)")
    }
    public static func duplicate(_ field: String, _ value: JSON) -> FieldError {
        FieldError(kind: .duplicate, field: field, value: value, detail: "")
    }
    public static func forbidden(_ field: String, _ detail: String) -> FieldError {
        FieldError(kind: .forbidden, field: field, value: nil, detail: detail)
    }
    public static func notFound(_ field: String, _ value: JSON) -> FieldError {
        FieldError(kind: .notFound, field: field, value: value, detail: "")
    }
    public static func tooLong(_ field: String, _ max: Int) -> FieldError {
        FieldError(kind: .tooLong, field: field, value: nil, detail: "may not be more than \(max) bytes")
    }

    /// `<Type>[: <value>][: <detail>]` — the text after `field: `.
    public var body: String {
        var s = kind.rawValue
        if let value, kind != .required, kind != .forbidden {
            s += ": " + FieldError.render(value)
        }
        if !detail.isEmpty { s += ": " + detail }
        return s
    }

    public var description: String { "\(field): \(body)" }

    var cause: JSON {
        ["reason": .string(kind.causeReason), "message": .string(body), "field": .string(field)]
    }

    /// Go's rendering of a value in a field error: strings quoted, numbers and booleans bare,
    /// anything else as JSON.
    static func render(_ value: JSON) -> String {
        switch value {
        case .string:
            return value.serialized()
        case .int(let i): return String(i)
        case .double(let d): return JSON.formatDouble(d)
        case .bool(let b): return b ? "true" : "false"
        case .null: return "null"
        default: return value.serialized()
        }
    }
}
