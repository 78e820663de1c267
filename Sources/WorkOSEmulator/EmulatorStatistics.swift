/// What the emulator has seen since it started: for tests and benchmarks.
public struct EmulatorStatistics: Sendable, Hashable {
    public var requests = 0
    /// Writes that changed state (created or updated something).
    public var writesApplied = 0
    /// Answers 429 to writes over the limit.
    public var rateLimited = 0
    public var injectedFailures = 0
    public var droppedConnections = 0
    public var unauthorized = 0
    /// Requests held unanswered by a hang.
    public var hungRequests = 0
    /// Writes answered from the idempotency store instead of being applied again.
    public var idempotentReplays = 0
    public init() {}
}

/// The running counters behind `EmulatorStatistics`.
actor EmulatorCounters {
    private(set) var value = EmulatorStatistics()

    func record(_ change: @Sendable (inout EmulatorStatistics) -> Void) { change(&value) }
}
