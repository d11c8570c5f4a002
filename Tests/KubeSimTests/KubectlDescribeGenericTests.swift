import XCTest
@testable import KubeSim

/// `kubectl describe` of the kinds kubectl has no describer for (Event, Lease,
/// ControllerRevision: its generic describer) and of PodDisruptionBudgets, as kubectl 1.18
/// and 1.36 print them.
///
/// The expected texts are written from describe.go's `genericDescriber`,
/// `printUnstructuredContent` and `smartLabelFor`, and from Go's tabwriter (minwidth 0,
/// padding 2): a cell is padded to the widest cell of its column plus two, over each run of
/// consecutive lines that have that column; a line without a tab (a map's or a list's label)
/// ends the run. Uids and resource versions are the seeded cluster's.
final class KubectlDescribeGenericTests: XCTestCase {
    private func run(_ c: Cluster, _ command: String) -> KubectlResult {
        c.kubectl(command.split(separator: " ").map(String.init))
    }

    private func describe(_ c: Cluster, _ command: String, file: StaticString = #filePath, line: UInt = #line) -> String {
        let r = run(c, "describe " + command)
        XCTAssertEqual(r.exitCode, 0, r.stderr, file: file, line: line)
        XCTAssertEqual(r.stderr, "", file: file, line: line)
        return r.stdout
    }

    // MARK: Lease

    /// A node's Lease: fields by sorted key, the metadata less name, namespace, labels and
    /// annotations; the owner reference's fields share a column run with the metadata after
    /// them, and the spec's with the Events line.
    func testLease() throws {
        for version in KubernetesVersion.allCases {
            let c = Cluster.seedCluster(version: version)
            XCTAssertEqual(describe(c, "lease minikube -n kube-node-lease"), """
                Name:         minikube
                Namespace:    kube-node-lease
                Labels:       <none>
                Annotations:  <none>
                API Version:  coordination.k8s.io/v1
                Kind:         Lease
                Metadata:
                  Creation Timestamp:  2024-01-01T00:00:00Z
                  Owner References:
                    API Version:     v1
                    Kind:            Node
                    Name:            minikube
                    UID:             8abe9e6e-a4e4-4281-85d2-44c5ea9789c8
                  Resource Version:  22
                  UID:               4a1c0b9c-c445-4c08-88f3-1c7ced46cddf
                Spec:
                  Holder Identity:         minikube
                  Lease Duration Seconds:  40
                  Renew Time:              2024-01-01T00:00:00.000000Z
                Events:                    <none>

                """, "\(version)")
        }
    }

    /// No name: every Lease of the namespace, separated by a blank line as each describer's
    /// text ends in a newline; 1.36 leaves the events out when several objects print, or
    /// when a name prefix selects them.
    func testAllLeases() throws {
        for version in KubernetesVersion.allCases {
            let c = Cluster.seedCluster(version: version)
            let names = ["minikube", "minikube-m02", "minikube-m03"]
            let events = version == .v1_18 ? "" : " --show-events=false"
            let each = names.map { describe(c, "lease \($0) -n kube-node-lease\(events)") }
            XCTAssertEqual(describe(c, "lease -n kube-node-lease"), each.joined(separator: "\n\n"), "\(version)")
            XCTAssertEqual(each.filter { $0.contains("\nEvents:") }.count, version == .v1_18 ? 3 : 0)
            // A name no Lease has: those it begins, each followed by a blank line.
            XCTAssertEqual(describe(c, "lease minikube-m -n kube-node-lease"), each[1] + "\n" + each[2] + "\n")
        }
    }

    // MARK: Event

