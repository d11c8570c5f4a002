import XCTest
@testable import KubeSim

/// `kubectl describe node` as kubectl 1.18 and 1.36 print it: the node, its lease, the pods on
/// it with their requests and limits as shares of what it can allocate, and its events.
final class KubectlDescribeNodeTests: XCTestCase {
    /// Two minikube nodes without the system DaemonSets, 30 s after start: the control-plane
    /// node runs the four static pods, whose requests the Allocated resources table sums.
    private func cluster(_ version: KubernetesVersion) throws -> Cluster {
        let config = #"{"nodes": 2, "systemDaemonSets": false, "kubernetesVersion": "\#(version.rawValue)"}"#
        let c = Cluster(config: try ClusterConfig.parse(JSON.parse(config)).get())
        c.run(for: .seconds(30))
        return c
    }

    private func describe(_ c: Cluster, _ args: String) -> String {
        let result = c.kubectl(["describe", "node"] + args.split(separator: " ").map(String.init))
        XCTAssertEqual(result.stderr, "")
        return result.stdout
    }

    /// 1.18 prints the kube-proxy version and an `AGE` column, and finds only the events the
    /// kubelet reports (it refers to the node by name), not the node controller's.
    func testMinikubeV1_18() throws {
        let c = try cluster(.v1_18)
        let expected = """
            Name:               minikube
            Roles:              master
            Labels:             beta.kubernetes.io/arch=amd64
                                beta.kubernetes.io/os=linux
                                kubernetes.io/arch=amd64
                                kubernetes.io/hostname=minikube
                                kubernetes.io/os=linux
                                node-role.kubernetes.io/master=
            Annotations:        node.alpha.kubernetes.io/ttl: 0
                                volumes.kubernetes.io/controller-managed-attach-detach: true
            CreationTimestamp:  Mon, 01 Jan 2024 00:00:00 +0000
            Taints:             <none>
            Unschedulable:      false
            Lease:
              HolderIdentity:  minikube
              AcquireTime:     <unset>
              RenewTime:       Mon, 01 Jan 2024 00:00:20 +0000
            Conditions:
              Type             Status  LastHeartbeatTime                 LastTransitionTime                Reason                       Message
              ----             ------  -----------------                 ------------------                ------                       -------
              MemoryPressure   False   Mon, 01 Jan 2024 00:00:00 +0000   Mon, 01 Jan 2024 00:00:00 +0000   KubeletHasSufficientMemory   kubelet has sufficient memory available
              DiskPressure     False   Mon, 01 Jan 2024 00:00:00 +0000   Mon, 01 Jan 2024 00:00:00 +0000   KubeletHasNoDiskPressure     kubelet has no disk pressure
              PIDPressure      False   Mon, 01 Jan 2024 00:00:00 +0000   Mon, 01 Jan 2024 00:00:00 +0000   KubeletHasSufficientPID      kubelet has sufficient PID available
              Ready            True    Mon, 01 Jan 2024 00:00:00 +0000   Mon, 01 Jan 2024 00:00:00 +0000   KubeletReady                 kubelet is posting ready status
            Addresses:
              InternalIP:  192.168.49.2
              Hostname:    minikube
            Capacity:
              cpu:                2
              ephemeral-storage:  100Gi
              hugepages-2Mi:      0
              memory:             4Gi
              pods:               110
            Allocatable:
              cpu:                2
              ephemeral-storage:  100Gi
              hugepages-2Mi:      0
              memory:             4Gi
              pods:               110
            System Info:
              Machine ID:                 3daf90c9553cfc9f
              System UUID:                3daf90c9553cfc9f
              Boot ID:                    3daf90c9553cfc9f
              Kernel Version:             5.15.0-kubesim
              OS Image:                   Ubuntu 22.04 LTS (kubesim)
              Operating System:           linux
              Architecture:               amd64
              Container Runtime Version:  containerd://1.7.0
              Kubelet Version:            v1.18.0
              Kube-Proxy Version:         v1.18.0
            PodCIDR:                      10.244.0.0/24
            PodCIDRs:                     10.244.0.0/24
            Non-terminated Pods:          (4 in total)
              Namespace                   Name                                CPU Requests  CPU Limits  Memory Requests  Memory Limits  AGE
              ---------                   ----                                ------------  ----------  ---------------  -------------  ---
              kube-system                 etcd-minikube                       100m (5%)     0 (0%)      100Mi (2%)       0 (0%)         30s
              kube-system                 kube-apiserver-minikube             250m (12%)    0 (0%)      0 (0%)           0 (0%)         30s
              kube-system                 kube-controller-manager-minikube    200m (10%)    0 (0%)      0 (0%)           0 (0%)         30s
              kube-system                 kube-scheduler-minikube             100m (5%)     0 (0%)      0 (0%)           0 (0%)         30s
            Allocated resources:
              (Total limits may be over 100 percent, i.e., overcommitted.)
              Resource           Requests    Limits
              --------           --------    ------
              cpu                650m (32%)  0 (0%)
              memory             100Mi (2%)  0 (0%)
              ephemeral-storage  0 (0%)      0 (0%)
              hugepages-2Mi      0 (0%)      0 (0%)
            Events:
              Type    Reason                   Age   From     Message
              ----    ------                   ----  ----     -------
              Normal  Starting                 30s   kubelet  Starting kubelet.
              Normal  NodeHasSufficientMemory  30s   kubelet  Node minikube status is now: NodeHasSufficientMemory
              Normal  NodeHasNoDiskPressure    30s   kubelet  Node minikube status is now: NodeHasNoDiskPressure
              Normal  NodeHasSufficientPID     30s   kubelet  Node minikube status is now: NodeHasSufficientPID
              Normal  NodeAllocatableEnforced  30s   kubelet  Updated Node Allocatable limit across pods
              Normal  NodeReady                30s   kubelet  Node minikube status is now: NodeReady

            """
        XCTAssertEqual(describe(c, "minikube"), expected)
        // Without events nothing else moves: the table was aligned on its own.
        let withoutEvents = try XCTUnwrap(expected.range(of: "Events:\n")).lowerBound
        XCTAssertEqual(describe(c, "minikube --show-events=false"), String(expected[..<withoutEvents]))
    }

