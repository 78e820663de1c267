import Foundation
import Synchronization

/// Holds every request while WorkOS is down, instead of letting each one burn its retries and fail.
///
/// Closed, it lets requests through and counts outage failures (transport errors, 408, 5xx) in a row across
/// all of them; any answer that is not an outage failure resets the count. After `tripAfter` in a row it opens:
/// new requests wait in `admit()`, the failures of requests already in flight are forgiven (they do not use
/// up their retries), and one probe at a time asks WorkOS whether it is back, with doubling waits. The
/// first probe that gets an answer closes it and releases everyone. An outage longer than `maxOutage`
/// (counted from the first failure after the last real success, so a flapping WorkOS counts as one outage)
/// ends the wait: every held request, and every later one, throws `WorkOSOutage`.
public final class CircuitBreaker: Sendable {
    public struct Policy: Sendable, Hashable {
        /// Outage failures in a row, over every request, that open the breaker.
        public var tripAfter: Int
        /// Wait before the first probe; it doubles after each failed probe, up to `maxProbeInterval`.
        public var firstProbe: Duration
        public var maxProbeInterval: Duration
        /// Deadline of one probe request.
        public var probeTimeout: Duration
        /// The longest outage waited out.
        public var maxOutage: Duration

        public init(tripAfter: Int = 5, firstProbe: Duration = .seconds(1), maxProbeInterval: Duration = .seconds(30),
                    probeTimeout: Duration = .seconds(10), maxOutage: Duration = .seconds(15 * 60)) {
            self.tripAfter = max(1, tripAfter)
            self.firstProbe = firstProbe
            self.maxProbeInterval = max(firstProbe, maxProbeInterval)
            self.probeTimeout = probeTimeout
            self.maxOutage = maxOutage
        }

        public static let `default` = Policy()
    }

    /// An outage in progress, as the progress line shows it.
    public struct Outage: Sendable, Hashable, CustomStringConvertible {
        /// When the first failure of the outage happened (wall clock).
        public var since: Date
        /// The latest failure, in a few words: `timed out`, `connection refused`, `HTTP 503`.
        public var cause: String
        /// The wait before the next probe.
        public var probeInterval: Duration
        /// Probes sent so far.
        public var probes: Int

        /// `WorkOS unreachable since 12:03:41 (timed out); retrying every 30 s`
        public var description: String {
            "WorkOS unreachable since \(Self.clockTime(since)) (\(cause)); retrying every \(Self.seconds(probeInterval))"
        }

        static func clockTime(_ date: Date) -> String {
            let formatter = DateFormatter()
            formatter.locale = Locale(identifier: "en_US_POSIX")
            formatter.dateFormat = "HH:mm:ss"
            return formatter.string(from: date)
        }

        static func seconds(_ duration: Duration) -> String {
            let s = duration.seconds
            return s < 10 ? String(format: "%.1f s", s) : String(format: "%.0f s", s)
        }
    }

    public let policy: Policy
    private let probe: @Sendable (Duration) async -> String?
    private let clock = ContinuousClock()
    private let state = Mutex(State())

    private struct State {
        var failuresInARow = 0
        /// The first outage failure after the last real success: where an outage starts.
        var firstFailure: (date: Date, instant: ContinuousClock.Instant)?
        var outage: Outage?
        var gaveUp: WorkOSOutage?
        var waiters: [Int: CheckedContinuation<Void, any Error>] = [:]
        var nextWaiter = 0
        var prober: Task<Void, Never>?
        /// Counts openings, so a prober left from an outage already over stops at once.
        var opening = 0
        var isShutDown = false
    }

    /// - Parameter probe: one request that proves WorkOS answers, sent with the given deadline; returns nil
    ///   when WorkOS answered (whatever the status, short of an outage failure), else the cause in a few words.
    public init(policy: Policy = .default, probe: @escaping @Sendable (Duration) async -> String?) {
        self.policy = policy
        self.probe = probe
    }

    /// The outage in progress, nil while WorkOS answers.
    public var outage: Outage? { state.withLock { $0.outage } }

    /// Set once the outage outlasted `maxOutage`: every request fails with it from then on.
    public var gaveUp: WorkOSOutage? { state.withLock { $0.gaveUp } }

