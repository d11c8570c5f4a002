/// `kubectl describe poddisruptionbudget`: `describePodDisruptionBudget` in 1.18, which read
/// the budget as policy/v1beta1, and `describePodDisruptionBudgetV1` in 1.36 (`describe.go`).
/// Both print the same fields from the same names.
extension Cluster {
    /// The budget's bound (minAvailable when set, else maxUnavailable), its selector, the
    /// DisruptionController's counts and the events about it.
    func describePodDisruptionBudget(_ pdb: JSON, showEvents: Bool) -> String {
        var w = DescribeWriter(version: config.version)
        w.write(0, "Name:\t\(pdb.name)\n")
        w.write(0, "Namespace:\t\(pdb.namespace)\n")
        let spec = pdb["spec"], status = pdb["status"]
        if !spec["minAvailable"].isNull {
            w.write(0, "Min available:\t\(Describe.intOrString(spec["minAvailable"]))\n")
        } else if !spec["maxUnavailable"].isNull {
            w.write(0, "Max unavailable:\t\(Describe.intOrString(spec["maxUnavailable"]))\n")
        }
        // A nil selector is "<unset>"; an empty one selects everything and formats as "<none>".
        if spec["selector"].isNull {
            w.write(0, "Selector:\t<unset>\n")
        } else {
            w.write(0, "Selector:\t\(TablePrinter.formatLabelSelector(spec["selector"]))\n")
        }
        w.write(0, "Status:\n")
        w.write(2, "Allowed disruptions:\t\(status["disruptionsAllowed"].int ?? 0)\n")
        w.write(2, "Current:\t\(status["currentHealthy"].int ?? 0)\n")
        w.write(2, "Desired:\t\(status["desiredHealthy"].int ?? 0)\n")
        w.write(2, "Total:\t\(status["expectedPods"].int ?? 0)\n")
        if showEvents {
            Describe.events(&w, events(about: pdb.name, namespace: pdb.namespace, kind: "PodDisruptionBudget",
                                       uid: pdb.uid), now: now)
        }
        return w.finish()
    }
}
