import XCTest
@testable import KubeSim

/// `kubectl drain` as the seed shows it, and each of its rules: DaemonSet pods, budgets,
/// local storage, unmanaged pods, timeouts, unknown nodes.
final class DrainTests: XCTestCase {
    /// The seed's cordon / scale / uncordon / drain sequence (names and ages aside).
    func testSeedDrainTranscript() throws {
        let cluster = Cluster.seedCluster()
        cluster.applyOK(Seed.nginx(replicas: 3))
        cluster.run(for: .seconds(96))
        XCTAssertEqual(cluster.kubectl(["cordon", "minikube-m02"]).stdout, "node/minikube-m02 cordoned\n")
        _ = cluster.kubectl(["scale", "deployment/nginx", "--replicas=6"])
        cluster.run(for: .seconds(23))
        XCTAssertEqual(cluster.kubectl(["uncordon", "minikube-m02"]).stdout, "node/minikube-m02 uncordoned\n")
        let onM03 = cluster.pods("app=nginx").filter { $0["spec", "nodeName"].string == "minikube-m03" }.map(\.name).sorted()
        XCTAssertFalse(onM03.isEmpty)
        let system = cluster.pods(namespace: "kube-system").filter { $0["spec", "nodeName"].string == "minikube-m03" }
            .map { "kube-system/\($0.name)" }.sorted()
        XCTAssertEqual(system.count, 2)
        XCTAssertTrue(system[0].hasPrefix("kube-system/kindnet-") && system[1].hasPrefix("kube-system/kube-proxy-"))

        let refused = cluster.kubectl(["drain", "minikube-m03"])
        XCTAssertEqual(refused.exitCode, 1)
        XCTAssertEqual(refused.stdout, "node/minikube-m03 cordoned\n")
        XCTAssertEqual(refused.stderr, """
            error: unable to drain node "minikube-m03", aborting command...

            There are pending nodes to be drained:
             minikube-m03
            error: cannot delete DaemonSet-managed Pods (use --ignore-daemonsets to ignore): \(system.joined(separator: ", "))

            """)

        let drained = cluster.kubectl(["drain", "minikube-m03", "--ignore-daemonsets"])
        XCTAssertEqual(drained.exitCode, 0)
        XCTAssertEqual(drained.stderr, "WARNING: ignoring DaemonSet-managed Pods: \(system.joined(separator: ", "))\n")
        let lines = drained.stdout.split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.first, "node/minikube-m03 already cordoned")
        XCTAssertEqual(Array(lines[1...onM03.count]), onM03.map { "evicting pod default/\($0)" })
        XCTAssertEqual(Set(lines[(onM03.count + 1)...(2 * onM03.count)]), Set(onM03.map { "pod/\($0) evicted" }))
        XCTAssertEqual(lines.last, "node/minikube-m03 drained")
        XCTAssertEqual(lines.count, 2 + 2 * onM03.count)