    /// An Event the DaemonSet controller recorded (core fields: count, timestamps, source)
    /// and one the scheduler recorded through events.k8s.io (action, eventTime, an empty
    /// source, which prints its label alone). Empty strings leave their padding behind.
    func testEvents() throws {
        for version in KubernetesVersion.allCases {
            let c = Cluster.seedCluster(version: version)
            XCTAssertEqual(describe(c, "event kindnet.17a61017016de4b7 -n kube-system"), """
                Name:             kindnet.17a61017016de4b7
                Namespace:        kube-system
                Labels:           <none>
                Annotations:      <none>
                API Version:      v1
                Count:            1
                First Timestamp:  2024-01-01T00:00:00Z
                Involved Object:
                  API Version:       apps/v1
                  Kind:              DaemonSet
                  Name:              kindnet
                  Namespace:         kube-system
                  Resource Version:  43
                  UID:               bbbdd01f-63d0-428d-8fcc-536e88ad3fdd
                Kind:                Event
                Last Timestamp:      2024-01-01T00:00:00Z
                Message:             Created pod: kindnet-kzjvg
                Metadata:
                  Creation Timestamp:  2024-01-01T00:00:00Z
                  Resource Version:    55
                  UID:                 cdccd5c7-7c5e-491b-8bb9-cd45e61ac969
                Reason:                SuccessfulCreate
                Reporting Component:\("   ")
                Reporting Instance:\("    ")
                Source:
                  Component:  daemonset-controller
                Type:         Normal
                Events:       <none>

                """, "\(version)")

            XCTAssertEqual(describe(c, "events kindnet-kzjvg.17a6101701735de4 -n kube-system"), """
                Name:         kindnet-kzjvg.17a6101701735de4
                Namespace:    kube-system
                Labels:       <none>
                Annotations:  <none>
                Action:       Binding
                API Version:  v1
                Event Time:   2024-01-01T00:00:00.000941Z
                Involved Object:
                  API Version:       v1
                  Kind:              Pod
                  Name:              kindnet-kzjvg
                  Namespace:         kube-system
                  Resource Version:  46
                  UID:               7e634b85-88d0-40f5-9ea5-415d722bade3
                Kind:                Event
                Message:             Successfully assigned kube-system/kindnet-kzjvg to minikube
                Metadata:
                  Creation Timestamp:  2024-01-01T00:00:00Z
                  Resource Version:    76
                  UID:                 0cc87963-9384-43d7-b54d-21e1d2d791ec
                Reason:                Scheduled
                Reporting Component:   default-scheduler
                Reporting Instance:    default-scheduler-minikube
                Source:
                Type:    Normal
                Events:  <none>

                """, "\(version)")
        }
    }

    // MARK: ControllerRevision

    /// A DaemonSet's revision: the template patch in `data`, nested maps a level deeper each,
    /// a list of maps as their fields with nothing between them, a list of strings one per
    /// line, null as `<nil>`, names with other than letters and `-` as they are (`$patch`,
    /// `k8s-app`), and no acronym but the known ones (`Cpu`, `Dns Policy`).
    func testDaemonSetRevision() throws {
        for version in KubernetesVersion.allCases {
            let c = Cluster.seedCluster(version: version)
            XCTAssertEqual(describe(c, "controllerrevision kindnet-784d7f8f56 -n kube-system"), """
                Name:         kindnet-784d7f8f56
                Namespace:    kube-system
                Labels:       app=kindnet
                              controller-revision-hash=784d7f8f56
                              k8s-app=kindnet
                              tier=node
                Annotations:  deprecated.daemonset.template.generation: 1
                API Version:  apps/v1
                Data:
                  Spec:
                    Template:
                      $patch:  replace
                      Metadata:
                        Creation Timestamp:  <nil>
                        Labels:
                          App:      kindnet
                          k8s-app:  kindnet
                          Tier:     node
                      Spec:
                        Containers:
                          Image:              kindest/kindnetd:0.5.4
                          Image Pull Policy:  IfNotPresent
                          Name:               kindnet-cni
                          Resources:
                            Limits:
                              Cpu:     100m
                              Memory:  50Mi
                            Requests:
                              Cpu:     100m
                              Memory:  50Mi
                          Security Context:
                            Capabilities:
                              Add:
                                NET_RAW
                                NET_ADMIN
                            Privileged:                false
                          Termination Message Path:    /dev/termination-log
                          Termination Message Policy:  File
                        Dns Policy:                    ClusterFirst
                        Host Network:                  true
                        Restart Policy:                Always
                        Scheduler Name:                default-scheduler
                        Security Context:
                        Service Account Name:              kindnet
                        Termination Grace Period Seconds:  30
                        Tolerations:
                          Effect:    NoSchedule
                          Operator:  Exists
                Kind:                ControllerRevision
                Metadata:
                  Creation Timestamp:  2024-01-01T00:00:00Z
                  Owner References:
                    API Version:           apps/v1
                    Block Owner Deletion:  true
                    Controller:            true
                    Kind:                  DaemonSet
                    Name:                  kindnet
                    UID:                   bbbdd01f-63d0-428d-8fcc-536e88ad3fdd
                  Resource Version:        45
                  UID:                     cc307f60-cede-4ede-9d6e-f1b3b3e652d0
                Revision:                  1
                Events:                    <none>

                """, "\(version)")
        }
    }

