/// The store as bytes, for a Raft snapshot: every live key with its revisions, and the
/// revision counter. History before the snapshot is not carried, so a member restored from
/// one answers watches from older revisions as compacted (a 410 for the API server).
extension MVCCStore {
    func snapshotData() -> [UInt8] {
        var w = ByteWriter()
        w.u64(UInt64(bitPattern: revision))
        let kvs = all()
        w.u32(UInt32(truncatingIfNeeded: kvs.count))
        for kv in kvs {
            w.string(kv.key)
            w.string(kv.value.serialized())
            w.u64(UInt64(bitPattern: kv.createRevision))
            w.u64(UInt64(bitPattern: kv.modRevision))
            w.u64(UInt64(bitPattern: kv.version))
        }
        return w.bytes
    }

    /// Replaces the whole state with a snapshot's; false (and nothing changed) for bytes
    /// `snapshotData` did not write.
    mutating func restore(from data: [UInt8]) -> Bool {
        var r = ByteReader(data)
        guard let rev = r.u64(), let count = r.u32() else { return false }
        var kvs: [KeyValue] = []
        for _ in 0..<count {
            guard let key = r.string(), let text = r.string(), let value = try? JSON.parse(text),
                  let create = r.u64(), let mod = r.u64(), let version = r.u64() else { return false }
            kvs.append(KeyValue(key: key, value: value, createRevision: Int64(bitPattern: create),
                                modRevision: Int64(bitPattern: mod), version: Int64(bitPattern: version)))
        }
        replaceState(revision: Int64(bitPattern: rev), with: kvs)
        return true
    }
}
