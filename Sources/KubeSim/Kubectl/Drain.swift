/// `kubectl drain`'s options (staging/src/k8s.io/kubectl/pkg/cmd/drain/drain.go flags).
public struct DrainOptions: Sendable, Equatable {
    public var ignoreDaemonSets = false
    public var force = false
    public var deleteEmptyDirData = false
    /// `--grace-period`; nil is kubectl's -1 (each pod's own terminationGracePeriodSeconds).
    public var gracePeriodSeconds: Int?
    /// `--timeout`; nil or zero waits "forever", which here is `unboundedWait` of virtual time.
    public var timeout: Duration?
    public var disableEviction = false
    public var podSelector: String?

    public init() {}

    /// The virtual time a drain without `--timeout` waits at most, so a budget that never
    /// allows the eviction cannot block the embedding program forever.
    public static let unboundedWait = Duration.seconds(3600)
}

/// `kubectl drain NODE`: cordon, then evict (or delete) the node's pods and wait until they
/// are gone, as kubectl/pkg/drain (`Helper`, filters.go) and kubectl/pkg/cmd/drain do it.
/// The call runs the cluster in virtual time while it waits, as the real command blocks.
extension Cluster {
    public func drain(_ node: String, _ options: DrainOptions) -> KubectlResult {
        var out = KubectlOutput()
        if let selector = options.podSelector, !selector.isEmpty, (try? LabelSelector.parse(selector)) == nil {
            out.fail("error: --pod-selector=<pod_selector> must be a valid label selector")
            return out.result
        }
        if case .failure(let e) = request(.get, "nodes", name: node) {
            out.fail(e.kubectlMessage)
            return out.result
        }
        switch setUnschedulable(node, true) {
        case .success(let line): out.print(line)
        case .failure(let e): out.warn("error: unable to cordon node \"\(node)\": \(e.message)")
        }
        if let error = drainPods(node, options, &out) {
            out.warn("error: unable to drain node \"\(node)\", aborting command...\n")
            out.warn("There are pending nodes to be drained:\n \(node)")
            // cmdutil.CheckErr: one error gets "error: "; several print one per line.
            if error.count == 1 {
                out.fail(error[0].hasPrefix("error: ") ? error[0] : "error: " + error[0])
            } else {
                for line in error { out.fail(line) }
            }
            return out.result
        }
        out.print("node/\(node) drained")
        return out.result
    }

    /// `deleteOrEvictPodsSimple`: nil when every pod went, else the errors.
    private func drainPods(_ node: String, _ options: DrainOptions, _ out: inout KubectlOutput) -> [String]? {
        let (pods, warnings, errors) = podsForDeletion(node, options)
        if !errors.isEmpty { return errors }
        if !warnings.isEmpty { out.warn("\(config.version == .v1_18 ? "WARNING" : "Warning"): \(warnings)") }
        let failures = options.disableEviction ? deletePods(pods, options, &out) : evictPods(pods, options, &out)
        guard !failures.isEmpty else { return nil }
        let aggregate = failures.count == 1 ? failures[0] : "[" + failures.joined(separator: ", ") + "]"
        let (pending, _, newErrors) = podsForDeletion(node, options)
        if !pending.isEmpty {
            out.warn("There are pending pods in node \"\(node)\" when an error occurred: \(aggregate)")
            for pod in pending { out.warn("pod/\(pod.name)") }
        }
        if !newErrors.isEmpty {
            let agg = newErrors.count == 1 ? newErrors[0] : "[" + newErrors.joined(separator: ", ") + "]"
            out.stderr += "Following errors occurred while getting the list of pods to delete:\n\(agg)"
        }
        return failures
    }

