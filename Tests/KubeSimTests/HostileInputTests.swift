import XCTest
@testable import KubeSim

/// Inputs a fuzzing pass over the C interface found to stop the process or run away. Each is
/// accepted or refused as upstream would, and the cluster runs on.
final class HostileInputTests: XCTestCase {
    private func cluster(_ config: String) throws -> Cluster {
        Cluster(config: try ClusterConfig.parse(JSON.parse(config)).get())
    }

    private func runningPods(_ c: Cluster) -> [String] {
        c.pods().filter { $0["status", "phase"].string == "Running" }.map(\.name)
    }

    /// A node may declare an allocatable near Int64.max: scoring it multiplied past Int64.max.
    func testANodeWithAnEnormousAllocatableIsScored() throws {
        let c = try cluster(#"{"nodes": [{"name": "n1", "cpu": "16Ei", "memory": "16Ei"}, {"name": "n2"}], "systemDaemonSets": false}"#)
        c.applyOK("apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers: [{name: c, image: nginx}]\n")
        c.run(for: .seconds(30))
        XCTAssertEqual(runningPods(c), ["p"])
        // The emptier node scores higher, as least-allocated scoring says.
        XCTAssertEqual(NodeResourcesFit.leastRequested(0, .max), 100)
        XCTAssertEqual(NodeResourcesFit.leastRequested(.max / 2, .max), 50)
        XCTAssertEqual(NodeResourcesFit.leastRequested(1, 4), 75)
    }

    /// A percentage maxSurge is an int64 in Go (`strconv.Atoi`), so validation lets any
    /// size through; resolving it against replicas multiplied past Int64.max.
    func testAnEnormousPercentageMaxSurgeRollsOut() throws {
        let c = try cluster(#"{"nodes": 2, "systemDaemonSets": false}"#)
        c.applyOK("""
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: web}
            spec:
              replicas: 3
              selector: {matchLabels: {app: web}}
              strategy: {rollingUpdate: {maxSurge: "9223372036854775807%", maxUnavailable: "50%"}}
              template:
                metadata: {labels: {app: web}}
                spec: {containers: [{name: c, image: nginx}]}
            """)
        c.run(for: .seconds(30))
        XCTAssertEqual(runningPods(c).count, 3)
        XCTAssertEqual(DeploymentUtil.scaled("9223372036854775807%", total: 3, roundUp: true, default: 0), 0)
        XCTAssertEqual(DeploymentUtil.scaled("25%", total: 10, roundUp: true, default: 0), 3)
        XCTAssertEqual(DeploymentUtil.scaled("25%", total: 10, roundUp: false, default: 0), 2)
        XCTAssertEqual(DeploymentUtil.scaled("+7", total: 10, roundUp: false, default: 9), 7)
        XCTAssertEqual(DeploymentUtil.scaled("-1%", total: 300, roundUp: false, default: 9), -3)
        // Go's math.Ceil and math.Floor, also next to Int64.max and below zero.
        XCTAssertEqual(DeploymentUtil.scaled("4611686018427387903%", total: 2, roundUp: true, default: 0),
                       92_233_720_368_547_759)
        XCTAssertEqual(DeploymentUtil.scaled("-1%", total: 150, roundUp: false, default: 9), -2)
        XCTAssertEqual(DeploymentUtil.scaled("-1%", total: 150, roundUp: true, default: 9), -1)
        XCTAssertEqual(DeploymentUtil.scaled("30%", total: 5, roundUp: false, default: 9), 1)
        XCTAssertEqual(DeploymentUtil.scaled("30%", total: 5, roundUp: true, default: 9), 2)
        XCTAssertEqual(DeploymentUtil.scaled("%", total: 10, roundUp: false, default: 9), 9)
        XCTAssertEqual(DeploymentUtil.scaled("1x%", total: 10, roundUp: false, default: 9), 9)
        XCTAssertEqual(DeploymentUtil.scaled("99999999999999999999", total: 10, roundUp: false, default: 9), 9)
    }

    /// maxSkew is an int32: a larger number fails decoding as it does upstream, instead of
    /// reaching the scheduler (where its score did not fit in an Int64).
    func testASpreadConstraintBeyondInt32IsADecodeError() throws {
        let c = try cluster(#"{"nodes": 2, "systemDaemonSets": false}"#)
        let result = c.apply(manifests: """
            apiVersion: v1
            kind: Pod
            metadata: {name: p, labels: {app: a}}
            spec:
              containers: [{name: c, image: nginx}]
              topologySpreadConstraints:
              - {maxSkew: 9223372036854775807, topologyKey: kubernetes.io/hostname, whenUnsatisfiable: ScheduleAnyway,
                 labelSelector: {matchLabels: {app: a}}}
            """)
        let error = try XCTUnwrap(try result.get().first?.error)
        XCTAssertEqual(error.code, 400)
        XCTAssertTrue(error.message.contains("maxSkew of type int32"), error.message)
        XCTAssertNil(c.get("pods", "p"))

        // One already stored with it (written into etcd, past the API server) is scheduled.
        var constraint = SpreadConstraint(try JSON.parse(#"{"maxSkew": 9223372036854775807, "topologyKey": "zone"}"#),
                                          namespace: "default")
        XCTAssertEqual(constraint.maxSkew, Int(Int32.max))
        constraint = SpreadConstraint(try JSON.parse(#"{"maxSkew": -9223372036854775808, "topologyKey": "zone"}"#),
                                      namespace: "default")
        XCTAssertEqual(constraint.maxSkew, Int(Int32.min))
    }

    /// A node eviction rate so low that a token's period does not fit in the clock.
    func testATinyNodeEvictionRateIsNearlyNever() throws {
        for rate in ["1e-10", "5e-324"] {
            let c = try cluster(#"{"nodes": 3, "nodeLifecycle": {"nodeEvictionRate": \#(rate)}}"#)
            c.run(for: .seconds(10))
            guard case .success = c.fault(.fail, scope: .host, name: "minikube-m03") else { return XCTFail(rate) }
            c.run(for: .seconds(120))
            // The bucket starts with its one token: the unreachable node is tainted NoExecute.
            let taints = c.get("nodes", "minikube-m03", namespace: nil)?["spec", "taints"].array ?? []
            XCTAssertTrue(taints.contains { $0["key"].string == "node.kubernetes.io/unreachable" && $0["effect"].string == "NoExecute" },
                          "\(rate): \(taints)")
        }
        var bucket = TokenBucket(qps: 1e-10)
        let now = VirtualTime(nanos: 1_700_000_000_000_000_000)
        XCTAssertTrue(bucket.tryAccept(now))
        XCTAssertFalse(bucket.tryAccept(now + .seconds(86_400 * 365 * 50)))
    }

    /// `matchLabels: {app: null}` is `app: ""` to Go's decoder. A template without the label
    /// does not match it, so the Deployment is refused as upstream refuses it, rather than
    /// stored with a ReplicaSet that never recognised its own pods and made them without end.
    func testANullSelectorValueIsTheEmptyString() throws {
        let c = try cluster(#"{"nodes": 2, "systemDaemonSets": false}"#)
        let refused = c.apply(manifests: """
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: d1}
            spec:
              selector: {matchLabels: {app: null}}
              template:
                spec:
                  containers: [{name: c, image: nginx}]
            """)
        let error = try XCTUnwrap(try refused.get().first?.error)
        XCTAssertEqual(error.code, 422)
        XCTAssertTrue(error.message.contains("`selector` does not match template `labels`"), error.message)

        // With the label there as "", selector and template agree and the pods are counted.
        c.applyOK("""
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: d2}
            spec:
              replicas: 2
              selector: {matchLabels: {app: null}}
              template:
                metadata: {labels: {app: ""}}
                spec:
                  containers: [{name: c, image: nginx}]
            """)
        c.run(for: .seconds(60))
        XCTAssertEqual(c.pods().count, 2)
        XCTAssertEqual(runningPods(c).count, 2)
        let selector = try LabelSelector.fromJSON(try JSON.parse(#"{"matchLabels": {"app": null}}"#), fieldPath: "selector").get()
        XCTAssertEqual(selector?.matches(["app": ""] as [String: String]), true)
        XCTAssertEqual(selector?.matches(try JSON.parse(#"{"app": null}"#)), true)
        XCTAssertEqual(selector?.matches(try JSON.parse(#"{}"#)), false)

        // And it is stored as "", as the API server stores what Go decoded: in the object,
        // in what it creates from it, and in strings of lists; after an update too.
        let stored = try XCTUnwrap(c.get("deployments", "d2"))
        XCTAssertEqual(stored["spec", "selector", "matchLabels"].serialized(), #"{"app":""}"#)
        guard case .success(let sets) = c.request(.list, "replicasets", namespace: "default") else {
            return XCTFail("no ReplicaSets")
        }
        let rs = try XCTUnwrap(sets["items"].array?.first)
        XCTAssertEqual(rs["spec", "selector", "matchLabels", "app"], .string(""))
        c.applyOK("""
            apiVersion: v1
            kind: Pod
            metadata:
              name: p
              labels: {a: null, b: x}
              annotations: {note: null}
            spec:
              nodeSelector: {disk: null}
              containers: [{name: c, image: nginx, args: [run, null]}]
            """)
        let pod = try XCTUnwrap(c.get("pods", "p"))
        XCTAssertEqual(pod["metadata", "labels"].serialized(), #"{"a":"","b":"x"}"#)
        XCTAssertEqual(pod["metadata", "annotations", "note"], .string(""))
        XCTAssertEqual(pod["spec", "nodeSelector"].serialized(), #"{"disk":""}"#)
        XCTAssertEqual(pod["spec", "containers"].array?.first?["args"].serialized(), #"["run",""]"#)
        guard case .success(let patched) = c.call(.patch, #"{"resource": "pods", "namespace": "default", "name": "p", "patchType": "json", "patch": [{"op": "add", "path": "/metadata/labels/c", "value": null}]}"#) else {
            return XCTFail("patch refused")
        }
        XCTAssertEqual(patched["metadata", "labels"].serialized(), #"{"a":"","b":"x","c":""}"#)
    }

    /// A null member of a struct is stored as Go writes it back after decoding the body: left
    /// out where the tag has `omitempty` (an empty `nodeSelector:` in a template), the zero value
    /// where it has not (and validated as such), `null` for a `metav1.Time` value; from 1.34
    /// `creationTimestamp` is `omitzero` and left out too.
    func testANullMemberIsStoredAsGoWritesItBack() throws {
        for version in ["1.36", "1.18"] {
            let c = try cluster(#"{"nodes": 1, "systemDaemonSets": false, "kubernetesVersion": "\#(version)"}"#)
            c.applyOK("""
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: web, labels: null, annotations: null}
                spec:
                  replicas: 2
                  strategy: null
                  revisionHistoryLimit: null
                  selector: {matchLabels: {app: web}, matchExpressions: null}
                  template:
                    metadata: {labels: {app: web}, creationTimestamp: null}
                    spec:
                      nodeSelector: null
                      tolerations: null
                      affinity: null
                      containers:
                      - name: nginx
                        image: nginx:1.15
                        resources: null
                        env: null
                        ports: [{containerPort: 80, name: null}]
                """)
            let d = try XCTUnwrap(c.get("deployments", "web"))
            XCTAssertNil(d["metadata"].object?["labels"], version)
            XCTAssertEqual(d["spec", "strategy", "type"], "RollingUpdate", version)
            XCTAssertEqual(d["spec", "revisionHistoryLimit"], 10, version)
            XCTAssertEqual(d["spec", "selector"].serialized(), #"{"matchLabels":{"app":"web"}}"#, version)
            let template = d["spec", "template"]
            XCTAssertEqual(template["metadata"].serialized(), version == "1.18"
                ? #"{"labels":{"app":"web"},"creationTimestamp":null}"# : #"{"labels":{"app":"web"}}"#)
            for key in ["nodeSelector", "tolerations", "affinity"] {
                XCTAssertNil(template["spec"].object?[key], "\(version) \(key)")
            }
            let container = template["spec", "containers"][index: 0]
            XCTAssertEqual(container["resources"].serialized(), "{}", version)
            XCTAssertNil(container.object?["env"], version)
            XCTAssertEqual(container["ports"].serialized(), #"[{"containerPort":80,"protocol":"TCP"}]"#, version)
            c.run(for: .seconds(30))
            // The pods made from the template have none of them either.
            let pod = try XCTUnwrap(c.pods().first)
            XCTAssertNil(pod["spec"].object?["nodeSelector"], version)
            XCTAssertEqual(runningPods(c).count, 2, version)

            // An empty map or list is left out as a null one is, unless the member is required.
            c.applyOK("""
                apiVersion: v1
                kind: Pod
                metadata: {name: empty, annotations: {}, finalizers: []}
                spec:
                  nodeSelector: {}
                  imagePullSecrets: []
                  containers: [{name: c, image: nginx, args: [], env: []}]
                """)
            let empty = try XCTUnwrap(c.get("pods", "empty"))
            XCTAssertEqual(empty.annotations.object?.keys.map { $0 }, ["kubectl.kubernetes.io/last-applied-configuration"], version)
            XCTAssertNil(empty["metadata"].object?["finalizers"], version)
            XCTAssertNil(empty["spec"].object?["nodeSelector"], version)
            XCTAssertNil(empty["spec"].object?["imagePullSecrets"], version)
            XCTAssertEqual(empty["spec", "containers"][index: 0].object?.keys.contains("args"), false, version)
            let noContainers = c.apply(manifests: "apiVersion: v1\nkind: Pod\nmetadata: {name: none}\nspec: {containers: []}\n")
            XCTAssertEqual(try noContainers.get().first?.error?.message,
                           #"Pod "none" is invalid: spec.containers: Required value"#, version)

            // A member without omitempty is its zero value: a null containerPort is 0, refused
            // as upstream refuses a port left out.
            let refused = c.apply(manifests: """
                apiVersion: v1
                kind: Pod
                metadata: {name: p}
                spec:
                  containers: [{name: c, image: nginx, ports: [{containerPort: null}]}]
                """)
            XCTAssertEqual(try refused.get().first?.error?.message,
                           #"Pod "p" is invalid: spec.containers[0].ports[0].containerPort: Required value"#, version)
            c.applyOK("""
                apiVersion: v1
                kind: Event
                metadata: {name: e1}
                involvedObject: {kind: Pod, name: p, namespace: default}
                reason: Tested
                message: m
                reportingComponent: null
                firstTimestamp: null
                source: null
                count: null
                """)
            let event = try XCTUnwrap(c.get("events", "e1"))
            XCTAssertEqual(event["reportingComponent"], "", version)
            XCTAssertEqual(event.object?["firstTimestamp"], .null, version)
            XCTAssertNil(event.object?["source"], version)
            XCTAssertNil(event.object?["count"], version)

            // A status write too: lastProbeTime (a value) stays null, startTime (a pointer) goes.
            guard case .success(var status) = c.request(.get, "pods", namespace: "default", name: pod.name) else {
                return XCTFail("no pod")
            }
            let conditions = try JSON.parse(#"[{"type": "Ready", "status": "True", "lastProbeTime": null, "lastTransitionTime": "2024-01-01T00:00:00Z", "reason": null}]"#)
            status["status", "conditions"] = conditions
            status["status", "startTime"] = "2024-01-01T00:00:00Z"
            guard case .object(var statusObject) = status["status"] else { return XCTFail("no status") }
            statusObject["startTime"] = .null
            status["status"] = .object(statusObject)
            let written = try c.request(.update, "pods", namespace: "default", name: pod.name, body: status) {
                $0.subresource = "status"
            }.get()
            XCTAssertEqual(written["status", "conditions"].serialized(),
                           #"[{"type":"Ready","status":"True","lastProbeTime":null,"lastTransitionTime":"2024-01-01T00:00:00Z"}]"#,
                           version)
            XCTAssertNil(written["status"].object?["startTime"], version)
        }
    }

    /// The clock is 64-bit nanoseconds, which end in April 2262. A timer set past the end used
    /// to wrap to 1677, always due, and a run near the end never returned; now the clock stops
    /// at `VirtualTime.latest` and a run past it is refused.
    func testTheClockStopsBeforeItWouldWrap() throws {
        let c = try cluster(#"{"epoch": "2261-12-31T00:00:00Z", "nodes": 1, "systemDaemonSets": false}"#)
        guard case .failure(let refused) = c.call(.run, #"{"duration": "2400h"}"#) else { return XCTFail("ran past 2262") }
        XCTAssertEqual(refused.code, 400)
        XCTAssertEqual(refused.message, "the cluster's clock cannot pass 2262-01-01T00:00:00Z, now 2261-12-31T00:00:00.000000Z")
        guard case .success(let ran) = c.call(.run, #"{"duration": "23h55m"}"#) else { return XCTFail("short run refused") }
        XCTAssertEqual(ran["now"].string, "2261-12-31T23:55:00.000000Z")
        // The Swift API stops at the limit, timers (compaction every 5 minutes) and all.
        c.run(for: .seconds(3600))
        XCTAssertEqual(c.now, .latest)
        XCTAssertEqual(c.run(for: .seconds(300)), 0)
        XCTAssertEqual(VirtualTime(nanos: .max - 5) + .seconds(10), VirtualTime(nanos: .max))
        XCTAssertEqual(c.get("nodes", "minikube", namespace: nil)?["status", "conditions"].array?.isEmpty, false)
    }

    /// Durations parse as Go's `time.ParseDuration`: in integers, so the 366-day bound of a
    /// run holds to the nanosecond, and refused with Go's own words.
    func testDurationsParseAsGoDoes() throws {
        let day: Int64 = 86_400_000_000_000
        XCTAssertEqual(Duration(go: "8784h1ns")?.nanos, 366 * day + 1)
        XCTAssertEqual(Duration(go: "8784h0.000000001s")?.nanos, 366 * day + 1)
        XCTAssertEqual(Duration(go: "1.5h")?.nanos, 5_400_000_000_000)
        XCTAssertEqual(Duration(go: "1h2m3.5s")?.nanos, 3_723_500_000_000)
        XCTAssertEqual(Duration(go: ".5s")?.nanos, 500_000_000)
        XCTAssertEqual(Duration(go: "-1.5us")?.nanos, -1_500)
        XCTAssertEqual(Duration(go: "2\u{00B5}s")?.nanos, 2_000)
        XCTAssertEqual(Duration(go: "2\u{03BC}s")?.nanos, 2_000)
        XCTAssertEqual(Duration(go: "0")?.nanos, 0)
        XCTAssertEqual(Duration(go: "9223372036854775807ns")?.nanos, .max)
        XCTAssertEqual(Duration(go: "-9223372036854775808ns")?.nanos, .min)
        // Digits past what 63 bits hold only stop adding precision to a fraction.
        XCTAssertEqual(Duration(go: "1.0000000000000000000001s")?.nanos, 1_000_000_000)
        func refusal(_ text: String) -> String? {
            if case .failure(let e) = Duration.parse(go: text) { return e.message }
            return nil
        }
        XCTAssertEqual(refusal("9223372036854775808ns"), #"time: invalid duration "9223372036854775808ns""#)
        XCTAssertEqual(refusal("2562048h"), #"time: invalid duration "2562048h""#)
        XCTAssertEqual(refusal(""), #"time: invalid duration """#)
        XCTAssertEqual(refusal("-"), #"time: invalid duration "-""#)
        XCTAssertEqual(refusal(".s"), #"time: invalid duration ".s""#)
        XCTAssertEqual(refusal("1"), #"time: missing unit in duration "1""#)
        XCTAssertEqual(refusal("1d"), #"time: unknown unit "d" in duration "1d""#)
        // Go reads ASCII digits only.
        XCTAssertEqual(refusal("\u{0663}s"), #"time: invalid duration "\#u{0663}s""#)

        let c = try cluster(#"{"nodes": 1, "systemDaemonSets": false}"#)
        let start = c.now
        guard case .failure(let over) = c.call(.run, #"{"duration": "8784h1ns"}"#) else {
            return XCTFail("a run 1 ns over 366 days was accepted")
        }
        XCTAssertEqual(over.message, "duration must be between 0 and 366 days")
        guard case .failure(let unknown) = c.call(.run, #"{"duration": "1d"}"#) else { return XCTFail("1d accepted") }
        XCTAssertEqual(unknown.code, 400)
        XCTAssertEqual(unknown.message, #"time: unknown unit "d" in duration "1d""#)
        XCTAssertEqual(c.now, start)
    }
}
