/// Which upstream release the cluster imitates in its wording and printing.
///
/// The seed document was written against Kubernetes 1.18, so its wording is the default;
/// `.v1_36` selects current upstream's. Every string that differs between the two lives in
/// `Wording`, one table per version, never scattered through components.
public enum KubernetesVersion: String, Sendable, CaseIterable {
    case v1_18 = "1.18"
    case v1_36 = "1.36"

    /// `status.nodeInfo.kubeletVersion` and `kubectl version` output.
    public var gitVersion: String {
        switch self {
        case .v1_18: return "v1.18.0"
        case .v1_36: return "v1.36.0"
        }
    }
}
