/// The calls of the C interface, in Swift: each takes the request text the C caller passed
/// and answers with JSON, or a Status. The C layer only converts strings and codes.
public enum Call: String, Sendable {
    case apply, get, list, create, update, patch, delete, watch, run, events, node, kubectl, state, etcd, report, scheduler
}

extension Cluster {
    /// Creates a cluster from `ks_cluster_new`'s config text (nil or empty: defaults).
    public static func create(configText: String?) -> Result<Cluster, StatusError> {
        let json: JSON
        switch parseRequest(configText) {
        case .success(let j): json = j
        case .failure(let e): return .failure(e)
        }
        switch ClusterConfig.parse(json) {
        case .success(let config): return .success(Cluster(config: config))
        case .failure(let e): return .failure(e)
        }
    }

    /// Parses a request argument: nil or blank means `{}`; otherwise a JSON object.
    static func parseRequest(_ text: String?) -> Result<JSON, StatusError> {
        guard let text, text.contains(where: { !$0.isWhitespace }) else { return .success(.emptyObject) }
        do {
            let json = try JSON.parse(text)
            guard json.object != nil else {
                return .failure(.badRequest("the request must be a JSON object, not \(json.typeName)"))
            }
            return .success(json)
        } catch {
            return .failure(.badRequest("the request is not valid JSON: \(error.message)"))
        }
    }

    /// Runs one call. `text` is the manifests for `.apply`, the request JSON otherwise.
    public func call(_ call: Call, _ text: String?) -> Result<JSON, StatusError> {
        if call == .apply {
            guard let text else { return .failure(.badRequest("manifests must not be NULL")) }
            switch apply(manifests: text) {
            case .failure(let e): return .failure(e)
            case .success(let results):
                let body: JSON = ["kind": "ApplyResult", "items": .array(results.map(\.json))]
                if let first = results.first(where: { $0.error != nil })?.error {
                    // Still report every item: the caller gets the list with the first error's code.
                    return .failure(StatusError(code: first.code, reason: first.reason, message: first.message,
                                                details: ["applyResult": body]))
                }
                return .success(body)
            }
        }
        let request: JSON
        switch Self.parseRequest(text) {
        case .success(let r): request = r
        case .failure(let e): return .failure(e)
        }
        switch call {
        case .apply: return .failure(.internalError("unreachable"))
        case .get, .list, .create, .update, .patch, .delete, .watch:
            return rest(call, request)
        case .run: return runCall(request)
        case .events:
            let since: Int64
            switch request["since"] {
            case .null: since = 0
            case .string(let s):
                guard let v = Int64(s), v >= 0 else { return .failure(.badRequest("since must be a cursor from ks_events")) }
                since = v
            case .int(let v) where v >= 0: since = Int64(v)
            default: return .failure(.badRequest("since must be a cursor from ks_events"))
            }
            let (items, cursor) = events(since: since, namespace: request["namespace"].string)
            return .success(["kind": "EventList", "items": .array(items), "cursor": .string(String(cursor))])
        case .node:
            guard let name = request["name"].string, !name.isEmpty else {
                return .failure(.badRequest("node request needs \"name\""))
            }
            let action = request["action"].string ?? ""
            if Fault.Action(rawValue: action) != nil { return faultCall(request) }
            if action == "drain" { return drainCall(name, request) }
            guard action == "cordon" || action == "uncordon" else {
                return .failure(.badRequest("unknown node action \"\(action)\": supported actions are \"cordon\", \"uncordon\", \"drain\", \"fail\", \"partition\", \"restore\""))
            }
            let before = apiServer.store.get("/registry/nodes/\(name)")?.value["spec", "unschedulable"].bool ?? false
            switch setUnschedulable(name, action == "cordon") {
            case .failure(let e): return .failure(e)
            case .success(let line):
                return .success(["output": .string(line), "changed": .bool(before != (action == "cordon"))])
            }
        case .kubectl:
            var args: [String]
            if let list = request["args"].array {
                args = []
                for a in list {
                    guard let s = a.string else { return .failure(.badRequest("args must be strings")) }
                    args.append(s)
                }
            } else if let command = request["command"].string {
                switch ShellWords.split(command) {
                case .success(let words): args = words
                case .failure(let e): return .failure(e)
                }
            } else {
                return .failure(.badRequest("kubectl request needs \"args\" or \"command\""))
            }
            if args.first == "kubectl" { args.removeFirst() }
            return .success(kubectl(args, stdin: request["stdin"].string).json)
        case .state:
            return .success(state())
        case .etcd:
            return etcdCall(request)
        case .report:
            if let field = request.object?.keys.first {
                return .failure(.badRequest("unknown report request field \"\(field)\": the request takes no fields"))
            }
            return .success(disruption.report(now: now))
        case .scheduler:
            return schedulerCall(request)
        }
    }