    /// `GetPodsForDeletion`: the node's pods through the filters (skip deleted, DaemonSet,
    /// mirror, local storage, unreplicated), with the warnings and errors they raise, each
    /// message listing its pods in list order.
    private func podsForDeletion(_ node: String, _ options: DrainOptions) -> ([JSON], String, [String]) {
        let listed = request(.list, "pods") {
            $0.fieldSelector = "spec.nodeName=\(node)"
            if let s = options.podSelector, !s.isEmpty { $0.labelSelector = s }
        }
        guard case .success(let list) = listed else {
            if case .failure(let e) = listed { return ([], "", [e.message]) }
            return ([], "", [])
        }
        let v18 = config.version == .v1_18
        let localStorageFatal = v18 ? "Pods with local storage (use --delete-local-data to override)"
            : "Pods with local storage (use --delete-emptydir-data to override)"
        let unmanagedFatal = v18
            ? "Pods not managed by ReplicationController, ReplicaSet, Job, DaemonSet or StatefulSet (use --force to override)"
            : "cannot delete Pods that declare no controller (use --force to override)"
        let unmanagedWarning = v18
            ? "deleting Pods not managed by ReplicationController, ReplicaSet, Job, DaemonSet or StatefulSet"
            : "deleting Pods that declare no controller"

        var pods: [JSON] = []
        var warnings: [(String, [String])] = []
        var errors: [(String, [String])] = []
        func add(_ groups: inout [(String, [String])], _ message: String, _ pod: JSON) {
            let ref = "\(pod.namespace)/\(pod.name)"
            if let i = groups.firstIndex(where: { $0.0 == message }) { groups[i].1.append(ref) } else { groups.append((message, [ref])) }
        }
        for pod in list["items"].array ?? [] {
            let phase = pod["status", "phase"].string ?? ""
            let finished = phase == "Succeeded" || phase == "Failed"
            // Each filter either passes the pod on, possibly with a warning, or stops it; the
            // last status is the pod's.
            var warning: String?
            var stop: (error: String?, warning: String?)?
            if let ref = pod.controllerRef, ref["kind"].string == "DaemonSet", !finished {
                if case .failure(let e) = request(.get, "daemonsets", namespace: pod.namespace, name: ref["name"].string ?? "") {
                    if e.code == 404, options.force { warning = e.message } else { stop = (e.message, nil) }
                } else if !options.ignoreDaemonSets {
                    stop = ("DaemonSet-managed Pods (use --ignore-daemonsets to ignore)", nil)
                } else {
                    stop = (nil, "ignoring DaemonSet-managed Pods")
                }
            }
            if stop == nil, !pod.annotations["kubernetes.io/config.mirror"].isNull { stop = (nil, nil) }
            if stop == nil, !finished, (pod["spec", "volumes"].array ?? []).contains(where: { !$0["emptyDir"].isNull }) {
                // Its warning ("deleting Pods with local storage") is overwritten by the next
                // filter's Okay upstream, so it is never printed.
                if !options.deleteEmptyDirData { stop = (localStorageFatal, nil) }
            }
            warning = nil  // likewise the orphaned-DaemonSet warning: only the last filter's survives
            if stop == nil, !finished, pod.controllerRef == nil {
                if options.force { warning = unmanagedWarning } else { stop = (unmanagedFatal, nil) }
            }
            if let stop {
                if let e = stop.error { add(&errors, e, pod) }
                if let w = stop.warning { add(&warnings, w, pod) }
                continue
            }
            if let warning { add(&warnings, warning, pod) }
            pods.append(pod)
        }
        let warningText = warnings.map { "\($0.0): \($0.1.joined(separator: ", "))" }.joined(separator: "; ")
        let errorTexts = errors.map { msg, refs in
            msg.lowercased().hasPrefix("cannot delete") ? "\(msg): \(refs.joined(separator: ", "))"
                : "cannot delete \(msg): \(refs.joined(separator: ", "))"
        }
        return (pods, warningText, errorTexts)
    }

