
/// The other core kinds kubesim serves: Namespace, Node, ConfigMap, Secret, Service
/// (`pkg/apis/core/validation`), Lease (`pkg/apis/coordination/validation`) and Event
/// (`pkg/apis/core/validation/events.go`).
extension ObjectValidator {
    /// ConfigMap and Secret payloads are limited to 1 MiB (`core.MaxSecretSize`).
    static let maxSecretSize = 1024 * 1024

    // MARK: - Namespace

    func validateNamespace(_ ns: JSON) -> [FieldError] {
        var errs = validateObjectMeta(ns["metadata"], nameKind: .dnsLabel)
        let path = FieldPath("spec").child("finalizers")
        for name in Self.array(ns["spec", "finalizers"]).map(Self.string) {
            errs += errors(NameRules.labelKey(name, wording), path, name)
            errs += kubeFinalizerName(name, path)
        }
        return errs
    }

    func validateNamespaceUpdate(_ new: JSON, _ old: JSON) -> [FieldError] {
        validateObjectMetaUpdate(new["metadata"], old["metadata"])
    }

    // MARK: - Node

    func validateNode(_ node: JSON) -> [FieldError] {
        var errs = validateObjectMeta(node["metadata"], nameKind: .dnsSubdomain)
        // Upstream reports taints under metadata (ValidateNode passes the metadata path).
        errs += validateNodeTaints(node["spec", "taints"], FieldPath("metadata").child("taints"))
        errs += validateNodeResources(node)
        let cidrs = Self.array(node["spec", "podCIDRs"]).map(Self.string)
        let path = FieldPath("spec").child("podCIDRs")
        for (i, cidr) in cidrs.enumerated() { errs += validateCIDR(cidr, path.index(i)) }
        if cidrs.count > 1 {
            let families = cidrs.map { $0.contains(":") }
            if cidrs.count > 2 || families[0] == families[1] {
                errs.append(invalid(path, node["spec", "podCIDRs"], "may specify no more than one CIDR for each IP family"))
            }
            var seen = Set<String>()
            for (i, cidr) in cidrs.enumerated() where !seen.insert(cidr).inserted {
                errs.append(duplicate(path.index(i), .string(cidr)))
            }
        }
        return errs
    }

    /// `ValidateNodeUpdate`. `checkAddresses` adds its check for duplicate status addresses,
    /// which only a status write can introduce (other updates keep the stored status).
    func validateNodeUpdate(_ new: JSON, _ old: JSON, checkAddresses: Bool = false) -> [FieldError] {
        var errs = validateObjectMetaUpdate(new["metadata"], old["metadata"])
        errs += validateNodeResources(new)
        if checkAddresses { errs += validateNodeAddresses(new["status", "addresses"]) }
        let oldCIDRs = Self.array(old["spec", "podCIDRs"]).map(Self.string)
        let newCIDRs = Self.array(new["spec", "podCIDRs"]).map(Self.string)
        if !oldCIDRs.isEmpty, oldCIDRs != newCIDRs {
            errs.append(forbidden(FieldPath("spec").child("podCIDRs"),
                                  "node updates may not change podCIDR except from \"\" to valid"))
        }
        let oldProvider = Self.string(old["spec", "providerID"])
        if !oldProvider.isEmpty, oldProvider != Self.string(new["spec", "providerID"]) {
            errs.append(forbidden(FieldPath("spec").child("providerID"),
                                  "node updates may not change providerID except from \"\" to valid"))
        }
        errs += validateNodeTaints(new["spec", "taints"], FieldPath("metadata").child("taints"))
        return errs
    }

    /// No address twice (same type and address); the internal `core.NodeAddress` has no JSON
    /// tags, so upstream prints its Go field names.
    private func validateNodeAddresses(_ addresses: JSON) -> [FieldError] {
        var errs: [FieldError] = []
        var seen = Set<String>()
        for (i, address) in Self.array(addresses).enumerated() {
            let type = Self.string(address["type"])
            let value = Self.string(address["address"])
            if !seen.insert(type + "\u{0}" + value).inserted {
                errs.append(duplicate(FieldPath("status").child("addresses").index(i), .other(
                    json: ["Type": .string(type), "Address": .string(value)],
                    go: "core.NodeAddress{Type:\(GoValue.goQuote(type)), Address:\(GoValue.goQuote(value))}")))
            }
        }
        return errs
    }

