import XCTest
@testable import KubeSim

/// `kubectl describe`: which objects it prints, how it separates them, when it shows their
/// events, and the pod describer's text, as kubectl 1.18 and 1.36 print them.
final class KubectlDescribeTests: XCTestCase {
    private func seed(_ version: KubernetesVersion) -> Cluster {
        let c = Cluster.seedCluster(version: version)
        c.applyOK("""
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: nginx-deployment, labels: {app: nginx}}
            spec:
              replicas: 3
              selector: {matchLabels: {app: nginx}}
              template:
                metadata: {labels: {app: nginx}}
                spec:
                  containers: [{name: nginx, image: "nginx:1.15", ports: [{containerPort: 80}]}]
            """)
        c.run(for: .seconds(60))
        return c
    }

    private func run(_ c: Cluster, _ command: String) -> KubectlResult {
        c.kubectl(command.split(separator: " ").map(String.init))
    }

    /// Each object's text, as the command joined them.
    private func sections(_ text: String, separator: String) -> [String] {
        text.components(separatedBy: separator)
    }

    func testNamesPrefixesAndSelectors() throws {
        for version in [KubernetesVersion.v1_18, .v1_36] {
            let c = seed(version)
            let names = c.pods("app=nginx").map(\.name)
            XCTAssertEqual(names.count, 3)

            // One object: its events are shown.
            let one = run(c, "describe pod \(names[0])")
            XCTAssertEqual(one.exitCode, 0, one.stderr)
            XCTAssertTrue(one.stdout.hasPrefix("Name:         \(names[0])\nNamespace:    default\n"), one.stdout)
            XCTAssertTrue(one.stdout.contains("\nEvents:\n  Type    Reason     Age   From               Message\n"), one.stdout)
            XCTAssertEqual(run(c, "describe pods/\(names[0])").stdout, one.stdout)

            // No pod is called "nginx": every pod whose name starts with it, each followed by a
            // blank line; 1.36 leaves the events out unless asked for.
            let prefixed = run(c, "describe pod nginx")
            XCTAssertEqual(prefixed.exitCode, 0, prefixed.stderr)
            let parts = sections(prefixed.stdout, separator: "\n\nName:")
            XCTAssertEqual(parts.count, 3, prefixed.stdout)
            XCTAssertTrue(prefixed.stdout.hasSuffix("\n\n"))
            XCTAssertEqual(prefixed.stdout.contains("Events:"), version == .v1_18, prefixed.stdout)
            XCTAssertTrue(run(c, "describe pod nginx --show-events=true").stdout.contains("\nEvents:\n"))

            // A list or selection: objects separated by two blank lines, no trailing one; 1.36
            // shows events only when asked.
            let selected = run(c, "describe pods -l app=nginx")
            XCTAssertEqual(sections(selected.stdout, separator: "\n\n\nName:").count, 3, selected.stdout)
            XCTAssertFalse(selected.stdout.hasSuffix("\n\n"))
            XCTAssertEqual(selected.stdout.contains("Events:"), version == .v1_18)
            XCTAssertFalse(run(c, "describe pod \(names[0]) --show-events=false").stdout.contains("Events:"))

            // Nothing found; nothing matched; missing arguments; a kind without a describer.
            XCTAssertEqual(run(c, "describe pods -l app=none").stderr, "No resources found in default namespace.\n")
            let missing = run(c, "describe pod zzz")
            XCTAssertEqual(missing.stderr, "Error from server (NotFound): pods \"zzz\" not found\n")
            XCTAssertEqual(missing.exitCode, 1)
            XCTAssertEqual(run(c, "describe").stderr, "error: You must specify the type of resource to describe. "
                + "Use \"kubectl api-resources\" for a complete list of supported resources.\n")
            // Two names, one missing: the other is described, then the error.
            let mixed = run(c, "describe pod \(names[1]) zzz")
            XCTAssertTrue(mixed.stdout.hasPrefix("Name:         \(names[1])\n"))
            XCTAssertEqual(mixed.stdout.contains("Events:"), version == .v1_18)
            XCTAssertEqual(mixed.stderr, "Error from server (NotFound): pods \"zzz\" not found\n")
        }
    }

