import XCTest
@testable import KubeSim

/// `kubectl delete` as a user sees it: it waits until the objects are gone (the pod's
/// graceful termination, an object's finalizers), prints kubectl's lines, and refuses the
/// flag combinations kubectl refuses.
final class KubectlDeleteTests: XCTestCase {
    private func run(_ c: Cluster, _ command: String) -> KubectlResult {
        c.kubectl(command.split(separator: " ").map(String.init))
    }

    private func runningCluster(version: KubernetesVersion = .v1_18) throws -> (Cluster, [String]) {
        let c = try Cluster.withWebDeployment(version: version)
        c.run(for: .seconds(30))
        let pods = c.pods("app=web").map(\.name).sorted()
        XCTAssertEqual(pods.count, 2)
        return (c, pods)
    }

    /// The command returns once the pod is gone: the kubelet stopped its containers within
    /// the grace period and removed it. With `--wait=false` it returns while the pod is still
    /// Terminating, at the same instant.
    func testWaitsUntilThePodIsGone() throws {
        let (c, pods) = try runningCluster()
        let start = c.now
        let deleted = run(c, "delete pod \(pods[0])")
        XCTAssertEqual(deleted.stdout, "pod \"\(pods[0])\" deleted\n")
        XCTAssertEqual(deleted.stderr, "")
        XCTAssertEqual(deleted.exitCode, 0)
        XCTAssertNil(c.get("pods", pods[0]))
        XCTAssertGreaterThan(c.now - start, .zero)
        XCTAssertLessThanOrEqual(c.now - start, .seconds(31))

        let quick = c.now
        XCTAssertEqual(run(c, "delete pod \(pods[1]) --wait=false").stdout, "pod \"\(pods[1])\" deleted\n")
        XCTAssertEqual(c.now, quick)
        XCTAssertTrue(try XCTUnwrap(c.get("pods", pods[1])).isTerminating)
    }

    /// A finalizer nobody removes: the wait ends at `--timeout` with kubectl's error, the
    /// object still there behind it.
    func testTimeoutWithAFinalizer() throws {
        let c = Cluster.seedCluster()
        c.applyOK("""
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: held, finalizers: [example.com/hold]}
            """)
        let start = c.now
        let result = run(c, "delete configmap held --timeout=5s")
        XCTAssertEqual(result.stdout, "configmap \"held\" deleted\n")
        XCTAssertEqual(result.stderr, "error: timed out waiting for the condition on configmaps/held\n")
        XCTAssertEqual(result.exitCode, 1)
        XCTAssertEqual(c.now - start, .seconds(5))
        XCTAssertTrue(try XCTUnwrap(c.get("configmaps", "held")).isTerminating)
    }

    /// A pod force-deleted while its image is pulling, and created again under its name on
    /// the same node at once, starts once: the new pod's containers go through one Pulling,
    /// Pulled, Created, Started chain, and the old pod's pending steps do nothing to it.
    /// The same holds when the kubelet misses the deletion, cut off from the API server.
    func testPodCreatedAgainUnderItsNameStartsOnce() throws {
        for partitioned in [false, true] {
            let c = try Cluster.withWebDeployment()
            let node = try XCTUnwrap(c.pods("app=web").first?["spec", "nodeName"].string)
            let pod = """
                apiVersion: v1
                kind: Pod
                metadata: {name: again}
                spec:
                  nodeName: \(node)
                  containers: [{name: app, image: "busybox:1.36"}]
                """
            // Each Event's reason, with its count where the correlator counted it more than once.
            func chain(uid: String) -> [String] {
                c.eventList().filter { $0["involvedObject", "uid"].string == uid }.map { event in
                    let reason = event["reason"].string ?? ""
                    let count = event["count"].int ?? 1
                    return count == 1 ? reason : "\(reason) ×\(count)"
                }
            }
            c.applyOK(pod)
            let first = try XCTUnwrap(c.get("pods", "again")?["metadata", "uid"].string)
            var waited = 0
            while !chain(uid: first).contains("Pulling"), waited < 100 {
                c.run(for: .millis(100))
                waited += 1
            }
            XCTAssertEqual(chain(uid: first), ["Pulling"])

            if partitioned { _ = try c.fault(.partition, scope: .host, name: node).get() }
            XCTAssertEqual(run(c, "delete pod again --force --grace-period=0").stdout, "pod \"again\" force deleted\n")
            c.applyOK(pod)
            let second = try XCTUnwrap(c.get("pods", "again")?["metadata", "uid"].string)
            XCTAssertNotEqual(first, second)
            if partitioned { _ = try c.fault(.restore, scope: .host, name: node).get() }
            c.run(for: .seconds(60))
            XCTAssertEqual(chain(uid: second), ["Pulling", "Pulled", "Created", "Started"], "partitioned: \(partitioned)")
            XCTAssertEqual(chain(uid: first), ["Pulling"], "partitioned: \(partitioned)")
            XCTAssertEqual(c.get("pods", "again")?["status", "phase"].string, "Running")
        }
    }

