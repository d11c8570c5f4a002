import Foundation
import XCTest

@testable import KubeSim

/// kubectl's client-side printing. Expected texts are the seed transcripts
/// (shared/seed/kubernetes-overview.en.md) where the seed shows the command, and otherwise the
/// rules of reference §3 (kubernetes-behaviour.md) worked by hand.
final class PrinterTests: XCTestCase {
    /// 2020-05-05T12:00:00Z, the seed's era.
    let now = VirtualTime(seconds: 1_588_680_000)

    func ago(_ seconds: Int64) -> String { (now + .seconds(-seconds)).rfc3339 }

    func table(_ resource: String, _ objects: [JSON], _ configure: (inout PrintOptions) -> Void = { _ in }) -> String {
        var options = PrintOptions()
        configure(&options)
        return TablePrinter.table(resource: resource, objects: objects, now: now, options: options)
    }

    /// A multi-line literal as printed output: every line ends with a newline.
    func text(_ s: String) -> String { s + "\n" }

    /// The layout rule of reference §3.1, stated independently of `TabWriter`: each column but
    /// the last is padded to max(longest cell + 3, 6) characters.
    func align(_ rows: [[String]]) -> String {
        var widths: [Int] = []
        for row in rows {
            for (i, cell) in row.enumerated().dropLast() {
                if i >= widths.count { widths.append(6) }
                widths[i] = max(widths[i], cell.unicodeScalars.count + 3)
            }
        }
        return rows.map { row in
            row.enumerated().map { i, cell in
                i == row.count - 1 ? cell : cell + String(repeating: " ", count: widths[i] - cell.unicodeScalars.count)
            }.joined()
        }.joined(separator: "\n") + "\n"
    }

    // MARK: - Fixtures

    func runningPod(
        _ name: String, age: Int64, ip: String = "", node: String = "", labels: JSON = nil, restarts: Int = 0
    ) -> JSON {
        var pod: JSON = [
            "apiVersion": "v1", "kind": "Pod",
            "metadata": ["name": .string(name), "namespace": "default", "creationTimestamp": .string(ago(age)), "labels": labels],
            "spec": ["containers": [["name": "nginx", "image": "nginx"]]],
            "status": [
                "phase": "Running",
                "conditions": [["type": "Ready", "status": "True"]],
                "containerStatuses": [
                    ["name": "nginx", "ready": true, "restartCount": .int(restarts), "state": ["running": ["startedAt": .string(ago(age))]]]
                ],
            ],
        ]
        if !node.isEmpty { pod["spec", "nodeName"] = .string(node) }
        if !ip.isEmpty {
            pod["status", "podIP"] = .string(ip)
            pod["status", "podIPs"] = [["ip": .string(ip)]]
        }
        return pod
    }

    func node(_ name: String, age: Int64, ready: String? = "True", unschedulable: Bool = false, labels: JSON = nil) -> JSON {
        var node: JSON = [
            "apiVersion": "v1", "kind": "Node",
            "metadata": ["name": .string(name), "creationTimestamp": .string(ago(age)), "labels": labels],
            "status": [
                "nodeInfo": [
                    "kubeletVersion": "v1.18.0", "osImage": "Ubuntu 19.10", "kernelVersion": "4.19.76-linuxkit",
                    "containerRuntimeVersion": "docker://19.3.2", "architecture": "amd64",
                ],
                "addresses": [["type": "InternalIP", "address": "172.17.0.2"], ["type": "Hostname", "address": .string(name)]],
            ],
        ]
        if let ready { node["status", "conditions"] = [["type": "MemoryPressure", "status": "False"], ["type": "Ready", "status": .string(ready)]] }
        if unschedulable { node["spec", "unschedulable"] = true }
        return node
    }

    func event(
        _ reason: String, kind: String, object: String, message: String,
        last: Int64? = nil, eventTimeOnly: Int64? = nil, type: String = "Normal"
    ) -> JSON {
        var e: JSON = [
            "apiVersion": "v1", "kind": "Event",
            "metadata": ["name": .string(object + ".1610c0ffee"), "namespace": "default"],
            "involvedObject": ["kind": .string(kind), "name": .string(object), "namespace": "default"],
            "reason": .string(reason), "message": .string(message), "type": .string(type),
        ]
        if let last {
            e["firstTimestamp"] = .string(ago(last))
            e["lastTimestamp"] = .string(ago(last))
            e["count"] = 1
            e["source"] = ["component": "kubelet", "host": "minikube"]
        }
        if let eventTimeOnly {
            // What the 1.18 scheduler wrote through events.k8s.io: eventTime only.
            e["eventTime"] = .string((now + .seconds(-eventTimeOnly)).rfc3339Micro)
            e["reportingComponent"] = "default-scheduler"
            e["reportingInstance"] = "default-scheduler-minikube"
        }
        return e
    }

    // MARK: - HumanDuration (reference §3.2)

    func testHumanDurationBoundaries() {
        let cases: [(Int64, String)] = [
            (0, "0s"), (1, "1s"), (119, "119s"), (120, "2m"), (125, "2m5s"), (599, "9m59s"), (600, "10m"),
            (179 * 60 + 59, "179m"), (180 * 60, "3h"), (7 * 3600 + 59 * 60, "7h59m"), (8 * 3600, "8h"),
            (47 * 3600 + 3599, "47h"), (48 * 3600, "2d"), (7 * 86400 + 23 * 3600, "7d23h"), (8 * 86400, "8d"),
            (729 * 86400, "729d"), (730 * 86400, "2y"), (7 * 365 * 86400 + 364 * 86400, "7y364d"),
            (8 * 365 * 86400, "8y"), (100 * 365 * 86400, "100y"), (4 * 60 + 25, "4m25s"), (143 * 60, "143m"),
            (5 * 3600 + 48 * 60, "5h48m"),
        ]
        for (seconds, expected) in cases {
            XCTAssertEqual(HumanDuration.string(.seconds(seconds)), expected, "\(seconds)s")
        }
    }

    func testHumanDurationTruncatesAndToleratesSkew() {
        XCTAssertEqual(HumanDuration.string(.millis(119_999)), "119s")
        XCTAssertEqual(HumanDuration.string(.millis(1_999)), "1s")
        XCTAssertEqual(HumanDuration.string(.millis(-1_999)), "0s", "int(-1.999s) is -1: within the skew tolerance")
        XCTAssertEqual(HumanDuration.string(.seconds(-1)), "0s")
        XCTAssertEqual(HumanDuration.string(.seconds(-2)), "<invalid>")
        XCTAssertEqual(HumanDuration.string(Duration(nanos: .max)), "292y")
    }

    // MARK: - TabWriter (reference §3.1)

