import Mapping
import Preflight
import Synchronization

/// Counters of one import run, updated by every slot and read by the progress line and the summary.
public final class ImportStatistics: Sendable {
    public struct Snapshot: Sendable, Hashable {
        /// Users in the input (all outcomes), known after the pre-pass.
        public var total = 0
        /// Users finished in this run, whatever their outcome (including already done on a resume).
        public var processed = 0
        public var created = 0
        public var existing = 0
        public var updated = 0
        public var failed = 0
        public var skipped = 0
        public var rejected = 0
        /// Users found complete in the journal (a resume).
        public var alreadyDone = 0
        public var membershipsCreated = 0
        public var membershipsExisting = 0
        public var membershipsFailed = 0
        public var organizationsCreated = 0
        public var organizationsExisting = 0
        public var organizationsFailed = 0
        /// HTTP requests sent, retries included.
        public var requests = 0
        /// Write requests sent (users, memberships, organizations, updates), retries included.
        public var writes = 0
        /// Answers with 429.
        public var rateLimited = 0
        /// Users resolved by lookup after a duplicate email or an ambiguous send.
        public var resolvedByLookup = 0

        public init() {}
    }

    private let state = Mutex(Snapshot())
    private let clock = ContinuousClock()
    public let startedAt: ContinuousClock.Instant

    public init() { startedAt = ContinuousClock.now }

    public func update(_ change: (inout Snapshot) -> Void) {
        state.withLock { change(&$0) }
    }

    public var snapshot: Snapshot { state.withLock { $0 } }

    /// Seconds since the run started.
    public var elapsed: Double {
        let (s, atto) = (clock.now - startedAt).components
        return Double(s) + Double(atto) / 1e18
    }
}
