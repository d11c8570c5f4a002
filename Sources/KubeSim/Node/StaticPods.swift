/// The control plane's static pods, as kubeadm (and minikube) write them to the control-plane
/// node's manifest directory. The kubelet runs them and publishes a mirror pod for each
/// (`<name>-<node>` in kube-system), so the scheduler counts their requests on that node.
enum StaticPods {
    struct Manifest {
        var name: String
        var image: String
        var cpu: String
        var memory: String?
    }

    static func manifests(_ version: KubernetesVersion) -> [Manifest] {
        let registry = version == .v1_18 ? "k8s.gcr.io" : "registry.k8s.io"
        let tag = version.gitVersion
        let etcd = version == .v1_18 ? "3.4.3-0" : "3.6.5-0"
        return [
            Manifest(name: "etcd", image: "\(registry)/etcd:\(etcd)", cpu: "100m", memory: "100Mi"),
            Manifest(name: "kube-apiserver", image: "\(registry)/kube-apiserver:\(tag)", cpu: "250m", memory: nil),
            Manifest(name: "kube-controller-manager", image: "\(registry)/kube-controller-manager:\(tag)", cpu: "200m",
                     memory: nil),
            Manifest(name: "kube-scheduler", image: "\(registry)/kube-scheduler:\(tag)", cpu: "100m", memory: nil),
        ]
    }

    /// The mirror pod the kubelet creates for `manifest` (pkg/kubelet/pod/mirror_client.go):
    /// named after the node, owned by the Node, annotated as a mirror.
    static func mirrorPod(_ manifest: Manifest, node: JSON, now: VirtualTime) -> JSON {
        let hash = String(SeededRandom.fnv1a64(manifest.name + manifest.image) & 0xffff_ffff, radix: 16)
        var requests: JSON = ["cpu": .string(manifest.cpu)]
        if let memory = manifest.memory { requests["memory"] = .string(memory) }
        return [
            "apiVersion": "v1", "kind": "Pod",
            "metadata": [
                "name": .string("\(manifest.name)-\(node.name)"), "namespace": "kube-system",
                "labels": ["component": .string(manifest.name), "tier": "control-plane"],
                "annotations": [
                    "kubernetes.io/config.hash": .string(hash), "kubernetes.io/config.mirror": .string(hash),
                    "kubernetes.io/config.seen": .string(now.rfc3339Micro), "kubernetes.io/config.source": "file",
                ],
                "ownerReferences": [["apiVersion": "v1", "kind": "Node", "name": .string(node.name),
                                     "uid": .string(node.uid), "controller": true]],
            ],
            "spec": [
                "containers": [[
                    "name": .string(manifest.name), "image": .string(manifest.image),
                    "imagePullPolicy": "IfNotPresent", "resources": ["requests": requests],
                ]],
                "hostNetwork": true,
                "nodeName": .string(node.name),
                "priorityClassName": "system-node-critical",
                "tolerations": [["operator": "Exists", "effect": "NoExecute"]],
            ],
        ]
    }
}