    func testTabWriterPadsToLongestCellPlusThreeWithMinimumSixAndLeavesLastColumn() {
        XCTAssertEqual(
            TabWriter.format("NAME\tA\tMESSAGE\nnginx-7c5ddbdf54-2x4tq\tB\tsome text\n"),
            "NAME                     A     MESSAGE\nnginx-7c5ddbdf54-2x4tq   B     some text\n")
        // Width counts runes, not bytes.
        XCTAssertEqual(TabWriter.format("héllo\tx\nab\ty\n"), "héllo   x\nab      y\n")
    }

    func testTabWriterRemembersWidthsAcrossFlushes() {
        var w = TabWriter()
        w.write("A\tB\tC\nlonger-cell\tb\tc\n")
        XCTAssertEqual(w.flush(), "A             B     C\nlonger-cell   b     c\n")
        w.write("x\ty\tz\n")
        XCTAssertEqual(w.flush(), "x             y     z\n", "narrower rows keep the remembered widths")
        w.write("x\ta-much-wider-cell\tz\n")
        XCTAssertEqual(w.flush(), "x             a-much-wider-cell   z\n")
        XCTAssertEqual(w.rememberedWidths, [14, 20])
    }

    func testTabWriterSurvivesManyColumns() {
        let line = String(repeating: "a\t", count: 20_000) + "end\n"
        XCTAssertEqual(TabWriter.format(line).count, 20_000 * 6 + 4)
    }

    // MARK: - Pods

    /// Seed: `kubectl get pod --output=wide` after `kubectl apply -f nginx.yaml`.
    func testSeedGetPodWide() {
        let pods = [
            runningPod("nginx-f89759699-5pqrm", age: 96, ip: "172.18.0.2", node: "minikube-m03"),
            runningPod("nginx-f89759699-7pmmz", age: 96, ip: "172.18.0.2", node: "minikube-m02"),
            runningPod("nginx-f89759699-wxjtx", age: 96, ip: "172.18.0.3", node: "minikube-m03"),
        ]
        XCTAssertEqual(
            table("pods", pods) { $0.wide = true },
            text("""
                NAME                    READY   STATUS    RESTARTS   AGE   IP           NODE           NOMINATED NODE   READINESS GATES
                nginx-f89759699-5pqrm   1/1     Running   0          96s   172.18.0.2   minikube-m03   <none>           <none>
                nginx-f89759699-7pmmz   1/1     Running   0          96s   172.18.0.2   minikube-m02   <none>           <none>
                nginx-f89759699-wxjtx   1/1     Running   0          96s   172.18.0.3   minikube-m03   <none>           <none>
                """))
    }

    /// Seed: the same listing after scaling to 6 while minikube-m02 was cordoned.
    func testSeedGetPodWideMixedAges() {
        let old: Int64 = 3 * 3600 + 25 * 60
        let pods = [
            runningPod("nginx-f89759699-5pqrm", age: old, ip: "172.18.0.2", node: "minikube-m03"),
            runningPod("nginx-f89759699-7pmmz", age: old, ip: "172.18.0.2", node: "minikube-m02"),
            runningPod("nginx-f89759699-fnfst", age: 23, ip: "172.18.0.5", node: "minikube-m03"),
            runningPod("nginx-f89759699-mcpj2", age: 23, ip: "172.18.0.6", node: "minikube-m03"),
            runningPod("nginx-f89759699-tmhz2", age: 23, ip: "172.18.0.4", node: "minikube-m03"),
            runningPod("nginx-f89759699-wxjtx", age: old, ip: "172.18.0.3", node: "minikube-m03"),
        ]
        XCTAssertEqual(
            table("pods", pods) { $0.wide = true },
            text("""
                NAME                    READY   STATUS    RESTARTS   AGE     IP           NODE           NOMINATED NODE   READINESS GATES
                nginx-f89759699-5pqrm   1/1     Running   0          3h25m   172.18.0.2   minikube-m03   <none>           <none>
                nginx-f89759699-7pmmz   1/1     Running   0          3h25m   172.18.0.2   minikube-m02   <none>           <none>
                nginx-f89759699-fnfst   1/1     Running   0          23s     172.18.0.5   minikube-m03   <none>           <none>
                nginx-f89759699-mcpj2   1/1     Running   0          23s     172.18.0.6   minikube-m03   <none>           <none>
                nginx-f89759699-tmhz2   1/1     Running   0          23s     172.18.0.4   minikube-m03   <none>           <none>
                nginx-f89759699-wxjtx   1/1     Running   0          3h25m   172.18.0.3   minikube-m03   <none>           <none>
                """))
    }

    /// Seed: `kubectl get pod --show-labels`. The seed's NAME column is 18 wide, which only a
    /// 15-character name could cause: the author's listing had a row cut from the post. For
    /// these two pods kubectl's column is 14 wide; every other cell matches the seed.
    func testSeedGetPodShowLabels() {
        let pods = [
            runningPod("nginx-pod-a", age: 24, labels: ["env": "test", "app": "photo-view"]),
            runningPod("nginx-pod-b", age: 24, labels: ["env": "test", "app": "imagetrain"]),
        ]
        XCTAssertEqual(
            table("pods", pods) { $0.showLabels = true },
            text("""
                NAME          READY   STATUS    RESTARTS   AGE   LABELS
                nginx-pod-a   1/1     Running   0          24s   app=photo-view,env=test
                nginx-pod-b   1/1     Running   0          24s   app=imagetrain,env=test
                """))
        // With a 15-character name in the listing the seed's layout comes back byte for byte.
        let withHidden = pods + [runningPod("nginx-pod-extra", age: 24, labels: ["app": "x"])]
        let seedLines = table("pods", withHidden) { $0.showLabels = true }.split(separator: "\n").prefix(3)
        XCTAssertEqual(
            seedLines.joined(separator: "\n"),
            """
            NAME              READY   STATUS    RESTARTS   AGE   LABELS
            nginx-pod-a       1/1     Running   0          24s   app=photo-view,env=test
            nginx-pod-b       1/1     Running   0          24s   app=imagetrain,env=test
            """)
    }

    /// Seed: `kubectl get pod -l app=photo-view,env=test` (selection is the caller's job).
    func testSeedGetPodOneRow() {
        XCTAssertEqual(
            table("pods", [runningPod("nginx-pod-a", age: 7 * 60 + 13)]),
            text("""
                NAME          READY   STATUS    RESTARTS   AGE
                nginx-pod-a   1/1     Running   0          7m13s
                """))
    }

    func testEmptyListPrintsNothing() {
        XCTAssertEqual(table("pods", []), "")
        XCTAssertEqual(TablePrinter.tabSeparated(resource: "pods", objects: [], now: now, options: PrintOptions()), "")
    }

