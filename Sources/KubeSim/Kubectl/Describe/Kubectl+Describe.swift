/// `kubectl describe` (`KK:staging/src/k8s.io/kubectl/pkg/cmd/describe/describe.go`): each
/// object named, listed or selected, printed by its kind's describer.
extension Cluster {
    func kubectlDescribe(_ flags: KubectlFlags, _ out: inout KubectlOutput) {
        guard !flags.positional.isEmpty else {
            out.fail("error: You must specify the type of resource to describe. "
                + "Use \"kubectl api-resources\" for a complete list of supported resources.")
            return
        }
        guard let targets = resolveTargets(flags.positional, flags, &out) else { return }

        // The builder's result: every object found, and the errors met (kubectl's
        // ContinueOnError aggregates them; describe reports them after what it printed).
        var found: [(ResourceInfo, JSON)] = []
        var errors: [StatusError] = []
        for target in targets {
            let fetched = fetch(target, flags)
            found += fetched.objects.map { (target.info, $0) }
            errors += fetched.errors
        }

        // `describe TYPE NAME` with no object of that name describes those whose names start
        // with it (DescribeMatchingResources), without events unless asked for. Only a lone
        // error: kubectl tests the aggregate, which is NotFound only when it holds one.
        if errors.count == 1, let error = errors.first, error.code == 404, flags.positional.count == 2,
           let target = targets.first
        {
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
        var unsupported: [ResourceInfo] = []
        for (info, object) in found {
            guard let text = describe(info, object, showEvents: showEvents) else {
                if !unsupported.contains(info) { unsupported.append(info) }
                continue
            }
            out.print(first ? text : "\n\n" + text, newline: false)
            first = false
        }
        // The builder's errors first, then the describers', as kubectl aggregates them.
        for error in errors { out.fail(error.kubectlMessage) }
        for info in unsupported { out.fail(Self.noDescriber(info)) }
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

    /// The describer for a kind, as `describerMap` registers them, or the generic describer
    /// kubectl falls back to for a kind it has none for; nil for a kind kubectl has a
    /// describer for that kubesim lacks.
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
        case "poddisruptionbudgets": return describePodDisruptionBudget(object, showEvents: showEvents)
        // Not in describerMap, in either release.
        case "events", "leases", "controllerrevisions": return describeGeneric(object, showEvents: showEvents)
        default: return nil
        }
    }

    /// A kind kubectl describes with its own describer that kubesim does not port (Service,
    /// whose describer reads Endpoints): said so rather than print what kubectl would not.
    static func noDescriber(_ info: ResourceInfo) -> String {
        "error: kubesim has no describer for \(info.kind) (\(info.apiVersion)); use get -o yaml"
    }

    /// `searchEvents`: the Events whose involvedObject is the object — by name and namespace,
    /// and by kind and uid where given and not empty (the field selector leaves those out) —
    /// in the order the API lists them.
    func events(about name: String, namespace: String, kind: String? = nil, uid: String? = nil) -> [JSON] {
        guard case .success(let list) = request(.list, "events", namespace: namespace) else { return [] }
        let kind = kind ?? "", uid = uid ?? ""
        return (list["items"].array ?? []).filter { e in
            let ref = e["involvedObject"]
            return (ref["name"].string ?? "") == name && (ref["namespace"].string ?? "") == namespace
                && (kind.isEmpty || (ref["kind"].string ?? "") == kind)
                && (uid.isEmpty || (ref["uid"].string ?? "") == uid)
        }
    }
}
