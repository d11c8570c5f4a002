import XCTest
@testable import KubeSim

/// Writes to the status subresource, validated as upstream's status strategies validate them
/// (`ValidatePodStatusUpdate`, `ValidateDeploymentStatusUpdate`, …): metadata immutability
/// and status fields, never the spec; a mistyped status member is a 400 decode failure.
final class StatusValidationTests: XCTestCase {
    private let pod = #"{"apiVersion":"v1","kind":"Pod","metadata":{"name":"web-1","namespace":"default","uid":"u1","labels":{"app":"web"}},"spec":{"nodeName":"node-1","restartPolicy":"Always","containers":[{"name":"web","image":"nginx:1.25"}]},"status":{"phase":"Pending","qosClass":"BestEffort"}}"#

    private func parse(_ text: String, file: StaticString = #filePath, line: UInt = #line) -> JSON {
        guard var object = try? JSON.parse(text) else {
            XCTFail("bad fixture", file: file, line: line)
            return .null
        }
        if let kind = object["kind"].string { Defaulting.apply(kind: kind, to: &object, version: .v1_36) }
        return object
    }

    /// The errors of replacing `old`'s status by `status` (as the API server's status write
    /// does), optionally after `edit` changes other members of the new object.
    private func statusErrors(_ kind: String, _ old: String, status: String, version: KubernetesVersion = .v1_36,
                              edit: (inout JSON) -> Void = { _ in }, file: StaticString = #filePath,
                              line: UInt = #line) -> [String]
    {
        let stored = parse(old, file: file, line: line)
        var new = stored
        new["status"] = (try? JSON.parse(status)) ?? .null
        edit(&new)
        return Validation.validateStatusUpdate(kind: kind, new: new, old: stored, version: version).map(\.description)
    }

    // MARK: - Pods

    func testKubeletStatusWritesPass() {
        let running = #"{"phase":"Running","qosClass":"BestEffort","conditions":[{"type":"Initialized","status":"True","lastProbeTime":null,"lastTransitionTime":"2024-01-01T00:00:02Z"},{"type":"Ready","status":"True","lastProbeTime":null,"lastTransitionTime":"2024-01-01T00:00:09Z"},{"type":"ContainersReady","status":"True","lastProbeTime":null,"lastTransitionTime":"2024-01-01T00:00:09Z"},{"type":"PodScheduled","status":"True","lastProbeTime":null,"lastTransitionTime":"2024-01-01T00:00:01Z"}],"hostIP":"10.0.0.11","hostIPs":[{"ip":"10.0.0.11"}],"podIP":"10.244.1.7","podIPs":[{"ip":"10.244.1.7"},{"ip":"fd00::7"}],"startTime":"2024-01-01T00:00:02Z","containerStatuses":[{"name":"web","state":{"running":{"startedAt":"2024-01-01T00:00:05Z"}},"lastState":{},"ready":true,"restartCount":0,"image":"nginx:1.25","imageID":"","containerID":"containerd://5f1b2c","started":true}]}"#
        for version in KubernetesVersion.allCases {
            XCTAssertEqual(statusErrors("Pod", pod, status: running, version: version), [], version.rawValue)
        }
    }

    func testSpecIsNotValidatedAgain() {
        // A stored spec that full validation rejects (no image) does not block status writes.
        let broken = pod.replacing(#""image":"nginx:1.25""#, with: #""image":"""#)
        XCTAssertEqual(statusErrors("Pod", broken, status: #"{"phase":"Running"}"#), [])
    }

    func testMetadataAndNodeNameAreImmutable() {
        XCTAssertEqual(statusErrors("Pod", pod, status: #"{"phase":"Running"}"#) { $0["metadata", "name"] = "web-2" },
                       [#"metadata.name: Invalid value: "web-2": field is immutable"#])
        XCTAssertEqual(statusErrors("Pod", pod, status: #"{"phase":"Running"}"#) { $0["spec", "nodeName"] = "node-2" },
                       ["status.nodeName: Forbidden: may not be changed directly"])
    }

    func testConditionTypesAndNominatedNode() {
        // Upstream reports custom condition types under the metadata path, with the Go field name.
        XCTAssertEqual(statusErrors("Pod", pod, status: #"{"conditions":[{"type":"Ready","status":"True"},{"type":"example.com/ok","status":"True"},{"type":"bad type!","status":"True"}],"nominatedNodeName":"Bad_Node"}"#), [
            #"metadata.conditions[2].Type: Invalid value: "bad type!": name part must consist of alphanumeric characters, "#
                + "'-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or "
                + "'123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')",
            #"status.nominatedNodeName: Invalid value: "Bad_Node": a lowercase RFC 1123 subdomain must consist of lower "#
                + "case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. "
                + "'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
        ])
    }

    func testQOSClassIsImmutableSince132() {
        let changed = #"{"phase":"Running","qosClass":"Burstable"}"#
        XCTAssertEqual(statusErrors("Pod", pod, status: changed),
                       [#"status.qosClass: Invalid value: "Burstable": field is immutable"#])
        XCTAssertEqual(statusErrors("Pod", pod, status: changed, version: .v1_18), [])
        // An omitted class is backfilled from the stored pod, as the status strategy does.
        XCTAssertEqual(statusErrors("Pod", pod, status: #"{"phase":"Running"}"#), [])
    }

    func testTerminatedContainersStayTerminated() {
        let never = pod.replacing(#""restartPolicy":"Always""#, with: #""restartPolicy":"Never""#)
            .replacing(#""status":{"phase":"Pending","qosClass":"BestEffort"}"#,
                                  with: #""status":{"phase":"Failed","containerStatuses":[{"name":"web","state":{"terminated":{"exitCode":1}}}]}"#)
        let restarted = #"{"phase":"Running","containerStatuses":[{"name":"web","state":{"running":{}}}]}"#
        XCTAssertEqual(statusErrors("Pod", never, status: restarted),
                       ["status.containerStatuses[0].state: Forbidden: may not be transitioned to non-terminated state"])
        // OnFailure may restart a failed container; Always restarts anything.
        let onFailure = never.replacing(#""restartPolicy":"Never""#, with: #""restartPolicy":"OnFailure""#)
        XCTAssertEqual(statusErrors("Pod", onFailure, status: restarted), [])
        let always = never.replacing(#""restartPolicy":"Never""#, with: #""restartPolicy":"Always""#)
        XCTAssertEqual(statusErrors("Pod", always, status: restarted), [])
    }

    func testPodIPs() {
        XCTAssertEqual(statusErrors("Pod", pod, status: #"{"podIPs":[{"ip":"10.0.0.1"},{"ip":"10.0.0.1"}]}"#), [
            #"status.podIPs: Invalid value: [{"IP":"10.0.0.1"},{"IP":"10.0.0.1"}]: may specify no more than one IP for each IP family"#,
            #"status.podIPs[1]: Duplicate value: {"IP":"10.0.0.1"}"#,
        ])
        XCTAssertEqual(statusErrors("Pod", pod, status: #"{"podIPs":[{"ip":"10.0.0.1"},{"ip":"10.0.0.1"}]}"#,
                                    version: .v1_18), [
            #"status.podIPs: Invalid value: []core.PodIP{core.PodIP{IP:"10.0.0.1"}, core.PodIP{IP:"10.0.0.1"}}: "#
                + "may specify no more than one IP for each IP family",
            #"status.podIPs[1]: Duplicate value: core.PodIP{IP:"10.0.0.1"}"#,
        ])
        XCTAssertEqual(statusErrors("Pod", pod, status: #"{"podIPs":[{"ip":"10.0.0.256"}]}"#),
                       [#"status.podIPs[0]: Invalid value: "10.0.0.256": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)"#])
        XCTAssertEqual(statusErrors("Pod", pod, status: #"{"podIPs":[{"ip":"010.0.0.1"}]}"#),
                       [#"status.podIPs[0]: Invalid value: "010.0.0.1": must not have leading 0s"#])
    }

    func testHostIPs() {
        XCTAssertEqual(statusErrors("Pod", pod, status: #"{"hostIP":"10.0.0.11","hostIPs":[{"ip":"10.0.0.12"}]}"#),
                       [#"status.hostIPs[0].ip: Invalid value: "10.0.0.12": must be equal to `hostIP`"#])
        // hostIPs came in 1.28; 1.18 decodes them away.
        XCTAssertEqual(statusErrors("Pod", pod, status: #"{"hostIP":"10.0.0.11","hostIPs":[{"ip":"10.0.0.12"}]}"#,
                                    version: .v1_18), [])
    }

    func testContainerUsersAndResourceHealth() {
        let status = #"{"containerStatuses":[{"name":"web","user":{"linux":{"uid":-1,"gid":0,"supplementalGroups":[5,-2]}},"allocatedResourcesStatus":[{"name":"example.com/gpu","resources":[{"resourceID":"g0","health":"Sick"},{"resourceID":"g0","health":"Healthy"}]}]}]}"#
        XCTAssertEqual(statusErrors("Pod", pod, status: status), [
            "status.containerStatuses[0].linux.uid: Invalid value: -1: must be between 0 and 2147483647, inclusive",
            "status.containerStatuses[0].linux.supplementalGroups[1]: Invalid value: -2: must be between 0 and 2147483647, inclusive",
            #"status.containerStatuses[0].allocatedResourcesStatus[0].name: Invalid value: "example.com/gpu": must match one of the container's resource requests"#,
            #"status.containerStatuses[0].allocatedResourcesStatus[0].resources[0].health: Unsupported value: "Sick": supported values: "Healthy", "Unhealthy", "Unknown""#,
            #"status.containerStatuses[0].allocatedResourcesStatus[0].resources[1].resourceID: Duplicate value: "g0""#,
        ])
    }

    func testMistypedStatusIsADecodeFailure() {
        let errors = statusErrorsRaw("Pod", pod, status: #"{"podIPs":"10.0.0.1"}"#)
        XCTAssertEqual(Validation.decodeFailure(kind: "Pod", apiVersion: "v1", errors: errors)?.message,
                       #"Pod in version "v1" cannot be handled as a Pod: json: cannot unmarshal string into Go struct field PodStatus.status.podIPs of type []v1.PodIP"#)
        let nested = statusErrorsRaw("Pod", pod, status: #"{"containerStatuses":[{"name":"web","restartCount":"3"}]}"#)
        XCTAssertEqual(nested.map(\.description), [
            #"status.containerStatuses[0].restartCount: Invalid value: json: cannot unmarshal string into Go struct field ContainerStatus.status.containerStatuses.restartCount of type int32"#,
        ])
        let time = statusErrorsRaw("Pod", pod, status: #"{"startTime":"yesterday"}"#)
        XCTAssertEqual(Validation.decodeFailure(kind: "Pod", apiVersion: "v1", errors: time)?.message,
                       #"Pod in version "v1" cannot be handled as a Pod: parsing time "yesterday" as "2006-01-02T15:04:05Z07:00": cannot parse "yesterday" as "2006""#)
    }

    private func statusErrorsRaw(_ kind: String, _ old: String, status: String) -> [FieldError] {
        let stored = parse(old)
        var new = stored
        new["status"] = (try? JSON.parse(status)) ?? .null
        return Validation.validateStatusUpdate(kind: kind, new: new, old: stored, version: .v1_36)
    }

    // MARK: - Workloads and nodes

    private let deployment = #"{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web","namespace":"default"},"spec":{"replicas":3,"selector":{"matchLabels":{"app":"web"}},"template":{"metadata":{"labels":{"app":"web"}},"spec":{"containers":[{"name":"web","image":"nginx"}]}}},"status":{"collisionCount":2}}"#

    func testDeploymentStatus() {
        XCTAssertEqual(statusErrors("Deployment", deployment, status: #"{"observedGeneration":1,"replicas":3,"updatedReplicas":3,"readyReplicas":3,"availableReplicas":3,"collisionCount":2}"#), [])
        XCTAssertEqual(statusErrors("Deployment", deployment, status: #"{"replicas":-1,"readyReplicas":2,"availableReplicas":3,"collisionCount":1}"#), [
            "status.replicas: Invalid value: -1: must be greater than or equal to 0",
            "status.updatedReplicas: Invalid value: 0: cannot be greater than status.replicas",
            "status.readyReplicas: Invalid value: 2: cannot be greater than status.replicas",
            "status.availableReplicas: Invalid value: 3: cannot be greater than status.replicas",
            "status.availableReplicas: Invalid value: 3: cannot be greater than readyReplicas",
            "status.collisionCount: Invalid value: 1: cannot be decremented",
        ])
        // Clearing the count decrements it too.
        XCTAssertEqual(statusErrors("Deployment", deployment, status: #"{"replicas":1}"#),
                       ["status.collisionCount: Invalid value: 0: cannot be decremented"])
        let errors = statusErrorsRaw("Deployment", deployment, status: #"{"replicas":"3"}"#)
        XCTAssertEqual(Validation.decodeFailure(kind: "Deployment", apiVersion: "apps/v1", errors: errors)?.message,
                       #"Deployment in version "v1" cannot be handled as a Deployment: json: cannot unmarshal string into Go struct field DeploymentStatus.status.replicas of type int32"#)
    }

    func testReplicaSetAndDaemonSetStatus() {
        let rs = deployment.replacing(#""kind":"Deployment""#, with: #""kind":"ReplicaSet""#)
        XCTAssertEqual(statusErrors("ReplicaSet", rs, status: #"{"replicas":3,"fullyLabeledReplicas":4,"readyReplicas":1,"availableReplicas":2,"observedGeneration":-1}"#), [
            "status.observedGeneration: Invalid value: -1: must be greater than or equal to 0",
            "status.fullyLabeledReplicas: Invalid value: 4: cannot be greater than status.replicas",
            "status.availableReplicas: Invalid value: 2: cannot be greater than readyReplicas",
        ])
        let ds = deployment.replacing(#""kind":"Deployment""#, with: #""kind":"DaemonSet""#)
        XCTAssertEqual(statusErrors("DaemonSet", ds, status: #"{"numberReady":-1,"collisionCount":2}"#),
                       ["status.numberReady: Invalid value: -1: must be greater than or equal to 0"])
    }

    func testNodeStatus() {
        let node = #"{"apiVersion":"v1","kind":"Node","metadata":{"name":"node-1"},"spec":{"podCIDR":"10.244.1.0/24","podCIDRs":["10.244.1.0/24"]},"status":{"capacity":{"cpu":"4"}}}"#
        let duplicated = #"{"capacity":{"cpu":"4"},"addresses":[{"type":"InternalIP","address":"10.0.0.11"},{"type":"Hostname","address":"node-1"},{"type":"InternalIP","address":"10.0.0.11"}]}"#
        XCTAssertEqual(statusErrors("Node", node, status: duplicated),
                       [#"status.addresses[2]: Duplicate value: {"Type":"InternalIP","Address":"10.0.0.11"}"#])
        XCTAssertEqual(statusErrors("Node", node, status: duplicated, version: .v1_18),
                       [#"status.addresses[2]: Duplicate value: core.NodeAddress{Type:"InternalIP", Address:"10.0.0.11"}"#])
        XCTAssertEqual(statusErrors("Node", node, status: #"{"capacity":{"cpu":"-1"},"conditions":[{"type":"Ready","status":"True"}]}"#),
                       [#"status.capacity.cpu: Invalid value: "-1": must be greater than or equal to 0"#])
        let errors = statusErrorsRaw("Node", node, status: #"{"conditions":[{"type":"Ready","lastHeartbeatTime":5}]}"#)
        XCTAssertEqual(Validation.decodeFailure(kind: "Node", apiVersion: "v1", errors: errors)?.message,
                       #"Node in version "v1" cannot be handled as a Node: json: cannot unmarshal number into Go value of type string"#)
    }

    func testOtherKindsCheckMetadataOnly() {
        let cm = #"{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"cfg","namespace":"default"},"data":{"..bad":"x"}}"#
        XCTAssertEqual(statusErrors("ConfigMap", cm, status: "{}"), [])
        XCTAssertEqual(statusErrors("ConfigMap", cm, status: "{}") { $0["metadata", "namespace"] = "other" },
                       [#"metadata.namespace: Invalid value: "other": field is immutable"#])
        XCTAssertEqual(Validation.validateStatusUpdate(kind: "Pod", new: [1], old: parse(pod), version: .v1_36).map(\.detail),
                       ["json: cannot unmarshal array into Go value of type v1.Pod"])
    }
}