    /// `validateNodeTaints`: keys, values, effects, and one taint per key and effect.
    private func validateNodeTaints(_ taints: JSON, _ path: FieldPath) -> [FieldError] {
        var errs: [FieldError] = []
        var seen = Set<String>()
        for (i, t) in Self.array(taints).enumerated() {
            let p = path.index(i)
            let key = Self.string(t["key"])
            let value = Self.string(t["value"])
            let effect = Self.string(t["effect"])
            errs += validateLabelName(key, p.child("key"))
            let messages = NameRules.labelValue(value, wording)
            if !messages.isEmpty { errs.append(invalid(p.child("value"), .string(value), messages.joined(separator: ";"))) }
            errs += validateTaintEffect(effect, allowEmpty: false, p.child("effect"))
            if !seen.insert(effect + "\u{0}" + key).inserted {
                // The internal core.Taint has no JSON tags; upstream prints its Go field names.
                var json = JSONObject()
                json["Key"] = .string(key)
                json["Value"] = .string(value)
                json["Effect"] = .string(effect)
                json["TimeAdded"] = t["timeAdded"]
                var e = duplicate(p, .object(json))
                if wording.goSyntaxValues {
                    e.value = nil
                    e.detail = "core.Taint{Key:\(GoValue.goQuote(key)), Value:\(GoValue.goQuote(value)), Effect:"
                        + "\(GoValue.goQuote(effect)), TimeAdded:(*v1.Time)(nil)}: "
                }
                e.detail += "taints must be unique by key and effect pair"
                errs.append(e)
            }
        }
        return errs
    }

    /// `ValidateNodeResources`: capacity and allocatable quantities.
    private func validateNodeResources(_ node: JSON) -> [FieldError] {
        var errs: [FieldError] = []
        for list in ["capacity", "allocatable"] {
            guard case .object(let members) = node["status", list] else { continue }
            for (name, value) in members {
                // A whole amount, as nodes report them, is neither negative nor fractional:
                // nothing to parse for a check it cannot fail.
                if let text = value.string, let milli = Quantity.simpleMilliValue(text), milli % 1000 == 0 { continue }
                errs += validateResourceQuantity(name, Quantity(json: value), FieldPath("status").child(list, name))
            }
        }
        return errs
    }

    // MARK: - ConfigMap

    func validateConfigMap(_ cm: JSON) -> [FieldError] {
        var errs = validateObjectMeta(cm["metadata"], nameKind: .dnsSubdomain)
        var total = 0
        let binary = cm["binaryData"].object
        for (key, value) in cm["data"].object ?? [:] {
            errs += errors(NameRules.configMapKey(key), FieldPath("data").key(key), key)
            if binary?[key] != nil {
                errs.append(invalid(FieldPath("data").key(key), .string(key), "duplicate of key present in binaryData"))
            }
            total &+= Self.string(value).utf8.count
        }
        for (key, value) in binary ?? [:] {
            errs += errors(NameRules.configMapKey(key), FieldPath("binaryData").key(key), key)
            if case .success(let bytes) = Base64.decode(Self.string(value)) { total &+= bytes.count }
        }
        // Upstream passes an empty path: the error refers to the whole object.
        if total > Self.maxSecretSize { errs.append(tooLong(FieldPath(""), Self.maxSecretSize)) }
        return errs
    }

    func validateConfigMapUpdate(_ new: JSON, _ old: JSON) -> [FieldError] {
        var errs = validateObjectMetaUpdate(new["metadata"], old["metadata"])
        errs += immutableData(new, old, fields: ["data", "binaryData"])
        return errs + validateConfigMap(new)
    }

    /// Objects created `immutable: true` keep that and their data.
    private func immutableData(_ new: JSON, _ old: JSON, fields: [String]) -> [FieldError] {
        guard old["immutable"].bool == true else { return [] }
        var errs: [FieldError] = []
        if new["immutable"].bool != true {
            errs.append(forbidden(FieldPath("immutable"), "field is immutable when `immutable` is set"))
        }
        for field in fields where Self.comparable(new[field]) != Self.comparable(old[field]) {
            errs.append(forbidden(FieldPath(field), "field is immutable when `immutable` is set"))
        }
        return errs
    }

    // MARK: - Secret