    func testNoHeadersAllNamespacesAndLabelColumns() {
        var a = runningPod("web-1", age: 60, labels: ["app": "web", "app.kubernetes.io/tier": "front"])
        a["metadata", "namespace"] = "kube-system"
        let b = runningPod("web-2", age: 3600)
        XCTAssertEqual(
            table("pods", [a, b]) {
                $0.allNamespaces = true
                $0.labelColumns = ["app.kubernetes.io/tier", "app"]
            },
            "NAMESPACE     NAME    READY   STATUS    RESTARTS   AGE   TIER    APP\n"
                + "kube-system   web-1   1/1     Running   0          60s   front   web\n"
                + "default       web-2   1/1     Running   0          60m           \n")
        XCTAssertEqual(
            table("pods", [b]) { $0.noHeaders = true },
            text("web-2   1/1   Running   0     60m"))
    }

    func podStatus(_ pod: JSON, _ version: KubernetesVersion = .v1_18) -> String {
        PodSummary(pod, version: version).reason
    }

    func testPodStatusFromContainerStates() {
        var pod = runningPod("p", age: 10)
        pod["status", "phase"] = "Pending"
        pod["status", "containerStatuses"] = [
            ["name": "a", "ready": false, "restartCount": 0, "state": ["waiting": ["reason": "ContainerCreating"]]]
        ]
        XCTAssertEqual(podStatus(pod), "ContainerCreating")

        pod["status", "containerStatuses"] = nil
        XCTAssertEqual(podStatus(pod), "Pending", "a Pending pod with no container statuses")

        // Walking last to first, the first container's state wins.
        pod["status", "phase"] = "Running"
        pod["status", "containerStatuses"] = [
            ["name": "a", "ready": false, "restartCount": 4, "state": ["waiting": ["reason": "CrashLoopBackOff"]]],
            ["name": "b", "ready": false, "restartCount": 0, "state": ["waiting": ["reason": "ErrImagePull"]]],
        ]
        XCTAssertEqual(podStatus(pod), "CrashLoopBackOff")

        pod["status", "containerStatuses"] = [
            ["name": "a", "ready": false, "restartCount": 0, "state": ["terminated": ["exitCode": 137, "signal": 9]]]
        ]
        XCTAssertEqual(podStatus(pod), "Signal:9")
        pod["status", "containerStatuses"] = [
            ["name": "a", "ready": false, "restartCount": 0, "state": ["terminated": ["exitCode": 2]]]
        ]
        XCTAssertEqual(podStatus(pod), "ExitCode:2")

        pod["status", "reason"] = "Evicted"
        pod["status", "containerStatuses"] = nil
        XCTAssertEqual(podStatus(pod), "Evicted")
    }

    func testPodStatusInitContainers() {
        var pod = runningPod("p", age: 10)
        pod["spec", "initContainers"] = [["name": "init-a", "image": "busybox"], ["name": "init-b", "image": "busybox"]]
        pod["status", "phase"] = "Pending"
        pod["status", "initContainerStatuses"] = [
            ["name": "init-a", "ready": false, "restartCount": 0, "state": ["terminated": ["exitCode": 0, "reason": "Completed"]]],
            ["name": "init-b", "ready": false, "restartCount": 0, "state": ["running": [:]]],
        ]
        XCTAssertEqual(podStatus(pod), "Init:1/2")
        pod["status", "initContainerStatuses"] = [
            ["name": "init-a", "ready": false, "restartCount": 3, "state": ["waiting": ["reason": "CrashLoopBackOff"]]]
        ]
        XCTAssertEqual(podStatus(pod), "Init:CrashLoopBackOff")
        pod["status", "initContainerStatuses"] = [
            ["name": "init-a", "ready": false, "restartCount": 0, "state": ["terminated": ["exitCode": 1, "reason": "Error"]]]
        ]
        XCTAssertEqual(podStatus(pod), "Init:Error")
        pod["status", "initContainerStatuses"] = [
            ["name": "init-a", "ready": false, "restartCount": 0, "state": ["waiting": ["reason": "PodInitializing"]]]
        ]
        XCTAssertEqual(podStatus(pod), "Init:0/2")
        // While initializing, RESTARTS counts the init containers.
        pod["status", "initContainerStatuses"] = [
            ["name": "init-a", "ready": false, "restartCount": 3, "state": ["waiting": ["reason": "CrashLoopBackOff"]]]
        ]
        XCTAssertEqual(PodSummary(pod, version: .v1_18).restarts, 3)
    }

    func testPodStatusCompletedAndTerminating() {
        var pod = runningPod("job-x", age: 10)
        pod["status", "phase"] = "Succeeded"
        pod["status", "conditions"] = [["type": "Ready", "status": "False"]]
        pod["status", "containerStatuses"] = [
            ["name": "a", "ready": false, "restartCount": 0, "state": ["terminated": ["exitCode": 0, "reason": "Completed"]]]
        ]
        XCTAssertEqual(podStatus(pod), "Completed")

        // A completed first container beside a running one.
        var mixed = pod
        mixed["status", "phase"] = "Running"
        mixed["status", "containerStatuses"] = [
            ["name": "a", "ready": false, "restartCount": 0, "state": ["terminated": ["exitCode": 0, "reason": "Completed"]]],
            ["name": "b", "ready": true, "restartCount": 0, "state": ["running": [:]]],
        ]
        XCTAssertEqual(podStatus(mixed, .v1_18), "Running")
        XCTAssertEqual(podStatus(mixed, .v1_36), "NotReady", "1.36 wants the pod's Ready condition")
        mixed["status", "conditions"] = [["type": "Ready", "status": "True"]]
        XCTAssertEqual(podStatus(mixed, .v1_36), "Running")

        var failed = pod
        failed["status", "phase"] = "Failed"
        failed["status", "containerStatuses"] = [
            ["name": "a", "ready": false, "restartCount": 0, "state": ["terminated": ["exitCode": 0, "reason": "Completed"]]],
            ["name": "b", "ready": false, "restartCount": 0, "state": ["terminated": ["exitCode": 1, "reason": "Error"]]],
        ]
        XCTAssertEqual(podStatus(failed, .v1_18), "Completed")
        XCTAssertEqual(podStatus(failed, .v1_36), "Error")

        var deleting = runningPod("web", age: 10)
        deleting["metadata", "deletionTimestamp"] = .string(ago(1))
        XCTAssertEqual(podStatus(deleting, .v1_18), "Terminating")
        XCTAssertEqual(podStatus(deleting, .v1_36), "Terminating")
        pod["metadata", "deletionTimestamp"] = .string(ago(1))
        XCTAssertEqual(podStatus(pod, .v1_18), "Terminating", "≤1.30: terminal pods read Terminating too")
        XCTAssertEqual(podStatus(pod, .v1_36), "Completed")
        deleting["status", "reason"] = "NodeLost"
        XCTAssertEqual(podStatus(deleting, .v1_36), "Unknown")
    }

