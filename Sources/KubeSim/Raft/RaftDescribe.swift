/// One-line renderings of Raft values, shared by logs, the status command and the golden
/// interaction tests (etcd-io/raft `util.go`: `DescribeMessage`, `DescribeEntry`, `DescribeReady`).
enum RaftDescribe {
    /// Bytes as a Go `%q` string: printable ASCII as is, everything else escaped.
    static func quoted(_ bytes: [UInt8]) -> String {
        var s = "\""
        for b in bytes {
            switch b {
            case 0x22: s += "\\\""
            case 0x5C: s += "\\\\"
            case 0x0A: s += "\\n"
            case 0x20...0x7E: s.unicodeScalars.append(Unicode.Scalar(b))
            default:
                let hex = String(b, radix: 16)
                s += "\\x" + (hex.count < 2 ? "0" + hex : hex)
            }
        }
        return s + "\""
    }

    /// `1/11 EntryNormal "foo"` (term/index type payload).
    static func entry(_ e: RaftEntry) -> String {
        switch e.type {
        case .normal:
            return "\(e.term)/\(e.index) \(e.type) \(quoted(e.data))"
        case .confChange:
            let cc = RaftConfChange(decoding: e.data).map(\.description) ?? quoted(e.data)
            return "\(e.term)/\(e.index) \(e.type) \(cc)"
        }
    }

    /// `1->2 MsgApp Term:1 Log:1/10 Commit:10 Entries:[1/11 EntryNormal "foo"]`.
    static func message(_ m: RaftMessage, indent: String = "") -> String {
        var s = "\(indent)\(m.from)->\(m.to) \(m.type) Term:\(m.term) Log:\(m.logTerm)/\(m.index)"
        if m.reject { s += " Rejected (Hint: \(m.rejectHint))" }
        if m.commit != 0 { s += " Commit:\(m.commit)" }
        if !m.context.isEmpty { s += " Context:\(quoted(m.context))" }
        if m.entries.count == 1 {
            s += " Entries:[\(entry(m.entries[0]))]"
        } else if m.entries.count > 1 {
            s += " Entries:["
            for e in m.entries { s += "\n\(indent)  \(entry(e))" }
            s += "\n\(indent)]"
        }
        if let snap = m.snapshot { s += "\n\(indent)  Snapshot: \(snap)" }
        return s
    }

    static func hardState(_ hs: HardState) -> String {
        var s = "Term:\(hs.term)"
        if hs.vote != 0 { s += " Vote:\(hs.vote)" }
        return s + " Commit:\(hs.commit)"
    }

    /// The whole `Ready`, one item per line, in the order the embedding handles it.
    static func ready(_ rd: Ready) -> String {
        var lines = ["Ready MustSync=\(rd.mustSync):"]
        if let ss = rd.softState { lines.append("Lead:\(ss.lead) State:\(ss.raftState)") }
        if let hs = rd.hardState { lines.append("HardState \(hardState(hs))") }
        if !rd.readStates.isEmpty {
            lines.append("ReadStates:")
            for rs in rd.readStates { lines.append("Index:\(rs.index) RequestCtx:\(quoted(rs.requestCtx))") }
        }
        if !rd.entries.isEmpty {
            lines.append("Entries:")
            for e in rd.entries { lines.append(entry(e)) }
        }
        if let snap = rd.snapshot { lines.append("Snapshot \(snap)") }
        if !rd.committedEntries.isEmpty {
            lines.append("CommittedEntries:")
            for e in rd.committedEntries { lines.append(entry(e)) }
        }
        if !rd.messages.isEmpty {
            lines.append("Messages:")
            for m in rd.messages { lines.append(message(m)) }
        }
        return lines.joined(separator: "\n")
    }
}