    /// Where the releases differ: 1.18 knows OSB and title-cases every word, so an acronym's
    /// plural splits (`Pod CID Rs`); 1.36 keeps it whole and escapes ESC as `^[`. Values print
    /// as Go's `%v` of what the dynamic client decodes: integers as int64, other numbers as
    /// float64 (`%g`), lists inside lists as `[a b]`, maps as `map[k:v]`.
    func testVersionsAndValues() throws {
        for version in KubernetesVersion.allCases {
            let c = Cluster.seedCluster(version: version)
            let created = c.kubectl(["create", "-f", "-"], stdin: """
                {"apiVersion": "apps/v1", "kind": "ControllerRevision",
                 "metadata": {"name": "custom", "labels": {"tier": "web"}},
                 "revision": 2,
                 "data": {"podCIDRs": ["10.0.0.0/24", "fd00::/64"], "osbURL": "https://osb",
                          "hostIPs": [{"ip": "10.0.0.1"}, {"ip": "10.0.0.2"}], "guid": "g-1",
                          "ratio": 1.5, "tiny": 1e-7, "big": 1e21, "nothing": null, "enabled": true,
                          "empty": {}, "none": [], "matrix": [[1, 2], ["a", {"k": "v"}]],
                          "escaped": "a\\u001b[31mb", "dashed-name": "x"}}
                """)
            XCTAssertEqual(created.exitCode, 0, created.stderr)
            let object = try XCTUnwrap(c.get("controllerrevisions", "custom"))
            let created36 = version == .v1_36
            XCTAssertEqual(describe(c, "controllerrevision custom"), """
                Name:         custom
                Namespace:    default
                Labels:       tier=web
                Annotations:  <none>
                API Version:  apps/v1
                Data:
                  Big:            1e+21
                  Dashed - Name:  x
                  Empty:
                  Enabled:  true
                  Escaped:  a\(created36 ? "^[" : "\u{1B}")[31mb
                  GUID:     g-1
                  Host I Ps:
                    Ip:  10.0.0.1
                    Ip:  10.0.0.2
                  Matrix:
                    [1 2]
                    [a map[k:v]]
                  None:
                  Nothing:  <nil>
                  \(created36 ? "Osb" : "OSB") URL:  https://osb
                  \(created36 ? "Pod CIDRs" : "Pod CID Rs"):
                    10.0.0.0/24
                    fd00::/64
                  Ratio:  1.5
                  Tiny:   1e-07
                Kind:     ControllerRevision
                Metadata:
                  Creation Timestamp:  2024-01-01T00:00:00Z
                  Resource Version:    \(object["metadata", "resourceVersion"].string ?? "")
                  UID:                 \(object.uid)
                Revision:              2
                Events:                <none>

                """, "\(version)")
        }
    }

