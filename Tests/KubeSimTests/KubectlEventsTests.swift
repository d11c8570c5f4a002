import XCTest
@testable import KubeSim

/// `kubectl events` (kubectl 1.36's `pkg/cmd/events`: events.go and event_printer.go): the
/// namespace's Events oldest first by `eventTime` (series, lastTimestamp, eventTime), equal
/// times where Go's unstable `sort.Sort` leaves them; LAST SEEN, TYPE, REASON, OBJECT as
/// `Kind/name`, MESSAGE, and NAMESPACE first with `-A`. kubectl 1.18 has no such command.
final class KubectlEventsTests: XCTestCase {
    private func run(_ c: Cluster, _ command: String) -> KubectlResult {
        c.kubectl(command.split(separator: " ").map(String.init))
    }

    /// `withWebDeployment` on 1.36, its names checked: the expected tables spell them out
    /// so that their columns read as kubectl aligns them.
    private func webCluster() throws -> Cluster {
        let c = try Cluster.withWebDeployment(version: .v1_36)
        let placed = c.pods("app=web").map { "\($0.name) on \($0["spec", "nodeName"].string ?? "")" }.sorted()
        XCTAssertEqual(placed, ["web-55966d5b59-jkj56 on minikube", "web-55966d5b59-vrglm on minikube-m02"])
        return c
    }

    /// The whole namespace, 30 s after the Deployment was applied. The scheduler's Scheduled
    /// (events.k8s.io: an eventTime to the microsecond, no lastTimestamp) sorts after the
    /// core/v1 events of the same second, whose lastTimestamp has whole seconds; the
    /// seventeen events of second 0 stand in the order Go's pdqsort leaves equal items.
    func testListsTheNamespaceOldestFirst() throws {
        let c = try webCluster()
        let out = run(c, "events")
        XCTAssertEqual(out.stderr, "")
        XCTAssertEqual(out.exitCode, 0)
        XCTAssertEqual(out.stdout, """
            LAST SEEN   TYPE     REASON                    OBJECT                      MESSAGE
            30s         Normal   NodeHasSufficientMemory   Node/minikube               Node minikube status is now: NodeHasSufficientMemory
            30s         Normal   NodeHasSufficientPID      Node/minikube               Node minikube status is now: NodeHasSufficientPID
            30s         Normal   NodeHasNoDiskPressure     Node/minikube-m02           Node minikube-m02 status is now: NodeHasNoDiskPressure
            30s         Normal   NodeHasNoDiskPressure     Node/minikube               Node minikube status is now: NodeHasNoDiskPressure
            30s         Normal   NodeAllocatableEnforced   Node/minikube-m02           Updated Node Allocatable limit across pods
            30s         Normal   NodeReady                 Node/minikube-m02           Node minikube-m02 status is now: NodeReady
            30s         Normal   ScalingReplicaSet         Deployment/web              Scaled up replica set web-55966d5b59 from 0 to 2
            30s         Normal   Starting                  Node/minikube               Starting kubelet.
            30s         Normal   NodeHasSufficientMemory   Node/minikube-m02           Node minikube-m02 status is now: NodeHasSufficientMemory
            30s         Normal   Starting                  Node/minikube-m02           Starting kubelet.
            30s         Normal   NodeHasSufficientPID      Node/minikube-m02           Node minikube-m02 status is now: NodeHasSufficientPID
            30s         Normal   NodeAllocatableEnforced   Node/minikube               Updated Node Allocatable limit across pods
            30s         Normal   NodeReady                 Node/minikube               Node minikube status is now: NodeReady
            30s         Normal   SuccessfulCreate          ReplicaSet/web-55966d5b59   Created pod: web-55966d5b59-jkj56
            30s         Normal   Pulling                   Pod/web-55966d5b59-vrglm    Pulling image "nginx:1.15"
            30s         Normal   Pulling                   Pod/web-55966d5b59-jkj56    Pulling image "nginx:1.15"
            30s         Normal   SuccessfulCreate          ReplicaSet/web-55966d5b59   Created pod: web-55966d5b59-vrglm
            29s         Normal   Scheduled                 Pod/web-55966d5b59-jkj56    Successfully assigned default/web-55966d5b59-jkj56 to minikube
            29s         Normal   Scheduled                 Pod/web-55966d5b59-vrglm    Successfully assigned default/web-55966d5b59-vrglm to minikube-m02
            28s         Normal   Started                   Pod/web-55966d5b59-jkj56    Container started
            28s         Normal   Created                   Pod/web-55966d5b59-jkj56    Container created
            28s         Normal   Pulled                    Pod/web-55966d5b59-vrglm    Successfully pulled image "nginx:1.15" in 2s (2s including waiting). Image size: 80147078 bytes.
            28s         Normal   Created                   Pod/web-55966d5b59-vrglm    Container created
            28s         Normal   Started                   Pod/web-55966d5b59-vrglm    Container started
            28s         Normal   Pulled                    Pod/web-55966d5b59-jkj56    Successfully pulled image "nginx:1.15" in 2s (2s including waiting). Image size: 80147078 bytes.
            25s         Normal   RegisteredNode            Node/minikube               Node minikube event: Registered Node minikube in Controller
            25s         Normal   RegisteredNode            Node/minikube-m02           Node minikube-m02 event: Registered Node minikube-m02 in Controller

            """)
    }

