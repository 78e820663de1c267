import DescopeExport
import Foundation
import Import
import Mapping
import Preflight
import Testing
import WorkOS
import WorkOSEmulator

/// A real emulator on a loopback port, a real SQLite journal in a temporary directory, and a generated
/// Descope export (support CSV with hashes joined with Search Users JSON, plus tenants).
struct ImportHarness {
    static let apiKey = "sk_test_importer_harness"
    /// A bcrypt hash (password "correct horse battery staple"): WorkOS takes it as is.
    static let bcrypt = "$2b$10$ROc17YXb98cL3TiSW3wFY.yIfrbuEAVJb5mMw/6LpZylvVTUgwQJG"
    static let bcryptPassword = "correct horse battery staple"
    /// A Django PBKDF2 hash (password "erin-django-pw") and the exact WorkOS string it must become.
    static let django = "pbkdf2_sha256$600000$DjangoSaltErin01$DcAIer+STY7XoWCClBsjfC5X0883M/CSn8UeuvB8/UE="
    static let djangoWorkOS = "$pbkdf2$i=600000,d=sha256$RGphbmdvU2FsdEVyaW4wMQ$DcAIer+STY7XoWCClBsjfC5X0883M/CSn8UeuvB8/UE"
    static let tenantA = "T2harnessTenantAlpha000000001"
    static let tenantB = "T2harnessTenantBravo000000002"

    let directory: String
    let emulator: EmulatorServer
    let baseURL: String

    static func start(_ configuration: EmulatorConfiguration = EmulatorConfiguration(apiKey: ImportHarness.apiKey, rateLimit: nil))
        async throws -> ImportHarness {
        let dir = FileManager.default.temporaryDirectory.path + "/hashport-import-" + UUID().uuidString.prefix(8)
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let emulator = try EmulatorServer(configuration: configuration)
        let port = try await emulator.start(host: "127.0.0.1", port: 0)
        return ImportHarness(directory: dir, emulator: emulator, baseURL: "http://127.0.0.1:\(port)")
    }

    /// Runs `body` with a started harness and always stops it.
    static func with<T>(_ configuration: EmulatorConfiguration = EmulatorConfiguration(apiKey: ImportHarness.apiKey, rateLimit: nil),
                        _ body: (ImportHarness) async throws -> T) async throws -> T {
        let harness = try await start(configuration)
        do {
            let result = try await body(harness)
            await harness.stop()
            return result
        } catch {
            await harness.stop()
            throw error
        }
    }

