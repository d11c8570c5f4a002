/// `kubectl describe node`, as `NodeDescriber` prints it in each emulated kubectl.
extension Cluster {
    /// `NodeDescriber.Describe` and `describeNode`: the node, its lease, the pods not yet
    /// terminated on it with what they request of it, and (when `showEvents`) its events.
    func describeNode(_ node: JSON, showEvents: Bool) -> String {
        let version = config.version
        var w = DescribeWriter(version: version)
        w.write(0, "Name:\t\(node.name)\n")
        // The ROLES column of `get nodes` is the same findNodeRoles.
        w.write(0, "Roles:\t\(TablePrinter.nodeRoles(node))\n")
        Describe.labels(&w, "Labels", node.labels)
        Describe.annotations(&w, "Annotations", node.annotations)
        w.write(0, "CreationTimestamp:\t\(Describe.rfc1123Z(node["metadata", "creationTimestamp"]))\n")
        Describe.taints(&w, "Taints", node["spec", "taints"].array ?? [])
        w.write(0, "Unschedulable:\t\(node["spec", "unschedulable"].bool ?? false)\n")

        // 1.36 says why it has no lease; 1.18 printed a missing one as unset fields.
        switch request(.get, "leases", namespace: "kube-node-lease", name: node.name) {
        case .success(let lease): Self.describeNodeLease(&w, lease)
        case .failure(let error) where version == .v1_36: w.write(0, "Lease:\tFailed to get lease: \(error.message)\n")
        case .failure: Self.describeNodeLease(&w, .null)
        }

        let conditions = node["status", "conditions"].array ?? []
        if !conditions.isEmpty {
            w.write(0, "Conditions:\n  Type\tStatus\tLastHeartbeatTime\tLastTransitionTime\tReason\tMessage\n")
            w.write(1, "----\t------\t-----------------\t------------------\t------\t-------\n")
            for c in conditions {
                w.write(1, "\(c["type"].string ?? "") \t\(c["status"].string ?? "") \t"
                    + "\(Describe.rfc1123Z(c["lastHeartbeatTime"])) \t\(Describe.rfc1123Z(c["lastTransitionTime"])) \t"
                    + "\(c["reason"].string ?? "") \t\(c["message"].string ?? "")\n")
            }
        }
        w.write(0, "Addresses:\n")
        for address in node["status", "addresses"].array ?? [] {
            w.write(1, "\(address["type"].string ?? ""):\t\(address["address"].string ?? "")\n")
        }
        for (title, key) in [("Capacity", "capacity"), ("Allocatable", "allocatable")] {
            let list = node["status", key], names = Describe.sortedKeys(list)
            guard !names.isEmpty else { continue }
            w.write(0, "\(title):\n")
            for name in names {
                let value = Quantity(json: list[name])?.description ?? list[name].string ?? ""
                w.write(0, "  \(name):\t\(value)\n")
            }
        }

        let info = node["status", "nodeInfo"]
        w.write(0, "System Info:\n")
        var fields = [("Machine ID", "machineID"), ("System UUID", "systemUUID"), ("Boot ID", "bootID"),
                      ("Kernel Version", "kernelVersion"), ("OS Image", "osImage"),
                      ("Operating System", "operatingSystem"), ("Architecture", "architecture"),
                      ("Container Runtime Version", "containerRuntimeVersion"), ("Kubelet Version", "kubeletVersion")]
        // Deprecated in the API (kube-proxy need not match the kubelet); 1.36 leaves it out.
        if version == .v1_18 { fields.append(("Kube-Proxy Version", "kubeProxyVersion")) }
        for (title, key) in fields { w.write(0, "  \(title):\t\(info[key].string ?? "")\n") }
        if let cidr = node["spec", "podCIDR"].string, !cidr.isEmpty { w.write(0, "PodCIDR:\t\(cidr)\n") }
        let cidrs = (node["spec", "podCIDRs"].array ?? []).map { $0.string ?? "" }
        if !cidrs.isEmpty { w.write(0, "PodCIDRs:\t\(cidrs.joined(separator: ","))\n") }
        if let provider = node["spec", "providerID"].string, !provider.isEmpty { w.write(0, "ProviderID:\t\(provider)\n") }

        // The same field selector upstream lists with, so the API server's order is kept.
        let selector = "spec.nodeName=\(node.name),status.phase!=Succeeded,status.phase!=Failed"
        var pods: [JSON] = []
        if case .success(let list) = request(.list, "pods", namespace: "", configure: { $0.fieldSelector = selector }) {
            pods = list["items"].array ?? []
        }
        describeNodeResource(&w, node, pods)

        if showEvents {
            // The node lifecycle controller refers to the node by its uid, the kubelet by its
            // name; 1.18 looked only for the kubelet's.
            var events: [JSON] = []
            if version == .v1_36 {
                events = self.events(about: node.name, namespace: "", kind: "Node", uid: node.uid)
            }
            events += self.events(about: node.name, namespace: "", kind: "Node", uid: node.name)
            Describe.events(&w, events, now: now)
        }
        return w.finish()
    }

