/// `kubectl run NAME --image=IMAGE`: one Pod, as kubectl's `run-pod/v1` generator builds it
/// (`KK:staging/src/k8s.io/kubectl/pkg/cmd/run/run.go`, `pkg/generate/versioned/run.go`),
/// created through the API server, with `--dry-run=client` only printed, with
/// `--dry-run=server` dry-run by the API server.
///
/// Attaching (`-i`, `-t`, `--attach`, `--rm`) needs a terminal and a container process,
/// `--expose` a Service generator and `--overrides` a strategic merge: kubesim has none of
/// them and says so.
extension Cluster {
    func kubectlRun(_ flags: KubectlFlags, _ out: inout KubectlOutput) {
        let usage = "\nSee 'kubectl run -h' for help and examples"
        guard let name = flags.positional.first, flags.argsLenAtDash != 0 else {
            out.fail("error: NAME is required for run" + usage)
            return
        }
        // Flags only one of the two releases has.
        let v36 = config.version == .v1_36
        let absent: [(String, Bool)] = v36
            ? [("--requests", flags.requests != nil), ("--limits", flags.limits != nil),
               ("--serviceaccount", flags.serviceAccount != nil), ("--hostport", flags.hostPort != nil)]
            : [("--annotations", !flags.annotationPairs.isEmpty), ("--privileged", flags.privileged)]
        if let (flag, _) = absent.first(where: \.1) {
            out.fail("error: unknown flag: \(flag)")
            return
        }
        if !v36, let hostPort = flags.hostPort, Int(hostPort) == nil {
            out.fail("error: invalid argument \(GoValue.goQuote(hostPort)) for \"--hostport\" flag: "
                + "strconv.ParseInt: parsing \(GoValue.goQuote(hostPort)): invalid syntax")
            return
        }
        guard let image = flags.image, !image.isEmpty else {
            out.fail("error: --image is required")
            return
        }
        guard Self.isImageReference(image) else {
            out.fail("error: Invalid image name \"\(image)\": invalid reference format")
            return
        }
        if let flag = flags.unsupported {
            out.fail("error: kubesim does not support \(flag) for run: there is no terminal or container process to attach to, "
                + "and no generator for services or overrides")
            return
        }
        let restart = (flags.restart ?? "").isEmpty ? "Always" : flags.restart ?? "Always"
        guard ["Always", "OnFailure", "Never"].contains(restart) else {
            out.fail("error: invalid restart policy: \(restart)" + usage)
            return
        }
        let pullPolicy = flags.imagePullPolicy ?? ""
        guard ["", "Always", "IfNotPresent", "Never"].contains(pullPolicy) else {
            out.fail("error: invalid image pull policy: \(pullPolicy)" + usage)
            return
        }
        guard let dryRun = out.success(flags.dryRunStrategy()) else { return }
        guard let output = out.success(printFlagsOutput(flags)) else { return }

        let pod: JSON
        switch generatePod(name: name, image: image, restart: restart, pullPolicy: pullPolicy, flags) {
        case .failure(let failure):
            out.fail(failure.message)
            return
        case .success(let generated): pod = generated
        }
        guard dryRun != .client else {
            printGenerated(pod, kind: "pod", dryRun: .client, output: output, &out)
            return
        }
        switch request(.create, "pods", namespace: flags.namespace, body: pod, configure: { $0.dryRun = dryRun == .server }) {
        case .failure(let e): out.fail(e.kubectlMessage)
        case .success(let created): printGenerated(created, kind: "pod", dryRun: dryRun, output: output, &out)
        }
    }

