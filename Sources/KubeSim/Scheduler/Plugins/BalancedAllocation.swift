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
        guard node.allocatableMilliCPU > 0, node.allocatableMemory > 0 else { return 0 }
        let r = pod.requests
        switch version {
        case .v1_18:
            let cpu = Double(node.nonZeroMilliCPU + r.nonZeroMilliCPU) / Double(node.allocatableMilliCPU)
            let mem = Double(node.nonZeroMemory + r.nonZeroMemory) / Double(node.allocatableMemory)
            if cpu >= 1 || mem >= 1 { return 0 }
            return Int64((1 - abs(cpu - mem)) * Double(maxNodeScore))
        case .v1_36:
            let cpu = min(1, Double(node.requestedMilliCPU + r.milliCPU) / Double(node.allocatableMilliCPU))
            let mem = min(1, Double(node.requestedMemory + r.memory) / Double(node.allocatableMemory))
            let std = abs((cpu - mem) / 2)
            return Int64((1 - std) * Double(maxNodeScore))
        }
    }
}
