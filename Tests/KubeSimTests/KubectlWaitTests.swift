import XCTest
@testable import KubeSim

/// `kubectl wait`: the cluster runs until each object meets the condition, then kubectl's
/// "condition met"; or the timeout passes, with kubectl's error.
final class KubectlWaitTests: XCTestCase {
    private func run(_ c: Cluster, _ command: String) -> KubectlResult {
        c.kubectl(command.split(separator: " ").map(String.init))
    }

    private func applyWeb(_ c: Cluster, nodeSelector: String = "") {
        c.applyOK("""
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: web}
            spec:
              replicas: 2
              selector: {matchLabels: {app: web}}
              template:
                metadata: {labels: {app: web}}
                spec:
                  \(nodeSelector.isEmpty ? "" : "nodeSelector: {\(nodeSelector)}")
                  containers: [{name: nginx, image: "nginx:1.15"}]
            """)
    }

    func testConditionsAndDelete() throws {
        let c = Cluster.seedCluster()
        applyWeb(c)
        let start = c.now
        XCTAssertEqual(run(c, "wait --for=condition=Available deployment/web").stdout,
                       "deployment.apps/web condition met\n")
        // Only as long as it took: the pods' images pull in about two seconds.
        XCTAssertLessThan(c.now - start, .seconds(10))
        let names = c.pods("app=web").map(\.name).sorted()
        XCTAssertEqual(run(c, "wait --for=condition=ready pods -l app=web").stdout,
                       names.map { "pod/\($0) condition met\n" }.joined())
        XCTAssertEqual(run(c, "wait --for=condition=Ready=false pod/\(names[0]) --timeout=2s").stderr,
                       "error: timed out waiting for the condition on pods/\(names[0])\n")
        // Without kubectl delete's own wait, so that `wait` has something to wait for.
        XCTAssertEqual(run(c, "delete pod \(names[0]) --wait=false").stderr, "")
        XCTAssertEqual(run(c, "wait --for=delete pod/\(names[0])").stdout, "pod/\(names[0]) condition met\n")
        // Already gone: 1.18 reports it (1.36 finds nothing to wait for, below).
        XCTAssertEqual(run(c, "wait --for=delete pod/\(names[0])").stderr,
                       "Error from server (NotFound): pods \"\(names[0])\" not found\n")
        XCTAssertEqual(run(c, "wait --for=condition=Ready pods -l app=none").stderr, "error: no matching resources found\n")
    }

    func testTimeout() throws {
        let c = Cluster.seedCluster()
        applyWeb(c, nodeSelector: "disk: ssd")
        c.run(for: .seconds(1))
        let pod = try XCTUnwrap(c.pods("app=web").first?.name)
        let start = c.now
        XCTAssertEqual(run(c, "wait --for=condition=Ready pod/\(pod) --timeout=5s").stderr,
                       "error: timed out waiting for the condition on pods/\(pod)\n")
        XCTAssertEqual(c.now - start, .seconds(5))
    }

    func testJSONPathAndCreateOn136() throws {
        let c = Cluster.seedCluster(version: .v1_36)
        XCTAssertEqual(run(c, "wait --for=create deployment/web --timeout=1s").stderr, "error: timed out waiting for the condition\n")
        applyWeb(c)
        // Each condition met prints its line, create's too.
        XCTAssertEqual(run(c, "wait --for=create --for=jsonpath={.status.readyReplicas}=2 deployment/web").stdout,
                       "deployment.apps/web condition met\ndeployment.apps/web condition met\n")
        XCTAssertEqual(c.get("deployments", "web")?["status", "readyReplicas"].int, 2)
        let pod = try XCTUnwrap(c.pods("app=web").first?.name)
        XCTAssertEqual(run(c, "wait --for=jsonpath={.status.phase}=Running pod/\(pod)").stdout, "pod/\(pod) condition met\n")
        XCTAssertEqual(run(c, "wait --for=jsonpath={.status.conditions} pod/\(pod)").stdout, "pod/\(pod) condition met\n")
        XCTAssertEqual(run(c, "wait --for=jsonpath={.status.conditions}=x pod/\(pod)").stderr,
                       "error: jsonpath leads to a nested object or list which is not supported\n")
        XCTAssertEqual(run(c, "wait --for=condition=Ready=false pod/\(pod) --timeout=0").stderr,
                       "error: condition not met for pods/\(pod)\n")
        // Deleted while waited on: the watch waits on until the timeout; already gone when
        // waiting for deletion is no error on 1.36.
        _ = run(c, "delete pod \(pod) --wait=false")
        c.run(for: .seconds(40))
        let gone = run(c, "wait --for=delete pod/\(pod)")
        XCTAssertEqual(gone.exitCode, 0)
        XCTAssertEqual(gone.stdout + gone.stderr, "")
        XCTAssertEqual(run(c, "wait --for=create pods").stderr, "error: resource(s) were provided, but no name was specified\n")
        XCTAssertEqual(run(c, "wait --for=create pods -l a=(b").exitCode, 1)
        let other = try XCTUnwrap(c.pods("app=web").first?.name)
        _ = run(c, "delete pod \(other) --wait=false")
        XCTAssertEqual(run(c, "wait --for=condition=Absent pod/\(other) --timeout=60s").stderr,
                       "error: timed out waiting for the condition on pods/\(other)\n")
    }

    func testErrors() throws {
        let c = Cluster.seedCluster()
        XCTAssertEqual(run(c, "wait --for=happy pod/x").stderr, "error: unrecognized condition: \"happy\"\n")
        XCTAssertEqual(run(c, "wait pod/x").stderr, "error: unrecognized condition: \"\"\n")
        XCTAssertEqual(run(c, "wait --for=condition=Ready pod/x").stderr, "Error from server (NotFound): pods \"x\" not found\n")
        XCTAssertEqual(run(c, "wait --for=jsonpath={.a}=1 pod/x").stderr, "error: unrecognized condition: \"jsonpath={.a}=1\"\n")
        XCTAssertEqual(run(Cluster.seedCluster(version: .v1_36), "wait pod/x").stderr, "error: unrecognized condition: []\n")
    }
}
