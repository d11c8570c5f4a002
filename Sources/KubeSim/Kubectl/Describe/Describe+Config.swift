/// `kubectl describe` of the objects that hold configuration rather than run anything:
/// Namespace, ConfigMap, Secret and PriorityClass (`describe.go`'s describers of those names).
extension Cluster {
    /// `describeNamespace`. kubesim serves no ResourceQuota or LimitRange, so the namespace has
    /// none, as kubectl says of a real one without them.
    func describeNamespace(_ namespace: JSON) -> String {
        var w = DescribeWriter(version: config.version)
        w.write(0, "Name:\t\(namespace.name)\n")
        Describe.labels(&w, "Labels", namespace.labels)
        Describe.annotations(&w, "Annotations", namespace.annotations)
        w.write(0, "Status:\t\(namespace["status", "phase"].string ?? "")\n")
        let conditions = namespace["status", "conditions"].array ?? []
        if config.version == .v1_36, !conditions.isEmpty {
            w.write(0, "Conditions:\n")
            w.write(1, "Type\tStatus\tLastTransitionTime\tReason\tMessage\n")
            w.write(1, "----\t------\t------------------\t------\t-------\n")
            for c in conditions {
                w.write(1, "\(c["type"].string ?? "")\t\(c["status"].string ?? "")\t"
                    + "\(Describe.rfc1123Z(c["lastTransitionTime"]))\t\(c["reason"].string ?? "")\t\(c["message"].string ?? "")\n")
            }
        }
        w.write(0, "\n")
        w.write(0, "No resource quota.\n")
        w.write(0, "\n")
        w.write(0, "No LimitRange resource.\n")
        return w.finish()
    }

    /// `ConfigMapDescriber`: each data key, a `----` rule and the value. 1.18 ranged over a Go
    /// map, in no fixed order; here, as in 1.36, keys come sorted. 1.36 adds BinaryData, with
    /// sizes.
    func describeConfigMap(_ configMap: JSON, showEvents: Bool) -> String {
        var w = DescribeWriter(version: config.version)
        w.write(0, "Name:\t\(configMap.name)\n")
        w.write(0, "Namespace:\t\(configMap.namespace)\n")
        Describe.labels(&w, "Labels", configMap.labels)
        Describe.annotations(&w, "Annotations", configMap.annotations)
        w.write(0, "\nData\n====\n")
        let data = configMap["data"]
        for key in Describe.sortedKeys(data) {
            w.write(0, "\(key):\n----\n")
            w.write(0, "\(data[key].string ?? "")\n")
            if config.version == .v1_36 { w.write(0, "\n") }
        }
        if config.version == .v1_36 {
            w.write(0, "\nBinaryData\n====\n")
            let binary = configMap["binaryData"]
            for key in Describe.sortedKeys(binary) {
                w.write(0, "\(key): \(Describe.decodedSize(binary[key])) bytes\n")
            }
            w.write(0, "\n")
        }
        if showEvents {
            Describe.events(&w, events(about: configMap.name, namespace: configMap.namespace, kind: "ConfigMap",
                                       uid: configMap.uid), now: now)
        }
        return w.finish()
    }

    /// `describeSecret`: sizes, never values, except a service account token's.
    func describeSecret(_ secret: JSON) -> String {
        var w = DescribeWriter(version: config.version)
        w.write(0, "Name:\t\(secret.name)\n")
        w.write(0, "Namespace:\t\(secret.namespace)\n")
        Describe.labels(&w, "Labels", secret.labels)
        Describe.annotations(&w, "Annotations", secret.annotations)
        let type = secret["type"].string ?? ""
        w.write(0, "\nType:\t\(type)\n")
        w.write(0, "\nData\n====\n")
        let data = secret["data"]
        for key in Describe.sortedKeys(data) {
            if key == "token", type == "kubernetes.io/service-account-token",
               case .success(let bytes) = Base64.decode(data[key].string ?? "")
            {
                w.write(0, "\(key):\t\(String(decoding: bytes, as: UTF8.self))\n")
            } else {
                w.write(0, "\(key):\t\(Describe.decodedSize(data[key])) bytes\n")
            }
        }
        return w.finish()
    }

    /// `describePriorityClass`; 1.36 adds the preemption policy.
    func describePriorityClass(_ pc: JSON, showEvents: Bool) -> String {
        var w = DescribeWriter(version: config.version)
        w.write(0, "Name:\t\(pc.name)\n")
        w.write(0, "Value:\t\(pc["value"].int ?? 0)\n")
        w.write(0, "GlobalDefault:\t\(pc["globalDefault"].bool ?? false)\n")
        if config.version == .v1_36 { w.write(0, "PreemptionPolicy:\t\(pc["preemptionPolicy"].string ?? "")\n") }
        w.write(0, "Description:\t\(pc["description"].string ?? "")\n")
        w.write(0, "Annotations:\t\(TablePrinter.formatLabels(pc.annotations))\n")
        if showEvents {
            Describe.events(&w, events(about: pc.name, namespace: "", kind: "PriorityClass", uid: pc.uid), now: now)
        }
        return w.finish()
    }
}

extension Describe {
    /// The length of a `[]byte` field, which JSON carries in base64.
    static func decodedSize(_ value: JSON) -> Int {
        guard case .success(let bytes) = Base64.decode(value.string ?? "") else { return 0 }
        return bytes.count
    }
}