    func stop() async {
        try? await emulator.shutdown()
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// User `i` (1-based) of a generated export.
    struct ExpectedUser {
        var userId: String
        var email: String
        var hashType: String
        var hash: String
        var tenants: [String]
    }

    static func expectedUser(_ i: Int) -> ExpectedUser {
        let id = "U2harness" + String(format: "%06d", i)
        let email = "user\(i)@harness.example"
        let django = i % 3 == 0
        let tenants = i % 4 == 0 ? [tenantA, tenantB] : (i % 2 == 0 ? [tenantB] : [tenantA])
        return ExpectedUser(userId: id, email: email, hashType: django ? "pbkdf2" : "bcrypt",
                            hash: django ? djangoWorkOS : bcrypt, tenants: tenants)
    }

    /// Writes `users` users (support CSV + Search Users JSON) and the tenants file; returns the paths.
    @discardableResult
    func writeExport(users: Int, name: String = "export") throws -> (csv: String, json: String, tenants: String) {
        var csv = "user_id,email,password_hash\n"
        var search: [String] = []
        for i in 1...max(1, users) where users > 0 {
            let u = Self.expectedUser(i)
            let hash = u.hashType == "pbkdf2" ? Self.django : Self.bcrypt
            csv += "\(u.userId),\(u.email),\(hash)\n"
            let tenants = u.tenants.map { #"{"tenantId":"\#($0)","roleNames":["member"]}"# }.joined(separator: ",")
            search.append(#"{"userId":"\#(u.userId)","email":"\#(u.email)","verifiedEmail":true,"givenName":"User","familyName":"N\#(i)","status":"enabled","userTenants":[\#(tenants)],"password":true}"#)
        }
        let paths = (csv: directory + "/\(name).csv", json: directory + "/\(name)-users.json",
                     tenants: directory + "/tenants.json")
        try csv.write(toFile: paths.csv, atomically: true, encoding: .utf8)
        try ("{\"users\":[\n" + search.joined(separator: ",\n") + "\n],\"total\":\(users)}\n")
            .write(toFile: paths.json, atomically: true, encoding: .utf8)
        try #"{"tenants":[{"id":"\#(Self.tenantA)","name":"Alpha"},{"id":"\#(Self.tenantB)","name":"Bravo"}]}"#
            .write(toFile: paths.tenants, atomically: true, encoding: .utf8)
        return paths
    }

    /// A breaker that probes every few tens of milliseconds (the default waits seconds); its outage limit is far
    /// away unless a test is about it, so a loaded machine cannot make it give up.
    static func fastBreaker(maxOutage: Duration = .seconds(3_600)) -> CircuitBreaker.Policy {
        CircuitBreaker.Policy(tripAfter: 3, firstProbe: .milliseconds(50), maxProbeInterval: .milliseconds(250),
                              probeTimeout: .seconds(1), maxOutage: maxOutage)
    }

    func client(key: String = ImportHarness.apiKey, rate: Double = 1_000,
                retry: RetryPolicy = RetryPolicy(maxAttempts: 8, baseDelay: .milliseconds(20), maxDelay: .milliseconds(400)),
                breaker: CircuitBreaker.Policy? = ImportHarness.fastBreaker(),
                requestTimeout: Duration = .seconds(30)) throws -> WorkOSClient {
        WorkOSClient(apiKey: try APIKey(key), configuration: WorkOSClientConfiguration(
            baseURL: baseURL, writesPerSecond: rate, writeBurst: 20, readsPerSecond: 1_000, retry: retry,
            circuitBreaker: breaker, requestTimeout: requestTimeout))
    }

    func importRun(_ paths: (csv: String, json: String, tenants: String), state: String = "state.sqlite",
                   options: ImportOptions = ImportOptions(concurrency: 8), errors: String? = "errors.csv",
                   resets: String? = nil) -> ImportRun {
        ImportRun(inputs: [paths.csv, paths.json], tenantsPath: paths.tenants, statePath: directory + "/" + state,
                  errorsPath: errors.map { directory + "/" + $0 }, resetsPath: resets.map { directory + "/" + $0 },
                  options: options)
    }

    /// Waits, with no deadline of its own, until `condition` holds (the test's time limit is the bound).
    static func waitUntil(_ condition: () async throws -> Bool) async throws {
        while try await !condition() { try await Task.sleep(for: .milliseconds(10)) }
    }

    /// Runs one import with a fresh client (or the one given, which is left open).
    func run(_ run: ImportRun, key: String = ImportHarness.apiKey, stop: ImportStop = ImportStop(),
             statistics: ImportStatistics = ImportStatistics()) async throws -> (ImportResult, ImportReport) {
        let client = try client(key: key)
        do {
            let outcome = try await run.execute(client: client, stop: stop, statistics: statistics, showProgress: false)
            try await client.shutdown()
            return outcome
        } catch {
            try? await client.shutdown()
            throw error
        }
    }

    /// Asserts the emulator holds exactly users 1…n, once each, with their hashes, and every membership.
    func expectExactContents(users n: Int, sourceLocation: Testing.SourceLocation = #_sourceLocation) async throws {
        let snapshot = try await emulator.snapshot()
        #expect(snapshot.users.count == n, "users in WorkOS", sourceLocation: sourceLocation)
        #expect(Set(snapshot.users.map { $0.user.email.lowercased() }).count == snapshot.users.count,
                "an email twice", sourceLocation: sourceLocation)
        let orgByExternalId = Dictionary(snapshot.organizations.compactMap { o in o.externalId.map { ($0, o.id) } },
                                         uniquingKeysWith: { a, _ in a })
        #expect(Set(orgByExternalId.keys) == [Self.tenantA, Self.tenantB], sourceLocation: sourceLocation)
        #expect(snapshot.organizations.count == 2, sourceLocation: sourceLocation)
        var expectedMemberships = 0
        for i in 1...max(1, n) where n > 0 {
            let e = Self.expectedUser(i)
            guard let stored = snapshot.user(email: e.email) else {
                Issue.record("user \(e.email) missing", sourceLocation: sourceLocation)
                continue
            }
            #expect(stored.passwordHash == e.hash, "hash of \(e.email)", sourceLocation: sourceLocation)
            #expect(stored.passwordHashType == e.hashType, sourceLocation: sourceLocation)
            let orgs = Set(snapshot.memberships.filter { $0.userId == stored.user.id }.map(\.organizationId))
            #expect(orgs == Set(e.tenants.compactMap { orgByExternalId[$0] }), "memberships of \(e.email)",
                    sourceLocation: sourceLocation)
            expectedMemberships += e.tenants.count
        }
        #expect(snapshot.memberships.count == expectedMemberships, "memberships in WorkOS", sourceLocation: sourceLocation)
        let pairs = Set(snapshot.memberships.map { $0.userId + "/" + $0.organizationId })
        #expect(pairs.count == snapshot.memberships.count, "a membership twice", sourceLocation: sourceLocation)
    }
}

@Suite("Import harness")
struct ImportHarnessTests {
    @Test("the generated export maps to the expected WorkOS hashes")
    func generatedExportMaps() async throws {
        try await ImportHarness.with { harness in
        let paths = try harness.writeExport(users: 6)
        let input = try harness.importRun(paths).openInput()
        var hashes: [String: String] = [:]
        var users = try input.openUsers()
        while let item = users.next() {
            guard case .user(let user) = item else { Issue.record("unreadable row"); continue }
            #expect(user.status == .ready)
            hashes[user.user.email] = user.user.passwordHash?.string
            let number = Int(user.user.email.dropFirst(4).prefix { $0.isNumber }) ?? 0
            #expect(user.memberships.map(\.tenantId) == ImportHarness.expectedUser(number).tenants)
        }
        #expect(hashes.count == 6)
        #expect(hashes["user3@harness.example"] == ImportHarness.djangoWorkOS)
        #expect(hashes["user1@harness.example"] == ImportHarness.bcrypt)
        }
    }
}
