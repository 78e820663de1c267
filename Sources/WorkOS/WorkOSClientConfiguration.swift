/// How a `WorkOSClient` talks to WorkOS.
public struct WorkOSClientConfiguration: Sendable {
    /// `https://api.workos.com`, the staging host, or a local emulator.
    public var baseURL: String
    /// Writes per second for the shared token bucket (WorkOS allows 500 per 10 s; 45 leaves headroom).
    public var writesPerSecond: Double
    /// Writes that may go at once after an idle spell.
    public var writeBurst: Int
    /// The share of `writesPerSecond` left unused: at exactly 50/s, a few milliseconds of jitter put 501 writes
    /// in some 10 s window and earn a 429 that costs a whole second; 2% below it, 500 writes span 10.2 s.
    public var writeHeadroom: Double
    /// Reads per second (WorkOS allows 1,000 `/user_management` reads per 10 s; 90 leaves headroom).
    public var readsPerSecond: Double
    public var retry: RetryPolicy
    /// Holds every request while WorkOS is down; nil sends each request through its retries alone.
    public var circuitBreaker: CircuitBreaker.Policy?
    /// Deadline of one send, connect to last byte; a send that runs past it is ambiguous.
    public var requestTimeout: Duration
    public var connectTimeout: Duration
    /// Keep-alive connections kept open to the host (about the number of requests in flight).
    public var maxConnections: Int
    /// Largest answer body read; larger is an error.
    public var maxResponseBytes: Int

    public init(baseURL: String = "https://api.workos.com", writesPerSecond: Double = 45, writeBurst: Int = 5,
                writeHeadroom: Double = 0.02, readsPerSecond: Double = 90,
                retry: RetryPolicy = .default, circuitBreaker: CircuitBreaker.Policy? = .default,
                requestTimeout: Duration = .seconds(30),
                connectTimeout: Duration = .seconds(10), maxConnections: Int = 64,
                maxResponseBytes: Int = 8 << 20) {
        self.baseURL = baseURL; self.writesPerSecond = writesPerSecond; self.writeBurst = writeBurst
        self.writeHeadroom = writeHeadroom; self.readsPerSecond = readsPerSecond
        self.retry = retry; self.circuitBreaker = circuitBreaker
        self.requestTimeout = requestTimeout; self.connectTimeout = connectTimeout
        self.maxConnections = maxConnections; self.maxResponseBytes = maxResponseBytes
    }
}
