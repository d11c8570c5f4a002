/// Where the etcd members run, and what that costs on the wire.
///
/// Each member has a region and a zone. A message between two places in the same zone takes
/// the cluster's usual link latency; across zones of one region `crossZone`; across regions
/// `crossRegion` (the seed's figure: about 10 ms between Azure's Korea Central and Korea
/// South, over a dedicated backbone). The API server runs beside member 1, as on a stacked
/// control plane, so its link to each member is the link from member 1's place.
public struct EtcdPlacement: Sendable, Equatable {
    public struct Location: Sendable, Equatable {
        public var region: String
        public var zone: String
        public init(region: String, zone: String) {
            self.region = region
            self.zone = zone
        }
    }

    /// One per member, in member order; empty: every member in one zone.
    public var locations: [Location] = []
    public var crossZone = Duration.millis(2)
    public var crossRegion = Duration.millis(10)

    public init() {}

    /// The one-way latency between two places, given the latency within a zone.
    func latency(_ a: Location, _ b: Location, sameZone: Duration) -> Duration {
        if a.region != b.region { return crossRegion }
        if a.zone != b.zone { return crossZone }
        return sameZone
    }

    /// Reads one field of the `etcd` config object; a Status error for a bad value.
    mutating func read(_ field: String, _ value: JSON) -> StatusError? {
        switch field {
        case "locations":
            guard let items = value.array else {
                return .badRequest("etcd locations must be a list such as [{\"region\": \"r1\", \"zone\": \"z1\"}]")
            }
            var out: [Location] = []
            for (i, item) in items.enumerated() {
                guard let region = item["region"].string, !region.isEmpty,
                      let zone = item["zone"].string, !zone.isEmpty
                else { return .badRequest("etcd locations[\(i)] needs a non-empty \"region\" and \"zone\"") }
                out.append(Location(region: region, zone: zone))
            }
            locations = out
        case "crossZoneMillis", "crossRegionMillis":
            guard let ms = value.int, ms >= 0, ms <= 3_600_000 else {
                return .badRequest("etcd \(field) must be a number of milliseconds (0 to 3600000)")
            }
            if field == "crossZoneMillis" { crossZone = .millis(Int64(ms)) } else { crossRegion = .millis(Int64(ms)) }
        default:
            return .badRequest("unknown etcd config field \"\(field)\"")
        }
        return nil
    }
}
