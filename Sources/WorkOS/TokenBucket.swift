/// The write budget shared by every POST and PUT of a run: at most `rate` tokens per second, up to `burst` at once.
/// A 429 pauses the whole bucket, so every request in flight waits out `Retry-After` together, and the
/// bucket resumes one token at a time: a burst right after a 429 would only earn the next one.
///
/// Scheduling is GCRA (virtual time): each caller reserves the next slot and sleeps until it, so waiters
/// are served in order without polling.
public actor TokenBucket {
    public nonisolated let rate: Double
    public nonisolated let burst: Int
    /// The share of `rate` left unused, so that timer jitter never pushes a full window over the server's limit.
    public nonisolated let headroom: Double
    private let interval: Duration
    private let clock = ContinuousClock()
    /// The theoretical time at which the next token is free.
    private var nextSlot: ContinuousClock.Instant
    private var pausedUntil: ContinuousClock.Instant
    public private(set) var pauses = 0

    /// - Parameters:
    ///   - rate: tokens per second (> 0).
    ///   - burst: how many requests may go at once after an idle spell (≥ 1).
    ///   - headroom: the fraction of `rate` kept free (0 ≤ headroom < 1); tokens are paced at `rate × (1 − headroom)`.
    public init(rate: Double, burst: Int = 5, headroom: Double = 0) {
        precondition(rate > 0 && rate.isFinite, "TokenBucket rate must be positive")
        precondition(headroom >= 0 && headroom < 1, "TokenBucket headroom must be in 0..<1")
        self.rate = rate
        self.burst = max(1, burst)
        self.headroom = headroom
        self.interval = .nanoseconds(Int64((1_000_000_000 / (rate * (1 - headroom))).rounded()))
        let now = ContinuousClock.now
        self.nextSlot = now
        self.pausedUntil = now
    }

    /// Waits for a token. Throws `CancellationError` when the task is cancelled while waiting.
    public func acquire() async throws {
        while true {
            // A cancelled caller never takes a slot, even if the sleep below did not notice the cancellation.
            try Task.checkCancellation()
            let now = clock.now
            let start = max(nextSlot, now, pausedUntil)
            nextSlot = start + interval
            // The burst lets the first `burst` reservations after an idle spell go immediately.
            let goAt = max(start - interval * (burst - 1), now, pausedUntil)
            if goAt > now { try await Task.sleep(until: goAt, clock: clock) }
            try Task.checkCancellation()
            // A 429 may have paused the bucket while we slept: line up again behind the pause.
            if pausedUntil <= clock.now { return }
        }
    }

    /// Stops every write for `duration` (a 429's `Retry-After`); a longer pause already set wins.
    public func pause(for duration: Duration) {
        let until = clock.now + duration
        pauses += 1
        if until > pausedUntil { pausedUntil = until }
        // Tokens resume at `pausedUntil` spaced by the interval: the first slot is placed so the burst allowance is spent.
        let resume = pausedUntil + interval * (burst - 1)
        if nextSlot < resume { nextSlot = resume }
    }

    /// How long from now writes are paused (zero when not paused).
    public func remainingPause() -> Duration {
        let now = clock.now
        return pausedUntil > now ? pausedUntil - now : .zero
    }
}