    func testPodRestartsAgoOnlyIn136() {
        var pod = runningPod("web-1", age: 600, restarts: 5)
        pod["status", "containerStatuses"] = [
            [
                "name": "nginx", "ready": true, "restartCount": 5, "state": ["running": [:]],
                "lastState": ["terminated": ["exitCode": 1, "reason": "Error", "finishedAt": .string(ago(192))]],
            ]
        ]
        XCTAssertEqual(
            table("pods", [pod]),
            text("""
                NAME    READY   STATUS    RESTARTS   AGE
                web-1   1/1     Running   5          10m
                """))
        XCTAssertEqual(
            table("pods", [pod]) { $0.version = .v1_36 },
            text("""
                NAME    READY   STATUS    RESTARTS        AGE
                web-1   1/1     Running   5 (3m12s ago)   10m
                """))
    }

    func testPodSidecarsCountIn136() {
        var pod = runningPod("web", age: 60)
        pod["spec", "initContainers"] = [["name": "proxy", "image": "envoy", "restartPolicy": "Always"]]
        pod["status", "initContainerStatuses"] = [
            ["name": "proxy", "ready": true, "started": true, "restartCount": 1, "state": ["running": [:]]]
        ]
        pod["status", "conditions"] = [["type": "Initialized", "status": "True"], ["type": "Ready", "status": "True"]]
        let summary = PodSummary(pod, version: .v1_36)
        XCTAssertEqual("\(summary.ready)/\(summary.total) \(summary.reason) \(summary.restarts)", "2/2 Running 1")
    }

    func testPodWideCellsFallBackAndReadinessGates() {
        var pod = runningPod("web", age: 5, node: "n1")
        pod["status", "podIP"] = "10.0.0.9"  // no podIPs
        pod["status", "nominatedNodeName"] = "n2"
        pod["spec", "readinessGates"] = [["conditionType": "example.com/lb"], ["conditionType": "example.com/dns"]]
        pod["status", "conditions"] = [["type": "example.com/lb", "status": "True"], ["type": "Ready", "status": "True"]]
        XCTAssertEqual(
            table("pod", [pod]) { $0.wide = true },
            text("""
                NAME   READY   STATUS    RESTARTS   AGE   IP         NODE   NOMINATED NODE   READINESS GATES
                web    1/1     Running   0          5s    10.0.0.9   n1     n2               1/2
                """))
    }

    // MARK: - Nodes

    /// Seed: `kubectl get node -o=wide` on a fresh minikube.
    func testSeedGetNodeWide() {
        let minikube = node("minikube", age: 4 * 60 + 25, labels: ["node-role.kubernetes.io/master": ""])
        XCTAssertEqual(
            table("nodes", [minikube]) { $0.wide = true },
            text("""
                NAME       STATUS   ROLES    AGE     VERSION   INTERNAL-IP   EXTERNAL-IP   OS-IMAGE       KERNEL-VERSION     CONTAINER-RUNTIME
                minikube   Ready    master   4m25s   v1.18.0   172.17.0.2    <none>        Ubuntu 19.10   4.19.76-linuxkit   docker://19.3.2
                """))
        XCTAssertEqual(
            table("nodes", [minikube]) {
                $0.wide = true
                $0.version = .v1_36
            },
            text("""
                NAME       STATUS   ROLES    AGE     VERSION   INTERNAL-IP   EXTERNAL-IP   OS-IMAGE       KERNEL-VERSION             CONTAINER-RUNTIME
                minikube   Ready    master   4m25s   v1.18.0   172.17.0.2    <none>        Ubuntu 19.10   4.19.76-linuxkit (amd64)   docker://19.3.2
                """))
    }

    /// Seed: `kubectl get node` after `kubectl cordon minikube-m02`.
    func testSeedGetNodeCordoned() {
        let nodes = [
            node("minikube", age: 143 * 60, labels: ["node-role.kubernetes.io/master": ""]),
            node("minikube-m02", age: 141 * 60, unschedulable: true),
            node("minikube-m03", age: 11 * 60),
        ]
        XCTAssertEqual(
            table("nodes", nodes),
            text("""
                NAME           STATUS                     ROLES    AGE    VERSION
                minikube       Ready                      master   143m   v1.18.0
                minikube-m02   Ready,SchedulingDisabled   <none>   141m   v1.18.0
                minikube-m03   Ready                      <none>   11m    v1.18.0
                """))
    }

    func testNodeStatusAndRoles() {
        XCTAssertEqual(TablePrinter.nodeStatus(node("n", age: 1, ready: "False")), "NotReady")
        XCTAssertEqual(TablePrinter.nodeStatus(node("n", age: 1, ready: "Unknown", unschedulable: true)), "NotReady,SchedulingDisabled")
        XCTAssertEqual(TablePrinter.nodeStatus(node("n", age: 1, ready: nil)), "Unknown")
        let roles = node(
            "n", age: 1,
            labels: [
                "node-role.kubernetes.io/worker": "", "node-role.kubernetes.io/control-plane": "",
                "kubernetes.io/role": "worker", "node-role.kubernetes.io/": "x",
            ])
        XCTAssertEqual(TablePrinter.nodeRoles(roles), "control-plane,worker")
    }

    // MARK: - Events

