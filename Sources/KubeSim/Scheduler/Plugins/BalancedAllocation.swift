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
    func scoreAll(_ state: CycleState, _ pod: PodInfo, _ nodes: [NodeInfo], _ scores: inout [Int64]) {
        let r = Request(pod)
        guard version == .v1_36 else {
            for i in nodes.indices { scores[i] = score(nodes[i], r) }
            return
        }
        for i in nodes.indices {
            // Read in place (no reference counted per node): `nodes` holds them all.
            unowned(unsafe) let node = nodes[i]
            guard node.allocatableMilliCPU > 0, node.allocatableMemory > 0 else {
                scores[i] = 0
                continue
            }
            let cpu = min(1, Double(node.requestedMilliCPU.addingClamped(r.cpu)) / Double(node.allocatableMilliCPU))
            let mem = min(1, Double(node.requestedMemory.addingClamped(r.memory)) / Double(node.allocatableMemory))
            scores[i] = Int64((1 - abs((cpu - mem) / 2)) * Double(maxNodeScore))
        }
    }

    /// What the pod adds: actual requests (current upstream) or the non-zero defaults (1.18).
    private struct Request {
        let cpu, memory: Int64
        init(_ pod: PodInfo) {
            cpu = pod.requests.milliCPU
            memory = pod.requests.memory
            nonZeroCPU = pod.requests.nonZeroMilliCPU
            nonZeroMemory = pod.requests.nonZeroMemory
        }
        let nonZeroCPU, nonZeroMemory: Int64
    }

    @inline(__always)
    private func score(_ node: NodeInfo, _ r: Request) -> Int64 {
        guard node.allocatableMilliCPU > 0, node.allocatableMemory > 0 else { return 0 }
        switch version {
        case .v1_18:
            let cpu = Double(node.nonZeroMilliCPU.addingClamped(r.nonZeroCPU)) / Double(node.allocatableMilliCPU)
            let mem = Double(node.nonZeroMemory.addingClamped(r.nonZeroMemory)) / Double(node.allocatableMemory)
            if cpu >= 1 || mem >= 1 { return 0 }
            return Int64((1 - abs(cpu - mem)) * Double(maxNodeScore))
        case .v1_36:
            let cpu = min(1, Double(node.requestedMilliCPU.addingClamped(r.cpu)) / Double(node.allocatableMilliCPU))
            let mem = min(1, Double(node.requestedMemory.addingClamped(r.memory)) / Double(node.allocatableMemory))
            let std = abs((cpu - mem) / 2)
            return Int64((1 - std) * Double(maxNodeScore))
        }
    }
}