    /// `--now` is a grace period of 1; `--force --grace-period=0` removes the pod at once,
    /// with kubectl's warning and "force deleted"; `--grace-period=0` alone is 1.
    func testGracePeriodFlags() throws {
        let (c, pods) = try runningCluster()
        XCTAssertEqual(run(c, "delete pod \(pods[0]) --now --grace-period=5").stderr,
                       "error: --now and --grace-period cannot be specified together\n")
        XCTAssertEqual(run(c, "delete pod \(pods[0]) --force --grace-period=5").stderr,
                       "error: --force and --grace-period greater than 0 cannot be specified together\n")
        XCTAssertNotNil(c.get("pods", pods[0]))

        XCTAssertEqual(run(c, "delete pod \(pods[0]) --now --wait=false").stdout, "pod \"\(pods[0])\" deleted\n")
        XCTAssertEqual(try XCTUnwrap(c.get("pods", pods[0]))["metadata", "deletionGracePeriodSeconds"].int, 1)
        XCTAssertEqual(run(c, "delete pod \(pods[1]) --grace-period=0 --wait=false").stdout, "pod \"\(pods[1])\" deleted\n")
        XCTAssertEqual(try XCTUnwrap(c.get("pods", pods[1]))["metadata", "deletionGracePeriodSeconds"].int, 1)

        c.run(for: .seconds(30))
        let replacement = try XCTUnwrap(c.pods("app=web").first { !$0.isTerminating }?.name)
        let start = c.now
        let forced = run(c, "delete pod \(replacement) --force --grace-period=0")
        XCTAssertEqual(forced.stdout, "pod \"\(replacement)\" force deleted\n")
        XCTAssertEqual(forced.stderr, "warning: Immediate deletion does not wait for confirmation that the running resource "
            + "has been terminated. The resource may continue to run on the cluster indefinitely.\n")
        XCTAssertNil(c.get("pods", replacement))
        XCTAssertEqual(c.now, start)
    }

    /// 1.36 names the namespace and prints warnings as "Warning:".
    func testOutputByRelease() throws {
        let (c, pods) = try runningCluster(version: .v1_36)
        XCTAssertEqual(run(c, "delete pod \(pods[0])").stdout, "pod \"\(pods[0])\" deleted from default namespace\n")
        let forced = run(c, "delete pod \(pods[1]) --force")
        XCTAssertEqual(forced.stdout, "pod \"\(pods[1])\" force deleted from default namespace\n")
        XCTAssertTrue(forced.stderr.hasPrefix("Warning: Immediate deletion does not wait"), forced.stderr)
        XCTAssertEqual(run(c, "delete deployment web -o name").stdout, "deployment.apps/web\n")
    }