    /// `BasicPod.Generate`: members in the order the Go structs encode them.
    private func generatePod(name: String, image: String, restart: String, pullPolicy: String,
                             _ flags: KubectlFlags) -> Result<JSON, KubectlFailure>
    {
        let v36 = config.version == .v1_36
        let args = Array(flags.positional.dropFirst())

        var env: [JSON] = []
        for spec in flags.env {
            // parseEnvs: NAME=value, the name as IsEnvVarName (strict in every release).
            guard let eq = spec.firstIndex(of: "="), eq != spec.startIndex,
                  NameRules.envVarName(String(spec[..<eq]), .of(.v1_18)).isEmpty else {
                return .failure(KubectlFailure("error: invalid env: \(spec)"))
            }
            env.append(["name": .string(String(spec[..<eq])), "value": .string(String(spec[spec.index(after: eq)...]))])
        }

        var labels = JSONObject()
        if let spec = flags.labels ?? flags.labelSelector, !spec.isEmpty {
            // generate.ParseLabels: k=v pairs, a later key replacing an earlier one.
            for pair in spec.split(separator: ",", omittingEmptySubsequences: false) {
                let parts = pair.split(separator: "=", omittingEmptySubsequences: false)
                guard parts.count == 2 else { return .failure(KubectlFailure("error: unexpected label spec: \(pair)")) }
                guard !parts[0].isEmpty else { return .failure(KubectlFailure("error: unexpected empty label key")) }
                labels[String(parts[0])] = .string(String(parts[1]))
            }
        } else {
            labels["run"] = .string(name)
        }

        // cmdutil.ParsePairs: key=value (the value may be empty), every bad one named.
        var annotations = JSONObject()
        var invalid: [String] = []
        for pair in flags.annotationPairs {
            guard let eq = pair.firstIndex(of: "="), eq != pair.startIndex else {
                invalid.append(pair)
                continue
            }
            annotations[String(pair[..<eq])] = .string(String(pair[pair.index(after: eq)...]))
        }
        if !invalid.isEmpty {
            return .failure(KubectlFailure("error: invalid annotations format: \(invalid.joined(separator: ", "))"))
        }

        var resources = JSONObject()
        if !v36 {
            for (field, spec) in [("limits", flags.limits), ("requests", flags.requests)] {
                guard let spec, !spec.isEmpty else { continue }
                var list = JSONObject()
                for statement in spec.split(separator: ",", omittingEmptySubsequences: false) {
                    let parts = statement.split(separator: "=", omittingEmptySubsequences: false)
                    guard parts.count == 2 else {
                        return .failure(KubectlFailure("error: Invalid argument syntax \(statement), expected <resource>=<value>"))
                    }
                    switch Quantity.parseResult(String(parts[1])) {
                    case .failure(let e): return .failure(KubectlFailure("error: \(e.message)"))
                    case .success(let q): list[String(parts[0])] = .string(q.description)
                    }
                }
                // A ResourceList is a Go map: its keys encode sorted.
                resources[field] = Self.sortedKeys(.object(list))
            }
        }

        var ports: [JSON] = []
        if let port = flags.port, !port.isEmpty {
            guard let number = Int32(port) else {
                return .failure(KubectlFailure("error: strconv.Atoi: parsing \(GoValue.goQuote(port)): invalid syntax"))
            }
            // ContainerPort's field order: hostPort, then containerPort.
            var entry = JSONObject()
            if let hostPort = flags.hostPort, !v36, let h = Int32(hostPort), h > 0 { entry["hostPort"] = .int(Int(h)) }
            entry["containerPort"] = .int(Int(number))
            ports.append(.object(entry))
        } else if let hostPort = flags.hostPort, !v36, (Int(hostPort) ?? -1) > 0 {
            return .failure(KubectlFailure("error: --hostport requires --port to be specified"))
        }

        var container = JSONObject()
        container["name"] = .string(name)
        container["image"] = .string(image)
        if !args.isEmpty { container[flags.useCommand ? "command" : "args"] = .array(args.map(JSON.string)) }
        if !ports.isEmpty { container["ports"] = .array(ports) }
        if !env.isEmpty { container["env"] = .array(env) }
        container.append(key: "resources", value: .object(resources))
        if !pullPolicy.isEmpty { container["imagePullPolicy"] = .string(pullPolicy) }
        if v36, flags.privileged { container["securityContext"] = ["privileged": true] }

        var spec = JSONObject()
        spec["containers"] = [.object(container)]
        spec["restartPolicy"] = .string(restart)
        spec["dnsPolicy"] = "ClusterFirst"
        if let account = flags.serviceAccount, !account.isEmpty, !v36 { spec["serviceAccountName"] = .string(account) }

        var pod = JSONObject()
        pod["kind"] = "Pod"
        pod["apiVersion"] = "v1"
        pod["metadata"] = generatedMetadata(name: name, labels: labels, annotations: annotations)
        pod["spec"] = .object(spec)
        pod.append(key: "status", value: .emptyObject)
        return .success(.object(pod))
    }