    /// 1.36 drops the kube-proxy version, titles the column `Age`, and adds the node
    /// controller's events (which refer to the node by uid) to the kubelet's.
    func testMinikubeV1_36() throws {
        let c = try cluster(.v1_36)
        let expected = """
            Name:               minikube
            Roles:              control-plane
            Labels:             beta.kubernetes.io/arch=amd64
                                beta.kubernetes.io/os=linux
                                kubernetes.io/arch=amd64
                                kubernetes.io/hostname=minikube
                                kubernetes.io/os=linux
                                node-role.kubernetes.io/control-plane=
            Annotations:        node.alpha.kubernetes.io/ttl: 0
                                volumes.kubernetes.io/controller-managed-attach-detach: true
            CreationTimestamp:  Mon, 01 Jan 2024 00:00:00 +0000
            Taints:             <none>
            Unschedulable:      false
            Lease:
              HolderIdentity:  minikube
              AcquireTime:     <unset>
              RenewTime:       Mon, 01 Jan 2024 00:00:20 +0000
            Conditions:
              Type             Status  LastHeartbeatTime                 LastTransitionTime                Reason                       Message
              ----             ------  -----------------                 ------------------                ------                       -------
              MemoryPressure   False   Mon, 01 Jan 2024 00:00:00 +0000   Mon, 01 Jan 2024 00:00:00 +0000   KubeletHasSufficientMemory   kubelet has sufficient memory available
              DiskPressure     False   Mon, 01 Jan 2024 00:00:00 +0000   Mon, 01 Jan 2024 00:00:00 +0000   KubeletHasNoDiskPressure     kubelet has no disk pressure
              PIDPressure      False   Mon, 01 Jan 2024 00:00:00 +0000   Mon, 01 Jan 2024 00:00:00 +0000   KubeletHasSufficientPID      kubelet has sufficient PID available
              Ready            True    Mon, 01 Jan 2024 00:00:00 +0000   Mon, 01 Jan 2024 00:00:00 +0000   KubeletReady                 kubelet is posting ready status
            Addresses:
              InternalIP:  192.168.49.2
              Hostname:    minikube
            Capacity:
              cpu:                2
              ephemeral-storage:  100Gi
              hugepages-2Mi:      0
              memory:             4Gi
              pods:               110
            Allocatable:
              cpu:                2
              ephemeral-storage:  100Gi
              hugepages-2Mi:      0
              memory:             4Gi
              pods:               110
            System Info:
              Machine ID:                 3daf90c9553cfc9f
              System UUID:                3daf90c9553cfc9f
              Boot ID:                    3daf90c9553cfc9f
              Kernel Version:             5.15.0-kubesim
              OS Image:                   Ubuntu 22.04 LTS (kubesim)
              Operating System:           linux
              Architecture:               amd64
              Container Runtime Version:  containerd://1.7.0
              Kubelet Version:            v1.36.0
            PodCIDR:                      10.244.0.0/24
            PodCIDRs:                     10.244.0.0/24
            Non-terminated Pods:          (4 in total)
              Namespace                   Name                                CPU Requests  CPU Limits  Memory Requests  Memory Limits  Age
              ---------                   ----                                ------------  ----------  ---------------  -------------  ---
              kube-system                 etcd-minikube                       100m (5%)     0 (0%)      100Mi (2%)       0 (0%)         30s
              kube-system                 kube-apiserver-minikube             250m (12%)    0 (0%)      0 (0%)           0 (0%)         30s
              kube-system                 kube-controller-manager-minikube    200m (10%)    0 (0%)      0 (0%)           0 (0%)         30s
              kube-system                 kube-scheduler-minikube             100m (5%)     0 (0%)      0 (0%)           0 (0%)         30s
            Allocated resources:
              (Total limits may be over 100 percent, i.e., overcommitted.)
              Resource           Requests    Limits
              --------           --------    ------
              cpu                650m (32%)  0 (0%)
              memory             100Mi (2%)  0 (0%)
              ephemeral-storage  0 (0%)      0 (0%)
              hugepages-2Mi      0 (0%)      0 (0%)
            Events:
              Type    Reason                   Age   From             Message
              ----    ------                   ----  ----             -------
              Normal  Starting                 30s   kubelet          Starting kubelet.
              Normal  NodeHasSufficientMemory  30s   kubelet          Node minikube status is now: NodeHasSufficientMemory
              Normal  NodeHasNoDiskPressure    30s   kubelet          Node minikube status is now: NodeHasNoDiskPressure
              Normal  NodeHasSufficientPID     30s   kubelet          Node minikube status is now: NodeHasSufficientPID
              Normal  NodeAllocatableEnforced  30s   kubelet          Updated Node Allocatable limit across pods
              Normal  NodeReady                30s   kubelet          Node minikube status is now: NodeReady
              Normal  RegisteredNode           25s   node-controller  Node minikube event: Registered Node minikube in Controller

            """
        XCTAssertEqual(describe(c, "minikube"), expected)
        let withoutEvents = try XCTUnwrap(expected.range(of: "Events:\n")).lowerBound
        XCTAssertEqual(describe(c, "minikube --show-events=false"), String(expected[..<withoutEvents]))
    }