    /// `describeNodeLease` (1.36; inline in 1.18's `describeNode`): unset fields as `<unset>`.
    private static func describeNodeLease(_ w: inout DescribeWriter, _ lease: JSON) {
        let spec = lease["spec"]
        w.write(0, "Lease:\n")
        w.write(1, "HolderIdentity:\t\(spec["holderIdentity"].string ?? "<unset>")\n")
        for (title, key) in [("AcquireTime", "acquireTime"), ("RenewTime", "renewTime")] {
            w.write(1, "\(title):\t\(spec[key].isNull ? "<unset>" : Describe.rfc1123Z(spec[key]))\n")
        }
    }

    /// `describeNodeResource`: each pod's cpu and memory requests and limits, then their
    /// totals, as shares of what the node can allocate (its capacity when it reports none).
    private func describeNodeResource(_ w: inout DescribeWriter, _ node: JSON, _ pods: [JSON]) {
        let version = w.version
        w.write(0, "Non-terminated Pods:\t(\(pods.count) in total)\n")
        w.write(1, "Namespace\tName\t\tCPU Requests\tCPU Limits\tMemory Requests\tMemory Limits\t"
            + (version == .v1_18 ? "AGE\n" : "Age\n"))
        w.write(1, "---------\t----\t\t------------\t----------\t---------------\t-------------\t---\n")
        var allocatable = PodResources.list(node["status", "capacity"])
        let reported = PodResources.list(node["status", "allocatable"])
        if !reported.isEmpty { allocatable = reported }
        let cpu = allocatable["cpu"]?.milliValue ?? 0, memory = allocatable["memory"]?.value ?? 0
        let zero = Quantity(integer: 0)

        var reqs = PodResources.List(), limits = PodResources.List()
        for pod in pods {
            // 1.36 shows each pod's resources as resized in place, but totals its spec.
            let (req, limit) = PodResources.requestsAndLimits(pod, version, useStatus: true)
            let (specReq, specLimit) = version == .v1_18 ? (req, limit)
                : PodResources.requestsAndLimits(pod, version, useStatus: false)
            PodResources.add(&reqs, specReq)
            PodResources.add(&limits, specLimit)
            // Unlike the totals, the rows divide by zero when the node reports no cpu or memory.
            let cpuReq = req["cpu"] ?? zero, cpuLimit = limit["cpu"] ?? zero
            let memReq = req["memory"] ?? zero, memLimit = limit["memory"] ?? zero
            w.write(1, "\(pod.namespace)\t\(pod.name)\t\t"
                + "\(cpuReq) (\(Self.percent(cpuReq.milliValue, cpu))%)\t\(cpuLimit) (\(Self.percent(cpuLimit.milliValue, cpu))%)\t"
                + "\(memReq) (\(Self.percent(memReq.value, memory))%)\t\(memLimit) (\(Self.percent(memLimit.value, memory))%)\t"
                + "\(Describe.since(pod["metadata", "creationTimestamp"], now: now))\n")
        }

        w.write(0, "Allocated resources:\n  (Total limits may be over 100 percent, i.e., overcommitted.)\n")
        w.write(1, "Resource\tRequests\tLimits\n")
        w.write(1, "--------\t--------\t------\n")
        let isHugePages = { (name: String) in name.hasPrefix("hugepages-") }
        let names = allocatable.keys.sorted(by: JSON.utf8Less)
        let shared = ["cpu", "memory", "ephemeral-storage"] + names.filter(isHugePages)
        for name in shared {
            let req = reqs[name] ?? zero, limit = limits[name] ?? zero
            // cpu is compared in thousandths, the rest in whole units.
            let scale = { (q: Quantity) in name == "cpu" ? q.milliValue : q.value }
            let whole = allocatable[name].map(scale) ?? 0
            let share = { (q: Quantity) in whole == 0 ? 0 : Self.percent(scale(q), whole) }
            w.write(1, "\(name)\t\(req) (\(share(req))%)\t\(limit) (\(share(limit))%)\n")
        }
        for name in names where !isHugePages(name) && !shared.contains(name) && name != "pods" {
            w.write(1, "\(name)\t\(reqs[name] ?? zero)\t\(limits[name] ?? zero)\n")
        }
    }

