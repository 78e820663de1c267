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

/// A client that retries quickly so fault tests finish fast.
func fastClient(maxAttempts: Int = 4, writesPerSecond: Double = 1_000) -> WorkOSClientConfiguration {
    WorkOSClientConfiguration(writesPerSecond: writesPerSecond, writeBurst: 50,
                              retry: RetryPolicy(maxAttempts: maxAttempts, baseDelay: .milliseconds(10),
                                                 maxDelay: .milliseconds(100), maxRetryAfter: .seconds(5)),
                              requestTimeout: .seconds(10))
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
