/// The result of one plugin at one extension point (framework/interface.go Status).
struct Status {
    enum Code {
        case success
        /// Preemption might help (NodeResourcesFit, NodePorts, …).
        case unschedulable
        /// Preemption cannot help (NodeName, TaintToleration, NodeAffinity, …).
        case unschedulableAndUnresolvable
        /// PreFilter / PreScore: the plugin has nothing to do for this pod; its Filter or
        /// Score is not run.
        case skip
    }

    var code: Code
    var reasons: [String]
    var plugin: String

    static let success = Status(code: .success, reasons: [], plugin: "")
    static let skip = Status(code: .skip, reasons: [], plugin: "")

    static func unschedulable(_ plugin: String, _ reasons: String...) -> Status {
        Status(code: .unschedulable, reasons: reasons, plugin: plugin)
    }

    static func unresolvable(_ plugin: String, _ reasons: String...) -> Status {
        Status(code: .unschedulableAndUnresolvable, reasons: reasons, plugin: plugin)
    }

    var isSuccess: Bool { code == .success }
    var isRejection: Bool { code == .unschedulable || code == .unschedulableAndUnresolvable }
}
