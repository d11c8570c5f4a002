/// A YAML node as go-yaml v2's encoder hands it to the emitter: scalars carry the style the
/// encoder asked for, which the emitter may still overrule (plain → single → double quoted).
indirect enum YAMLNode: Sendable {
    enum Style: Sendable {
        case plain, singleQuoted, doubleQuoted, literal
    }

    case scalar(String, Style)
    case sequence([YAMLNode])
    case mapping([(key: YAMLNode, value: YAMLNode)])
}

/// The block-style subset of go-yaml v2's emitter (`emitterc.go`, itself a port of libyaml)
/// that `kubectl -o yaml` exercises: indent 2, preferred width 80, unicode output, no tags,
/// anchors or document markers.
///
/// The state machine is walked recursively instead of through an event queue, but every step
/// that decides a byte of output is kept: the indentation bookkeeping (`indention`,
/// `whitespace`, the indent stack), "indentless" sequences under a mapping key, empty
/// collections as `[]`/`{}`, the scalar analysis that picks plain, single- or double-quoted or
/// literal style, and the folding of long scalars at spaces past column 80.
struct YAMLEmitter {
    static let bestIndent = 2
    static let bestWidth = 80

    private(set) var out: [UInt8] = []
    private var column = 0
    private var indent = -1
    private var indents: [Int] = []
    private var whitespace = true
    private var indention = true
    /// Only empty collections are written in flow style, so nothing is ever nested in one.
    private let flowLevel = 0
    private var mappingContext = false
    private var simpleKeyContext = false

    /// Emits one implicit document (no `---`), ending with a newline as `yaml.Marshal` does.
    mutating func emitDocument(_ root: YAMLNode) {
        emitNode(root, mapping: false, simpleKey: false)
        writeIndent()  // DOCUMENT-END
    }

    // MARK: - Nodes

    private mutating func emitNode(_ node: YAMLNode, mapping: Bool, simpleKey: Bool) {
        mappingContext = mapping
        simpleKeyContext = simpleKey
        switch node {
        case .scalar(let value, let style):
            emitScalar(Array(value.utf8), requested: style)
        case .sequence(let items):
            if flowLevel > 0 || items.isEmpty {
                emitEmptyFlow(open: 0x5B, close: 0x5D)  // [ ]
            } else {
                emitBlockSequence(items)
            }
        case .mapping(let pairs):
            if flowLevel > 0 || pairs.isEmpty {
                emitEmptyFlow(open: 0x7B, close: 0x7D)  // { }
            } else {
                emitBlockMapping(pairs)
            }
        }
    }

    /// `[]` / `{}`: the flow style libyaml picks for an empty collection.
    private mutating func emitEmptyFlow(open: UInt8, close: UInt8) {
        writeIndicator([open], needWhitespace: true, isWhitespace: true, isIndention: false)
        writeIndicator([close], needWhitespace: false, isWhitespace: false, isIndention: false)
    }

    private mutating func emitBlockSequence(_ items: [YAMLNode]) {
        // A sequence that is a mapping value is not indented under its key.
        increaseIndent(flow: false, indentless: mappingContext && !indention)
        for item in items {
            writeIndent()
            writeIndicator([0x2D], needWhitespace: true, isWhitespace: false, isIndention: true)  // -
            emitNode(item, mapping: false, simpleKey: false)
        }
        popIndent()
    }

    private mutating func emitBlockMapping(_ pairs: [(key: YAMLNode, value: YAMLNode)]) {
        increaseIndent(flow: false, indentless: false)
        for (key, value) in pairs {
            writeIndent()
            if Self.isSimpleKey(key) {
                emitNode(key, mapping: true, simpleKey: true)
                writeIndicator([0x3A], needWhitespace: false, isWhitespace: false, isIndention: false)  // :
            } else {
                writeIndicator([0x3F], needWhitespace: true, isWhitespace: false, isIndention: true)  // ?
                emitNode(key, mapping: true, simpleKey: false)
                writeIndent()
                writeIndicator([0x3A], needWhitespace: true, isWhitespace: false, isIndention: true)
            }
            emitNode(value, mapping: true, simpleKey: false)
        }
        popIndent()
    }

    /// `yaml_emitter_check_simple_key`: a one-line scalar of at most 128 bytes (or an empty
    /// collection) can be written as `key: value`; anything else uses `? key`.
    private static func isSimpleKey(_ key: YAMLNode) -> Bool {
        switch key {
        case .scalar(let value, _):
            let bytes = Array(value.utf8)
            return !ScalarAnalysis(bytes).multiline && bytes.count <= 128
        case .sequence(let items): return items.isEmpty
        case .mapping(let pairs): return pairs.isEmpty
        }
    }

