/// A log entry (etcd `raftpb.Entry`): a normal command or a configuration change.
struct RaftEntry: Sendable, Equatable {
    enum Kind: UInt8, Sendable, CustomStringConvertible {
        case normal, confChange

        var description: String {
            switch self {
            case .normal: "EntryNormal"
            case .confChange: "EntryConfChange"
            }
        }
    }

    var term: UInt64 = 0
    var index: UInt64 = 0
    var type: Kind = .normal
    var data: [UInt8] = []

    init(term: UInt64 = 0, index: UInt64 = 0, type: Kind = .normal, data: [UInt8] = []) {
        self.term = term
        self.index = index
        self.type = type
        self.data = data
    }
}

/// A single-server membership change (etcd `raftpb.ConfChange`, the v1 form).
///
/// Promoting a learner is `addNode` of a member that is currently a learner, as in etcd.
/// Joint consensus (ConfChangeV2) is deliberately not supported: one voter changes at a time.
struct RaftConfChange: Sendable, Equatable, CustomStringConvertible {
    enum Kind: UInt8, Sendable {
        case addNode = 0, removeNode = 1, addLearnerNode = 2
    }

    var type: Kind
    var nodeID: UInt64

    /// etcd's short notation: `v4` adds voter 4, `l4` adds learner 4, `r4` removes 4.
    var description: String {
        switch type {
        case .addNode: "v\(nodeID)"
        case .removeNode: "r\(nodeID)"
        case .addLearnerNode: "l\(nodeID)"
        }
    }

    /// Nine bytes: the kind, then the node id little-endian.
    func encoded() -> [UInt8] {
        var bytes: [UInt8] = [type.rawValue]
        bytes.reserveCapacity(9)
        for shift in stride(from: 0, to: 64, by: 8) { bytes.append(UInt8(truncatingIfNeeded: nodeID >> UInt64(shift))) }
        return bytes
    }

    /// Decodes `encoded()`; nil for anything else (a corrupt entry is ignored, never trusted).
    init?(decoding bytes: [UInt8]) {
        guard bytes.count == 9, let kind = Kind(rawValue: bytes[0]) else { return nil }
        var id: UInt64 = 0
        for k in 0..<8 { id |= UInt64(bytes[1 + k]) << UInt64(8 * k) }
        self.init(type: kind, nodeID: id)
    }

    init(type: Kind, nodeID: UInt64) {
        self.type = type
        self.nodeID = nodeID
    }
}
