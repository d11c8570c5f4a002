/// FailedScheduling's text when no node fits (framework/types.go FitError.Error):
/// `0/N nodes are available: <histogram>.`, the histogram being `<count> <reason>` per
/// distinct reason, sorted as strings; a PreFilter rejection replaces the histogram.
enum FitError {
    static func message(nodeCount: Int, reasons: [String: Int]) -> String {
        let histogram = reasons.map { "\($0.value) \($0.key)" }.sorted().joined(separator: ", ")
        return "0/\(nodeCount) nodes are available: \(histogram)."
    }

    static func message(nodeCount: Int, preFilter: String) -> String {
        "0/\(nodeCount) nodes are available: \(preFilter)."
    }
}