    func validateSecret(_ secret: JSON) -> [FieldError] {
        var errs = validateObjectMeta(secret["metadata"], nameKind: .dnsSubdomain)
        let data = FieldPath("data")
        var total = 0
        var sizes: [String: Int] = [:]
        for (key, value) in secret["data"].object ?? [:] {
            errs += errors(NameRules.configMapKey(key), data.key(key), key)
            if case .success(let bytes) = Base64.decode(Self.string(value)) {
                total &+= bytes.count
                sizes[key] = bytes.count
            }
        }
        if total > Self.maxSecretSize { errs.append(tooLong(data, Self.maxSecretSize)) }
        let has: (String) -> Bool = { sizes[$0] != nil }
        switch Self.string(secret["type"]) {
        case "kubernetes.io/service-account-token":
            if Self.string(secret["metadata", "annotations", "kubernetes.io/service-account.name"]).isEmpty {
                errs.append(required(FieldPath("metadata").child("annotations").key("kubernetes.io/service-account.name")))
            }
        case "kubernetes.io/dockercfg":
            if !has(".dockercfg") { errs.append(required(data.key(".dockercfg"))) }
        case "kubernetes.io/dockerconfigjson":
            if !has(".dockerconfigjson") { errs.append(required(data.key(".dockerconfigjson"))) }
        case "kubernetes.io/basic-auth":
            if !has("username"), !has("password") {
                errs.append(required(data.key("username")))
                errs.append(required(data.key("password")))
            }
        case "kubernetes.io/ssh-auth":
            if (sizes["ssh-privatekey"] ?? 0) == 0 { errs.append(required(data.key("ssh-privatekey"))) }
        case "kubernetes.io/tls":
            if !has("tls.crt") { errs.append(required(data.key("tls.crt"))) }
            if !has("tls.key") { errs.append(required(data.key("tls.key"))) }
        default:
            break
        }
        return errs
    }

    func validateSecretUpdate(_ new: JSON, _ old: JSON) -> [FieldError] {
        var errs = validateObjectMetaUpdate(new["metadata"], old["metadata"])
        let type = Self.string(new["type"])
        if type != Self.string(old["type"]) { errs.append(invalid(FieldPath("type"), .string(type), "field is immutable")) }
        errs += immutableData(new, old, fields: ["data"])
        return errs + validateSecret(new)
    }

    // MARK: - Service

    static let serviceTypes = ["ClusterIP", "ExternalName", "LoadBalancer", "NodePort"]

