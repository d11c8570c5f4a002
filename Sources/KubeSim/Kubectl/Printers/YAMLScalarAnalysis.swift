/// `yaml_emitter_analyze_scalar`: which styles can represent a scalar.
struct ScalarAnalysis {
    var multiline = false
    var flowPlainAllowed = true
    var blockPlainAllowed = true
    var singleQuotedAllowed = true
    var blockAllowed = true

    init(_ value: [UInt8]) {
        if value.isEmpty {
            flowPlainAllowed = false
            blockAllowed = false
            return
        }
        var blockIndicators = false
        var flowIndicators = false
        var lineBreaks = false
        var specialCharacters = false
        var leadingSpace = false
        var leadingBreak = false
        var trailingSpace = false
        var trailingBreak = false
        var breakSpace = false
        var spaceBreak = false
        var previousSpace = false
        var previousBreak = false

        if value.count >= 3
            && ((value[0] == 0x2D && value[1] == 0x2D && value[2] == 0x2D)
                || (value[0] == 0x2E && value[1] == 0x2E && value[2] == 0x2E))
        {
            blockIndicators = true
            flowIndicators = true
        }

        var precededByWhitespace = true
        var i = 0
        while i < value.count {
            let w = max(1, YAMLBytes.width(value[i]))
            let followedByWhitespace = i + w >= value.count || YAMLBytes.isBlank(value, i + w)
            let c = value[i]
            if i == 0 {
                switch c {
                case 0x23, 0x2C, 0x5B, 0x5D, 0x7B, 0x7D, 0x26, 0x2A, 0x21, 0x7C, 0x3E, 0x27, 0x22, 0x25, 0x40, 0x60:
                    // # , [ ] { } & * ! | > ' " % @ `
                    flowIndicators = true
                    blockIndicators = true
                case 0x3F, 0x3A:  // ? :
                    flowIndicators = true
                    if followedByWhitespace { blockIndicators = true }
                case 0x2D:  // -
                    if followedByWhitespace {
                        flowIndicators = true
                        blockIndicators = true
                    }
                default: break
                }
            } else {
                switch c {
                case 0x2C, 0x3F, 0x5B, 0x5D, 0x7B, 0x7D:  // , ? [ ] { }
                    flowIndicators = true
                case 0x3A:  // :
                    flowIndicators = true
                    if followedByWhitespace { blockIndicators = true }
                case 0x23:  // #
                    if precededByWhitespace {
                        flowIndicators = true
                        blockIndicators = true
                    }
                default: break
                }
            }

            if !YAMLBytes.isPrintable(value, i) { specialCharacters = true }
            if c == 0x20 {
                if i == 0 { leadingSpace = true }
                if i + w == value.count { trailingSpace = true }
                if previousBreak { breakSpace = true }
                previousSpace = true
                previousBreak = false
            } else if YAMLBytes.isBreak(value, i) {
                lineBreaks = true
                if i == 0 { leadingBreak = true }
                if i + w == value.count { trailingBreak = true }
                if previousSpace { spaceBreak = true }
                previousSpace = false
                previousBreak = true
            } else {
                previousSpace = false
                previousBreak = false
            }
            precededByWhitespace = YAMLBytes.isBlankOrBreakOrNUL(value, i)
            i += w
        }

        multiline = lineBreaks
        if leadingSpace || leadingBreak || trailingSpace || trailingBreak {
            flowPlainAllowed = false
            blockPlainAllowed = false
        }
        if trailingSpace { blockAllowed = false }
        if breakSpace {
            flowPlainAllowed = false
            blockPlainAllowed = false
            singleQuotedAllowed = false
        }
        if spaceBreak || specialCharacters {
            flowPlainAllowed = false
            blockPlainAllowed = false
            singleQuotedAllowed = false
            blockAllowed = false
        }
        if lineBreaks {
            flowPlainAllowed = false
            blockPlainAllowed = false
        }
        if flowIndicators { flowPlainAllowed = false }
        if blockIndicators { blockPlainAllowed = false }
    }
}

/// libyaml's byte-class macros (`yamlprivateh.go`); an index past the end reads as NUL, where
/// Go would have read a zero byte or (unreachably) panicked.
enum YAMLBytes {
    static func at(_ b: [UInt8], _ i: Int) -> UInt8 { b.indices.contains(i) ? b[i] : 0 }

    static func width(_ lead: UInt8) -> Int {
        if lead & 0x80 == 0x00 { return 1 }
        if lead & 0xE0 == 0xC0 { return 2 }
        if lead & 0xF0 == 0xE0 { return 3 }
        if lead & 0xF8 == 0xF0 { return 4 }
        return 0
    }

    static func isSpace(_ b: [UInt8], _ i: Int) -> Bool { at(b, i) == 0x20 }

    static func isBlank(_ b: [UInt8], _ i: Int) -> Bool { at(b, i) == 0x20 || at(b, i) == 0x09 }

    static func isBreak(_ b: [UInt8], _ i: Int) -> Bool {
        let c = at(b, i)
        return c == 0x0D || c == 0x0A
            || (c == 0xC2 && at(b, i + 1) == 0x85)
            || (c == 0xE2 && at(b, i + 1) == 0x80 && (at(b, i + 2) == 0xA8 || at(b, i + 2) == 0xA9))
    }

    /// `is_blankz`: blank, break or NUL.
    static func isBlankOrBreakOrNUL(_ b: [UInt8], _ i: Int) -> Bool {
        isBlank(b, i) || isBreak(b, i) || at(b, i) == 0
    }

    /// `is_printable`: LF, printable ASCII and the printable BMP ranges; note that characters
    /// outside the BMP (4-byte UTF-8) are not "printable" and get escaped.
    static func isPrintable(_ b: [UInt8], _ i: Int) -> Bool {
        let c = at(b, i)
        let c1 = at(b, i + 1)
        let c2 = at(b, i + 2)
        return c == 0x0A
            || (c >= 0x20 && c <= 0x7E)
            || (c == 0xC2 && c1 >= 0xA0)
            || (c > 0xC2 && c < 0xED)
            || (c == 0xED && c1 < 0xA0)
            || c == 0xEE
            || (c == 0xEF && !(c1 == 0xBB && c2 == 0xBF) && !(c1 == 0xBF && (c2 == 0xBE || c2 == 0xBF)))
    }

    /// The code point at `i` and its width in bytes, as the double-quoted writer decodes it.
    static func decode(_ b: [UInt8], _ i: Int) -> (UInt32, Int) {
        let lead = at(b, i)
        var w: Int
        var v: UInt32
        switch lead {
        case _ where lead & 0x80 == 0x00: (w, v) = (1, UInt32(lead & 0x7F))
        case _ where lead & 0xE0 == 0xC0: (w, v) = (2, UInt32(lead & 0x1F))
        case _ where lead & 0xF0 == 0xE0: (w, v) = (3, UInt32(lead & 0x0F))
        case _ where lead & 0xF8 == 0xF0: (w, v) = (4, UInt32(lead & 0x07))
        default: (w, v) = (1, UInt32(lead))
        }
        if w > 1 {
            for k in 1..<w { v = (v << 6) + UInt32(at(b, i + k) & 0x3F) }
        }
        w = max(1, min(w, b.count - i))
        return (v, w)
    }
}