    /// `-A`: every namespace's events (the control plane's static pods are kube-system's),
    /// NAMESPACE first.
    func testAllNamespaces() throws {
        let c = try webCluster()
        XCTAssertEqual(run(c, "events -A").stdout, """
            NAMESPACE     LAST SEEN   TYPE     REASON                    OBJECT                                 MESSAGE
            kube-system   30s         Normal   Pulled                    Pod/etcd-minikube                      Container image "registry.k8s.io/etcd:3.6.5-0" already present on machine and can be accessed by the pod
            kube-system   30s         Normal   Created                   Pod/etcd-minikube                      Container created
            default       30s         Normal   NodeHasNoDiskPressure     Node/minikube-m02                      Node minikube-m02 status is now: NodeHasNoDiskPressure
            default       30s         Normal   NodeHasSufficientPID      Node/minikube-m02                      Node minikube-m02 status is now: NodeHasSufficientPID
            default       30s         Normal   NodeAllocatableEnforced   Node/minikube-m02                      Updated Node Allocatable limit across pods
            default       30s         Normal   NodeReady                 Node/minikube-m02                      Node minikube-m02 status is now: NodeReady
            kube-system   30s         Normal   Started                   Pod/kube-scheduler-minikube            Container started
            default       30s         Normal   Starting                  Node/minikube                          Starting kubelet.
            default       30s         Normal   NodeHasSufficientMemory   Node/minikube                          Node minikube status is now: NodeHasSufficientMemory
            default       30s         Normal   NodeHasNoDiskPressure     Node/minikube                          Node minikube status is now: NodeHasNoDiskPressure
            default       30s         Normal   NodeHasSufficientPID      Node/minikube                          Node minikube status is now: NodeHasSufficientPID
            default       30s         Normal   NodeAllocatableEnforced   Node/minikube                          Updated Node Allocatable limit across pods
            default       30s         Normal   NodeReady                 Node/minikube                          Node minikube status is now: NodeReady
            kube-system   30s         Normal   Created                   Pod/kube-scheduler-minikube            Container created
            kube-system   30s         Normal   Pulled                    Pod/kube-scheduler-minikube            Container image "registry.k8s.io/kube-scheduler:v1.36.0" already present on machine and can be accessed by the pod
            default       30s         Normal   Pulling                   Pod/web-55966d5b59-jkj56               Pulling image "nginx:1.15"
            kube-system   30s         Normal   Started                   Pod/kube-controller-manager-minikube   Container started
            kube-system   30s         Normal   Created                   Pod/kube-controller-manager-minikube   Container created
            default       30s         Normal   NodeHasSufficientMemory   Node/minikube-m02                      Node minikube-m02 status is now: NodeHasSufficientMemory
            kube-system   30s         Normal   Pulled                    Pod/kube-controller-manager-minikube   Container image "registry.k8s.io/kube-controller-manager:v1.36.0" already present on machine and can be accessed by the pod
            kube-system   30s         Normal   Started                   Pod/kube-apiserver-minikube            Container started
            kube-system   30s         Normal   Created                   Pod/kube-apiserver-minikube            Container created
            kube-system   30s         Normal   Pulled                    Pod/kube-apiserver-minikube            Container image "registry.k8s.io/kube-apiserver:v1.36.0" already present on machine and can be accessed by the pod
            default       30s         Normal   Pulling                   Pod/web-55966d5b59-vrglm               Pulling image "nginx:1.15"
            default       30s         Normal   SuccessfulCreate          ReplicaSet/web-55966d5b59              Created pod: web-55966d5b59-vrglm
            default       30s         Normal   SuccessfulCreate          ReplicaSet/web-55966d5b59              Created pod: web-55966d5b59-jkj56
            default       30s         Normal   ScalingReplicaSet         Deployment/web                         Scaled up replica set web-55966d5b59 from 0 to 2
            default       30s         Normal   Starting                  Node/minikube-m02                      Starting kubelet.
            kube-system   30s         Normal   Started                   Pod/etcd-minikube                      Container started
            default       29s         Normal   Scheduled                 Pod/web-55966d5b59-vrglm               Successfully assigned default/web-55966d5b59-vrglm to minikube-m02
            default       29s         Normal   Scheduled                 Pod/web-55966d5b59-jkj56               Successfully assigned default/web-55966d5b59-jkj56 to minikube
            default       28s         Normal   Started                   Pod/web-55966d5b59-jkj56               Container started
            default       28s         Normal   Created                   Pod/web-55966d5b59-vrglm               Container created
            default       28s         Normal   Pulled                    Pod/web-55966d5b59-vrglm               Successfully pulled image "nginx:1.15" in 2s (2s including waiting). Image size: 80147078 bytes.
            default       28s         Normal   Started                   Pod/web-55966d5b59-vrglm               Container started
            default       28s         Normal   Pulled                    Pod/web-55966d5b59-jkj56               Successfully pulled image "nginx:1.15" in 2s (2s including waiting). Image size: 80147078 bytes.
            default       28s         Normal   Created                   Pod/web-55966d5b59-jkj56               Container created
            default       25s         Normal   RegisteredNode            Node/minikube                          Node minikube event: Registered Node minikube in Controller
            default       25s         Normal   RegisteredNode            Node/minikube-m02                      Node minikube-m02 event: Registered Node minikube-m02 in Controller

            """)
    }

