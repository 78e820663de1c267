import Foundation
import Testing
import WorkOS
import WorkOSEmulator

#if canImport(Glibc)
import Glibc
#endif

/// The client's connection check and circuit breaker against the real emulator over loopback.
@Suite struct OutageTests {
    /// A loopback port nothing listens on (bound, then released).
    static func closedPort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        try withUnsafeMutablePointer(to: &address) { pointer in
            try pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                guard bind(fd, $0, length) == 0, getsockname(fd, $0, &length) == 0 else {
                    throw POSIXError(.EADDRINUSE)
                }
            }
        }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    @Test func connectionCheckNamesTheCause() async throws {
        var configuration = fastClient()
        configuration.baseURL = "http://127.0.0.1:\(try Self.closedPort())"
        let client = WorkOSClient(apiKey: try APIKey(testKey), configuration: configuration)
        defer { Task { try? await client.shutdown() } }
        do {
            _ = try await client.checkConnection()
            Issue.record("a closed port answered")
        } catch let problem as WorkOSConnectionProblem {
            #expect(problem == .unreachable(baseURL: configuration.baseURL, cause: "connection refused"))
            #expect(problem.description == "cannot reach WorkOS at \(configuration.baseURL): connection refused")
        }
        _ = try await withEmulator(EmulatorConfiguration(apiKey: "sk_test_right"), key: "sk_test_wrong") { _, wrong in
            do {
                _ = try await wrong.checkConnection()
                Issue.record("a wrong key was accepted")
            } catch let problem as WorkOSConnectionProblem {
                guard case .apiKeyRejected(let requestId) = problem else { Issue.record("\(problem)"); return }
                #expect(requestId?.hasPrefix("req_") == true)
                #expect(!problem.description.contains("sk_test_wrong"))
            }
        }
        try await withEmulator { _, client in
            let connection = try await client.checkConnection()
            #expect(!connection.isProductionKey)
            #expect(connection.requestId?.hasPrefix("req_") == true)
        }
    }

    @Test(.timeLimit(.minutes(10)))
    func aHangLongerThanTheRetryBudgetIsWaitedOut() async throws {
        // Each send gives up after 1 s and a request has 2 of them: its budget is well under the hang, which lasts
        // until the breaker has seen five probes fail (and then is ended by the test, however slow the machine). The
        // second send, after the hang, has a whole second: 300 ms failed it under AddressSanitizer on a busy machine.
        let client = fastClient(maxAttempts: 2, breaker: fastBreaker(tripAfter: 2), requestTimeout: .seconds(1))
        try await withEmulator(client: client) { emulator, client in
            _ = try await client.createUser(CreateUserRequest(email: "before@example.com"))
            emulator.hang(for: .seconds(600))
            async let a = client.createUser(CreateUserRequest(email: "a@example.com", externalId: "Ua"))
            async let b = client.createUser(CreateUserRequest(email: "b@example.com", externalId: "Ub"))
            while (client.breaker?.outage?.probes ?? 0) < 5 { try await Task.sleep(for: .milliseconds(10)) }
            emulator.endHang()
            let created = try await [a, b]
            #expect(created.map(\.value.email) == ["a@example.com", "b@example.com"])
            let stats = await emulator.statistics()
            #expect(stats.hungRequests >= 4, "both requests and the probes before the fifth were held")
            let emails = try await emulator.snapshot().users.map(\.user.email).sorted()
            #expect(emails == ["a@example.com", "b@example.com", "before@example.com"])
            #expect(client.breaker?.outage == nil)
        }
    }

    @Test func withoutTheBreakerTheSameHangFailsTheRequest() async throws {
        // The control for the test above: without the breaker, a hang longer than its budget fails the request.
        let client = fastClient(maxAttempts: 2, requestTimeout: .milliseconds(300))
        try await withEmulator(client: client) { emulator, client in
            emulator.hang(for: .seconds(600))
            let error = await workOSError { _ = try await client.createUser(CreateUserRequest(email: "a@example.com")) }
            emulator.endHang()
            #expect(error?.isAmbiguous == true)
            #expect(error?.attempts == 2)
        }
    }

    @Test func anOutageLongerThanMaxOutageThrowsWorkOSOutage() async throws {
        let client = fastClient(maxAttempts: 2, breaker: fastBreaker(tripAfter: 2, maxOutage: .milliseconds(800)),
                                requestTimeout: .milliseconds(200))
        try await withEmulator(client: client) { emulator, client in
            emulator.hang(for: .seconds(600))
            do {
                _ = try await client.createUser(CreateUserRequest(email: "a@example.com"))
                Issue.record("created during a hang")
            } catch let outage as WorkOSOutage {
                #expect(outage.cause == "timed out" || outage.cause == "connection closed without an answer")
                #expect(outage.description.contains("--max-outage"))
            }
            emulator.endHang()
            let noUsers = try await emulator.snapshot().users.isEmpty
            #expect(noUsers, "nothing held by the hang was applied")
        }
    }

    @Test func aHangCanStartAfterSomeWrites() async throws {
        let configuration = EmulatorConfiguration(hangAfterWrites: 2, hangFor: .seconds(600))
        try await withEmulator(configuration, client: fastClient(maxAttempts: 1)) { emulator, client in
            _ = try await client.createUser(CreateUserRequest(email: "one@example.com"))
            #expect(!emulator.isHanging)
            _ = try await client.createUser(CreateUserRequest(email: "two@example.com"))
            #expect(emulator.isHanging, "the second write's answer went out, then the hang began")
            // Only the failing side has a short deadline: a read during the hang is never answered.
            let problem = await #expect(throws: WorkOSConnectionProblem.self) {
                _ = try await client.checkConnection(timeout: .milliseconds(300))
            }
            #expect(problem?.description.contains("timed out") == true)
            let held = await emulator.statistics().hungRequests
            #expect(held == 1, "reads hang too")
            emulator.endHang()
            #expect(!emulator.isHanging)
            let users = try await client.listUsers().value.data.count
            #expect(users == 2, "nothing held was applied")
        }
    }
}