    // MARK: - Scalars

    private mutating func emitScalar(_ value: [UInt8], requested: YAMLNode.Style) {
        let analysis = ScalarAnalysis(value)
        let style = selectStyle(requested, analysis, empty: value.isEmpty)
        increaseIndent(flow: true, indentless: false)
        switch style {
        case .plain: writePlain(value, allowBreaks: !simpleKeyContext)
        case .singleQuoted: writeSingleQuoted(value, allowBreaks: !simpleKeyContext)
        case .doubleQuoted: writeDoubleQuoted(value, allowBreaks: !simpleKeyContext)
        case .literal: writeLiteral(value)
        }
        popIndent()
    }

    /// `yaml_emitter_select_scalar_style`.
    private func selectStyle(_ requested: YAMLNode.Style, _ a: ScalarAnalysis, empty: Bool) -> YAMLNode.Style {
        var style = requested
        if simpleKeyContext && a.multiline { style = .doubleQuoted }
        if style == .plain {
            if (flowLevel > 0 && !a.flowPlainAllowed) || (flowLevel == 0 && !a.blockPlainAllowed) {
                style = .singleQuoted
            }
            if empty && (flowLevel > 0 || simpleKeyContext) { style = .singleQuoted }
        }
        if style == .singleQuoted && !a.singleQuotedAllowed { style = .doubleQuoted }
        if style == .literal && (!a.blockAllowed || flowLevel > 0 || simpleKeyContext) { style = .doubleQuoted }
        return style
    }

    private mutating func writePlain(_ value: [UInt8], allowBreaks: Bool) {
        if !whitespace { put(0x20) }
        var spaces = false
        var breaks = false
        var i = 0
        while i < value.count {
            if value[i] == 0x20 {
                if allowBreaks && !spaces && column > Self.bestWidth && !YAMLBytes.isSpace(value, i + 1) {
                    writeIndent()
                    i += 1
                } else {
                    write(value, &i)
                }
                spaces = true
            } else if YAMLBytes.isBreak(value, i) {
                if !breaks && value[i] == 0x0A { putBreak() }
                writeBreak(value, &i)
                indention = true
                breaks = true
            } else {
                if breaks { writeIndent() }
                write(value, &i)
                indention = false
                spaces = false
                breaks = false
            }
        }
        whitespace = false
        indention = false
    }

    private mutating func writeSingleQuoted(_ value: [UInt8], allowBreaks: Bool) {
        writeIndicator([0x27], needWhitespace: true, isWhitespace: false, isIndention: false)
        var spaces = false
        var breaks = false
        var i = 0
        while i < value.count {
            if value[i] == 0x20 {
                if allowBreaks && !spaces && column > Self.bestWidth && i > 0 && i < value.count - 1
                    && !YAMLBytes.isSpace(value, i + 1)
                {
                    writeIndent()
                    i += 1
                } else {
                    write(value, &i)
                }
                spaces = true
            } else if YAMLBytes.isBreak(value, i) {
                if !breaks && value[i] == 0x0A { putBreak() }
                writeBreak(value, &i)
                indention = true
                breaks = true
            } else {
                if breaks { writeIndent() }
                if value[i] == 0x27 { put(0x27) }  // '' escapes a quote
                write(value, &i)
                indention = false
                spaces = false
                breaks = false
            }
        }
        writeIndicator([0x27], needWhitespace: false, isWhitespace: false, isIndention: false)
        whitespace = false
        indention = false
    }

