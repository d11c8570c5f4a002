/// The objects `kubectl create SUBCOMMAND` builds, member for member in the order the Go
/// structs encode them (the JSON printer keeps it; YAML sorts), with the Go zero values that
/// survive `omitempty`: `strategy: {}`, `resources: {}`, `status: {}`, and until 1.34's
/// `omitzero` a null `creationTimestamp`.
///
/// 1.18: `pkg/generate/versioned/{deployment,namespace,configmap,secret,
/// secret_for_docker_registry,priorityclass,pdb}.go`; 1.36: `pkg/cmd/create/create_*.go`.
extension Cluster {
    /// The built object, or the error kubectl prints instead.
    func generateCreateObject(_ generator: CreateGenerator, name: String, command: [String],
                              _ flags: KubectlFlags) -> Result<JSON, KubectlFailure>
    {
        let v36 = config.version == .v1_36
        let namespace = flags.namespaceGiven && generator.dryRunTakesNamespace(config.version) ? flags.namespace : nil
        func fail(_ message: String) -> Result<JSON, KubectlFailure> { .failure(KubectlFailure("error: " + message)) }
        switch generator {
        case .deployment:
            if !v36 {
                // BaseDeploymentGenerator.validate.
                if name.isEmpty { return fail("name must be specified") }
                if flags.images.isEmpty { return fail("at least one image must be specified") }
            } else if flags.images.count > 1, !command.isEmpty {
                return fail("cannot specify multiple --image options and command")
            }
            return .success(generateDeployment(name: name, namespace: namespace, command: command, flags))
        case .namespace:
            if name.isEmpty { return fail("name must be specified") }
            var object = JSONObject()
            object["kind"] = "Namespace"
            object["apiVersion"] = "v1"
            object["metadata"] = generatedMetadata(name: name, namespace: namespace)
            object.append(key: "spec", value: .emptyObject)
            object.append(key: "status", value: .emptyObject)
            return .success(.object(object))
        case .configMap, .secretGeneric:
            if name.isEmpty { return fail("name must be specified") }
            if !flags.fromEnvFiles.isEmpty, !flags.fromFiles.isEmpty || !flags.fromLiterals.isEmpty {
                return fail("from-env-file cannot be combined with from-file or from-literal")
            }
            if let refusal = fileSourceRefusal(flags) { return .failure(refusal) }
            return generator == .configMap
                ? generateConfigMap(name: name, namespace: namespace, flags)
                : generateSecret(name: name, namespace: namespace, flags)
        case .secretDockerRegistry:
            let username = flags.dockerUsername ?? "", password = flags.dockerPassword ?? ""
            let server = flags.dockerServer ?? Self.dockerHubServer
            if name.isEmpty { return fail("name must be specified") }
            if v36, flags.fromFiles.isEmpty, username.isEmpty || password.isEmpty || server.isEmpty {
                return fail("either --from-file or the combination of --docker-username, --docker-password and --docker-server is required")
            }
            if let refusal = fileSourceRefusal(flags) { return .failure(refusal) }
            let dockerConfig = dockerConfigJSON(username: username, password: password, email: flags.dockerEmail ?? "",
                                                server: server)
            let data: JSONObject = [".dockerconfigjson": .string(Base64.encode(dockerConfig))]
            let type = "kubernetes.io/dockerconfigjson"
            let hashed = flags.appendHash ? name + "-" + contentHash(kind: "Secret", name: name, data: data, type: type) : name
            var object = secretHeader(name: hashed, namespace: namespace)
            object["data"] = .object(data)
            object["type"] = .string(type)
            return .success(.object(object))
        case .priorityClass:
            var object = JSONObject()
            object["kind"] = "PriorityClass"
            object["apiVersion"] = "scheduling.k8s.io/v1"
            object["metadata"] = generatedMetadata(name: name, namespace: namespace)
            object["value"] = .int(Int(flags.priorityValue.flatMap { try? Self.goInt32($0).get() } ?? 0))
            if flags.globalDefault.flatMap(KubectlFlags.goBool) == true { object["globalDefault"] = true }
            if let description = flags.description, !description.isEmpty { object["description"] = .string(description) }
            // A pointer to the flag's value: set even when empty. 1.36's flag defaults to
            // PreemptLowerPriority; 1.18's to "".
            object["preemptionPolicy"] = .string(flags.preemptionPolicy ?? (v36 ? "PreemptLowerPriority" : ""))
            return .success(.object(object))
        case .podDisruptionBudget:
            return generatePodDisruptionBudget(name: name, namespace: namespace, flags)
        }
    }