    /// `--for KIND/NAME`: a field selector on the involvedObject's kind, apiVersion and name,
    /// the kind resolved as kubectl's REST mapper does (singular, short name, `Kind`,
    /// `resource.group`, `resource.version.group`).
    func testForOneObject() throws {
        let c = try webCluster()
        let pod = """
            LAST SEEN   TYPE     REASON      OBJECT                     MESSAGE
            30s         Normal   Pulling     Pod/web-55966d5b59-jkj56   Pulling image "nginx:1.15"
            29s         Normal   Scheduled   Pod/web-55966d5b59-jkj56   Successfully assigned default/web-55966d5b59-jkj56 to minikube
            28s         Normal   Pulled      Pod/web-55966d5b59-jkj56   Successfully pulled image "nginx:1.15" in 2s (2s including waiting). Image size: 80147078 bytes.
            28s         Normal   Created     Pod/web-55966d5b59-jkj56   Container created
            28s         Normal   Started     Pod/web-55966d5b59-jkj56   Container started

            """
        XCTAssertEqual(run(c, "events --for pod/web-55966d5b59-jkj56").stdout, pod)
        XCTAssertEqual(run(c, "events -l app=web").stderr,
                       "error: unknown shorthand flag: 'l' in -l\nSee 'kubectl events --help' for usage.\n")
        // No name: no selector, every event.
        XCTAssertEqual(run(c, "events --for pod/").stdout, run(c, "events").stdout)
        XCTAssertEqual(run(c, "events --for=Pod/web-55966d5b59-jkj56").stdout, pod)
        XCTAssertEqual(run(c, "events --for po/web-55966d5b59-jkj56 --no-headers").stdout, """
            30s   Normal   Pulling     Pod/web-55966d5b59-jkj56   Pulling image "nginx:1.15"
            29s   Normal   Scheduled   Pod/web-55966d5b59-jkj56   Successfully assigned default/web-55966d5b59-jkj56 to minikube
            28s   Normal   Pulled      Pod/web-55966d5b59-jkj56   Successfully pulled image "nginx:1.15" in 2s (2s including waiting). Image size: 80147078 bytes.
            28s   Normal   Created     Pod/web-55966d5b59-jkj56   Container created
            28s   Normal   Started     Pod/web-55966d5b59-jkj56   Container started

            """)
        let deployment = """
            LAST SEEN   TYPE     REASON              OBJECT           MESSAGE
            30s         Normal   ScalingReplicaSet   Deployment/web   Scaled up replica set web-55966d5b59 from 0 to 2

            """
        // "deployments.app": the REST mapper takes a group it is a prefix of.
        for kind in ["deployment", "deploy", "deployments.apps", "deployments.v1.apps", "deployments.app"] {
            XCTAssertEqual(run(c, "events --for \(kind)/web").stdout, deployment, kind)
        }
        // The kubelet's events about its Node carry no apiVersion, so only the node
        // controller's match (as with real kubectl).
        XCTAssertEqual(run(c, "events --for node/minikube").stdout, """
            LAST SEEN   TYPE     REASON           OBJECT          MESSAGE
            25s         Normal   RegisteredNode   Node/minikube   Node minikube event: Registered Node minikube in Controller

            """)
        // Nothing about it: the no-events message, on stderr, and success.
        let none = run(c, "events --for pod/nope")
        XCTAssertEqual([none.stdout, none.stderr], ["", "No events found in default namespace.\n"])
        XCTAssertEqual(none.exitCode, 0)
        XCTAssertEqual(run(c, "events -A --for pod/nope").stderr, "No events found.\n")
        XCTAssertEqual(run(c, "events -n kube-node-lease").stderr, "No events found in kube-node-lease namespace.\n")
    }

