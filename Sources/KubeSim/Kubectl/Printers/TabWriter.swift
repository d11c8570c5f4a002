/// The elastic-tabstop writer kubectl prints tables through.
///
/// A port of `github.com/liggitt/tabwriter` (a fork of Go's `text/tabwriter`) as
/// `cli-runtime/pkg/printers/tabwriter.go` configures it: minwidth 6, tabwidth 4, padding 3,
/// pad with spaces, flag `RememberWidths`. Cells end at `\t`; a column's width is its widest
/// cell (in runes) plus the padding, at least `minWidth`; the text after a line's last tab is
/// not a column and is never padded. Widths are computed per block of consecutive lines that
/// have the column, exactly as Go does, and with `rememberWidths` a column never shrinks
/// across flushes (what keeps `kubectl get -w` rows aligned with the header).
///
///     var w = TabWriter()
///     w.write("NAME\tREADY\nweb-1\t1/1\n")
///     w.flush()   // "NAME    READY\nweb-1   1/1\n"
///
/// Go's escape (`0xff`) and HTML filtering are not ported: neither can occur in the UTF-8
/// cell text kubectl writes with the flags it uses.
public struct TabWriter: Sendable {
    public let minWidth: Int
    public let tabWidth: Int
    public let padding: Int
    public let rememberWidths: Bool

    struct Cell: Sendable {
        var size = 0  // bytes
        var width = 0  // runes
        var htab = false  // terminated by '\t'
    }

    private var buf: [UInt8] = []
    private var pos = 0
    private var cell = Cell()
    private var lines: [[Cell]] = [[]]
    private var widths: [Int] = []
    private var maxWidths: [Int] = []
    private var out: [UInt8] = []

    public init(minWidth: Int = 6, tabWidth: Int = 4, padding: Int = 3, rememberWidths: Bool = true) {
        self.minWidth = max(0, minWidth)
        self.tabWidth = max(0, tabWidth)
        self.padding = max(0, padding)
        self.rememberWidths = rememberWidths
    }

    /// Column widths remembered from earlier flushes (`RememberedWidths()` in Go).
    public var rememberedWidths: [Int] { maxWidths }

    /// Formats `text` in one pass: write, then flush.
    public static func format(_ text: String) -> String {
        var w = TabWriter()
        w.write(text)
        return w.flush()
    }

    /// Buffers `text`. A line holding a single cell, or a form feed, flushes what came before,
    /// as in Go; that output is returned by the next `flush()`.
    public mutating func write(_ text: String) {
        let bytes = Array(text.utf8)
        var n = 0
        for (i, ch) in bytes.enumerated() {
            switch ch {
            case 0x09, 0x0B, 0x0A, 0x0C:  // \t \v \n \f
                append(bytes[n..<i])
                updateWidth()
                n = i + 1
                let ncells = terminateCell(htab: ch == 0x09)
                if ch == 0x0A || ch == 0x0C {
                    lines.append([])
                    if ch == 0x0C || ncells == 1 {
                        flushPending()
                    }
                }
            default:
                continue
            }
        }
        append(bytes[n..<bytes.count])
    }

    /// Formats everything buffered and returns all output produced since the last `flush()`.
    public mutating func flush() -> String {
        flushPending()
        let text = String(decoding: out, as: UTF8.self)
        out.removeAll(keepingCapacity: true)
        return text
    }

    // MARK: - Go's internals

    private mutating func flushPending() {
        if cell.size > 0 {
            _ = terminateCell(htab: false)
        }
        _ = format(0, 0, lines.count)
        reset()
    }

    private mutating func reset() {
        buf.removeAll(keepingCapacity: true)
        pos = 0
        cell = Cell()
        lines = [[]]
        widths.removeAll(keepingCapacity: true)
    }

    private mutating func append(_ text: ArraySlice<UInt8>) {
        buf.append(contentsOf: text)
        cell.size += text.count
    }

    /// `utf8.RuneCount` of the text added since the last update: every byte that is not a
    /// continuation byte starts a rune.
    private mutating func updateWidth() {
        var runes = 0
        var i = pos
        while i < buf.count {
            if buf[i] & 0xC0 != 0x80 { runes += 1 }
            i += 1
        }
        cell.width += runes
        pos = buf.count
    }

    private mutating func terminateCell(htab: Bool) -> Int {
        cell.htab = htab
        if lines.isEmpty { lines.append([]) }
        lines[lines.count - 1].append(cell)
        cell = Cell()
        return lines[lines.count - 1].count
    }

    private mutating func writePadding(textWidth: Int, cellWidth: Int) {
        let n = cellWidth - textWidth
        if n > 0 { out.append(contentsOf: repeatElement(0x20, count: n)) }
    }

    private mutating func writeLines(_ pos0: Int, _ line0: Int, _ line1: Int) -> Int {
        var pos = pos0
        var i = line0
        while i < line1 {
            let line = lines[i]
            for (j, c) in line.enumerated() {
                if c.size > 0 {
                    let end = min(pos + c.size, buf.count)
                    if pos < end { out.append(contentsOf: buf[pos..<end]) }
                    pos += c.size
                }
                if j < widths.count {
                    writePadding(textWidth: c.width, cellWidth: widths[j])
                }
            }
            if i + 1 == lines.count {
                // The incomplete cell of the last line (empty after a flush terminated it).
                let end = min(pos + cell.size, buf.count)
                if pos < end { out.append(contentsOf: buf[pos..<end]) }
                pos += cell.size
            } else {
                out.append(0x0A)
            }
            i += 1
        }
        return pos
    }

    /// One activation of Go's recursive `format`: lines `line0..<line1`, scanning at `this`.
    private struct Frame {
        var line0: Int
        var this: Int
        let line1: Int
    }

    /// Go's column-block formatter: finds each block of consecutive lines that have a cell in
    /// column `widths.count`, sizes it, and descends for the columns to its right. Go recurses
    /// once per column; this runs the same steps on an explicit stack, so a cell full of tabs
    /// cannot exhaust the host's stack.
    private mutating func format(_ pos0: Int, _ line0: Int, _ line1: Int) -> Int {
        var pos = pos0
        var stack = [Frame(line0: line0, this: line0, line1: line1)]
        while var frame = stack.popLast() {
            let column = widths.count
            var descended = false
            while frame.this < frame.line1 {
                if column >= lines[frame.this].count - 1 {
                    frame.this += 1
                    continue
                }
                pos = writeLines(pos, frame.line0, frame.this)
                let blockStart = frame.this

                var width = minWidth
                while frame.this < frame.line1 {
                    let line = lines[frame.this]
                    if column >= line.count - 1 { break }
                    width = max(width, line[column].width + padding)
                    frame.this += 1
                }

                if rememberWidths {
                    if maxWidths.count < widths.count {
                        maxWidths.append(contentsOf: widths[maxWidths.count...])
                    }
                    if maxWidths.count == widths.count {
                        maxWidths.append(width)
                    } else if maxWidths[column] > width {
                        width = maxWidths[column]
                    } else if maxWidths[column] < width {
                        maxWidths[column] = width
                    }
                }

                // "Recurse": the parent resumes after the block, with line0 at its end.
                widths.append(width)
                let child = Frame(line0: blockStart, this: blockStart, line1: frame.this)
                frame.line0 = frame.this
                stack.append(frame)
                stack.append(child)
                descended = true
                break
            }
            if descended { continue }
            pos = writeLines(pos, frame.line0, frame.line1)
            // Every frame but the outermost owns the width its parent pushed for it.
            if !stack.isEmpty { widths.removeLast() }
        }
        return pos
    }
}