    /// The Docker Hub registry `--docker-server` defaults to.
    static let dockerHubServer = "https://index.docker.io/v1/"

    /// `--from-file`, `--from-env-file` name files on the machine kubectl runs on.
    private func fileSourceRefusal(_ flags: KubectlFlags) -> KubectlFailure? {
        let flag = !flags.fromFiles.isEmpty ? "--from-file" : !flags.fromEnvFiles.isEmpty ? "--from-env-file" : nil
        guard let flag else { return nil }
        return KubectlFailure("error: kubesim has no file system to read \(flag) from; give the data with "
            + "--from-literal=KEY=VALUE, or apply a manifest with \"kubectl create -f -\"")
    }

    /// `--append-hash`'s suffix (`hash.ConfigMapHash`, `hash.SecretHash`): `json.Marshal` of
    /// a map of the data, kind, name (and a Secret's type, empty or not), keys sorted; its
    /// SHA-256 in hex, the first ten digits with the vowel-like ones swapped for consonants.
    func contentHash(kind: String, name: String, data: JSONObject, type: String?) -> String {
        let members = data.map { goJSONString($0.key) + ":" + goJSONString($0.value.string ?? "") }
        var text = "{\"data\":{" + members.joined(separator: ",") + "},\"kind\":" + goJSONString(kind)
            + ",\"name\":" + goJSONString(name)
        if let type { text += ",\"type\":" + goJSONString(type) }
        text += "}"
        let swaps: [Character: Character] = ["0": "g", "1": "h", "3": "k", "a": "m", "e": "t"]
        return String(SHA256.hexDigest(Array(text.utf8)).prefix(10).map { swaps[$0] ?? $0 })
    }

    /// ObjectMeta as the generators fill it: the name, the namespace `-n` gave (on a dry
    /// run), the zero creationTimestamp (null until 1.34's omitzero left it out), labels and
    /// annotations (Go maps: keys sorted).
    func generatedMetadata(name: String?, namespace: String? = nil, labels: JSONObject = [:],
                           annotations: JSONObject = [:]) -> JSON
    {
        var metadata = JSONObject()
        if let name { metadata["name"] = .string(name) }
        if let namespace { metadata["namespace"] = .string(namespace) }
        if config.version == .v1_18 { metadata.append(key: "creationTimestamp", value: .null) }
        if !labels.isEmpty { metadata["labels"] = Self.sortedKeys(.object(labels)) }
        if !annotations.isEmpty { metadata["annotations"] = Self.sortedKeys(.object(annotations)) }
        return .object(metadata)
    }

