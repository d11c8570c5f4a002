/// A Score extension point: 0…100 per node, summed with the plugin's weight.
protocol ScorePlugin {
    static var name: String { get }
    var weight: Int64 { get }
    /// Scores for the feasible nodes (`feasible` indexes `nodes`), normalised to 0…100.
    func score(_ pod: PodInfo, _ nodes: [NodeInfo], _ feasible: [Int]) -> [Int64]
}

/// NodeResourcesFit's LeastAllocated strategy: prefer nodes with more free cpu and memory,
/// counting requests with the non-zero defaults.
struct LeastAllocated: ScorePlugin {
    static let name = "NodeResourcesLeastAllocated"
    let weight: Int64 = 1
    func score(_ pod: PodInfo, _ nodes: [NodeInfo], _ feasible: [Int]) -> [Int64] {
        let requests = pod.requests
        return feasible.map { i in
            let n = nodes[i]
            let cpu = Self.free(n.allocatableMilliCPU, n.nonZeroMilliCPU + requests.nonZeroMilliCPU)
            let mem = Self.free(n.allocatableMemory, n.nonZeroMemory + requests.nonZeroMemory)
            return (cpu + mem) / 2
        }
    }

    static func free(_ capacity: Int64, _ requested: Int64) -> Int64 {
        guard capacity > 0, requested <= capacity else { return 0 }
        return (capacity - requested) * 100 / capacity
    }
}

/// NodeResourcesBalancedAllocation: prefer nodes whose cpu and memory use stay even.
/// 1.18 scored `1 - |cpu − memory|`; current upstream uses the standard deviation, which for
/// two resources is half of it.
struct BalancedAllocation: ScorePlugin {
    static let name = "NodeResourcesBalancedAllocation"
    let weight: Int64 = 1
    let version: KubernetesVersion
    func score(_ pod: PodInfo, _ nodes: [NodeInfo], _ feasible: [Int]) -> [Int64] {
        let requests = pod.requests
        return feasible.map { i -> Int64 in
            let n = nodes[i]
            guard n.allocatableMilliCPU > 0, n.allocatableMemory > 0 else { return 0 }
            let cpu = Double(n.nonZeroMilliCPU + requests.nonZeroMilliCPU) / Double(n.allocatableMilliCPU)
            let mem = Double(n.nonZeroMemory + requests.nonZeroMemory) / Double(n.allocatableMemory)
            if cpu >= 1 || mem >= 1 { return 0 }
            let diff = abs(cpu - mem)
            let spread = version == .v1_18 ? diff : diff / 2
            return Int64((1 - spread) * 100)
        }
    }
}

/// Spreading replicas of one controller across nodes (SelectorSpread in 1.18; the default
/// PodTopologySpread constraint on hostname today): fewer siblings on a node, higher score.
struct SelectorSpread: ScorePlugin {
    static let name = "SelectorSpread"
    let weight: Int64
    func score(_ pod: PodInfo, _ nodes: [NodeInfo], _ feasible: [Int]) -> [Int64] {
        let requests = pod.requests
        guard let owner = requests.ownerUID else { return feasible.map { _ in 0 } }
        let counts = feasible.map { Int64(nodes[$0].podsByOwner[owner] ?? 0) }
        let maxCount = counts.max() ?? 0
        return counts.map { maxCount > 0 ? 100 * (maxCount - $0) / maxCount : 100 }
    }
}

/// TaintToleration's score: fewer intolerable PreferNoSchedule taints is better.
struct TaintTolerationScore: ScorePlugin {
    static let name = "TaintToleration"
    let weight: Int64
    func score(_ pod: PodInfo, _ nodes: [NodeInfo], _ feasible: [Int]) -> [Int64] {
        let tolerations = pod.tolerations.filter { $0.effect.isEmpty || $0.effect == "PreferNoSchedule" }
        let counts = feasible.map { i in
            Int64(nodes[i].taints.filter { taint in
                taint.effect == "PreferNoSchedule" && !tolerations.contains { $0.tolerates(taint) }
            }.count)
        }
        let maxCount = counts.max() ?? 0
        return counts.map { maxCount > 0 ? 100 - 100 * $0 / maxCount : 100 }
    }
}
