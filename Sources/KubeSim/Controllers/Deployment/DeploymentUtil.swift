/// Helpers shared by the Deployment controller's files (pkg/controller/deployment/util).
enum DeploymentUtil {
    static let podTemplateHashLabel = "pod-template-hash"
    static let revisionAnnotation = "deployment.kubernetes.io/revision"
    static let revisionHistoryAnnotation = "deployment.kubernetes.io/revision-history"
    static let desiredReplicasAnnotation = "deployment.kubernetes.io/desired-replicas"
    static let maxReplicasAnnotation = "deployment.kubernetes.io/max-replicas"

    /// Annotations a Deployment does not copy to its ReplicaSets.
    static func skipCopyAnnotation(_ key: String) -> Bool {
        key == "kubectl.kubernetes.io/last-applied-configuration" || key == revisionAnnotation
            || key == "deployment.kubernetes.io/revision-history" || key == desiredReplicasAnnotation
            || key == maxReplicasAnnotation || key == "deprecated.deployment.rollback.to"
    }

    /// `pod-template-hash`: FNV-32a of the template, plus the collision count, printed in
    /// decimal and passed through `SafeEncodeString` (pkg/controller/controller_utils.go
    /// ComputeHash). Upstream hashes go-spew's dump of the Go struct; we hash the canonical
    /// JSON of the template instead, so the value differs from a real cluster's but has the
    /// same shape (`456789bcdf` characters) and the same stability.
    static func podTemplateHash(_ template: JSON, collisionCount: Int) -> String {
        var h: UInt32 = 0x811c_9dc5
        func write(_ bytes: some Sequence<UInt8>) {
            for b in bytes { h = (h ^ UInt32(b)) &* 0x0100_0193 }
        }
        write(template.utf8Text(sortKeys: true))
        if collisionCount > 0 {
            let c = UInt32(truncatingIfNeeded: collisionCount)
            write([UInt8(c & 0xff), UInt8(c >> 8 & 0xff), UInt8(c >> 16 & 0xff), UInt8(c >> 24), 0, 0, 0, 0])
        }
        return safeEncode(String(h))
    }

    /// apimachinery's `rand.SafeEncodeString`: each byte mapped into a vowel-free alphabet.
    static func safeEncode(_ s: String) -> String {
        s.withUTF8Bytes { bytes in
            String(unsafeUninitializedCapacity: bytes.count) { out in
                for (i, b) in bytes.enumerated() { out[i] = safeAlphabet[Int(b) % safeAlphabet.count] }
                return bytes.count
            }
        }
    }

    /// `rand.SafeEncodeString`'s alphabet, as bytes.
    private static let safeAlphabet = Array("bcdfghjklmnpqrstvwxz2456789".utf8)

    /// Templates equal apart from the pod-template-hash label (upstream `EqualIgnoreHash`),
    /// compared in place: this runs for every ReplicaSet on every Deployment sync.
    static func templatesEqualIgnoringHash(_ a: JSON, _ b: JSON) -> Bool {
        guard a["spec"].semanticallyEquals(b["spec"]) else { return false }
        let ma = a["metadata"].object ?? [:], mb = b["metadata"].object ?? [:]
        // Each side's keys looked up in the other, without building sets of them. A missing
        // metadata member reads as null; a label must be on both sides.
        for (key, x) in ma where key != "labels" && !x.semanticallyEquals(mb[key] ?? .null) { return false }
        for (key, y) in mb where key != "labels" && ma.index(forKey: key) == nil && !y.isNull { return false }
        let la = ma["labels"]?.object ?? [:], lb = mb["labels"]?.object ?? [:]
        for (key, x) in la where key != podTemplateHashLabel && lb[key] != x { return false }
        for (key, _) in lb where key != podTemplateHashLabel && la.index(forKey: key) == nil { return false }
        return true
    }

    static func revision(_ rs: JSON) -> Int {
        Int(rs.annotations[revisionAnnotation].string ?? "") ?? 0
    }

    static func maxRevision(_ sets: [JSON]) -> Int {
        sets.map(revision).max() ?? 0
    }

    /// An int-or-percent against `total` (apimachinery intstr.GetScaledValueFromIntOrPercent).
    /// Every Deployment sync resolves two of them (`25%` unless set), so the text is read
    /// from its bytes rather than through a Substring.
    static func scaled(_ value: JSON, total: Int, roundUp: Bool, default fallback: Int) -> Int {
        switch value {
        case .int(let i): return i
        case .string(let s):
            let percent = s.utf8.last == UInt8(ascii: "%")
            let parsed = s.withUTF8Bytes { bytes in
                Int(decimal: percent ? UnsafeBufferPointer(rebasing: bytes.dropLast()) : bytes)
            }
            guard let n = parsed else { return fallback }
            guard percent else { return n }
            let (product, overflow) = n.multipliedReportingOverflow(by: total)
            guard !overflow else { return fallback }
            // math.Ceil or math.Floor of product / 100, without adding to the product.
            let (q, r) = product.quotientAndRemainder(dividingBy: 100)
            if roundUp { return r > 0 ? q + 1 : q }
            return r < 0 ? q - 1 : q
        default: return fallback
        }
    }

    /// maxSurge and maxUnavailable resolved against replicas; if both are 0, maxUnavailable
    /// becomes 1 (deployment_util.go ResolveFenceposts).
    static func fenceposts(_ d: JSON) -> (surge: Int, unavailable: Int) {
        guard d["spec", "strategy", "type"].string != "Recreate" else { return (0, 0) }
        let replicas = d["spec", "replicas"].int ?? 1
        let rolling = d["spec", "strategy", "rollingUpdate"]
        let surge = scaled(rolling["maxSurge"].isNull ? "25%" : rolling["maxSurge"], total: replicas,
                           roundUp: true, default: 0)
        var unavailable = scaled(rolling["maxUnavailable"].isNull ? "25%" : rolling["maxUnavailable"],
                                 total: replicas, roundUp: false, default: 0)
        if surge == 0, unavailable == 0 { unavailable = 1 }
        return (surge, unavailable)
    }

    static func maxSurge(_ d: JSON) -> Int { fenceposts(d).surge }
    static func maxUnavailable(_ d: JSON) -> Int {
        let replicas = d["spec", "replicas"].int ?? 1
        return min(fenceposts(d).unavailable, replicas)
    }

    static func specReplicas(_ sets: [JSON]) -> Int { sets.reduce(0) { $0 + ($1["spec", "replicas"].int ?? 0) } }
    static func statusReplicas(_ sets: [JSON]) -> Int { sets.reduce(0) { $0 + ($1["status", "replicas"].int ?? 0) } }
    static func readyReplicas(_ sets: [JSON]) -> Int { sets.reduce(0) { $0 + ($1["status", "readyReplicas"].int ?? 0) } }
    static func availableReplicas(_ sets: [JSON]) -> Int {
        sets.reduce(0) { $0 + ($1["status", "availableReplicas"].int ?? 0) }
    }
}