    /// `--types=Warning`: a pod no node fits gets the scheduler's FailedScheduling, once per
    /// attempt (kubesim's scheduler records no series); the types compare without case.
    func testTypesWarning() throws {
        let c = try webCluster()
        XCTAssertEqual(run(c, "events --types=Warning").stderr, "No events found in default namespace.\n")
        c.applyOK("""
            apiVersion: v1
            kind: Pod
            metadata: {name: ssd}
            spec:
              nodeSelector: {disk: ssd}
              containers: [{name: nginx, image: "nginx:1.15"}]
            """)
        c.run(for: .seconds(15))
        let warnings = """
            LAST SEEN   TYPE      REASON             OBJECT    MESSAGE
            14s         Warning   FailedScheduling   Pod/ssd   0/2 nodes are available: 2 node(s) didn't match Pod's node affinity/selector. preemption: 0/2 nodes are available: 2 Preemption is not helpful for scheduling.
            13s         Warning   FailedScheduling   Pod/ssd   0/2 nodes are available: 2 node(s) didn't match Pod's node affinity/selector. preemption: 0/2 nodes are available: 2 Preemption is not helpful for scheduling.

            """
        XCTAssertEqual(run(c, "events --types=Warning").stdout, warnings)
        XCTAssertEqual(run(c, "events --types warning --for pod/ssd").stdout, warnings)
        XCTAssertEqual(run(c, "events --types=Normal,Warning --for pod/ssd").stdout, warnings)
        XCTAssertEqual(run(c, "events --types=Normal --for pod/ssd").stderr, "No events found in default namespace.\n")
    }

