/// A resource amount such as `100m`, `128Mi` or `2`, parsed and printed as
/// `k8s.io/apimachinery/pkg/api/resource.Quantity` does.
///
///     Quantity.parse("1.5")?.description     // "1500m"
///     Quantity.parse("0.5Gi")?.description   // "512Mi"
///     Quantity.parse("128974848")?.value     // 128974848
///
/// The value is kept exactly as a decimal (digits and a power of ten), rounded up to
/// nano precision as upstream rounds; the `format` (decimal SI, binary SI or decimal
/// exponent) comes from the suffix and decides how `description` prints. Equality and
/// ordering compare values only (`1Gi == 1073741824`), as `Quantity.Cmp` does.
public struct Quantity: Sendable, Equatable, Comparable, CustomStringConvertible {
    /// How a quantity prints (`resource.Format`).
    enum Format: Sendable {
        case decimalSI, binarySI, decimalExponent
    }

    /// Why `parse` failed, worded as upstream's `ErrFormatWrong`, `ErrNumeric` and `ErrSuffix`.
    enum ParseError: Error, Equatable, Sendable {
        case formatWrong, numeric, suffix

        var message: String {
            switch self {
            case .formatWrong:
                return "quantities must match the regular expression '" + Quantity.splitPattern + "'"
            case .numeric: return "unable to parse numeric part of quantity"
            case .suffix: return "unable to parse quantity's suffix"
            }
        }
    }

    static let splitPattern = "^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$"

    /// Decimal digits of the magnitude, most significant first, without leading or trailing
    /// zeros; empty for zero.
    var digits: [UInt8]
    /// The power of ten the digits are scaled by.
    var exponent: Int
    var negative: Bool
    var format: Format

    init(digits: [UInt8], exponent: Int, negative: Bool, format: Format) {
        self.digits = digits
        self.exponent = exponent
        self.negative = negative
        self.format = format
        normalize()
    }

    /// A whole number in decimal SI (`Quantity.NewQuantity(v, DecimalSI)`).
    init(integer: Int64) {
        let magnitude = integer.magnitude
        self.init(digits: magnitude == 0 ? [] : Quantity.decimalDigits(magnitude), exponent: 0,
                  negative: integer < 0, format: .decimalSI)
    }

    /// Thousandths in decimal SI (`Quantity.NewMilliQuantity(v, DecimalSI)`), for sums of
    /// `milliValue`s (scheduler and kubelet accounting).
    init(milli: Int64) {
        var q = Quantity(integer: milli)
        if !q.digits.isEmpty { q.exponent -= 3 }
        self = q
    }

    var isZero: Bool { digits.isEmpty }

    // MARK: - Parsing

    /// Parses upstream's quantity grammar (`resource.ParseQuantity`); `nil` when malformed.
    public static func parse(_ text: String) -> Quantity? {
        if case .success(let q) = parseResult(text) { return q }
        return nil
    }

    /// A JSON string (trimmed, as `Quantity.UnmarshalJSON` trims) or number.
    public init?(json: JSON) {
        switch json {
        case .string(let s):
            guard let q = Quantity.parse(Quantity.trimmingSpaces(s)) else { return nil }
            self = q
        case .int(let i):
            guard let q = Quantity.parse(String(i)) else { return nil }
            self = q
        case .double(let d):
            guard d.isFinite, let q = Quantity.parse(JSON.formatDouble(d)) else { return nil }
            self = q
        default:
            return nil
        }
    }