    /// Whether `reference.ReferenceRegexp` (docker/distribution) matches `image`:
    /// `[domain[:port]/]path[/path…][:tag][@digest]`, path components lowercase.
    /// (IPv6 registry addresses, which later releases of the pattern accept, are not.)
    static func isImageReference(_ image: String) -> Bool {
        var rest = Substring(image)
        if let at = rest.firstIndex(of: "@") {
            let digest = rest[rest.index(after: at)...]
            rest = rest[..<at]
            guard let colon = digest.firstIndex(of: ":") else { return false }
            let algorithm = digest[..<colon], hex = digest[digest.index(after: colon)...]
            // `[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}`
            let components = algorithm.split(omittingEmptySubsequences: false) { "-_+.".contains($0) }
            guard components.allSatisfy({ c in
                      guard let first = c.first, first.isASCII, first.isLetter else { return false }
                      return c.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber) }
                  }),
                  hex.count >= 32, hex.allSatisfy({ $0.isASCII && $0.isHexDigit }) else { return false }
        }
        var components = rest.split(separator: "/", omittingEmptySubsequences: false)
        guard var last = components.popLast() else { return false }
        if let colon = last.lastIndex(of: ":") {
            let tag = last[last.index(after: colon)...]
            last = last[..<colon]
            guard let first = tag.first, first.isASCII, first.isLetter || first.isNumber || first == "_", tag.count <= 128,
                  tag.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "_.-".contains($0)) }) else { return false }
        }
        components.append(last)
        // The pattern lets the first of several components be a registry's domain (with a
        // port) where it is not a path component.
        if components.count > 1, let first = components.first, !isPathComponent(first) {
            let parts = first.split(separator: ":", omittingEmptySubsequences: false)
            guard parts.count <= 2,
                  parts.count == 1 || (!parts[1].isEmpty && parts[1].allSatisfy { $0.isASCII && $0.isNumber }),
                  parts[0].split(separator: ".", omittingEmptySubsequences: false).allSatisfy(isDomainComponent)
            else { return false }
            components.removeFirst()
        }
        return components.allSatisfy(isPathComponent)
    }

    /// `[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]`.
    private static func isDomainComponent(_ s: Substring) -> Bool {
        guard let first = s.first, let last = s.last else { return false }
        func alnum(_ c: Character) -> Bool { c.isASCII && (c.isLetter || c.isNumber) }
        return alnum(first) && alnum(last) && s.allSatisfy { alnum($0) || $0 == "-" }
    }

    /// `[a-z0-9]+(?:(?:[._]|__|[-]*)[a-z0-9]+)*`: lowercase runs joined by `.`, `_`, `__` or
    /// dashes.
    private static func isPathComponent(_ s: Substring) -> Bool {
        func alnum(_ c: Character) -> Bool { c.isASCII && (c.isLowercase || c.isNumber) }
        guard let first = s.first, let last = s.last, alnum(first), alnum(last) else { return false }
        var separator = ""
        for c in s {
            if alnum(c) {
                guard separator.isEmpty || separator == "." || separator == "_" || separator == "__"
                    || separator.allSatisfy({ $0 == "-" }) else { return false }
                separator = ""
            } else if "._-".contains(c) {
                separator.append(c)
            } else {
                return false
            }
        }
        return true
    }
}