    /// Three pods on the worker: `app` sums two containers (0.5 cpu and 250m; 128Mi and 100M,
    /// which has no binary suffix) and takes its init container's larger cpu; `sidecar` has a
    /// sidecar before an init container; `small` adds its overhead to its requests and to its
    /// non-zero limits.
    private static let pods = """
        apiVersion: v1
        kind: Pod
        metadata: {name: app}
        spec:
          nodeName: minikube-m02
          initContainers:
          - name: init
            image: busybox
            resources: {requests: {cpu: 800m, memory: 64Mi}}
          containers:
          - name: a
            image: nginx
            resources:
              requests: {cpu: "0.5", memory: 128Mi, ephemeral-storage: 1Gi}
              limits: {cpu: "1", memory: 256Mi}
          - name: b
            image: nginx
            resources:
              requests: {cpu: 250m, memory: 100M}
              limits: {memory: 200M}
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: sidecar}
        spec:
          nodeName: minikube-m02
          initContainers:
          - name: log
            image: busybox
            restartPolicy: Always
            resources: {requests: {cpu: 100m, memory: 32Mi}}
          - name: setup
            image: busybox
            resources: {requests: {cpu: 800m}}
          containers:
          - name: main
            image: nginx
            resources: {requests: {cpu: 300m, memory: 32Mi}}
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: small}
        spec:
          nodeName: minikube-m02
          overhead: {cpu: 50m, memory: 16Mi}
          containers:
          - name: c
            image: nginx
            resources:
              requests: {cpu: 100m, memory: 64Mi}
              limits: {cpu: 200m, memory: 64Mi}
        """