    /// `app: NAME` on the Deployment, its selector and its pod template; a container per
    /// image, named after it; 1.36's replicas, port and command.
    private func generateDeployment(name: String, namespace: String?, command: [String], _ flags: KubectlFlags) -> JSON {
        let v36 = config.version == .v1_36
        let labels: JSONObject = ["app": .string(name)]
        var containers: [JSON] = []
        for image in flags.images {
            var container = JSONObject()
            container["name"] = .string(containerName(forImage: image))
            container["image"] = .string(image)
            if v36, !command.isEmpty { container["command"] = .array(command.map(JSON.string)) }
            // 1.36 exposes --port (default -1: none) on the first container only.
            if v36, containers.isEmpty, let port = flags.port.flatMap({ try? Self.goInt32($0).get() }), port >= 0 {
                container["ports"] = [["containerPort": .int(Int(port))]]
            }
            container.append(key: "resources", value: .emptyObject)
            containers.append(.object(container))
        }
        var template = JSONObject()
        template["metadata"] = generatedMetadata(name: nil, labels: labels)
        template["spec"] = ["containers": .array(containers)]

        var spec = JSONObject()
        spec["replicas"] = .int(v36 ? flags.replicas ?? 1 : 1)
        spec["selector"] = ["matchLabels": .object(labels)]
        spec["template"] = .object(template)
        spec.append(key: "strategy", value: .emptyObject)

        var object = JSONObject()
        object["kind"] = "Deployment"
        object["apiVersion"] = "apps/v1"
        object["metadata"] = generatedMetadata(name: name, namespace: namespace, labels: labels)
        object["spec"] = .object(spec)
        object.append(key: "status", value: .emptyObject)
        return .object(object)
    }

    /// The image's last path component without tag or digest; one with `.` or `_` (not a DNS
    /// label) has them made dashes and a random suffix added (`sanitizeAndUniquify`).
    private func containerName(forImage image: String) -> String {
        var name = image.split(separator: "/", omittingEmptySubsequences: false).last.map(String.init) ?? image
        if let colon = name.firstIndex(of: ":") { name = String(name[..<colon]) }
        if let at = name.firstIndex(of: "@") { name = String(name[..<at]) }
        guard name.contains(where: { $0 == "_" || $0 == "." }) else { return name }
        let alphabet = Array("bcdfghjklmnpqrstvwxz2456789")
        let suffix = String((0..<5).map { _ in alphabet[kubectlRandom.int(below: alphabet.count)] })
        return String(name.map { $0 == "_" || $0 == "." ? "-" : $0 }) + "-" + suffix
    }

    /// `--from-literal=KEY=VALUE` pairs (`util.ParseLiteralSource`: split at the first `=`),
    /// each key checked as `IsConfigMapKey` and against the keys before it.
    private func literalPairs(_ sources: [String], duplicate: (String) -> String,
                              invalid: (String, [String]) -> String) -> Result<[(String, String)], KubectlFailure>
    {
        var pairs: [(String, String)] = []
        for source in sources {
            guard let eq = source.firstIndex(of: "="), eq != source.startIndex else {
                return .failure(KubectlFailure("error: invalid literal source \(source), expected key=value"))
            }
            let key = String(source[..<eq]), value = String(source[source.index(after: eq)...])
            let errors = NameRules.configMapKey(key)
            if !errors.isEmpty { return .failure(KubectlFailure("error: " + invalid(key, errors))) }
            if pairs.contains(where: { $0.0 == key }) { return .failure(KubectlFailure("error: " + duplicate(key))) }
            pairs.append((key, value))
        }
        return .success(pairs)
    }

    private func generateConfigMap(name: String, namespace: String?, _ flags: KubectlFlags) -> Result<JSON, KubectlFailure> {
        let v36 = config.version == .v1_36
        let pairs = literalPairs(flags.fromLiterals, duplicate: {
            "cannot add key \(GoValue.goQuote($0)), another key by that name already exists in Data for ConfigMap \(GoValue.goQuote(name))"
        }, invalid: { key, errors in
            "\(GoValue.goQuote(key)) is not a valid key name for a ConfigMap: " + errors.joined(separator: v36 ? "," : ";")
        })
        return pairs.map { pairs in
            var data = JSONObject()
            for (key, value) in pairs { data[key] = .string(value) }
            // A Go map: keys sorted.
            data = Self.sortedKeys(.object(data)).object ?? data
            let hashed = flags.appendHash ? name + "-" + contentHash(kind: "ConfigMap", name: name, data: data, type: nil) : name
            var object = JSONObject()
            object["kind"] = "ConfigMap"
            object["apiVersion"] = "v1"
            object["metadata"] = generatedMetadata(name: hashed, namespace: namespace)
            // An empty map is left out (omitempty).
            if !data.isEmpty { object["data"] = .object(data) }
            return .object(object)
        }
    }

