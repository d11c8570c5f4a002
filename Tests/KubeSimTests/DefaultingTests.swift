import XCTest
@testable import KubeSim

/// Defaults as the API server stores them (`pkg/apis/core/v1/defaults.go`,
/// `pkg/apis/apps/v1/defaults.go`), checked on the serialised object a user would read back.
final class DefaultingTests: XCTestCase {
    private func defaulted(_ kind: String, _ text: String, file: StaticString = #filePath, line: UInt = #line) -> JSON {
        guard var object = try? JSON.parse(text) else {
            XCTFail("bad fixture", file: file, line: line)
            return .null
        }
        Defaulting.apply(kind: kind, to: &object, version: .v1_36)
        return object
    }

    func testPodSpecDefaults() {
        let pod = defaulted("Pod", #"{"metadata":{"name":"web"},"spec":{"containers":[{"name":"web","image":"nginx"}]}}"#)
        XCTAssertEqual(pod.serialized(), #"{"metadata":{"name":"web"},"spec":{"containers":[{"name":"web","image":"nginx","#
            + #""imagePullPolicy":"Always","terminationMessagePath":"/dev/termination-log","terminationMessagePolicy":"File","#
            + #""resources":{}}],"dnsPolicy":"ClusterFirst","restartPolicy":"Always","securityContext":{},"#
            + #""terminationGracePeriodSeconds":30,"schedulerName":"default-scheduler","enableServiceLinks":true,"#
            + #""priority":0,"preemptionPolicy":"PreemptLowerPriority"}}"#)
    }

    func testImagePullPolicyFollowsTheTag() {
        let cases: [(String, String)] = [
            ("nginx", "Always"), ("nginx:latest", "Always"), ("nginx:1.25", "IfNotPresent"),
            ("registry.example.com:5000/team/app", "Always"), ("localhost:5000/app:v2", "IfNotPresent"),
            ("nginx@sha256:" + String(repeating: "a", count: 64), "IfNotPresent"),
            ("nginx:1.25@sha256:" + String(repeating: "b", count: 64), "IfNotPresent"),
            ("Nginx", "IfNotPresent"),  // not a valid reference: upstream ignores the parse error
            ("[::1]:5000/app", "Always"), ("MyRegistry/app", "Always"), ("a_b.example/app", "Always"),
            // Not a domain nor a path component, or a bad port: invalid references.
            ("a.\u{301}b/app", "IfNotPresent"), ("reg.example:port/app", "IfNotPresent"),
            ("-reg.example/app", "IfNotPresent"),
            // docker's separators are `.`, `_`, `__` or dashes; a tag is not empty; a digest
            // is a registered algorithm's; a bare image ID and an over-long name are refused.
            ("a--b", "Always"), ("a__b/c_d", "Always"), ("a..b/app", "IfNotPresent"), ("a___b", "IfNotPresent"),
            ("app:", "IfNotPresent"), ("app:latest@sha256:abc", "IfNotPresent"),
            ("app@md5:" + String(repeating: "a", count: 32), "IfNotPresent"),
            (String(repeating: "a", count: 64), "IfNotPresent"), (String(repeating: "x", count: 237), "Always"),
            (String(repeating: "x", count: 238), "IfNotPresent"),
        ]
        for (image, policy) in cases {
            let pod = defaulted("Pod", #"{"spec":{"containers":[{"name":"c","image":"\#(image)"}]}}"#)
            XCTAssertEqual(pod["spec", "containers"][index: 0]["imagePullPolicy"].string, policy, image)
        }
        let explicit = defaulted("Pod", #"{"spec":{"containers":[{"name":"c","image":"nginx","imagePullPolicy":"Never"}]}}"#)
        XCTAssertEqual(explicit["spec", "containers"][index: 0]["imagePullPolicy"], "Never")
    }

    func testContainerDetailsAndPodOnlyDefaults() {
        let pod = defaulted("Pod", #"""
            {"spec":{"hostNetwork":true,"containers":[{"name":"c","image":"app:1","ports":[{"containerPort":8080}],
             "resources":{"limits":{"cpu":0.5,"memory":"128974848"},"requests":{"cpu":"100m"}},
             "readinessProbe":{"httpGet":{"port":8080}},
             "env":[{"name":"NODE","valueFrom":{"fieldRef":{"fieldPath":"spec.nodeName"}}}]}],
             "volumes":[{"name":"scratch"},{"name":"cfg","configMap":{"name":"cfg"}}]}}
            """#)
        let c = pod["spec", "containers"][index: 0]
        XCTAssertEqual(c["ports"].serialized(), #"[{"containerPort":8080,"protocol":"TCP","hostPort":8080}]"#)
        // Requests default to limits resource by resource, and quantities are stored canonically.
        XCTAssertEqual(c["resources"].serialized(),
                       #"{"limits":{"cpu":"500m","memory":"128974848"},"requests":{"cpu":"100m","memory":"128974848"}}"#)
        XCTAssertEqual(c["readinessProbe"].serialized(),
                       #"{"httpGet":{"port":8080,"path":"/","scheme":"HTTP"},"timeoutSeconds":1,"periodSeconds":10,"#
                        + #""successThreshold":1,"failureThreshold":3}"#)
        XCTAssertEqual(c["env"][index: 0]["valueFrom", "fieldRef", "apiVersion"], "v1")
        XCTAssertEqual(pod["spec", "volumes"].serialized(),
                       #"[{"name":"scratch","emptyDir":{}},{"name":"cfg","configMap":{"name":"cfg","defaultMode":420}}]"#)
    }

    func testExistingMembersKeepTheirOrder() {
        let pod = defaulted("Pod", #"{"spec":{"restartPolicy":"Never","containers":[{"image":"a:1","name":"c"}],"dnsPolicy":"Default"}}"#)
        let keys = pod["spec"].object.map { Array($0.keys) } ?? []
        XCTAssertEqual(Array(keys.prefix(3)), ["restartPolicy", "containers", "dnsPolicy"])
        XCTAssertEqual(pod["spec", "restartPolicy"], "Never")
        XCTAssertEqual(pod["spec", "dnsPolicy"], "Default")
        XCTAssertEqual(pod["spec", "containers"][index: 0].object.map { Array($0.keys.prefix(2)) }, ["image", "name"])
    }

    func testDeploymentDefaults() {
        let d = defaulted("Deployment", #"""
            {"metadata":{"name":"web"},"spec":{"selector":{"matchLabels":{"app":"web"}},
             "template":{"metadata":{"labels":{"app":"web"}},"spec":{"containers":[{"name":"web","image":"nginx:1.25"}]}}}}
            """#)
        XCTAssertEqual(d["spec", "replicas"], 1)
        XCTAssertEqual(d["spec", "strategy"].serialized(),
                       #"{"type":"RollingUpdate","rollingUpdate":{"maxUnavailable":"25%","maxSurge":"25%"}}"#)
        XCTAssertEqual(d["spec", "revisionHistoryLimit"], 10)
        XCTAssertEqual(d["spec", "progressDeadlineSeconds"], 600)
        // The template gets the PodSpec defaults but not the Pod-only ones.
        XCTAssertEqual(d["spec", "template", "spec"].serialized(),
                       #"{"containers":[{"name":"web","image":"nginx:1.25","imagePullPolicy":"IfNotPresent","#
                        + #""terminationMessagePath":"/dev/termination-log","terminationMessagePolicy":"File","resources":{}}],"#
                        + #""dnsPolicy":"ClusterFirst","restartPolicy":"Always","securityContext":{},"#
                        + #""terminationGracePeriodSeconds":30,"schedulerName":"default-scheduler"}"#)
        let recreate = defaulted("Deployment", #"{"spec":{"strategy":{"type":"Recreate"},"replicas":0}}"#)
        XCTAssertEqual(recreate["spec", "strategy"].serialized(), #"{"type":"Recreate"}"#)
        XCTAssertEqual(recreate["spec", "replicas"], 0)
        let partial = defaulted("Deployment", #"{"spec":{"strategy":{"rollingUpdate":{"maxSurge":1}}}}"#)
        XCTAssertEqual(partial["spec", "strategy"].serialized(),
                       #"{"rollingUpdate":{"maxSurge":1,"maxUnavailable":"25%"},"type":"RollingUpdate"}"#)
    }

    func testReplicaSetAndDaemonSetDefaults() {
        let rs = defaulted("ReplicaSet", #"{"spec":{"template":{"spec":{"containers":[{"name":"c","image":"a:1"}]}}}}"#)
        XCTAssertEqual(rs["spec", "replicas"], 1)
        XCTAssertEqual(rs["spec", "template", "spec", "restartPolicy"], "Always")
        let ds = defaulted("DaemonSet", #"{"spec":{"template":{"spec":{"containers":[{"name":"c","image":"a:1"}]}}}}"#)
        XCTAssertEqual(ds["spec", "updateStrategy"].serialized(),
                       #"{"type":"RollingUpdate","rollingUpdate":{"maxUnavailable":1,"maxSurge":0}}"#)
        XCTAssertEqual(ds["spec", "revisionHistoryLimit"], 10)
        XCTAssertNil(ds["spec", "replicas"].int)
    }

    func testServiceDefaults() {
        let svc = defaulted("Service", #"{"spec":{"selector":{"app":"web"},"ports":[{"port":80},{"port":443,"targetPort":"https"}]}}"#)
        XCTAssertEqual(svc["spec"].serialized(),
                       #"{"selector":{"app":"web"},"ports":[{"port":80,"protocol":"TCP","targetPort":80},"#
                        + #"{"port":443,"targetPort":"https","protocol":"TCP"}],"sessionAffinity":"None","type":"ClusterIP","#
                        + #""internalTrafficPolicy":"Cluster"}"#)
        let nodePort = defaulted("Service", #"{"spec":{"type":"NodePort","ports":[{"port":80,"targetPort":0}]}}"#)
        XCTAssertEqual(nodePort["spec", "externalTrafficPolicy"], "Cluster")
        XCTAssertEqual(nodePort["spec", "ports"][index: 0]["targetPort"], 80)
        let lb = defaulted("Service", #"{"spec":{"type":"LoadBalancer","sessionAffinity":"ClientIP"}}"#)
        XCTAssertEqual(lb["spec", "allocateLoadBalancerNodePorts"], true)
        XCTAssertEqual(lb["spec", "sessionAffinityConfig"].serialized(), #"{"clientIP":{"timeoutSeconds":10800}}"#)
        let headless = defaulted("Service", #"{"spec":{"clusterIP":"None"}}"#)
        XCTAssertEqual(headless["spec", "clusterIPs"], ["None"])
    }

    func testSecretNamespaceAndNodeDefaults() {
        let secret = defaulted("Secret", #"{"data":{"a":"YQ=="},"stringData":{"b":"hello"}}"#)
        XCTAssertEqual(secret.serialized(), #"{"data":{"a":"YQ==","b":"aGVsbG8="},"type":"Opaque"}"#)

        let ns = defaulted("Namespace", #"{"metadata":{"name":"team-a"}}"#)
        XCTAssertEqual(ns.serialized(), #"{"metadata":{"name":"team-a","labels":{"kubernetes.io/metadata.name":"team-a"}},"#
            + #""spec":{"finalizers":["kubernetes"]},"status":{"phase":"Active"}}"#)
        // A stored namespace whose finalizer was removed does not get it back on update.
        let stored = defaulted("Namespace", #"{"metadata":{"name":"gone","resourceVersion":"7"},"spec":{},"status":{"phase":"Terminating"}}"#)
        XCTAssertTrue(stored["spec", "finalizers"].isNull)
        XCTAssertEqual(stored["status", "phase"], "Terminating")

        let node = defaulted("Node", #"{"metadata":{"name":"n1"},"spec":{"podCIDR":"10.244.1.0/24"},"status":{"capacity":{"cpu":"4","memory":"8Gi","pods":110}}}"#)
        XCTAssertEqual(node["spec"].serialized(), #"{"podCIDR":"10.244.1.0/24","podCIDRs":["10.244.1.0/24"]}"#)
        XCTAssertEqual(node["status"].serialized(),
                       #"{"capacity":{"cpu":"4","memory":"8Gi","pods":"110"},"allocatable":{"cpu":"4","memory":"8Gi","pods":"110"}}"#)
    }

    func testDefaultTolerationSeconds() {
        var pod = defaulted("Pod", #"{"spec":{"containers":[{"name":"c","image":"a:1"}]}}"#)
        Defaulting.defaultTolerationSeconds(pod: &pod)
        XCTAssertEqual(pod["spec", "tolerations"].serialized(),
                       #"[{"key":"node.kubernetes.io/not-ready","operator":"Exists","effect":"NoExecute","tolerationSeconds":300},"#
                        + #"{"key":"node.kubernetes.io/unreachable","operator":"Exists","effect":"NoExecute","tolerationSeconds":300}]"#)
        let once = pod
        Defaulting.defaultTolerationSeconds(pod: &pod)
        XCTAssertEqual(pod, once, "applying it twice changes nothing")

        var own = defaulted("Pod", #"{"spec":{"tolerations":[{"key":"node.kubernetes.io/unreachable","operator":"Exists","effect":"NoExecute","tolerationSeconds":60}],"containers":[]}}"#)
        Defaulting.defaultTolerationSeconds(pod: &own)
        XCTAssertEqual(own["spec", "tolerations"].array?.count, 2)
        XCTAssertEqual(own["spec", "tolerations"][index: 0]["tolerationSeconds"], 60)
        XCTAssertEqual(own["spec", "tolerations"][index: 1]["key"], "node.kubernetes.io/not-ready")

        var all = defaulted("Pod", #"{"spec":{"tolerations":[{"operator":"Exists"}]}}"#)
        Defaulting.defaultTolerationSeconds(pod: &all)
        XCTAssertEqual(all["spec", "tolerations"].array?.count, 1, "an empty key with no effect tolerates everything")
    }

    func testMistypedMembersAreLeftAlone() {
        let d = defaulted("Deployment", #"{"spec":"three"}"#)
        XCTAssertEqual(d.serialized(), #"{"spec":"three"}"#)
        let pod = defaulted("Pod", #"{"spec":{"containers":"web","tolerations":7}}"#)
        XCTAssertEqual(pod["spec", "containers"], "web")
        var p = pod
        Defaulting.defaultTolerationSeconds(pod: &p)
        XCTAssertEqual(p["spec", "tolerations"], 7)
        var notAnObject: JSON = "x"
        Defaulting.apply(kind: "Pod", to: &notAnObject, version: .v1_36)
        XCTAssertEqual(notAnObject, "x")
    }

    func testOtherKindsAreUnchanged() {
        for kind in ["ConfigMap", "Lease", "Event", "Widget"] {
            let text = #"{"metadata":{"name":"x"},"data":{"k":"v"}}"#
            XCTAssertEqual(defaulted(kind, text).serialized(), text, kind)
        }
    }
}
