/// The DaemonSets a new minikube cluster runs in `kube-system`: `kube-proxy` (as kubeadm
/// installs it) and `kindnet` (minikube's CNI for multi-node clusters), as the seed's drain
/// transcript shows them. `ClusterConfig.systemDaemonSets` turns them off.
enum SystemDaemonSets {
    static func manifests(version: KubernetesVersion) -> [JSON] {
        [kindnet, kubeProxy(version)]
    }

    /// kubeadm's kube-proxy DaemonSet (cmd/kubeadm/app/phases/addons/proxy/manifests.go),
    /// without its ConfigMap volumes.
    static func kubeProxy(_ version: KubernetesVersion) -> JSON {
        [
            "apiVersion": "apps/v1", "kind": "DaemonSet",
            "metadata": ["name": "kube-proxy", "namespace": "kube-system", "labels": ["k8s-app": "kube-proxy"]],
            "spec": [
                "selector": ["matchLabels": ["k8s-app": "kube-proxy"]],
                "updateStrategy": ["type": "RollingUpdate"],
                "template": [
                    "metadata": ["labels": ["k8s-app": "kube-proxy"]],
                    "spec": [
                        "containers": [[
                            "name": "kube-proxy",
                            "image": .string("registry.k8s.io/kube-proxy:\(version.gitVersion)"),
                            "command": ["/usr/local/bin/kube-proxy", "--config=/var/lib/kube-proxy/config.conf",
                                        "--hostname-override=$(NODE_NAME)"],
                            "securityContext": ["privileged": true],
                        ]],
                        "hostNetwork": true,
                        "nodeSelector": ["kubernetes.io/os": "linux"],
                        "priorityClassName": "system-node-critical",
                        "serviceAccountName": "kube-proxy",
                        "tolerations": [["key": "CriticalAddonsOnly", "operator": "Exists"], ["operator": "Exists"]],
                    ],
                ],
            ],
        ]
    }

    /// minikube's kindnet DaemonSet (pkg/minikube/cni/kindnet.go).
    static let kindnet: JSON = [
        "apiVersion": "apps/v1", "kind": "DaemonSet",
        "metadata": [
            "name": "kindnet", "namespace": "kube-system",
            "labels": ["app": "kindnet", "k8s-app": "kindnet", "tier": "node"],
        ],
        "spec": [
            "selector": ["matchLabels": ["app": "kindnet"]],
            "template": [
                "metadata": ["labels": ["app": "kindnet", "k8s-app": "kindnet", "tier": "node"]],
                "spec": [
                    "hostNetwork": true,
                    "tolerations": [["operator": "Exists", "effect": "NoSchedule"]],
                    "serviceAccountName": "kindnet",
                    "containers": [[
                        "name": "kindnet-cni",
                        "image": "kindest/kindnetd:0.5.4",
                        "resources": [
                            "requests": ["cpu": "100m", "memory": "50Mi"],
                            "limits": ["cpu": "100m", "memory": "50Mi"],
                        ],
                        "securityContext": ["privileged": false, "capabilities": ["add": ["NET_RAW", "NET_ADMIN"]]],
                    ]],
                ],
            ],
        ],
    ]
}
