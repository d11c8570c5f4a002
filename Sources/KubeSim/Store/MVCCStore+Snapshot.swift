/// The store as bytes, for the snapshot a leader sends a member that fell behind its log:
/// every live key with its revisions, the revision counter, and the Raft index the state was
/// applied to. History before the snapshot is not carried, so a member restored from one
/// answers watches from older revisions as compacted (a 410 for the API server).
extension MVCCStore {
    /// One decoded snapshot, checked whole before anything is replaced.
    struct SnapshotState {
        var appliedIndex: UInt64
        var revision: Int64
        var kvs: [KeyValue]
    }

    func snapshotData(appliedIndex: UInt64) -> [UInt8] {
        var w = ByteWriter()
        w.u64(appliedIndex)
        w.u64(UInt64(bitPattern: revision))
        let kvs = all()
        w.u32(UInt32(truncatingIfNeeded: kvs.count))
        for kv in kvs {
            w.string(kv.key)
            w.json(kv.value)
            w.u64(UInt64(bitPattern: kv.createRevision))
            w.u64(UInt64(bitPattern: kv.modRevision))
            w.u64(UInt64(bitPattern: kv.version))
        }
        return w.bytes
    }

    /// Nil for bytes `snapshotData` did not write.
    static func decodeSnapshot(_ data: [UInt8]) -> SnapshotState? {
        var r = ByteReader(data)
        guard let applied = r.u64(), let rev = r.u64(), let count = r.u32() else { return nil }
        var kvs: [KeyValue] = []
        for _ in 0..<count {
            guard let key = r.string(), let value = r.json(),
                  let create = r.u64(), let mod = r.u64(), let version = r.u64() else { return nil }
            kvs.append(KeyValue(key: key, value: value, createRevision: Int64(bitPattern: create),
                                modRevision: Int64(bitPattern: mod), version: Int64(bitPattern: version)))
        }
        return SnapshotState(appliedIndex: applied, revision: Int64(bitPattern: rev), kvs: kvs)
    }
}