    /// `{"action": "drain", "name", ...options}` (see kubesim.h): kubectl drain's output. An
    /// unknown node is a NotFound Status, as for cordon; a drain that fails is still answered,
    /// with kubectl's error text and exit code 1.
    private func drainCall(_ name: String, _ request: JSON) -> Result<JSON, StatusError> {
        var options = DrainOptions()
        for (key, value) in request.object ?? [:] {
            switch key {
            case "action", "name": continue
            case "ignoreDaemonSets", "force", "deleteEmptyDirData", "disableEviction":
                guard let b = value.bool else { return .failure(.badRequest("\(key) must be true or false")) }
                switch key {
                case "ignoreDaemonSets": options.ignoreDaemonSets = b
                case "force": options.force = b
                case "deleteEmptyDirData": options.deleteEmptyDirData = b
                default: options.disableEviction = b
                }
            case "gracePeriodSeconds":
                guard let g = value.int, g >= -1, g <= 86_400 * 366 else {
                    return .failure(.badRequest("gracePeriodSeconds must be an integer of at least -1"))
                }
                options.gracePeriodSeconds = g
            case "timeoutSeconds":
                let seconds: Double
                switch value {
                case .int(let i): seconds = Double(i)
                case .double(let d): seconds = d
                default: return .failure(.badRequest("timeoutSeconds must be a number of seconds"))
                }
                guard seconds.isFinite, seconds >= 0, seconds <= 366 * 86_400 else {
                    return .failure(.badRequest("timeoutSeconds must be between 0 and 366 days"))
                }
                options.timeout = Duration(nanos: Int64(seconds * 1e9))
            case "podSelector":
                guard let s = value.string else { return .failure(.badRequest("podSelector must be a label selector string")) }
                options.podSelector = s
            default:
                return .failure(.badRequest("unknown drain option \"\(key)\""))
            }
        }
        if apiServer.store.get("/registry/nodes/\(name)") == nil {
            return .failure(.notFound(GroupResource(group: "", resource: "nodes"), name))
        }
        return .success(drain(name, options).json)
    }

    private func runCall(_ request: JSON) -> Result<JSON, StatusError> {
        var duration: Duration
        let rangeError = StatusError.badRequest("duration must be between 0 and 366 days")
        if let s = request["seconds"].int {
            guard s >= 0, s <= 366 * 86_400 else { return .failure(rangeError) }
            duration = .seconds(Int64(s))
        } else if case .double(let d) = request["seconds"] {
            guard d.isFinite, d >= 0, d <= 366 * 86_400 else { return .failure(rangeError) }
            duration = Duration(nanos: Int64(d * 1e9))
        } else if let text = request["duration"].string {
            switch Duration.parse(go: text) {
            case .success(let d): duration = d
            case .failure(let e): return .failure(.badRequest(e.message))
            }
        } else {
            return .failure(.badRequest("run request needs \"seconds\" or \"duration\""))
        }
        // A year of virtual time per call bounds the work one call can do.
        guard duration.nanos >= 0, duration <= .seconds(366 * 86_400) else { return .failure(rangeError) }
        guard now + duration <= .latest else {
            return .failure(.badRequest("the cluster's clock cannot pass \(VirtualTime.latest.rfc3339), now \(now.rfc3339Micro)"))
        }
        let processed = run(for: duration)
        return .success(["now": .string(now.rfc3339Micro), "processed": .int(processed)])
    }