    /// `smartLabelFor` on its own: camelcase.Split's runs, the acronyms each release knows,
    /// and what 1.36's merge of an upper-case run with the next part joins.
    func testSmartLabels() {
        let cases: [(String, String, String)] = [
            ("apiVersion", "API Version", "API Version"),
            ("uid", "UID", "UID"),
            ("leaseDurationSeconds", "Lease Duration Seconds", "Lease Duration Seconds"),
            ("podCIDRs", "Pod CID Rs", "Pod CIDRs"),
            ("osbGUID", "OSB GUID", "Osb GUID"),
            // 1.36's merge also joins an acronym to the capitalised word after it.
            ("PDFLoader", "PDF Loader", "PDFLoader"),
            ("hostIPC", "Host IPC", "Host IPC"),
            ("k8s-app", "k8s-app", "k8s-app"),
            ("a_b", "a_b", "a_b"),
            ("--Foo", "-- Foo", "--Foo"),
            ("", "", ""),
        ]
        for (field, v18, v36) in cases {
            XCTAssertEqual(Describe.smartLabel(field, .v1_18), v18, field)
            XCTAssertEqual(Describe.smartLabel(field, .v1_36), v36, field)
        }
    }

    // MARK: PodDisruptionBudget

    /// The same text in both releases: the bound set, the selector (`<unset>` without one),
    /// the DisruptionController's counts two levels in, whose column run the Events line
    /// joins when there are none.
    func testPodDisruptionBudgets() throws {
        for version in KubernetesVersion.allCases {
            let c = Cluster.seedCluster(version: version)
            c.applyOK(Seed.nginx(replicas: 3))
            c.run(for: .seconds(60))
            c.applyOK("""
                apiVersion: policy/v1
                kind: PodDisruptionBudget
                metadata: {name: nginx-pdb}
                spec:
                  minAvailable: 2
                  selector: {matchLabels: {app: nginx}}
                ---
                apiVersion: policy/v1
                kind: PodDisruptionBudget
                metadata: {name: web-pdb}
                spec:
                  maxUnavailable: 50%
                  selector: {matchLabels: {app: web}}
                ---
                apiVersion: policy/v1
                kind: PodDisruptionBudget
                metadata: {name: any-pdb}
                spec:
                  maxUnavailable: 1
                """)
            c.run(for: .seconds(10))
            XCTAssertEqual(describe(c, "pdb nginx-pdb"), """
                Name:           nginx-pdb
                Namespace:      default
                Min available:  2
                Selector:       app=nginx
                Status:
                    Allowed disruptions:  1
                    Current:              3
                    Desired:              2
                    Total:                3
                Events:                   <none>

                """, "\(version)")
            XCTAssertEqual(describe(c, "poddisruptionbudget web-pdb"), """
                Name:             web-pdb
                Namespace:        default
                Max unavailable:  50%
                Selector:         app=web
                Status:
                    Allowed disruptions:  0
                    Current:              0
                    Desired:              0
                    Total:                0
                Events:
                  Type    Reason  Age                From               Message
                  ----    ------  ----               ----               -------
                  Normal  NoPods  10s (x2 over 10s)  controllermanager  No matching pods found

                """, "\(version)")
            XCTAssertEqual(describe(c, "pdb any-pdb --show-events=false"), """
                Name:             any-pdb
                Namespace:        default
                Max unavailable:  1
                Selector:         <unset>
                Status:
                    Allowed disruptions:  0
                    Current:              0
                    Desired:              0
                    Total:                0

                """, "\(version)")
        }
    }

    // MARK: Services

    /// kubectl describes a Service with its own describer, which reads Endpoints; kubesim has
    /// no Endpoints, so it still says it has no describer rather than fall back to the generic one.
    func testServiceHasNoDescriber() throws {
        for version in KubernetesVersion.allCases {
            let c = Cluster.seedCluster(version: version)
            c.applyOK("""
                apiVersion: v1
                kind: Service
                metadata: {name: web}
                spec:
                  selector: {app: web}
                  ports: [{port: 80}]
                """)
            let r = run(c, "describe service web")
            XCTAssertEqual(r.exitCode, 1)
            XCTAssertEqual(r.stdout, "")
            XCTAssertEqual(r.stderr, Cluster.noDescriber(try XCTUnwrap(c.registry.resolve("services"))) + "\n")
            XCTAssertEqual(r.stderr, "error: kubesim has no describer for Service (v1); use get -o yaml\n")
        }
    }
}
