/// NodeResourcesFit (plugins/noderesources/fit.go): the pod's requests must fit the node's
/// allocatable cpu, memory, ephemeral-storage and pod count, after what placed pods and
/// higher-or-equal-priority pods nominated to the node take. One node can fail for several
/// resources; each reason counts. Its score is the LeastAllocated strategy.
final class NodeResourcesFit: FilterPlugin, ScorePlugin {
    let name = "NodeResourcesFit"

    func filter(_ state: CycleState, _ pod: PodInfo, _ node: NodeInfo) -> Status? {
        var podCount = node.podCount
        var cpu = node.requestedMilliCPU, mem = node.requestedMemory, eph = node.requestedEphemeralStorage
        // RunFilterPluginsWithNominatedPods: room promised to pods nominated here by preemption.
        if !node.nominated.isEmpty { for n in node.nominated where n.key != pod.key && n.priority >= pod.priority {
            podCount += 1
            cpu = cpu.addingClamped(n.requests.milliCPU)
            mem = mem.addingClamped(n.requests.memory)
            eph = eph.addingClamped(n.requests.ephemeralStorage)
        } }
        let cpuReq = pod.requests.milliCPU, memReq = pod.requests.memory, ephReq = pod.requests.ephemeralStorage
        let fitsAll = podCount + 1 <= node.allocatablePods
            && (cpuReq == 0 || cpuReq <= node.allocatableMilliCPU - cpu)
            && (memReq == 0 || memReq <= node.allocatableMemory - mem)
            && (ephReq == 0 || ephReq <= node.allocatableEphemeralStorage - eph)
        if fitsAll { return nil }
        let r = pod.requests
        var reasons: [String] = []
        if podCount + 1 > node.allocatablePods { reasons.append("Too many pods") }
        if r.milliCPU > 0, r.milliCPU > node.allocatableMilliCPU - cpu { reasons.append("Insufficient cpu") }
        if r.memory > 0, r.memory > node.allocatableMemory - mem { reasons.append("Insufficient memory") }
        if r.ephemeralStorage > 0, r.ephemeralStorage > node.allocatableEphemeralStorage - eph {
            reasons.append("Insufficient ephemeral-storage")
        }
        return reasons.isEmpty ? nil : Status(code: .unschedulable, reasons: reasons, plugin: name)
    }

    /// The filter over a run of nodes: a node with no nominated pods and room for every
    /// request passes on a few field reads; any other goes through `filter` for its reasons.
    func filterAll(_ state: CycleState, _ pod: PodInfo, _ nodes: [NodeInfo], _ alive: inout [Int],
                   _ rejected: inout [(index: Int, status: Status)])
    {
        let cpuReq = pod.requests.milliCPU, memReq = pod.requests.memory, ephReq = pod.requests.ephemeralStorage
        var kept = 0
        for j in alive.indices {
            let i = alive[j]
            // Read in place: `nodes` keeps every node alive for the call, and counting a
            // reference per node was a third of this loop.
            unowned(unsafe) let node = nodes[i]
            let fits = node.nominated.isEmpty
                && node.podCount + 1 <= node.allocatablePods
                && (cpuReq == 0 || cpuReq <= node.allocatableMilliCPU - node.requestedMilliCPU)
                && (memReq == 0 || memReq <= node.allocatableMemory - node.requestedMemory)
                && (ephReq == 0 || ephReq <= node.allocatableEphemeralStorage - node.requestedEphemeralStorage)
            if !fits, let s = filter(state, pod, node) {
                rejected.append((i, s))
                continue
            }
            alive[kept] = i
            kept += 1
        }
        while alive.count > kept { alive.removeLast() }
    }

    func scoreAll(_ state: CycleState, _ pod: PodInfo, _ nodes: [NodeInfo], _ scores: inout [Int64]) {
        let cpu = pod.requests.nonZeroMilliCPU, mem = pod.requests.nonZeroMemory
        for i in nodes.indices {
            unowned(unsafe) let node = nodes[i]
            scores[i] = (Self.leastRequested(node.nonZeroMilliCPU.addingClamped(cpu), node.allocatableMilliCPU)
                + Self.leastRequested(node.nonZeroMemory.addingClamped(mem), node.allocatableMemory)) / 2
        }
    }

    /// LeastAllocated (noderesources/least_allocated.go): per resource
    /// (allocatable − requested) · 100 / allocatable, averaged with weights cpu 1, memory 1;
    /// requests counted with the non-zero defaults.
    func score(_ state: CycleState, _ pod: PodInfo, _ node: NodeInfo) -> Int64 {
        let cpu = Self.leastRequested(node.nonZeroMilliCPU.addingClamped(pod.requests.nonZeroMilliCPU),
                                      node.allocatableMilliCPU)
        let mem = Self.leastRequested(node.nonZeroMemory.addingClamped(pod.requests.nonZeroMemory),
                                      node.allocatableMemory)
        return (cpu + mem) / 2
    }

    static func leastRequested(_ requested: Int64, _ capacity: Int64) -> Int64 {
        guard capacity > 0, requested <= capacity else { return 0 }
        return (capacity - requested) * maxNodeScore / capacity
    }
}