    /// `int64(float64(part) / float64(whole) * 100)` as Go computes it on amd64, where a
    /// result out of range (a division by zero) converts to the smallest int64.
    private static func percent(_ part: Int64, _ whole: Int64) -> Int64 {
        let share = Double(part) / Double(whole) * 100
        guard !share.isNaN, share >= -0x1p63, share < 0x1p63 else { return .min }
        return Int64(share)
    }
}

/// What a pod requests and limits, by resource: kubectl 1.18's `PodRequestsAndLimits`
/// (`kubectl/pkg/util/resource`) and 1.36's `PodRequests` / `PodLimits`
/// (`component-helpers/resource`, with sidecars and pod-level resources).
private enum PodResources {
    typealias List = [String: Quantity]

    /// A `ResourceList`; an amount that does not parse is left out.
    static func list(_ json: JSON) -> List {
        var list = List()
        for (name, value) in json.object ?? [:] { list[name] = Quantity(json: value) }
        return list
    }

    /// `addResourceList`.
    static func add(_ list: inout List, _ new: List) {
        for (name, quantity) in new { list[name] = list[name].map { $0.adding(quantity) } ?? quantity }
    }

    /// `maxResourceList`: the larger of the two, the one already there when equal.
    static func max(_ list: inout List, _ new: List) {
        for (name, quantity) in new where list[name].map({ quantity > $0 }) ?? true { list[name] = quantity }
    }

    static func requestsAndLimits(_ pod: JSON, _ version: KubernetesVersion, useStatus: Bool) -> (List, List) {
        let spec = pod["spec"], overhead = list(spec["overhead"])
        var reqs: List, limits: List
        switch version {
        case .v1_18:
            reqs = [:]
            limits = [:]
            for c in spec["containers"].array ?? [] {
                add(&reqs, list(c["resources", "requests"]))
                add(&limits, list(c["resources", "limits"]))
            }
            for c in spec["initContainers"].array ?? [] {
                max(&reqs, list(c["resources", "requests"]))
                max(&limits, list(c["resources", "limits"]))
            }
        case .v1_36:
            reqs = aggregate(pod, "requests", useStatus: useStatus)
            limits = aggregate(pod, "limits", useStatus: useStatus)
            // Pod-level resources replace the containers' sum for the kinds they may set.
            let podLevel = { (name: String) in name == "cpu" || name == "memory" || name.hasPrefix("hugepages-") }
            for (name, q) in list(spec["resources", "requests"]) where podLevel(name) { reqs[name] = q }
            for (name, q) in list(spec["resources", "limits"]) where podLevel(name) { limits[name] = q }
        }
        add(&reqs, overhead)
        for (name, q) in overhead {
            if let limit = limits[name], !limit.isZero { limits[name] = limit.adding(q) }
        }
        return (reqs, limits)
    }

