/// Every user-visible string that differs between the Kubernetes versions kubesim imitates
/// (`KubernetesVersion`), in one place. Sources: reference/kubernetes-behaviour.md §1.
struct Wording: Sendable {
    let version: KubernetesVersion

    /// Deployment controller, `ScalingReplicaSet`. ≤1.25: `Scaled up replica set X to 3`;
    /// ≥1.32: `Scaled up replica set X from 0 to 3` (GH#125118).
    func scaledReplicaSet(up: Bool, name: String, from: Int, to: Int) -> String {
        let direction = up ? "up" : "down"
        switch version {
        case .v1_18: return "Scaled \(direction) replica set \(name) to \(to)"
        case .v1_36: return "Scaled \(direction) replica set \(name) from \(from) to \(to)"
        }
    }

    /// kubelet `Pulled` after a pull. 1.18: no duration; ≥1.30 with duration and size.
    /// (The kubelet's messages that every container records are written with `concatenating`,
    /// once into a string of their size; an interpolation grows the string piece by piece.)
    func pulledImage(_ image: String, took: Duration, sizeBytes: Int) -> String {
        switch version {
        case .v1_18: return .concatenating("Successfully pulled image \"", image, "\"")
        case .v1_36:
            let d = took.goStringMillis
            return "Successfully pulled image \"\(image)\" in \(d) (\(d) including waiting). Image size: \(sizeBytes) bytes."
        }
    }

    /// kubelet `Pulled` when the image is already on the node.
    func imagePresent(_ image: String) -> String {
        switch version {
        case .v1_18: return "Container image \"\(image)\" already present on machine"
        case .v1_36: return "Container image \"\(image)\" already present on machine and can be accessed by the pod"
        }
    }

    /// kubelet `Created`: ≤1.31 `Created container nginx`; ≥1.35 `Container created`.
    func createdContainer(_ name: String) -> String {
        switch version {
        case .v1_18: return .concatenating("Created container ", name)
        case .v1_36: return "Container created"
        }
    }

    /// kubelet `Started`: ≤1.34 `Started container nginx`; ≥1.35 `Container started`.
    func startedContainer(_ name: String) -> String {
        switch version {
        case .v1_18: return .concatenating("Started container ", name)
        case .v1_36: return "Container started"
        }
    }

    /// TaintToleration's filter reason. ≤1.23 named the taint; ≥1.35 does not.
    func untoleratedTaint(key: String, value: String) -> String {
        switch version {
        case .v1_18: return "node(s) had taint {\(key): \(value)}, that the pod didn't tolerate"
        case .v1_36: return "node(s) had untolerated taint(s)"
        }
    }

    /// NodeAffinity's filter reason (≤1.20 without "/selector").
    var nodeAffinityMismatch: String {
        switch version {
        case .v1_18: return "node(s) didn't match node selector"
        case .v1_36: return "node(s) didn't match Pod's node affinity/selector"
        }
    }

    /// The control-plane role label minikube and kubeadm put on the first node.
    var controlPlaneRoleLabel: String {
        switch version {
        case .v1_18: return "node-role.kubernetes.io/master"
        case .v1_36: return "node-role.kubernetes.io/control-plane"
        }
    }

    /// Whether FailedScheduling carries the preemption suffix (1.18 printed no PostFilter text).
    var reportsPreemption: Bool { version == .v1_36 }
}

extension Wording {
    /// The victim's `Preempted` event (framework/preemption/preemption.go prepareCandidate):
    /// today by the preemptor's uid; 1.18 (core/generic_scheduler) by namespace/name.
    func preempted(by pod: PodInfo, node: String) -> String {
        switch version {
        case .v1_18: return "Preempted by \(pod.namespace)/\(pod.name) on node \(node)"
        case .v1_36: return "Preempted by pod \(pod.uid) on node \(node)"
        }
    }
}