        cluster.run(for: .seconds(91))
        let nodes = cluster.kubectl(["get", "node"]).stdout
        XCTAssertTrue(nodes.contains("minikube-m03   Ready,SchedulingDisabled"), nodes)
        let pods = cluster.pods("app=nginx")
        XCTAssertEqual(pods.count, 6)
        XCTAssertTrue(pods.allSatisfy { $0["spec", "nodeName"].string != "minikube-m03" && $0["status", "phase"].string == "Running" })
        // The DaemonSet pods stay on the drained node.
        XCTAssertEqual(cluster.pods(namespace: "kube-system").filter { $0["spec", "nodeName"].string == "minikube-m03" }.count, 2)
    }

    func testUnknownNode() {
        let cluster = Cluster.seedCluster()
        let r = cluster.kubectl(["drain", "nope", "--ignore-daemonsets"])
        XCTAssertEqual(r, KubectlResult(stdout: "", stderr: "Error from server (NotFound): nodes \"nope\" not found\n", exitCode: 1))
        XCTAssertEqual(cluster.kubectl(["drain"]).exitCode, 1)
    }

    private static let standalone = """
        apiVersion: v1
        kind: Pod
        metadata:
          name: standalone
        spec:
          nodeName: minikube-m02
          containers:
          - name: app
            image: busybox
        ---
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: cache
        spec:
          replicas: 1
          selector:
            matchLabels:
              app: cache
          template:
            metadata:
              labels:
                app: cache
            spec:
              nodeSelector:
                kubernetes.io/hostname: minikube-m02
              containers:
              - name: cache
                image: redis
              volumes:
              - name: scratch
                emptyDir: {}
        """

    func testLocalStorageAndUnmanagedPodsNeedTheirFlags() throws {
        let cluster = Cluster.seedCluster()
        cluster.applyOK(Self.standalone)
        cluster.run(for: .seconds(30))
        let cache = try XCTUnwrap(cluster.pods("app=cache").first?.name)
        let refused = cluster.kubectl(["drain", "minikube-m02", "--ignore-daemonsets"])
        XCTAssertEqual(refused.exitCode, 1)
        // Two errors: kubectl prints them one per line, without the "error: " prefix.
        XCTAssertTrue(refused.stderr.hasSuffix("""
            There are pending nodes to be drained:
             minikube-m02
            cannot delete Pods with local storage (use --delete-local-data to override): default/\(cache)
            cannot delete Pods not managed by ReplicationController, ReplicaSet, Job, DaemonSet or StatefulSet (use --force to override): default/standalone

            """), refused.stderr)
        XCTAssertEqual(cluster.pods().count, 2)

        let forced = cluster.kubectl(["drain", "minikube-m02", "--ignore-daemonsets", "--force", "--delete-emptydir-data",
                                      "--grace-period=0"])
        XCTAssertEqual(forced.exitCode, 0, forced.stderr)
        // Warnings are joined with "; " (their order is Go map order upstream).
        XCTAssertTrue(forced.stderr.hasPrefix("WARNING: "), forced.stderr)
        XCTAssertTrue(forced.stderr.contains(
            "deleting Pods not managed by ReplicationController, ReplicaSet, Job, DaemonSet or StatefulSet: default/standalone"),
                      forced.stderr)
        XCTAssertTrue(forced.stderr.contains("; "), forced.stderr)
        XCTAssertTrue(forced.stdout.contains("pod/standalone evicted\n"), forced.stdout)
        XCTAssertTrue(forced.stdout.contains("pod/\(cache) evicted\n"), forced.stdout)
        XCTAssertNil(cluster.get("pods", "standalone"))
    }

    func testCurrentWordingAndPodSelector() throws {
        let cluster = Cluster.seedCluster(version: .v1_36)
        cluster.applyOK(Self.standalone)
        cluster.run(for: .seconds(30))
        let refused = cluster.kubectl(["drain", "minikube-m02", "--ignore-daemonsets", "--pod-selector=app=cache"])
        XCTAssertTrue(refused.stderr.hasSuffix(
            "error: cannot delete Pods with local storage (use --delete-emptydir-data to override): default/\(cluster.pods("app=cache")[0].name)\n"),
                      refused.stderr)
        let forced = cluster.kubectl(["drain", "minikube-m02", "--ignore-daemonsets", "--force", "--delete-emptydir-data"])
        XCTAssertEqual(forced.exitCode, 0, forced.stderr)
        XCTAssertTrue(forced.stderr.hasPrefix("Warning: "), forced.stderr)
        XCTAssertTrue(forced.stderr.contains("ignoring DaemonSet-managed Pods: kube-system/kindnet-"), forced.stderr)
        XCTAssertTrue(forced.stderr.contains("deleting Pods that declare no controller: default/standalone"), forced.stderr)
        let deprecated = cluster.kubectl(["drain", "minikube-m02", "--ignore-daemonsets", "--delete-local-data"])
        XCTAssertTrue(deprecated.stderr.hasPrefix(
            "Flag --delete-local-data has been deprecated, This option is deprecated and will be deleted. Use --delete-emptydir-data.\n"),
                      deprecated.stderr)
        XCTAssertEqual(cluster.kubectl(["drain", "minikube-m02", "--pod-selector=a in (b"]).stderr,
                       "error: --pod-selector=<pod_selector> must be a valid label selector\n")
    }

    /// Two replicas on one node, a budget of maxUnavailable 1: the first eviction goes, the
    /// second is refused (429) and retried every 5 s until the first one's replacement is Ready.
    func testBudgetBlocksEvictionUntilTheReplacementIsReady() throws {
        let cluster = Cluster.seedCluster()
        _ = cluster.kubectl(["cordon", "minikube-m02"])
        _ = cluster.kubectl(["cordon", "minikube"])
        cluster.applyOK(Seed.nginx(replicas: 2))
        cluster.applyOK("""
            apiVersion: policy/v1
            kind: PodDisruptionBudget
            metadata:
              name: nginx
            spec:
              maxUnavailable: 1
              selector:
                matchLabels:
                  app: nginx
            """)
        cluster.run(for: .seconds(60))
        _ = cluster.kubectl(["uncordon", "minikube-m02"])
        let pdb = try XCTUnwrap(cluster.get("poddisruptionbudgets", "nginx"))
        XCTAssertEqual(pdb["status", "currentHealthy"].int, 2)
        XCTAssertEqual(pdb["status", "desiredHealthy"].int, 1)
        XCTAssertEqual(pdb["status", "disruptionsAllowed"].int, 1)
        XCTAssertEqual(pdb["status", "expectedPods"].int, 2)
        XCTAssertEqual(pdb["status", "conditions"].array?.first?["reason"].string, "SufficientPods")
        let table = cluster.kubectl(["get", "pdb"]).stdout
        XCTAssertTrue(table.hasPrefix("NAME    MIN AVAILABLE   MAX UNAVAILABLE   ALLOWED DISRUPTIONS   AGE\nnginx   N/A             1                 1                     "), table)

        let pods = cluster.pods("app=nginx").map(\.name).sorted()
        XCTAssertEqual(pods.count, 2)
        let start = cluster.now
        let r = cluster.kubectl(["drain", "minikube-m03", "--ignore-daemonsets"])
        XCTAssertEqual(r.exitCode, 0, r.stderr)
        let retry = "error when evicting pod \"\(pods[1])\" (will retry after 5s): Cannot evict pod as it would violate the pod's disruption budget."
        let retries = r.stderr.components(separatedBy: "\n").filter { $0 == retry }.count
        XCTAssertGreaterThanOrEqual(retries, 1, r.stderr)
        let out = r.stdout.split(separator: "\n").map(String.init)
        // "evicting pod" is printed on every attempt, as kubectl's loop does.
        XCTAssertEqual(out.filter { $0 == "evicting pod default/\(pods[1])" }.count, retries + 1)
        XCTAssertLessThan(try XCTUnwrap(out.firstIndex(of: "pod/\(pods[0]) evicted")),
                          try XCTUnwrap(out.firstIndex(of: "pod/\(pods[1]) evicted")))
        XCTAssertEqual(out.last, "node/minikube-m03 drained")
        // It waited in virtual time for the replacement to become Ready.
        XCTAssertGreaterThanOrEqual(cluster.now - start, .seconds(5))
        cluster.run(for: .seconds(60))
        XCTAssertEqual(cluster.pods("app=nginx").filter { PodStatus.isReady($0) }.count, 2)
    }

    func testTimeoutWhenTheBudgetNeverAllows() throws {
        let cluster = Cluster.seedCluster(version: .v1_36)
        _ = cluster.kubectl(["cordon", "minikube-m02"])
        _ = cluster.kubectl(["cordon", "minikube"])
        cluster.applyOK(Seed.nginx(replicas: 1))
        cluster.applyOK("""
            apiVersion: policy/v1
            kind: PodDisruptionBudget
            metadata:
              name: nginx
            spec:
              minAvailable: 100%
              selector:
                matchLabels:
                  app: nginx
            """)
        cluster.run(for: .seconds(60))
        let pod = try XCTUnwrap(cluster.pods("app=nginx").first?.name)
        let start = cluster.now
        let r = cluster.kubectl(["drain", "minikube-m03", "--ignore-daemonsets", "--timeout=12s"])
        XCTAssertEqual(r.exitCode, 1)
        XCTAssertEqual(cluster.now - start, .seconds(15))
        XCTAssertEqual(r.stdout, "node/minikube-m03 cordoned\n" + String(repeating: "evicting pod default/\(pod)\n", count: 4))
        let retry = "error when evicting pods/\"\(pod)\" -n \"default\" (will retry after 5s): Cannot evict pod as it would violate the pod's disruption budget.\n"
        let warning = r.stderr.split(separator: "\n").first.map(String.init) ?? ""
        XCTAssertTrue(warning.hasPrefix("Warning: ignoring DaemonSet-managed Pods: kube-system/kindnet-"), warning)
        XCTAssertEqual(r.stderr, warning + "\n" + String(repeating: retry, count: 3) + """
            There are pending pods in node "minikube-m03" when an error occurred: error when evicting pods/"\(pod)" -n "default": global timeout reached: 12s
            pod/\(pod)
            error: unable to drain node "minikube-m03", aborting command...

            There are pending nodes to be drained:
             minikube-m03
            error: error when evicting pods/"\(pod)" -n "default": global timeout reached: 12s

            """)
        XCTAssertNotNil(cluster.get("pods", pod))
    }

    func testDisableEvictionDeletesPods() throws {
        let cluster = Cluster.seedCluster()
        cluster.applyOK(Seed.nginx(replicas: 3))
        cluster.run(for: .seconds(60))
        let onM03 = cluster.pods("app=nginx").filter { $0["spec", "nodeName"].string == "minikube-m03" }.map(\.name).sorted()
        let r = cluster.kubectl(["drain", "minikube-m03", "--ignore-daemonsets", "--disable-eviction"])
        XCTAssertEqual(r.exitCode, 0, r.stderr)
        XCTAssertEqual(r.stdout, "node/minikube-m03 cordoned\n" + onM03.map { "pod/\($0) deleted\n" }.joined() + "node/minikube-m03 drained\n")
    }

    func testDrainIsDeterministic() throws {
        func run() -> String {
            let cluster = Cluster.seedCluster(seed: 7)
            cluster.applyOK(Seed.nginx(replicas: 4))
            cluster.run(for: .seconds(60))
            let r = cluster.kubectl(["drain", "minikube-m02", "--ignore-daemonsets"])
            cluster.run(for: .seconds(60))
            return r.stdout + r.stderr + cluster.state().serialized()
        }
        XCTAssertEqual(run(), run())
    }
}