    private func podsTable(_ version: KubernetesVersion) throws -> String {
        let c = try cluster(version)
        // 1.18 has no restartPolicy for a container (its kubectl refuses the field; its
        // server drops it): the sidecar is an ordinary init container there.
        c.applyOK(version == .v1_18 ? Self.pods.replacingOccurrences(of: "    restartPolicy: Always\n", with: "") : Self.pods)
        c.run(for: .seconds(60))
        let out = describe(c, "minikube-m02 --show-events=false")
        let start = try XCTUnwrap(out.range(of: "Non-terminated Pods:")).lowerBound
        return String(out[start...])
    }

    /// 1.18 takes the largest init container (800m) for `sidecar`, sidecar or not.
    func testRequestsAndLimitsV1_18() throws {
        XCTAssertEqual(try podsTable(.v1_18), """
            Non-terminated Pods:          (3 in total)
              Namespace                   Name       CPU Requests  CPU Limits  Memory Requests  Memory Limits    AGE
              ---------                   ----       ------------  ----------  ---------------  -------------    ---
              default                     app        800m (40%)    1 (50%)     234217728 (5%)   468435456 (10%)  60s
              default                     sidecar    800m (40%)    0 (0%)      32Mi (0%)        0 (0%)           60s
              default                     small      150m (7%)     250m (12%)  80Mi (1%)        80Mi (1%)        60s
            Allocated resources:
              (Total limits may be over 100 percent, i.e., overcommitted.)
              Resource           Requests        Limits
              --------           --------        ------
              cpu                1750m (87%)     1250m (62%)
              memory             351658240 (8%)  552321536 (12%)
              ephemeral-storage  1Gi (1%)        0 (0%)
              hugepages-2Mi      0 (0%)          0 (0%)

            """)
    }

    /// 1.36 counts the sidecar beside the containers (400m, 64Mi) and under the init container
    /// that follows it (800m + 100m), and takes the larger.
    func testRequestsAndLimitsV1_36() throws {
        XCTAssertEqual(try podsTable(.v1_36), """
            Non-terminated Pods:          (3 in total)
              Namespace                   Name       CPU Requests  CPU Limits  Memory Requests  Memory Limits    Age
              ---------                   ----       ------------  ----------  ---------------  -------------    ---
              default                     app        800m (40%)    1 (50%)     234217728 (5%)   468435456 (10%)  60s
              default                     sidecar    900m (45%)    0 (0%)      64Mi (1%)        0 (0%)           60s
              default                     small      150m (7%)     250m (12%)  80Mi (1%)        80Mi (1%)        60s
            Allocated resources:
              (Total limits may be over 100 percent, i.e., overcommitted.)
              Resource           Requests        Limits
              --------           --------        ------
              cpu                1850m (92%)     1250m (62%)
              memory             385212672 (8%)  552321536 (12%)
              ephemeral-storage  1Gi (1%)        0 (0%)
              hugepages-2Mi      0 (0%)          0 (0%)

            """)
    }

