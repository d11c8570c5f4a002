/// A change in the cluster that may make unschedulable pods schedulable
/// (framework/events.go ClusterEvent), and which plugins' rejections it may undo
/// (each plugin's EventsToRegister).
enum ClusterEvent: String {
    case nodeAdd = "NodeAdd"
    /// Only changes the scheduler looks at: labels, taints, unschedulable, allocatable.
    case nodeUpdate = "NodeUpdate"
    case assignedPodAdd = "AssignedPodAdd"
    case assignedPodUpdate = "AssignedPodUpdate"
    case assignedPodDelete = "AssignedPodDelete"
    /// PodDisruptionBudget's absence aside, the 5-minute flush and pod updates move pods too.
    case unschedulableTimeout = "UnschedulableTimeout"

    /// Whether a pod rejected by `plugin` might now fit.
    func mayHelp(_ plugin: String) -> Bool {
        switch self {
        case .unschedulableTimeout: return true
        case .nodeAdd:
            return true
        case .nodeUpdate:
            return plugin != "NodeName" && plugin != "NodePorts"
        case .assignedPodAdd:
            return plugin == "PodTopologySpread" || plugin == "InterPodAffinity"
        case .assignedPodUpdate:
            return plugin == "PodTopologySpread" || plugin == "InterPodAffinity" || plugin == "NodeResourcesFit"
        case .assignedPodDelete:
            return ["NodeResourcesFit", "NodePorts", "PodTopologySpread", "InterPodAffinity"].contains(plugin)
        }
    }
}
