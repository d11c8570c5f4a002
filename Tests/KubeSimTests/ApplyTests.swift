import XCTest
@testable import KubeSim

/// `kubectl apply` on a live object: the three-way strategic merge patch it sends (as
/// `strategicpatch.CreateThreeWayMergePatch` builds it) and what the object becomes.
final class ApplyTests: XCTestCase {
    /// The patch from `original` (last applied) and `current` (live) to `modified`, keys sorted.
    private func patch(original: String, modified: String, current: String, kind: String = "Deployment",
                       version: KubernetesVersion = .v1_36) throws -> String {
        switch ThreeWayMergePatch.create(original: try JSON.parse(original).object ?? [:],
                                         modified: try JSON.parse(modified).object ?? [:],
                                         current: try JSON.parse(current).object ?? [:], kind: kind, version: version) {
        case .success(let p): return JSON.object(p).canonical()
        case .failure(let e): return "error: " + e.message
        }
    }

    private func deployment(_ containers: String) -> String {
        #"{"metadata":{"name":"web"},"spec":{"template":{"spec":{"containers":\#(containers)}}}}"#
    }

    /// A container is matched by name: the changed image goes in an element naming it, a
    /// member the manifest dropped (`args`) is nulled there, a container the manifest dropped
    /// gets `$patch: delete`, and `$setElementOrder` gives the manifest's order. What another
    /// client added to the live container (`env`) and the server's defaults are not touched.
    func testListsMergeByKeyWithDeletionsFromTheLastApplied() throws {
        let original = deployment(#"[{"name":"nginx","image":"nginx:1.15","args":["-g"]},{"name":"log","image":"busybox"}]"#)
        let current = deployment(#"[{"name":"nginx","image":"nginx:1.15","args":["-g"],"env":[{"name":"A","value":"1"}],"imagePullPolicy":"IfNotPresent"},{"name":"log","image":"busybox"}]"#)
        let modified = deployment(#"[{"name":"nginx","image":"nginx:1.16"}]"#)
        XCTAssertEqual(try patch(original: original, modified: modified, current: current),
                       #"{"spec":{"template":{"spec":{"$setElementOrder/containers":[{"name":"nginx"}],"containers":[{"args":null,"image":"nginx:1.16","name":"nginx"},{"$patch":"delete","name":"log"}]}}}}"#)
        // A container added to the manifest goes in whole, in the manifest's order.
        let added = deployment(#"[{"name":"init","image":"alpine"},{"name":"nginx","image":"nginx:1.15","args":["-g"]},{"name":"log","image":"busybox"}]"#)
        XCTAssertEqual(try patch(original: original, modified: added, current: current),
                       #"{"spec":{"template":{"spec":{"$setElementOrder/containers":[{"name":"init"},{"name":"nginx"},{"name":"log"}],"containers":[{"image":"alpine","name":"init"}]}}}}"#)
        // Nothing changed: the defaults and the other client's env do not count.
        XCTAssertEqual(try patch(original: original, modified: original, current: current), "{}")
    }

    /// A Deployment's `strategy` has `patchStrategy:"retainKeys"`: the patch lists the members
    /// the manifest sets, so the API server drops the defaulted `rollingUpdate`.
    func testStrategyCarriesRetainKeys() throws {
        let live = #"{"spec":{"strategy":{"type":"RollingUpdate","rollingUpdate":{"maxSurge":"25%","maxUnavailable":"25%"}}}}"#
        XCTAssertEqual(try patch(original: #"{"spec":{}}"#, modified: #"{"spec":{"strategy":{"type":"Recreate"}}}"#, current: live),
                       #"{"spec":{"strategy":{"$retainKeys":["type"],"type":"Recreate"}}}"#)
        // Applied again: the live strategy is the manifest's, so nothing is sent.
        XCTAssertEqual(try patch(original: #"{"spec":{"strategy":{"type":"Recreate"}}}"#,
                                 modified: #"{"spec":{"strategy":{"type":"Recreate"}}}"#,
                                 current: #"{"spec":{"strategy":{"type":"Recreate"}}}"#), "{}")
        // Naming only the type while the live object has the defaulted rollingUpdate: upstream
        // sends `$retainKeys` alone (the live strategy has a member the manifest does not),
        // so this apply always reports `configured`.
        XCTAssertEqual(try patch(original: #"{"spec":{"strategy":{"type":"RollingUpdate"}}}"#,
                                 modified: #"{"spec":{"strategy":{"type":"RollingUpdate"}}}"#, current: live),
                       #"{"spec":{"strategy":{"$retainKeys":["type"]}}}"#)
    }

    /// A merging list of primitives (finalizers): removals go in `$deleteFromPrimitiveList`,
    /// additions in the list itself; a value the server added stays.
    func testPrimitiveMergeLists() throws {
        XCTAssertEqual(try patch(original: #"{"metadata":{"finalizers":["a","b"]}}"#,
                                 modified: #"{"metadata":{"finalizers":["a","c"]}}"#,
                                 current: #"{"metadata":{"finalizers":["a","b","x"]}}"#, kind: "Pod"),
                       #"{"metadata":{"$deleteFromPrimitiveList/finalizers":["b"],"$setElementOrder/finalizers":["a","c"],"finalizers":["c"]}}"#)
    }

    /// Upstream's scalar diff sorts the live list in place before asking whether it differs
    /// from the manifest's, so finalizers listed out of order are sent again (with their
    /// order) on every apply.
    func testPrimitiveMergeListOutOfOrderIsAlwaysSent() throws {
        let finalizers = #"{"metadata":{"finalizers":["x/b","x/a"]}}"#
        XCTAssertEqual(try patch(original: finalizers, modified: finalizers, current: finalizers, kind: "Pod"),
                       #"{"metadata":{"$setElementOrder/finalizers":["x/b","x/a"]}}"#)
        let sorted = #"{"metadata":{"finalizers":["x/a","x/b"]}}"#
        XCTAssertEqual(try patch(original: sorted, modified: sorted, current: sorted, kind: "Pod"), "{}")
    }

    /// policy/v1's PodDisruptionBudget `selector` has `patchStrategy:"replace"` (1.21+): 1.36's
    /// apply sends the manifest's selector whole, changed or not; 1.18's (policy/v1beta1, no
    /// such tag) sends nothing for an unchanged one. The API server replaces the selector, and
    /// drops the patch's directives from it.
    func testReplaceStrategy() throws {
        let pdb = #"{"spec":{"minAvailable":1,"selector":{"matchLabels":{"app":"web"}}}}"#
        XCTAssertEqual(try patch(original: pdb, modified: pdb, current: pdb, kind: "PodDisruptionBudget"),
                       #"{"spec":{"selector":{"matchLabels":{"app":"web"}}}}"#)
        XCTAssertEqual(try patch(original: pdb, modified: pdb, current: pdb, kind: "PodDisruptionBudget", version: .v1_18), "{}")
        let live = try JSON.parse(#"{"spec":{"selector":{"matchLabels":{"app":"web","tier":"x"}}}}"#)
        for body in [#"{"spec":{"selector":{"matchLabels":{"app":"api"}}}}"#,
                     #"{"spec":{"selector":{"$patch":"replace","matchLabels":{"app":"api"}}}}"#] {
            let applied = StrategicMergePatch.apply(live, try JSON.parse(body), kind: "PodDisruptionBudget")
            XCTAssertEqual(try applied.get().serialized(), #"{"spec":{"selector":{"matchLabels":{"app":"api"}}}}"#, body)
        }
    }

    /// Lists without a merge strategy, scalars and maps: replaced when different, nulled when
    /// dropped from the manifest, numbers compared by value.
    func testReplacedListsScalarsAndMaps() throws {
        XCTAssertEqual(try patch(original: #"{"metadata":{"labels":{"a":"1","b":"2"}},"spec":{"replicas":3,"tolerations":[{"key":"x"}]}}"#,
                                 modified: #"{"metadata":{"labels":{"a":"1"}},"spec":{"replicas":3.0,"tolerations":[{"key":"y"}]}}"#,
                                 current: #"{"metadata":{"labels":{"a":"1","b":"2","c":"3"}},"spec":{"replicas":3,"tolerations":[{"key":"x"}]}}"#,
                                 kind: "Pod"),
                       #"{"metadata":{"labels":{"b":null}},"spec":{"tolerations":[{"key":"y"}]}}"#)
    }

    /// A list element without its merge key fails as upstream's patch creation does.
    func testMissingMergeKey() throws {
        XCTAssertEqual(try patch(original: "{}", modified: deployment(#"[{"image":"x"}]"#),
                                 current: deployment(#"[{"name":"nginx","image":"y"}]"#)),
                       "error: map: map[image:x] does not contain declared merge key: name")
    }

    // MARK: On a cluster

    private func applied(_ cluster: Cluster, _ manifest: String) -> String {
        let r = cluster.kubectl(["apply", "-f", "-"], stdin: manifest)
        return r.stdout + r.stderr
    }

    private func web(_ strategy: String = "", image: String = "nginx:1.15", extraContainer: String = "") -> String {
        """
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: web}
        spec:
          replicas: 2
          selector: {matchLabels: {app: web}}
          \(strategy)
          template:
            metadata: {labels: {app: web}}
            spec:
              containers:
              - {name: nginx, image: "\(image)", ports: [{containerPort: 80}]}
              \(extraContainer)
        """
    }

    /// The seed's rollout from RollingUpdate to Recreate by `kubectl apply` (kubernetes#24198,
    /// fixed for apps/v1 in 1.13): configured, and the defaulted rollingUpdate is gone.
    func testApplySwitchesADeploymentToRecreate() throws {
        for version in [KubernetesVersion.v1_18, .v1_36] {
            let c = Cluster.seedCluster(version: version)
            XCTAssertEqual(applied(c, web()), "deployment.apps/web created\n")
            c.run(for: .seconds(10))
            XCTAssertEqual(c.kubectl(["get", "deploy", "web", "-o", "jsonpath={.spec.strategy.type}"]).stdout, "RollingUpdate")
            XCTAssertEqual(applied(c, web("strategy: {type: Recreate}")), "deployment.apps/web configured\n")
            XCTAssertEqual(try XCTUnwrap(c.get("deployments", "web"))["spec", "strategy"].canonical(), #"{"type":"Recreate"}"#)
            XCTAssertEqual(applied(c, web("strategy: {type: Recreate}")), "deployment.apps/web unchanged\n")
        }
    }

    /// Re-applying a manifest keeps what another client set on a container (an env var, by
    /// `kubectl patch`), changes the image, and removes a container the manifest dropped.
    func testApplyMergesContainersByName() throws {
        let c = Cluster.seedCluster()
        let sidecar = #"- {name: log, image: "busybox"}"#
        XCTAssertEqual(applied(c, web(extraContainer: sidecar)), "deployment.apps/web created\n")
        c.run(for: .seconds(10))
        let set = c.kubectl(["patch", "deployment", "web", "-p",
                             #"{"spec":{"template":{"spec":{"containers":[{"name":"nginx","env":[{"name":"MODE","value":"fast"}]}]}}}}"#])
        XCTAssertEqual(set.stdout, "deployment.apps/web patched\n")
        XCTAssertEqual(applied(c, web(image: "nginx:1.16")), "deployment.apps/web configured\n")
        let containers = try XCTUnwrap(c.get("deployments", "web"))["spec", "template", "spec", "containers"].array ?? []
        XCTAssertEqual(containers.map { $0["name"].string ?? "" }, ["nginx"])
        XCTAssertEqual(containers.first?["image"].string, "nginx:1.16")
        XCTAssertEqual(containers.first?["env"].canonical(), #"[{"name":"MODE","value":"fast"}]"#)
        XCTAssertEqual(containers.first?["imagePullPolicy"].string, "IfNotPresent")
        XCTAssertEqual(applied(c, web(image: "nginx:1.16")), "deployment.apps/web unchanged\n")
    }

    /// The last-applied annotation as kubectl writes it: the object with its namespace set and
    /// its annotations (an empty map when it has none), keys sorted; `-n` places the objects
    /// that name no namespace and refuses one that names another.
    func testLastAppliedAnnotationAndNamespaceFlag() throws {
        let c = Cluster.seedCluster()
        let configMap = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\ndata: {x: \"1\"}\n"
        XCTAssertEqual(applied(c, configMap), "configmap/a created\n")
        XCTAssertEqual(c.get("configmaps", "a")?.annotations[Cluster.lastAppliedAnnotation].string,
                       #"{"apiVersion":"v1","data":{"x":"1"},"kind":"ConfigMap","metadata":{"annotations":{},"name":"a","namespace":"default"}}"# + "\n")
        XCTAssertEqual(applied(c, configMap), "configmap/a unchanged\n")
        let r = c.kubectl(["apply", "-n", "kube-system", "-f", "-"], stdin: configMap)
        XCTAssertEqual(r.stdout, "configmap/a created\n")
        XCTAssertNotNil(c.get("configmaps", "a", namespace: "kube-system"))
        let other = c.kubectl(["apply", "-n", "kube-system", "-f", "-"],
                              stdin: configMap.replacingOccurrences(of: "{name: a}", with: "{name: b, namespace: default}"))
        XCTAssertEqual(other.stderr, "error: the namespace from the provided object \"default\" does not match the namespace \"kube-system\". You must pass '--namespace=default' to perform this operation.\n")
        XCTAssertEqual(other.exitCode, 1)
        XCTAssertNil(c.get("configmaps", "b"))
    }

    /// Applying over an object `create` made (no last-applied annotation): kubectl warns on
    /// standard error, in each release's words, patches, and the annotation is there after.
    func testApplyOverACreatedObjectWarns() throws {
        let configMap = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\ndata: {x: \"1\"}\n"
        for (version, warning) in [
            (KubernetesVersion.v1_18, "Warning: kubectl apply should be used on resource created by either kubectl create --save-config or kubectl apply\n"),
            (.v1_36, "Warning: resource configmaps/a is missing the kubectl.kubernetes.io/last-applied-configuration annotation which is required by kubectl apply. kubectl apply should only be used on resources created declaratively by either kubectl create --save-config or kubectl apply. The missing annotation will be patched automatically.\n"),
        ] {
            let c = Cluster.seedCluster(version: version)
            XCTAssertEqual(c.kubectl(["create", "-f", "-"], stdin: configMap).stdout, "configmap/a created\n")
            let r = c.kubectl(["apply", "-f", "-"], stdin: configMap)
            XCTAssertEqual(r.stdout, "configmap/a configured\n")
            XCTAssertEqual(r.stderr, warning)
            XCTAssertEqual(r.exitCode, 0)
            XCTAssertNotNil(c.get("configmaps", "a")?.annotations[Cluster.lastAppliedAnnotation].string)
            XCTAssertEqual(c.kubectl(["apply", "-f", "-"], stdin: configMap), KubectlResult(stdout: "configmap/a unchanged\n", stderr: "", exitCode: 0))
        }
    }

    /// A patch kubectl cannot build (a container without its merge key) fails on the client,
    /// worded as kubectl's patcher wraps it; the live object is untouched.
    func testApplyThatCannotBuildItsPatch() throws {
        let c = Cluster.seedCluster()
        XCTAssertEqual(applied(c, web()), "deployment.apps/web created\n")
        let before = try XCTUnwrap(c.get("deployments", "web"))
        let nameless = web().replacingOccurrences(of: "{name: nginx, ", with: "{")
        let result = try XCTUnwrap(c.apply(manifests: nameless).get().first)
        XCTAssertNil(result.result)
        XCTAssertTrue(result.output.hasPrefix("error: error when creating patch with:\noriginal:\n{\"apiVersion\":\"apps/v1\""), result.output)
        XCTAssertTrue(result.output.hasSuffix(#"for: "STDIN": map: map[image:nginx:1.15 ports:[map[containerPort:80]]] does not contain declared merge key: name"#),
                      result.output)
        XCTAssertEqual(c.get("deployments", "web"), before)

        // A last-applied annotation that is not a JSON object fails the same way; an empty
        // one, or `null`, counts as no configuration applied before (as upstream decodes it).
        for (text, fails) in [("not json", true), ("[1]", true), ("", false), ("null", false)] {
            XCTAssertEqual(c.kubectl(["annotate", "deployment", "web", "--overwrite", "\(Cluster.lastAppliedAnnotation)=\(text)"]).exitCode, 0)
            let r = try XCTUnwrap(c.apply(manifests: web()).get().first)
            if fails {
                XCTAssertTrue(r.output.hasSuffix(#"for: "STDIN": invalid JSON document"#), r.output)
            } else {
                XCTAssertEqual(r.output, "deployment.apps/web configured", text)
                XCTAssertNil(r.warning, text)
            }
        }
    }
}