    /// A cordoned, tainted node with roles from both kinds of role label: taints by effect,
    /// then key (the node controller's `unschedulable` taint among them), and the kubelet's
    /// NodeNotSchedulable event.
    func testCordonedAndTainted() throws {
        for version in KubernetesVersion.allCases {
            let c = try cluster(version)
            XCTAssertEqual(c.kubectl(["taint", "nodes", "minikube-m02", "dedicated=gpu:NoSchedule"]).exitCode, 0)
            XCTAssertEqual(c.kubectl(["cordon", "minikube-m02"]).exitCode, 0)
            XCTAssertEqual(c.kubectl(["label", "node", "minikube-m02", "kubernetes.io/role=worker", "node-role.kubernetes.io/gpu="]).exitCode, 0)
            c.run(for: .seconds(10))
            let out = describe(c, "minikube-m02")
            XCTAssertTrue(out.hasPrefix("""
                Name:               minikube-m02
                Roles:              gpu,worker
                Labels:             beta.kubernetes.io/arch=amd64
                                    beta.kubernetes.io/os=linux
                                    kubernetes.io/arch=amd64
                                    kubernetes.io/hostname=minikube-m02
                                    kubernetes.io/os=linux
                                    kubernetes.io/role=worker
                                    node-role.kubernetes.io/gpu=
                Annotations:        node.alpha.kubernetes.io/ttl: 0
                                    volumes.kubernetes.io/controller-managed-attach-detach: true
                CreationTimestamp:  Mon, 01 Jan 2024 00:00:00 +0000
                Taints:             dedicated=gpu:NoSchedule
                                    node.kubernetes.io/unschedulable:NoSchedule
                Unschedulable:      true
                Lease:

                """), out)
            XCTAssertTrue(out.contains("  Normal  NodeNotSchedulable       10s   kubelet"), out)
        }
    }

    /// Without its Lease, 1.18 prints the lease's fields unset; 1.36 says why it has none.
    func testMissingLease() throws {
        for version in KubernetesVersion.allCases {
            let c = try cluster(version)
            XCTAssertEqual(c.kubectl(["delete", "lease", "minikube-m02", "-n", "kube-node-lease"]).exitCode, 0)
            let out = describe(c, "minikube-m02")
            let lease = version == .v1_18
                ? "Unschedulable:      false\nLease:\n  HolderIdentity:  <unset>\n  AcquireTime:     <unset>\n  RenewTime:       <unset>\nConditions:\n"
                : "Unschedulable:      false\nLease:              Failed to get lease: leases.coordination.k8s.io \"minikube-m02\" not found\nConditions:\n"
            XCTAssertTrue(out.contains(lease), out)
        }
    }

    /// A node that reports no cpu or memory: each pod's share is a division by zero, which Go
    /// turns into the smallest int64 on amd64; the totals guard against it. Nothing missing
    /// from the node (conditions, capacity, creation time, labels) stops the description.
    func testNodeWithoutResources() throws {
        let c = try cluster(.v1_18)
        let node: JSON = ["metadata": ["name": "minikube"],
                          "status": ["allocatable": ["cpu": "0", "memory": "0", "example.com/gpu": "2"]]]
        let out = c.describeNode(node, showEvents: false)
        XCTAssertTrue(out.hasPrefix("""
            Name:               minikube
            Roles:              <none>
            Labels:             <none>
            Annotations:        <none>
            CreationTimestamp:  Mon, 01 Jan 0001 00:00:00 +0000
            Taints:             <none>
            Unschedulable:      false
            Lease:
              HolderIdentity:  minikube
              AcquireTime:     <unset>
              RenewTime:       Mon, 01 Jan 2024 00:00:20 +0000
            Addresses:
            Allocatable:
              cpu:              0
              example.com/gpu:  2
              memory:           0
            System Info:

            """), out)
        XCTAssertTrue(out.contains(
            "  kube-system                 etcd-minikube                       100m (-9223372036854775808%)  0 (-9223372036854775808%)  100Mi (-9223372036854775808%)  0 (-9223372036854775808%)  30s\n"), out)
        // Extended resources print without shares.
        XCTAssertTrue(out.hasSuffix("""
              cpu                650m (0%)   0 (0%)
              memory             100Mi (0%)  0 (0%)
              ephemeral-storage  0 (0%)      0 (0%)
              example.com/gpu    0           0

            """), out)
    }
}