    /// Seed: `kubectl get events -w` while the nginx Deployment rolls out. A watch keeps one
    /// tabwriter and flushes per event, so columns only ever widen; the Scheduled events came
    /// through events.k8s.io with eventTime only, which kubectl 1.18 printed as <unknown>.
    func testSeedGetEventsWatch() {
        let rs = "nginx-deployment-f75fb748c"
        let initial = event(
            "ScalingReplicaSet", kind: "Deployment", object: "nginx-deployment",
            message: "Scaled up replica set \(rs) to 3", last: 0)
        var stream: [JSON] = [
            event("SuccessfulCreate", kind: "ReplicaSet", object: rs, message: "Created pod: \(rs)-hq556", last: 0),
            event("SuccessfulCreate", kind: "ReplicaSet", object: rs, message: "Created pod: \(rs)-j2sh9", last: 0),
            event("SuccessfulCreate", kind: "ReplicaSet", object: rs, message: "Created pod: \(rs)-wbpzp", last: 1),
        ]
        for pod in ["j2sh9", "hq556", "wbpzp"] {
            stream.append(
                event(
                    "Scheduled", kind: "Pod", object: "\(rs)-\(pod)",
                    message: "Successfully assigned default/\(rs)-\(pod) to minikube", eventTimeOnly: 0))
        }
        for pod in ["hq556", "j2sh9", "wbpzp"] {
            stream.append(event("Pulling", kind: "Pod", object: "\(rs)-\(pod)", message: "Pulling image \"nginx:1.15\"", last: 0))
        }
        for pod in ["hq556", "j2sh9", "wbpzp"] {
            stream.append(event("Pulled", kind: "Pod", object: "\(rs)-\(pod)", message: "Successfully pulled image \"nginx:1.15\"", last: 0))
            stream.append(event("Created", kind: "Pod", object: "\(rs)-\(pod)", message: "Created container nginx", last: 0))
            stream.append(event("Started", kind: "Pod", object: "\(rs)-\(pod)", message: "Started container nginx", last: 0))
        }

        var writer = TabWriter()
        var options = PrintOptions()
        writer.write(TablePrinter.tabSeparated(resource: "events", objects: [initial], now: now, options: options))
        var printed = writer.flush()
        options.noHeaders = true
        for e in stream {
            writer.write(TablePrinter.tabSeparated(resource: "events", objects: [e], now: now, options: options))
            printed += writer.flush()
        }
        XCTAssertEqual(
            printed,
            text("""
                LAST SEEN   TYPE     REASON              OBJECT                        MESSAGE
                0s          Normal   ScalingReplicaSet   deployment/nginx-deployment   Scaled up replica set nginx-deployment-f75fb748c to 3
                0s          Normal   SuccessfulCreate    replicaset/nginx-deployment-f75fb748c   Created pod: nginx-deployment-f75fb748c-hq556
                0s          Normal   SuccessfulCreate    replicaset/nginx-deployment-f75fb748c   Created pod: nginx-deployment-f75fb748c-j2sh9
                1s          Normal   SuccessfulCreate    replicaset/nginx-deployment-f75fb748c   Created pod: nginx-deployment-f75fb748c-wbpzp
                <unknown>   Normal   Scheduled           pod/nginx-deployment-f75fb748c-j2sh9    Successfully assigned default/nginx-deployment-f75fb748c-j2sh9 to minikube
                <unknown>   Normal   Scheduled           pod/nginx-deployment-f75fb748c-hq556    Successfully assigned default/nginx-deployment-f75fb748c-hq556 to minikube
                <unknown>   Normal   Scheduled           pod/nginx-deployment-f75fb748c-wbpzp    Successfully assigned default/nginx-deployment-f75fb748c-wbpzp to minikube
                0s          Normal   Pulling             pod/nginx-deployment-f75fb748c-hq556    Pulling image "nginx:1.15"
                0s          Normal   Pulling             pod/nginx-deployment-f75fb748c-j2sh9    Pulling image "nginx:1.15"
                0s          Normal   Pulling             pod/nginx-deployment-f75fb748c-wbpzp    Pulling image "nginx:1.15"
                0s          Normal   Pulled              pod/nginx-deployment-f75fb748c-hq556    Successfully pulled image "nginx:1.15"
                0s          Normal   Created             pod/nginx-deployment-f75fb748c-hq556    Created container nginx
                0s          Normal   Started             pod/nginx-deployment-f75fb748c-hq556    Started container nginx
                0s          Normal   Pulled              pod/nginx-deployment-f75fb748c-j2sh9    Successfully pulled image "nginx:1.15"
                0s          Normal   Created             pod/nginx-deployment-f75fb748c-j2sh9    Created container nginx
                0s          Normal   Started             pod/nginx-deployment-f75fb748c-j2sh9    Started container nginx
                0s          Normal   Pulled              pod/nginx-deployment-f75fb748c-wbpzp    Successfully pulled image "nginx:1.15"
                0s          Normal   Created             pod/nginx-deployment-f75fb748c-wbpzp    Created container nginx
                0s          Normal   Started             pod/nginx-deployment-f75fb748c-wbpzp    Started container nginx
                """))
    }

    /// `kubectl get events` (one table, one flush): the header layout of the seed.
    func testGetEventsTable() {
        let events = [
            event("Scheduled", kind: "Pod", object: "web-1", message: "Successfully assigned default/web-1 to n1", eventTimeOnly: 75),
            event("Pulling", kind: "Pod", object: "web-1", message: "  Pulling image \"nginx\"\n", last: 70),
            event("BackOff", kind: "Pod", object: "web-1", message: "Back-off restarting failed container", last: 5, type: "Warning"),
        ]
        XCTAssertEqual(
            table("events", events),
            text("""
                LAST SEEN   TYPE      REASON      OBJECT      MESSAGE
                <unknown>   Normal    Scheduled   pod/web-1   Successfully assigned default/web-1 to n1
                70s         Normal    Pulling     pod/web-1   Pulling image "nginx"
                5s          Warning   BackOff     pod/web-1   Back-off restarting failed container
                """))
        // 1.36 falls back to eventTime, defaults COUNT to 1 and names reporting* as SOURCE.
        XCTAssertEqual(
            table("events", Array(events.prefix(2))) {
                $0.version = .v1_36
                $0.wide = true
            },
            align([
                ["LAST SEEN", "TYPE", "REASON", "OBJECT", "SUBOBJECT", "SOURCE", "MESSAGE", "FIRST SEEN", "COUNT", "NAME"],
                [
                    "75s", "Normal", "Scheduled", "pod/web-1", "", "default-scheduler, default-scheduler-minikube",
                    "Successfully assigned default/web-1 to n1", "75s", "1", "web-1.1610c0ffee",
                ],
                ["70s", "Normal", "Pulling", "pod/web-1", "", "kubelet, minikube", "Pulling image \"nginx\"", "70s", "1", "web-1.1610c0ffee"],
            ]))
    }

    func testEventSeriesIn136() {
        var e = event("BackOff", kind: "Pod", object: "web-1", message: "Back-off", last: 600, type: "Warning")
        e["series"] = ["count": 7, "lastObservedTime": .string((now + .seconds(-30)).rfc3339Micro)]
        let row = TablePrinter.eventRow(e, CellContext(now: now, version: .v1_36, wide: true))
        XCTAssertEqual(row[0], "30s")
        XCTAssertEqual(row[8], "7")
        let old = TablePrinter.eventRow(e, CellContext(now: now, version: .v1_18, wide: true))
        XCTAssertEqual(old[0], "10m")
        XCTAssertEqual(old[8], "1")
    }

    // MARK: - Workloads

    func deployment() -> JSON {
        [
            "apiVersion": "apps/v1", "kind": "Deployment",
            "metadata": ["name": "nginx-deployment", "namespace": "default", "creationTimestamp": .string(ago(42))],
            "spec": [
                "replicas": 3,
                "selector": ["matchLabels": ["app": "nginx-pod"]],
                "template": [
                    "metadata": ["labels": ["app": "nginx-pod"]],
                    "spec": ["containers": [["name": "nginx", "image": "nginx:1.15"], ["name": "sidecar", "image": "busybox"]]],
                ],
            ],
            "status": ["replicas": 3, "updatedReplicas": 3, "readyReplicas": 2, "availableReplicas": 2],
        ]
    }

