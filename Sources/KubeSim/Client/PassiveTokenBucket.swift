/// client-go's passive token bucket (`flowcontrol.NewTokenBucketPassiveRateLimiterWithClock`,
/// util/flowcontrol/throttle.go), which is golang.org/x/time/rate's `Limiter` asked with
/// `AllowN(now, 1)`: it starts full, refills continuously at `qps` up to `burst`, and a refused
/// call changes nothing. The arithmetic is rate.go's (`advance`, `tokensFromDuration`,
/// `durationFromTokens`), on virtual time, so the same calls give the same answers.
struct PassiveTokenBucket {
    let qps: Double
    let burst: Int
    private var tokens: Double
    /// The last accepted call (rate.Limiter's `last`).
    private var last: VirtualTime

    /// `qps` is client-go's float32 widened, as `rate.Limit(qps)` does: 1/300 becomes
    /// 0.0033333334140479565, a token every 299.99999 s.
    init(qps: Float, burst: Int, now: VirtualTime) {
        self.qps = Double(qps)
        self.burst = burst
        // A new rate.Limiter's `last` is the zero time: its first call finds the bucket full.
        tokens = Double(burst)
        last = now
    }

    /// `TryAccept`: takes a token if one is there now.
    mutating func tryAccept(_ now: VirtualTime) -> Bool {
        guard qps > 0 else { return false }
        // advance: the tokens that accrued since `last`, capped at the burst.
        let elapsed = max(0, now.nanos &- last.nanos)
        let seconds = Double(elapsed / 1_000_000_000) + Double(elapsed % 1_000_000_000) / 1e9
        var available = tokens + seconds * qps
        if available > Double(burst) { available = Double(burst) }
        available -= 1
        // reserveN with maxFutureReserve 0: refused if any wait would be needed.
        if available < 0 {
            let wait = (-available / qps) * 1e9
            if wait >= 1 { return false }
        }
        guard burst >= 1 else { return false }
        tokens = available
        last = now
        return true
    }
}
