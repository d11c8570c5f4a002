import XCTest
@testable import KubeSim

/// `kubectl get` over several resource types at once (`get deploy,rs`, `get all`,
/// `get deploy/a pod/b`), and the empty cases, as kubectl prints them.
final class KubectlGetTests: XCTestCase {
    private func names(_ c: Cluster, _ plural: String) -> [String] {
        guard case .success(let list) = c.request(.list, plural, namespace: "default") else { return [] }
        return (list["items"].array ?? []).map(\.name)
    }

    /// One table per type, in the order asked, each NAME prefixed with its kind and group,
    /// a blank line between tables.
    func testSeveralTypesPrintOneTableEachWithTheirKind() throws {
        let c = try Cluster.withWebDeployment()
        let rs = try XCTUnwrap(names(c, "replicasets").first)
        let pods = names(c, "pods")
        XCTAssertEqual(pods.count, 2)
        let r = c.kubectl(["get", "deploy,rs"])
        XCTAssertEqual(r.exitCode, 0)
        XCTAssertEqual(r.stderr, "")
        let rsName = "replicaset.apps/\(rs)"
        let rsPad = String(repeating: " ", count: rsName.count - 4)
        XCTAssertEqual(r.stdout, """
            NAME                  READY   UP-TO-DATE   AVAILABLE   AGE
            deployment.apps/web   2/2     2            2           30s

            NAME\(rsPad)   DESIRED   CURRENT   READY   AGE
            \(rsName)   2         2         2       30s

            """)

        // `all`: pods, then (services, daemonsets — none here, so no table) deployments and
        // replica sets; the kind is shown as for any several types.
        let all = c.kubectl(["get", "all"]).stdout
        let heads = all.split(separator: "\n", omittingEmptySubsequences: false).filter { $0.hasPrefix("NAME") }
        XCTAssertEqual(heads.count, 3, all)
        let rows = all.split(separator: "\n").filter { !$0.hasPrefix("NAME") }.map { String($0.prefix { $0 != " " }) }
        XCTAssertEqual(rows, pods.map { "pod/\($0)" } + ["deployment.apps/web", rsName], all)
        XCTAssertEqual(all.components(separatedBy: "\n\n").count, 3, all)

        // The order asked is kept, a type named twice is printed once; -l and -o wide apply to
        // every table; --no-headers drops the blank lines with the headers.
        let wide = c.kubectl(["get", "rs,deploy,rs", "-o", "wide", "-l", "app=web"]).stdout
        XCTAssertTrue(wide.hasPrefix("NAME"), wide)
        XCTAssertEqual(wide.split(separator: "\n").filter { $0.hasPrefix("NAME") }.count, 2, wide)
        XCTAssertTrue(wide.split(separator: "\n")[1].hasPrefix(rsName), wide)
        XCTAssertTrue(wide.contains("CONTAINERS"), wide)
        XCTAssertEqual(c.kubectl(["get", "deploy,rs", "--no-headers"]).stdout.split(separator: "\n", omittingEmptySubsequences: false).count, 3)

        // One type alone prints no kind; -o name always does.
        XCTAssertTrue(c.kubectl(["get", "deploy"]).stdout.contains("\nweb "))
        XCTAssertEqual(c.kubectl(["get", "deploy,rs", "-o", "name"]).stdout, "deployment.apps/web\n\(rsName)\n")
    }

