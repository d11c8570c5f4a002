import XCTest
@testable import KubeSim

/// `kubectl run`: the pod kubectl's generator builds, created or (`--dry-run=client`)
/// printed as the Go structs encode it, and kubectl's errors.
final class KubectlRunTests: XCTestCase {
    private func run(_ c: Cluster, _ command: String) -> KubectlResult {
        c.kubectl(command.split(separator: " ").map(String.init))
    }

    func testRunCreatesAPodThatStarts() throws {
        let c = Cluster.seedCluster()
        let result = run(c, "run nginx --image=nginx:1.15 --port=80 --env=MODE=demo --labels=app=web,tier=front")
        XCTAssertEqual(result.stdout, "pod/nginx created\n", result.stderr)
        c.run(for: .seconds(30))
        let pod = try XCTUnwrap(c.get("pods", "nginx"))
        XCTAssertEqual(pod["metadata", "labels"].serialized(), #"{"app":"web","tier":"front"}"#)
        let container = pod["spec", "containers"][index: 0]
        XCTAssertEqual(container["name"].string, "nginx")
        XCTAssertEqual(container["ports"].serialized(), #"[{"containerPort":80,"protocol":"TCP"}]"#)
        XCTAssertEqual(container["env"].serialized(), #"[{"name":"MODE","value":"demo"}]"#)
        XCTAssertEqual(pod["spec", "restartPolicy"].string, "Always")
        XCTAssertEqual(pod["status", "phase"].string, "Running")
        // Run again: the API server's conflict, as kubectl prints it.
        XCTAssertEqual(run(c, "run nginx --image=nginx").stderr,
                       "Error from server (AlreadyExists): pods \"nginx\" already exists\n")
    }

    /// The manifest `kubectl run --dry-run=client -o yaml` is famous for writing; 1.36 leaves
    /// out the null creationTimestamp (omitzero).
    func testDryRunPrintsTheGeneratedPod() throws {
        for version in [KubernetesVersion.v1_18, .v1_36] {
            let c = Cluster.seedCluster(version: version)
            XCTAssertEqual(run(c, "run nginx --image=nginx --dry-run=client -o yaml").stdout, """
                apiVersion: v1
                kind: Pod
                metadata:
                \(version == .v1_18 ? "  creationTimestamp: null\n" : "")  labels:
                    run: nginx
                  name: nginx
                spec:
                  containers:
                  - image: nginx
                    name: nginx
                    resources: {}
                  dnsPolicy: ClusterFirst
                  restartPolicy: Always
                status: {}

                """)
            XCTAssertEqual(run(c, "run nginx --image=nginx --dry-run=client").stdout, "pod/nginx created (dry run)\n")
            XCTAssertNil(c.get("pods", "nginx"))
        }
        let c = Cluster.seedCluster()
        XCTAssertEqual(run(c, "run box --image=busybox --restart=Never --dry-run=client -o json --command -- sleep 3600").stdout, """
            {
                "kind": "Pod",
                "apiVersion": "v1",
                "metadata": {
                    "name": "box",
                    "creationTimestamp": null,
                    "labels": {
                        "run": "box"
                    }
                },
                "spec": {
                    "containers": [
                        {
                            "name": "box",
                            "image": "busybox",
                            "command": [
                                "sleep",
                                "3600"
                            ],
                            "resources": {}
                        }
                    ],
                    "restartPolicy": "Never",
                    "dnsPolicy": "ClusterFirst"
                },
                "status": {}
            }

            """)
    }

    func testArgumentsAfterTheDash() throws {
        let c = Cluster.seedCluster()
        XCTAssertEqual(run(c, "run box --image=busybox -- echo -n hi").stdout, "pod/box created\n")
        XCTAssertEqual(c.get("pods", "box")?["spec", "containers"][index: 0]["args"].serialized(), #"["echo","-n","hi"]"#)
    }

    func testErrors() throws {
        let c = Cluster.seedCluster()
        let usage = "\nSee 'kubectl run -h' for help and examples\n"
        XCTAssertEqual(run(c, "run --image=nginx").stderr, "error: NAME is required for run" + usage)
        XCTAssertEqual(run(c, "run --image=nginx -- sh").stderr, "error: NAME is required for run" + usage)
        XCTAssertEqual(run(c, "run web").stderr, "error: --image is required\n")
        XCTAssertEqual(run(c, "run web --image=Nginx").stderr, "error: Invalid image name \"Nginx\": invalid reference format\n")
        XCTAssertEqual(run(c, "run web --image=nginx --restart=Sometimes").stderr, "error: invalid restart policy: Sometimes" + usage)
        XCTAssertEqual(run(c, "run web --image=nginx --env=1X=y").stderr, "error: invalid env: 1X=y\n")
        XCTAssertEqual(run(c, "run web --image=nginx --labels=a").stderr, "error: unexpected label spec: a\n")
        XCTAssertEqual(run(c, "run web --image=nginx --dry-run=maybe").stderr,
                       "error: Invalid dry-run value (maybe). Must be \"none\", \"server\", or \"client\".\n")
        XCTAssertTrue(run(c, "run web --image=nginx -it").stderr.hasPrefix("error: kubesim does not support -it for run"))
        XCTAssertNil(c.get("pods", "web"))
    }

    func testImageReferences() {
        for valid in ["nginx", "nginx:1.15", "library/nginx", "docker.io/library/nginx:latest", "localhost:5000/app",
                      "Registry.Example.com/team/app:v1", "ubuntu@sha256:" + String(repeating: "a", count: 64),
                      "a__b", "a---b", "gcr.io/x/y.z_w:1_2-3"] {
            XCTAssertTrue(Cluster.isImageReference(valid), valid)
        }
        for invalid in ["", "Nginx", "nginx:", ":tag", "a/", "/a", "a//b", "nginx:-bad", "a@sha256:abc", "a..b", "a_-b",
                        "host:port/app", "ubuntu@" + String(repeating: "a", count: 64), "a b"] {
            XCTAssertFalse(Cluster.isImageReference(invalid), invalid)
        }
    }

    /// Flags as each release has them: 1.18's resource flags (a map: keys sorted), 1.36's
    /// annotations (ParsePairs' rules), and the other release's flags unknown.
    func testFlagsByRelease() throws {
        let c18 = Cluster.seedCluster(), c36 = Cluster.seedCluster(version: .v1_36)
        let json = run(c18, "run w --image=nginx --requests=memory=1Gi,cpu=1 --dry-run=true -o json").stdout
        XCTAssertTrue(json.contains("""
                            "resources": {
                                "requests": {
                                    "cpu": "1",
                                    "memory": "1Gi"
                                }
                            }
            """), json)
        XCTAssertEqual(run(c18, "run w --image=nginx --annotations=a=b").stderr, "error: unknown flag: --annotations\n")
        XCTAssertEqual(run(c36, "run w --image=nginx --requests=cpu=1").stderr, "error: unknown flag: --requests\n")
        XCTAssertEqual(run(c18, "run w --image=nginx --hostport=abc").stderr,
                       "error: invalid argument \"abc\" for \"--hostport\" flag: strconv.ParseInt: parsing \"abc\": invalid syntax\n")
        XCTAssertTrue(run(c36, "run w --image=nginx --annotations=note= --dry-run=client -o yaml").stdout
            .contains("  annotations:\n    note: \"\"\n"))
        XCTAssertEqual(run(c36, "run w --image=nginx --annotations==x --annotations=y").stderr,
                       "error: invalid annotations format: =x, y\n")
        // An empty --restart is Always; flags that ask for nothing are accepted.
        XCTAssertEqual(run(c36, "run w --image=nginx --restart= --rm=false -i=false").stdout, "pod/w created\n")
        XCTAssertEqual(c36.get("pods", "w")?["spec", "restartPolicy"].string, "Always")
        // The image is checked before the flags kubesim refuses.
        XCTAssertEqual(run(c36, "run w2 --image=Bad -it").stderr, "error: Invalid image name \"Bad\": invalid reference format\n")
        XCTAssertFalse(Cluster.isImageReference("a@sha-256:" + String(repeating: "a", count: 64)))
        XCTAssertTrue(Cluster.isImageReference("a@sha256+b64:" + String(repeating: "a", count: 64)))
    }
}
