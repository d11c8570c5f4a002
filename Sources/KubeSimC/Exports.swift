// The C interface of libkubesim.so (Include/kubesim.h is the contract). Thin: convert
// strings and codes, guard each handle with a lock, and call the Swift core.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import KubeSim

// Result codes, as kubesim.h defines them.
private let KS_OK: Int32 = 0
private let KS_EINVAL: Int32 = -1
private let KS_ENOTFOUND: Int32 = -2
private let KS_EEXISTS: Int32 = -3
private let KS_ECONFLICT: Int32 = -4
private let KS_EINVALID: Int32 = -5
private let KS_EGONE: Int32 = -6
private let KS_EUNAVAILABLE: Int32 = -7
private let KS_EINTERNAL: Int32 = -8
private let KS_ENOTALLOWED: Int32 = -9
private let KS_ETOOMANY: Int32 = -10

/// KS_MAX_INPUT_BYTES: the API server's request body limit.
private let maxInputBytes = 3_145_728
private let versionNumber: Int32 = 1000
nonisolated(unsafe) private let versionString: UnsafeMutablePointer<CChar>? = strdup("0.1.0")

/// One cluster and the lock that serialises calls on it.
final class ClusterHandle: @unchecked Sendable {
    let cluster: Cluster
    private var mutex = pthread_mutex_t()

    init(_ cluster: Cluster) {
        self.cluster = cluster
        pthread_mutex_init(&mutex, nil)
    }

    deinit { pthread_mutex_destroy(&mutex) }

    func locked<T>(_ body: (Cluster) -> T) -> T {
        pthread_mutex_lock(&mutex)
        defer { pthread_mutex_unlock(&mutex) }
        return body(cluster)
    }
}

private func code(for error: StatusError) -> Int32 {
    switch error.code {
    case 400, 406, 413, 415: return KS_EINVAL
    case 404: return KS_ENOTFOUND
    case 409: return error.reason == "AlreadyExists" ? KS_EEXISTS : KS_ECONFLICT
    case 422: return KS_EINVALID
    case 410: return KS_EGONE
    case 403, 405: return KS_ENOTALLOWED
    case 429: return KS_ETOOMANY
    case 503, 504: return KS_EUNAVAILABLE
    case 500: return error.reason == "ServerTimeout" || error.reason.isEmpty ? KS_EUNAVAILABLE : KS_EINTERNAL
    default: return KS_EINTERNAL
    }
}

/// Writes `text` as a new malloc'd C string to `out` (if `out` is non-NULL).
private func emit(_ text: String, _ out: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) {
    guard let out else { return }
    out.pointee = text.withCString { strdup($0) }
}

private func fail(_ error: StatusError, _ out: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    emit(error.status.serialized(), out)
    return code(for: error)
}

/// Reads a C string argument: NULL → nil; too long or invalid UTF-8 → a Status error.
private func readInput(_ p: UnsafePointer<CChar>?) -> Result<String?, StatusError> {
    guard let p else { return .success(nil) }
    let length = strnlen(p, maxInputBytes + 1)
    if length > maxInputBytes { return .failure(.requestEntityTooLarge(limit: maxInputBytes)) }
    let bytes = UnsafeRawPointer(p).assumingMemoryBound(to: UInt8.self)
    guard let text = String(validating: UnsafeBufferPointer(start: bytes, count: length), as: UTF8.self) else {
        return .failure(.badRequest("the input is not valid UTF-8"))
    }
    return .success(text)
}

private func handle(_ c: OpaquePointer?) -> ClusterHandle? {
    guard let c else { return nil }
    return Unmanaged<ClusterHandle>.fromOpaque(UnsafeRawPointer(c)).takeUnretainedValue()
}

/// The shared body of every call taking a handle, a request and a result pointer.
private func perform(_ call: Call, _ c: OpaquePointer?, _ input: UnsafePointer<CChar>?,
                     _ out: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?, inputRequired: Bool = false) -> Int32
{
    out?.pointee = nil
    guard let h = handle(c) else { return fail(.badRequest("the cluster handle is NULL"), out) }
    let text: String?
    switch readInput(input) {
    case .success(let t): text = t
    case .failure(let e): return fail(e, out)
    }
    if inputRequired, text == nil { return fail(.badRequest("the input is NULL"), out) }
    let result = h.locked { $0.call(call, text) }
    switch result {
    case .success(let json):
        emit(json.serialized(), out)
        return KS_OK
    case .failure(let error):
        // ks_apply reports every item even when one failed.
        if call == .apply, !error.details["applyResult"].isNull {
            emit(error.details["applyResult"].serialized(), out)
            return code(for: error)
        }
        return fail(error, out)
    }
}

