import XCTest
@testable import KubeSim

/// The API server as clients see it: verbs, resourceVersion, selectors, errors.
final class APIServerTests: XCTestCase {
    let pod: JSON = [
        "apiVersion": "v1", "kind": "Pod",
        "metadata": ["name": "web", "labels": ["app": "web", "tier": "front"]],
        "spec": ["containers": [["name": "web", "image": "nginx"]]],
    ]

    /// The key written to the stack for a look-up is the key the store holds, for namespaced
    /// and cluster-scoped resources, with or without a namespace, for any name.
    func testKeyBytesAreTheKey() throws {
        for plural in ["pods", "nodes", "deployments", "priorityclasses"] {
            let info = try XCTUnwrap(ResourceRegistry.standard.resolve(plural))
            for namespace in [nil, "", "default", "kube-system"] as [String?] {
                for name in ["web", "", "nginx-6c55cc944d-9vgnl", "ünïcode", String(repeating: "x", count: 5000)] {
                    let bytes = info.withKeyBytes(namespace: namespace, name: name) { Array($0) }
                    XCTAssertEqual(bytes, Array(info.key(namespace: namespace, name: name).utf8), "\(plural) \(namespace ?? "nil") \(name.prefix(20))")
                }
            }
        }
    }

    func testCreateGetDefaultsAndServerFields() throws {
        let cluster = Cluster.seedCluster()
        let created = try cluster.request(.create, "pods", namespace: "default", body: pod).get()
        XCTAssertEqual(created.namespace, "default")
        XCTAssertEqual(created.uid.count, 36)
        XCTAssertEqual(created["metadata", "creationTimestamp"].string, cluster.now.rfc3339)
        XCTAssertEqual(created["spec", "restartPolicy"].string, "Always")
        XCTAssertEqual(created["spec", "containers"][index: 0]["imagePullPolicy"].string, "Always")
        XCTAssertEqual(created["status", "phase"].string, "Pending")
        XCTAssertEqual(created["status", "qosClass"].string, "BestEffort")
        let tolerations = created["spec", "tolerations"].array ?? []
        XCTAssertEqual(tolerations.compactMap { $0["tolerationSeconds"].int }, [300, 300])
        let fetched = try cluster.request(.get, "po", namespace: "default", name: "web").get()
        XCTAssertEqual(fetched, created)
    }

    /// A pod whose spec is, byte for byte, one the API server has just accepted (a
    /// controller's pods share their template's) skips the spec checks. A spec that only
    /// Swift's `==` calls the same is still checked, and a rejected spec is never taken for
    /// an accepted one.
    func testRepeatedPodSpecsAreCheckedByTheirBytes() throws {
        let cluster = Cluster.seedCluster(version: .v1_36)
        func create(_ name: String, env: String) -> Result<JSON, StatusError> {
            let body: JSON = [
                "apiVersion": "v1", "kind": "Pod", "metadata": ["name": .string(name)],
                "spec": ["containers": [["name": "c", "image": "nginx", "env": [["name": .string(env), "value": "1"]]]]],
            ]
            return cluster.request(.create, "pods", namespace: "default", body: body)
        }
        XCTAssertNoThrow(try create("a", env: "K").get())
        XCTAssertNoThrow(try create("b", env: "K").get())
        // KELVIN SIGN is "K" to Swift's String comparison, but not printable ASCII.
        let kelvin = create("c", env: "\u{212A}")
        XCTAssertEqual(kelvin.failure?.reason, "Invalid")
        XCTAssertEqual(kelvin.failure?.message.contains("spec.containers[0].env[0].name"), true)
        XCTAssertEqual(create("d", env: "\u{212A}").failure?.reason, "Invalid")
        XCTAssertNoThrow(try create("e", env: "K").get())
        XCTAssertNil(cluster.get("pods", "c"))
        XCTAssertNil(cluster.get("pods", "d"))
    }

