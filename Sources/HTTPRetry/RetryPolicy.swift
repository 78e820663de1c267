/// When and after how long a failed API request is sent again: exponential backoff with full jitter, at most
/// `maxAttempts` sends in all, and `Retry-After` honoured up to a cap. Shared by the WorkOS and Descope clients;
/// which failures are worth retrying is each client's own rule (`WorkOSError.isRetryable`, `DescopeError`).
public struct RetryPolicy: Sendable, Hashable {
    /// Total sends including the first (1 = never retry).
    public var maxAttempts: Int
    /// Backoff ceiling of the first retry; doubles per retry.
    public var baseDelay: Duration
    /// Largest backoff ceiling.
    public var maxDelay: Duration
    /// Largest `Retry-After` honoured; longer asks are cut to this.
    public var maxRetryAfter: Duration

    public init(maxAttempts: Int = 6, baseDelay: Duration = .milliseconds(250), maxDelay: Duration = .seconds(20),
                maxRetryAfter: Duration = .seconds(60)) {
        self.maxAttempts = max(1, maxAttempts)
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
        self.maxRetryAfter = maxRetryAfter
    }

    public static let `default` = RetryPolicy()
    public static let never = RetryPolicy(maxAttempts: 1)

    /// The backoff ceiling before retry number `retry` (1 = first retry): min(maxDelay, base · 2^(retry-1)).
    public func ceiling(forRetry retry: Int) -> Duration {
        let exponent = min(max(retry - 1, 0), 30)
        let base = baseDelay.seconds
        return .seconds(min(maxDelay.seconds, base * Double(1 << exponent)))
    }

    /// Full jitter: a uniform wait in [0, ceiling], so many clients that failed together spread out.
    public func delay(forRetry retry: Int, using generator: inout some RandomNumberGenerator) -> Duration {
        let ceiling = ceiling(forRetry: retry).seconds
        guard ceiling > 0 else { return .zero }
        return .seconds(Double.random(in: 0...ceiling, using: &generator))
    }

    public func delay(forRetry retry: Int) -> Duration {
        var generator = SystemRandomNumberGenerator()
        return delay(forRetry: retry, using: &generator)
    }

    /// The wait a `Retry-After` asks for, capped at `maxRetryAfter`; the backoff when there is none.
    public func delay(retryAfter: Duration?, retry: Int) -> Duration {
        if let retryAfter { return min(retryAfter, maxRetryAfter) }
        return delay(forRetry: retry)
    }
}

extension Duration {
    /// The duration in seconds as a Double.
    public var seconds: Double {
        let (s, attoseconds) = components
        return Double(s) + Double(attoseconds) / 1e18
    }
}
