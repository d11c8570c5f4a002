import XCTest
@testable import KubeSim

/// Dry runs: `--dry-run=client` sends no write; `--dry-run=server` (`?dryRun=All`) has the
/// API server admit, default and validate the write and answer with the object as it would
/// be stored, storing nothing: no revision, no watch event, no effect on the names and uids
/// the cluster hands out afterwards.
final class DryRunTests: XCTestCase {
    private let configMap = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  colour: red\n"

    private func run(_ c: Cluster, _ command: String, stdin: String? = nil) -> KubectlResult {
        c.kubectl(command.split(separator: " ").map(String.init), stdin: stdin)
    }

    private func revision(_ c: Cluster) throws -> String {
        try c.call(.list, #"{"resource":"configmaps"}"#).get()["metadata", "resourceVersion"].string ?? ""
    }

    func testApplyAndCreateDryRunsStoreNothing() throws {
        for version in KubernetesVersion.allCases {
            let c = Cluster.seedCluster(version: version)
            let before = try revision(c)
            XCTAssertEqual(run(c, "apply --dry-run=client -f -", stdin: configMap).stdout,
                           "configmap/settings created (dry run)\n", "\(version)")
            XCTAssertEqual(run(c, "apply --dry-run=server -f -", stdin: configMap).stdout,
                           "configmap/settings created (server dry run)\n", "\(version)")
            XCTAssertEqual(run(c, "create --dry-run=server -f -", stdin: configMap).stdout,
                           "configmap/settings created (server dry run)\n", "\(version)")
            XCTAssertNil(c.get("configmaps", "settings"), "\(version)")
            XCTAssertEqual(try revision(c), before, "\(version)")

            // Against a live object: the patch is worked out, and not stored.
            XCTAssertEqual(run(c, "apply -f -", stdin: configMap).stdout, "configmap/settings created\n")
            let live = try revision(c)
            let blue = configMap.replacingOccurrences(of: "red", with: "blue")
            XCTAssertEqual(run(c, "apply --dry-run=server -f -", stdin: blue).stdout,
                           "configmap/settings configured (server dry run)\n")
            XCTAssertEqual(run(c, "apply --dry-run=client -f -", stdin: blue).stdout,
                           "configmap/settings configured (dry run)\n")
            // 1.18's kubectl works out no patch on a client dry run; 1.36's does.
            XCTAssertEqual(run(c, "apply --dry-run=client -f -", stdin: configMap).stdout,
                           "configmap/settings \(version == .v1_18 ? "configured" : "unchanged") (dry run)\n")
            XCTAssertEqual(run(c, "apply --dry-run=server -f -", stdin: configMap).stdout,
                           "configmap/settings unchanged (server dry run)\n")
            XCTAssertEqual(run(c, #"patch configmap settings --dry-run=server -p {"data":{"colour":"green"}}"#).stdout,
                           "configmap/settings patched (server dry run)\n")
            XCTAssertEqual(c.get("configmaps", "settings")?["data", "colour"].string, "red")
            XCTAssertEqual(try revision(c), live)

            // Refused as the write would be: the name is taken.
            XCTAssertEqual(run(c, "create --dry-run=server -f -", stdin: configMap).stderr,
                           #"Error from server (AlreadyExists): error when creating "STDIN": configmaps "settings" already exists"# + "\n")
            let from = version == .v1_36 ? " from default namespace" : ""
            XCTAssertEqual(run(c, "delete configmap settings --dry-run=server").stdout,
                           "configmap \"settings\" deleted\(from) (server dry run)\n")
            XCTAssertNotNil(c.get("configmaps", "settings"))
            XCTAssertEqual(try revision(c), live)
        }
    }

    /// The REST verbs: the object as it would be stored (a uid and creationTimestamp, no
    /// resourceVersion), validation's errors as a write's, and the uids of later writes the
    /// same as without the dry run.
    func testTheAPIAnswersAsItWouldStore() throws {
        let pod = #"{"apiVersion":"v1","kind":"Pod","metadata":{"generateName":"web-"},"spec":{"containers":[{"name":"c","image":"nginx"}]}}"#
        let plain = Cluster.seedCluster(version: .v1_36)
        let expected = try plain.call(.create, #"{"object":\#(pod)}"#).get()

        let c = Cluster.seedCluster(version: .v1_36)
        let dry = try c.call(.create, #"{"dryRun":"All","object":\#(pod)}"#).get()
        XCTAssertFalse(dry.uid.isEmpty)
        XCTAssertTrue(dry.name.hasPrefix("web-"))
        XCTAssertEqual(dry.resourceVersion, "")
        XCTAssertEqual(dry["spec", "restartPolicy"].string, "Always")  // defaulted
        XCTAssertEqual(try c.call(.list, #"{"resource":"pods","namespace":"default"}"#).get()["items"].array?.count, 0)
        let real = try c.call(.create, #"{"object":\#(pod)}"#).get()
        XCTAssertEqual(real.name, expected.name)
        XCTAssertEqual(real.uid, expected.uid)

        let invalid = #"{"apiVersion":"v1","kind":"Pod","metadata":{"name":"Bad_Name"},"spec":{"containers":[{"name":"c","image":"nginx"}]}}"#
        guard case .failure(let e) = c.call(.create, #"{"dryRun":"All","object":\#(invalid)}"#) else {
            return XCTFail("created")
        }
        XCTAssertEqual(e.code, 422)
        guard case .failure(let unsupported) = c.call(.create, #"{"dryRun":"Some","object":\#(pod)}"#) else {
            return XCTFail("created")
        }
        XCTAssertEqual(unsupported.code, 422)
        XCTAssertTrue(unsupported.message.hasPrefix(#"CreateOptions.meta.k8s.io "" is invalid: dryRun: Unsupported value: "#),
                      unsupported.message)

        for bad in [#"["All","Bogus"]"#, "true", "[1]"] {
            guard case .failure(let e) = c.call(.create, #"{"dryRun":\#(bad),"object":\#(pod)}"#) else {
                return XCTFail("created with dryRun \(bad)")
            }
            XCTAssertEqual(e.code, 422, bad)
        }
        // Reads ignore it, as upstream's do. A delete answers as it would mark the object: this
        // pod is on no node, so it would go at once, marked with a grace period of 0; it stays.
        XCTAssertNoThrow(try c.call(.get, #"{"resource":"pods","name":"\#(real.name)","dryRun":"All"}"#).get())
        let deleted = try c.call(.delete, #"{"resource":"pods","name":"\#(real.name)","dryRun":"All"}"#).get()
        XCTAssertEqual(deleted.uid, real.uid)
        XCTAssertEqual(deleted["metadata", "deletionGracePeriodSeconds"].int, 0)
        XCTAssertNotNil(deleted["metadata", "deletionTimestamp"].string)
        XCTAssertEqual(try XCTUnwrap(c.get("pods", real.name)).resourceVersion, real.resourceVersion)
        // A namespace would be marked Terminating; a protected one is refused as the delete is.
        try c.call(.create, #"{"object":{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"team"}}}"#).get()
        let ns = try c.call(.delete, #"{"resource":"namespaces","name":"team","dryRun":"All"}"#).get()
        XCTAssertEqual(ns["status", "phase"].string, "Terminating")
        XCTAssertEqual(c.get("namespaces", "team", namespace: nil)?["status", "phase"].string, "Active")
        guard case .failure(let protected) = c.call(.delete, #"{"resource":"namespaces","name":"default","dryRun":"All"}"#) else {
            return XCTFail("deleted default")
        }
        XCTAssertEqual(protected.code, 403)

        // An update: answered with the change, the stored object (and its revision) as before.
        var update = real
        update["metadata", "labels"] = ["tier": "web"]
        let updated = try c.call(.update, #"{"dryRun":"All","object":\#(update.serialized())}"#).get()
        XCTAssertEqual(updated["metadata", "labels", "tier"].string, "web")
        let stored = try XCTUnwrap(c.get("pods", real.name))
        XCTAssertNil(stored["metadata", "labels"].object)
        XCTAssertEqual(stored.resourceVersion, real.resourceVersion)
    }

    /// The generator commands: `--dry-run=server` prints the server's defaulted object and
    /// stores nothing; `--dry-run=client` prints what kubectl built.
    func testGeneratorsDryRunOnTheServer() throws {
        for version in KubernetesVersion.allCases {
            let c = Cluster.seedCluster(version: version)
            XCTAssertEqual(run(c, "create deployment web --image=nginx --dry-run=server").stdout,
                           "deployment.apps/web created (server dry run)\n", "\(version)")
            XCTAssertEqual(run(c, "run one --image=nginx --dry-run=server").stdout,
                           "pod/one created (server dry run)\n", "\(version)")
            let yaml = run(c, "create deployment web --image=nginx --dry-run=server -o yaml").stdout
            // The server's defaults, which a client dry run does not show.
            XCTAssertTrue(yaml.contains("progressDeadlineSeconds: 600"), yaml)
            XCTAssertTrue(yaml.contains("uid: "), yaml)
            XCTAssertFalse(run(c, "create deployment web --image=nginx --dry-run=client -o yaml").stdout
                .contains("progressDeadlineSeconds"))
            XCTAssertNil(c.get("deployments", "web"))
            XCTAssertNil(c.get("pods", "one"))
        }
    }
}