    func validateService(_ svc: JSON) -> [FieldError] {
        var errs = validateObjectMeta(svc["metadata"], nameKind: .dns1035Label)
        let spec = svc["spec"]
        let sp = FieldPath("spec")
        let type = Self.string(spec["type"])
        let clusterIPs = Self.array(spec["clusterIPs"]).map(Self.string)
        let headless = clusterIPs == ["None"]
        let ports = Self.array(spec["ports"])
        if ports.isEmpty, !headless, type != "ExternalName" { errs.append(required(sp.child("ports"))) }
        switch type {
        case "LoadBalancer", "NodePort":
            if headless {
                errs.append(invalid(sp.child("clusterIPs").index(0), "None",
                                    "may not be set to 'None' for \(type) services"))
            }
        case "ExternalName":
            if !clusterIPs.isEmpty {
                errs.append(forbidden(sp.child("clusterIPs"), "may not be set for ExternalName services"))
            }
            if !Self.array(spec["ipFamilies"]).isEmpty {
                errs.append(forbidden(sp.child("ipFamilies"), "may not be set for ExternalName services"))
            }
            if !spec["ipFamilyPolicy"].isNull {
                errs.append(forbidden(sp.child("ipFamilyPolicy"), "may not be set for ExternalName services"))
            }
            var cname = Self.string(spec["externalName"])
            if cname.hasSuffix(".") { cname.removeLast() }
            if cname.isEmpty {
                errs.append(required(sp.child("externalName")))
            } else {
                errs += errors(NameRules.dns1123Subdomain(cname, wording), sp.child("externalName"), cname)
            }
        default:
            break
        }
        var names = Set<String>()
        for (i, port) in ports.enumerated() {
            errs += validateServicePort(port, requireName: ports.count > 1, names: &names, sp.child("ports").index(i))
        }
        if spec["selector"].object != nil { errs += validateLabels(spec["selector"], sp.child("selector")) }
        let affinity = Self.string(spec["sessionAffinity"])
        if affinity.isEmpty {
            errs.append(required(sp.child("sessionAffinity")))
        } else if affinity != "ClientIP", affinity != "None" {
            errs.append(unsupported(sp.child("sessionAffinity"), .string(affinity), ["ClientIP", "None"]))
        }
        if affinity == "ClientIP" {
            let timeout = spec["sessionAffinityConfig", "clientIP", "timeoutSeconds"]
            let cp = sp.child("sessionAffinityConfig")
            if spec["sessionAffinityConfig"].object == nil {
                errs.append(required(cp, "when session affinity type is ClientIP"))
            } else if spec["sessionAffinityConfig", "clientIP"].object == nil {
                errs.append(required(cp.child("clientIP"), "when session affinity type is ClientIP"))
            } else if let t = timeout.int {
                if t <= 0 || t > 86400 {
                    errs.append(invalid(cp.child("clientIP", "timeoutSeconds"), .int(t),
                                        "must be greater than 0 and less than 86400"))
                }
            } else {
                errs.append(required(cp.child("clientIP", "timeoutSeconds"), "when session affinity type is ClientIP"))
            }
        } else if affinity == "None", !spec["sessionAffinityConfig"].isNull {
            errs.append(forbidden(sp.child("sessionAffinityConfig"), "must not be set when session affinity is None"))
        }
        if type != "ExternalName" { errs += validateClusterIPs(spec, sp) }
        for (i, ip) in Self.array(spec["externalIPs"]).map(Self.string).enumerated() {
            errs += validateIP(ip, sp.child("externalIPs").index(i))
        }
        if type.isEmpty {
            errs.append(required(sp.child("type")))
        } else if !Self.serviceTypes.contains(type) {
            errs.append(unsupported(sp.child("type"), .string(type), Self.serviceTypes))
        }
        if type == "ClusterIP" {
            for (i, port) in ports.enumerated() where (port["nodePort"].int ?? 0) != 0 {
                errs.append(forbidden(sp.child("ports").index(i).child("nodePort"),
                                      "may not be used when `type` is 'ClusterIP'"))
            }
        }
        var nodePorts = Set<String>()
        for (i, port) in ports.enumerated() {
            let nodePort = port["nodePort"].int ?? 0
            if nodePort == 0 { continue }
            if !nodePorts.insert(Self.string(port["protocol"]) + "/\(nodePort)").inserted {
                errs.append(duplicate(sp.child("ports").index(i).child("nodePort"), .int(nodePort)))
            }
        }
        var seen = Set<String>()
        for (i, port) in ports.enumerated() {
            let proto = Self.string(port["protocol"])
            let number = port["port"].int ?? 0
            if !seen.insert(proto + "/\(number)").inserted {
                // The key is an internal core.ServicePort, printed with its Go field names.
                let json: JSON = .object(["Name": "", "Protocol": .string(proto), "AppProtocol": .null,
                                          "Port": .int(number), "TargetPort": 0, "NodePort": 0])
                errs.append(duplicate(sp.child("ports").index(i), json))
            }
        }
        if !spec["allocateLoadBalancerNodePorts"].isNull, type != "LoadBalancer" {
            errs.append(forbidden(sp.child("allocateLoadBalancerNodePorts"),
                                  "may only be used when `type` is 'LoadBalancer'"))
        }
        if type == "LoadBalancer", spec["allocateLoadBalancerNodePorts"].isNull {
            // Upstream's path omits "spec" here.
            errs.append(required(FieldPath("allocateLoadBalancerNodePorts")))
        }
        if !spec["loadBalancerClass"].isNull, type != "LoadBalancer" {
            errs.append(forbidden(sp.child("loadBalancerClass"), "may only be used when `type` is 'LoadBalancer'"))
        }
        errs += validateTrafficPolicies(spec, sp, type: type)
        return errs
    }

    private func validateServicePort(_ port: JSON, requireName: Bool, names: inout Set<String>,
                                     _ path: FieldPath) -> [FieldError]
    {
        var errs: [FieldError] = []
        let name = Self.string(port["name"])
        if requireName, name.isEmpty {
            errs.append(required(path.child("name")))
        } else if !name.isEmpty {
            errs += errors(NameRules.dns1123Label(name, wording), path.child("name"), name)
            if !names.insert(name).inserted { errs.append(duplicate(path.child("name"), .string(name))) }
        }
        let number = port["port"].int ?? 0
        for msg in NameRules.portNumber(number) { errs.append(invalid(path.child("port"), .int(number), msg)) }
        let proto = Self.string(port["protocol"])
        if proto.isEmpty {
            errs.append(required(path.child("protocol")))
        } else if !["SCTP", "TCP", "UDP"].contains(proto) {
            errs.append(unsupported(path.child("protocol"), .string(proto), ["SCTP", "TCP", "UDP"]))
        }
        errs += validatePortNumOrName(port["targetPort"], path.child("targetPort"))
        if let appProtocol = port["appProtocol"].string {
            errs += errors(NameRules.labelKey(appProtocol, wording), path.child("appProtocol"), appProtocol)
        }
        return errs
    }