@_cdecl("ks_version")
public func ks_version() -> UnsafePointer<CChar>? { UnsafePointer(versionString) }

@_cdecl("ks_version_number")
public func ks_version_number() -> Int32 { versionNumber }

@_cdecl("ks_free")
public func ks_free(_ p: UnsafeMutableRawPointer?) { free(p) }

@_cdecl("ks_cluster_new")
public func ks_cluster_new(_ config: UnsafePointer<CChar>?, _ out: UnsafeMutablePointer<OpaquePointer?>?,
                           _ error: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32
{
    error?.pointee = nil
    guard let out else { return fail(.badRequest("the out pointer is NULL"), error) }
    out.pointee = nil
    let text: String?
    switch readInput(config) {
    case .success(let t): text = t
    case .failure(let e): return fail(e, error)
    }
    switch Cluster.create(configText: text) {
    case .failure(let e): return fail(e, error)
    case .success(let cluster):
        out.pointee = OpaquePointer(Unmanaged.passRetained(ClusterHandle(cluster)).toOpaque())
        return KS_OK
    }
}

@_cdecl("ks_cluster_free")
public func ks_cluster_free(_ c: OpaquePointer?) {
    guard let c else { return }
    Unmanaged<ClusterHandle>.fromOpaque(UnsafeRawPointer(c)).release()
}

@_cdecl("ks_apply")
public func ks_apply(_ c: OpaquePointer?, _ manifests: UnsafePointer<CChar>?,
                     _ out: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32
{
    perform(.apply, c, manifests, out, inputRequired: true)
}

@_cdecl("ks_get")
public func ks_get(_ c: OpaquePointer?, _ r: UnsafePointer<CChar>?, _ out: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    perform(.get, c, r, out)
}

@_cdecl("ks_list")
public func ks_list(_ c: OpaquePointer?, _ r: UnsafePointer<CChar>?, _ out: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    perform(.list, c, r, out)
}

@_cdecl("ks_create")
public func ks_create(_ c: OpaquePointer?, _ r: UnsafePointer<CChar>?, _ out: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    perform(.create, c, r, out)
}

@_cdecl("ks_update")
public func ks_update(_ c: OpaquePointer?, _ r: UnsafePointer<CChar>?, _ out: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    perform(.update, c, r, out)
}

@_cdecl("ks_patch")
public func ks_patch(_ c: OpaquePointer?, _ r: UnsafePointer<CChar>?, _ out: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    perform(.patch, c, r, out)
}

@_cdecl("ks_delete")
public func ks_delete(_ c: OpaquePointer?, _ r: UnsafePointer<CChar>?, _ out: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    perform(.delete, c, r, out)
}

@_cdecl("ks_watch")
public func ks_watch(_ c: OpaquePointer?, _ r: UnsafePointer<CChar>?, _ out: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    perform(.watch, c, r, out)
}

@_cdecl("ks_run")
public func ks_run(_ c: OpaquePointer?, _ r: UnsafePointer<CChar>?, _ out: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    perform(.run, c, r, out)
}

@_cdecl("ks_events")
public func ks_events(_ c: OpaquePointer?, _ r: UnsafePointer<CChar>?, _ out: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    perform(.events, c, r, out)
}

@_cdecl("ks_node")
public func ks_node(_ c: OpaquePointer?, _ r: UnsafePointer<CChar>?, _ out: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    perform(.node, c, r, out)
}

@_cdecl("ks_kubectl")
public func ks_kubectl(_ c: OpaquePointer?, _ r: UnsafePointer<CChar>?, _ out: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    perform(.kubectl, c, r, out)
}

@_cdecl("ks_etcd")
public func ks_etcd(_ c: OpaquePointer?, _ r: UnsafePointer<CChar>?, _ out: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    perform(.etcd, c, r, out)
}

@_cdecl("ks_report")
public func ks_report(_ c: OpaquePointer?, _ r: UnsafePointer<CChar>?, _ out: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    perform(.report, c, r, out)
}

@_cdecl("ks_state")
public func ks_state(_ c: OpaquePointer?, _ r: UnsafePointer<CChar>?, _ out: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    perform(.state, c, r, out)
}

@_cdecl("ks_scheduler")
public func ks_scheduler(_ c: OpaquePointer?, _ r: UnsafePointer<CChar>?, _ out: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    perform(.scheduler, c, r, out)
}
