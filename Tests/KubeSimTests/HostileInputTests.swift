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
}
