/// A point in virtual time: nanoseconds since the Unix epoch.
///
/// Every timestamp the cluster writes (`creationTimestamp`, lease `renewTime`, event times)
/// comes from the simulation clock, never from the host.
public struct VirtualTime: Comparable, Hashable, Sendable, CustomStringConvertible {
    public var nanos: Int64

    public init(nanos: Int64) { self.nanos = nanos }
    public init(seconds: Int64) { self.nanos = seconds &* 1_000_000_000 }

    public static func < (a: VirtualTime, b: VirtualTime) -> Bool { a.nanos < b.nanos }

    public var seconds: Int64 { nanos >= 0 ? nanos / 1_000_000_000 : (nanos - 999_999_999) / 1_000_000_000 }

    /// The last instant a cluster's clock may reach (2262-01-01T00:00:00Z). Int64 nanoseconds
    /// end in April 2262; the months between leave room for the timers set before it.
    public static let latest = VirtualTime(seconds: 9_214_646_400)

    /// Saturating: a time past the end of Int64 is the end (a timer there never comes due),
    /// where a wrapped one would lie in 1677 and always be due.
    public func adding(_ d: Duration) -> VirtualTime {
        let (sum, overflow) = nanos.addingReportingOverflow(d.nanos)
        return VirtualTime(nanos: overflow ? (d.nanos > 0 ? .max : .min) : sum)
    }
    public static func + (t: VirtualTime, d: Duration) -> VirtualTime { t.adding(d) }
    public static func - (a: VirtualTime, b: VirtualTime) -> Duration { Duration(nanos: a.nanos &- b.nanos) }

    /// RFC 3339 in UTC with whole seconds, as `metav1.Time` serialises: `2024-01-01T00:00:00Z`.
    public var rfc3339: String { Self.format(nanos: nanos, fractionDigits: 0) }

    /// RFC 3339 with microseconds, as `metav1.MicroTime` serialises: `2024-01-01T00:00:00.000000Z`.
    public var rfc3339Micro: String { Self.format(nanos: nanos, fractionDigits: 6) }

    public var description: String { rfc3339Micro }

    static func format(nanos: Int64, fractionDigits: Int) -> String {
        let secs = nanos >= 0 ? nanos / 1_000_000_000 : (nanos - 999_999_999) / 1_000_000_000
        let frac = nanos - secs * 1_000_000_000
        let days = secs >= 0 ? secs / 86_400 : (secs - 86_399) / 86_400
        let rem = secs - days * 86_400
        let (y, m, d) = civil(fromDays: days)
        // Written digit by digit straight into the string's storage: timestamps are formatted
        // on every write.
        let count = 20 + (fractionDigits > 0 ? fractionDigits + 1 : 0)
        return String(unsafeUninitializedCapacity: count) { bytes in
            var i = 0
            func put(_ v: Int64, _ width: Int) {
                var v = max(0, v)
                var k = width - 1
                while k >= 0 {
                    bytes[i + k] = UInt8(48 + v % 10)
                    v /= 10
                    k -= 1
                }
                i += width
            }
            func sep(_ c: UInt8) {
                bytes[i] = c
                i += 1
            }
            put(y, 4); sep(45); put(m, 2); sep(45); put(d, 2); sep(84)
            put(rem / 3600, 2); sep(58); put(rem / 60 % 60, 2); sep(58); put(rem % 60, 2)
            if fractionDigits > 0 {
                var f = frac
                for _ in 0..<(9 - fractionDigits) { f /= 10 }
                sep(46)
                put(f, fractionDigits)
            }
            sep(90)
            return i
        }
    }

    /// Days since 1970-01-01 → (year, month, day), proleptic Gregorian (Howard Hinnant's algorithm).
    static func civil(fromDays z0: Int64) -> (Int64, Int64, Int64) {
        let z = z0 + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let y = yoe + era * 400
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (m <= 2 ? y + 1 : y, m, d)
    }

