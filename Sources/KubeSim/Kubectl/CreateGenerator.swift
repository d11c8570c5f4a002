/// A generator subcommand of `kubectl create` kubesim emulates (`deployment`, `namespace`,
/// `configmap`, `secret generic`, `secret docker-registry`, `priorityclass`,
/// `poddisruptionbudget`): the resource it makes, the flags each release defines for it, and
/// how each release reports a create the server refused.
///
/// Upstream: `KK:staging/src/k8s.io/kubectl/pkg/cmd/create/create_*.go`; in 1.18 the objects
/// come from `pkg/generate/versioned/*.go` through `CreateSubcommandOptions`.
enum CreateGenerator {
    case deployment, namespace, configMap, secretGeneric, secretDockerRegistry, priorityClass, podDisruptionBudget

    /// What a word after `create` names in a release.
    enum Lookup {
        case generator(CreateGenerator)
        /// `secret`, whose own subcommand (`generic`, `docker-registry`, `tls`) follows.
        case secret
        /// A subcommand the release has, for a kind kubesim does not serve or cannot make
        /// without files: the message that says so.
        case refused(String)
    }

    /// The subcommand `word` names (or one of its aliases), as cobra finds it; nil when the
    /// release has no such subcommand.
    static func lookup(_ word: String, _ version: KubernetesVersion) -> Lookup? {
        switch word {
        case "deployment", "deploy": return .generator(.deployment)
        case "namespace", "ns": return .generator(.namespace)
        case "configmap", "cm": return .generator(.configMap)
        case "priorityclass", "pc": return .generator(.priorityClass)
        case "poddisruptionbudget", "pdb": return .generator(.podDisruptionBudget)
        case "secret": return .secret
        case "service", "svc":
            // Stored, but nothing allocates the cluster IP or node port kubectl's Service
            // would be shown with.
            return .refused("error: kubesim stores Services but allocates no cluster IPs or node ports, so "
                + "\"kubectl create service\" is not emulated yet; apply a Service manifest with \"kubectl create -f -\"")
        default: break
        }
        let unserved: [(names: [String], command: String, kinds: String, since136: Bool)] = [
            (["clusterrole"], "clusterrole", "ClusterRoles", false),
            (["clusterrolebinding"], "clusterrolebinding", "ClusterRoleBindings", false),
            (["role"], "role", "Roles", false),
            (["rolebinding"], "rolebinding", "RoleBindings", false),
            (["job"], "job", "Jobs", false),
            (["cronjob", "cj"], "cronjob", "CronJobs", false),
            (["quota", "resourcequota"], "quota", "ResourceQuotas", false),
            (["serviceaccount", "sa"], "serviceaccount", "ServiceAccounts", false),
            (["ingress", "ing"], "ingress", "Ingresses", true),
            (["token"], "token", "ServiceAccounts or their tokens", true),
        ]
        guard let entry = unserved.first(where: { $0.names.contains(word) }),
              !entry.since136 || version == .v1_36 else { return nil }
        return .refused("error: kubesim does not serve \(entry.kinds) yet, so \"kubectl create \(entry.command)\" is not emulated")
    }

    /// `create secret tls` reads its certificate and key from files.
    static let secretTLSRefusal = "error: kubesim has no file system to read --cert and --key from, so "
        + "\"kubectl create secret tls\" is not emulated; apply a kubernetes.io/tls Secret manifest with \"kubectl create -f -\""

    /// cobra's CommandPath: what usage errors name (the command's name, never the alias used).
    var commandPath: String {
        switch self {
        case .deployment: "kubectl create deployment"
        case .namespace: "kubectl create namespace"
        case .configMap: "kubectl create configmap"
        case .secretGeneric: "kubectl create secret generic"
        case .secretDockerRegistry: "kubectl create secret docker-registry"
        case .priorityClass: "kubectl create priorityclass"
        case .podDisruptionBudget: "kubectl create poddisruptionbudget"
        }
    }

    /// The resource the object is created as.
    var resource: String {
        switch self {
        case .deployment: "deployments"
        case .namespace: "namespaces"
        case .configMap: "configmaps"
        case .secretGeneric, .secretDockerRegistry: "secrets"
        case .priorityClass: "priorityclasses"
        case .podDisruptionBudget: "poddisruptionbudgets"
        }
    }

    /// The flags of kubesim's parser the command defines in `version`: the printer, dry-run
    /// and namespace flags every one has, and its own. (`--save-config`, `--validate` and the
    /// like are not parsed by kubesim at all.)
    func defines(_ flag: String, _ version: KubernetesVersion) -> Bool {
        let common = ["-n", "--namespace", "-o", "--output", "--template", "--allow-missing-template-keys", "--dry-run"]
        if common.contains(flag) { return true }
        let own: [String]
        switch self {
        case .deployment:
            // 1.18 builds from the image list alone: --replicas and --port came in 1.19.
            own = version == .v1_18 ? ["--image"] : ["--image", "--port", "--replicas", "-r"]
        case .namespace: own = []
        case .configMap: own = ["--from-literal", "--from-file", "--from-env-file", "--append-hash"]
        case .secretGeneric: own = ["--from-literal", "--from-file", "--from-env-file", "--append-hash", "--type"]
        case .secretDockerRegistry:
            own = ["--docker-username", "--docker-password", "--docker-email", "--docker-server", "--append-hash", "--from-file"]
        case .priorityClass: own = ["--value", "--global-default", "--description", "--preemption-policy"]
        case .podDisruptionBudget: own = ["--selector", "--min-available", "--max-unavailable"]
        }
        return own.contains(flag)
    }

    /// The flags cobra requires (`MarkFlagRequired`), by name, sorted as cobra visits them.
    func requiredFlags(_ version: KubernetesVersion) -> [String] {
        switch self {
        case .deployment: ["image"]
        case .secretDockerRegistry: version == .v1_18 ? ["docker-password", "docker-username"] : []
        case .namespace, .configMap, .secretGeneric, .priorityClass, .podDisruptionBudget: []
        }
    }

    /// How 1.36's typed clients wrap the server's error (`fmt.Errorf("failed to create
    /// deployment: %v", err)`), printed as a plain error rather than as the server's Status;
    /// nil where the error is returned as it is. 1.18's dynamic client never wraps.
    var failurePrefix136: String? {
        switch self {
        case .deployment: "failed to create deployment: "
        case .namespace: nil
        case .configMap: "failed to create configmap: "
        // Without the colon, as create_secret.go writes it.
        case .secretGeneric, .secretDockerRegistry: "failed to create secret "
        case .priorityClass: "failed to create priorityclass: "
        case .podDisruptionBudget: "failed to create poddisruptionbudgets: "
        }
    }

    /// Whether a dry run sets the namespace `-n` gave: 1.18's `CreateSubcommandOptions.Run`
    /// sets it on whatever it built, cluster-scoped or not; 1.36's commands only on the
    /// namespaced kinds.
    func dryRunTakesNamespace(_ version: KubernetesVersion) -> Bool {
        switch self {
        case .namespace, .priorityClass: version == .v1_18
        case .deployment, .configMap, .secretGeneric, .secretDockerRegistry, .podDisruptionBudget: true
        }
    }
}