    /// `evictPods`: each pod is evicted, retried every 5 s on 429 until the global timeout,
    /// then waited for (polled every second) until it is gone. Returns the errors.
    private func evictPods(_ pods: [JSON], _ options: DrainOptions, _ out: inout KubectlOutput) -> [String] {
        enum State { case evict(VirtualTime), wait(VirtualTime), done }
        let v18 = config.version == .v1_18
        let timeout = (options.timeout ?? .zero) > .zero ? options.timeout ?? .zero : DrainOptions.unboundedWait
        // Never past the clock's end (a huge --timeout would otherwise run for ever).
        let deadline = min(now + timeout, max(now, .latest))
        let timeoutText = timeout.goStringMillis
        var states = pods.map { _ in State.evict(now) }
        var errors: [String] = []
        func podRef(_ pod: JSON) -> String {
            v18 ? "pod \"\(pod.name)\"" : "pods/\"\(pod.name)\" -n \"\(pod.namespace)\""
        }
        while true {
            for (i, pod) in pods.enumerated() {
                switch states[i] {
                case .evict(let at) where at <= now:
                    out.print("evicting pod \(pod.namespace)/\(pod.name)")
                    if now >= deadline {
                        errors.append("error when evicting \(podRef(pod)): global timeout reached: \(timeoutText)")
                        states[i] = .done
                        continue
                    }
                    var eviction: JSON = [
                        "apiVersion": v18 ? "policy/v1beta1" : "policy/v1", "kind": "Eviction",
                        "metadata": ["name": .string(pod.name), "namespace": .string(pod.namespace)],
                    ]
                    eviction["deleteOptions"] = options.gracePeriodSeconds.map { g in g >= 0 ? ["gracePeriodSeconds": .int(g)] : .emptyObject }
                        ?? .emptyObject
                    let result = request(.create, "pods", namespace: pod.namespace, name: pod.name, body: eviction) {
                        $0.subresource = "eviction"
                    }
                    switch result {
                    case .success: states[i] = .wait(now)
                    case .failure(let e) where e.code == 404: states[i] = .done
                    case .failure(let e) where e.code == 429:
                        out.warn("error when evicting \(podRef(pod)) (will retry after 5s): \(e.message)")
                        states[i] = .evict(now + .seconds(5))
                    case .failure(let e):
                        errors.append("error when evicting \(podRef(pod)): \(e.message)")
                        states[i] = .done
                    }
                case .wait(let at) where at <= now:
                    if podGone(pod) {
                        out.print("pod/\(pod.name) evicted")
                        states[i] = .done
                    } else if now >= deadline {
                        errors.append(v18
                            ? "error when waiting for pod \"\(pod.name)\" terminating: global timeout reached: \(timeoutText)"
                            : "error when waiting for pod \"\(pod.name)\" in namespace \"\(pod.namespace)\" to terminate: global timeout reached: \(timeoutText)")
                        states[i] = .done
                    } else {
                        states[i] = .wait(now + .seconds(1))
                    }
                default:
                    break
                }
            }
            let next = states.compactMap { s -> VirtualTime? in
                switch s {
                case .evict(let t), .wait(let t): return t
                case .done: return nil
                }
            }.min()
            guard let next else { return errors }
            simulation.run(until: max(next, now))
        }
    }

    /// `deletePods` (`--disable-eviction`): delete each pod, then poll every second until
    /// all are gone or the timeout passes.
    private func deletePods(_ pods: [JSON], _ options: DrainOptions, _ out: inout KubectlOutput) -> [String] {
        for pod in pods {
            var r = APIRequest(.delete, "pods", namespace: pod.namespace, name: pod.name)
            if let g = options.gracePeriodSeconds, g >= 0 { r.gracePeriodSeconds = g }
            if case .failure(let e) = serve(r), e.code != 404 { return [e.message] }
        }
        let timeout = (options.timeout ?? .zero) > .zero ? options.timeout ?? .zero : DrainOptions.unboundedWait
        // Never past the clock's end (a huge --timeout would otherwise run for ever).
        let deadline = min(now + timeout, max(now, .latest))
        var pending = pods
        while true {
            pending = pending.filter { pod in
                guard podGone(pod) else { return true }
                out.print("pod/\(pod.name) deleted")
                return false
            }
            if pending.isEmpty { return [] }
            if now + .seconds(1) > deadline { return ["timed out waiting for the condition"] }
            simulation.run(until: now + .seconds(1))
        }
    }

    /// Gone, or replaced by a pod of the same name (another uid).
    private func podGone(_ pod: JSON) -> Bool {
        switch request(.get, "pods", namespace: pod.namespace, name: pod.name) {
        case .failure(let e): return e.code == 404
        case .success(let live): return live.uid != pod.uid
        }
    }
}