    /// Labels and owner references identical to ones just accepted skip their checks, by the
    /// same rule: a value only Swift's `==` calls the same is checked again.
    func testRepeatedLabelsAndOwnerReferencesAreCheckedByTheirBytes() throws {
        let cluster = Cluster.seedCluster(version: .v1_36)
        let owner: JSON = ["apiVersion": "apps/v1", "kind": "ReplicaSet", "name": "rs", "uid": "u-1", "controller": true]
        func create(_ name: String, label: String, owner: JSON) -> Result<JSON, StatusError> {
            let body: JSON = [
                "apiVersion": "v1", "kind": "Pod",
                "metadata": ["name": .string(name), "labels": ["app": .string(label)], "ownerReferences": [owner]],
                "spec": ["containers": [["name": "c", "image": "nginx"]]],
            ]
            return cluster.request(.create, "pods", namespace: "default", body: body)
        }
        XCTAssertNoThrow(try create("a", label: "K", owner: owner).get())
        XCTAssertNoThrow(try create("b", label: "K", owner: owner).get())
        let kelvin = create("c", label: "\u{212A}", owner: owner)
        XCTAssertEqual(kelvin.failure?.reason, "Invalid")
        XCTAssertEqual(kelvin.failure?.message.contains("metadata.labels"), true)
        var noUID = owner
        noUID["uid"] = ""
        let orphan = create("d", label: "K", owner: noUID)
        XCTAssertEqual(orphan.failure?.message.contains("metadata.ownerReferences.uid: Invalid value: \"\": must not be empty"), true)
        XCTAssertNoThrow(try create("e", label: "K", owner: owner).get())
        XCTAssertNil(cluster.get("pods", "c"))
        XCTAssertNil(cluster.get("pods", "d"))
    }

    /// Pods whose specs share storage (a controller's burst, from its template) are defaulted
    /// once; a pod with another spec is defaulted on its own, not given the last one's.
    func testPodsSharingASpecAreDefaultedAlike() throws {
        let cluster = Cluster.seedCluster(version: .v1_36)
        let template: JSON = ["containers": [["name": "c", "image": "nginx"]]]
        let limited: JSON = ["containers": [["name": "c", "image": "nginx",
                                             "resources": ["limits": ["cpu": "1", "memory": "1Gi"]]]]]
        func create(_ name: String, spec: JSON) throws -> JSON {
            let body: JSON = ["apiVersion": "v1", "kind": "Pod", "metadata": ["name": .string(name)], "spec": spec]
            return try cluster.request(.create, "pods", namespace: "default", body: body).get()
        }
        let a = try create("a", spec: template)
        let b = try create("b", spec: template)
        let c = try create("c", spec: limited)
        XCTAssertEqual(a["spec"], b["spec"])
        XCTAssertEqual(b["spec", "enableServiceLinks"].bool, true)
        XCTAssertEqual(b["spec", "tolerations"].array?.count, 2)
        XCTAssertEqual(b["status", "qosClass"].string, "BestEffort")
        XCTAssertEqual(c["status", "qosClass"].string, "Guaranteed")
        XCTAssertEqual(c["spec", "containers"].array?.first?["resources", "requests", "memory"].string, "1Gi")
        XCTAssertEqual(c["spec", "tolerations"].array?.count, 2)
    }

    func testErrorsAreWordedAsUpstream() throws {
        let cluster = Cluster.seedCluster()
        _ = try cluster.request(.create, "pods", namespace: "default", body: pod).get()
        XCTAssertEqual(cluster.request(.create, "pods", namespace: "default", body: pod).failure?.message,
                       "pods \"web\" already exists")
        XCTAssertEqual(cluster.request(.create, "pods", namespace: "default", body: pod).failure?.reason, "AlreadyExists")
        let missing = cluster.request(.get, "pods", namespace: "default", name: "nope").failure
        XCTAssertEqual(missing?.message, "pods \"nope\" not found")
        XCTAssertEqual(missing?.code, 404)
        XCTAssertEqual(cluster.request(.get, "deployments", namespace: "default", name: "x").failure?.message,
                       "deployments.apps \"x\" not found")
        XCTAssertEqual(cluster.request(.create, "pods", namespace: "nowhere", body: pod).failure?.message,
                       "namespaces \"nowhere\" not found")

        let bad = cluster.request(.list, "pods", namespace: "default") { $0.labelSelector = "a b" }.failure
        XCTAssertEqual(bad?.code, 400)
        XCTAssertEqual(bad?.message, "unable to parse requirement: found 'b', expected: '=', '!=', '==', 'in', notin'")
        let badField = cluster.request(.list, "pods", namespace: "default") { $0.fieldSelector = "spec.foo=x" }.failure
        XCTAssertEqual(badField?.code, 400)

        var noContainers = pod
        noContainers["metadata", "name"] = "empty"
        noContainers["spec", "containers"] = .array([])
        let invalid = cluster.request(.create, "pods", namespace: "default", body: noContainers).failure
        XCTAssertEqual(invalid?.code, 422)
        XCTAssertEqual(invalid?.reason, "Invalid")
        XCTAssertEqual(invalid?.message, "Pod \"empty\" is invalid: spec.containers: Required value")
    }