    static func trimmingSpaces(_ s: String) -> String {
        // Almost every quantity has no space at either end: say so from two bytes.
        let spaced = s.withUTF8Bytes { bytes in
            guard let first = bytes.first, let last = bytes.last else { return false }
            return isSpaceByte(first) || isSpaceByte(last)
        }
        if !spaced { return s }
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }
        guard let first = s.firstIndex(where: { !isSpace($0) }), let last = s.lastIndex(where: { !isSpace($0) }) else {
            return ""
        }
        return String(s[first...last])
    }

    private static func isSpaceByte(_ b: UInt8) -> Bool {
        b == UInt8(ascii: " ") || b == UInt8(ascii: "\t") || b == UInt8(ascii: "\n") || b == UInt8(ascii: "\r")
    }

    /// The parse with upstream's error, for decode failures (`quantities must match …`).
    static func parseResult(_ text: String) -> Result<Quantity, ParseError> {
        if let q = parseSimple(text) { return .success(q) }
        return parseGeneral(text)
    }

    /// Whole digits with an SI or binary suffix or none (`100m`, `128Mi`, `110`): the forms
    /// objects carry, as read from their bytes by `simpleForm`.
    private struct SimpleForm {
        enum Suffix { case none, decimal(Int), binary(Int) }
        /// The digits' value (at most 18 of them, so it fits an `Int64`).
        let value: UInt64
        let digitCount: Int
        /// Whether the first digit is a 0 (`05`, `0m`), which the canonical form never has
        /// but in `0` itself.
        let leadingZero: Bool
        let suffix: Suffix
    }

    /// `text` as whole digits and a suffix, in one pass; nil for every other form.
    private static func simpleForm(_ text: String) -> SimpleForm? {
        text.withUTF8Bytes { bytes -> SimpleForm? in
            var value: UInt64 = 0
            var i = 0
            while i < bytes.count, bytes[i] &- UInt8(ascii: "0") < 10 {
                if i == 18 { return nil }
                value = value &* 10 &+ UInt64(bytes[i] &- UInt8(ascii: "0"))
                i += 1
            }
            if i == 0 { return nil }
            let zero = bytes[0] == UInt8(ascii: "0")
            switch bytes.count - i {
            case 0:
                return SimpleForm(value: value, digitCount: i, leadingZero: zero, suffix: .none)
            case 1:
                guard let p = decimalPower(bytes[i]) else { return nil }
                return SimpleForm(value: value, digitCount: i, leadingZero: zero, suffix: .decimal(p))
            case 2:
                guard bytes[i + 1] == UInt8(ascii: "i"), let p = binaryPower(bytes[i]) else { return nil }
                return SimpleForm(value: value, digitCount: i, leadingZero: zero, suffix: .binary(p))
            default:
                return nil
            }
        }
    }

    /// The simple forms read without the general parse's intermediate arrays. nil leaves
    /// everything else (signs, fractions, exponents, 19 digits or more, a binary amount past
    /// `Int64.max`) to `parseGeneral`, which gives the same result for these.
    private static func parseSimple(_ text: String) -> Quantity? {
        guard let form = simpleForm(text) else { return nil }
        var value = form.value
        var power = 0
        var format = Format.decimalSI
        switch form.suffix {
        case .none:
            break
        case .decimal(let p):
            power = p
        case .binary(let p):
            // Past Int64.max the general parse caps the amount.
            guard value <= UInt64(Int64.max) >> UInt64(p) else { return nil }
            value <<= UInt64(p)
            format = .binarySI
        }
        if value == 0 { return Quantity(digits: [], exponent: 0, negative: false, format: format) }
        while value % 10 == 0 {
            value /= 10
            power += 1
        }
        return Quantity(digits: decimalDigits(value), exponent: power, negative: false, format: format)
    }

    /// Whether `text` is already what `SetDefaults_ResourceList` stores for it, the canonical
    /// form at milli precision, told from its bytes alone: whole digits without a leading zero
    /// and a suffix of milli or above, or a binary one, whose amount no larger unit divides
    /// (`100m`, `4Gi`, `110`, not `1000m` or `1024Ki`). `false` only sends the text through
    /// the parse and print, which decide the rest; the defaulting of every node and
    /// container resource list asks this of each quantity first.
    static func isCanonicalAtMilli(_ text: String) -> Bool {
        guard let form = simpleForm(text) else { return false }
        // "0" alone; "0m", "00" print as "0", and "05" as "5".
        if form.value == 0, case .none = form.suffix, form.digitCount == 1 { return true }
        if form.leadingZero { return false }
        switch form.suffix {
        case .none:
            return form.value % 1000 != 0
        case .decimal(let p):
            // Below milli (`n`, `u`) rounds; above E has no suffix to print.
            return p >= -3 && form.value % 1000 != 0
        case .binary(let p):
            return form.value <= UInt64(Int64.max) >> UInt64(p) && form.value % 1024 != 0
        }
    }

    /// `milliValue` of text that is whole digits with a suffix of milli or above, or a binary
    /// one, when it fits an `Int64` (`4`, `100m`, `8Gi`): what nodes report, read without
    /// building a quantity. nil for every other text (signs, fractions, exponents, spaces,
    /// amounts past the range), which only the parse reads right.
    static func simpleMilliValue(_ text: String) -> Int64? {
        guard let form = simpleForm(text) else { return nil }
        let scale: Int64
        switch form.suffix {
        case .none:
            scale = 1000
        case .decimal(let p):
            guard p >= -3, p <= 15 else { return nil }
            scale = (0..<(p + 3)).reduce(1) { r, _ in r * 10 }
        case .binary(let p):
            guard p <= 50 else { return nil }
            scale = Int64(1) << Int64(p) * 1000
        }
        let (milli, overflow) = Int64(form.value).multipliedReportingOverflow(by: scale)
        return overflow ? nil : milli
    }

    /// The decimal digits of `value`, most significant first. Appended, then reversed:
    /// `Array(unsafeUninitializedCapacity:)` allocates through a stdlib entry point that looks
    /// up the buffer's type at run time, several times the cost of the digits.
    private static func decimalDigits(_ value: UInt64) -> [UInt8] {
        var digits: [UInt8] = []
        digits.reserveCapacity(20)
        var rest = value
        repeat {
            digits.append(UInt8(truncatingIfNeeded: rest % 10))
            rest /= 10
        } while rest > 0
        digits.reverse()
        return digits
    }

    /// Upstream's whole grammar, `parseQuantityString` and the suffixer.
    static func parseGeneral(_ text: String) -> Result<Quantity, ParseError> {
        let bytes = Array(text.utf8)
        if bytes.isEmpty { return .failure(.formatWrong) }
        if bytes == [UInt8(ascii: "0")] {
            return .success(Quantity(digits: [], exponent: 0, negative: false, format: .decimalSI))
        }
        let parts: QuantityParts
        switch QuantityParts.split(bytes) {
        case .success(let p): parts = p
        case .failure(let e): return .failure(e)
        }
        guard let (base, power, format) = interpretSuffix(parts.suffix) else { return .failure(.suffix) }
        guard parts.number.allSatisfy(isDigit), parts.fraction.allSatisfy(isDigit) else { return .failure(.numeric) }

        var ds = (parts.number + parts.fraction).map { $0 &- UInt8(ascii: "0") }
        var exp = -parts.fraction.count
        if base == 10 {
            exp += power
        } else {
            for _ in 0..<(power / 10) { ds = multiply(ds, by: 1024) }
        }
        var q = Quantity(digits: ds, exponent: exp, negative: !parts.positive, format: format)
        q.roundUpToNano()
        if format == .binarySI {
            // Binary amounts are capped at MaxInt64, and a binary amount below one prints
            // as decimal (`ParseQuantity`'s maxAllowed and decOne checks).
            if q.magnitudeExceedsInt64Max { q.digits = Quantity.int64MaxDigits; q.exponent = 0 }
            if !q.isZero, q.digits.count + q.exponent <= 0 { q.format = .decimalSI }
        }
        return .success(q)
    }

    private static func isDigit(_ b: UInt8) -> Bool { b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9") }

    /// `quantitySuffixer.interpret`: the base, power and format of a suffix.
    private static func interpretSuffix(_ s: [UInt8]) -> (Int, Int, Format)? {
        if s.isEmpty { return (10, 0, .decimalSI) }
        if s.count == 1, let p = decimalPower(s[0]) { return (10, p, .decimalSI) }
        if s.count == 2, s[1] == UInt8(ascii: "i"), let p = binaryPower(s[0]) { return (2, p, .binarySI) }
        guard s.count > 1, s[0] == UInt8(ascii: "e") || s[0] == UInt8(ascii: "E"),
            let parsed = Int64(String(decoding: s[1...], as: UTF8.self))
        else { return nil }
        // Upstream converts the parsed exponent with int32(…), which wraps.
        return (10, Int(Int32(truncatingIfNeeded: parsed)), .decimalExponent)
    }

    /// The power of ten of a one-letter decimal SI suffix (`m` → -3, `G` → 9).
    private static func decimalPower(_ letter: UInt8) -> Int? {
        switch letter {
        case UInt8(ascii: "n"): return -9
        case UInt8(ascii: "u"): return -6
        case UInt8(ascii: "m"): return -3
        case UInt8(ascii: "k"): return 3
        case UInt8(ascii: "M"): return 6
        case UInt8(ascii: "G"): return 9
        case UInt8(ascii: "T"): return 12
        case UInt8(ascii: "P"): return 15
        case UInt8(ascii: "E"): return 18
        default: return nil
        }
    }

    /// The power of two of a binary SI suffix by its first letter (`Mi` → 20).
    private static func binaryPower(_ letter: UInt8) -> Int? {
        switch letter {
        case UInt8(ascii: "K"): return 10
        case UInt8(ascii: "M"): return 20
        case UInt8(ascii: "G"): return 30
        case UInt8(ascii: "T"): return 40
        case UInt8(ascii: "P"): return 50
        case UInt8(ascii: "E"): return 60
        default: return nil
        }
    }

    private static func multiply(_ ds: [UInt8], by factor: Int) -> [UInt8] {
        var result: [UInt8] = []
        result.reserveCapacity(ds.count + 4)
        var carry = 0
        for d in ds.reversed() {
            let v = Int(d) * factor + carry
            result.append(UInt8(v % 10))
            carry = v / 10
        }
        while carry > 0 {
            result.append(UInt8(carry % 10))
            carry /= 10
        }
        return result.reversed()
    }

    // MARK: - Normal form and rounding

    private mutating func normalize() {
        var start = 0
        while start < digits.count, digits[start] == 0 { start += 1 }
        var end = digits.count
        while end > start, digits[end - 1] == 0 {
            end -= 1
            exponent &+= 1
        }
        if start > 0 || end < digits.count { digits = Array(digits[start..<end]) }
        if digits.isEmpty {
            exponent = 0
            negative = false
        }
    }

    /// Rounds the magnitude up (away from zero) to nine fractional digits, as the parse's
    /// `amount.Round(amount, Nano, inf.RoundUp)` does.
    private mutating func roundUpToNano() {
        guard !digits.isEmpty, exponent < -9 else { return }
        let drop = -9 - exponent
        if drop >= digits.count {
            digits = [1]
        } else {
            let kept = Array(digits[0..<(digits.count - drop)])
            let lost = digits[(digits.count - drop)...].contains { $0 != 0 }
            digits = lost ? Quantity.increment(kept) : kept
        }
        exponent = -9
        normalize()
    }

    private static func increment(_ ds: [UInt8]) -> [UInt8] {
        var result = ds
        var i = result.count - 1
        while i >= 0 {
            if result[i] == 9 {
                result[i] = 0
                i -= 1
            } else {
                result[i] += 1
                return result
            }
        }
        return [1] + result
    }

    private static let int64MaxDigits: [UInt8] = Array("9223372036854775807".utf8).map { $0 - UInt8(ascii: "0") }

    /// The number of digits before the decimal point (may be zero or negative).
    private var integerDigitCount: Int { digits.count &+ exponent }

    private var magnitudeExceedsInt64Max: Bool {
        guard !digits.isEmpty else { return false }
        let n = integerDigitCount
        if n != 19 { return n > 19 }
        // Same length as MaxInt64: compare digit by digit, padding with zeros; equal
        // integer digits exceed it only when a fraction follows.
        for i in 0..<19 {
            let d: UInt8 = i < digits.count ? digits[i] : 0
            let m = Quantity.int64MaxDigits[i]
            if d != m { return d > m }
        }
        return exponent < 0
    }

    // MARK: - Integer views

    /// The value in thousandths, rounded up and clamped to the `Int64` range.
    public var milliValue: Int64 { scaledValue(power: -3) }

    /// The value, rounded up and clamped to the `Int64` range.
    public var value: Int64 { scaledValue(power: 0) }

    /// `ceil(value / 10^power)`, saturating instead of overflowing.
    private func scaledValue(power: Int) -> Int64 {
        if digits.isEmpty { return 0 }
        let shift = exponent &- power  // value = digits × 10^shift in the target unit
        let wholeCount = digits.count &+ shift
        if wholeCount > 19 { return negative ? Int64.min : Int64.max }
        var whole: UInt64 = 0
        var fraction = false
        var overflow = false
        let totalDigits = max(wholeCount, 0)
        for i in 0..<totalDigits {
            let d: UInt64 = i < digits.count ? UInt64(digits[i]) : 0
            let (m, o1) = whole.multipliedReportingOverflow(by: 10)
            let (s, o2) = m.addingReportingOverflow(d)
            if o1 || o2 { overflow = true; break }
            whole = s
        }
        if wholeCount < digits.count { fraction = true }
        if overflow { return negative ? Int64.min : Int64.max }
        if negative {
            // Ceiling of a negative number drops the fraction.
            if whole > UInt64(Int64.max) + 1 { return Int64.min }
            return whole == UInt64(Int64.max) + 1 ? Int64.min : -Int64(whole)
        }
        if fraction {
            if whole >= UInt64(Int64.max) { return Int64.max }
            whole += 1
        }
        return whole > UInt64(Int64.max) ? Int64.max : Int64(whole)
    }

    /// Rounds up to a multiple of 10^power (`Quantity.RoundUp`); `SetDefaults_ResourceList`
    /// rounds every container resource to milli precision this way.
    func roundedUp(toPower power: Int) -> Quantity {
        guard !digits.isEmpty, exponent < power else { return self }
        var q = self
        let drop = power - exponent
        if drop >= digits.count {
            q.digits = negative ? [] : [1]
        } else {
            let kept = Array(digits[0..<(digits.count - drop)])
            let lost = digits[(digits.count - drop)...].contains { $0 != 0 }
            // Upstream rounds away from zero (inf.RoundUp).
            q.digits = lost ? Quantity.increment(kept) : kept
        }
        q.exponent = power
        q.normalize()
        return q
    }

    // MARK: - Comparison

    public static func == (a: Quantity, b: Quantity) -> Bool {
        a.negative == b.negative && a.digits == b.digits && a.exponent == b.exponent
    }

    public static func < (a: Quantity, b: Quantity) -> Bool {
        if a.negative != b.negative { return a.negative }
        return a.negative ? Quantity.magnitudeLess(b, a) : Quantity.magnitudeLess(a, b)
    }

    private static func magnitudeLess(_ a: Quantity, _ b: Quantity) -> Bool {
        if a.digits.isEmpty { return !b.digits.isEmpty }
        if b.digits.isEmpty { return false }
        let an = a.integerDigitCount, bn = b.integerDigitCount
        if an != bn { return an < bn }
        let count = max(a.digits.count, b.digits.count)
        for i in 0..<count {
            let x: UInt8 = i < a.digits.count ? a.digits[i] : 0
            let y: UInt8 = i < b.digits.count ? b.digits[i] : 0
            if x != y { return x < y }
        }
        return false
    }

    // MARK: - Printing

    /// The canonical form upstream serialises (`Quantity.CanonicalizeBytes`).
    public var description: String {
        if digits.isEmpty { return "0" }
        let sign = negative ? "-" : ""
        var fmt = format
        var whole: UInt64?
        if fmt == .binarySI {
            // Binary amounts under 1024 or with a fraction print as decimal, to avoid
            // rounding (`CanonicalizeBytes`). A whole amount too big for UInt64 is above 1024.
            whole = magnitudeAsUInt64
            if exponent < 0 || whole.map({ $0 < 1024 }) == true { fmt = .decimalSI }
        }
        if fmt == .binarySI, let whole {
            var amount = whole
            var times = 0
            while amount >= 1024, amount % 1024 == 0 {
                amount /= 1024
                times += 1
            }
            let suffixes = ["", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"]
            // Upstream finds no binary suffix for 1024^0, so it prints the bare number.
            let suffix = times < suffixes.count ? suffixes[times] : ""
            return sign + String(amount) + suffix
        }
        // Decimal: lower the exponent to a multiple of three by appending zeros.
        var exp = exponent
        var text = String(decoding: digits.map { $0 + UInt8(ascii: "0") }, as: UTF8.self)
        while exp % 3 != 0 {
            text += "0"
            exp -= 1
        }
        switch fmt {
        case .decimalExponent:
            return sign + text + (exp == 0 ? "" : "e" + String(exp))
        case .decimalSI, .binarySI:
            // Exponents without an SI suffix (above E) print bare, as upstream's suffixer
            // returns no suffix for them.
            let suffix: String
            switch exp {
            case -9: suffix = "n"
            case -6: suffix = "u"
            case -3: suffix = "m"
            case 3: suffix = "k"
            case 6: suffix = "M"
            case 9: suffix = "G"
            case 12: suffix = "T"
            case 15: suffix = "P"
            case 18: suffix = "E"
            default: suffix = ""
            }
            return sign + text + suffix
        }
    }

    /// The magnitude as an integer when it is whole and fits.
    private var magnitudeAsUInt64: UInt64? {
        guard exponent >= 0, integerDigitCount <= 20 else { return nil }
        var v: UInt64 = 0
        for i in 0..<integerDigitCount {
            let d: UInt64 = i < digits.count ? UInt64(digits[i]) : 0
            let (m, o1) = v.multipliedReportingOverflow(by: 10)
            let (s, o2) = m.addingReportingOverflow(d)
            if o1 || o2 { return nil }
            v = s
        }
        return v
    }
}

/// The pieces of a quantity string, split as `parseQuantityString` splits them.
private struct QuantityParts {
    var positive = true
    var number: [UInt8] = []
    var fraction: [UInt8] = []
    var suffix: [UInt8] = []

    /// The bytes a suffix may contain, built once (parsing runs on every quantity read).
    static let suffixLetters = Set("eEinumkKMGTP".utf8)

    static func split(_ s: [UInt8]) -> Result<QuantityParts, Quantity.ParseError> {
        var p = QuantityParts()
        var pos = 0
        let end = s.count
        func isDigit(_ b: UInt8) -> Bool { b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9") }
        if pos < end {
            if s[0] == UInt8(ascii: "-") {
                p.positive = false
                pos += 1
            } else if s[0] == UInt8(ascii: "+") {
                pos += 1
            }
        }
        // Leading zeros.
        while pos < end, s[pos] == UInt8(ascii: "0") { pos += 1 }
        if pos >= end {
            p.number = [UInt8(ascii: "0")]
            return .success(p)
        }
        let numStart = pos
        while pos < end, isDigit(s[pos]) { pos += 1 }
        p.number = Array(s[numStart..<pos])
        if pos >= end { return .success(p) }
        if p.number.isEmpty { p.number = [UInt8(ascii: "0")] }
        if s[pos] == UInt8(ascii: ".") {
            pos += 1
            let denomStart = pos
            while pos < end, isDigit(s[pos]) { pos += 1 }
            p.fraction = Array(s[denomStart..<pos])
            if pos >= end { return .success(p) }
        }
        let suffixStart = pos
        while pos < end, Self.suffixLetters.contains(s[pos]) { pos += 1 }
        if pos >= end {
            p.suffix = Array(s[suffixStart...])
            return .success(p)
        }
        if s[pos] == UInt8(ascii: "-") || s[pos] == UInt8(ascii: "+") { pos += 1 }
        while pos < end, isDigit(s[pos]) { pos += 1 }
        if pos >= end {
            p.suffix = Array(s[suffixStart...])
            return .success(p)
        }
        return .failure(.formatWrong)
    }
}
