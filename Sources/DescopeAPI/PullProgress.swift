import Synchronization

/// Where a running pull is, read by the progress line while the pull writes it.
public final class PullProgress: Sendable {
    public struct Snapshot: Sendable, Equatable {
        /// "users", "created_since", "modified_since", "tenants", "roles", "done".
        public var phase = "users"
        public var pages = 0
        public var users = 0
        public var usersThisRun = 0
        /// `total` of the latest answer: about how many users this search will give.
        public var totalReported: Int?
        public var duplicatesSkipped = 0
        public var rateLimited = 0
        public var retried = 0
    }

    private let state = Mutex(Snapshot())
    private let started = ContinuousClock.now

    public init() {}

    public var snapshot: Snapshot { state.withLock { $0 } }

    /// Seconds since this progress was created (the run's start).
    public var elapsed: Double {
        let (s, atto) = (ContinuousClock.now - started).components
        return Double(s) + Double(atto) / 1e18
    }

    func update(_ body: (inout Snapshot) -> Void) { state.withLock { body(&$0) } }

    /// `users · page 12 · 1,200 of ~10,000 users · 850 users/s · 2 429s · 1 retried`
    public static func line(_ s: Snapshot, elapsed: Double) -> String {
        let g = PullSummary.grouped
        let rate = elapsed > 0 ? Double(s.usersThisRun) / elapsed : 0
        var line = "pull: \(s.phase.replacingUnderscores) · page \(g(s.pages)) · \(g(s.users))"
        if let total = s.totalReported, total >= s.users { line += " of ~\(g(total))" }
        line += " users · \(g(Int(rate.rounded()))) users/s"
        if s.rateLimited > 0 { line += " · \(g(s.rateLimited)) 429s" }
        if s.retried > 0 { line += " · \(g(s.retried)) retried" }
        return line
    }
}

extension String {
    var replacingUnderscores: String { String(map { $0 == "_" ? " " : $0 }) }
}
