import XCTest
@testable import KubeSim

/// `kubectl patch` as a user sees it: the default strategic merge patch keeps what a merge
/// patch would replace, the lines kubectl prints, and its refusals.
final class KubectlPatchTests: XCTestCase {
    private func run(_ c: Cluster, _ args: [String]) -> KubectlResult { c.kubectl(args) }

    private func webCluster(version: KubernetesVersion = .v1_18) throws -> Cluster {
        let c = try Cluster.withWebDeployment(version: version)
        c.run(for: .seconds(30))
        return c
    }

    private func container(_ c: Cluster) throws -> JSON {
        try XCTUnwrap(c.get("deployments", "web"))["spec", "template", "spec", "containers"][index: 0]
    }

    /// The container is merged by name: a new image, its port kept; the rollout follows.
    /// The same patch again changes nothing and says so.
    func testStrategicPatchMergesContainersByName() throws {
        let c = try webCluster()
        let ports = try container(c)["ports"]
        let patch = #"{"spec":{"template":{"spec":{"containers":[{"name":"nginx","image":"nginx:1.16"}]}}}}"#
        let result = run(c, ["patch", "deployment", "web", "-p", patch])
        XCTAssertEqual(result.stdout, "deployment.apps/web patched\n")
        XCTAssertEqual(result.stderr, "")
        XCTAssertEqual(try container(c)["image"].string, "nginx:1.16")
        XCTAssertEqual(try container(c)["ports"], ports)
        XCTAssertEqual(run(c, ["patch", "deployment", "web", "-p", patch]).stdout, "deployment.apps/web patched (no change)\n")
        c.run(for: .seconds(60))
        XCTAssertEqual(Set(c.pods("app=web").map { $0["spec", "containers"][index: 0]["image"].string ?? "" }), ["nginx:1.16"])
    }

