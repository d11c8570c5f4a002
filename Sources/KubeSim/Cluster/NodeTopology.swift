/// A compact description of where nodes sit, for the blast radius of faults:
/// `"topology": {"regions": 1, "zonesPerRegion": 3, "racksPerZone": 2, "nodesPerRack": 5}`.
///
/// It generates `regions × zonesPerRegion × racksPerZone × nodesPerRack` nodes with minikube's
/// names and addresses (the first is the control plane), labelled
/// `topology.kubernetes.io/region=region-1`, `topology.kubernetes.io/zone=region-1-a`, and
/// `topology.kubesim.io/rack=region-1-a-rack-1` (region, zone and rack names are unique, so a
/// fault can name one).
struct NodeTopology {
    var regions = 1
    var zonesPerRegion = 1
    var racksPerZone = 1
    var nodesPerRack = 1

    static func parse(_ json: JSON) -> Result<NodeTopology, StatusError> {
        guard case .object(let o) = json else {
            return .failure(.badRequest("topology must be an object such as {\"regions\": 1, \"zonesPerRegion\": 3, \"racksPerZone\": 2, \"nodesPerRack\": 5}"))
        }
        var t = NodeTopology()
        for (key, value) in o {
            guard let n = value.int, (1...ClusterConfig.maxNodes).contains(n) else {
                return .failure(.badRequest("topology.\(key) must be an integer from 1 to \(ClusterConfig.maxNodes)"))
            }
            switch key {
            case "regions": t.regions = n
            case "zonesPerRegion": t.zonesPerRegion = n
            case "racksPerZone": t.racksPerZone = n
            case "nodesPerRack": t.nodesPerRack = n
            default: return .failure(.badRequest("unknown topology field \"\(key)\""))
            }
        }
        // Multiplied stepwise so that a large product is refused before it can overflow.
        var total = 1
        for n in [t.regions, t.zonesPerRegion, t.racksPerZone, t.nodesPerRack] {
            total *= n
            guard total <= ClusterConfig.maxNodes else {
                return .failure(.badRequest("topology makes more than \(ClusterConfig.maxNodes) nodes"))
            }
        }
        return .success(t)
    }

    /// Zone letters a, b, … z, then aa, ab, …
    static func zoneSuffix(_ i: Int) -> String {
        let letters = Array("abcdefghijklmnopqrstuvwxyz")
        return i < 26 ? String(letters[i]) : zoneSuffix(i / 26 - 1) + String(letters[i % 26])
    }

    func nodes(controlPlane: Bool) -> [NodeConfig] {
        var out: [NodeConfig] = []
        var names = ClusterConfig.minikube(count: regions * zonesPerRegion * racksPerZone * nodesPerRack).makeIterator()
        for r in 1...regions {
            let region = "region-\(r)"
            for z in 0..<zonesPerRegion {
                let zone = "\(region)-\(Self.zoneSuffix(z))"
                for k in 1...racksPerZone {
                    for _ in 0..<nodesPerRack {
                        guard var node = names.next() else { return out }
                        node.controlPlane = controlPlane && out.isEmpty
                        node.region = region
                        node.zone = zone
                        node.rack = "\(zone)-rack-\(k)"
                        out.append(node)
                    }
                }
            }
        }
        return out
    }
}
