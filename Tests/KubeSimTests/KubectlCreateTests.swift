import XCTest
@testable import KubeSim

/// `kubectl create SUBCOMMAND`: the objects each release's generators build (dry-run output
/// written from the Go structs' member order and omitempty rules), created through the API
/// server, and kubectl's errors. Reference: `staging/src/k8s.io/kubectl/pkg/cmd/create/`
/// (1.36) and `pkg/generate/versioned/` (1.18).
final class KubectlCreateTests: XCTestCase {
    private let versions = [KubernetesVersion.v1_18, .v1_36]

    private func run(_ c: Cluster, _ command: String) -> KubectlResult {
        c.kubectl(command.split(separator: " ").map(String.init))
    }

    /// One version's text of a line that only 1.18 prints (a null creationTimestamp).
    private func ts(_ version: KubernetesVersion, _ indent: String = "  ") -> String {
        version == .v1_18 ? "\(indent)creationTimestamp: null\n" : ""
    }

    // MARK: deployment

    func testCreateDeploymentRunsItsPods() throws {
        for version in versions {
            let c = Cluster.seedCluster(version: version)
            let replicas = version == .v1_36 ? " --replicas=3" : ""
            let created = run(c, "create deployment web --image=nginx:1.15" + replicas)
            XCTAssertEqual(created.stdout, "deployment.apps/web created\n", "\(version): \(created.stderr)")
            c.run(for: .seconds(30))
            let pods = c.pods("app=web")
            XCTAssertEqual(pods.count, version == .v1_36 ? 3 : 1, "\(version)")
            XCTAssertTrue(pods.allSatisfy { $0["status", "phase"].string == "Running" }, "\(version)")
            let deployment = try XCTUnwrap(c.get("deployments", "web"))
            XCTAssertEqual(deployment["metadata", "labels"].serialized(), #"{"app":"web"}"#)
            XCTAssertEqual(deployment["spec", "selector"].serialized(), #"{"matchLabels":{"app":"web"}}"#)
            let container = deployment["spec", "template", "spec", "containers"][index: 0]
            XCTAssertEqual(container["name"].string, "nginx")
            XCTAssertEqual(container["image"].string, "nginx:1.15")
            // The server's defaults fill the empty strategy.
            XCTAssertEqual(deployment["spec", "strategy", "type"].string, "RollingUpdate")

            // Again: 1.18's dynamic client returns the server's Status; 1.36's typed client
            // wraps it.
            let again = run(c, "create deploy web --image=nginx")
            XCTAssertEqual(again.exitCode, 1)
            XCTAssertEqual(again.stderr, version == .v1_18
                ? "Error from server (AlreadyExists): deployments.apps \"web\" already exists\n"
                : "error: failed to create deployment: deployments.apps \"web\" already exists\n")
        }
    }

    /// The manifest `create deployment --dry-run=client -o yaml` is known for: an empty
    /// strategy, resources and status; 1.36 without the null creationTimestamps.
    func testDeploymentDryRunYAML() {
        for version in versions {
            let c = Cluster.seedCluster(version: version)
            XCTAssertEqual(run(c, "create deployment web --image=nginx --dry-run=client -o yaml").stdout, """
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                \(ts(version))  labels:
                    app: web
                  name: web
                spec:
                  replicas: 1
                  selector:
                    matchLabels:
                      app: web
                  strategy: {}
                  template:
                    metadata:
                \(ts(version, "      "))      labels:
                        app: web
                    spec:
                      containers:
                      - image: nginx
                        name: nginx
                        resources: {}
                status: {}

                """, "\(version)")
            XCTAssertEqual(run(c, "create deployment web --image=nginx --dry-run=client").stdout,
                           "deployment.apps/web created (dry run)\n")
            XCTAssertEqual(run(c, "create deployment web --image=nginx --dry-run=client -o name").stdout,
                           "deployment.apps/web\n")
            XCTAssertNil(c.get("deployments", "web"))
        }
    }

    /// 1.36's --replicas, --port (first container only) and command after `--`, in the
    /// JSON printer's struct order; several images make several containers.
    func testDeploymentDryRunJSON136() {
        let c = Cluster.seedCluster(version: .v1_36)
        XCTAssertEqual(run(c, "create deployment box -n apps --image=busybox --replicas=2 --port=8080 --dry-run=client -o json -- sleep 3600").stdout, """
            {
                "kind": "Deployment",
                "apiVersion": "apps/v1",
                "metadata": {
                    "name": "box",
                    "namespace": "apps",
                    "labels": {
                        "app": "box"
                    }
                },
                "spec": {
                    "replicas": 2,
                    "selector": {
                        "matchLabels": {
                            "app": "box"
                        }
                    },
                    "template": {
                        "metadata": {
                            "labels": {
                                "app": "box"
                            }
                        },
                        "spec": {
                            "containers": [
                                {
                                    "name": "busybox",
                                    "image": "busybox",
                                    "command": [
                                        "sleep",
                                        "3600"
                                    ],
                                    "ports": [
                                        {
                                            "containerPort": 8080
                                        }
                                    ],
                                    "resources": {}
                                }
                            ]
                        }
                    },
                    "strategy": {}
                },
                "status": {}
            }

            """)
        let two = run(c, "create deployment pair --image=nginx --image=registry.k8s.io/pause:3.9 --port=80 --dry-run=client -o yaml").stdout
        XCTAssertTrue(two.contains("""
                  containers:
                  - image: nginx
                    name: nginx
                    ports:
                    - containerPort: 80
                    resources: {}
                  - image: registry.k8s.io/pause:3.9
                    name: pause
                    resources: {}

            """), two)
    }

    /// A name from an image with `.` or `_` (not a DNS label) gets dashes and a random
    /// suffix, drawn from the cluster's seed.
    func testContainerNameFromImage() throws {
        let yaml = run(Cluster.seedCluster(), "create deployment echo --image=k8s.gcr.io/echo_server.v2:1.4 --dry-run=client -o yaml").stdout
        let line = try XCTUnwrap(yaml.split(separator: "\n").first { $0.hasPrefix("        name: ") })
        let name = line.dropFirst("        name: ".count)
        XCTAssertTrue(name.hasPrefix("echo-server-v2-"), String(name))
        XCTAssertEqual(name.count, "echo-server-v2-".count + 5)
        XCTAssertTrue(name.suffix(5).allSatisfy { "bcdfghjklmnpqrstvwxz2456789".contains($0) })
        let again = run(Cluster.seedCluster(), "create deployment echo --image=k8s.gcr.io/echo_server.v2:1.4 --dry-run=client -o yaml")
        XCTAssertEqual(again.stdout, yaml, "the same seed draws the same suffix")
    }

    func testDeploymentErrors() {
        let old = Cluster.seedCluster(version: .v1_18), new = Cluster.seedCluster(version: .v1_36)
        // --replicas and --port came with 1.19: cobra's flag error, worded by FlagErrorFunc.
        XCTAssertEqual(run(old, "create deployment web --image=nginx --replicas=3").stderr,
                       "Error: unknown flag: --replicas\nSee 'kubectl create deployment --help' for usage.\n")
        XCTAssertEqual(run(old, "create deployment web --image=nginx --port=80").stderr,
                       "Error: unknown flag: --port\nSee 'kubectl create deployment --help' for usage.\n")
        XCTAssertEqual(run(new, "create deployment web --image=nginx -l app=x").stderr,
                       "error: unknown shorthand flag: 'l' in -l\nSee 'kubectl create deployment --help' for usage.\n")
        XCTAssertEqual(run(new, "create deployment web --image=nginx --port=http").stderr,
                       "error: invalid argument \"http\" for \"--port\" flag: strconv.ParseInt: parsing \"http\": invalid syntax\n"
                           + "See 'kubectl create deployment --help' for usage.\n")
        // The required --image: cobra prints its error in 1.18, kubectl's CheckErr in 1.36.
        XCTAssertEqual(run(old, "create deployment web").stderr, "Error: required flag(s) \"image\" not set\n")
        XCTAssertEqual(run(new, "create deployment web").stderr, "error: required flag(s) \"image\" not set\n")
        for c in [old, new] {
            XCTAssertEqual(run(c, "create deployment --image=nginx").stderr,
                           "error: exactly one NAME is required, got 0\nSee 'kubectl create deployment -h' for help and examples\n")
            XCTAssertEqual(run(c, "create deployment a b --image=nginx").stderr,
                           "error: exactly one NAME is required, got 2\nSee 'kubectl create deployment -h' for help and examples\n")
            XCTAssertEqual(run(c, "create deployment web --image=nginx -o wide").stderr,
                           "error: unable to match a printer suitable for the output format \"wide\", allowed formats are: "
                           + "go-template,go-template-file,json,jsonpath,\(c === new ? "jsonpath-as-json," : "")"
                           + "jsonpath-file,\(c === new ? "kyaml," : "")name,template,templatefile,yaml\n")
            // The print flags lower json, yaml and name; a JSONPath template prints the object.
            XCTAssertEqual(run(c, "create deployment web --image=nginx --dry-run=client -o NAME").stdout, "deployment.apps/web\n")
            XCTAssertEqual(run(c, "create deployment web --image=nginx:1.16 --dry-run=client -o jsonpath={.spec.template.spec.containers[0].image}").stdout,
                           "nginx:1.16")
            XCTAssertEqual(run(c, "create deployment web --image=nginx --dry-run=maybe").stderr,
                           "error: Invalid dry-run value (maybe). Must be \"none\", \"server\", or \"client\".\n")
        }
        XCTAssertEqual(run(old, "create deployment web --image=").stderr, "error: at least one image must be specified\n")
        XCTAssertEqual(run(new, "create deployment web --image=nginx --image=redis -- sleep 1").stderr,
                       "error: cannot specify multiple --image options and command\n")
        // What the server refuses, through each release's client.
        XCTAssertEqual(run(old, "create deployment Web --image=nginx").stderr,
                       "The Deployment \"Web\" is invalid: metadata.name: Invalid value: \"Web\": a DNS-1123 subdomain must consist of "
                           + "lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character "
                           + "(e.g. 'example.com', regex used for validation is "
                           + "'[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')\n")
        XCTAssertTrue(run(new, "create deployment web --image=nginx --replicas=-1").stderr
            .hasPrefix("error: failed to create deployment: Deployment.apps \"web\" is invalid: spec.replicas: Invalid value: -1: "))
    }

    // MARK: namespace

    func testCreateNamespace() throws {
        for version in versions {
            let c = Cluster.seedCluster(version: version)
            XCTAssertEqual(run(c, "create namespace team-a").stdout, "namespace/team-a created\n")
            XCTAssertEqual(try XCTUnwrap(c.get("namespaces", "team-a", namespace: nil))["status", "phase"].string, "Active")
            XCTAssertEqual(run(c, "create ns team-a").stderr, "Error from server (AlreadyExists): namespaces \"team-a\" already exists\n")
            XCTAssertEqual(run(c, "create ns team-b --dry-run=client -o yaml").stdout, """
                apiVersion: v1
                kind: Namespace
                metadata:
                \(ts(version))  name: team-b
                spec: {}
                status: {}

                """)
            // 1.18 sets the namespace -n gave on whatever it built, cluster-scoped or not.
            let scoped = run(c, "create ns team-b -n default --dry-run=client -o yaml").stdout
            XCTAssertEqual(scoped.contains("  namespace: default\n"), version == .v1_18, scoped)
            XCTAssertEqual(run(c, "create ns").stderr,
                           "error: exactly one NAME is required, got 0\nSee 'kubectl create namespace -h' for help and examples\n")
        }
    }

    // MARK: configmap

    func testCreateConfigMap() throws {
        for version in versions {
            let c = Cluster.seedCluster(version: version)
            XCTAssertEqual(run(c, "create configmap app-config --from-literal=mode=demo --from-literal=url=http://x/?a=b --dry-run=client -o yaml").stdout, """
                apiVersion: v1
                data:
                  mode: demo
                  url: http://x/?a=b
                kind: ConfigMap
                metadata:
                \(ts(version))  name: app-config

                """)
            XCTAssertEqual(run(c, "create cm app-config --from-literal=mode=demo --from-literal=b=2").stdout,
                           "configmap/app-config created\n")
            XCTAssertEqual(try XCTUnwrap(c.get("configmaps", "app-config"))["data"].canonical(), #"{"b":"2","mode":"demo"}"#)
            XCTAssertEqual(run(c, "create cm empty -o json --dry-run=client").stdout, """
                {
                    "kind": "ConfigMap",
                    "apiVersion": "v1",
                    "metadata": {
                        "name": "empty"\(version == .v1_18 ? ",\n        \"creationTimestamp\": null" : "")
                    }
                }

                """)
            XCTAssertEqual(run(c, "create cm app-config --from-literal=x=1").stderr, version == .v1_18
                ? "Error from server (AlreadyExists): configmaps \"app-config\" already exists\n"
                : "error: failed to create configmap: configmaps \"app-config\" already exists\n")
            XCTAssertEqual(run(c, "create cm bad --from-literal=a=1 --from-literal=a=2").stderr,
                           "error: cannot add key \"a\", another key by that name already exists in Data for ConfigMap \"bad\"\n")
            XCTAssertEqual(run(c, "create cm bad --from-literal=novalue").stderr,
                           "error: invalid literal source novalue, expected key=value\n")
            XCTAssertEqual(run(c, "create cm bad --from-literal=..x=1").stderr,
                           "error: \"..x\" is not a valid key name for a ConfigMap: must not start with '..'\n")
        }
    }

    /// kubesim has no file system: the flags that read files say so.
    func testFileSourcesAreRefused() {
        for version in versions {
            let c = Cluster.seedCluster(version: version)
            let refusal = "error: kubesim has no file system to read --from-file from; give the data with "
                + "--from-literal=KEY=VALUE, or apply a manifest with \"kubectl create -f -\"\n"
            XCTAssertEqual(run(c, "create configmap cfg --from-file=app.properties").stderr, refusal)
            XCTAssertEqual(run(c, "create secret generic s --from-file=ssh-privatekey=id_rsa").stderr, refusal)
            XCTAssertEqual(run(c, "create secret generic s --from-env-file=.env").stderr,
                           refusal.replacingOccurrences(of: "--from-file from", with: "--from-env-file from"))
            XCTAssertEqual(run(c, "create secret generic s --from-env-file=.env --from-literal=a=b").stderr,
                           "error: from-env-file cannot be combined with from-file or from-literal\n")
            XCTAssertEqual(run(c, "create secret tls t --cert=tls.crt --key=tls.key").stderr,
                           "error: kubesim has no file system to read --cert and --key from, so \"kubectl create secret tls\" is not "
                               + "emulated; apply a kubernetes.io/tls Secret manifest with \"kubectl create -f -\"\n")
        }
    }

    // MARK: secret

    func testCreateSecretGeneric() throws {
        for version in versions {
            let c = Cluster.seedCluster(version: version)
            XCTAssertEqual(run(c, "create secret generic db --from-literal=username=admin --from-literal=password=s3cr=t --dry-run=client -o yaml").stdout, """
                apiVersion: v1
                data:
                  password: czNjcj10
                  username: YWRtaW4=
                kind: Secret
                metadata:
                \(ts(version))  name: db

                """)
            XCTAssertEqual(run(c, "create secret generic db --from-literal=password=hunter2").stdout, "secret/db created\n")
            let secret = try XCTUnwrap(c.get("secrets", "db"))
            XCTAssertEqual(secret["data", "password"].string, "aHVudGVyMg==")
            XCTAssertEqual(secret["type"].string, "Opaque")
            XCTAssertEqual(run(c, "create secret generic db --from-literal=a=b").stderr, version == .v1_18
                ? "Error from server (AlreadyExists): secrets \"db\" already exists\n"
                // create_secret.go's "failed to create secret %v", without a colon.
                : "error: failed to create secret secrets \"db\" already exists\n")
            XCTAssertEqual(run(c, "create secret generic typed --type=example.com/token --from-literal=t=x --dry-run=client -o yaml").stdout, """
                apiVersion: v1
                data:
                  t: eA==
                kind: Secret
                metadata:
                \(ts(version))  name: typed
                type: example.com/token

                """)
            XCTAssertEqual(run(c, "create secret generic bad --from-literal=a/b=1").stderr, version == .v1_18
                ? "error: \"a/b\" is not a valid key name for a Secret: a valid config key must consist of alphanumeric characters, "
                    + "'-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')\n"
                : "error: \"a/b\" is not valid key name for a Secret a valid config key must consist of alphanumeric characters, "
                    + "'-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')\n")
            XCTAssertEqual(run(c, "create secret generic bad --from-literal=a=1 --from-literal=a=2").stderr,
                           "error: cannot add key a, another key by that name already exists\n")
            XCTAssertEqual(run(c, "create secret").stderr,
                           "error: \"kubectl create secret\" needs a subcommand: docker-registry, generic or tls\n")
            XCTAssertEqual(run(c, "create secret opaque x").stderr,
                           "error: unknown command \"opaque x\"\nSee 'kubectl create secret -h' for help and examples\n")
        }
    }

    /// The `.dockerconfigjson` layout: `{"auths": {SERVER: {username, password, email, auth}}}`
    /// compact, `auth` the base64 of `user:password`; Docker Hub unless --docker-server.
    func testCreateSecretDockerRegistry() throws {
        for version in versions {
            let c = Cluster.seedCluster(version: version)
            let yaml = run(c, "create secret docker-registry regcred --docker-username=bob --docker-password=p&ss --docker-email=bob@example.com --dry-run=client -o yaml").stdout
            let encoded = try XCTUnwrap(yaml.split(separator: "\n").first { $0.hasPrefix("  .dockerconfigjson: ") })
                .dropFirst("  .dockerconfigjson: ".count)
            let decoded = try Base64.decode(String(encoded)).get()
            // json.Marshal is HTML-safe: & is \u0026.
            XCTAssertEqual(String(decoding: decoded, as: UTF8.self),
                           #"{"auths":{"https://index.docker.io/v1/":{"username":"bob","password":"p\u0026ss","email":"bob@example.com","auth":"Ym9iOnAmc3M="}}}"#)
            XCTAssertEqual(yaml, """
                apiVersion: v1
                data:
                  .dockerconfigjson: \(encoded)
                kind: Secret
                metadata:
                \(ts(version))  name: regcred
                type: kubernetes.io/dockerconfigjson

                """)
            XCTAssertEqual(run(c, "create secret docker-registry regcred --docker-server=registry.local:5000 --docker-username=u --docker-password=p").stdout,
                           "secret/regcred created\n")
            let secret = try XCTUnwrap(c.get("secrets", "regcred"))
            XCTAssertEqual(secret["type"].string, "kubernetes.io/dockerconfigjson")
            let stored = try Base64.decode(secret["data", ".dockerconfigjson"].string ?? "").get()
            XCTAssertEqual(String(decoding: stored, as: UTF8.self), #"{"auths":{"registry.local:5000":{"username":"u","password":"p","auth":"dTpw"}}}"#)
        }
        // 1.18 marks username and password required; 1.36 checks them together.
        XCTAssertEqual(run(Cluster.seedCluster(version: .v1_18), "create secret docker-registry r").stderr,
                       "Error: required flag(s) \"docker-password\", \"docker-username\" not set\n")
        XCTAssertEqual(run(Cluster.seedCluster(version: .v1_18), "create secret docker-registry r --docker-username=u --docker-password=").stderr,
                       "error: flag docker-password is required\nSee 'kubectl create secret docker-registry -h' for help and examples\n")
        XCTAssertEqual(run(Cluster.seedCluster(version: .v1_36), "create secret docker-registry r --docker-username=u").stderr,
                       "error: either --from-file or the combination of --docker-username, --docker-password and --docker-server is required\n")
    }

    /// `--append-hash`: kubectl's content hash (hash.ConfigMapHash, hash.SecretHash), checked
    /// against the values in kubectl's hash_test.go, then on a created ConfigMap.
    func testAppendHash() {
        let c = Cluster.seedCluster()
        XCTAssertEqual(SHA256.hexDigest(Array("abc".utf8)), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        XCTAssertEqual(SHA256.hexDigest([]), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        XCTAssertEqual(SHA256.hexDigest(Array(String(repeating: "a", count: 1000).utf8)),
                       "41edece42d63e8d9bf515a9ba6932e1c20cbc9f5a5d134645adb5db1b9737ea3")
        XCTAssertEqual(c.contentHash(kind: "ConfigMap", name: "", data: [:], type: nil), "42745tchd9")
        XCTAssertEqual(c.contentHash(kind: "ConfigMap", name: "", data: ["one": "", "three": "3", "two": "2"], type: nil), "f5h7t85m9b")
        XCTAssertEqual(c.contentHash(kind: "Secret", name: "", data: [:], type: "my-type"), "t75bgf6ctb")
        XCTAssertEqual(c.contentHash(kind: "Secret", name: "", data: ["one": "", "three": "Mw==", "two": "Mg=="], type: "my-type"),
                       "dgcb6h9tmk")
        let name = run(c, "create cm app --from-literal=one= --append-hash -o name").stdout
        XCTAssertTrue(name.hasPrefix("configmap/app-") && name.count == "configmap/app-".count + 11, name)
        XCTAssertNotNil(c.get("configmaps", String(name.dropFirst("configmap/".count).dropLast())))
    }

    // MARK: priorityclass

    func testCreatePriorityClass() throws {
        for version in versions {
            let c = Cluster.seedCluster(version: version)
            // A pointer to the --preemption-policy value: "" in 1.18, PreemptLowerPriority in 1.36.
            XCTAssertEqual(run(c, "create priorityclass high --value=1000 --description=batch --dry-run=client -o yaml").stdout, """
                apiVersion: scheduling.k8s.io/v1
                description: batch
                kind: PriorityClass
                metadata:
                \(ts(version))  name: high
                preemptionPolicy: \(version == .v1_18 ? "\"\"" : "PreemptLowerPriority")
                value: 1000

                """)
            XCTAssertEqual(run(c, "create pc high --value=1000 --global-default").stdout,
                           "priorityclass.scheduling.k8s.io/high created\n")
            let pc = try XCTUnwrap(c.get("priorityclasses", "high", namespace: nil))
            XCTAssertEqual(pc["value"].int, 1000)
            XCTAssertEqual(pc["globalDefault"].bool, true)
            // 1.18's server drops the empty policy 1.18's kubectl sends (NonPreemptingPriority
            // was alpha); kubesim's admission then defaults it, as for a class that names none.
            XCTAssertEqual(pc["preemptionPolicy"].string, "PreemptLowerPriority")
            XCTAssertEqual(run(c, "create pc never --value=10 --preemption-policy=Never").exitCode, 0)
            XCTAssertEqual(c.get("priorityclasses", "never", namespace: nil)?["preemptionPolicy"].string, "Never")
            // A second global default is refused by the server.
            let second = run(c, "create pc other --value=5 --global-default=true")
            XCTAssertEqual(second.exitCode, 1)
            XCTAssertTrue(second.stderr.contains("PriorityClass high is already marked as default. Only one default can exist"),
                          second.stderr)
            XCTAssertTrue(second.stderr.hasPrefix(version == .v1_18 ? "Error from server" : "error: failed to create priorityclass: "),
                          second.stderr)
            // pflag reads an int32 as Go reads an integer literal: base prefixes, a leading 0 octal.
            XCTAssertTrue(run(c, "create pc hex --value=0x10 --dry-run=client -o yaml").stdout.contains("\nvalue: 16\n"))
            XCTAssertTrue(run(c, "create pc oct --value=-010 --dry-run=client -o yaml").stdout.contains("\nvalue: -8\n"))
            let errorPrefix = version == .v1_18 ? "Error: " : "error: "
            XCTAssertEqual(run(c, "create pc bad --value=high").stderr,
                           errorPrefix + "invalid argument \"high\" for \"--value\" flag: strconv.ParseInt: parsing \"high\": invalid syntax\n"
                               + "See 'kubectl create priorityclass --help' for usage.\n")
            XCTAssertEqual(run(c, "create pc bad --value=3000000000").stderr,
                           errorPrefix + "invalid argument \"3000000000\" for \"--value\" flag: strconv.ParseInt: parsing \"3000000000\": "
                               + "value out of range\nSee 'kubectl create priorityclass --help' for usage.\n")
            XCTAssertEqual(run(c, "create pc bad --global-default=yes").stderr,
                           errorPrefix + "invalid argument \"yes\" for \"--global-default\" flag: strconv.ParseBool: parsing \"yes\": "
                               + "invalid syntax\nSee 'kubectl create priorityclass --help' for usage.\n")
        }
    }

    // MARK: poddisruptionbudget

    func testCreatePodDisruptionBudget() throws {
        for version in versions {
            let c = try Cluster.withWebDeployment(version: version)
            // 1.18 builds policy/v1beta1; the zero status's counts are not omitempty.
            XCTAssertEqual(run(c, "create pdb web --selector=app=web --min-available=1 --dry-run=client -o yaml").stdout, """
                apiVersion: policy/\(version == .v1_18 ? "v1beta1" : "v1")
                kind: PodDisruptionBudget
                metadata:
                \(ts(version))  name: web
                spec:
                  minAvailable: 1
                  selector:
                    matchLabels:
                      app: web
                status:
                  currentHealthy: 0
                  desiredHealthy: 0
                  disruptionsAllowed: 0
                  expectedPods: 0

                """)
            XCTAssertEqual(run(c, "create poddisruptionbudget web --selector=app=web --max-unavailable=50%").stdout,
                           "poddisruptionbudget.policy/web created\n")
            let pdb = try XCTUnwrap(c.get("poddisruptionbudgets", "web"))
            XCTAssertEqual(pdb["spec"].serialized(), #"{"selector":{"matchLabels":{"app":"web"}},"maxUnavailable":"50%"}"#)
            c.run(for: .seconds(5))
            XCTAssertEqual(c.get("poddisruptionbudgets", "web")?["status", "disruptionsAllowed"].int, 1)

            // Set-based requirements become matchExpressions.
            let json = run(c, "create pdb expr --selector=tier,env!=x --min-available=2 --dry-run=client -o json")
            XCTAssertEqual(json.stderr, "error: \"!=\" is not a valid label selector operator\n")
            let exprs = run(c, "create pdb expr --selector=app=web,tier --min-available=2 --dry-run=client -o yaml").stdout
            XCTAssertTrue(exprs.contains("""
                  selector:
                    matchExpressions:
                    - key: tier
                      operator: Exists
                    matchLabels:
                      app: web

                """), exprs)

            XCTAssertEqual(run(c, "create pdb x --min-available=1").stderr, "error: a selector must be specified\n")
            XCTAssertEqual(run(c, "create pdb x --selector=app=web").stderr,
                           "error: one of min-available or max-unavailable must be specified\n")
            XCTAssertEqual(run(c, "create pdb x --selector=app=web --min-available=1 --max-unavailable=1").stderr,
                           "error: min-available and max-unavailable cannot be both specified\n")
            XCTAssertEqual(run(c, "create pdb x -l app=web --min-available=1").stderr,
                           (version == .v1_18 ? "Error: " : "error: ")
                               + "unknown shorthand flag: 'l' in -l\nSee 'kubectl create poddisruptionbudget --help' for usage.\n")
        }
        // 1.36 checks the count's form itself; 1.18 sends it to the server as a string.
        XCTAssertEqual(run(Cluster.seedCluster(version: .v1_36), "create pdb x --selector=a=b --min-available=two").stderr,
                       "error: invalid format specified for min-available\n")
        XCTAssertEqual(run(Cluster.seedCluster(version: .v1_18), "create pdb x --selector=a=b --min-available=two --dry-run=client -o yaml")
            .stdout.contains("  minAvailable: two\n"), true)
    }

    // MARK: what kubesim does not emulate

    /// Subcommands for kinds kubesim does not serve fail saying so; a word that is no
    /// subcommand in the release fails as kubectl fails.
    func testUnservedSubcommands() {
        for version in versions {
            let c = Cluster.seedCluster(version: version)
            XCTAssertEqual(run(c, "create job once --image=busybox -- date").stderr,
                           "error: kubesim does not serve Jobs yet, so \"kubectl create job\" is not emulated\n")
            XCTAssertEqual(run(c, "create cronjob tick --image=busybox --schedule=*/1 * * * *").stderr,
                           "error: kubesim does not serve CronJobs yet, so \"kubectl create cronjob\" is not emulated\n")
            XCTAssertEqual(run(c, "create sa builder").stderr,
                           "error: kubesim does not serve ServiceAccounts yet, so \"kubectl create serviceaccount\" is not emulated\n")
            XCTAssertEqual(run(c, "create clusterrole reader --verb=get --resource=pods").stderr,
                           "error: kubesim does not serve ClusterRoles yet, so \"kubectl create clusterrole\" is not emulated\n")
            XCTAssertEqual(run(c, "create quota q --hard=pods=2").stderr,
                           "error: kubesim does not serve ResourceQuotas yet, so \"kubectl create quota\" is not emulated\n")
            XCTAssertEqual(run(c, "create service clusterip web --tcp=80:80").stderr,
                           "error: kubesim stores Services but allocates no cluster IPs or node ports, so \"kubectl create service\" "
                               + "is not emulated yet; apply a Service manifest with \"kubectl create -f -\"\n")
            XCTAssertEqual(c.get("services", "web"), nil)
        }
        // ingress and token are 1.19+ and 1.24+ subcommands: 1.18's create takes them for args.
        XCTAssertEqual(run(Cluster.seedCluster(version: .v1_36), "create ingress web --rule=a/=b:80").stderr,
                       "error: kubesim does not serve Ingresses yet, so \"kubectl create ingress\" is not emulated\n")
        XCTAssertEqual(run(Cluster.seedCluster(version: .v1_18), "create ingress web").stderr,
                       "Error: must specify one of -f and -k\n\nerror: unknown command \"ingress web\"\n"
                           + "See 'kubectl create -h' for help and examples\n")
        XCTAssertEqual(run(Cluster.seedCluster(version: .v1_36), "create widget web").stderr,
                       "error: Unexpected args: [widget web]\nSee 'kubectl create -h' for help and examples\n")
    }
}
