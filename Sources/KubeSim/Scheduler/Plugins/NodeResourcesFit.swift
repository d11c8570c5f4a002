/// NodeResourcesFit (plugins/noderesources/fit.go): the pod's requests must fit the node's
/// allocatable cpu, memory, ephemeral-storage and pod count, after what placed pods and
/// higher-or-equal-priority pods nominated to the node take. One node can fail for several
/// resources; each reason counts. Its score is the LeastAllocated strategy.
final class NodeResourcesFit: FilterPlugin, ScorePlugin {
    let name = "NodeResourcesFit"

    /// The pod's requests, read once per attempt (not copied out of the pod for every node).
    private struct Requests {
        let cpu, memory, ephemeral: Int64
        init(_ pod: PodInfo) {
            cpu = pod.requests.milliCPU
            memory = pod.requests.memory
            ephemeral = pod.requests.ephemeralStorage
        }
    }

    /// A node's pod count and requests, or its allocatable ones: plain values, so the per-node
    /// loop reads the fields in place (passing the node would count a reference each time).
    private struct Amounts {
        var pods: Int
        var cpu, memory, ephemeral: Int64
    }

    @inline(__always)
    private static func fits(_ r: Requests, used: Amounts, allocatable a: Amounts) -> Bool {
        used.pods + 1 <= a.pods
            && (r.cpu == 0 || r.cpu <= a.cpu - used.cpu)
            && (r.memory == 0 || r.memory <= a.memory - used.memory)
            && (r.ephemeral == 0 || r.ephemeral <= a.ephemeral - used.ephemeral)
    }

    func filter(_ state: CycleState, _ pod: PodInfo, _ node: NodeInfo) -> Status? {
        var used = Amounts(pods: node.podCount, cpu: node.requestedMilliCPU, memory: node.requestedMemory,
                           ephemeral: node.requestedEphemeralStorage)
        let allocatable = Amounts(pods: node.allocatablePods, cpu: node.allocatableMilliCPU,
                                  memory: node.allocatableMemory, ephemeral: node.allocatableEphemeralStorage)
        // RunFilterPluginsWithNominatedPods: room promised to pods nominated here by preemption.
        for n in node.nominated where n.key != pod.key && n.priority >= pod.priority {
            used.pods += 1
            used.cpu = used.cpu.addingClamped(n.requests.milliCPU)
            used.memory = used.memory.addingClamped(n.requests.memory)
            used.ephemeral = used.ephemeral.addingClamped(n.requests.ephemeralStorage)
        }
        let r = Requests(pod)
        if Self.fits(r, used: used, allocatable: allocatable) { return nil }
        var reasons: [String] = []
        if used.pods + 1 > allocatable.pods { reasons.append("Too many pods") }
        if r.cpu > 0, r.cpu > allocatable.cpu - used.cpu { reasons.append("Insufficient cpu") }
        if r.memory > 0, r.memory > allocatable.memory - used.memory { reasons.append("Insufficient memory") }
        if r.ephemeral > 0, r.ephemeral > allocatable.ephemeral - used.ephemeral {
            reasons.append("Insufficient ephemeral-storage")
        }
        return reasons.isEmpty ? nil : Status(code: .unschedulable, reasons: reasons, plugin: name)
    }

    /// The filter over a run of nodes: a node with no nominated pods and room for every
    /// request passes on a few field reads; any other goes through `filter` for its reasons.
    func filterAll(_ state: CycleState, _ pod: PodInfo, _ nodes: [NodeInfo], _ alive: inout [Int],
                   _ rejected: inout [Int])
    {
        let r = Requests(pod)
        var kept = 0
        for j in alive.indices {
            let i = alive[j]
            // Read in place: `nodes` keeps every node alive for the call, and counting a
            // reference per node was a third of this loop.
            unowned(unsafe) let node = nodes[i]
            let fits = node.nominated.isEmpty
                && Self.fits(r, used: Amounts(pods: node.podCount, cpu: node.requestedMilliCPU,
                                              memory: node.requestedMemory, ephemeral: node.requestedEphemeralStorage),
                             allocatable: Amounts(pods: node.allocatablePods, cpu: node.allocatableMilliCPU,
                                                  memory: node.allocatableMemory,
                                                  ephemeral: node.allocatableEphemeralStorage))
            if !fits, filter(state, pod, node) != nil {
                rejected.append(i)
                continue
            }
            alive[kept] = i
            kept += 1
        }
        while alive.count > kept { alive.removeLast() }
    }

    func score(_ state: CycleState, _ pod: PodInfo, _ node: NodeInfo) -> Int64 {
        Self.leastAllocated(cpu: node.nonZeroMilliCPU.addingClamped(pod.requests.nonZeroMilliCPU),
                            memory: node.nonZeroMemory.addingClamped(pod.requests.nonZeroMemory),
                            allocatableCPU: node.allocatableMilliCPU, allocatableMemory: node.allocatableMemory)
    }

    func scoreAll(_ state: CycleState, _ pod: PodInfo, _ nodes: NodeSelection, _ scores: inout [Int64]) {
        let cpu = pod.requests.nonZeroMilliCPU, memory = pod.requests.nonZeroMemory
        for i in nodes.indices {
            unowned(unsafe) let node = nodes[i]
            scores[i] = Self.leastAllocated(cpu: node.nonZeroMilliCPU.addingClamped(cpu),
                                            memory: node.nonZeroMemory.addingClamped(memory),
                                            allocatableCPU: node.allocatableMilliCPU,
                                            allocatableMemory: node.allocatableMemory)
        }
    }

    /// LeastAllocated (noderesources/least_allocated.go): per resource
    /// (allocatable − requested) · 100 / allocatable, averaged with weights cpu 1, memory 1;
    /// requests counted with the non-zero defaults.
    /// The node's non-zero requests with the pod's, against its allocatable cpu and memory
    /// (values, not the node: the per-node loop reads its fields in place).
    @inline(__always)
    private static func leastAllocated(cpu: Int64, memory: Int64, allocatableCPU: Int64, allocatableMemory: Int64)
        -> Int64
    {
        (leastRequested(cpu, allocatableCPU) + leastRequested(memory, allocatableMemory)) / 2
    }

    static func leastRequested(_ requested: Int64, _ capacity: Int64) -> Int64 {
        guard capacity > 0, requested >= 0, requested <= capacity else { return 0 }
        let (product, overflow) = (capacity - requested).multipliedReportingOverflow(by: maxNodeScore)
        if !overflow { return product / capacity }
        // In 128 bits: a node may declare an allocatable near Int64.max ("16Ei" of cpu), where
        // the product overflows. The quotient is at most maxNodeScore.
        return capacity.dividingFullWidth((capacity - requested).multipliedFullWidth(by: maxNodeScore)).quotient
    }
}