    /// kind, apiVersion and metadata: the start of every Secret built here.
    private func secretHeader(name: String, namespace: String?) -> JSONObject {
        var object = JSONObject()
        object["kind"] = "Secret"
        object["apiVersion"] = "v1"
        object["metadata"] = generatedMetadata(name: name, namespace: namespace)
        return object
    }

    private func generateSecret(name: String, namespace: String?, _ flags: KubectlFlags) -> Result<JSON, KubectlFailure> {
        let v36 = config.version == .v1_36
        let pairs = literalPairs(flags.fromLiterals, duplicate: {
            "cannot add key \($0), another key by that name already exists"
        }, invalid: { key, errors in
            // 1.36 lost the "a" and the colon.
            "\(GoValue.goQuote(key)) is not \(v36 ? "valid key name for a Secret " : "a valid key name for a Secret: ")"
                + errors.joined(separator: ";")
        })
        return pairs.map { pairs in
            var data = JSONObject()
            // []byte values: base64 in JSON.
            for (key, value) in pairs { data[key] = .string(Base64.encode(Array(value.utf8))) }
            data = Self.sortedKeys(.object(data)).object ?? data
            let type = flags.type ?? ""
            let hashed = flags.appendHash ? name + "-" + contentHash(kind: "Secret", name: name, data: data, type: type) : name
            var object = secretHeader(name: hashed, namespace: namespace)
            if !data.isEmpty { object["data"] = .object(data) }
            if !type.isEmpty { object["type"] = .string(type) }
            return .object(object)
        }
    }

    /// `handleDockerCfgJSONContent`: `json.Marshal` of `{"auths": {SERVER: entry}}`, the
    /// entry's empty members left out and `auth` the base64 of `username:password`.
    private func dockerConfigJSON(username: String, password: String, email: String, server: String) -> [UInt8] {
        let auth = Base64.encode(Array((username + ":" + password).utf8))
        var entry: [String] = []
        for (key, value) in [("username", username), ("password", password), ("email", email), ("auth", auth)]
        where !value.isEmpty {
            entry.append(goJSONString(key) + ":" + goJSONString(value))
        }
        return Array(("{\"auths\":{" + goJSONString(server) + ":{" + entry.joined(separator: ",") + "}}}").utf8)
    }

    /// A string as Go's `json.Marshal` writes it (HTML-safe); the Go that built kubectl 1.18
    /// wrote backspace and form feed as `\u0008` and `\u000c`, later ones as `\b` and `\f`.
    private func goJSONString(_ s: String) -> String {
        var out: [UInt8] = []
        JSON.writeHTMLSafeString(s, to: &out, shortControlEscapes: config.version == .v1_36)
        return String(decoding: out, as: UTF8.self)
    }