    func testDeploymentTable() {
        XCTAssertEqual(
            table("deployments", [deployment()]),
            text("""
                NAME               READY   UP-TO-DATE   AVAILABLE   AGE
                nginx-deployment   2/3     3            2           42s
                """))
        XCTAssertEqual(
            table("deploy", [deployment()]) { $0.wide = true },
            text("""
                NAME               READY   UP-TO-DATE   AVAILABLE   AGE   CONTAINERS      IMAGES               SELECTOR
                nginx-deployment   2/3     3            2           42s   nginx,sidecar   nginx:1.15,busybox   app=nginx-pod
                """))
    }

    func testReplicaSetTable() {
        var rs = deployment()
        rs["kind"] = "ReplicaSet"
        rs["metadata", "name"] = "nginx-deployment-f75fb748c"
        rs["spec", "selector"] = [
            "matchLabels": ["pod-template-hash": "f75fb748c", "app": "nginx-pod"],
            "matchExpressions": [["key": "tier", "operator": "In", "values": ["web", "api"]], ["key": "canary", "operator": "DoesNotExist"]],
        ]
        rs["status"] = ["replicas": 3, "readyReplicas": 1]
        XCTAssertEqual(
            table("replicasets", [rs]) { $0.wide = true },
            text("""
                NAME                         DESIRED   CURRENT   READY   AGE   CONTAINERS      IMAGES               SELECTOR
                nginx-deployment-f75fb748c   3         3         1       42s   nginx,sidecar   nginx:1.15,busybox   app=nginx-pod,!canary,pod-template-hash=f75fb748c,tier in (api,web)
                """))
        rs["spec", "selector"] = ["matchExpressions": [["key": "tier", "operator": "Bogus"]]]
        XCTAssertEqual(TablePrinter.formatLabelSelector(rs["spec", "selector"]), "<error>")
        XCTAssertEqual(TablePrinter.formatLabelSelector(.null), "<none>")
    }

    func testDaemonSetAndStatefulSetTables() {
        let ds: JSON = [
            "metadata": ["name": "kube-proxy", "namespace": "kube-system", "creationTimestamp": .string(ago(5 * 3600))],
            "spec": [
                "selector": ["matchLabels": ["k8s-app": "kube-proxy"]],
                "template": ["spec": ["nodeSelector": ["kubernetes.io/os": "linux"], "containers": [["name": "kube-proxy", "image": "k8s.gcr.io/kube-proxy:v1.18.0"]]]],
            ],
            "status": ["desiredNumberScheduled": 3, "currentNumberScheduled": 3, "numberReady": 3, "updatedNumberScheduled": 3, "numberAvailable": 3],
        ]
        XCTAssertEqual(
            table("daemonsets", [ds]),
            text("""
                NAME         DESIRED   CURRENT   READY   UP-TO-DATE   AVAILABLE   NODE SELECTOR            AGE
                kube-proxy   3         3         3       3            3           kubernetes.io/os=linux   5h
                """))
        let sts: JSON = [
            "metadata": ["name": "db", "creationTimestamp": .string(ago(90))],
            "spec": ["replicas": 3, "template": ["spec": ["containers": [["name": "pg", "image": "postgres:12"]]]]],
            "status": ["readyReplicas": 1],
        ]
        XCTAssertEqual(
            table("statefulsets", [sts]) { $0.wide = true },
            text("""
                NAME   READY   AGE   CONTAINERS   IMAGES
                db     1/3     90s   pg           postgres:12
                """))
    }

    func testJobColumnsByVersion() {
        let job: JSON = [
            "metadata": ["name": "pi", "creationTimestamp": .string(ago(300))],
            "spec": ["completions": 1, "template": ["spec": ["containers": [["name": "pi", "image": "perl"]]]]],
            "status": [
                "succeeded": 1, "startTime": .string(ago(290)), "completionTime": .string(ago(250)),
                "conditions": [["type": "Complete", "status": "True"]],
            ],
        ]
        XCTAssertEqual(
            table("jobs", [job]),
            text("""
                NAME   COMPLETIONS   DURATION   AGE
                pi     1/1           40s        5m
                """))
        XCTAssertEqual(
            table("jobs", [job]) { $0.version = .v1_36 },
            text("""
                NAME   STATUS     COMPLETIONS   DURATION   AGE
                pi     Complete   1/1           40s        5m
                """))
    }

    // MARK: - Core resources

    func testNamespacesConfigMapsSecretsLeases() {
        let ns: JSON = ["metadata": ["name": "default", "creationTimestamp": .string(ago(2 * 86400))], "status": ["phase": "Active"]]
        XCTAssertEqual(table("namespaces", [ns]), text("NAME      STATUS   AGE\ndefault   Active   2d"))

        let cm: JSON = ["metadata": ["name": "cfg", "creationTimestamp": .string(ago(10))], "data": ["a": "1", "b": "2"], "binaryData": ["c": "AA=="]]
        XCTAssertEqual(table("configmaps", [cm]), text("NAME   DATA   AGE\ncfg    3      10s"))

        let secret: JSON = [
            "metadata": ["name": "default-token-x", "creationTimestamp": .string(ago(10))],
            "type": "kubernetes.io/service-account-token", "data": ["ca.crt": "", "namespace": "", "token": ""],
        ]
        XCTAssertEqual(
            table("secrets", [secret]),
            text("""
                NAME              TYPE                                  DATA   AGE
                default-token-x   kubernetes.io/service-account-token   3      10s
                """))

        let lease: JSON = [
            "metadata": ["name": "kube-controller-manager", "namespace": "kube-system", "creationTimestamp": .string(ago(86400))],
            "spec": ["holderIdentity": "minikube_2a1b1ca1-403a-45e1-b4b8-c50afb0e14a1", "leaseDurationSeconds": 15],
        ]
        XCTAssertEqual(
            table("leases", [lease]),
            text("""
                NAME                      HOLDER                                          AGE
                kube-controller-manager   minikube_2a1b1ca1-403a-45e1-b4b8-c50afb0e14a1   24h
                """))
    }