    /// `--type=merge` replaces the list (the port goes); `--type=json` applies operations;
    /// a YAML patch is converted.
    func testMergeJSONAndYAMLPatches() throws {
        let c = try webCluster()
        XCTAssertEqual(run(c, ["patch", "deployment", "web", "--type=merge", "-p",
                               #"{"spec":{"template":{"spec":{"containers":[{"name":"nginx","image":"nginx:1.16"}]}}}}"#]).stdout,
                       "deployment.apps/web patched\n")
        XCTAssertTrue(try container(c)["ports"].isNull)
        XCTAssertEqual(run(c, ["patch", "deployment", "web", "--type", "json", "-p",
                               #"[{"op":"replace","path":"/spec/replicas","value":3}]"#]).stdout,
                       "deployment.apps/web patched\n")
        XCTAssertEqual(c.get("deployments", "web")?["spec", "replicas"].int, 3)
        XCTAssertEqual(run(c, ["patch", "deploy/web", "-p", "spec:\n  replicas: 1\n"]).stdout, "deployment.apps/web patched\n")
        XCTAssertEqual(c.get("deployments", "web")?["spec", "replicas"].int, 1)
        XCTAssertEqual(run(c, ["patch", "node", "minikube-m02", "-p", #"{"spec":{"unschedulable":true}}"#]).stdout,
                       "node/minikube-m02 patched\n")
        XCTAssertTrue(run(c, ["get", "nodes"]).stdout.contains("Ready,SchedulingDisabled"))
    }

    /// Client dry run prints the outcome and writes nothing; `-o name` and `-o yaml` print the
    /// patched object.
    func testDryRunAndOutput() throws {
        let c = try webCluster()
        let before = try XCTUnwrap(c.get("deployments", "web"))
        XCTAssertEqual(run(c, ["patch", "deployment", "web", "-p", #"{"spec":{"replicas":5}}"#, "--dry-run=client"]).stdout,
                       "deployment.apps/web patched (dry run)\n")
        XCTAssertEqual(c.get("deployments", "web"), before)
        XCTAssertEqual(run(c, ["patch", "deployment", "web", "-p", #"{"spec":{"replicas":5}}"#, "-o", "name"]).stdout,
                       "deployment.apps/web\n")
        let yaml = run(c, ["patch", "deployment", "web", "-p", #"{"metadata":{"labels":{"tier":"web"}}}"#, "-o", "yaml"]).stdout
        XCTAssertTrue(yaml.hasPrefix("apiVersion: apps/v1\nkind: Deployment\nmetadata:\n"), yaml)
        XCTAssertTrue(yaml.contains("    tier: web\n"), yaml)
        XCTAssertEqual(run(c, ["patch", "deployment", "web", "-p", #"{"spec":{"replicas":4}}"#, "-o", "jsonpath={.spec.replicas}"]).stdout,
                       "4")
        // The printer comes after the patch: a format kubectl has no printer for fails once
        // the object is patched.
        let wide = run(c, ["patch", "deployment", "web", "-p", #"{"spec":{"replicas":3}}"#, "-o", "wide"])
        XCTAssertEqual(wide.stderr, "error: unable to match a printer suitable for the output format \"wide\", allowed formats are: "
            + "go-template,go-template-file,json,jsonpath,jsonpath-file,name,template,templatefile,yaml\n")
        XCTAssertEqual(c.get("deployments", "web")?["spec", "replicas"].int, 3)
    }

    /// 1.36 patches the status subresource; 1.18 has no such flag.
    func testStatusSubresource() throws {
        let c = try webCluster(version: .v1_36)
        XCTAssertEqual(run(c, ["patch", "deployment", "web", "--subresource=status", "--type=merge", "-p",
                               #"{"status":{"observedGeneration":1}}"#]).stdout,
                       "deployment.apps/web patched (no change)\n")
        XCTAssertEqual(run(c, ["patch", "deployment", "web", "--subresource=scale", "-p", "{}"]).stderr,
                       "error: kubesim's API server does not serve the scale subresource; patch spec.replicas instead\n")
        let old = try webCluster()
        XCTAssertEqual(run(old, ["patch", "deployment", "web", "--subresource=status", "-p", "{}"]).stderr,
                       "error: unknown flag: --subresource\n")
    }

    func testErrors() throws {
        let c = try webCluster()
        XCTAssertEqual(run(c, ["patch", "deployment", "web"]).stderr, "error: required flag(s) \"patch\" not set\n")
        XCTAssertEqual(run(c, ["patch", "deployment", "web", "-p", ""]).stderr, "error: must specify -p to patch\n")
        // A JSON object goes to the server unread: its decoding error comes back.
        XCTAssertEqual(run(c, ["patch", "deployment", "web", "-p", #"{"spec":"#]).stderr,
                       "Error from server (BadRequest): unexpected end of JSON input\n")
        XCTAssertEqual(run(c, ["patch", "deployment", "web", "-p", #"{"spec":"#, "--dry-run=client"]).stderr,
                       "error: invalid JSON document\n")
        XCTAssertEqual(run(c, ["patch", "deployment", "web", "--type=", "-p", #"{"spec":{"replicas":2}}"#]).stdout,
                       "deployment.apps/web patched (no change)\n")
        XCTAssertEqual(run(try webCluster(version: .v1_36), ["patch", "deployment", "web"]).stderr,
                       "error: must specify --patch or --patch-file containing the contents of the patch\n")
        XCTAssertEqual(run(c, ["patch", "deployment", "web", "--type=funky", "-p", "{}"]).stderr,
                       "error: --type must be one of [json merge strategic], not \"funky\"\n")
        XCTAssertEqual(run(c, ["patch", "deployment", "nope", "-p", "{}"]).stderr,
                       "Error from server (NotFound): deployments.apps \"nope\" not found\n")
        XCTAssertEqual(run(c, ["patch", "deployment", "-p", "{}"]).stderr,
                       "error: resource(s) were provided, but no name was specified\n")
        XCTAssertEqual(run(c, ["patch", "deployment", "web", "-p", #"{"spec":{"replicas":-1}}"#]).stderr,
                       "The Deployment \"web\" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0\n")
        let bad = run(c, ["patch", "deployment", "web", "-p", #"{"spec":{"template":{"spec":{"containers":[{"image":"x"}]}}}}"#])
        XCTAssertEqual(bad.stderr, "Error from server: map: map[image:x] does not contain declared merge key: name\n")
        XCTAssertEqual(bad.exitCode, 1)
    }
}
