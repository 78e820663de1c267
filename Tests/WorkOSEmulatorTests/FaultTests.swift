import Foundation
import Testing
import WorkOS
import WorkOSEmulator

@Suite struct FaultTests {
    @Test func wrongKeyStopsAtTheFirst401() async throws {
        let configuration = EmulatorConfiguration(apiKey: "sk_test_the_right_one")
        try await withEmulator(configuration, key: "sk_test_the_wrong_one") { emulator, client in
            let error = await workOSError { _ = try await client.createUser(CreateUserRequest(email: "k@example.com")) }
            #expect(error?.isAPIKeyRejected == true)
            #expect(error?.attempts == 1)
            #expect(error?.message == "WorkOS rejected the API key (401): check WORKOS_API_KEY")
            #expect(error.map { !"\($0)".contains("the_wrong_one") } == true)
            let unauthorized = await emulator.statistics().unauthorized
            #expect(unauthorized == 1)
        }
    }

    @Test func anyTestKeyIsAcceptedWhenNoneIsConfigured() async throws {
        try await withEmulator(key: "sk_live_not_a_test_key") { _, client in
            let error = await workOSError { _ = try await client.listUsers() }
            #expect(error?.status == 401)
        }
    }

    @Test func overTheWriteLimitIs429WithRetryAfter() async throws {
        // A long window, so the fourth write is inside it however slow the machine is.
        let configuration = EmulatorConfiguration(rateLimit: 3, rateLimitWindow: .seconds(30))
        try await withEmulator(configuration, client: fastClient(maxAttempts: 1)) { emulator, client in
            for i in 0..<3 { _ = try await client.createUser(CreateUserRequest(email: "r\(i)@example.com")) }
            let error = await workOSError { _ = try await client.createUser(CreateUserRequest(email: "r3@example.com")) }
            #expect(error?.status == 429)
            #expect(error?.code == "rate_limit_exceeded")
            #expect(error?.message == "Too many requests.")
            let wait = try #require(error?.retryAfter)
            #expect(wait >= .seconds(1) && wait <= .seconds(5))  // the client caps Retry-After (5 s here)
            let pauses = await client.writeBucket.pauses
            #expect(pauses == 1)
            // Reads are not writes: still answered.
            let readCount = try await client.listUsers().value.data.count
            #expect(readCount == 3)
            let rateLimited = await emulator.statistics().rateLimited
            #expect(rateLimited == 1)
        }
    }

    @Test func clientWaitsOutThe429AndSucceeds() async throws {
        // A window long enough that the third write always lands inside it, even on a loaded machine.
        let configuration = EmulatorConfiguration(rateLimit: 2, rateLimitWindow: .seconds(3))
        try await withEmulator(configuration, client: fastClient(maxAttempts: 5)) { emulator, client in
            for i in 0..<3 {
                let created = try await client.createUser(CreateUserRequest(email: "w\(i)@example.com"))
                #expect(created.attempts == (i == 2 ? 2 : 1))
            }
            let userCount = try await emulator.snapshot().users.count
            #expect(userCount == 3)
            let pausesAfterRetry = await client.writeBucket.pauses
            #expect(pausesAfterRetry == 1)
            let rateLimited = await emulator.statistics().rateLimited
            #expect(rateLimited == 1)
        }
    }

    @Test func sameIdempotencyKeyReplaysWithoutDuplicate() async throws {
        try await withEmulator { emulator, client in
            let body = CreateUserRequest(email: "idem@example.com", externalId: "U-idem")
            let first = try await client.createUser(body, idempotencyKey: "key-1")
            let second = try await client.createUser(body, idempotencyKey: "key-1")
            #expect(first.value == second.value)
            let userCount = try await emulator.snapshot().users.count
            #expect(userCount == 1)
            let replays = await emulator.statistics().idempotentReplays
            #expect(replays == 1)
            let reused = await workOSError {
                _ = try await client.createUser(CreateUserRequest(email: "other@example.com"), idempotencyKey: "key-1")
            }
            #expect(reused?.status == 422)
            #expect(reused?.code == "idempotency_key_reused")
        }
    }

    @Test func droppedConnectionIsAmbiguousAndResolvedByLookup() async throws {
        let configuration = EmulatorConfiguration(dropRate: 1)
        try await withEmulator(configuration, client: fastClient(maxAttempts: 3)) { emulator, client in
            let error = await workOSError {
                _ = try await client.createUser(CreateUserRequest(email: "drop@example.com", externalId: "U-drop"))
            }
            #expect(error?.isAmbiguous == true)
            #expect(error?.status == nil)
            #expect(error?.attempts == 3)
            // The write happened once; the retries were replays of the same Idempotency-Key.
            let snapshot = try await emulator.snapshot()
            #expect(snapshot.users.map(\.user.email) == ["drop@example.com"])
            let replays = await emulator.statistics().idempotentReplays
            #expect(replays == 2)
            let foundExternalId = try await client.findUser(email: "drop@example.com").value?.externalId
            #expect(foundExternalId == "U-drop")
        }
    }

    @Test func injectedServerErrorsAreRetriedThenReported() async throws {
        try await withEmulator(EmulatorConfiguration(failRate: 1), client: fastClient(maxAttempts: 3)) { emulator, client in
            let error = await workOSError { _ = try await client.createUser(CreateUserRequest(email: "f@example.com")) }
            #expect(error?.status == 500)
            #expect(error?.isRetryable == true)
            #expect(error?.attempts == 3)
            let noUsers = try await emulator.snapshot().users.isEmpty
            #expect(noUsers)
            let injected = await emulator.statistics().injectedFailures
            #expect(injected == 3)
        }
    }

    @Test func unreachableServerIsNotSent() async throws {
        // Nothing listens on port 1 of loopback: the connection is refused before anything is sent.
        var configuration = fastClient(maxAttempts: 2)
        configuration.baseURL = "http://127.0.0.1:1"
        configuration.connectTimeout = .seconds(2)
        let client = WorkOSClient(apiKey: try APIKey(testKey), configuration: configuration)
        let error = await workOSError { _ = try await client.createUser(CreateUserRequest(email: "n@example.com")) }
        #expect(error?.status == nil)
        #expect(error?.delivery == .notSent)
        #expect(error?.isRetryable == true)
        #expect(error?.attempts == 2)
        try await client.shutdown()
    }

    @Test func stateFileSurvivesARestart() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("emulator-\(UUID().uuidString).sqlite").path
        defer {
            for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
        }
        try await withEmulator(EmulatorConfiguration(statePath: path)) { _, client in
            _ = try await client.createUser(CreateUserRequest(email: "persist@example.com", passwordHash: bcryptHash,
                                                              passwordHashType: "bcrypt"))
        }
        let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
        #expect(mode == 0o600)  // it holds password hashes
        try await withEmulator(EmulatorConfiguration(statePath: path)) { emulator, client in
            let restoredHash = try await emulator.snapshot().user(email: "persist@example.com")?.passwordHash
            #expect(restoredHash == bcryptHash)
            let again = await workOSError { _ = try await client.createUser(CreateUserRequest(email: "persist@example.com")) }
            #expect(again?.isEmailNotAvailable == true)
        }
    }
}