    static func days(fromCivil y0: Int64, _ m: Int64, _ d: Int64) -> Int64 {
        let y = m <= 2 ? y0 - 1 : y0
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// Parses RFC 3339 (`2024-01-01T00:00:00Z`, optional fraction, `Z` or `±hh:mm`).
    public init?(rfc3339 text: String) {
        let b = Array(text.utf8)
        func num(_ from: Int, _ len: Int) -> Int64? {
            guard from + len <= b.count else { return nil }
            var v: Int64 = 0
            for i in from..<(from + len) {
                let c = b[i]
                guard c >= 48, c <= 57 else { return nil }
                v = v * 10 + Int64(c - 48)
            }
            return v
        }
        guard b.count >= 20, let y = num(0, 4), b[4] == 45, let mo = num(5, 2), b[7] == 45, let d = num(8, 2),
            b[10] == 84 || b[10] == 116 || b[10] == 32, let h = num(11, 2), b[13] == 58, let mi = num(14, 2),
            b[16] == 58, let s = num(17, 2),
            (1...12).contains(mo), (1...31).contains(d), h < 24, mi < 60, s < 61,
            // Int64 nanoseconds span 1678–2262; anything outside cannot be represented.
            (1678...2261).contains(y)
        else { return nil }
        var i = 19
        var frac: Int64 = 0
        if i < b.count, b[i] == 46 {
            i += 1
            var digits = 0
            while i < b.count, b[i] >= 48, b[i] <= 57 {
                if digits < 9 { frac = frac * 10 + Int64(b[i] - 48); digits += 1 }
                i += 1
            }
            guard digits > 0 else { return nil }
            for _ in digits..<9 { frac *= 10 }
        }
        var offset: Int64 = 0
        guard i < b.count else { return nil }
        if b[i] == 90 || b[i] == 122 {
            i += 1
        } else if b[i] == 43 || b[i] == 45, let oh = num(i + 1, 2), i + 3 < b.count, b[i + 3] == 58,
            let om = num(i + 4, 2)
        {
            offset = (oh * 3600 + om * 60) * (b[i] == 43 ? 1 : -1)
            i += 6
        } else {
            return nil
        }
        guard i == b.count else { return nil }
        let secs = VirtualTime.days(fromCivil: y, mo, d) * 86_400 + h * 3600 + mi * 60 + s - offset
        self.nanos = secs * 1_000_000_000 + frac
    }
}

/// A span of virtual time in nanoseconds. (Not Swift's `Duration`, to keep arithmetic
/// trivially deterministic and cheap.)
public struct Duration: Comparable, Hashable, Sendable {
    public var nanos: Int64
    public init(nanos: Int64) { self.nanos = nanos }
    public static func < (a: Duration, b: Duration) -> Bool { a.nanos < b.nanos }
    public static func + (a: Duration, b: Duration) -> Duration { Duration(nanos: a.nanos &+ b.nanos) }
    public static func * (a: Duration, k: Int64) -> Duration { Duration(nanos: a.nanos &* k) }
    public static let zero = Duration(nanos: 0)

    public static func seconds(_ s: Int64) -> Duration { Duration(nanos: s &* 1_000_000_000) }
    public static func millis(_ ms: Int64) -> Duration { Duration(nanos: ms &* 1_000_000) }
    public static func micros(_ us: Int64) -> Duration { Duration(nanos: us &* 1_000) }

    public var seconds: Int64 { nanos / 1_000_000_000 }
    public var secondsDouble: Double { Double(nanos) / 1e9 }

    /// Parses Go's duration syntax (`300ms`, `1m30s`, `2h`, `1.5s`); nil when malformed or
    /// out of range.
    public init?(go text: String) {
        var s = Substring(text)
        var negative = false
        if s.first == "-" || s.first == "+" { negative = s.first == "-"; s = s.dropFirst() }
        if s == "0" { self.nanos = 0; return }
        guard !s.isEmpty else { return nil }
        var total: Double = 0
        while !s.isEmpty {
            let numEnd = s.firstIndex { !($0.isNumber || $0 == ".") } ?? s.endIndex
            guard numEnd > s.startIndex, let value = Double(s[s.startIndex..<numEnd]) else { return nil }
            s = s[numEnd...]
            let unitEnd = s.firstIndex { $0.isNumber || $0 == "." } ?? s.endIndex
            let unit = s[s.startIndex..<unitEnd]
            s = s[unitEnd...]
            let scale: Double
            switch unit {
            case "ns": scale = 1
            case "us", "µs": scale = 1e3
            case "ms": scale = 1e6
            case "s": scale = 1e9
            case "m": scale = 60e9
            case "h": scale = 3600e9
            default: return nil
            }
            total += value * scale
        }
        guard total.isFinite, total < 9.2e18 else { return nil }
        self.nanos = Int64(total) * (negative ? -1 : 1)
    }

    /// Go's `time.Duration.String()` truncated to milliseconds: `1.234s`, `512ms`, `1m2.5s`.
    public var goStringMillis: String {
        let ms = nanos / 1_000_000
        if ms == 0 { return "0s" }
        if ms < 1000 { return "\(ms)ms" }
        var out = ""
        var rest = ms
        let h = rest / 3_600_000
        rest -= h * 3_600_000
        let m = rest / 60_000
        rest -= m * 60_000
        if h > 0 { out += "\(h)h" }
        if h > 0 || m > 0 { out += "\(m)m" }
        let s = rest / 1000
        let frac = rest % 1000
        if frac == 0 {
            out += "\(s)s"
        } else {
            var f = String(frac)
            f = String(repeating: "0", count: 3 - f.count) + f
            while f.hasSuffix("0") { f.removeLast() }
            out += "\(s).\(f)s"
        }
        return out
    }
}
