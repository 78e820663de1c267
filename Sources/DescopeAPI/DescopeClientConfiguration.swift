import HTTPRetry

/// How a `DescopeClient` talks to Descope.
public struct DescopeClientConfiguration: Sendable {
    public static let defaultBaseURL = "https://api.descope.com"

    /// `https://api.descope.com`, another region's or a self-hosted host, or a local `hashport descope-emulator`.
    public var baseURL: String
    /// Backoff for 408/5xx/transport failures and the cap on `Retry-After`.
    public var retry: RetryPolicy
    /// 429 answers waited out per call before giving up (they do not use up `retry.maxAttempts`:
    /// a long pull under Descope's limit must not fail for being slowed down).
    public var maxRateLimitedWaits: Int
    /// Deadline of one send, connect to last byte.
    public var requestTimeout: Duration
    public var connectTimeout: Duration
    /// Keep-alive connections to the host (about the pages in flight).
    public var maxConnections: Int
    /// Largest answer body read (100 users with large custom attributes fit many times over).
    public var maxResponseBytes: Int

    public init(baseURL: String = defaultBaseURL, retry: RetryPolicy = RetryPolicy(maxAttempts: 8),
                maxRateLimitedWaits: Int = 200, requestTimeout: Duration = .seconds(60),
                connectTimeout: Duration = .seconds(10), maxConnections: Int = 8, maxResponseBytes: Int = 64 << 20) {
        self.baseURL = baseURL; self.retry = retry; self.maxRateLimitedWaits = max(0, maxRateLimitedWaits)
        self.requestTimeout = requestTimeout; self.connectTimeout = connectTimeout
        self.maxConnections = max(1, maxConnections); self.maxResponseBytes = maxResponseBytes
    }
}