    func testServicesAndEndpoints() {
        let svc: JSON = [
            "metadata": ["name": "web", "creationTimestamp": .string(ago(60))],
            "spec": [
                "type": "NodePort", "clusterIP": "10.96.10.20", "clusterIPs": ["10.96.10.20"],
                "ports": [["port": 80, "protocol": "TCP", "nodePort": 30080], ["port": 443, "protocol": "TCP"]],
                "selector": ["app": "web"],
            ],
        ]
        var lb = svc
        lb["metadata", "name"] = "public"
        lb["spec", "type"] = "LoadBalancer"
        lb["spec", "ports"] = [["port": 80, "protocol": "TCP", "nodePort": 31000]]
        lb["status"] = ["loadBalancer": ["ingress": [["hostname": "a1b2c3d4e5f6.elb.example.com"]]]]
        var headless = svc
        headless["metadata", "name"] = "db"
        headless["spec"] = ["type": "ClusterIP", "clusterIP": "None", "clusterIPs": ["None"]]
        XCTAssertEqual(
            table("services", [svc, lb, headless]),
            align([
                ["NAME", "TYPE", "CLUSTER-IP", "EXTERNAL-IP", "PORT(S)", "AGE"],
                ["web", "NodePort", "10.96.10.20", "<none>", "80:30080/TCP,443/TCP", "60s"],
                ["public", "LoadBalancer", "10.96.10.20", "a1b2c3d4e5f6....", "80:31000/TCP", "60s"],
                ["db", "ClusterIP", "None", "<none>", "<none>", "60s"],
            ]))
        XCTAssertEqual(
            table("services", [svc]) { $0.wide = true }.split(separator: "\n").last.map(String.init),
            "web    NodePort   10.96.10.20   <none>        80:30080/TCP,443/TCP   60s   app=web")
        XCTAssertEqual(TablePrinter.serviceExternalIP(lb, wide: true), "a1b2c3d4e5f6.elb.example.com")

        let ep: JSON = [
            "metadata": ["name": "web", "creationTimestamp": .string(ago(60))],
            "subsets": [
                [
                    "addresses": [["ip": "10.0.0.1"], ["ip": "10.0.0.2"], ["ip": "fd00::3"], ["ip": "10.0.0.4"]],
                    "ports": [["port": 8080, "protocol": "TCP"]],
                ]
            ],
        ]
        XCTAssertEqual(
            table("endpoints", [ep, ["metadata": ["name": "none", "creationTimestamp": .string(ago(1))]]]),
            align([
                ["NAME", "ENDPOINTS", "AGE"],
                ["web", "10.0.0.1:8080,10.0.0.2:8080,[fd00::3]:8080 + 1 more...", "60s"],
                ["none", "<none>", "1s"],
            ]))
    }

    func testDefaultTableAndUnknownTimestamps() {
        let thing: JSON = ["metadata": ["name": "x"]]
        XCTAssertEqual(table("widgets.example.com", [thing]), text("NAME   AGE\nx      <unknown>"))
        let ancient: JSON = ["metadata": ["name": "y", "creationTimestamp": "0001-01-01T00:00:00Z"]]
        XCTAssertEqual(table("widgets", [ancient]), text("NAME   AGE\ny      <unknown>"))
        let future: JSON = ["metadata": ["name": "z", "creationTimestamp": "9999-01-01T00:00:00Z"]]
        XCTAssertEqual(table("widgets", [future]), text("NAME   AGE\nz      <invalid>"))
        let old: JSON = ["metadata": ["name": "o", "creationTimestamp": "1000-01-01T00:00:00Z"]]
        XCTAssertEqual(table("widgets", [old]), text("NAME   AGE\no      292y"))
    }

    func testCellsAreCutAtLineBreaksIn136() {
        var e = event("Failed", kind: "Pod", object: "web", message: "first line\nsecond \u{1B}[31mline", last: 1)
        e["message"] = "first \u{1B}[31mline\nsecond line"
        XCTAssertEqual(
            table("events", [e]) { $0.version = .v1_36 },
            text("""
                LAST SEEN   TYPE     REASON   OBJECT    MESSAGE
                1s          Normal   Failed   pod/web   first ^[[31mline...
                """))
    }

    // MARK: - YAML

    /// Seed: `kubectl get endpoints kube-controller-manager -n kube-system -o yaml`.
    func testSeedEndpointsYAML() {
        let annotation =
            #"{"holderIdentity":"minikube_2a1b1ca1-403a-45e1-b4b8-c50afb0e14a1","leaseDurationSeconds":15,"acquireTime":"2020-04-29T16:36:09Z","renewTime":"2020-05-05T11:32:38Z","leaderTransitions":3}"#
        let endpoints: JSON = [
            "kind": "Endpoints", "apiVersion": "v1",
            "metadata": [
                "name": "kube-controller-manager", "namespace": "kube-system",
                "uid": "c38faf14-ceb3-4e54-91fd-fa730b1d58a9", "resourceVersion": "174543",
                "creationTimestamp": "2020-04-28T08:17:42Z",
                "annotations": ["control-plane.alpha.kubernetes.io/leader": .string(annotation)],
            ],
        ]
        XCTAssertEqual(
            YAMLPrinter.yaml(endpoints),
            text("""
                apiVersion: v1
                kind: Endpoints
                metadata:
                  annotations:
                    control-plane.alpha.kubernetes.io/leader: '\(annotation)'
                  creationTimestamp: "2020-04-28T08:17:42Z"
                  name: kube-controller-manager
                  namespace: kube-system
                  resourceVersion: "174543"
                  uid: c38faf14-ceb3-4e54-91fd-fa730b1d58a9
                """))
    }

    /// Seed: the kubeconfig as `kubectl config view` prints it (lists under a key not indented,
    /// `{}` for an empty map).
    func testSeedKubeconfigYAML() {
        let config: JSON = [
            "kind": "Config", "current-context": "minikube", "preferences": JSON.emptyObject,
            "users": [
                [
                    "name": "minikube",
                    "user": [
                        "client-key": "/Users/gojiyong/.minikube/profiles/minikube/client.key",
                        "client-certificate": "/Users/gojiyong/.minikube/profiles/minikube/client.crt",
                    ],
                ]
            ],
            "contexts": [["name": "minikube", "context": ["user": "minikube", "cluster": "minikube"]]],
            "clusters": [
                ["name": "minikube", "cluster": ["server": "https://127.0.0.1:32768", "certificate-authority": "/Users/gojiyong/.minikube/ca.crt"]]
            ],
        ]
        XCTAssertEqual(
            YAMLPrinter.yaml(config),
            text("""
                clusters:
                - cluster:
                    certificate-authority: /Users/gojiyong/.minikube/ca.crt
                    server: https://127.0.0.1:32768
                  name: minikube
                contexts:
                - context:
                    cluster: minikube
                    user: minikube
                  name: minikube
                current-context: minikube
                kind: Config
                preferences: {}
                users:
                - name: minikube
                  user:
                    client-certificate: /Users/gojiyong/.minikube/profiles/minikube/client.crt
                    client-key: /Users/gojiyong/.minikube/profiles/minikube/client.key
                """))
    }