    /// `ValidateServiceClusterIPsRelatedFields`.
    private func validateClusterIPs(_ spec: JSON, _ sp: FieldPath) -> [FieldError] {
        var errs: [FieldError] = []
        let clusterIP = Self.string(spec["clusterIP"])
        let ips = Self.array(spec["clusterIPs"]).map(Self.string)
        let ipsPath = sp.child("clusterIPs")
        if !clusterIP.isEmpty {
            if ips.isEmpty {
                errs.append(required(ipsPath))
            } else if ips[0] != clusterIP {
                errs.append(invalid(ipsPath, spec["clusterIPs"], "first value must match `clusterIP`"))
            }
        } else if !ips.isEmpty {
            errs.append(invalid(ipsPath, spec["clusterIPs"], "must be empty when `clusterIP` is not specified"))
        }
        var families = Set<String>()
        for (i, family) in Self.array(spec["ipFamilies"]).map(Self.string).enumerated() {
            if family != "IPv4", family != "IPv6" {
                errs.append(unsupported(sp.child("ipFamilies").index(i), .string(family), ["IPv4", "IPv6"]))
            }
            if !families.insert(family).inserted {
                errs.append(duplicate(sp.child("ipFamilies").index(i), .string(family)))
            }
        }
        if let policy = spec["ipFamilyPolicy"].string, !["PreferDualStack", "RequireDualStack",
                                                         "SingleStack"].contains(policy) {
            errs.append(unsupported(sp.child("ipFamilyPolicy"), .string(policy), ["PreferDualStack", "RequireDualStack",
                                                                                  "SingleStack"]))
        }
        for (i, ip) in ips.enumerated() {
            if i == 0, ip == "None" {
                if ips.count > 1 {
                    errs.append(invalid(ipsPath, spec["clusterIPs"], "'None' must be the first and only value"))
                }
                continue
            }
            errs += validateIP(ip, ipsPath.index(i))
        }
        if ips.count > 2 { errs.append(invalid(ipsPath, spec["clusterIPs"], "may only hold up to 2 values")) }
        return errs
    }

    private func validateTrafficPolicies(_ spec: JSON, _ sp: FieldPath, type: String) -> [FieldError] {
        var errs: [FieldError] = []
        let external = type == "NodePort" || type == "LoadBalancer" || !Self.array(spec["externalIPs"]).isEmpty
        let policy = Self.string(spec["externalTrafficPolicy"])
        if !external {
            if !policy.isEmpty {
                errs.append(invalid(sp.child("externalTrafficPolicy"), .string(policy),
                                    "may only be set for externally-accessible services"))
            }
        } else if policy.isEmpty {
            errs.append(required(sp.child("externalTrafficPolicy")))
        } else if policy != "Cluster", policy != "Local" {
            errs.append(unsupported(sp.child("externalTrafficPolicy"), .string(policy), ["Cluster", "Local"]))
        }
        let healthCheck = spec["healthCheckNodePort"].int ?? 0
        if type == "LoadBalancer", policy == "Local" {
            if healthCheck == 0 {
                errs.append(required(sp.child("healthCheckNodePort")))
            } else {
                for msg in NameRules.portNumber(healthCheck) {
                    errs.append(invalid(sp.child("healthCheckNodePort"), .int(healthCheck), msg))
                }
            }
        } else if healthCheck != 0 {
            errs.append(invalid(sp.child("healthCheckNodePort"), .int(healthCheck),
                                "may only be set when `type` is 'LoadBalancer' and `externalTrafficPolicy` is 'Local'"))
        }
        let internalPolicy = spec["internalTrafficPolicy"]
        if internalPolicy.isNull {
            if type == "NodePort" || type == "LoadBalancer" || type == "ClusterIP" {
                errs.append(required(sp.child("internalTrafficPolicy")))
            }
        } else if let p = internalPolicy.string, p != "Cluster", p != "Local" {
            errs.append(unsupported(sp.child("internalTrafficPolicy"), .string(p), ["Cluster", "Local"]))
        }
        return errs
    }

