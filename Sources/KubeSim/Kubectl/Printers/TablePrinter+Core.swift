/// Namespaces, services, endpoints, configmaps, secrets and leases: the matching `print*`
/// functions in `KK:pkg/printers/internalversion/printers.go`.
extension TablePrinter {
    static let namespaceTable = ResourceTable(columns: [.init("Name"), .init("Status"), .init("Age")]) { ns, ctx in
        [name(ns), ns["status", "phase"].string ?? "", age(ns, ctx)]
    }

    static let configMapTable = ResourceTable(columns: [.init("Name"), .init("Data"), .init("Age")]) { cm, ctx in
        let count = (cm["data"].object?.count ?? 0) + (cm["binaryData"].object?.count ?? 0)
        return [name(cm), String(count), age(cm, ctx)]
    }

    static let secretTable = ResourceTable(columns: [.init("Name"), .init("Type"), .init("Data"), .init("Age")]) { s, ctx in
        [name(s), s["type"].string ?? "", String(s["data"].object?.count ?? 0), age(s, ctx)]
    }

    static let leaseTable = ResourceTable(columns: [.init("Name"), .init("Holder"), .init("Age")]) { lease, ctx in
        [name(lease), lease["spec", "holderIdentity"].string ?? "", age(lease, ctx)]
    }

    static let endpointsTable = ResourceTable(columns: [.init("Name"), .init("Endpoints"), .init("Age")]) { ep, ctx in
        [name(ep), formatEndpoints(ep), age(ep, ctx)]
    }

    static let serviceTable = ResourceTable(
        columns: [
            .init("Name"), .init("Type"), .init("Cluster-IP"), .init("External-IP"), .init("Port(s)"), .init("Age"),
            .init("Selector", wide: true),
        ]
    ) { svc, ctx in
        let spec = svc["spec"]
        // 1.20+ prints clusterIPs[0]; an object stored without clusterIPs reads it from clusterIP.
        var clusterIP = spec["clusterIP"].string ?? ""
        if ctx.version == .v1_36, let first = spec["clusterIPs"][index: 0].string { clusterIP = first }
        let ports = (spec["ports"].array ?? []).map { port -> String in
            let proto = port["protocol"].string ?? ""
            let nodePort = int(port["nodePort"])
            return nodePort > 0 ? "\(int(port["port"])):\(nodePort)/\(proto)" : "\(int(port["port"]))/\(proto)"
        }
        return [
            name(svc),
            spec["type"].string ?? "",
            clusterIP.isEmpty ? "<none>" : clusterIP,
            serviceExternalIP(svc, wide: ctx.wide),
            ports.isEmpty ? "<none>" : ports.joined(separator: ","),
            age(svc, ctx),
            formatLabels(spec["selector"]),
        ]
    }

    /// `getServiceExternalIP`; outside `-o wide` load-balancer addresses are clipped.
    static func serviceExternalIP(_ svc: JSON, wide: Bool) -> String {
        let spec = svc["spec"]
        let externalIPs = (spec["externalIPs"].array ?? []).map { $0.string ?? "" }
        switch spec["type"].string ?? "" {
        case "ClusterIP", "NodePort":
            return externalIPs.isEmpty ? "<none>" : externalIPs.joined(separator: ",")
        case "LoadBalancer":
            let lb = loadBalancerStatus(svc["status", "loadBalancer"], wide: wide)
            if !externalIPs.isEmpty {
                let fromLB = lb.isEmpty ? [] : lb.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
                return (fromLB + externalIPs).joined(separator: ",")
            }
            return lb.isEmpty ? "<pending>" : lb
        case "ExternalName":
            return spec["externalName"].string ?? ""
        default:
            return "<unknown>"
        }
    }

    /// `loadBalancerStatusStringer`: the set of ingress IPs (else hostnames), sorted, joined by
    /// `,`; outside `-o wide`, longer than 16 bytes becomes its first 13 bytes and `...`.
    static func loadBalancerStatus(_ status: JSON, wide: Bool) -> String {
        var set = Set<String>()
        for ingress in status["ingress"].array ?? [] {
            if let ip = ingress["ip"].string, !ip.isEmpty {
                set.insert(ip)
            } else if let host = ingress["hostname"].string, !host.isEmpty {
                set.insert(host)
            }
        }
        let joined = set.sorted(by: JSON.utf8Less).joined(separator: ",")
        let bytes = Array(joined.utf8)
        if !wide && bytes.count > 16 {
            return String(decoding: bytes[0..<13], as: UTF8.self) + "..."
        }
        return joined
    }

    /// `formatEndpoints`: up to three `ip:port` (or bare IPs for port-less subsets), then
    /// ` + N more...`; `<none>` without subsets.
    static func formatEndpoints(_ endpoints: JSON) -> String {
        let subsets = endpoints["subsets"].array ?? []
        guard !subsets.isEmpty else { return "<none>" }
        let max = 3
        var list: [String] = []
        var more = false
        var count = 0
        for subset in subsets {
            let addresses = (subset["addresses"].array ?? []).map { $0["ip"].string ?? "" }
            let ports = subset["ports"].array ?? []
            if ports.isEmpty {
                count += addresses.count
                for ip in addresses {
                    if list.count == max {
                        more = true
                        break
                    }
                    list.append(ip)
                }
                continue
            }
            for port in ports {
                count += addresses.count
                for ip in addresses {
                    if list.count == max {
                        more = true
                        break
                    }
                    // net.JoinHostPort brackets IPv6 addresses.
                    let host = ip.contains(":") ? "[" + ip + "]" : ip
                    list.append(host + ":" + String(int(port["port"])))
                }
            }
        }
        let joined = list.joined(separator: ",")
        return more ? "\(joined) + \(count - max) more..." : joined
    }
}
