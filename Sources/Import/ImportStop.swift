import Mapping
import Preflight
import Dispatch
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// A request to stop sending. Ctrl-C / SIGTERM (`interrupted`) cancels the requests in flight at once: every
/// intent is journaled before its request is sent, so a user cut off mid-request is resolved by lookup on the
/// rerun. A refused API key lets the users in flight finish (they will fail the same way). An outage longer
/// than `--max-outage` has already failed every held request. Each ends the run as resumable.
public final class ImportStop: Sendable {
    public enum Reason: Sendable, Equatable {
        case interrupted
        case apiKeyRejected
        case outage
        case journalFailed
    }

    private let state = Mutex<Reason?>(nil)
    private let cancellations = Mutex<(cancelled: Bool, handlers: [@Sendable () -> Void])>((false, []))
    /// Signal sources live as long as the stop (dispatch cancels a source that is released).
    private let sources = Mutex<[SignalSource]>([])

    /// A dispatch source only ever touched under the mutex above.
    private struct SignalSource: @unchecked Sendable { let source: any DispatchSourceSignal }

    public init() {}

    public var reason: Reason? { state.withLock { $0 } }
    public var isRequested: Bool { reason != nil }

    /// The first reason is the one reported; `interrupted`, whenever it comes, also runs the cancellations
    /// registered with `onInterrupt`.
    public func request(_ reason: Reason) {
        state.withLock { if $0 == nil { $0 = reason } }
        guard reason == .interrupted else { return }
        let handlers = cancellations.withLock { c -> [@Sendable () -> Void] in
            guard !c.cancelled else { return [] }
            c.cancelled = true
            return c.handlers
        }
        for cancel in handlers { cancel() }
    }

    /// True once an interruption was requested (the requests in flight are being cancelled).
    public var isInterrupted: Bool { cancellations.withLock { $0.cancelled } }

    /// Runs `cancel` when the run is interrupted (at once when it already is).
    public func onInterrupt(_ cancel: @escaping @Sendable () -> Void) {
        let already = cancellations.withLock { c -> Bool in
            c.handlers.append(cancel)
            return c.cancelled
        }
        if already { cancel() }
    }

    /// Runs `body` in a task of its own that an interruption cancels (a cancelled caller cancels it too); the
    /// caller itself is not cancelled, so it can still write the journal's totals and the summary.
    public func cancelling<T: Sendable>(_ body: @escaping @Sendable () async throws -> T) async throws -> T {
        let task = Task { try await body() }
        onInterrupt { task.cancel() }
        return try await withTaskCancellationHandler { try await task.value } onCancel: { task.cancel() }
    }

    /// SIGINT and SIGTERM stop the run (`interrupted`); a second one ends the process at once (exit 3:
    /// still resumable, since every intent is journaled before it is sent).
    public func installSignalHandlers(onFirst: @escaping @Sendable () -> Void = {}) {
        for sig in [SIGINT, SIGTERM] {
            signal(sig, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: sig, queue: .global())
            source.setEventHandler { [weak self] in
                guard let self else { return }
                if self.isInterrupted { _exit(3) }
                self.request(.interrupted)
                onFirst()
            }
            source.resume()
            let held = SignalSource(source: source)
            sources.withLock { $0.append(held) }
        }
    }
}
