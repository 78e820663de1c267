/// How the Descope emulator behaves: the credentials it accepts and the faults it injects.
public struct DescopeEmulatorConfiguration: Sendable {
    /// The project id the `Authorization` header must name.
    public var projectId: String
    /// The one management key accepted; nil accepts any non-empty key for `projectId`.
    public var managementKey: String?
    /// Added before every API answer.
    public var latency: Duration
    /// Share of API requests (0…1) answered 429 with `Retry-After: retryAfterSeconds`.
    public var rateLimitedRate: Double
    public var retryAfterSeconds: Int
    /// Share of API requests (0…1) answered 500 or 503 before anything is done.
    public var failRate: Double
    /// Seed of the generator that decides which requests get a fault: the same seed and the same sequence
    /// of requests give the same faults.
    public var seed: UInt64

    public init(projectId: String = "P2hashportEmulator", managementKey: String? = nil, latency: Duration = .zero,
                rateLimitedRate: Double = 0, retryAfterSeconds: Int = 1, failRate: Double = 0, seed: UInt64 = 1) {
        self.projectId = projectId; self.managementKey = managementKey; self.latency = latency
        self.rateLimitedRate = rateLimitedRate; self.retryAfterSeconds = max(0, retryAfterSeconds)
        self.failRate = failRate; self.seed = seed
    }
}
