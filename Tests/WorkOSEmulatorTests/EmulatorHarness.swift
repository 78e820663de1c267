import Foundation
import Testing
import WorkOS
import WorkOSEmulator

/// Known-answer bcrypt vector (Openwall, `known-answer-vectors.json` ow-01): password "U*U".
let bcryptHash = "$2a$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW"
let bcryptPassword = "U*U"
let testKey = "sk_test_emulator_harness"

/// Starts an emulator on a free loopback port, hands a client pointed at it to `body`, then stops both.
func withEmulator<T>(_ configuration: EmulatorConfiguration = .init(),
                     client clientConfiguration: WorkOSClientConfiguration = fastClient(),
                     key: String = testKey,
                     _ body: (EmulatorServer, WorkOSClient) async throws -> T) async throws -> T {
    let emulator = try EmulatorServer(configuration: configuration)
    try await emulator.start()
    var configurationWithURL = clientConfiguration
    configurationWithURL.baseURL = try #require(emulator.baseURL)
    let client = WorkOSClient(apiKey: try APIKey(key), configuration: configurationWithURL)
    do {
        let result = try await body(emulator, client)
        try await client.shutdown()
        try await emulator.shutdown()
        return result
    } catch {
        try? await client.shutdown()
        try? await emulator.shutdown()
        throw error
    }
}

/// A client that retries quickly so fault tests finish fast. No circuit breaker unless given one: these tests
/// look at one request's retries, and a breaker would (rightly) hold a request through a 100% failure rate.
func fastClient(maxAttempts: Int = 4, writesPerSecond: Double = 1_000, breaker: CircuitBreaker.Policy? = nil,
                requestTimeout: Duration = .seconds(10)) -> WorkOSClientConfiguration {
    WorkOSClientConfiguration(writesPerSecond: writesPerSecond, writeBurst: 50, readsPerSecond: 1_000,
                              retry: RetryPolicy(maxAttempts: maxAttempts, baseDelay: .milliseconds(10),
                                                 maxDelay: .milliseconds(100), maxRetryAfter: .seconds(5)),
                              circuitBreaker: breaker, requestTimeout: requestTimeout)
}

/// A breaker that probes every few tens of milliseconds, for tests of outages.
func fastBreaker(tripAfter: Int = 3, maxOutage: Duration = .seconds(3_600)) -> CircuitBreaker.Policy {
    CircuitBreaker.Policy(tripAfter: tripAfter, firstProbe: .milliseconds(50), maxProbeInterval: .milliseconds(200),
                          probeTimeout: .milliseconds(500), maxOutage: maxOutage)
}

/// The `WorkOSError` thrown by `body`, failing the test when it throws something else or nothing.
func workOSError(_ body: () async throws -> Void) async -> WorkOSError? {
    do {
        try await body()
        Issue.record("expected a WorkOSError, got success")
        return nil
    } catch let error as WorkOSError {
        return error
    } catch {
        Issue.record("expected a WorkOSError, got \(error)")
        return nil
    }
}
