import Synchronization

/// What the emulator has answered since it was created.
public struct DescopeEmulatorStatistics: Sendable, Hashable {
    /// API requests (the `/emulator/…` controls are not counted).
    public var requests = 0
    /// Search pages answered 200.
    public var searchPagesServed = 0
    public var unauthorized = 0
    public var rateLimited = 0
    public var injectedFailures = 0
}

final class DescopeEmulatorCounters: Sendable {
    private let state = Mutex(DescopeEmulatorStatistics())
    var value: DescopeEmulatorStatistics { state.withLock { $0 } }
    func record(_ body: (inout DescopeEmulatorStatistics) -> Void) { state.withLock { body(&$0) } }
}
