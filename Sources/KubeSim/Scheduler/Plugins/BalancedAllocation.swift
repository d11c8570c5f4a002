/// NodeResourcesBalancedAllocation (noderesources/balanced_allocation.go): prefer nodes whose
/// cpu and memory fractions stay even once the pod is placed. Current upstream scores
/// (1 − std) · 100 over the fractions (capped at 1), std = |f_cpu − f_mem| / 2 for two
/// resources, counting actual requests (useRequested); 1.18 scored (1 − |f_cpu − f_mem|) · 100
/// with the non-zero defaults and 0 when a fraction reached 1.
final class BalancedAllocation: ScorePlugin {
    let name = "NodeResourcesBalancedAllocation"
    let version: KubernetesVersion
    init(version: KubernetesVersion) { self.version = version }

    func score(_ state: CycleState, _ pod: PodInfo, _ node: NodeInfo) -> Int64 {
        score(node, Request(pod))
    }

    /// `score` for every node, the pod's requests read once.
    func scoreAll(_ state: CycleState, _ pod: PodInfo, _ nodes: NodeSelection, _ scores: inout [Int64]) {
        let r = Request(pod)
        for i in nodes.indices {
            // Read in place (no reference counted per node): `nodes` holds them all. The
            // fields go to the formula as values: passing the node would count a reference.
            unowned(unsafe) let node = nodes[i]
            scores[i] = score(cpu: node.requestedMilliCPU, memory: node.requestedMemory,
                              nonZeroCPU: node.nonZeroMilliCPU, nonZeroMemory: node.nonZeroMemory,
                              allocatableCPU: node.allocatableMilliCPU, allocatableMemory: node.allocatableMemory, r)
        }
    }

    /// What the pod adds: actual requests (current upstream) or the non-zero defaults (1.18),
    /// read once rather than copying the pod's requests for every node.
    private struct Request {
        let cpu, memory, nonZeroCPU, nonZeroMemory: Int64
        init(_ pod: PodInfo) {
            cpu = pod.requests.milliCPU
            memory = pod.requests.memory
            nonZeroCPU = pod.requests.nonZeroMilliCPU
            nonZeroMemory = pod.requests.nonZeroMemory
        }
    }

    private func score(_ node: NodeInfo, _ r: Request) -> Int64 {
        score(cpu: node.requestedMilliCPU, memory: node.requestedMemory, nonZeroCPU: node.nonZeroMilliCPU,
              nonZeroMemory: node.nonZeroMemory, allocatableCPU: node.allocatableMilliCPU,
              allocatableMemory: node.allocatableMemory, r)
    }

    /// The node's requests (actual and non-zero) and allocatable cpu and memory, with the pod's.
    @inline(__always)
    private func score(cpu: Int64, memory: Int64, nonZeroCPU: Int64, nonZeroMemory: Int64,
                       allocatableCPU: Int64, allocatableMemory: Int64, _ r: Request) -> Int64
    {
        guard allocatableCPU > 0, allocatableMemory > 0 else { return 0 }
        switch version {
        case .v1_18:
            let cpu = Double(nonZeroCPU.addingClamped(r.nonZeroCPU)) / Double(allocatableCPU)
            let mem = Double(nonZeroMemory.addingClamped(r.nonZeroMemory)) / Double(allocatableMemory)
            if cpu >= 1 || mem >= 1 { return 0 }
            return Int64((1 - abs(cpu - mem)) * Double(maxNodeScore))
        case .v1_36:
            let cpu = min(1, Double(cpu.addingClamped(r.cpu)) / Double(allocatableCPU))
            let mem = min(1, Double(memory.addingClamped(r.memory)) / Double(allocatableMemory))
            let std = abs((cpu - mem) / 2)
            return Int64((1 - std) * Double(maxNodeScore))
        }
    }
}
