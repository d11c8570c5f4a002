/// The one source of randomness: xoshiro256** seeded through SplitMix64.
///
/// Each component draws from its own stream, derived from the root seed and a stable label
/// (`"kubelet/minikube-m02"`), so adding a node never reshuffles another component's draws.
public struct SeededRandom: RandomNumberGenerator, Sendable {
    private var s0: UInt64, s1: UInt64, s2: UInt64, s3: UInt64

    public init(seed: UInt64) {
        var sm = seed
        func splitMix() -> UInt64 {
            sm &+= 0x9E37_79B9_7F4A_7C15
            var z = sm
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        s0 = splitMix(); s1 = splitMix(); s2 = splitMix(); s3 = splitMix()
    }

    /// A stream for `label`, independent of every other label's.
    public init(seed: UInt64, stream label: String) {
        self.init(seed: seed ^ SeededRandom.fnv1a64(label))
    }

    public mutating func next() -> UInt64 {
        let result = rotl(s1 &* 5, 7) &* 9
        let t = s1 << 17
        s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3
        s2 ^= t
        s3 = rotl(s3, 45)
        return result
    }

    @inline(__always)
    private func rotl(_ x: UInt64, _ k: UInt64) -> UInt64 { (x &<< k) | (x &>> (64 &- k)) }

    /// Uniform in `0..<bound` (bound > 0), without modulo bias.
    public mutating func int(below bound: Int) -> Int {
        guard bound > 1 else { return 0 }
        return Int(next(upperBound: UInt64(bound)))
    }

    /// Uniform in `[0, 1)`.
    public mutating func unit() -> Double { Double(next() >> 11) * 0x1.0p-53 }

    /// FNV-1a (64-bit) of the string's UTF-8 bytes; `continuing` a hash of earlier bytes
    /// hashes the concatenation without building it.
    static func fnv1a64(_ s: String, continuing h: UInt64 = 0xcbf2_9ce4_8422_2325) -> UInt64 {
        s.withUTF8Bytes { bytes in
            var h = h
            for b in bytes { h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01B3 }
            return h
        }
    }
}
