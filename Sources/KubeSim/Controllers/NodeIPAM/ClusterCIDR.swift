/// kube-controller-manager's `--cluster-cidr` cut into per-node /24s
/// (`--node-cidr-mask-size` 24): an IPv4 network of prefix /8 to /24.
public struct ClusterCIDR: Sendable, Equatable {
    /// The network address, as a 32-bit number.
    let base: UInt32
    let prefix: Int

    /// minikube's and kind's 10.244.0.0/16.
    public static let minikube = ClusterCIDR(base: 10 << 24 | 244 << 16, prefix: 16)

    private init(base: UInt32, prefix: Int) {
        self.base = base
        self.prefix = prefix
    }

    /// Parses "10.244.0.0/16"; nil for anything else, or a prefix outside /8 … /24.
    public init?(_ text: String) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let prefix = Int(parts[1]), (8...24).contains(prefix) else { return nil }
        let octets = parts[0].split(separator: ".", omittingEmptySubsequences: false)
        guard octets.count == 4 else { return nil }
        var address: UInt32 = 0
        for octet in octets {
            guard octet.count <= 3, let value = UInt32(octet), value <= 255 else { return nil }
            address = address << 8 | value
        }
        let mask: UInt32 = ~0 << UInt32(32 - prefix)
        self.init(base: address & mask, prefix: prefix)
    }

    /// How many node ranges fit.
    var nodeRanges: Int { 1 << (24 - prefix) }

    /// The `n`th /24, as "a.b.c.0/24".
    func range(_ n: Int) -> String {
        let address = base &+ UInt32(truncatingIfNeeded: n) << 8
        return "\(address >> 24).\(address >> 16 & 255).\(address >> 8 & 255).0/24"
    }

    /// Which range a node's pod CIDR is, if it is one of ours.
    func index(of cidr: String) -> Int? {
        guard let other = ClusterCIDR(cidr), other.prefix == 24 else { return nil }
        let mask: UInt32 = ~0 << UInt32(32 - prefix)
        guard other.base & mask == base else { return nil }
        return Int((other.base - base) >> 8)
    }

    public var description: String { "\(base >> 24).\(base >> 16 & 255).\(base >> 8 & 255).\(base & 255)/\(prefix)" }
}