    /// LAST SEEN of a repeated event: `AGE (xCOUNT over FIRST)`, from a core/v1 count and
    /// last/firstTimestamp, or from an events.k8s.io series and the eventTime; the message
    /// trimmed. With `-w` each prints as it arrived, aged then, the columns growing as the
    /// rows need.
    func testRepeatedEvents() throws {
        let c = try webCluster()
        let created = c.kubectl(["create", "-f", "-"], stdin: """
            apiVersion: v1
            kind: Event
            metadata: {name: web.repeated}
            involvedObject: {kind: Deployment, name: web, namespace: default, apiVersion: apps/v1}
            reason: Tested
            message: "  again and again  "
            type: Warning
            count: 3
            firstTimestamp: "2024-01-01T00:00:10Z"
            lastTimestamp: "2024-01-01T00:00:40Z"
            source: {component: tester}
            ---
            apiVersion: v1
            kind: Event
            metadata: {name: web.series}
            involvedObject: {kind: Deployment, name: web, namespace: default, apiVersion: apps/v1}
            reason: Series
            message: in a series
            type: Normal
            eventTime: "2024-01-01T00:00:05.000000Z"
            series: {count: 4, lastObservedTime: "2024-01-01T00:00:41.500000Z"}
            reportingComponent: tester
            reportingInstance: tester-1
            action: Testing
            """)
        XCTAssertEqual(created.stdout, "event/web.repeated created\nevent/web.series created\n")
        c.run(for: .seconds(15))
        XCTAssertEqual(run(c, "events --for deployment/web").stdout, """
            LAST SEEN          TYPE      REASON              OBJECT           MESSAGE
            45s                Normal    ScalingReplicaSet   Deployment/web   Scaled up replica set web-55966d5b59 from 0 to 2
            5s (x3 over 35s)   Warning   Tested              Deployment/web   again and again
            3s (x4 over 40s)   Normal    Series              Deployment/web   in a series

            """)
        XCTAssertEqual(run(c, "events --for deployment/web -w").stdout, """
            LAST SEEN   TYPE     REASON              OBJECT           MESSAGE
            0s          Normal   ScalingReplicaSet   Deployment/web   Scaled up replica set web-55966d5b59 from 0 to 2
            0s (x3 over 30s)   Warning   Tested              Deployment/web   again and again
            0s (x4 over 36s)   Normal    Series              Deployment/web   in a series

            """)
    }

