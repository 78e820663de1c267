import Foundation
import Testing
import WorkOS
import WorkOSEmulator

/// The ambiguous cases end to end: the write happened, the client did not hear of it.
@Suite struct AmbiguityTests {
    @Test func timeoutAfterSendIsAmbiguousAndTheWriteLands() async throws {
        var client = fastClient(maxAttempts: 1)
        client.requestTimeout = .milliseconds(500)
        try await withEmulator(EmulatorConfiguration(latency: .milliseconds(1_000)), client: client) { emulator, client in
            let error = await workOSError { _ = try await client.createUser(CreateUserRequest(email: "slow@example.com")) }
            #expect(error?.isAmbiguous == true)
            #expect(error?.status == nil)
            // The server finishes the request the client gave up on.
            var emails: [String] = []
            for _ in 0..<50 where emails.isEmpty {
                try await Task.sleep(for: .milliseconds(100))
                emails = try await emulator.snapshot().users.map(\.user.email)
            }
            #expect(emails == ["slow@example.com"])
        }
    }

    /// Many writes in flight over a shared keep-alive pool while the emulator fails and drops requests:
    /// retries plus lookup after an ambiguous failure leave every user there exactly once.
    @Test func faultsUnderConcurrencyLeaveEveryUserExactlyOnce() async throws {
        let configuration = EmulatorConfiguration(failRate: 0.2, dropRate: 0.2)
        try await withEmulator(configuration, client: fastClient(maxAttempts: 8)) { emulator, client in
            let emails = (0..<60).map { "c\($0)@example.com" }
            let outcomes = try await withThrowingTaskGroup(of: String?.self) { group in
                for email in emails {
                    group.addTask {
                        do {
                            return try await client.createUser(CreateUserRequest(email: email)).value.id
                        } catch let error as WorkOSError where error.isAmbiguous || error.isEmailNotAvailable
                            || error.isRetryable {
                            // Did it land? The fail rate covers reads too, so ask a few times.
                            for _ in 0..<8 {
                                if let found = try? await client.findUser(email: email).value { return found.id }
                            }
                            return nil
                        }
                    }
                }
                var ids: [String?] = []
                for try await id in group { ids.append(id) }
                return ids
            }
            let snapshot = try await emulator.snapshot()
            let stored = snapshot.users.map(\.user.email).sorted()
            // No duplicate, and every user the client resolved is the one stored.
            #expect(Set(stored).count == stored.count)
            #expect(Set(outcomes.compactMap { $0 }).isSubset(of: Set(snapshot.users.map(\.user.id))))
            // With 8 attempts at 20% failure + 20% drop, a user is missing only if all 8 sends failed before
            // applying (0.2^8): every one should be there.
            #expect(stored == emails.sorted())
            let statistics = await emulator.statistics()
            #expect(statistics.droppedConnections > 0)
            #expect(statistics.injectedFailures > 0)
        }
    }
}