    /// A selector (`metav1.ParseToLabelSelector`) and the one of `--min-available` or
    /// `--max-unavailable` given, as an IntOrString (`intstr.Parse`). 1.18 builds
    /// policy/v1beta1, 1.36 policy/v1.
    private func generatePodDisruptionBudget(name: String, namespace: String?,
                                             _ flags: KubectlFlags) -> Result<JSON, KubectlFailure>
    {
        let v36 = config.version == .v1_36
        let selectorText = flags.labelSelector ?? ""
        let minAvailable = flags.minAvailable ?? "", maxUnavailable = flags.maxUnavailable ?? ""
        func fail(_ message: String) -> Result<JSON, KubectlFailure> { .failure(KubectlFailure("error: " + message)) }
        if name.isEmpty { return fail("name must be specified") }
        if selectorText.isEmpty { return fail("a selector must be specified") }
        if minAvailable.isEmpty, maxUnavailable.isEmpty { return fail("one of min-available or max-unavailable must be specified") }
        if !minAvailable.isEmpty, !maxUnavailable.isEmpty { return fail("min-available and max-unavailable cannot be both specified") }
        if v36 {
            // `^[0-9]+%?$`: a count or a percentage.
            func wellFormed(_ s: String) -> Bool {
                let digits = s.hasSuffix("%") ? s.dropLast() : Substring(s)
                return !digits.isEmpty && digits.allSatisfy { $0.isASCII && $0.isNumber }
            }
            if !minAvailable.isEmpty, !wellFormed(minAvailable) { return fail("invalid format specified for min-available") }
            if !maxUnavailable.isEmpty, !wellFormed(maxUnavailable) { return fail("invalid format specified for max-unavailable") }
        }

        let selector: LabelSelector
        do {
            selector = try LabelSelector.parse(selectorText, version: config.version)
        } catch {
            return fail("couldn't parse the selector string \"\(selectorText)\": \(error.message)")
        }
        var matchLabels = JSONObject()
        var expressions: [JSON] = []
        for requirement in selector.requirements {
            let op: String
            switch requirement.op {
            case .equals, .doubleEquals:
                matchLabels[requirement.key] = .string(requirement.values.first ?? "")
                continue
            case .in_: op = "In"
            case .notIn: op = "NotIn"
            case .exists: op = "Exists"
            case .doesNotExist: op = "DoesNotExist"
            case .greaterThan, .lessThan: return fail("\"\(requirement.op.rawValue)\" isn't supported in label selectors")
            case .notEquals: return fail("\"!=\" is not a valid label selector operator")
            }
            var expression: JSONObject = ["key": .string(requirement.key), "operator": .string(op)]
            if !requirement.values.isEmpty { expression["values"] = .array(requirement.values.map(JSON.string)) }
            expressions.append(.object(expression))
        }
        var selectorJSON = JSONObject()
        if !matchLabels.isEmpty { selectorJSON["matchLabels"] = Self.sortedKeys(.object(matchLabels)) }
        if !expressions.isEmpty { selectorJSON["matchExpressions"] = .array(expressions) }

        var spec = JSONObject()
        if !minAvailable.isEmpty { spec["minAvailable"] = Self.intOrString(minAvailable, v36) }
        spec["selector"] = .object(selectorJSON)
        if !maxUnavailable.isEmpty { spec["maxUnavailable"] = Self.intOrString(maxUnavailable, v36) }

        var object = JSONObject()
        object["kind"] = "PodDisruptionBudget"
        object["apiVersion"] = v36 ? "policy/v1" : "policy/v1beta1"
        object["metadata"] = generatedMetadata(name: name, namespace: namespace)
        object["spec"] = .object(spec)
        // The status's counts are not omitempty: a zero status prints them.
        object["status"] = ["disruptionsAllowed": 0, "currentHealthy": 0, "desiredHealthy": 0, "expectedPods": 0]
        return .success(.object(object))
    }

    /// `intstr.Parse`: an integer when the text is one (1.18's Atoi truncated to 32 bits,
    /// 1.36's ParseInt keeping a 32-bit overflow as text), else the text.
    static func intOrString(_ text: String, _ v36: Bool) -> JSON {
        let digits = text.hasPrefix("+") || text.hasPrefix("-") ? text.dropFirst() : Substring(text)
        guard !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isNumber }) else { return .string(text) }
        if v36 {
            guard let n = Int32(text.hasPrefix("+") ? String(text.dropFirst()) : text) else { return .string(text) }
            return .int(Int(n))
        }
        guard let n = Int64(text.hasPrefix("+") ? String(text.dropFirst()) : text) else { return .string(text) }
        return .int(Int(Int32(truncatingIfNeeded: n)))
    }
}
