/// policy/v1: `printPodDisruptionBudget` in `KK:pkg/printers/internalversion/printers.go`.
extension TablePrinter {
    static let podDisruptionBudgetTable = ResourceTable(
        columns: [.init("Name"), .init("Min Available"), .init("Max Unavailable"), .init("Allowed Disruptions"), .init("Age")]
    ) { pdb, ctx in
        // An IntOrString prints as its number or its text; an absent one as N/A. Not
        // `Describe.intOrString`, which also reads a whole-number double (`3.0`) as a number.
        func intOrString(_ v: JSON) -> String {
            switch v {
            case .int(let i): return String(i)
            case .string(let s): return s
            default: return "N/A"
            }
        }
        return [
            name(pdb), intOrString(pdb["spec", "minAvailable"]), intOrString(pdb["spec", "maxUnavailable"]),
            String(int(pdb["status", "disruptionsAllowed"])), age(pdb, ctx),
        ]
    }
}
