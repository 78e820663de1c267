import Foundation
import Synchronization
import Testing
@testable import WorkOS

/// The breaker's own rules, driven through its public API with a probe that answers as told. (The breaker
/// against a real hanging emulator is in WorkOSEmulatorTests/OutageTests.)
@Suite struct CircuitBreakerTests {
    /// A probe whose answers the test sets: nil = WorkOS answered, else the cause.
    final class Probe: Sendable {
        let answer = Mutex<String?>("timed out")
        let calls = Mutex(0)
        func callAsFunction(_ timeout: Duration) async -> String? {
            calls.withLock { $0 += 1 }
            return answer.withLock { $0 }
        }
    }

    final class Counter: Sendable {
        private let count = Mutex(0)
        func add() { count.withLock { $0 += 1 } }
        var value: Int { count.withLock { $0 } }
    }

    /// The outage limit is far away unless a test is about it: a loaded machine must not make the breaker give up.
    static func policy(tripAfter: Int = 3, maxOutage: Duration = .seconds(3_600)) -> CircuitBreaker.Policy {
        CircuitBreaker.Policy(tripAfter: tripAfter, firstProbe: .milliseconds(20), maxProbeInterval: .milliseconds(80),
                              probeTimeout: .seconds(1), maxOutage: maxOutage)
    }

    @Test func opensAfterFailuresInARowAndAnAnswerResetsTheCount() async throws {
        let probe = Probe()
        let breaker = CircuitBreaker(policy: Self.policy(tripAfter: 3)) { await probe($0) }
        defer { breaker.shutdown() }
        #expect(!breaker.recordOutageFailure(cause: "HTTP 503"))
        #expect(!breaker.recordOutageFailure(cause: "HTTP 503"))
        breaker.recordAnswer()  // one request got through: not an outage
        #expect(!breaker.recordOutageFailure(cause: "HTTP 503"))
        #expect(!breaker.recordOutageFailure(cause: "HTTP 503"))
        #expect(breaker.outage == nil)
        #expect(breaker.recordOutageFailure(cause: "timed out"), "the third in a row opens it and is forgiven")
        let outage = try #require(breaker.outage)
        #expect(outage.cause == "timed out")
        #expect(breaker.recordOutageFailure(cause: "connection refused"), "a request in flight when it opened is forgiven too")
        #expect(breaker.outage?.cause == "connection refused")
        #expect(breaker.outage?.description.hasPrefix("WorkOS unreachable since ") == true)
        #expect(breaker.outage?.description.contains("(connection refused); retrying every") == true)
    }

    @Test func heldRequestsGoOnWhenAProbeGetsAnAnswer() async throws {
        let probe = Probe()
        let breaker = CircuitBreaker(policy: Self.policy(tripAfter: 1)) { await probe($0) }
        defer { breaker.shutdown() }
        #expect(breaker.recordOutageFailure(cause: "timed out"))
        let released = Counter()
        let waiters = (0..<5).map { _ in
            Task {
                try await breaker.admit()
                released.add()
            }
        }
        // Several probes fail first: nobody is let through meanwhile.
        while probe.calls.withLock({ $0 }) < 3 { try await Task.sleep(for: .milliseconds(5)) }
        #expect(released.value == 0)
        #expect(breaker.outage?.probes ?? 0 >= 3)
        probe.answer.withLock { $0 = nil }
        for waiter in waiters { try await waiter.value }
        #expect(released.value == 5)
        #expect(breaker.outage == nil)
        try await breaker.admit()  // closed: goes at once
    }

    @Test func aRealAnswerClosesItAndTheProbingStops() async throws {
        let probe = Probe()  // always fails: only the real answer below can close the breaker
        let breaker = CircuitBreaker(policy: Self.policy(tripAfter: 1)) { await probe($0) }
        defer { breaker.shutdown() }
        #expect(breaker.recordOutageFailure(cause: "timed out"))
        let waiter = Task { try await breaker.admit() }
        while probe.calls.withLock({ $0 }) < 1 { try await Task.sleep(for: .milliseconds(5)) }
        breaker.recordAnswer()  // a request in flight got through
        try await waiter.value
        #expect(breaker.outage == nil)
        let calls = probe.calls.withLock { $0 }
        try await Task.sleep(for: .milliseconds(300))  // several probe intervals (20–80 ms)
        #expect(probe.calls.withLock { $0 } <= calls + 1, "no prober left running after the outage ended")
    }

    @Test func pastMaxOutageEveryHeldAndLaterRequestFails() async throws {
        let probe = Probe()
        let breaker = CircuitBreaker(policy: Self.policy(tripAfter: 1, maxOutage: .milliseconds(300))) { await probe($0) }
        defer { breaker.shutdown() }
        #expect(breaker.recordOutageFailure(cause: "timed out"))
        await #expect(throws: WorkOSOutage.self) { try await breaker.admit() }
        await #expect(throws: WorkOSOutage.self) { try await breaker.admit() }
        let gaveUp = try #require(breaker.gaveUp)
        #expect(gaveUp.cause == "timed out")
        #expect(gaveUp.limit == .milliseconds(300))
        #expect(!breaker.recordOutageFailure(cause: "timed out"), "after giving up nothing is forgiven")
    }

    @Test func aCancelledWaiterLeavesAndTheOthersStay() async throws {
        let probe = Probe()
        let breaker = CircuitBreaker(policy: Self.policy(tripAfter: 1)) { await probe($0) }
        defer { breaker.shutdown() }
        #expect(breaker.recordOutageFailure(cause: "timed out"))
        let cancelled = Task { try await breaker.admit() }
        let staying = Task { try await breaker.admit() }
        cancelled.cancel()
        await #expect(throws: CancellationError.self) { try await cancelled.value }
        probe.answer.withLock { $0 = nil }
        try await staying.value
    }

    @Test func outageLimitReadsAsAUserWouldWriteIt() {
        #expect(WorkOSOutage.words(.seconds(900)) == "15m")
        #expect(WorkOSOutage.words(.seconds(5400)) == "1h30m")
        #expect(WorkOSOutage.words(.seconds(90)) == "1m30s")
        #expect(CircuitBreaker.Outage.seconds(.seconds(30)) == "30 s")
        #expect(CircuitBreaker.Outage.seconds(.milliseconds(1_500)) == "1.5 s")
    }
}