    private mutating func writeDoubleQuoted(_ value: [UInt8], allowBreaks: Bool) {
        writeIndicator([0x22], needWhitespace: true, isWhitespace: false, isIndention: false)
        var spaces = false
        var i = 0
        // go-yaml's is_bom looks at the start of the value, not at i: a value that begins with a
        // BOM has every character escaped.
        let startsWithBOM = value.count >= 3 && value[0] == 0xEF && value[1] == 0xBB && value[2] == 0xBF
        while i < value.count {
            if !YAMLBytes.isPrintable(value, i) || startsWithBOM || YAMLBytes.isBreak(value, i)
                || value[i] == 0x22 || value[i] == 0x5C
            {
                let (scalar, width) = YAMLBytes.decode(value, i)
                i += width
                put(0x5C)
                switch scalar {
                case 0x00: put(0x30)  // 0
                case 0x07: put(0x61)  // a
                case 0x08: put(0x62)  // b
                case 0x09: put(0x74)  // t
                case 0x0A: put(0x6E)  // n
                case 0x0B: put(0x76)  // v
                case 0x0C: put(0x66)  // f
                case 0x0D: put(0x72)  // r
                case 0x1B: put(0x65)  // e
                case 0x22: put(0x22)
                case 0x5C: put(0x5C)
                case 0x85: put(0x4E)  // N
                case 0xA0: put(0x5F)  // _
                case 0x2028: put(0x4C)  // L
                case 0x2029: put(0x50)  // P
                default:
                    let digits: Int
                    if scalar <= 0xFF {
                        put(0x78)  // x
                        digits = 2
                    } else if scalar <= 0xFFFF {
                        put(0x75)  // u
                        digits = 4
                    } else {
                        put(0x55)  // U
                        digits = 8
                    }
                    for k in stride(from: (digits - 1) * 4, through: 0, by: -4) {
                        let digit = UInt8((scalar >> UInt32(k)) & 0x0F)
                        put(digit < 10 ? digit + 0x30 : digit + 0x41 - 10)
                    }
                }
                spaces = false
            } else if value[i] == 0x20 {
                if allowBreaks && !spaces && column > Self.bestWidth && i > 0 && i < value.count - 1 {
                    writeIndent()
                    if YAMLBytes.isSpace(value, i + 1) { put(0x5C) }
                    i += 1
                } else {
                    write(value, &i)
                }
                spaces = true
            } else {
                write(value, &i)
                spaces = false
            }
        }
        writeIndicator([0x22], needWhitespace: false, isWhitespace: false, isIndention: false)
        whitespace = false
        indention = false
    }

    private mutating func writeLiteral(_ value: [UInt8]) {
        writeIndicator([0x7C], needWhitespace: true, isWhitespace: false, isIndention: false)  // |
        writeBlockScalarHints(value)
        putBreak()
        indention = true
        whitespace = true
        var breaks = true
        var i = 0
        while i < value.count {
            if YAMLBytes.isBreak(value, i) {
                writeBreak(value, &i)
                indention = true
                breaks = true
            } else {
                if breaks { writeIndent() }
                write(value, &i)
                indention = false
                breaks = false
            }
        }
    }

    /// The indentation indicator (for text starting with a space or break) and the chomping
    /// indicator: `-` without a final newline, `+` with more than one, none with exactly one.
    private mutating func writeBlockScalarHints(_ value: [UInt8]) {
        if YAMLBytes.isSpace(value, 0) || YAMLBytes.isBreak(value, 0) {
            writeIndicator([UInt8(0x30 + Self.bestIndent)], needWhitespace: false, isWhitespace: false, isIndention: false)
        }
        var chomp: UInt8?
        if value.isEmpty {
            chomp = 0x2D
        } else {
            var i = value.count - 1
            while i > 0 && value[i] & 0xC0 == 0x80 { i -= 1 }
            if !YAMLBytes.isBreak(value, i) {
                chomp = 0x2D
            } else if i == 0 {
                chomp = 0x2B
            } else {
                i -= 1
                while i > 0 && value[i] & 0xC0 == 0x80 { i -= 1 }
                if YAMLBytes.isBreak(value, i) { chomp = 0x2B }
            }
        }
        if let chomp {
            writeIndicator([chomp], needWhitespace: false, isWhitespace: false, isIndention: false)
        }
    }

    // MARK: - Output primitives

    private mutating func increaseIndent(flow: Bool, indentless: Bool) {
        indents.append(indent)
        if indent < 0 {
            indent = flow ? Self.bestIndent : 0
        } else if !indentless {
            indent += Self.bestIndent
        }
    }

    private mutating func popIndent() {
        indent = indents.popLast() ?? -1
    }

    private mutating func writeIndent() {
        let target = max(indent, 0)
        if !indention || column > target || (column == target && !whitespace) {
            putBreak()
        }
        while column < target { put(0x20) }
        whitespace = true
        indention = true
    }

    private mutating func writeIndicator(_ indicator: [UInt8], needWhitespace: Bool, isWhitespace: Bool, isIndention: Bool) {
        if needWhitespace && !whitespace { put(0x20) }
        var i = 0
        while i < indicator.count { write(indicator, &i) }
        whitespace = isWhitespace
        indention = indention && isIndention
    }

    private mutating func put(_ byte: UInt8) {
        out.append(byte)
        column += 1
    }

    private mutating func putBreak() {
        out.append(0x0A)
        column = 0
    }

    /// Copies one UTF-8 character; the column counts characters, not bytes.
    private mutating func write(_ value: [UInt8], _ i: inout Int) {
        let width = max(1, YAMLBytes.width(value[i]))
        let end = min(i + width, value.count)
        out.append(contentsOf: value[i..<end])
        column += 1
        i = end
    }

    private mutating func writeBreak(_ value: [UInt8], _ i: inout Int) {
        if value[i] == 0x0A {
            putBreak()
            i += 1
        } else {
            write(value, &i)
            column = 0
        }
    }
}