    func testStaleUpdateConflictsAndResourceVersionAdvances() throws {
        let cluster = Cluster.seedCluster()
        let created = try cluster.request(.create, "configmaps", namespace: "default",
                                          body: ["apiVersion": "v1", "kind": "ConfigMap",
                                                 "metadata": ["name": "cfg"], "data": ["a": "1"]]).get()
        var first = created
        first["data", "a"] = "2"
        let updated = try cluster.request(.update, "configmaps", namespace: "default", name: "cfg", body: first).get()
        XCTAssertGreaterThan(Int(updated.resourceVersion) ?? 0, Int(created.resourceVersion) ?? 0)
        var stale = created
        stale["data", "a"] = "3"
        let conflict = cluster.request(.update, "configmaps", namespace: "default", name: "cfg", body: stale).failure
        XCTAssertEqual(conflict?.code, 409)
        XCTAssertEqual(conflict?.message,
                       "Operation cannot be fulfilled on configmaps \"cfg\": the object has been modified; please apply your changes to the latest version and try again")
        // An update that changes nothing writes nothing.
        let same = try cluster.request(.update, "configmaps", namespace: "default", name: "cfg", body: updated).get()
        XCTAssertEqual(same.resourceVersion, updated.resourceVersion)
    }

    /// A delete with a uid precondition removes only the object with that uid: another
    /// object under the name is left, with upstream's 409.
    func testDeleteWithAUIDPrecondition() throws {
        let cluster = Cluster.seedCluster()
        let created = try cluster.request(.create, "configmaps", namespace: "default",
                                          body: ["apiVersion": "v1", "kind": "ConfigMap", "metadata": ["name": "cfg"]]).get()
        let refused = cluster.request(.delete, "configmaps", namespace: "default", name: "cfg") {
            $0.preconditionUID = "00000000-0000-0000-0000-000000000000"
        }.failure
        XCTAssertEqual(refused?.code, 409)
        XCTAssertEqual(refused?.message, "Operation cannot be fulfilled on configmaps \"cfg\": StorageError: invalid object, "
            + "Code: 4, Key: /registry/configmaps/default/cfg, ResourceVersion: 0, AdditionalErrorMsg: Precondition failed: "
            + "UID in precondition: 00000000-0000-0000-0000-000000000000, UID in object meta: \(created.uid)")
        XCTAssertNotNil(cluster.get("configmaps", "cfg"))
        _ = try cluster.request(.delete, "configmaps", namespace: "default", name: "cfg") {
            $0.preconditionUID = created.uid
        }.get()
        XCTAssertNil(cluster.get("configmaps", "cfg"))
    }

    /// A create checks that its namespace exists each time the namespaces changed since the
    /// last create found it: one deleted between two creates refuses the second.
    func testCreateInANamespaceDeletedSinceTheLastCreate() throws {
        let cluster = Cluster.seedCluster()
        func configMap(_ name: String) -> JSON {
            ["apiVersion": "v1", "kind": "ConfigMap", "metadata": ["name": .string(name)]]
        }
        let team: JSON = ["apiVersion": "v1", "kind": "Namespace", "metadata": ["name": "team"]]
        _ = try cluster.request(.create, "namespaces", body: team).get()
        _ = try cluster.request(.create, "configmaps", namespace: "team", body: configMap("first")).get()
        _ = try cluster.request(.create, "configmaps", namespace: "team", body: configMap("second")).get()
        _ = try cluster.request(.delete, "namespaces", name: "team").get()
        let refused = cluster.request(.create, "configmaps", namespace: "team", body: configMap("third")).failure
        XCTAssertEqual(refused?.code, 404)
        XCTAssertEqual(refused?.message, "namespaces \"team\" not found")
        _ = try cluster.request(.create, "namespaces", body: team).get()
        _ = try cluster.request(.create, "configmaps", namespace: "team", body: configMap("third")).get()
        let elsewhere = cluster.request(.create, "configmaps", namespace: "elsewhere", body: configMap("x"))
        XCTAssertEqual(elsewhere.failure?.code, 404)
    }

    func testSelectorsFilterLists() throws {
        let cluster = Cluster.seedCluster()
        for (name, app, env) in [("a", "photo-view", "test"), ("b", "imagetrain", "test"), ("c", "photo-view", "prod")] {
            var p = pod
            p["metadata"] = ["name": .string(name), "labels": ["app": .string(app), "env": .string(env)]]
            _ = try cluster.request(.create, "pods", namespace: "default", body: p).get()
        }
        func names(_ selector: String) -> [String] { cluster.pods(selector).map(\.name) }
        XCTAssertEqual(names("app=photo-view,env=test"), ["a"])
        XCTAssertEqual(names("app==photo-view"), ["a", "c"])
        XCTAssertEqual(names("app!=photo-view"), ["b"])
        XCTAssertEqual(names("env in (prod, staging)"), ["c"])
        XCTAssertEqual(names("env notin (prod)"), ["a", "b"])
        XCTAssertEqual(names("app"), ["a", "b", "c"])
        XCTAssertEqual(names("!app"), [])
        let byName = try cluster.request(.list, "pods", namespace: "default") { $0.fieldSelector = "metadata.name=b" }.get()
        XCTAssertEqual(byName["items"].array?.map(\.name), ["b"])
    }

