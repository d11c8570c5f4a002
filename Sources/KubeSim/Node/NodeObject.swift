/// The Node object a kubelet registers, and the simulated runtime's identifiers.
enum NodeObject {
    static func make(_ config: NodeConfig, wording: Wording, now: VirtualTime) -> JSON {
        var labels: JSON = [
            "beta.kubernetes.io/arch": "amd64", "beta.kubernetes.io/os": "linux",
            "kubernetes.io/arch": "amd64", "kubernetes.io/hostname": .string(config.name),
            "kubernetes.io/os": "linux",
        ]
        if config.controlPlane { labels[wording.controlPlaneRoleLabel] = "" }
        if let region = config.region { labels["topology.kubernetes.io/region"] = .string(region) }
        if let zone = config.zone { labels["topology.kubernetes.io/zone"] = .string(zone) }
        if let rack = config.rack { labels[NodeConfig.rackLabel] = .string(rack) }
        for (k, v) in config.labels { labels[k] = .string(v) }
        let resources: JSON = [
            "cpu": .string(config.cpu), "ephemeral-storage": .string(config.ephemeralStorage),
            "hugepages-2Mi": "0", "memory": .string(config.memory), "pods": .string(String(config.pods)),
        ]
        let t = now.rfc3339
        func condition(_ type: String, _ status: String, _ reason: String, _ message: String) -> JSON {
            ["type": .string(type), "status": .string(status), "lastHeartbeatTime": .string(t),
             "lastTransitionTime": .string(t), "reason": .string(reason), "message": .string(message)]
        }
        var spec: JSON = .emptyObject
        if !config.taints.isEmpty { spec["taints"] = .array(config.taints) }
        let systemUUID = String(SeededRandom.fnv1a64(config.name), radix: 16)
        return [
            "apiVersion": "v1", "kind": "Node",
            "metadata": [
                "name": .string(config.name), "labels": labels,
                "annotations": ["node.alpha.kubernetes.io/ttl": "0",
                                "volumes.kubernetes.io/controller-managed-attach-detach": "true"],
            ],
            "spec": spec,
            "status": [
                "capacity": resources, "allocatable": resources,
                "conditions": [
                    condition("MemoryPressure", "False", "KubeletHasSufficientMemory",
                              "kubelet has sufficient memory available"),
                    condition("DiskPressure", "False", "KubeletHasNoDiskPressure", "kubelet has no disk pressure"),
                    condition("PIDPressure", "False", "KubeletHasSufficientPID", "kubelet has sufficient PID available"),
                    condition("Ready", "True", "KubeletReady", "kubelet is posting ready status"),
                ],
                "addresses": [["type": "InternalIP", "address": .string(config.internalIP)],
                              ["type": "Hostname", "address": .string(config.name)]],
                "daemonEndpoints": ["kubeletEndpoint": ["Port": 10250]],
                "nodeInfo": [
                    "machineID": .string(systemUUID), "systemUUID": .string(systemUUID), "bootID": .string(systemUUID),
                    "kernelVersion": "5.15.0-kubesim", "osImage": "Ubuntu 22.04 LTS (kubesim)",
                    "containerRuntimeVersion": "containerd://1.7.0", "kubeletVersion": .string(wording.version.gitVersion),
                    "kubeProxyVersion": .string(wording.version.gitVersion), "operatingSystem": "linux",
                    "architecture": "amd64",
                ],
            ],
        ]
    }

    /// `status.images` as the kubelet reports them, sorted for determinism; null (left out, as
    /// omitempty leaves an empty list) before the first pull.
    static func images(_ set: Set<String>) -> JSON {
        guard !set.isEmpty else { return .null }
        return .array(set.sorted().map { ["names": [.string($0)], "sizeBytes": .int(imageSize($0))] })
    }

    /// A stable stand-in for an image's size (45–145 MB), for the 1.36 `Pulled` wording.
    static func imageSize(_ image: String) -> Int {
        45_000_000 + Int(SeededRandom.fnv1a64(image) % 100_000_000)
    }

    static func imageID(_ image: String) -> String {
        // `docker.io/library/<image>@sha256:` and the image's hash in hex (as
        // `String(_:radix:)` writes it) four times, written in place: at most 16 digits, so
        // four of them never pass the 64 a digest has.
        let h = SeededRandom.fnv1a64(image)
        let prefix: StaticString = "docker.io/library/"
        let separator: StaticString = "@sha256:"
        let digits = h.hexDigitCount
        return image.withUTF8Bytes { name in
            String(unsafeUninitializedCapacity: prefix.utf8CodeUnitCount + name.count + separator.utf8CodeUnitCount
                + 4 * digits) { out in
                guard let base = out.baseAddress else { return 0 }
                var i = 0
                func put(_ from: UnsafePointer<UInt8>?, _ count: Int) {
                    guard let from else { return }
                    (base + i).initialize(from: from, count: count)
                    i += count
                }
                put(prefix.utf8Start, prefix.utf8CodeUnitCount)
                put(name.baseAddress, name.count)
                put(separator.utf8Start, separator.utf8CodeUnitCount)
                h.writeHex(into: out, at: &i)
                for _ in 0..<3 { put(base + i - digits, digits) }
                return i
            }
        }
    }

    static func containerID(_ podUID: String, _ name: String) -> String {
        let h = SeededRandom.fnv1a64(name, continuing: SeededRandom.fnv1a64("/", continuing: SeededRandom.fnv1a64(podUID)))
        // The hash in hex as `String(_:radix:)` writes it (no leading zeros), four times: at
        // most 64 digits, as a container ID has. Written in place, as every status write of
        // the kubelet names each running container's.
        let prefix: StaticString = "containerd://"
        let digits = h.hexDigitCount
        return String(unsafeUninitializedCapacity: prefix.utf8CodeUnitCount + 4 * digits) { out in
            guard let base = out.baseAddress else { return 0 }
            base.initialize(from: prefix.utf8Start, count: prefix.utf8CodeUnitCount)
            var i = prefix.utf8CodeUnitCount
            h.writeHex(into: out, at: &i)
            // The same digits three times more.
            for _ in 0..<3 {
                (base + i).initialize(from: base + i - digits, count: digits)
                i += digits
            }
            return i
        }
    }
}