    /// A pod being deleted reads Terminating "(lasts <invalid>)": kubectl ages the deletion
    /// timestamp, which the API server sets a grace period ahead.
    func testTerminatingPod() throws {
        let c = seed(.v1_36)
        let name = try XCTUnwrap(c.pods("app=nginx").first?.name)
        _ = run(c, "scale deployment nginx-deployment --replicas=0")
        c.run(for: .millis(100))
        let text = run(c, "describe pod \(name)").stdout
        XCTAssertTrue(text.contains("\nStatus:                    Terminating (lasts <invalid>)\nTermination Grace Period:  30s\n"), text)
    }

    /// ConfigMaps list their data by key (1.36 adds BinaryData); Secrets only sizes; a
    /// namespace says it has no quota or limit range.
    func testConfigurationObjects() throws {
        let manifests = """
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: cfg, labels: {tier: web}}
            data: {b: two, a: one}
            ---
            apiVersion: v1
            kind: Secret
            metadata: {name: creds}
            type: Opaque
            stringData: {password: s3cret, user: admin}
            """
        let expected: [KubernetesVersion: String] = [
            .v1_18: """
                Name:         cfg
                Namespace:    default
                Labels:       tier=web
                Annotations:  <none>

                Data
                ====
                a:
                ----
                one
                b:
                ----
                two
                Events:  <none>

                """,
            .v1_36: """
                Name:         cfg
                Namespace:    default
                Labels:       tier=web
                Annotations:  <none>

                Data
                ====
                a:
                ----
                one

                b:
                ----
                two


                BinaryData
                ====

                Events:  <none>

                """,
        ]
        for version in [KubernetesVersion.v1_18, .v1_36] {
            let c = Cluster.seedCluster(version: version)
            let created = c.kubectl(["create", "-f", "-"], stdin: manifests)
            XCTAssertEqual(created.exitCode, 0, created.stderr)
            XCTAssertEqual(run(c, "describe configmap cfg").stdout, expected[version])
            XCTAssertEqual(run(c, "describe secret creds").stdout, """
                Name:         creds
                Namespace:    default
                Labels:       <none>
                Annotations:  <none>

                Type:  Opaque

                Data
                ====
                password:  6 bytes
                user:      5 bytes

                """)
            XCTAssertEqual(run(c, "describe ns default").stdout, """
                Name:         default
                Labels:       \(version == .v1_36 ? "kubernetes.io/metadata.name=default" : "<none>")
                Annotations:  <none>
                Status:       Active

                No resource quota.

                No LimitRange resource.

                """)
        }
    }

    /// kubectl 1.18 checked for annotations before leaving out the last-applied one, so an
    /// applied object with no other annotation printed nothing after the title.
    func testKubectl118LastAppliedQuirk() throws {
        let c = Cluster.seedCluster(version: .v1_18)
        c.applyOK("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cfg}\ndata: {a: one}\n")
        XCTAssertTrue(run(c, "describe cm cfg").stdout.hasPrefix("""
            Name:         cfg
            Namespace:    default
            Labels:       <none>
            Annotations:  \nData
            ====
            """), run(c, "describe cm cfg").stdout)
    }

