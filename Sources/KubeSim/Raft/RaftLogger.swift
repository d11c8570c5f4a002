/// Severity of a Raft log line, printed as etcd-io/raft prints it in its interaction tests.
enum RaftLogLevel: Int, Sendable, Comparable, CustomStringConvertible {
    case debug, info, warn, error

    static func < (a: RaftLogLevel, b: RaftLogLevel) -> Bool { a.rawValue < b.rawValue }

    var description: String {
        switch self {
        case .debug: "DEBUG"
        case .info: "INFO"
        case .warn: "WARN"
        case .error: "ERROR"
        }
    }
}

/// Where a member's state changes are reported ("1 became leader at term 1"). Optional: with
/// no sink, no line is even formatted.
protocol RaftLogSink: AnyObject {
    var minimumLevel: RaftLogLevel { get }
    func log(_ level: RaftLogLevel, _ line: String)
}