    func validateServiceUpdate(_ new: JSON, _ old: JSON) -> [FieldError] {
        var errs = validateObjectMetaUpdate(new["metadata"], old["metadata"])
        let newType = Self.string(new["spec", "type"])
        let oldType = Self.string(old["spec", "type"])
        let newIPs = Self.array(new["spec", "clusterIPs"]).map(Self.string)
        let oldIPs = Self.array(old["spec", "clusterIPs"]).map(Self.string)
        // validateUpgradeDowngradeClusterIPs, for the common case of an unchanged family count.
        let bothHeadless = newIPs == ["None"] && oldIPs == ["None"]
        if newType != "ExternalName", oldType != "ExternalName", newIPs.count == oldIPs.count, !bothHeadless {
            for (i, ip) in oldIPs.enumerated() where ip != newIPs[i] {
                errs.append(invalid(FieldPath("spec").child("clusterIPs").index(i), new["spec", "clusterIPs"],
                                    "may not change once set"))
            }
        }
        return errs + validateService(new)
    }

    // MARK: - Lease

    func validateLease(_ lease: JSON) -> [FieldError] {
        validateObjectMeta(lease["metadata"], nameKind: .dnsSubdomain) + validateLeaseSpec(lease["spec"])
    }

    func validateLeaseUpdate(_ new: JSON, _ old: JSON) -> [FieldError] {
        validateObjectMetaUpdate(new["metadata"], old["metadata"]) + validateLeaseSpec(new["spec"])
    }

    private func validateLeaseSpec(_ spec: JSON) -> [FieldError] {
        var errs: [FieldError] = []
        let sp = FieldPath("spec")
        if let d = spec["leaseDurationSeconds"].int, d <= 0 {
            errs.append(invalid(sp.child("leaseDurationSeconds"), .int(d), "must be greater than 0"))
        }
        if let t = spec["leaseTransitions"].int, t < 0 {
            errs.append(invalid(sp.child("leaseTransitions"), .int(t), "must be greater than or equal to 0"))
        }
        return errs
    }

    // MARK: - Event

    /// core/v1 Events get only the legacy checks (`legacyValidateEvent`); the generic
    /// metadata check of `rest.BeforeCreate` (names as URL path segments) follows when
    /// they pass.
    func validateEvent(_ event: JSON) -> [FieldError] {
        let errs = legacyValidateEvent(event)
        if !errs.isEmpty { return errs }
        return validateObjectMeta(event["metadata"], nameKind: .pathSegment)
    }

    func validateEventUpdate(_ new: JSON, _ old: JSON) -> [FieldError] {
        legacyValidateEvent(new)
    }

    private func legacyValidateEvent(_ event: JSON) -> [FieldError] {
        var errs: [FieldError] = []
        let namespace = Self.string(event["metadata", "namespace"])
        let involvedNamespace = Self.string(event["involvedObject", "namespace"])
        // Built only for an error: every Event written passes here.
        let involvedPath = { FieldPath("involvedObject").child("namespace") }
        if event.isNull(at: "eventTime") {
            if involvedNamespace.isEmpty {
                if !namespace.isEmpty, namespace != "default" {
                    errs.append(invalid(involvedPath(), .string(involvedNamespace), "does not match event.namespace"))
                }
            } else if namespace != involvedNamespace {
                errs.append(invalid(involvedPath(), .string(involvedNamespace), "does not match event.namespace"))
            }
        } else {
            if involvedNamespace.isEmpty, namespace != "default", namespace != "kube-system" {
                errs.append(invalid(involvedPath(), .string(involvedNamespace), "does not match event.namespace"))
            }
            // v1's reportingComponent is the internal ReportingController.
            let controller = Self.string(event["reportingComponent"])
            if controller.isEmpty { errs.append(required(FieldPath("reportingController"))) }
            errs += errors(NameRules.labelKey(controller, wording), FieldPath("reportingController"), controller)
            // Each at most 128 characters. (A function, not a loop over a literal list, which
            // allocated the list for every Event.)
            func check(_ field: String) {
                let v = Self.string(event[field])
                if v.isEmpty { errs.append(required(FieldPath(field))) }
                if v.utf8.count > 128 { errs.append(invalid(FieldPath(field), "", "can have at most 128 characters")) }
            }
            check("reportingInstance")
            check("action")
            check("reason")
            if Self.string(event["message"]).utf8.count > 1024 {
                errs.append(invalid(FieldPath("message"), "", "can have at most 1024 characters"))
            }
        }
        if memo?.namespaceSubdomain.contains(.string(namespace)) != true {
            let nsErrs = errors(NameRules.dns1123Subdomain(namespace, wording), FieldPath("namespace"), namespace)
            if nsErrs.isEmpty { memo?.namespaceSubdomain.insert(.string(namespace)) }
            errs += nsErrs
        }
        return errs
    }
}