    /// The REST verbs over a request object (see kubesim.h).
    private func rest(_ call: Call, _ request: JSON) -> Result<JSON, StatusError> {
        var body = request["object"]
        if body.isNull, call == .create || call == .update, !request["kind"].isNull, !request["metadata"].isNull {
            body = request
        }
        let info: ResourceInfo
        if let resource = request["resource"].string {
            guard let r = registry.resolve(resource) else {
                return .failure(StatusError(code: 404, reason: "NotFound",
                                            message: "the server doesn't have a resource type \"\(resource)\""))
            }
            info = r
        } else if let kind = request["kind"].string ?? body["kind"].string {
            let apiVersion = request["apiVersion"].string ?? body["apiVersion"].string ?? ""
            guard let r = registry.resolve(kind: kind, apiVersion: apiVersion) else {
                return .failure(.noKind(kind: kind, apiVersion: apiVersion))
            }
            info = r
        } else {
            return .failure(.badRequest("the request needs \"resource\" or \"kind\""))
        }
        let verb: Verb
        switch call {
        case .get: verb = .get
        case .list: verb = .list
        case .create: verb = .create
        case .update: verb = .update
        case .patch: verb = .patch
        case .delete: verb = .delete
        default: verb = .watch
        }
        var namespace = request["namespace"].string
        if namespace == nil, info.namespaced, verb != .list, verb != .watch {
            namespace = body.namespace.isEmpty ? "default" : body.namespace
        }
        var r = APIRequest(verb, info.plural, namespace: namespace, name: request["name"].string)
        if verb == .update, r.name == nil { r.name = body.name }
        r.labelSelector = request["labelSelector"].string
        r.fieldSelector = request["fieldSelector"].string
        r.resourceVersion = request["resourceVersion"].string ?? request["resourceVersion"].int.map(String.init)
        r.subresource = request["subresource"].string
        r.propagationPolicy = request["propagationPolicy"].string
        r.gracePeriodSeconds = request["gracePeriodSeconds"].int
        // The write's options, as its handler checks them (`ValidateCreateOptions` and the like).
        let options = verb == .patch ? "PatchOptions" : verb == .update ? "UpdateOptions"
            : verb == .delete ? "DeleteOptions" : "CreateOptions"
        // `dryRun`: "All", or a list of "All" (the query parameter may repeat); ignored on reads,
        // as upstream ignores it there.
        let dryRunValue = request["dryRun"]
        if !dryRunValue.isNull, verb == .create || verb == .update || verb == .patch || verb == .delete {
            let values = dryRunValue.array ?? [dryRunValue]
            guard values.allSatisfy({ $0.string == "All" }) else {
                return .failure(.invalid(kind: options, group: "meta.k8s.io", name: "", [
                    .unsupported("dryRun", .array(values), ["All"]),
                ]))
            }
            if !values.isEmpty {
                if let sub = r.subresource, sub == "binding" || sub == "eviction" {
                    return .failure(.badRequest("kubesim's API server does not model a dry run of pods/\(sub)"))
                }
                r.dryRun = true
            }
        }
        // Create, update and patch options only; 1.18's server had no such parameter.
        if verb == .create || verb == .update || verb == .patch, config.version != .v1_18,
           let directive = request["fieldValidation"].string, !directive.isEmpty
        {
            guard let v = FieldValidation(rawValue: directive) else {
                return .failure(.invalid(kind: options, group: "meta.k8s.io", name: "", [
                    .unsupported("fieldValidation", .string(directive), ["", "Ignore", "Strict", "Warn"]),
                ]))
            }
            r.fieldValidation = v
        }
        switch verb {
        case .create, .update:
            guard body.object != nil else { return .failure(.badRequest("the request needs \"object\"")) }
            r.body = body
        case .patch:
            r.body = request["patch"]
            let name = request["patchType"].string ?? "merge"
            guard let patchType = PatchType(rawValue: name) else {
                return .failure(StatusError(
                    code: 415, reason: "UnsupportedMediaType",
                    message: "the body of the request was in an unknown format - accepted media types include: "
                        + "application/json-patch+json, application/merge-patch+json, "
                        + "application/strategic-merge-patch+json (patchType \"\(name)\")"))
            }
            r.patchType = patchType
            if r.body.isNull { return .failure(.badRequest("the request needs \"patch\"")) }
        default:
            break
        }
        return serve(r)
    }
}

/// Splits a command line like a POSIX shell: whitespace separates words, quotes group them.
enum ShellWords {
    static func split(_ line: String) -> Result<[String], StatusError> {
        var words: [String] = []
        var current = ""
        var inWord = false
        var quote: Character?
        var escape = false
        for c in line {
            if escape {
                current.append(c)
                escape = false
                continue
            }
            if let q = quote {
                if c == q { quote = nil } else if c == "\\", q == "\"" { escape = true } else { current.append(c) }
                continue
            }
            switch c {
            case "'", "\"": quote = c; inWord = true
            case "\\": escape = true; inWord = true
            case " ", "\t", "\n":
                if inWord { words.append(current); current = ""; inWord = false }
            default: current.append(c); inWord = true
            }
        }
        if quote != nil { return .failure(.badRequest("unterminated quote in command")) }
        if inWord { words.append(current) }
        return .success(words)
    }
}
