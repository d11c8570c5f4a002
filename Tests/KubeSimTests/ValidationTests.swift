import XCTest
@testable import KubeSim

/// Field errors as the API server words them (`pkg/apis/{core,apps,coordination}/validation`,
/// apimachinery's `util/validation`), for objects a user might write. Objects are defaulted
/// first, as upstream defaults before it validates.
final class ValidationTests: XCTestCase {
    private let template = #"{"metadata":{"labels":{"app":"web"}},"spec":{"containers":[{"name":"web","image":"nginx"}]}}"#

    private func errors(_ kind: String, _ text: String, namespaced: Bool = true, version: KubernetesVersion = .v1_36,
                        file: StaticString = #filePath, line: UInt = #line) -> [String]
    {
        guard var object = try? JSON.parse(text) else {
            XCTFail("bad fixture", file: file, line: line)
            return []
        }
        Defaulting.apply(kind: kind, to: &object, version: .v1_36)
        return Validation.validateCreate(kind: kind, object: object, namespaced: namespaced, version: version)
            .map(\.description)
    }

    private func deployment(_ spec: String, name: String = "web") -> String {
        #"{"metadata":{"name":"\#(name)","namespace":"default"},"spec":\#(spec)}"#
    }

    // MARK: - Valid objects

    private var validObjects: [(String, String, Bool)] {
        [
            ("Pod", #"{"metadata":{"name":"web","namespace":"default","labels":{"app.kubernetes.io/name":"web"}},"spec":{"containers":[{"name":"web","image":"nginx:1.25","ports":[{"containerPort":80,"name":"http"}],"resources":{"requests":{"cpu":"100m","memory":"64Mi"},"limits":{"cpu":"1","memory":"128Mi"}}}],"tolerations":[{"key":"dedicated","operator":"Equal","value":"gpu","effect":"NoSchedule"}],"nodeSelector":{"disktype":"ssd"}}}"#, true),
            ("Deployment", deployment(#"{"replicas":3,"selector":{"matchLabels":{"app":"web"}},"template":\#(template)}"#), true),
            ("ReplicaSet", deployment(#"{"selector":{"matchExpressions":[{"key":"app","operator":"In","values":["web"]}]},"template":\#(template)}"#), true),
            ("DaemonSet", deployment(#"{"selector":{"matchLabels":{"app":"web"}},"template":\#(template)}"#), true),
            ("Service", #"{"metadata":{"name":"web","namespace":"default"},"spec":{"selector":{"app":"web"},"ports":[{"name":"http","port":80,"targetPort":8080},{"name":"https","port":443}]}}"#, true),
            ("Service", #"{"metadata":{"name":"db","namespace":"default"},"spec":{"clusterIP":"None","selector":{"app":"db"}}}"#, true),
            ("Namespace", #"{"metadata":{"name":"team-a"}}"#, false),
            ("Node", #"{"metadata":{"name":"node-1.example.com"},"spec":{"podCIDR":"10.244.1.0/24","taints":[{"key":"node-role.kubernetes.io/control-plane","effect":"NoSchedule"}]},"status":{"capacity":{"cpu":"4","memory":"8Gi","pods":"110"}}}"#, false),
            ("ConfigMap", #"{"metadata":{"name":"cfg","namespace":"default"},"data":{"app.properties":"a=b","KEY_1":"v"}}"#, true),
            ("Secret", #"{"metadata":{"name":"tls","namespace":"default"},"type":"kubernetes.io/tls","data":{"tls.crt":"Y2VydA==","tls.key":"a2V5"}}"#, true),
            ("Lease", #"{"metadata":{"name":"node-1","namespace":"kube-node-lease"},"spec":{"holderIdentity":"node-1","leaseDurationSeconds":40,"renewTime":"2024-01-01T00:00:00.000000Z"}}"#, true),
            ("Event", #"{"metadata":{"name":"web.17f3a2b4c5d6e7f8","namespace":"default"},"involvedObject":{"kind":"Pod","name":"web","namespace":"default"},"reason":"Scheduled","message":"ok","type":"Normal"}"#, true),
        ]
    }

    func testValidObjectsPass() {
        for (kind, text, namespaced) in validObjects {
            XCTAssertEqual(errors(kind, text, namespaced: namespaced), [], kind)
        }
    }

    /// The host must never trap on input: every member of every fixture, replaced by values
    /// of every JSON type (and awkward strings and numbers), goes through defaulting and both
    /// validations.
    func testOddShapesNeverTrap() throws {
        let replacements: [JSON] = [
            .null, true, 0, -1, 2_147_483_648, .int(Int.min), 1.5, -1e300, "", "x", "-", "::", "1.2.3.4/99", "::ffff:1.2.3.4",
            "Ä/ß", "a\u{0}b", .string(String(repeating: "9", count: 300)), "1e2147483647", "=", "'']", [], [1, "a"],
            .emptyObject, ["a": 1], ["matchLabels": 3],
        ]
        func mutations(_ j: JSON) -> [JSON] {
            var out = replacements
            switch j {
            case .object(let o):
                for (k, v) in o {
                    for m in mutations(v) {
                        var c = o
                        c[k] = m
                        out.append(.object(c))
                    }
                }
            case .array(let a):
                for (i, v) in a.enumerated() {
                    for m in mutations(v) {
                        var c = a
                        c[i] = m
                        out.append(.array(c))
                    }
                }
            default:
                break
            }
            return out
        }
        var checked = 0
        for (kind, text, namespaced) in validObjects {
            let base = try JSON.parse(text)
            for mutated in mutations(base) {
                var object = mutated
                Defaulting.apply(kind: kind, to: &object, version: .v1_36)
                Defaulting.defaultTolerationSeconds(pod: &object)
                for version in KubernetesVersion.allCases {
                    _ = Validation.validateCreate(kind: kind, object: object, namespaced: namespaced, version: version)
                }
                _ = Validation.validateUpdate(kind: kind, new: object, old: base, namespaced: namespaced)
                _ = Validation.validateUpdate(kind: kind, new: base, old: object, namespaced: namespaced)
                checked += 1
            }
        }
        XCTAssertGreaterThan(checked, 1000)
    }

    // MARK: - Names

    func testDNSNameChecks() {
        XCTAssertEqual(Validation.dns1123Subdomain("Bad_Name"), [
            "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must "
                + "start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is "
                + "'[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
        ])
        XCTAssertEqual(Validation.dns1123Subdomain("web-1.example.com"), [])
        XCTAssertEqual(Validation.dns1123Label("my.ns"), ["must not contain dots"])
        XCTAssertEqual(Validation.dns1123Label(String(repeating: "a", count: 64)), ["must be no more than 63 characters"])
        XCTAssertEqual(Validation.dns1123Label("-web"), [
            "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and "
                + "end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is "
                + "'[a-z0-9]([-a-z0-9]*[a-z0-9])?')",
        ])
    }

    /// `IsValidPathSegmentName` (Event names): anything but "/" and "%", and not "." or ".."
    /// (a prefix, as generateName is, may be either).
    func testPathSegmentNames() {
        XCTAssertEqual(NameRules.pathSegmentName("web-7d9f8c6b5-x2k4z.17a8b9c0d1e2f3a4"), [])
        XCTAssertEqual(NameRules.pathSegmentName("caf\u{E9}..x"), [])
        XCTAssertEqual(NameRules.pathSegmentName("..."), [])
        XCTAssertEqual(NameRules.pathSegmentName("."), ["may not be '.'"])
        XCTAssertEqual(NameRules.pathSegmentName(".."), ["may not be '..'"])
        XCTAssertEqual(NameRules.pathSegmentName("..", prefix: true), [])
        XCTAssertEqual(NameRules.pathSegmentName("a/b%c"), ["may not contain '/'", "may not contain '%'"])
        XCTAssertEqual(NameRules.pathSegmentName("50%"), ["may not contain '%'"])
    }

    func testMetadataErrors() {
        XCTAssertEqual(errors("ConfigMap", #"{"metadata":{"namespace":"default"}}"#),
                       ["metadata.name: Required value: name or generateName is required"])
        XCTAssertEqual(errors("ConfigMap", #"{"metadata":{"name":"Bad_Name","namespace":"default"}}"#), [
            "metadata.name: Invalid value: \"Bad_Name\": a lowercase RFC 1123 subdomain must consist of lower case "
                + "alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. "
                + "'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
        ])
        XCTAssertEqual(errors("ConfigMap", #"{"metadata":{"generateName":"cfg-","namespace":"default"}}"#), [],
                       "a generated name is the registry's to fill")
        XCTAssertEqual(errors("ConfigMap", #"{"metadata":{"name":"cfg"}}"#), ["metadata.namespace: Required value"])
        XCTAssertEqual(errors("ConfigMap", #"{"metadata":{"name":"cfg","namespace":"default","labels":{"bad key":"v","tier":"front end"},"annotations":{"a/b/c":"x"},"finalizers":["cleanup"]}}"#), [
            "metadata.labels: Invalid value: \"bad key\": name part must consist of alphanumeric characters, '-', '_' or "
                + "'.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', "
                + "regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')",
            "metadata.labels: Invalid value: \"front end\": a valid label must be an empty string or consist of "
                + "alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. "
                + "'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')",
            "metadata.annotations: Invalid value: \"a/b/c\": a valid label key must consist of alphanumeric characters, "
                + "'-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  "
                + "or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional "
                + "DNS subdomain prefix and '/' (e.g. 'example.com/MyName')",
            "metadata.finalizers[0]: Invalid value: \"cleanup\": name is neither a standard finalizer name nor is it fully qualified",
        ])
    }

    // MARK: - Workloads

    func testDeploymentReplicasMustNotBeNegative() {
        let d = deployment(#"{"replicas":-1,"selector":{"matchLabels":{"app":"web"}},"template":\#(template)}"#)
        XCTAssertEqual(errors("Deployment", d), ["spec.replicas: Invalid value: -1: must be greater than or equal to 0"])
        // As the API server reports it (the reference's example).
        guard var object = try? JSON.parse(d) else { return XCTFail("fixture") }
        Defaulting.apply(kind: "Deployment", to: &object, version: .v1_36)
        let status = StatusError.invalid(kind: "Deployment", group: "apps", name: "web",
                                         Validation.validateCreate(kind: "Deployment", object: object, namespaced: true))
        XCTAssertEqual(status.message,
                       "Deployment.apps \"web\" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0")
    }

    func testDeploymentSelector() {
        XCTAssertEqual(errors("Deployment", deployment(#"{"template":\#(template)}"#)), [
            "spec.selector: Required value",
            "spec.template.metadata.labels: Invalid value: {\"app\":\"web\"}: `selector` does not match template `labels`",
        ])
        XCTAssertEqual(errors("Deployment", deployment(#"{"selector":{"matchLabels":{"app":"api"}},"template":\#(template)}"#)),
                       ["spec.template.metadata.labels: Invalid value: {\"app\":\"web\"}: `selector` does not match template `labels`"])
        XCTAssertEqual(errors("Deployment", deployment(#"{"selector":{},"template":\#(template)}"#)),
                       ["spec.selector: Invalid value: {}: empty selector is invalid for deployment"])
        XCTAssertEqual(errors("Deployment", deployment(#"{"selector":{"matchExpressions":[{"key":"app","operator":"Near","values":["web"]}]},"template":\#(template)}"#)), [
            "spec.selector.matchExpressions[0].operator: Invalid value: \"Near\": not a valid selector operator",
            "spec.selector: Invalid value: {\"matchExpressions\":[{\"key\":\"app\",\"operator\":\"Near\",\"values\":[\"web\"]}]}: invalid label selector",
        ])
    }

    func testWorkloadTemplateRules() {
        let onFailure = #"{"metadata":{"labels":{"app":"web"}},"spec":{"restartPolicy":"OnFailure","activeDeadlineSeconds":30,"containers":[{"name":"web","image":"nginx"}]}}"#
        XCTAssertEqual(errors("ReplicaSet", deployment(#"{"selector":{"matchLabels":{"app":"web"}},"template":\#(onFailure)}"#)), [
            "spec.template.spec.restartPolicy: Unsupported value: \"OnFailure\": supported values: \"Always\"",
            "spec.template.spec.activeDeadlineSeconds: Forbidden: activeDeadlineSeconds in ReplicaSet is not Supported",
        ])
        XCTAssertEqual(errors("DaemonSet", deployment(#"{"template":\#(template)}"#)),
                       ["spec.template.metadata.labels: Invalid value: {\"app\":\"web\"}: `selector` does not match template `labels`"])
        XCTAssertEqual(errors("DaemonSet", deployment(#"{"selector":{"matchLabels":{"app":"web"}},"updateStrategy":{"rollingUpdate":{"maxSurge":1}},"template":\#(template)}"#)),
                       ["spec.updateStrategy.rollingUpdate.maxSurge: Invalid value: 1: may not be set when maxUnavailable is non-zero"])
    }

    func testDeploymentStrategy() {
        XCTAssertEqual(errors("Deployment", deployment(#"{"selector":{"matchLabels":{"app":"web"}},"strategy":{"rollingUpdate":{"maxSurge":0,"maxUnavailable":0}},"template":\#(template)}"#)),
                       ["spec.strategy.rollingUpdate.maxUnavailable: Invalid value: 0: may not be 0 when `maxSurge` is 0"])
        XCTAssertEqual(errors("Deployment", deployment(#"{"selector":{"matchLabels":{"app":"web"}},"strategy":{"rollingUpdate":{"maxUnavailable":"120%"}},"template":\#(template)}"#)),
                       ["spec.strategy.rollingUpdate.maxUnavailable: Invalid value: \"120%\": must not be greater than 100%"])
        XCTAssertEqual(errors("Deployment", deployment(#"{"selector":{"matchLabels":{"app":"web"}},"strategy":{"type":"Recreate","rollingUpdate":{}},"template":\#(template)}"#)),
                       ["spec.strategy.rollingUpdate: Forbidden: may not be specified when strategy `type` is 'Recreate'"])
        XCTAssertEqual(errors("Deployment", deployment(#"{"selector":{"matchLabels":{"app":"web"}},"progressDeadlineSeconds":5,"minReadySeconds":10,"template":\#(template)}"#)),
                       ["spec.progressDeadlineSeconds: Invalid value: 5: must be greater than minReadySeconds"])
    }

    // MARK: - Pods

    func testPodContainers() {
        XCTAssertEqual(errors("Pod", #"{"metadata":{"name":"p","namespace":"default"},"spec":{"containers":[]}}"#),
                       ["spec.containers: Required value"])
        let pod = #"""
            {"metadata":{"name":"p","namespace":"default"},"spec":{"restartPolicy":"Sometimes","containers":[
              {"name":"web","image":""},
              {"name":"web","image":"nginx","ports":[{"containerPort":70000,"protocol":"HTTP"},{"containerPort":0}],
               "resources":{"requests":{"cpu":"2"},"limits":{"cpu":"500m"}}}]}}
            """#
        XCTAssertEqual(errors("Pod", pod), [
            "spec.containers[0].image: Required value",
            "spec.containers[1].ports[0].containerPort: Invalid value: 70000: must be between 1 and 65535, inclusive",
            "spec.containers[1].ports[0].protocol: Unsupported value: \"HTTP\": supported values: \"SCTP\", \"TCP\", \"UDP\"",
            "spec.containers[1].ports[1].containerPort: Required value",
            "spec.containers[1].resources.requests: Invalid value: \"2\": must be less than or equal to cpu limit of 500m",
            "spec.containers[1].name: Duplicate value: \"web\"",
            "spec.restartPolicy: Unsupported value: \"Sometimes\": supported values: \"Always\", \"OnFailure\", \"Never\"",
        ])
        XCTAssertEqual(errors("Pod", #"{"metadata":{"name":"p","namespace":"default"},"spec":{"containers":[{"name":"Web","image":"nginx"}]}}"#), [
            "spec.containers[0].name: Invalid value: \"Web\": a lowercase RFC 1123 label must consist of lower case "
                + "alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  "
                + "or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')",
        ])
    }

    func testPodSchedulingFields() {
        let pod = #"""
            {"metadata":{"name":"p","namespace":"default"},"spec":{"nodeSelector":{"disk":"fast ssd"},
             "tolerations":[{"operator":"Equal","value":"x"},{"key":"k","operator":"Exists","value":"v","effect":"NoRun"},
                            {"key":"k","operator":"Sometimes","tolerationSeconds":5}],
             "containers":[{"name":"web","image":"nginx"}]}}
            """#
        XCTAssertEqual(errors("Pod", pod), [
            "spec.nodeSelector: Invalid value: \"fast ssd\": a valid label must be an empty string or consist of "
                + "alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. "
                + "'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')",
            "spec.tolerations[0].operator: Invalid value: \"Equal\": operator must be Exists when `key` is empty, which "
                + "means \"match all values and all keys\"",
            "spec.tolerations[1].operator: Invalid value: \"v\": value must be empty when `operator` is 'Exists'",
            "spec.tolerations[1].effect: Unsupported value: \"NoRun\": supported values: \"NoSchedule\", \"PreferNoSchedule\", \"NoExecute\"",
            "spec.tolerations[2].effect: Invalid value: \"\": effect must be 'NoExecute' when `tolerationSeconds` is set",
            "spec.tolerations[2].operator: Unsupported value: \"Sometimes\": supported values: \"Equal\", \"Exists\"",
        ])
    }

    /// The API server's memo checks a DaemonSet pod's spec against the last one that passed
    /// and then only its node affinity: a spec that differs there alone still gets the
    /// affinity's errors, and one that differs elsewhere is checked whole.
    func testValidationMemoChecksADaemonPodsAffinity() {
        func pod(_ name: String, affinity: String, image: String = "nginx") -> JSON {
            let text = #"""
                {"metadata":{"name":"\#(name)","namespace":"default"},"spec":{"containers":[{"name":"web","image":"\#(image)"}],
                 "affinity":{"nodeAffinity":{"requiredDuringSchedulingIgnoredDuringExecution":{"nodeSelectorTerms":\#(affinity)}}}}}
                """#
            guard var object = try? JSON.parse(text) else { XCTFail("bad fixture"); return .null }
            Defaulting.apply(kind: "Pod", to: &object, version: .v1_36)
            return object
        }
        let memo = ValidationMemo()
        func errors(_ object: JSON) -> [String] {
            Validation.validateCreate(kind: "Pod", object: object, namespaced: true, version: .v1_36, checkTypes: true,
                                      memo: memo).map(\.description)
        }
        func node(_ name: String) -> String { #"[{"matchFields":[{"key":"metadata.name","operator":"In","values":["\#(name)"]}]}]"# }
        XCTAssertEqual(errors(pod("a", affinity: node("n1"))), [])
        XCTAssertEqual(errors(pod("b", affinity: node("n2"))), [])
        XCTAssertEqual(errors(pod("c", affinity: "[]")), [
            "spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms: Required value: "
                + "must have at least one node selector term",
        ])
        XCTAssertEqual(errors(pod("d", affinity: node("n3"), image: " nginx")).count, 1)
        XCTAssertEqual(errors(pod("e", affinity: node("n4"), image: "")), ["spec.containers[0].image: Required value"])
    }

    func testPodResourcesAndMounts() {
        let pod = #"""
            {"metadata":{"name":"p","namespace":"default"},"spec":{"containers":[{"name":"web","image":"nginx",
              "resources":{"limits":{"cpus":"1","example.com/gpu":"1"},"requests":{"memory":"-1"}},
              "env":[{"name":"A=B"}],"volumeMounts":[{"name":"data","mountPath":"/data"}]}]}}
            """#
        XCTAssertEqual(errors("Pod", pod), [
            "spec.containers[0].env[0].name: Invalid value: \"A=B\": a valid environment variable name must consist only "
                + "of printable ASCII characters other than '='",
            "spec.containers[0].volumeMounts[0].name: Not found: \"data\"",
            "spec.containers[0].resources.limits[cpus]: Invalid value: \"cpus\": must be a standard resource type or fully qualified",
            "spec.containers[0].resources.limits[cpus]: Invalid value: \"cpus\": must be a standard resource for containers",
            "spec.containers[0].resources.requests[memory]: Invalid value: \"-1\": must be greater than or equal to 0",
            "spec.containers[0].resources.requests[cpus]: Invalid value: \"cpus\": must be a standard resource type or fully qualified",
            "spec.containers[0].resources.requests[cpus]: Invalid value: \"cpus\": must be a standard resource for containers",
])
        // Extended resources are not overcommitted and come in whole units. (In a template
        // requests are not defaulted from limits.)
        let gpu = #"{"metadata":{"labels":{"app":"web"}},"spec":{"containers":[{"name":"c","image":"i","resources":{"requests":{"example.com/gpu":"1"}}},{"name":"d","image":"i","resources":{"limits":{"example.com/gpu":"500m"}}}]}}"#
        XCTAssertEqual(errors("ReplicaSet", deployment(#"{"selector":{"matchLabels":{"app":"web"}},"template":\#(gpu)}"#)), [
            "spec.template.spec.containers[0].resources.limits: Required value: Limit must be set for non overcommitable resources",
            "spec.template.spec.containers[1].resources.limits[example.com/gpu]: Invalid value: \"500m\": must be an integer",
        ])
    }

    // MARK: - Decoding

    func testWrongJSONTypesAreDecodeErrors() throws {
        let d = deployment(#"{"replicas":"three","selector":{"matchLabels":{"app":"web"}},"template":\#(template)}"#)
        let object = try JSON.parse(d)
        let errs = Validation.validateCreate(kind: "Deployment", object: object, namespaced: true)
        XCTAssertEqual(errs.map(\.description), [
            "spec.replicas: Invalid value: json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32",
        ])
        XCTAssertEqual(Validation.decodeFailure(kind: "Deployment", apiVersion: "apps/v1", errors: errs)?.kubectlMessage,
                       "Error from server (BadRequest): Deployment in version \"v1\" cannot be handled as a Deployment: json: "
                        + "cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32")

        let env = try JSON.parse(#"{"metadata":{"name":"p"},"spec":{"containers":[{"name":"c","image":"i","env":[{"name":"PORT","value":7070}]}]}}"#)
        XCTAssertEqual(Validation.validateCreate(kind: "Pod", object: env, namespaced: true).map(\.detail), [
            "json: cannot unmarshal number into Go struct field EnvVar.spec.containers.env.value of type string",
        ])
        let cpu = try JSON.parse(#"{"metadata":{"name":"p"},"spec":{"containers":[{"name":"c","image":"i","resources":{"limits":{"cpu":"lots"}}}]}}"#)
        let cpuErrors = Validation.validateCreate(kind: "Pod", object: cpu, namespaced: true)
        XCTAssertEqual(cpuErrors.map(\.field), ["spec.containers[0].resources.limits[cpu]"])
        XCTAssertEqual(Validation.decodeFailure(kind: "Pod", apiVersion: "v1", errors: cpuErrors)?.message,
                       "Pod in version \"v1\" cannot be handled as a Pod: quantities must match the regular expression "
                        + "'^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'")
        let wrongShapes: [(String, String, String)] = [
            ("Deployment", #"{"spec":"x"}"#, "json: cannot unmarshal string into Go struct field Deployment.spec of type v1.DeploymentSpec"),
            ("Pod", #"{"spec":{"containers":{"name":"c"}}}"#, "json: cannot unmarshal object into Go struct field PodSpec.spec.containers of type []v1.Container"),
            ("Pod", #"{"metadata":{"labels":{"a":1}}}"#, "json: cannot unmarshal number into Go struct field ObjectMeta.metadata.labels of type string"),
            ("Service", #"{"spec":{"ports":[{"port":3.5}]}}"#, "json: cannot unmarshal number 3.5 into Go struct field ServicePort.spec.ports.port of type int32"),
            ("Service", #"{"spec":{"ports":[{"port":80,"targetPort":true}]}}"#, "json: cannot unmarshal bool into Go value of type int32"),
            ("Secret", #"{"data":{"k":"!!!!"}}"#, "illegal base64 data at input byte 0"),
            ("Node", #"{"spec":{"unschedulable":"yes"}}"#, "json: cannot unmarshal string into Go struct field NodeSpec.spec.unschedulable of type bool"),
        ]
        for (kind, text, detail) in wrongShapes {
            let errs = Validation.validateCreate(kind: kind, object: try JSON.parse(text), namespaced: true)
            XCTAssertEqual(errs.map(\.detail), [detail], text)
            XCTAssertNotNil(Validation.decodeFailure(kind: kind, apiVersion: "v1", errors: errs), text)
        }
        XCTAssertNil(Validation.decodeFailure(kind: "Deployment", apiVersion: "apps/v1",
                                              errors: [.invalid("spec.replicas", -1, "must be greater than or equal to 0")]))
    }

    // MARK: - Core kinds

    func testNamespaceServiceAndNode() {
        XCTAssertEqual(errors("Namespace", #"{"metadata":{"name":"my.ns"}}"#, namespaced: false),
                       ["metadata.name: Invalid value: \"my.ns\": must not contain dots"])
        XCTAssertEqual(errors("Service", #"{"metadata":{"name":"1svc","namespace":"default"},"spec":{"selector":{"app":"web"}}}"#), [
            "metadata.name: Invalid value: \"1svc\": a DNS-1035 label must consist of lower case alphanumeric characters or "
                + "'-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or "
                + "'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')",
            "spec.ports: Required value",
        ])
        XCTAssertEqual(errors("Service", #"{"metadata":{"name":"svc","namespace":"default"},"spec":{"type":"Magic","sessionAffinity":"Sticky","ports":[{"port":80,"protocol":"HTTP","name":"web"},{"port":80,"name":"web"}]}}"#), [
            "spec.ports[0].protocol: Unsupported value: \"HTTP\": supported values: \"SCTP\", \"TCP\", \"UDP\"",
            "spec.ports[1].name: Duplicate value: \"web\"",
            "spec.sessionAffinity: Unsupported value: \"Sticky\": supported values: \"ClientIP\", \"None\"",
            "spec.type: Unsupported value: \"Magic\": supported values: \"ClusterIP\", \"ExternalName\", \"LoadBalancer\", \"NodePort\"",
        ])
        XCTAssertEqual(errors("Service", #"{"metadata":{"name":"svc","namespace":"default"},"spec":{"ports":[{"port":80,"nodePort":30080}]}}"#),
                       ["spec.ports[0].nodePort: Forbidden: may not be used when `type` is 'ClusterIP'"])
        XCTAssertEqual(errors("Node", #"{"metadata":{"name":"n1"},"spec":{"podCIDR":"10.0.0.1/24","taints":[{"key":"a","effect":"NoRun"},{"key":"b","effect":"NoSchedule"},{"key":"b","value":"x","effect":"NoSchedule"}]}}"#, namespaced: false), [
            "metadata.taints[0].effect: Unsupported value: \"NoRun\": supported values: \"NoSchedule\", \"PreferNoSchedule\", \"NoExecute\"",
            "metadata.taints[2]: Duplicate value: {\"Key\":\"b\",\"Value\":\"x\",\"Effect\":\"NoSchedule\",\"TimeAdded\":null}: taints must be unique by key and effect pair",
            "spec.podCIDRs[0]: Invalid value: \"10.0.0.1/24\": must not have bits set beyond the prefix length",
        ])
        XCTAssertEqual(errors("Node", #"{"metadata":{"name":"n1"},"spec":{"podCIDRs":["10.0.0.0/24","10.1.0.0/24"]},"status":{"capacity":{"cpu":"-2"}}}"#, namespaced: false), [
            "status.capacity.cpu: Invalid value: \"-2\": must be greater than or equal to 0",
            // SetDefaults_NodeStatus copied capacity into the absent allocatable.
            "status.allocatable.cpu: Invalid value: \"-2\": must be greater than or equal to 0",
            "spec.podCIDRs: Invalid value: [\"10.0.0.0/24\",\"10.1.0.0/24\"]: may specify no more than one CIDR for each IP family",
        ])
    }

    func testServiceAddresses() {
        let svc: (String) -> String = { spec in #"{"metadata":{"name":"svc","namespace":"default"},"spec":\#(spec)}"# }
        XCTAssertEqual(errors("Service", svc(#"{"clusterIP":"10.0.0.010","ports":[{"port":80}]}"#)),
                       ["spec.clusterIPs[0]: Invalid value: \"10.0.0.010\": must not have leading 0s"])
        XCTAssertEqual(errors("Service", svc(#"{"clusterIP":"2001:DB8:0:0::1","ports":[{"port":80}]}"#)),
                       ["spec.clusterIPs[0]: Invalid value: \"2001:DB8:0:0::1\": must be in canonical form (\"2001:db8::1\")"])
        XCTAssertEqual(errors("Service", svc(#"{"externalIPs":["300.1.1.1"],"ports":[{"port":80}]}"#)), [
            "spec.externalIPs[0]: Invalid value: \"300.1.1.1\": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)",
        ])
        XCTAssertEqual(errors("Service", svc(#"{"type":"LoadBalancer","clusterIP":"None","ports":[{"port":80}]}"#)),
                       ["spec.clusterIPs[0]: Invalid value: \"None\": may not be set to 'None' for LoadBalancer services"])
        XCTAssertEqual(errors("Service", svc(#"{"type":"ExternalName","externalName":"db.example.com."}"#)), [])
    }

    func testConfigMapSecretLeaseAndEvent() {
        XCTAssertEqual(errors("ConfigMap", #"{"metadata":{"name":"c","namespace":"default"},"data":{"bad key":"v"}}"#), [
            "data[bad key]: Invalid value: \"bad key\": a valid config key must consist of alphanumeric characters, '-', '_' "
                + "or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')",
        ])
        XCTAssertEqual(errors("Secret", #"{"metadata":{"name":"s","namespace":"default"},"type":"kubernetes.io/tls","data":{"tls.crt":"Y2VydA=="}}"#),
                       ["data[tls.key]: Required value"])
        XCTAssertEqual(errors("Lease", #"{"metadata":{"name":"l","namespace":"default"},"spec":{"leaseDurationSeconds":0,"leaseTransitions":-1}}"#), [
            "spec.leaseDurationSeconds: Invalid value: 0: must be greater than 0",
            "spec.leaseTransitions: Invalid value: -1: must be greater than or equal to 0",
        ])
        XCTAssertEqual(errors("Event", #"{"metadata":{"name":"e","namespace":"default"},"involvedObject":{"kind":"Pod","namespace":"other"}}"#),
                       ["involvedObject.namespace: Invalid value: \"other\": does not match event.namespace"])
        XCTAssertEqual(errors("Event", #"{"metadata":{"name":"a/b","namespace":"default"},"involvedObject":{"namespace":"default"}}"#),
                       ["metadata.name: Invalid value: \"a/b\": may not contain '/'"])
    }

    // MARK: - Updates

    /// An update checks the labels, annotations and owner references it sends, as
    /// `ValidateObjectMetaUpdate` does.
    func testUpdatesCheckLabelsAnnotationsAndOwnerReferences() throws {
        let old = try JSON.parse(#"""
            {"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c","namespace":"default","labels":{"app":"web"},
             "annotations":{"note":"x"},"ownerReferences":[{"apiVersion":"apps/v1","kind":"ReplicaSet","name":"rs",
             "uid":"u-1","controller":true}]}}
            """#)
        var same = old
        same["data"] = ["k": "v"]
        XCTAssertEqual(Validation.validateUpdate(kind: "ConfigMap", new: same, old: old, namespaced: true), [])
        var badLabel = old
        badLabel["metadata", "labels", "app"] = "-web"
        XCTAssertEqual(Set(Validation.validateUpdate(kind: "ConfigMap", new: badLabel, old: old, namespaced: true).map(\.field)),
                       ["metadata.labels"])
        var badAnnotation = old
        badAnnotation["metadata", "annotations", "no/such/key"] = "x"
        XCTAssertEqual(Set(Validation.validateUpdate(kind: "ConfigMap", new: badAnnotation, old: old, namespaced: true).map(\.field)),
                       ["metadata.annotations"])
        var twoControllers = old
        twoControllers["metadata", "ownerReferences"] = .array([old["metadata", "ownerReferences"][index: 0],
            ["apiVersion": "apps/v1", "kind": "ReplicaSet", "name": "rs2", "uid": "u-2", "controller": true]])
        XCTAssertEqual(Set(Validation.validateUpdate(kind: "ConfigMap", new: twoControllers, old: old, namespaced: true).map(\.field)),
                       ["metadata.ownerReferences"])
        // Even a value `==` calls equal to the stored one: KELVIN SIGN is "K" to Swift's
        // String comparison, but not a valid label value.
        var lease = try JSON.parse(#"{"apiVersion":"coordination.k8s.io/v1","kind":"Lease","metadata":{"name":"l","namespace":"default","labels":{"app":"K"}},"spec":{}}"#)
        let storedLease = lease
        lease["metadata", "labels", "app"] = "\u{212A}"
        XCTAssertEqual(lease["metadata", "labels"], storedLease["metadata", "labels"])
        XCTAssertEqual(Set(Validation.validateUpdate(kind: "Lease", new: lease, old: storedLease, namespaced: true).map(\.field)),
                       ["metadata.labels"])
    }

    /// Annotations an update leaves as they were are not checked again, except for their
    /// total size: a DaemonSet gains an annotation after its create is validated.
    func testUnchangedAnnotationsAreStillBoundedInSize() throws {
        var old = try JSON.parse(#"""
            {"apiVersion":"v1","kind":"Pod","metadata":{"name":"p","namespace":"default","uid":"u-1"},
             "spec":{"containers":[{"name":"c","image":"nginx"}]},"status":{"phase":"Pending"}}
            """#)
        old["metadata", "annotations", "note"] = "x"
        var new = old
        new["status", "phase"] = "Running"
        XCTAssertEqual(Validation.validateStatusUpdate(kind: "Pod", new: new, old: old, version: .v1_36), [])
        old["metadata", "annotations", "big"] = .string(String(repeating: "x", count: 256 * 1024))
        new["metadata"] = old["metadata"]
        XCTAssertEqual(Validation.validateStatusUpdate(kind: "Pod", new: new, old: old, version: .v1_36).map(\.description),
                       ["metadata.annotations: Too long: may not be more than 262144 bytes"])
    }

    func testDeploymentSelectorIsImmutable() throws {
        var old = try JSON.parse(deployment(#"{"selector":{"matchLabels":{"app":"web"}},"template":\#(template)}"#))
        Defaulting.apply(kind: "Deployment", to: &old, version: .v1_36)
        var new = old
        new["spec", "selector", "matchLabels", "tier"] = "front"
        new["spec", "template", "metadata", "labels", "tier"] = "front"
        XCTAssertEqual(Validation.validateUpdate(kind: "Deployment", new: new, old: old, namespaced: true).map(\.description),
                       ["spec.selector: Invalid value: {\"matchLabels\":{\"app\":\"web\",\"tier\":\"front\"}}: field is immutable"])
        // The 1.18 wording prints the Go struct, as the seed's release did.
        XCTAssertEqual(Validation.validateUpdate(kind: "Deployment", new: new, old: old, namespaced: true, version: .v1_18).map(\.description), [
            "spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{\"app\":\"web\", \"tier\":\"front\"}, "
                + "MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: field is immutable",
        ])
        var scaled = old
        scaled["spec", "replicas"] = 5
        XCTAssertEqual(Validation.validateUpdate(kind: "Deployment", new: scaled, old: old, namespaced: true), [])
        var renamed = old
        renamed["metadata", "name"] = "other"
        XCTAssertEqual(Validation.validateUpdate(kind: "ReplicaSet", new: renamed, old: old, namespaced: true).map(\.description),
                       ["metadata.name: Invalid value: \"other\": field is immutable"])
    }

    func testPodSpecIsMostlyImmutable() throws {
        var old = try JSON.parse(#"{"metadata":{"name":"p","namespace":"default"},"spec":{"containers":[{"name":"web","image":"nginx:1"}]}}"#)
        Defaulting.apply(kind: "Pod", to: &old, version: .v1_36)
        var image = old
        image["spec", "containers"] = .array([old["spec", "containers"][index: 0].with("image", "nginx:2")])
        XCTAssertEqual(Validation.validateUpdate(kind: "Pod", new: image, old: old, namespaced: true), [])
        var added = old
        added["spec", "tolerations"] = [["key": "k", "operator": "Exists"]]
        XCTAssertEqual(Validation.validateUpdate(kind: "Pod", new: added, old: old, namespaced: true), [])
        var changed = old
        changed["spec", "restartPolicy"] = "Never"
        XCTAssertEqual(Validation.validateUpdate(kind: "Pod", new: changed, old: old, namespaced: true).map(\.description), [
            "spec: Forbidden: pod updates may not change fields other than `spec.containers[*].image`,"
                + "`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to "
                + "existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)",
        ])
        var more = old
        more["spec", "containers"] = .array((old["spec", "containers"].array ?? []) + [["name": "b", "image": "b"]])
        XCTAssertEqual(Validation.validateUpdate(kind: "Pod", new: more, old: old, namespaced: true).map(\.description).last,
                       "spec.containers: Forbidden: pod updates may not add or remove containers")
        var removed = added
        removed["spec", "tolerations"] = []
        XCTAssertEqual(Validation.validateUpdate(kind: "Pod", new: removed, old: added, namespaced: true).map(\.description),
                       ["spec.tolerations: Forbidden: existing toleration can not be modified except its tolerationSeconds"])
    }

    func testImmutableConfigMapAndNodeCIDR() throws {
        let old = try JSON.parse(#"{"metadata":{"name":"c","namespace":"default"},"data":{"a":"1"},"immutable":true}"#)
        var new = old
        new["data", "a"] = "2"
        XCTAssertEqual(Validation.validateUpdate(kind: "ConfigMap", new: new, old: old, namespaced: true).map(\.description),
                       ["data: Forbidden: field is immutable when `immutable` is set"])
        let node = try JSON.parse(#"{"metadata":{"name":"n"},"spec":{"podCIDRs":["10.0.1.0/24"]}}"#)
        var moved = node
        moved["spec", "podCIDRs"] = ["10.0.2.0/24"]
        XCTAssertEqual(Validation.validateUpdate(kind: "Node", new: moved, old: node, namespaced: false).map(\.description),
                       ["spec.podCIDRs: Forbidden: node updates may not change podCIDR except from \"\" to valid"])
    }

    // MARK: - Release wording

    func testSeedReleaseWording() {
        XCTAssertEqual(errors("ConfigMap", #"{"metadata":{"name":"Bad_Name","namespace":"default"}}"#, version: .v1_18), [
            "metadata.name: Invalid value: \"Bad_Name\": a DNS-1123 subdomain must consist of lower case alphanumeric "
                + "characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex "
                + "used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
        ])
        XCTAssertEqual(errors("Deployment", deployment(#"{"template":\#(template)}"#), version: .v1_18), [
            "spec.selector: Required value",
            "spec.template.metadata.labels: Invalid value: map[string]string{\"app\":\"web\"}: `selector` does not match template `labels`",
        ])
        XCTAssertEqual(errors("Namespace", #"{"metadata":{"name":"my.ns"}}"#, namespaced: false, version: .v1_18), [
            "metadata.name: Invalid value: \"my.ns\": a DNS-1123 label must consist of lower case alphanumeric characters "
                + "or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used "
                + "for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')",
        ])
    }
}

extension JSON {
    fileprivate func with(_ key: String, _ value: JSON) -> JSON {
        var copy = self
        copy[key] = value
        return copy
    }
}
