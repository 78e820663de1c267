import Dispatch
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// A request to stop sending (Ctrl-C, or a refused API key): no new user starts, the users in
/// flight finish, the journal stays consistent, and the run ends as interrupted.
public final class ImportStop: Sendable {
    public enum Reason: Sendable, Equatable {
        case interrupted
        case apiKeyRejected
    }

    private let state = Mutex<Reason?>(nil)
    /// Signal sources live as long as the stop (dispatch cancels a source that is released).
    private let sources = Mutex<[SignalSource]>([])

    /// A dispatch source only ever touched under the mutex above.
    private struct SignalSource: @unchecked Sendable { let source: any DispatchSourceSignal }

    public init() {}

    public var reason: Reason? { state.withLock { $0 } }
    public var isRequested: Bool { reason != nil }

    /// The first reason wins.
    public func request(_ reason: Reason) {
        state.withLock { if $0 == nil { $0 = reason } }
    }

    /// SIGINT and SIGTERM ask for a clean stop; a second one ends the process at once (exit 3:
    /// still resumable, since every intent is journaled before it is sent).
    public func installSignalHandlers(onFirst: @escaping @Sendable () -> Void = {}) {
        for sig in [SIGINT, SIGTERM] {
            signal(sig, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: sig, queue: .global())
            source.setEventHandler { [weak self] in
                guard let self else { return }
                if self.isRequested { _exit(3) }
                self.request(.interrupted)
                onFirst()
            }
            source.resume()
            let held = SignalSource(source: source)
            sources.withLock { $0.append(held) }
        }
    }
}
