/// A sliding-window counter of writes: at most `limit` in any `window`, as WorkOS counts them.
actor WriteRateLimiter {
    private let limit: Int
    private let window: Duration
    private let clock = ContinuousClock()
    /// Times of the admitted writes still inside the window, oldest first (a ring of `limit` slots).
    private var times: [ContinuousClock.Instant]
    private var head = 0
    private var count = 0

    init(limit: Int, window: Duration) {
        self.limit = max(1, limit)
        self.window = window
        self.times = Array(repeating: ContinuousClock.now, count: max(1, limit))
    }

    /// Admits one write, or returns how long until one would be admitted.
    func admit() -> Duration? {
        let now = clock.now
        while count > 0, times[head] + window <= now {
            head = (head + 1) % limit
            count -= 1
        }
        if count < limit {
            times[(head + count) % limit] = now
            count += 1
            return nil
        }
        return times[head] + window - now
    }
}

/// Failed logins per email in a sliding minute, for `POST /user_management/authenticate`.
actor LoginRateLimiter {
    private let limit: Int
    private let window: Duration = .seconds(60)
    private let clock = ContinuousClock()
    private var attempts: [String: [ContinuousClock.Instant]] = [:]

    init(limit: Int) { self.limit = max(1, limit) }

    /// Records an attempt for `email`; returns the wait when it is over the limit.
    func admit(email: String) -> Duration? {
        let now = clock.now
        var recent = (attempts[email] ?? []).filter { $0 + window > now }
        defer { attempts[email] = recent.isEmpty ? nil : recent }
        if recent.count >= limit, let oldest = recent.first { return oldest + window - now }
        recent.append(now)
        return nil
    }
}