    /// `-o json`: a `corev1.EventList` as encoding/json writes the typed structs (field
    /// order, an unset time as null, `source: {}`), not the sorted maps `get -o json` prints;
    /// `-o yaml` the same, keys sorted.
    func testJSONAndYAML() throws {
        let c = try webCluster()
        let out = run(c, "events --for pod/web-55966d5b59-jkj56 -o json")
        let list = try JSON.parse(out.stdout)
        let items = list["items"].array ?? []
        XCTAssertEqual(items.map { $0["reason"].string ?? "" }, ["Pulling", "Scheduled", "Pulled", "Created", "Started"])
        let scheduled = items[1]
        let meta = scheduled["metadata"]
        let uid = c.pods("app=web").first { $0.name == "web-55966d5b59-jkj56" }?.uid ?? ""
        let expected = """
                {
                    "kind": "Event",
                    "apiVersion": "v1",
                    "metadata": {
                        "name": "\(meta["name"].string ?? "")",
                        "namespace": "default",
                        "uid": "\(meta["uid"].string ?? "")",
                        "resourceVersion": "\(meta["resourceVersion"].string ?? "")",
                        "creationTimestamp": "2024-01-01T00:00:00Z"
                    },
                    "involvedObject": {
                        "kind": "Pod",
                        "namespace": "default",
                        "name": "web-55966d5b59-jkj56",
                        "uid": "\(uid)",
                        "apiVersion": "v1",
                        "resourceVersion": "\(scheduled["involvedObject", "resourceVersion"].string ?? "")"
                    },
                    "reason": "Scheduled",
                    "message": "Successfully assigned default/web-55966d5b59-jkj56 to minikube",
                    "source": {},
                    "firstTimestamp": null,
                    "lastTimestamp": null,
                    "type": "Normal",
                    "eventTime": "\(scheduled["eventTime"].string ?? "")",
                    "action": "Binding",
                    "reportingComponent": "default-scheduler",
                    "reportingInstance": "default-scheduler-minikube"
                }
            """
        XCTAssertTrue(out.stdout.hasPrefix("{\n    \"kind\": \"EventList\",\n    \"apiVersion\": \"v1\",\n    \"metadata\": {},\n"))
        // The literal's lines stand 4 in; the list's items 8.
        XCTAssertTrue(out.stdout.contains(expected.split(separator: "\n").map { "    " + $0 }.joined(separator: "\n")),
                      out.stdout)
        XCTAssertTrue(out.stdout.hasSuffix("        }\n    ]\n}\n"))
        let yaml = run(c, "events --for pod/web-55966d5b59-jkj56 -o yaml").stdout
        XCTAssertTrue(yaml.hasPrefix("apiVersion: v1\nitems:\n- apiVersion: v1\n  count: 1\n  eventTime: null\n"), yaml)
        XCTAssertTrue(yaml.contains("\n  reportingComponent: \"\"\n  reportingInstance: \"\"\n  source:\n"), yaml)
        XCTAssertTrue(yaml.contains("\n  source: {}\n"), yaml)
        XCTAssertTrue(yaml.hasSuffix("\nkind: EventList\nmetadata: {}\n"), yaml)
        // JSONPath queries the same list; -o name prints nothing for a typed list (kubectl
        // drops the name printer's error); other formats are no printer of events'.
        XCTAssertEqual(run(c, "events --for pod/web-55966d5b59-jkj56 -o jsonpath={.items[*].reason}").stdout,
                       "Pulling Scheduled Pulled Created Started")
        XCTAssertEqual(run(c, "events -o name").stdout, "")
        // With -w, each by itself in the order written: the name printer's "event/NAME".
        func written(_ e: JSON) -> Int { Int(e["metadata", "resourceVersion"].string ?? "") ?? 0 }
        let inOrder = items.sorted { written($0) < written($1) }
        XCTAssertEqual(run(c, "events --for pod/web-55966d5b59-jkj56 -w -o name").stdout,
                       inOrder.map { "event/\($0["metadata", "name"].string ?? "")\n" }.joined())
        // events has the generic PrintFlags create has (cli-runtime v0.36: KYAML on by default).
        XCTAssertEqual(run(c, "events -o wide").stderr, "error: unable to match a printer suitable for the output "
            + "format \"wide\", allowed formats are: go-template,go-template-file,json,jsonpath,jsonpath-as-json,"
            + "jsonpath-file,kyaml,name,template,templatefile,yaml\n")
        XCTAssertEqual(run(c, "events -o go-template={{.kind}}").stderr,
                       "error: kubesim does not print Go templates; use -o jsonpath=TEMPLATE\n")
        XCTAssertEqual(run(c, "events -o KYAML").stderr, "error: kubesim does not print KYAML; use -o yaml\n")
    }