    /// The seed's pod as kubectl prints it: 1.18's and 1.36's fields, the kubelet's condition
    /// order (PodScheduled last), and the events that started it.
    func testSeedPod() throws {
        let expected: [KubernetesVersion: String] = [
            .v1_18: """
                Name:         nginx-deployment-6c55cc944d-9vgnl
                Namespace:    default
                Priority:     0
                Node:         minikube-m02/192.168.49.3
                Start Time:   Mon, 01 Jan 2024 00:00:00 +0000
                Labels:       app=nginx
                              pod-template-hash=6c55cc944d
                Annotations:  <none>
                Status:       Running
                IP:           10.244.1.2
                IPs:
                  IP:           10.244.1.2
                Controlled By:  ReplicaSet/nginx-deployment-6c55cc944d
                Containers:
                  nginx:
                    Container ID:   containerd://3c245d0b4499e223c245d0b4499e223c245d0b4499e223c245d0b4499e22
                    Image:          nginx:1.15
                    Image ID:       docker.io/library/nginx:1.15@sha256:923f4374cece5946923f4374cece5946923f4374cece5946923f4374cece5946
                    Port:           80/TCP
                    Host Port:      0/TCP
                    State:          Running
                      Started:      Mon, 01 Jan 2024 00:00:02 +0000
                    Ready:          True
                    Restart Count:  0
                    Environment:    <none>
                    Mounts:         <none>
                Conditions:
                  Type              Status
                  Initialized       True \n  Ready             True \n  ContainersReady   True \n  PodScheduled      True \nVolumes:            <none>
                QoS Class:          BestEffort
                Node-Selectors:     <none>
                Tolerations:        node.kubernetes.io/not-ready:NoExecute for 300s
                                    node.kubernetes.io/unreachable:NoExecute for 300s
                Events:
                  Type    Reason     Age   From               Message
                  ----    ------     ----  ----               -------
                  Normal  Scheduled  59s   default-scheduler  Successfully assigned default/nginx-deployment-6c55cc944d-9vgnl to minikube-m02
                  Normal  Pulling    60s   kubelet            Pulling image "nginx:1.15"
                  Normal  Pulled     58s   kubelet            Successfully pulled image "nginx:1.15"
                  Normal  Created    58s   kubelet            Created container nginx
                  Normal  Started    58s   kubelet            Started container nginx

                """,
            .v1_36: """
                Name:         nginx-deployment-6c55cc944d-9vgnl
                Namespace:    default
                Priority:     0
                Node:         minikube-m02/192.168.49.3
                Start Time:   Mon, 01 Jan 2024 00:00:00 +0000
                Labels:       app=nginx
                              pod-template-hash=6c55cc944d
                Annotations:  <none>
                Status:       Running
                IP:           10.244.1.2
                IPs:
                  IP:           10.244.1.2
                Controlled By:  ReplicaSet/nginx-deployment-6c55cc944d
                Containers:
                  nginx:
                    Container ID:   containerd://3c245d0b4499e223c245d0b4499e223c245d0b4499e223c245d0b4499e22
                    Image:          nginx:1.15
                    Image ID:       docker.io/library/nginx:1.15@sha256:923f4374cece5946923f4374cece5946923f4374cece5946923f4374cece5946
                    Port:           80/TCP
                    Host Port:      0/TCP
                    State:          Running
                      Started:      Mon, 01 Jan 2024 00:00:02 +0000
                    Ready:          True
                    Restart Count:  0
                    Environment:    <none>
                    Mounts:         <none>
                Conditions:
                  Type                        Status
                  PodReadyToStartContainers   True \n  Initialized                 True \n  Ready                       True \n  ContainersReady             True \n  PodScheduled                True \nVolumes:                      <none>
                QoS Class:                    BestEffort
                Node-Selectors:               <none>
                Tolerations:                  node.kubernetes.io/not-ready:NoExecute op=Exists for 300s
                                              node.kubernetes.io/unreachable:NoExecute op=Exists for 300s
                Events:
                  Type    Reason     Age   From               Message
                  ----    ------     ----  ----               -------
                  Normal  Scheduled  59s   default-scheduler  Successfully assigned default/nginx-deployment-6c55cc944d-9vgnl to minikube-m02
                  Normal  Pulling    60s   kubelet            spec.containers{nginx}: Pulling image "nginx:1.15"
                  Normal  Pulled     58s   kubelet            spec.containers{nginx}: Successfully pulled image "nginx:1.15" in 2s (2s including waiting). Image size: 80147078 bytes.
                  Normal  Created    58s   kubelet            spec.containers{nginx}: Container created
                  Normal  Started    58s   kubelet            spec.containers{nginx}: Container started

                """,
        ]
        for version in [KubernetesVersion.v1_18, .v1_36] {
            let c = seed(version)
            XCTAssertEqual(run(c, "describe pod nginx-deployment-6c55cc944d-9vgnl").stdout, expected[version])
        }
    }

