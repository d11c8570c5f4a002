/// `kubectl describe` (`KK:staging/src/k8s.io/kubectl/pkg/cmd/describe/describe.go`): each
/// object named, listed or selected, printed by its kind's describer.
extension Cluster {
    func kubectlDescribe(_ flags: KubectlFlags, _ out: inout KubectlOutput) {
        guard !flags.positional.isEmpty else {
            out.fail("error: You must specify the type of resource to describe. "
                + "Use \"kubectl api-resources\" for a complete list of supported resources.")
            return
        }
        let targets: [GetTarget]
        switch flags.targets(flags.positional, registry) {
        case .failure(let failure):
            out.fail(failure.message)
            return
        case .success(let t): targets = t
        }

        // The builder's result: every object found, and the first error (kubectl's
        // ContinueOnError aggregates them; describe reports them after what it printed).
        var found: [(ResourceInfo, JSON)] = []
        var errors: [StatusError] = []
        for target in targets {
            let info = target.info
            let namespace: String? = info.namespaced ? (flags.allNamespaces ? nil : flags.namespace) : nil
            if target.names.isEmpty {
                var request = APIRequest(.list, info.plural, namespace: namespace ?? "")
                request.labelSelector = flags.labelSelector
                switch serve(request) {
                case .failure(let e): errors.append(e)
                case .success(let list): found += (list["items"].array ?? []).map { (info, $0) }
                }
            } else {
                for name in target.names {
                    switch request(.get, info.plural, namespace: namespace, name: name) {
                    case .failure(let e): errors.append(e)
                    case .success(let object): found.append((info, object))
                    }
                }
            }
        }

        // `describe TYPE NAME` with no object of that name describes those whose names start
        // with it (DescribeMatchingResources), without events unless asked for.
        if let error = errors.first, error.code == 404, flags.positional.count == 2, let target = targets.first {
            var settings = flags
            if flags.showEvents == nil, config.version == .v1_36 { settings.showEvents = false }
            describeMatching(target.info, prefix: flags.positional[1], settings, error, &out)
            return
        }

        // kubectl 1.36 leaves events out when several objects print, or something failed.
        var showEvents = flags.showEvents ?? true
        if flags.showEvents == nil, config.version == .v1_36, !errors.isEmpty || found.count > 1 {
            showEvents = false
        }
        var first = true
        var unsupported = Set<String>()
        for (info, object) in found {
            guard let text = describe(info, object, showEvents: showEvents) else {
                if unsupported.insert(info.plural).inserted { out.fail(Self.noDescriber(info)) }
                continue
            }
            out.print(first ? text : "\n\n" + text, newline: false)
            first = false
        }
        for error in errors { out.fail(error.kubectlMessage) }
        if found.isEmpty, errors.isEmpty {
            out.warn(flags.allNamespaces ? "No resources found" : "No resources found in \(flags.namespace) namespace.")
        }
    }

    /// `DescribeMatchingResources`: every object of the type in the namespace whose name
    /// starts with `prefix`, each followed by a blank line; the original error when none does.
    private func describeMatching(_ info: ResourceInfo, prefix: String, _ flags: KubectlFlags,
                                  _ original: StatusError, _ out: inout KubectlOutput)
    {
        let namespace = info.namespaced ? flags.namespace : ""
        let all: [JSON]
        switch request(.list, info.plural, namespace: namespace) {
        case .failure(let e):
            out.fail(e.kubectlMessage)
            return
        case .success(let list): all = list["items"].array ?? []
        }
        var matched = false
        for object in all where object.name.hasPrefix(prefix) {
            matched = true
            guard let text = describe(info, object, showEvents: flags.showEvents ?? true) else {
                out.fail(Self.noDescriber(info))
                return
            }
            out.print(text)
        }
        if !matched { out.fail(original.kubectlMessage) }
    }

    /// The describer for a kind, as `describerMap` registers them; nil for a kind kubesim
    /// has no describer for.
    func describe(_ info: ResourceInfo, _ object: JSON, showEvents: Bool) -> String? {
        switch info.plural {
        case "pods": return describePod(object, showEvents: showEvents)
        case "nodes": return describeNode(object, showEvents: showEvents)
        case "deployments": return describeDeployment(object, showEvents: showEvents)
        case "replicasets": return describeReplicaSet(object, showEvents: showEvents)
        case "daemonsets": return describeDaemonSet(object, showEvents: showEvents)
        case "namespaces": return describeNamespace(object)
        case "configmaps": return describeConfigMap(object, showEvents: showEvents)
        case "secrets": return describeSecret(object)
        case "priorityclasses": return describePriorityClass(object, showEvents: showEvents)
        default: return nil
        }
    }

    /// kubectl falls back to a generic describer for kinds without their own; kubesim has
    /// none, and says so rather than print something kubectl would not.
    static func noDescriber(_ info: ResourceInfo) -> String {
        "error: kubesim has no describer for \(info.kind) (\(info.apiVersion)); use get -o yaml"
    }

    /// `searchEvents`: the Events whose involvedObject is the object — by name and namespace,
    /// and by kind and uid where given — in the order the API lists them.
    func events(about name: String, namespace: String, kind: String? = nil, uid: String? = nil) -> [JSON] {
        guard case .success(let list) = request(.list, "events", namespace: namespace) else { return [] }
        return (list["items"].array ?? []).filter { e in
            let ref = e["involvedObject"]
            return (ref["name"].string ?? "") == name && (ref["namespace"].string ?? "") == namespace
                && (kind.map { (ref["kind"].string ?? "") == $0 } ?? true)
                && (uid.map { (ref["uid"].string ?? "") == $0 } ?? true)
        }
    }
}