    /// kubectl's errors, each before anything is listed: --for's form and kind (a REST
    /// mapper's NoResourceMatchError prints without "error: "), then --types.
    func testErrors() throws {
        let c = try webCluster()
        let cases: [(String, String)] = [
            ("events --for pod", "error: --for must be in resource/name form\n"),
            ("events --for a/b/c", "error: arguments in resource/name form may not have more than one slash\n"),
            ("events --for foo/x", "the server doesn't have a resource type \"foo\"\n"),
            ("events --for deployments.extensions/web", "the server doesn't have a resource type \"deployments\" in group \"extensions\"\n"),
            ("events --for /x", "error: a resource must be present, got: /, Resource=\n"),
            ("events --types=Info", "error: valid --types are Normal or Warning\n"),
            ("events --for foo/x --types=Info", "the server doesn't have a resource type \"foo\"\n"),
        ]
        for (command, stderr) in cases {
            let out = run(c, command)
            XCTAssertEqual([out.stdout, out.stderr], ["", stderr], command)
            XCTAssertEqual(out.exitCode, 1, command)
        }
    }

    /// kubectl 1.18 has no `events` command: the answer to any unknown one.
    func testNoEventsCommandOn118() throws {
        let c = try Cluster.withWebDeployment(version: .v1_18)
        for command in ["events", "events --for pod/x --types=Warning"] {
            let out = run(c, command)
            XCTAssertEqual([out.stdout, out.stderr], ["", "error: unknown command \"events\" for \"kubectl\"\n"], command)
            XCTAssertEqual(out.exitCode, 1)
        }
    }

    /// `GoSort` leaves equal items where Go's `sort.Sort` does: permutations produced by
    /// Go's own pdqsort (sort/zsortinterface.go, xorshift 13, 7, 17) over keys with many ties;
    /// the 16- and 22-item cases differ under Go 1.19's xorshift.
    func testGoSortLeavesTiesWhereGoDoes() {
        let cases: [(keys: [Int], order: [Int])] = [
            ([2, 3, 3, 2, 0, 3, 2, 2, 2, 2, 1, 0, 0, 0, 1, 2],
             [12, 4, 13, 11, 10, 14, 9, 8, 7, 6, 3, 0, 15, 5, 1, 2]),
            ([3, 3, 2, 0, 0, 0, 2, 2, 2, 0, 0, 2, 3, 0, 3, 2, 3, 0, 1, 1, 2, 1],
             [10, 9, 3, 4, 5, 17, 13, 21, 19, 18, 11, 15, 8, 7, 6, 20, 2, 0, 1, 12, 14, 16]),
            ([12, 2, 4, 2, 4, 17, 4, 20, 17, 12, 5, 13, 17, 16, 10, 10, 18, 7, 15, 8],
             [1, 3, 2, 4, 6, 10, 17, 19, 15, 14, 9, 0, 11, 18, 13, 8, 12, 5, 16, 7]),
            ([17, 17, 8, 21, 35, 22, 13, 0, 6, 7, 12, 27, 14, 11, 23, 12, 9, 11, 2, 10, 26, 4, 17, 32, 17, 28, 8, 33,
              23, 8, 32, 23, 15, 24, 18],
             [7, 18, 21, 8, 9, 29, 2, 26, 16, 19, 17, 13, 15, 10, 6, 12, 32, 24, 1, 0, 22, 34, 3, 5, 14, 31, 28, 33,
              20, 11, 25, 30, 23, 27, 4]),
            ((0..<40).map { (40 - $0) / 2 },
             [39, 38, 37, 36, 35, 33, 34, 32, 31, 30, 29, 28, 27, 26, 25, 24, 23, 21, 22, 20, 19, 18, 17, 16, 15, 14,
              13, 11, 12, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0]),
        ]
        for (keys, order) in cases {
            var items = Array(keys.enumerated())
            GoSort.sort(&items) { $0.element < $1.element }
            XCTAssertEqual(items.map(\.offset), order, "\(keys)")
        }
    }
}