    func testWatchFromResourceVersionAndCompaction() throws {
        let cluster = Cluster.seedCluster()
        let list = try cluster.request(.list, "configmaps", namespace: "default").get()
        let rv = list["metadata", "resourceVersion"].string
        _ = try cluster.request(.create, "configmaps", namespace: "default",
                                body: ["apiVersion": "v1", "kind": "ConfigMap", "metadata": ["name": "x"]]).get()
        _ = try cluster.request(.patch, "configmaps", namespace: "default", name: "x", body: ["data": ["k": "v"]]).get()
        _ = try cluster.request(.delete, "configmaps", namespace: "default", name: "x").get()
        let watch = try cluster.request(.watch, "configmaps", namespace: "default") { $0.resourceVersion = rv }.get()
        XCTAssertEqual(watch["items"].array?.compactMap { $0["type"].string }, ["ADDED", "MODIFIED", "DELETED"])

        // The API server compacts every 5 minutes to the revision of 5 minutes before.
        cluster.run(for: .seconds(601))
        let gone = cluster.request(.watch, "configmaps", namespace: "default") { $0.resourceVersion = rv }.failure
        XCTAssertEqual(gone?.code, 410)
        XCTAssertEqual(gone?.reason, "Expired")
        XCTAssertTrue(gone?.message.hasPrefix("too old resource version: \(rv ?? "")") ?? false, gone?.message ?? "")
    }

    func testMergeAndJSONPatch() throws {
        let cluster = Cluster.seedCluster()
        _ = try cluster.request(.create, "configmaps", namespace: "default",
                                body: ["apiVersion": "v1", "kind": "ConfigMap", "metadata": ["name": "p"],
                                       "data": ["a": "1", "b": "2"]]).get()
        let merged = try cluster.request(.patch, "configmaps", namespace: "default", name: "p",
                                         body: .object(["data": .object(["a": .null, "c": "3"])])).get()
        XCTAssertEqual(merged["data"], ["b": "2", "c": "3"])
        let patched = try cluster.request(.patch, "configmaps", namespace: "default", name: "p",
                                          body: [["op": "replace", "path": "/data/b", "value": "20"]]) {
            $0.patchType = .json
        }.get()
        XCTAssertEqual(patched["data", "b"].string, "20")
    }

    /// Server-owned metadata a patch removes comes back, and in the order it always has:
    /// the resourceVersion the patch is applied at, then the fields the write keeps.
    func testAPatchRemovingServerFieldsGetsThemBackInOrder() throws {
        let cluster = Cluster.seedCluster()
        let created = try cluster.request(.create, "configmaps", namespace: "default",
                                          body: ["apiVersion": "v1", "kind": "ConfigMap", "metadata": ["name": "p"],
                                                 "data": ["a": "1"]]).get()
        XCTAssertEqual(created["metadata"].object?.keys, ["name", "namespace", "uid", "creationTimestamp", "resourceVersion"])
        let patched = try cluster.request(.patch, "configmaps", namespace: "default", name: "p",
                                          body: .object(["metadata": .object(["resourceVersion": .null, "uid": .null])])).get()
        XCTAssertEqual(patched["metadata"].object?.keys, ["name", "namespace", "creationTimestamp", "resourceVersion", "uid"])
        XCTAssertEqual(patched.uid, created.uid)
        XCTAssertEqual(Int(patched.resourceVersion), Int(created.resourceVersion).map { $0 + 1 })
    }

    func testGenerateNameUsesTheUpstreamAlphabet() throws {
        let cluster = Cluster.seedCluster()
        var p = pod
        p["metadata", "name"] = .null
        p["metadata", "generateName"] = "web-"
        let created = try cluster.request(.create, "pods", namespace: "default", body: p).get()
        XCTAssertTrue(created.name.hasPrefix("web-"))
        XCTAssertEqual(created.name.count, 9)
    }

    func testDiscovery() {
        let cluster = Cluster.seedCluster()
        XCTAssertEqual(cluster.kubectl(["api-versions"]).stdout, "apps/v1\ncoordination.k8s.io/v1\npolicy/v1\nscheduling.k8s.io/v1\nv1\n")
        let resources = cluster.kubectl(["api-resources"]).stdout
        XCTAssertTrue(resources.hasPrefix("NAME "), resources)
        XCTAssertTrue(resources.contains("deployments"), resources)
    }
}

extension Result {
    var failure: Failure? {
        if case .failure(let e) = self { return e }
        return nil
    }
}
