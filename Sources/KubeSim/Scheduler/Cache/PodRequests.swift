/// What a pod asks of a node, computed once per pod.
struct PodRequests {
    var milliCPU: Int64 = 0
    var memory: Int64 = 0
    var ephemeralStorage: Int64 = 0
    /// cpu and memory with upstream's non-zero defaults for containers that request nothing
    /// (what scoring counts).
    var nonZeroMilliCPU: Int64 = 0
    var nonZeroMemory: Int64 = 0
    var hostPorts: [HostPort] = []

    /// `schedutil.DefaultMilliCPURequest` and `DefaultMemoryRequest`.
    static let defaultMilliCPU: Int64 = 100
    static let defaultMemory: Int64 = 200 * 1024 * 1024

    init() {}

    /// Sum of container requests, or the largest init container's if larger
    /// (pkg/api/v1/resource PodRequests). A container with a limit but no request requests
    /// its limit (API defaulting).
    init(spec: JSON) {
        var cpu: Int64 = 0, mem: Int64 = 0, eph: Int64 = 0, nzCPU: Int64 = 0, nzMem: Int64 = 0
        func request(_ c: JSON, _ resource: String) -> Quantity? {
            let r = c["resources", "requests", resource]
            return Quantity(json: r.isNull ? c["resources", "limits", resource] : r)
        }
        for c in spec["containers"].array ?? [] {
            let cReq = request(c, "cpu")?.milliValue
            let mReq = request(c, "memory")?.value
            cpu = cpu.addingClamped(cReq ?? 0)
            mem = mem.addingClamped(mReq ?? 0)
            eph = eph.addingClamped(request(c, "ephemeral-storage")?.value ?? 0)
            nzCPU = nzCPU.addingClamped(cReq ?? Self.defaultMilliCPU)
            nzMem = nzMem.addingClamped(mReq ?? Self.defaultMemory)
            for p in c["ports"].array ?? [] {
                if let hp = p["hostPort"].int, hp > 0 {
                    hostPorts.append(HostPort(protocol: p["protocol"].string ?? "TCP",
                                              ip: p["hostIP"].string ?? "", port: hp))
                }
            }
        }
        for c in spec["initContainers"].array ?? [] {
            cpu = max(cpu, request(c, "cpu")?.milliValue ?? 0)
            mem = max(mem, request(c, "memory")?.value ?? 0)
            eph = max(eph, request(c, "ephemeral-storage")?.value ?? 0)
        }
        milliCPU = cpu
        memory = mem
        ephemeralStorage = eph
        nonZeroMilliCPU = max(nzCPU, cpu)
        nonZeroMemory = max(nzMem, mem)
    }
}

/// A host port a container asks for.
struct HostPort: Hashable {
    var `protocol`: String
    var ip: String
    var port: Int

    /// NodePorts' conflict rule (framework/types.go HostPortInfo.CheckConflict): same protocol
    /// and port, and the same IP or either side 0.0.0.0 (empty counts as 0.0.0.0).
    func conflicts(with other: HostPort) -> Bool {
        guard port == other.port, `protocol` == other.protocol else { return false }
        let a = ip.isEmpty ? "0.0.0.0" : ip
        let b = other.ip.isEmpty ? "0.0.0.0" : other.ip
        return a == b || a == "0.0.0.0" || b == "0.0.0.0"
    }
}

extension Int64 {
    /// Addition that saturates instead of trapping on hostile quantities.
    func addingClamped(_ other: Int64) -> Int64 {
        let (sum, overflow) = addingReportingOverflow(other)
        return overflow ? (other > 0 ? .max : .min) : sum
    }
}
