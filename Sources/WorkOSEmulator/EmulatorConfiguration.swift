/// How the emulator behaves: which key it accepts, its write limit, and the faults it injects.
public struct EmulatorConfiguration: Sendable {
    /// The one API key accepted; nil accepts any `sk_test_…` key.
    public var apiKey: String?
    /// `/user_management/*` writes allowed per `rateLimitWindow` (WorkOS: 500 per 10 s); nil = unlimited.
    public var rateLimit: Int?
    public var rateLimitWindow: Duration
    /// Added before every answer.
    public var latency: Duration
    /// Share of requests answered 500 before anything is applied (0…1).
    public var failRate: Double
    /// Share of writes whose connection is closed AFTER the write is applied, with no answer (0…1):
    /// the ambiguous case a client must resolve by looking the object up.
    public var dropRate: Double
    /// Seed of the generator the faults are drawn from: the same seed, the same faults.
    public var seed: UInt64
    /// Start hanging (accept, never answer) this long after the emulator is created; nil: never by time.
    public var hangAfter: Duration?
    /// Start hanging once this many writes have been applied; nil: never by count.
    public var hangAfterWrites: Int?
    /// How long a hang started by `hangAfter` or `hangAfterWrites` lasts.
    public var hangFor: Duration
    /// SQLite file holding the state across runs; nil keeps it in memory.
    public var statePath: String?
    /// How long an `Idempotency-Key` is remembered (WorkOS: 24 h).
    public var idempotencyTTL: Duration
    /// Role slugs memberships may use; nil accepts any slug.
    public var roles: Set<String>?
    /// Login attempts allowed per email per minute before 429 (WorkOS: 10 per 60 s); nil = unlimited.
    public var authenticateLimitPerEmail: Int?

    public init(apiKey: String? = nil, rateLimit: Int? = 500, rateLimitWindow: Duration = .seconds(10),
                latency: Duration = .zero, failRate: Double = 0, dropRate: Double = 0, seed: UInt64 = 1,
                hangAfter: Duration? = nil, hangAfterWrites: Int? = nil, hangFor: Duration = .seconds(60),
                statePath: String? = nil,
                idempotencyTTL: Duration = .seconds(86_400), roles: Set<String>? = nil,
                authenticateLimitPerEmail: Int? = 10) {
        self.apiKey = apiKey; self.rateLimit = rateLimit; self.rateLimitWindow = rateLimitWindow
        self.latency = latency; self.failRate = failRate; self.dropRate = dropRate; self.seed = seed
        self.hangAfter = hangAfter; self.hangAfterWrites = hangAfterWrites; self.hangFor = hangFor
        self.statePath = statePath
        self.idempotencyTTL = idempotencyTTL; self.roles = roles
        self.authenticateLimitPerEmail = authenticateLimitPerEmail
    }

    /// True when `key` may call the emulator: the configured key, else any test key.
    func accepts(key: String) -> Bool {
        if let apiKey { return ConstantTime.equal(Array(apiKey.utf8), Array(key.utf8)) }
        return key.hasPrefix("sk_test_") && key.count > "sk_test_".count
    }
}

enum ConstantTime {
    /// Compares without stopping at the first difference, so timing does not reveal the key.
    static func equal(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        var difference: UInt8 = 0
        for i in 0..<a.count { difference |= a[i] ^ b[i] }
        return difference == 0
    }
}
