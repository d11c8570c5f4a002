/// The `kubectl get` flags that shape a table (`cli-runtime/pkg/printers` `PrintOptions`).
public struct PrintOptions: Sendable {
    /// `-o wide`: also print the columns the server marks priority 1.
    public var wide = false
    /// `--show-labels`: a last `LABELS` column of sorted `k=v` pairs.
    public var showLabels = false
    /// `-A` / `--all-namespaces`: a first `NAMESPACE` column.
    public var allNamespaces = false
    /// `-L key` (repeatable): one column per key, headed by the key's last `/` segment upper-cased.
    public var labelColumns: [String] = []
    /// `--no-headers`.
    public var noHeaders = false
    /// Set when one `get` prints several resource types (`get deploy,rs`, `get all`): the
    /// NAME column reads `<kind>[.<group>]/<name>`, `deployment.apps/web` (kubectl's
    /// `--show-kind`, implied then).
    public var kind: String?
    /// Whose kubectl and API server to imitate: cell rules changed between 1.18 and 1.36.
    public var version: KubernetesVersion = .v1_18

    public init() {}
}