    /// The builder's errors as kubectl words them: two missing names both reported (no
    /// prefix search then), a bad selector as EnhanceListError words it, and a kind kubesim
    /// has no describer for (a Service).
    func testErrors() throws {
        let c = Cluster.seedCluster(version: .v1_36)
        let both = run(c, "describe deploy,rs nope")
        XCTAssertEqual(both.stderr, """
            Error from server (NotFound): deployments.apps "nope" not found
            Error from server (NotFound): replicasets.apps "nope" not found

            """)
        let selector = run(c, "describe pods -l a=(b")
        XCTAssertEqual(selector.exitCode, 1)
        XCTAssertTrue(selector.stderr.hasPrefix("Error from server (BadRequest): Unable to find \"/v1, Resource=pods\" "
            + "that match label selector \"a=(b\", field selector \"\": "), selector.stderr)
        c.applyOK("""
            apiVersion: v1
            kind: Service
            metadata: {name: web}
            spec: {ports: [{port: 80}]}
            """)
        let service = run(c, "describe service web")
        XCTAssertEqual(service.stdout, "")
        XCTAssertEqual(service.stderr, Cluster.noDescriber(try XCTUnwrap(c.registry.resolve("services"))) + "\n")
    }

    /// PriorityClass annotations as labels.FormatLabels sorts them: by the whole `k=v`
    /// (so `a.b=` before `a=`).
    func testPriorityClass() throws {
        let c = Cluster.seedCluster(version: .v1_36)
        let created = c.kubectl(["create", "-f", "-"], stdin: """
            apiVersion: scheduling.k8s.io/v1
            kind: PriorityClass
            metadata: {name: high, annotations: {a: "1", a.b: "2"}}
            value: 1000
            description: batch work
            """)
        XCTAssertEqual(created.exitCode, 0, created.stderr)
        XCTAssertEqual(run(c, "describe priorityclass high").stdout, """
            Name:              high
            Value:             1000
            GlobalDefault:     false
            PreemptionPolicy:  PreemptLowerPriority
            Description:       batch work
            Annotations:       a.b=2,a=1
            Events:            <none>

            """)
    }

    /// Times a cluster's clock never reaches print as Go prints them: any year in RFC 1123,
    /// ages saturating rather than wrapping.
    func testTimesOutsideTheClock() throws {
        XCTAssertEqual(Describe.rfc1123Z("3000-02-28T12:34:56Z"), "Fri, 28 Feb 3000 12:34:56 +0000")
        XCTAssertEqual(Describe.rfc1123Z("0002-01-01T00:00:00Z"), "Tue, 01 Jan 0002 00:00:00 +0000")
        XCTAssertEqual(Describe.rfc1123Z("2024-01-01T01:00:00+01:00"), "Mon, 01 Jan 2024 00:00:00 +0000")
        XCTAssertEqual(Describe.rfc1123Z(.null), "Mon, 01 Jan 0001 00:00:00 +0000")
        XCTAssertEqual(Describe.rfc1123Z("yesterday"), "Mon, 01 Jan 0001 00:00:00 +0000")
        XCTAssertTrue(Describe.rfc1123Z("0000-01-01T00:00:00+01:00").hasSuffix(" 31 Dec -0001 23:00:00 +0000"))
        let now = VirtualTime(seconds: 1_704_067_200)
        XCTAssertEqual(Describe.since("3000-01-01T00:00:00Z", now: now), "<invalid>")
        XCTAssertEqual(Describe.since("0002-01-01T00:00:00Z", now: now), "292y")
        XCTAssertEqual(Describe.since("0001-01-01T00:00:00Z", now: now), "<unknown>")
        XCTAssertEqual(VirtualTime(nanos: .min).rfc1123Z, "Tue, 21 Sep 1677 00:12:43 +0000")
        XCTAssertEqual(VirtualTime(nanos: .min).rfc3339, "1677-09-21T00:12:43Z")
    }
}