    /// TYPE/NAME pairs of different types are several tables; a bare type beside them is
    /// refused with kubectl's words, and so is a selector.
    func testResourceNamePairs() throws {
        let c = try Cluster.withWebDeployment()
        let pod = try XCTUnwrap(names(c, "pods").first)
        let r = c.kubectl(["get", "deploy/web", "pod/\(pod)"])
        XCTAssertEqual(r.stdout.split(separator: "\n").filter { $0.hasPrefix("NAME") }.count, 2, r.stdout)
        XCTAssertTrue(r.stdout.contains("\ndeployment.apps/web "), r.stdout)
        XCTAssertTrue(r.stdout.contains("\npod/\(pod) "), r.stdout)
        // Two names of one type are one table, without the kind.
        let pods = c.kubectl(["get", "pod/\(pod)", "pods/\(pod)"]).stdout
        XCTAssertEqual(pods.split(separator: "\n").count, 3, pods)
        XCTAssertTrue(pods.contains("\n\(pod) "), pods)

        let mixed = c.kubectl(["get", "deployment/web", "rs"])
        XCTAssertEqual(mixed.exitCode, 1)
        XCTAssertEqual(mixed.stderr, "error: there is no need to specify a resource type as a separate argument when passing arguments in resource/name form (e.g. 'kubectl get resource/<resource_name>' instead of 'kubectl get resource resource/<resource_name>'\n")
        XCTAssertEqual(c.kubectl(["get", "deploy/web", "-l", "app=web"]).stderr,
                       "error: selectors and the all flag cannot be used when passing resource/name arguments\n")
        XCTAssertEqual(c.kubectl(["get", "deploy,frobs"]).stderr, "error: the server doesn't have a resource type \"frobs\"\n")
        // Names after a list of types are asked of each type: one is found, one is not.
        let both = c.kubectl(["get", "deploy,rs", "web"])
        XCTAssertTrue(both.stdout.hasPrefix("NAME                  READY"), both.stdout)
        XCTAssertEqual(both.stderr, "Error from server (NotFound): replicasets.apps \"web\" not found\n")
    }

    /// Nothing to show: the table printers say so on stderr (naming the namespace only when
    /// every type is namespaced); `-o json` and `-o yaml` print an empty List (kubectl 1.18's
    /// with the list accessor's empty selfLink too).
    func testEmptyResults() throws {
        let c = Cluster(config: try ClusterConfig.parse(JSON.parse(#"{"nodes": 1, "systemDaemonSets": false}"#)).get())
        XCTAssertEqual(c.kubectl(["get", "all"]).stderr, "No resources found in default namespace.\n")
        XCTAssertEqual(c.kubectl(["get", "deploy,rs", "-n", "kube-public"]).stderr, "No resources found in kube-public namespace.\n")
        XCTAssertEqual(c.kubectl(["get", "pods,nodes", "-l", "app=none"]).stderr, "No resources found\n")
        let json = c.kubectl(["get", "pods", "-o", "json"])
        XCTAssertEqual(json.stderr, "")
        XCTAssertEqual(json.stdout, """
            {
                "apiVersion": "v1",
                "items": [],
                "kind": "List",
                "metadata": {
                    "resourceVersion": "",
                    "selfLink": ""
                }
            }

            """)
        XCTAssertEqual(c.kubectl(["get", "pods", "-o", "yaml"]).stdout,
                       "apiVersion: v1\nitems: []\nkind: List\nmetadata:\n  resourceVersion: \"\"\n  selfLink: \"\"\n")
        let c36 = Cluster.seedCluster(version: .v1_36)
        XCTAssertEqual(c36.kubectl(["get", "pods", "-o", "yaml"]).stdout,
                       "apiVersion: v1\nitems: []\nkind: List\nmetadata:\n  resourceVersion: \"\"\n")
        XCTAssertEqual(c.kubectl(["get", "pods", "-o", "name"]).stdout, "")
        // A get by name that fails prints the error alone.
        let missing = c.kubectl(["get", "pod", "nope", "-o", "json"])
        XCTAssertEqual(missing.stdout, "")
        XCTAssertEqual(missing.stderr, "Error from server (NotFound): pods \"nope\" not found\n")
    }

    /// `-o json` is `json.MarshalIndent`'s: `<`, `>` and `&` escaped, as Go's encoder does.
    func testJSONOutputEscapesHTML() throws {
        let c = Cluster.seedCluster()
        c.applyOK("""
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: page}
            data: {html: "<a href='x'>a & b</a>"}
            """)
        let out = c.kubectl(["get", "configmap", "page", "-o", "json"]).stdout
        XCTAssertTrue(out.contains(#""html": "\u003ca href='x'\u003ea \u0026 b\u003c/a\u003e""#), out)
    }
}
