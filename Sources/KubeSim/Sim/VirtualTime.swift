/// A point in virtual time: nanoseconds since the Unix epoch.
///
/// Every timestamp the cluster writes (`creationTimestamp`, lease `renewTime`, event times)
/// comes from the simulation clock, never from the host.
public struct VirtualTime: Comparable, Hashable, Sendable, CustomStringConvertible {
    public var nanos: Int64

    public init(nanos: Int64) { self.nanos = nanos }
    public init(seconds: Int64) { self.nanos = seconds &* 1_000_000_000 }

    public static func < (a: VirtualTime, b: VirtualTime) -> Bool { a.nanos < b.nanos }

    /// Whole seconds, rounded down (toward the past), for any `nanos`.
    public var seconds: Int64 { nanos >= 0 ? nanos / 1_000_000_000 : -((-(nanos + 1)) / 1_000_000_000) - 1 }

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

    /// Go's `time.RFC1123Z` in UTC, as `kubectl describe` prints times:
    /// `Mon, 01 Jan 2024 00:00:00 +0000`.
    public var rfc1123Z: String { Self.rfc1123Z(seconds: seconds) }

    /// `time.RFC1123Z` of whole seconds since the epoch, for any year (describe prints
    /// timestamps a cluster's clock could never reach, as Go's zero time).
    static func rfc1123Z(seconds secs: Int64) -> String {
        let days = secs >= 0 ? secs / 86_400 : -((-(secs + 1)) / 86_400) - 1
        let rem = secs &- days &* 86_400
        let (y, m, d) = civil(fromDays: days)
        let weekdays = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        // 1970-01-01 was a Thursday.
        let weekday = Int(((days % 7) + 11) % 7)
        func two(_ v: Int64) -> String { v < 10 ? "0\(v)" : "\(v)" }
        // Go's appendInt: at least four digits, a sign before them.
        var year = String(y.magnitude)
        while year.count < 4 { year = "0" + year }
        if y < 0 { year = "-" + year }
        let month = months.indices.contains(Int(m - 1)) ? months[Int(m - 1)] : "???"
        return "\(weekdays[weekday]), \(two(d)) \(month) \(year) "
            + "\(two(rem / 3600)):\(two(rem / 60 % 60)):\(two(rem % 60)) +0000"
    }

    static func format(nanos: Int64, fractionDigits: Int) -> String {
        let secs = VirtualTime(nanos: nanos).seconds
        // Wrapping: the true remainder lies in 0..<1e9 even where secs * 1e9 does not fit.
        let frac = nanos &- secs &* 1_000_000_000
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

/// Why Go's `time.ParseDuration` refuses a text, in its words.
public struct DurationSyntaxError: Error, Sendable {
    public let message: String
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

    /// Parses Go's duration syntax (`300ms`, `1m30s`, `2h`, `1.5s`); nil when Go's
    /// `time.ParseDuration` would refuse it (`parse(go:)` says why).
    public init?(go text: String) {
        guard case .success(let d) = Duration.parse(go: text) else { return nil }
        self = d
    }

    /// Go's `time.ParseDuration`, exactly: whole units in integers (so `8784h1ns` keeps its
    /// nanosecond), a fraction scaled through a double as Go does, ASCII digits only, and
    /// Go's error text when it refuses (`time: invalid duration "1x1"`,
    /// `time: missing unit in duration "1"`, `time: unknown unit "d" in duration "1d"`).
    public static func parse(go text: String) -> Result<Duration, DurationSyntaxError> {
        let quoted = GoValue.goQuote(text)
        let invalid = DurationSyntaxError(message: "time: invalid duration " + quoted)
        var s = Substring(text).utf8[...]
        var negative = false
        if let c = s.first, c == UInt8(ascii: "-") || c == UInt8(ascii: "+") {
            negative = c == UInt8(ascii: "-")
            s = s.dropFirst()
        }
        if s.elementsEqual("0".utf8) { return .success(.zero) }
        if s.isEmpty { return .failure(invalid) }
        let limit = UInt64(1) << 63
        func isDigit(_ c: UInt8) -> Bool { c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9") }
        var total: UInt64 = 0
        while let first = s.first {
            guard first == UInt8(ascii: ".") || isDigit(first) else { return .failure(invalid) }
            // [0-9]*: overflow past 2^63 is an error.
            var whole: UInt64 = 0
            var wholeDigits = 0
            while let c = s.first, isDigit(c) {
                if whole > limit / 10 { return .failure(invalid) }
                whole = whole * 10 + UInt64(c - UInt8(ascii: "0"))
                if whole > limit { return .failure(invalid) }
                wholeDigits += 1
                s = s.dropFirst()
            }
            // (\.[0-9]*)?: digits past what 63 bits hold only stop adding precision.
            var fraction: UInt64 = 0
            var scale = 1.0
            var fractionDigits = 0
            if s.first == UInt8(ascii: ".") {
                s = s.dropFirst()
                var overflow = false
                while let c = s.first, isDigit(c) {
                    s = s.dropFirst()
                    fractionDigits += 1
                    if overflow { continue }
                    let next = fraction > (limit - 1) / 10 ? limit + 1 : fraction * 10 + UInt64(c - UInt8(ascii: "0"))
                    if next > limit {
                        overflow = true
                        continue
                    }
                    fraction = next
                    scale *= 10
                }
            }
            if wholeDigits == 0 && fractionDigits == 0 { return .failure(invalid) }
            // The unit: everything up to the next number.
            var unitEnd = s.startIndex
            while unitEnd < s.endIndex, !(s[unitEnd] == UInt8(ascii: ".") || isDigit(s[unitEnd])) {
                unitEnd = s.index(after: unitEnd)
            }
            if unitEnd == s.startIndex {
                return .failure(DurationSyntaxError(message: "time: missing unit in duration " + quoted))
            }
            let unitBytes = s[s.startIndex..<unitEnd]
            s = s[unitEnd...]
            guard let unit = unitNanos(unitBytes) else {
                let unitText = String(decoding: unitBytes, as: UTF8.self)
                return .failure(DurationSyntaxError(
                    message: "time: unknown unit " + GoValue.goQuote(unitText) + " in duration " + quoted))
            }
            if whole > limit / unit { return .failure(invalid) }
            var value = whole * unit
            if fraction > 0 {
                // As Go: a double is nanosecond-exact for fractions of an hour.
                value += UInt64(Double(fraction) * (Double(unit) / scale))
                if value > limit { return .failure(invalid) }
            }
            total += value
            if total > limit { return .failure(invalid) }
        }
        if negative { return .success(Duration(nanos: Int64(truncatingIfNeeded: 0 &- total))) }
        if total > limit - 1 { return .failure(invalid) }
        return .success(Duration(nanos: Int64(total)))
    }

    /// Go's `unitMap`: nanoseconds per unit, both micro signs included.
    private static func unitNanos(_ unit: Substring.UTF8View.SubSequence) -> UInt64? {
        switch String(decoding: unit, as: UTF8.self) {
        case "ns": return 1
        case "us", "\u{00B5}s", "\u{03BC}s": return 1_000
        case "ms": return 1_000_000
        case "s": return 1_000_000_000
        case "m": return 60_000_000_000
        case "h": return 3_600_000_000_000
        default: return nil
        }
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