    /// `AggregateContainerRequests` / `AggregateContainerLimits` (1.36): the containers' sum,
    /// sidecars (init containers that restart always) included, or what the init phase needs
    /// at its peak (an init container with the sidecars before it) when that is more. With
    /// `useStatus`, a container's amounts reported in its status count where they are larger,
    /// or instead of the spec when a resize was found infeasible.
    static func aggregate(_ pod: JSON, _ kind: String, useStatus: Bool) -> List {
        var statuses: [String: JSON] = [:]
        for key in ["containerStatuses", "initContainerStatuses"] {
            for s in pod["status", key].array ?? [] { statuses[s["name"].string ?? ""] = s }
        }
        let infeasible = (pod["status", "conditions"].array ?? [])
            .first { $0["type"].string == "PodResizePending" }?["reason"].string == "Infeasible"
        func effective(_ c: JSON) -> List {
            let spec = list(c["resources", kind])
            guard useStatus, let status = statuses[c["name"].string ?? ""], !status["resources"].isNull else { return spec }
            var parts = [list(status["resources", kind])]
            if kind == "requests" { parts.append(list(status["allocatedResources"])) }
            if !infeasible { parts.insert(spec, at: 0) }
            var result = List()
            for part in parts { max(&result, part) }
            return result
        }

        var result = List()
        for c in pod["spec", "containers"].array ?? [] { add(&result, effective(c)) }
        var sidecars = List(), initPeak = List()
        for c in pod["spec", "initContainers"].array ?? [] {
            if c["restartPolicy"].string == "Always" {
                let own = effective(c)
                add(&result, own)
                add(&sidecars, own)
                max(&initPeak, sidecars)
            } else {
                var during = list(c["resources", kind])
                add(&during, sidecars)
                max(&initPeak, during)
            }
        }
        max(&result, initPeak)
        return result
    }
}

private extension Quantity {
    /// `Quantity.Add`: the exact sum, in this quantity's format unless it is zero.
    func adding(_ other: Quantity) -> Quantity {
        if isZero { return other }
        if other.isZero { return self }
        let low = Swift.min(exponent, other.exponent)
        // Aligning amounts millions of powers of ten apart would take as many digits; only
        // hostile input gets here, and keeps the larger amount.
        guard Swift.max(exponent, other.exponent) - low <= 1000 else {
            let larger = Quantity.magnitude(self) < Quantity.magnitude(other) ? other : self
            return Quantity(digits: larger.digits, exponent: larger.exponent, negative: larger.negative, format: format)
        }
        // Least significant digit first, both scaled to 10^low.
        func aligned(_ q: Quantity) -> [Int] {
            Array(repeating: 0, count: q.exponent - low) + q.digits.reversed().map { Int($0) }
        }
        var a = aligned(self), b = aligned(other)
        var negative = self.negative
        if self.negative != other.negative, Quantity.magnitude(self) < Quantity.magnitude(other) {
            swap(&a, &b)
            negative = other.negative
        }
        let sign = self.negative == other.negative ? 1 : -1
        var sum: [UInt8] = []
        var carry = 0
        for i in 0..<Swift.max(a.count, b.count) {
            var d = (i < a.count ? a[i] : 0) + sign * (i < b.count ? b[i] : 0) + carry
            carry = d < 0 ? -1 : d / 10
            d = d < 0 ? d + 10 : d % 10
            sum.append(UInt8(d))
        }
        if carry > 0 { sum.append(UInt8(carry)) }
        return Quantity(digits: Array(sum.reversed()), exponent: low, negative: negative, format: format)
    }

    static func magnitude(_ q: Quantity) -> Quantity {
        Quantity(digits: q.digits, exponent: q.exponent, negative: false, format: q.format)
    }
}