    /// Client dry run prints and deletes nothing; `-o name`; kubectl's refusals.
    func testDryRunOutputAndErrors() throws {
        let (c, pods) = try runningCluster()
        XCTAssertEqual(run(c, "delete pod \(pods[0]) --dry-run=client").stdout, "pod \"\(pods[0])\" deleted (dry run)\n")
        XCTAssertFalse(try XCTUnwrap(c.get("pods", pods[0])).isTerminating)
        // A server dry run: the server marks nothing; kubectl does not wait.
        XCTAssertEqual(run(c, "delete pod \(pods[0]) --dry-run=server").stdout,
                       "pod \"\(pods[0])\" deleted (server dry run)\n")
        XCTAssertFalse(try XCTUnwrap(c.get("pods", pods[0])).isTerminating)
        XCTAssertEqual(run(c, "delete pod \(pods[0]) -o yaml").stderr,
                       "error: unexpected -o output mode: yaml. We only support '-o name'\n")
        XCTAssertEqual(run(c, "delete pods --all --field-selector=spec.nodeName=x").stderr,
                       "error: setting 'all' parameter but found a non empty selector. \n")
        XCTAssertEqual(run(c, "delete pod \(pods[0]) --wait=maybe").stderr,
                       "error: invalid argument \"maybe\" for \"--wait\" flag: strconv.ParseBool: parsing \"maybe\": invalid syntax\n")
        XCTAssertEqual(run(c, "delete pod \(pods[0]) -o name").stdout, "pod/\(pods[0])\n")
        XCTAssertNil(c.get("pods", pods[0]))
    }

    /// A missing object is an error unless `--ignore-not-found` (the default with a
    /// selector or `--all`); an error ends the command before the wait.
    func testNotFound() throws {
        let (c, pods) = try runningCluster()
        let missing = run(c, "delete pod nothing")
        XCTAssertEqual(missing.stderr, "Error from server (NotFound): pods \"nothing\" not found\n")
        XCTAssertEqual(missing.exitCode, 1)
        let ignored = run(c, "delete pod nothing --ignore-not-found")
        XCTAssertEqual(ignored.stdout + ignored.stderr, "")
        XCTAssertEqual(ignored.exitCode, 0)
        XCTAssertEqual(run(c, "delete pods -l app=none").stdout, "No resources found\n")

        let start = c.now
        let mixed = run(c, "delete pod \(pods[0]) nothing")
        XCTAssertEqual(mixed.stdout, "pod \"\(pods[0])\" deleted\n")
        XCTAssertEqual(mixed.stderr, "Error from server (NotFound): pods \"nothing\" not found\n")
        XCTAssertEqual(c.now, start)
        XCTAssertTrue(try XCTUnwrap(c.get("pods", pods[0])).isTerminating)
    }

    /// A cluster-scoped object deleted with an explicit namespace: kubectl's warning, once.
    func testClusterScopedWithNamespace() throws {
        let c = Cluster.seedCluster()
        c.applyOK("""
            apiVersion: scheduling.k8s.io/v1
            kind: PriorityClass
            metadata: {name: batch}
            value: 10
            """)
        let result = run(c, "delete priorityclass batch -n default")
        XCTAssertEqual(result.stdout, "priorityclass.scheduling.k8s.io \"batch\" deleted\n")
        XCTAssertEqual(result.stderr, "warning: deleting cluster-scoped resources, not scoped to the provided namespace\n")
        XCTAssertNil(c.get("priorityclasses", "batch", namespace: nil))
    }