    func testYAMLScalarQuoting() {
        let cases: [(String, String)] = [
            ("plain", "plain"), ("true", #""true""#), ("False", #""False""#), ("yes", #""yes""#), ("on", #""on""#),
            ("null", #""null""#), ("~", #""~""#), ("", #""""#), ("123", #""123""#), ("0x1F", #""0x1F""#),
            ("1e3", #""1e3""#), ("1.5", #""1.5""#), (".5", #"".5""#), ("+1", #""+1""#), ("1_000", #""1_000""#),
            ("08", #""08""#), ("1e400", "1e400"), ("1:20", #""1:20""#), ("2024-01-01", #""2024-01-01""#),
            ("2024-1-2T3:4:5Z", #""2024-1-2T3:4:5Z""#), ("2024-02-30", "2024-02-30"), ("1.2.3", "1.2.3"),
            ("v1.18.0", "v1.18.0"), ("nginx:1.15", "nginx:1.15"), ("a: b", "'a: b'"), ("key:", "'key:'"),
            ("- x", "'- x'"), ("-x", "-x"), ("#x", "'#x'"), ("x #y", "'x #y'"), ("x#y", "x#y"), (" lead", "' lead'"),
            ("trail ", "'trail '"), ("it's", "it's"), ("{json}", "'{json}'"), ("*", "'*'"), ("@x", "'@x'"),
            ("%x", "'%x'"), ("---", "'---'"), ("a, b", "a, b"), ("[x]", "'[x]'"), ("'q'", "'''q'''"),
            ("tab\there", #""tab\there""#), ("caf\u{E9}", "caf\u{E9}"), ("\u{1F600}", #""\U0001F600""#),
            ("bell\u{07}", #""bell\a""#), ("<<", "<<"), ("0b101", #""0b101""#), ("0b-1", #""0b-1""#), ("-", "'-'"),
            ("TCP", "TCP"), ("Always", "Always"), ("N", #""N""#), ("NaN", "NaN"), (".inf", #"".inf""#),
            (".51_000", #"".51_000""#), ("._5", "._5"), ("1__0", #""1__0""#), ("0b", "0b"),
        ]
        for (value, expected) in cases {
            XCTAssertEqual(YAMLPrinter.yaml(["k": .string(value)]), "k: \(expected)\n", "value \(value.debugDescription)")
        }
    }

    func testYAMLNumbersAndNull() {
        XCTAssertEqual(
            YAMLPrinter.yaml(["a": 1, "b": 1.5, "c": 3.0, "d": nil, "e": false, "f": 1e20, "g": 0.0001, "h": 1e-5, "i": -2.5e7]),
            "a: 1\nb: 1.5\nc: 3\ne: false\nf: 1e+20\ng: 0.0001\nh: 1e-05\ni: -25000000\n")
        XCTAssertEqual(YAMLPrinter.yaml((try? JSON.parse(#"{"x":null,"y":[null]}"#)) ?? .null), "x: null\n\"y\":\n- null\n")
        XCTAssertEqual(YAMLPrinter.yaml(["big": 1234567.5, "mid": 123456.5]), "big: 1.2345675e+06\nmid: 123456.5\n")
    }

    func testYAMLKeyOrderIsGoYAMLs() {
        let object: JSON = ["b": 1, "a10": 1, "a9": 1, "A": 1, "_x": 1, "a-b": 1, "ab": 1, "a": 1, "1": 1, "z": 1]
        XCTAssertEqual(YAMLPrinter.yaml(object), "_x: 1\n\"1\": 1\nA: 1\na: 1\na-b: 1\na9: 1\na10: 1\nab: 1\nb: 1\nz: 1\n")
    }

    func testYAMLCollectionsAndBlocks() {
        let pod: JSON = [
            "spec": [
                "containers": [["name": "nginx", "image": "nginx", "args": ["-g", "daemon off;"], "ports": [["containerPort": 80]]]],
                "volumes": .array([]),
                "nested": [[1, 2], []],
            ],
            "data": ["script.sh": "#!/bin/sh\necho hi\n", "two": "a\nb", "keep": "x\n\n", "indented": "  x\ny\n"],
        ]
        XCTAssertEqual(
            YAMLPrinter.yaml(pod),
            text("""
                data:
                  indented: |2
                      x
                    y
                  keep: |+
                    x

                  script.sh: |
                    #!/bin/sh
                    echo hi
                  two: |-
                    a
                    b
                spec:
                  containers:
                  - args:
                    - -g
                    - daemon off;
                    image: nginx
                    name: nginx
                    ports:
                    - containerPort: 80
                  nested:
                  - - 1
                    - 2
                  - []
                  volumes: []
                """))
        XCTAssertEqual(YAMLPrinter.yaml(.array([])), "[]\n")
        XCTAssertEqual(YAMLPrinter.yaml("text"), "text\n")
        XCTAssertEqual(YAMLPrinter.yaml(["a", ["b": "c"]]), "- a\n- b: c\n")
    }

    /// go-yaml v2 folds long scalars at a space once past column 80, as kubectl's output shows
    /// for long condition messages.
    func testYAMLFoldsLongScalars() {
        // Parsed, not a literal: a literal drops nil members, the API server keeps nulls.
        let status =
            (try? JSON.parse(
                #"""
                {"conditions":[{"type":"PodScheduled","status":"False","lastProbeTime":null,
                "lastTransitionTime":"2021-03-01T10:00:00Z","reason":"Unschedulable",
                "message":"0/3 nodes are available: 1 node(s) had taint {node-role.kubernetes.io/master: }, that the pod didn't tolerate, 2 Insufficient cpu."}]}
                """#)) ?? .null
        XCTAssertEqual(
            YAMLPrinter.yaml(status),
            text("""
                conditions:
                - lastProbeTime: null
                  lastTransitionTime: "2021-03-01T10:00:00Z"
                  message: '0/3 nodes are available: 1 node(s) had taint {node-role.kubernetes.io/master:
                    }, that the pod didn''t tolerate, 2 Insufficient cpu.'
                  reason: Unschedulable
                  status: "False"
                  type: PodScheduled
                """))
        let plain = String(repeating: "word ", count: 30) + "end"
        let folded = YAMLPrinter.yaml(["message": .string(plain)])
        XCTAssertEqual(folded.split(separator: "\n").map(\.count), [83, 80])
        XCTAssertEqual(folded.replacingOccurrences(of: "\n  ", with: " "), "message: \(plain)\n")
    }

    func testYAMLLongAndMultilineKeys() {
        let longKey = String(repeating: "k", count: 129)
        XCTAssertEqual(YAMLPrinter.yaml([longKey: "v"]), "? \(longKey)\n: v\n")
        XCTAssertEqual(YAMLPrinter.yaml(["a\nb": "v"]), "? |-\n  a\n  b\n: v\n")
    }
}
