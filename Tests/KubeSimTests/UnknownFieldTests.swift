import XCTest
@testable import KubeSim

/// Members a kind's Go structs do not have: dropped by the API server, refused with
/// `fieldValidation=Strict` (kubectl's default since 1.25's server-side validation), and in
/// 1.18 refused by kubectl itself before it sends anything. The wording is upstream's
/// (`strict decoding error: unknown field "…"`, `ValidationError(Deployment.spec): unknown
/// field "…" in io.k8s.api.apps.v1.DeploymentSpec`).
final class UnknownFieldTests: XCTestCase {
    /// A Deployment with a misspelt `replicas` and container `image`, and an unknown member
    /// inside a list element's struct.
    private let misspelt = """
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: web
        spec:
          replicass: 3
          selector:
            matchLabels:
              app: web
          template:
            metadata:
              labels:
                app: web
            spec:
              containers:
              - name: nginx
                image: nginx:1.15
                imagee: nginx:1.16
                ports:
                - containerPort: 80
                  hostPortt: 8080

        """

    private func run(_ c: Cluster, _ command: String, stdin: String? = nil) -> KubectlResult {
        c.kubectl(command.split(separator: " ").map(String.init), stdin: stdin)
    }

    func testUnknownMembersAreFoundInDocumentOrderWithTheirPaths() throws {
        let object = try XCTUnwrap(try Manifests.decode(misspelt).get().first)
        let found = KnownFields.of(.v1_36).unknown(in: object, kind: "Deployment")
        XCTAssertEqual(found.map(\.path), [
            "spec.replicass",
            "spec.template.spec.containers[0].imagee",
            "spec.template.spec.containers[0].ports[0].hostPortt",
        ])
        XCTAssertEqual(KnownFields.strictDecodingError(found),
                       #"strict decoding error: unknown field "spec.replicass", unknown field "spec.template.spec.containers[0].imagee", unknown field "spec.template.spec.containers[0].ports[0].hostPortt""#)
        // kubectl 1.18 names the parent by kind and path, and its OpenAPI definition.
        let old = KnownFields.of(.v1_18).unknown(in: object, kind: "Deployment",
                                                 sortedKeys: true, skippingNulls: true)
        XCTAssertEqual(KnownFields.kubectlValidationError(old), "["
            + #"ValidationError(Deployment.spec): unknown field "replicass" in io.k8s.api.apps.v1.DeploymentSpec, "#
            + #"ValidationError(Deployment.spec.template.spec.containers[0]): unknown field "imagee" in io.k8s.api.core.v1.Container, "#
            + #"ValidationError(Deployment.spec.template.spec.containers[0].ports[0]): unknown field "hostPortt" in io.k8s.api.core.v1.ContainerPort]"#)
    }

    /// A manifest using most of a pod's fields (probes, volumes of several sources, security
    /// contexts, affinity, spread constraints, resources, env sources, lifecycle hooks) has
    /// nothing unknown, in either release: no valid manifest is refused.
    func testARichManifestHasNoUnknownFields() throws {
        let rich = """
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: rich
              labels: {app: rich, anything-goes: "here"}
              annotations: {note: "x"}
            spec:
              replicas: 2
              revisionHistoryLimit: 3
              progressDeadlineSeconds: 60
              minReadySeconds: 1
              strategy: {type: RollingUpdate, rollingUpdate: {maxSurge: 25%, maxUnavailable: 1}}
              selector:
                matchLabels: {app: rich}
                matchExpressions: [{key: tier, operator: In, values: [web]}]
              template:
                metadata:
                  labels: {app: rich, tier: web}
                spec:
                  serviceAccountName: default
                  terminationGracePeriodSeconds: 10
                  securityContext: {runAsUser: 1000, fsGroup: 2000}
                  nodeSelector: {disktype: ssd}
                  tolerations: [{key: k, operator: Exists, effect: NoExecute, tolerationSeconds: 5}]
                  affinity:
                    nodeAffinity:
                      requiredDuringSchedulingIgnoredDuringExecution:
                        nodeSelectorTerms: [{matchExpressions: [{key: zone, operator: In, values: [a]}]}]
                    podAntiAffinity:
                      preferredDuringSchedulingIgnoredDuringExecution:
                      - weight: 10
                        podAffinityTerm: {topologyKey: kubernetes.io/hostname, labelSelector: {matchLabels: {app: rich}}}
                  topologySpreadConstraints:
                  - {maxSkew: 1, topologyKey: zone, whenUnsatisfiable: ScheduleAnyway, labelSelector: {matchLabels: {app: rich}}}
                  initContainers:
                  - {name: init, image: busybox, command: [sh, -c, "true"]}
                  containers:
                  - name: app
                    image: nginx:1.15
                    imagePullPolicy: IfNotPresent
                    args: ["--port=80"]
                    workingDir: /
                    ports: [{name: http, containerPort: 80, protocol: TCP}]
                    env:
                    - {name: A, value: "1"}
                    - name: B
                      valueFrom: {fieldRef: {fieldPath: metadata.name}}
                    - name: C
                      valueFrom: {resourceFieldRef: {resource: limits.cpu, divisor: 1m}}
                    - name: D
                      valueFrom: {configMapKeyRef: {name: cm, key: k, optional: true}}
                    envFrom: [{secretRef: {name: s, optional: true}, prefix: S_}]
                    resources: {requests: {cpu: 100m, memory: 64Mi}, limits: {cpu: "1", memory: 128Mi}}
                    livenessProbe: {httpGet: {path: /healthz, port: http, httpHeaders: [{name: X, value: y}]}, initialDelaySeconds: 3, periodSeconds: 5}
                    readinessProbe: {tcpSocket: {port: 80}, failureThreshold: 2}
                    startupProbe: {exec: {command: [cat, /tmp/ok]}, timeoutSeconds: 1}
                    lifecycle: {preStop: {exec: {command: [sleep, "1"]}}}
                    securityContext: {allowPrivilegeEscalation: false, capabilities: {drop: [ALL]}, readOnlyRootFilesystem: true}
                    volumeMounts: [{name: data, mountPath: /data}, {name: cfg, mountPath: /cfg, readOnly: true}]
                    terminationMessagePolicy: FallbackToLogsOnError
                  volumes:
                  - {name: data, emptyDir: {medium: Memory, sizeLimit: 1Gi}}
                  - name: cfg
                    configMap: {name: cm, items: [{key: k, path: p}], defaultMode: 420}
                  - {name: host, hostPath: {path: /var/log, type: Directory}}
                  - {name: sec, secret: {secretName: s}}
                  - name: proj
                    projected: {sources: [{downwardAPI: {items: [{path: labels, fieldRef: {fieldPath: metadata.labels}}]}}]}

            """
        let object = try XCTUnwrap(try Manifests.decode(rich).get().first)
        for version in KubernetesVersion.allCases {
            XCTAssertEqual(KnownFields.of(version).unknown(in: object, kind: "Deployment").map(\.path), [], "\(version)")
        }
        for version in KubernetesVersion.allCases {
            let c = Cluster.seedCluster(version: version)
            let applied = run(c, "apply -f -", stdin: rich)
            XCTAssertEqual(applied.stdout, "deployment.apps/rich created\n", "\(version): \(applied.stderr)")
        }
        // Each release's own fields: a seccomp profile is a field from 1.19.
        let seccomp = try JSON.parse(#"{"spec":{"securityContext":{"seccompProfile":{"type":"RuntimeDefault"}},"containers":[]}}"#)
        XCTAssertEqual(KnownFields.of(.v1_18).unknown(in: seccomp, kind: "Pod").map(\.path),
                       ["spec.securityContext.seccompProfile"])
        XCTAssertEqual(KnownFields.of(.v1_36).unknown(in: seccomp, kind: "Pod").map(\.path), [])
    }

    func testKubectlRefusesUnknownFieldsAndStoresNothing() {
        let c36 = Cluster.seedCluster(version: .v1_36)
        for command in ["apply -f -", "create -f -"] {
            let refused = run(c36, command, stdin: misspelt)
            XCTAssertEqual(refused.exitCode, 1)
            XCTAssertEqual(refused.stderr,
                           #"Error from server (BadRequest): error when creating "STDIN": Deployment in version "v1" cannot be handled as a Deployment: strict decoding error: unknown field "spec.replicass", unknown field "spec.template.spec.containers[0].imagee", unknown field "spec.template.spec.containers[0].ports[0].hostPortt""# + "\n")
            XCTAssertNil(c36.get("deployments", "web"))
        }

        let c18 = Cluster.seedCluster(version: .v1_18)
        for command in ["apply -f -", "create -f -"] {
            let refused = run(c18, command, stdin: misspelt)
            XCTAssertEqual(refused.exitCode, 1)
            XCTAssertEqual(refused.stderr, #"error: error validating "STDIN": error validating data: ["#
                + #"ValidationError(Deployment.spec): unknown field "replicass" in io.k8s.api.apps.v1.DeploymentSpec, "#
                + #"ValidationError(Deployment.spec.template.spec.containers[0]): unknown field "imagee" in io.k8s.api.core.v1.Container, "#
                + #"ValidationError(Deployment.spec.template.spec.containers[0].ports[0]): unknown field "hostPortt" in io.k8s.api.core.v1.ContainerPort]"#
                + "; if you choose to ignore these errors, turn validation off with --validate=false\n")
            XCTAssertNil(c18.get("deployments", "web"))
        }
    }

    /// The REST verbs default to `Warn` (1.36) or have no validation (1.18): the object is
    /// stored as decoding left it, without the unknown members. `Strict` refuses it; a value
    /// of the wrong type still fails decoding first.
    func testTheAPIDropsUnknownFieldsUnlessStrict() throws {
        let pod = #"{"apiVersion":"v1","kind":"Pod","metadata":{"name":"p","colour":"red"},"spec":{"containers":[{"name":"c","image":"nginx","imagee":"x"}]}}"#
        for version in KubernetesVersion.allCases {
            let c = Cluster.seedCluster(version: version)
            let created = try c.call(.create, #"{"object":\#(pod)}"#).get()
            XCTAssertNil(created["metadata"].object?["colour"], "\(version)")
            XCTAssertNil(created["spec", "containers"][index: 0].object?["imagee"], "\(version)")
            XCTAssertEqual(created["spec", "containers"][index: 0]["image"].string, "nginx")
            let stored = try XCTUnwrap(c.get("pods", "p"))
            XCTAssertFalse(stored.serialized().contains("imagee"), "\(version)")

            let strict = c.call(.create, #"{"fieldValidation":"Strict","object":\#(pod.replacingOccurrences(of: "\"p\"", with: "\"q\""))}"#)
            switch version {
            case .v1_18:
                // 1.18's server had no field validation: dropped all the same.
                XCTAssertNotNil(try? strict.get())
            case .v1_36:
                guard case .failure(let e) = strict else { return XCTFail("created") }
                XCTAssertEqual(e.code, 400)
                XCTAssertEqual(e.message, #"Pod in version "v1" cannot be handled as a Pod: strict decoding error: unknown field "metadata.colour", unknown field "spec.containers[0].imagee""#)
                let wrongType = #"{"apiVersion":"v1","kind":"Pod","metadata":{"name":"r"},"spec":{"replicas":1,"containers":[{"name":"c","image":7}]}}"#
                guard case .failure(let d) = c.call(.create, #"{"fieldValidation":"Strict","object":\#(wrongType)}"#) else {
                    return XCTFail("created")
                }
                XCTAssertEqual(d.message, #"Pod in version "v1" cannot be handled as a Pod: json: cannot unmarshal number into Go struct field Container.spec.containers.image of type string"#)
                guard case .failure(let bad) = c.call(.create, #"{"fieldValidation":"Loose","object":\#(pod)}"#) else {
                    return XCTFail("created")
                }
                XCTAssertEqual(bad.code, 422)
                XCTAssertEqual(bad.message, #"CreateOptions.meta.k8s.io "" is invalid: fieldValidation: Unsupported value: "Loose": supported values: "", "Ignore", "Strict", "Warn""#)
            }
        }
    }

    /// `kubectl apply` of an unknown field onto an existing object: the strategic patch it
    /// sends is refused as the patcher words it, with the patch as Go prints a map.
    func testApplyingAnUnknownFieldToALiveObjectIsAnInvalidPatch() throws {
        let c = Cluster.seedCluster(version: .v1_36)
        let good = misspelt.replacingOccurrences(of: "replicass", with: "replicas")
            .replacingOccurrences(of: "        imagee: nginx:1.16\n", with: "")
            .replacingOccurrences(of: "          hostPortt: 8080\n", with: "")
        XCTAssertEqual(run(c, "apply -f -", stdin: good).stdout, "deployment.apps/web created\n")
        let withExtra = good.replacingOccurrences(of: "  replicas: 3\n", with: "  replicas: 3\n  paused2: true\n")
        let refused = run(c, "apply -f -", stdin: withExtra)
        XCTAssertEqual(refused.exitCode, 1)
        XCTAssertTrue(refused.stderr.hasPrefix(#"The request is invalid: patch: Invalid value: "map[metadata:map[annotations:map[kubectl.kubernetes.io/last-applied-configuration:"#),
                      refused.stderr)
        XCTAssertTrue(refused.stderr.hasSuffix(#"spec:map[paused2:true]]": strict decoding error: unknown field "spec.paused2""# + "\n"),
                      refused.stderr)
        XCTAssertNil(c.get("deployments", "web")?["spec"].object?["paused2"])
    }

    /// `--validate`: `warn` stores the object without the unknown members and prints the
    /// server's warnings; `false`/`ignore` drops them silently; in 1.18 it is a boolean that
    /// turns kubectl's own check off (the server drops the members).
    func testValidateFlag() throws {
        let c = Cluster.seedCluster(version: .v1_36)
        let warned = run(c, "apply --validate=warn -f -", stdin: misspelt)
        XCTAssertEqual(warned.stdout, "deployment.apps/web created\n")
        XCTAssertEqual(warned.stderr, """
            Warning: unknown field "spec.replicass"
            Warning: unknown field "spec.template.spec.containers[0].imagee"
            Warning: unknown field "spec.template.spec.containers[0].ports[0].hostPortt"

            """)
        let stored = try XCTUnwrap(c.get("deployments", "web"))
        XCTAssertNil(stored["spec"].object?["replicass"])
        XCTAssertEqual(stored["spec", "replicas"].int, 1)  // defaulted: the misspelt one is gone
        let ignored = run(c, "create --validate=false -f -", stdin: misspelt.replacingOccurrences(of: "name: web", with: "name: web2"))
        XCTAssertEqual(ignored.stdout, "deployment.apps/web2 created\n")
        XCTAssertEqual(ignored.stderr, "")
        XCTAssertEqual(run(c, "apply --validate=maybe -f -", stdin: misspelt).stderr,
                       "error: invalid - validate option \"maybe\"; must be one of: strict (or true), warn, ignore (or false)\n")

        let old = Cluster.seedCluster(version: .v1_18)
        let unchecked = run(old, "apply --validate=false -f -", stdin: misspelt)
        XCTAssertEqual(unchecked.stdout, "deployment.apps/web created\n")
        XCTAssertEqual(unchecked.stderr, "")
        // (The last-applied annotation keeps the manifest as written, as upstream's does.)
        let spec = try XCTUnwrap(old.get("deployments", "web"))["spec"]
        XCTAssertFalse(spec.serialized().contains("imagee"))
        XCTAssertNil(spec.object?["replicass"])
        XCTAssertEqual(run(old, "apply --validate=warn -f -", stdin: misspelt).stderr,
                       "Error: invalid argument \"warn\" for \"--validate\" flag: strconv.ParseBool: parsing \"warn\": "
                        + "invalid syntax\nSee 'kubectl apply --help' for usage.\n")
    }

    /// The decoder reports members in the order it meets them: the body's for the REST verbs,
    /// sorted for kubectl, which marshals the manifest as a map; kubectl 1.18's own check
    /// walks sorted keys and passes over null members; and its stream stops at the first
    /// document that fails, so the documents after it are not applied.
    func testOrderNullsAndTheStreamStop() throws {
        let c = Cluster.seedCluster(version: .v1_36)
        let body = #"{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"cm"},"zeta":1,"alpha":2}"#
        guard case .failure(let e) = c.call(.create, #"{"fieldValidation":"Strict","object":\#(body)}"#) else {
            return XCTFail("created")
        }
        XCTAssertTrue(e.message.hasSuffix(#"unknown field "zeta", unknown field "alpha""#), e.message)
        let yaml = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\nzeta: 1\nalpha: 2\n"
        XCTAssertTrue(run(c, "apply -f -", stdin: yaml).stderr.hasSuffix(#"unknown field "alpha", unknown field "zeta""# + "\n"))
        // The REST verbs read the parameter on writes only.
        XCTAssertNoThrow(try c.call(.get, #"{"resource":"nodes","name":"minikube","fieldValidation":"Loose"}"#).get())

        let old = Cluster.seedCluster(version: .v1_18)
        let nulls = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: nulls\ndatta: ~\n"
        XCTAssertEqual(run(old, "apply -f -", stdin: nulls).stdout, "configmap/nulls created\n")
        XCTAssertNil(try XCTUnwrap(old.get("configmaps", "nulls")).object?["datta"])
        XCTAssertNoThrow(try old.call(.create, #"{"fieldValidation":"Loose","object":\#(body)}"#).get())
        let stream = """
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: first}
            ---
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: second}
            datta: {k: v}
            ---
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: third}

            """
        for command in ["apply -f -", "create -f -"] {
            let c18 = Cluster.seedCluster(version: .v1_18)
            let out = run(c18, command, stdin: stream)
            XCTAssertEqual(out.stdout, "configmap/first created\n", command)
            XCTAssertEqual(out.stderr, #"error: error validating "STDIN": error validating data: ValidationError(ConfigMap): unknown field "datta" in io.k8s.api.core.v1.ConfigMap; if you choose to ignore these errors, turn validation off with --validate=false"# + "\n", command)
            XCTAssertNotNil(c18.get("configmaps", "first"))
            XCTAssertNil(c18.get("configmaps", "third"), command)
        }
    }
}
