/// kubectl's `duration.HumanDuration`: the AGE, LAST SEEN and "N (X ago)" text.
///
/// Mirrors apimachinery `pkg/util/duration/duration.go`: about two significant figures,
/// integer truncation at every step, and a two-second tolerance for clock skew.
///
///     HumanDuration.string(.seconds(119))      // "119s"
///     HumanDuration.string(.seconds(125))      // "2m5s"
///     HumanDuration.string(.seconds(3 * 3600)) // "3h"
public enum HumanDuration {
    public static func string(_ d: Duration) -> String {
        // Go: int(d.Seconds()), which truncates toward zero, as Swift's `/` does.
        let seconds = d.nanos / 1_000_000_000
        if seconds < -1 { return "<invalid>" }
        if seconds < 0 { return "0s" }
        if seconds < 60 * 2 { return "\(seconds)s" }
        let minutes = seconds / 60
        if minutes < 10 {
            let s = seconds % 60
            return s == 0 ? "\(minutes)m" : "\(minutes)m\(s)s"
        }
        if minutes < 60 * 3 { return "\(minutes)m" }
        let hours = seconds / 3600
        if hours < 8 {
            let m = minutes % 60
            return m == 0 ? "\(hours)h" : "\(hours)h\(m)m"
        }
        if hours < 48 { return "\(hours)h" }
        if hours < 24 * 8 {
            let h = hours % 24
            return h == 0 ? "\(hours / 24)d" : "\(hours / 24)d\(h)h"
        }
        if hours < 24 * 365 * 2 { return "\(hours / 24)d" }
        if hours < 24 * 365 * 8 {
            let dy = (hours / 24) % 365
            return dy == 0 ? "\(hours / 24 / 365)y" : "\(hours / 24 / 365)y\(dy)d"
        }
        return "\(hours / 24 / 365)y"
    }
}
