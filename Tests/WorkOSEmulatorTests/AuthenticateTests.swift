import Testing
import WorkOS
import WorkOSEmulator

@Suite struct AuthenticateTests {
    @Test func importedBcryptHashLogsInWithTheOldPasswordOnly() async throws {
        try await withEmulator { emulator, client in
            let user = try await client.createUser(CreateUserRequest(email: "login@example.com",
                                                                     passwordHash: bcryptHash,
                                                                     passwordHashType: "bcrypt")).value
            let session = try await client.authenticate(clientId: "client_test", email: "LOGIN@example.com",
                                                        password: bcryptPassword).value
            #expect(session.user.id == user.id)
            #expect(!session.accessToken.isEmpty && !session.refreshToken.isEmpty)
            #expect(session.user.lastSignInAt != nil)

            let wrong = await workOSError {
                _ = try await client.authenticate(clientId: "client_test", email: "login@example.com", password: "U*U*")
            }
            #expect(wrong?.status == 400)
            #expect(wrong?.code == "invalid_credentials")
            let signedIn = try await emulator.snapshot().users.first?.user.lastSignInAt != nil
            #expect(signedIn)
        }
    }

    @Test func userWithoutPasswordOrUnknownEmailCannotLogIn() async throws {
        try await withEmulator { _, client in
            _ = try await client.createUser(CreateUserRequest(email: "nopass@example.com"))
            for email in ["nopass@example.com", "ghost@example.com"] {
                let error = await workOSError {
                    _ = try await client.authenticate(clientId: "client_test", email: email, password: "anything")
                }
                #expect(error?.code == "invalid_credentials", "\(email)")
            }
        }
    }

    @Test func loginsPerEmailAreLimited() async throws {
        try await withEmulator(EmulatorConfiguration(authenticateLimitPerEmail: 2),
                               client: fastClient(maxAttempts: 1)) { _, client in
            for _ in 0..<2 {
                _ = await workOSError { _ = try await client.authenticate(clientId: "c", email: "x@y.co", password: "p") }
            }
            let limited = await workOSError {
                _ = try await client.authenticate(clientId: "c", email: "x@y.co", password: "p")
            }
            #expect(limited?.status == 429)
            #expect(limited?.retryAfter != nil)
        }
    }
}