    /// Returns at once while WorkOS answers; during an outage waits until it is over. Throws `WorkOSOutage`
    /// past `maxOutage`, `CancellationError` when the task is cancelled while waiting.
    public func admit() async throws {
        let id: Int? = try state.withLock { s in
            if let gaveUp = s.gaveUp { throw gaveUp }
            guard s.outage != nil else { return nil }
            s.nextWaiter += 1
            return s.nextWaiter
        }
        guard let id else { return }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (waiter: CheckedContinuation<Void, any Error>) in
                let now: Result<Void, any Error>? = state.withLock { s in
                    if Task.isCancelled { return .failure(CancellationError()) }
                    if let gaveUp = s.gaveUp { return .failure(gaveUp) }
                    if s.outage == nil { return .success(()) }
                    s.waiters[id] = waiter
                    return nil
                }
                if let now { waiter.resume(with: now) }
            }
        } onCancel: {
            let waiter = state.withLock { $0.waiters.removeValue(forKey: id) }
            waiter?.resume(throwing: CancellationError())
        }
    }

    /// WorkOS answered a request (anything but an outage failure): it is up.
    public func recordAnswer() {
        let released = state.withLock { s -> [CheckedContinuation<Void, any Error>] in
            s.failuresInARow = 0
            s.firstFailure = nil
            return Self.close(&s)
        }
        for waiter in released { waiter.resume() }
    }

    /// Records an outage failure (`cause` in a few words). Returns true when the failure is the outage's,
    /// not the request's: the breaker is open (this failure opened it, or the request was in flight when it
    /// opened), and the request should wait in `admit()` and go again without counting the attempt.
    public func recordOutageFailure(cause: String) -> Bool {
        state.withLock { s in
            if s.gaveUp != nil || s.isShutDown { return false }
            if s.outage != nil {
                s.outage?.cause = cause
                return true
            }
            s.failuresInARow += 1
            let now = clock.now
            if s.firstFailure == nil { s.firstFailure = (Date(), now) }
            guard s.failuresInARow >= policy.tripAfter else { return false }
            s.outage = Outage(since: s.firstFailure?.date ?? Date(), cause: cause, probeInterval: policy.firstProbe,
                              probes: 0)
            s.opening += 1
            let started = s.firstFailure?.instant ?? now, opening = s.opening
            // High priority: a probe is one small request, and held requests wait on it; behind a queue of
            // CPU-bound work at the default priority it was seen to start 112 s late (the full test suite).
            s.prober = Task(priority: .high) { [self] in
                await self.probeUntilBack(outageStarted: started, opening: opening)
            }
            return true
        }
    }

    /// Stops probing (the client is shutting down); held requests are cancelled.
    public func shutdown() {
        let (prober, waiters) = state.withLock { s in
            s.isShutDown = true
            let waiters = Array(s.waiters.values)
            s.waiters = [:]
            return (s.prober, waiters)
        }
        prober?.cancel()
        for waiter in waiters { waiter.resume(throwing: CancellationError()) }
    }

    // MARK: - Probing

    private func probeUntilBack(outageStarted: ContinuousClock.Instant, opening: Int) async {
        var interval = policy.firstProbe
        // Each step checks the outage is still this one: a real answer may have closed it meanwhile.
        func current(_ s: State) -> Bool { s.opening == opening && s.outage != nil && s.gaveUp == nil }
        while !Task.isCancelled {
            let deadline = outageStarted + policy.maxOutage
            let wake = min(clock.now + interval, deadline)
            do { try await Task.sleep(until: wake, clock: clock) } catch { return }
            guard state.withLock({ current($0) }) else { return }
            if clock.now >= deadline {
                giveUp(opening: opening)
                return
            }
            state.withLock { $0.outage?.probes += 1 }
            guard let cause = await probe(policy.probeTimeout) else {
                let released = state.withLock { s -> [CheckedContinuation<Void, any Error>] in
                    guard current(s) else { return [] }
                    // Answered: the outage is over, but its start is kept until a real request succeeds, so a
                    // WorkOS that answers probes and fails every request still ends after `maxOutage`.
                    s.failuresInARow = 0
                    return Self.close(&s)
                }
                for waiter in released { waiter.resume() }
                return
            }
            interval = min(interval * 2, policy.maxProbeInterval)
            state.withLock { s in
                guard current(s) else { return }
                s.outage?.cause = cause
                s.outage?.probeInterval = interval
            }
        }
    }

    private func giveUp(opening: Int) {
        let waiters = state.withLock { s -> [CheckedContinuation<Void, any Error>] in
            guard s.opening == opening, s.outage != nil else { return [] }
            let outage = s.outage
            s.gaveUp = WorkOSOutage(since: outage?.since ?? Date(), cause: outage?.cause ?? "no answer",
                                    limit: policy.maxOutage)
            let waiters = Array(s.waiters.values)
            s.waiters = [:]
            s.prober = nil
            return waiters
        }
        guard let error = state.withLock({ $0.gaveUp }) else { return }
        for waiter in waiters { waiter.resume(throwing: error) }
    }

    /// Closes an open breaker; returns the waiters to release (outside the lock).
    private static func close(_ s: inout State) -> [CheckedContinuation<Void, any Error>] {
        guard s.outage != nil else { return [] }
        s.outage = nil
        s.prober?.cancel()
        s.prober = nil
        let waiters = Array(s.waiters.values)
        s.waiters = [:]
        return waiters
    }
}

/// WorkOS did not answer for longer than the breaker's `maxOutage`: the run stops as interrupted (resumable).
public struct WorkOSOutage: Error, Sendable, Hashable, CustomStringConvertible {
    public var since: Date
    public var cause: String
    public var limit: Duration

    public init(since: Date, cause: String, limit: Duration) {
        self.since = since; self.cause = cause; self.limit = limit
    }

    public var description: String {
        "WorkOS has not answered since \(CircuitBreaker.Outage.clockTime(since)) (\(cause)), longer than the "
            + "\(Self.words(limit)) allowed (--max-outage)"
    }

    /// `15m`, `90s`, `1h30m`.
    static func words(_ duration: Duration) -> String {
        let total = Int(duration.seconds.rounded())
        let h = total / 3600, m = (total % 3600) / 60, s = total % 60
        var out = ""
        if h > 0 { out += "\(h)h" }
        if m > 0 { out += "\(m)m" }
        if s > 0 || out.isEmpty { out += "\(s)s" }
        return out
    }
}