    /// `--cascade=foreground`: the Deployment waits behind `foregroundDeletion` while its
    /// ReplicaSet (itself deleted in the foreground) waits for its pods, which terminate
    /// gracefully; kubectl returns when the Deployment is gone, after all of them.
    func testForegroundCascade() throws {
        let (c, pods) = try runningCluster(version: .v1_36)
        let rs = try XCTUnwrap(c.pods("app=web").first?["metadata", "ownerReferences"][index: 0]["name"].string)
        let held = run(c, "delete deployment web --cascade=foreground --wait=false")
        XCTAssertEqual(held.stdout, "deployment.apps \"web\" deleted from default namespace\n")
        let deployment = try XCTUnwrap(c.get("deployments", "web"))
        XCTAssertEqual(deployment["metadata", "finalizers"].serialized(), #"["foregroundDeletion"]"#)
        XCTAssertTrue(deployment.isTerminating)
        c.run(for: .millis(300))
        // The ReplicaSet in the foreground too (it has dependents); the pods terminating (their
        // containers stop in about half a second).
        let set = try XCTUnwrap(c.get("replicasets", rs))
        XCTAssertEqual(set["metadata", "finalizers"].serialized(), #"["foregroundDeletion"]"#)
        XCTAssertTrue(pods.allSatisfy { c.get("pods", $0)?.isTerminating == true })
        XCTAssertNotNil(c.get("deployments", "web"))

        let start = c.now
        XCTAssertEqual(run(c, "wait --for=delete deployment/web --timeout=60s").stdout, "deployment.apps/web condition met\n")
        XCTAssertLessThan(c.now - start, .seconds(31))
        XCTAssertNil(c.get("replicasets", rs))
        XCTAssertEqual(c.pods("app=web"), [])
        // No replacement pods were made while the owners waited.
        XCTAssertFalse(c.eventList().contains { $0["reason"].string == "SuccessfulCreate" && $0["lastTimestamp"].string ?? "" > start.rfc3339 })
    }

    /// A pod deleted in the foreground has no dependents: the collector releases it, and it
    /// terminates as any pod does; kubectl waits for it.
    func testForegroundPod() throws {
        let (c, pods) = try runningCluster(version: .v1_36)
        XCTAssertEqual(run(c, "delete pod \(pods[0]) --cascade=foreground").stdout,
                       "pod \"\(pods[0])\" deleted from default namespace\n")
        XCTAssertNil(c.get("pods", pods[0]))
    }

    /// A propagation policy replaces the collector's finalizers the object has: a background
    /// delete of a ConfigMap left with `orphan` removes it at once.
    func testPolicyReplacesCollectorFinalizers() throws {
        let c = Cluster.seedCluster()
        c.applyOK("""
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: kept, finalizers: [orphan]}
            """)
        let start = c.now
        XCTAssertEqual(run(c, "delete configmap kept").stdout, "configmap \"kept\" deleted\n")
        XCTAssertNil(c.get("configmaps", "kept"))
        XCTAssertEqual(c.now, start)
    }

    /// Deleting a terminating pod again with a shorter grace period moves its deadline
    /// earlier by the difference (BeforeDelete); a longer one changes nothing.
    func testShorterGracePeriod() throws {
        let (c, pods) = try runningCluster()
        _ = run(c, "delete pod \(pods[0]) --wait=false")
        let first = try XCTUnwrap(c.get("pods", pods[0]))
        XCTAssertEqual(first["metadata", "deletionGracePeriodSeconds"].int, 30)
        _ = run(c, "delete pod \(pods[0]) --grace-period=60 --wait=false")
        XCTAssertEqual(c.get("pods", pods[0])?["metadata"], first["metadata"])
        _ = run(c, "delete pod \(pods[0]) --grace-period=5 --wait=false")
        let shortened = try XCTUnwrap(c.get("pods", pods[0]))
        XCTAssertEqual(shortened["metadata", "deletionGracePeriodSeconds"].int, 5)
        XCTAssertEqual(shortened["metadata", "deletionTimestamp"].string, (c.now + .seconds(5)).rfc3339)
    }

    /// `-f -` with `-l`: only the file's objects the selector picks are deleted.
    func testFileFilteredBySelector() throws {
        let c = Cluster.seedCluster()
        let manifests = """
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: a, labels: {tier: web}}
            ---
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: b, labels: {tier: db}}
            """
        c.applyOK(manifests)
        XCTAssertEqual(c.kubectl(["delete", "-f", "-", "-l", "tier=web"], stdin: manifests).stdout, "configmap \"a\" deleted\n")
        XCTAssertNil(c.get("configmaps", "a"))
        XCTAssertNotNil(c.get("configmaps", "b"))
        XCTAssertEqual(c.kubectl(["delete", "-f", "-", "-o", "wide"], stdin: manifests).stderr,
                       "error: unexpected -o output mode: wide. We only support '-o name'\n")
    }
}
