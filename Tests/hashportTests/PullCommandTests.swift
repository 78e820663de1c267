import AsyncHTTPClient
import DescopeAPI
import DescopeEmulator
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// `hashport pull` and `hashport descope-emulator` as a user runs them: the built binary as a subprocess.
@Suite struct PullCommandTests {
    static let project = "P2pullCommand"
    static let key = "K2pull-command-secret-4f9a"

    /// A running `hashport` whose output goes to files (so a killed process leaves nothing blocked).
    final class Running {
        let process = Process()
        let stdout: String
        let stderr: String

        init(_ arguments: [String], environment: [String: String] = [:], in directory: String) throws {
            stdout = directory + "/stdout-\(UUID().uuidString.prefix(8))"
            stderr = stdout.replacingOccurrences(of: "stdout-", with: "stderr-")
            FileManager.default.createFile(atPath: stdout, contents: nil)
            FileManager.default.createFile(atPath: stderr, contents: nil)
            process.executableURL = HashportBinary.executable
            process.arguments = arguments
            var env = ProcessInfo.processInfo.environment
            env.removeValue(forKey: ManagementCredentials.keyVariable)
            env.removeValue(forKey: ManagementCredentials.projectIdVariable)
            env.merge(environment) { $1 }
            process.environment = env
            process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: stdout))
            process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: stderr))
            process.standardInput = FileHandle.nullDevice
            try process.run()
        }

        /// Waits without blocking a thread: the emulator these tests start runs in this process.
        func finish() async -> (status: Int32, reason: Process.TerminationReason, stdout: String, stderr: String) {
            while process.isRunning { try? await Task.sleep(for: .milliseconds(5)) }
            let out = (try? String(contentsOfFile: stdout, encoding: .utf8)) ?? ""
            let err = (try? String(contentsOfFile: stderr, encoding: .utf8)) ?? ""
            return (process.terminationStatus, process.terminationReason, out, err)
        }

        func signal(_ number: Int32) { kill(process.processIdentifier, number) }
    }

    private func workDirectory() throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("hashport-pullcmd-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }

    private var credentials: [String: String] {
        [ManagementCredentials.projectIdVariable: Self.project, ManagementCredentials.keyVariable: Self.key]
    }

    /// `count` users in a Search Users answer, one a minute apart.
    private func users(_ count: Int) throws -> DescopeStore {
        let list: [[String: Any]] = (0..<count).map { i in
            ["userId": String(format: "U%07d", i), "email": "u\(i)@example.com", "status": "enabled",
             "createdTime": 1_700_000_000 + i * 60, "customAttributes": ["n": i]]
        }
        return try DescopeStore(users: Array(try JSONSerialization.data(withJSONObject: ["users": list])))
    }

    private func emulator(_ store: DescopeStore, _ configuration: DescopeEmulatorConfiguration) async throws
        -> (DescopeEmulatorServer, String) {
        var configuration = configuration
        configuration.projectId = Self.project
        configuration.managementKey = Self.key
        let server = DescopeEmulatorServer(store: store, configuration: configuration)
        try await server.start()
        return (server, try #require(server.baseURL))
    }

    private func ids(_ directory: String) throws -> [String] {
        let text = try String(contentsOfFile: directory + "/users.ndjson", encoding: .utf8)
        return try text.split(separator: "\n").map { line in
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
            return try #require(object?["userId"] as? String)
        }
    }

    private func pages(_ directory: String) -> Int {
        guard let data = FileManager.default.contents(atPath: directory + "/.hashport-pull.json"),
              let state = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else { return 0 }
        return state["pages"] as? Int ?? 0
    }

    @Test func killedMidPullThenRerunHasEveryUserOnce() async throws {
        let store = try users(3_000)
        let (server, url) = try await emulator(store, .init(latency: .milliseconds(20)))
        defer { Task { try? await server.shutdown() } }
        let work = try workDirectory()
        let out = work + "/out"
        let arguments = ["pull", "--out", out, "--base-url", url, "--pages-in-flight", "2"]
        // SIGKILL at three moments of the pull (wherever the process is: waiting, writing a page, renaming).
        var killedAt: [Int] = []
        for mark in [4, 11, 19] {
            let run = try Running(arguments, environment: credentials, in: work)
            let deadline = ContinuousClock.now + .seconds(60)
            while pages(out) < mark && ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(2)) }
            run.signal(SIGKILL)
            let ended = await run.finish()
            #expect(ended.reason == .uncaughtSignal && ended.status == SIGKILL, "killed, not finished: \(ended.stderr)")
            killedAt.append(pages(out))
            let partial = try ids(out)
            #expect(Set(partial).count == partial.count, "no duplicate even in a killed pull")
        }
        #expect(killedAt.allSatisfy { $0 < 30 }, "every kill was mid-pull: \(killedAt)")
        let last = try await Running(arguments, environment: credentials, in: work).finish()
        #expect(last.status == 0, "\(last.stderr)")
        #expect(last.stdout.contains("hashport pull: 3,000 users in 30 pages"))
        let pulled = try ids(out)
        #expect(pulled.count == 3_000 && Set(pulled) == Set(store.userIds))
    }

    @Test func aWrongKeyExitsTwoWithinSecondsWithoutEchoingIt() async throws {
        let (server, url) = try await emulator(try users(10), .init())
        defer { Task { try? await server.shutdown() } }
        let work = try workDirectory()
        let wrong = "K2wrong-key-7c1e-not-echoed"
        let keyFile = work + "/key"
        try (wrong + "\n").write(toFile: keyFile, atomically: true, encoding: .utf8)
        for (extra, environment) in [([String](), [ManagementCredentials.projectIdVariable: Self.project,
                                                   ManagementCredentials.keyVariable: wrong]),
                                     (["--management-key-file", keyFile, "--project-id", Self.project], [:])] {
            let started = ContinuousClock.now
            let ended = try await Running(["pull", "--out", work + "/out", "--base-url", url] + extra, environment: environment,
                                    in: work).finish()
            #expect(ContinuousClock.now - started < .seconds(15))
            #expect(ended.status == 2)
            #expect(ended.stderr.contains("Descope refused the management key (HTTP 401"))
            #expect(!ended.stderr.contains(wrong) && !ended.stdout.contains(wrong))
            #expect(!ended.stderr.contains(Self.key))
        }
        #expect(server.statistics.unauthorized == 2, "one request each, never retried")
    }

    @Test func refusesAKeyOnTheCommandLineAndBadArguments() async throws {
        let work = try workDirectory()
        let secret = "K2on-the-command-line-9d2b"
        for arguments in [["pull", "--out", work, "--management-key=\(secret)"],
                          ["pull", "--out", work, "--management-key", secret]] {
            let ended = try await Running(arguments, in: work).finish()
            #expect(ended.status == 2)
            #expect(ended.stderr.contains("management key on the command line is refused"))
            #expect(!ended.stderr.contains(secret) && !ended.stdout.contains(secret))
        }
        let cases: [([String], String)] = [
            (["pull", "--out", work, "--since", "yesterday"], "neither ISO 8601"),
            (["pull", "--out", work, "--since", "1772357400000"], "looks like milliseconds"),
            (["pull", "--out", work, "--base-url", "api.descope.com"], "--base-url must start with https://"),
            (["pull", "--out", work], "no Descope project id"),
        ]
        for (arguments, message) in cases {
            let ended = try await Running(arguments, in: work).finish()
            #expect(ended.status == 2, "\(arguments)")
            #expect(ended.stderr.contains(message), "\(arguments): \(ended.stderr)")
        }
        let noKey = try await Running(["pull", "--out", work, "--project-id", "P2x"], in: work).finish()
        #expect(noKey.status == 2 && noKey.stderr.contains("no Descope management key"))
    }

    /// Ctrl-C while the pull waits out a long Retry-After: it ends within seconds, exit 3, and resumes.
    @Test func interruptedPullEndsPromptlyAndResumes() async throws {
        let store = try users(500)
        let work = try workDirectory()
        let out = work + "/out"
        do {
            let (server, url) = try await emulator(store, .init(rateLimitedRate: 1, retryAfterSeconds: 30))
            let run = try Running(["pull", "--out", out, "--base-url", url], environment: credentials, in: work)
            while server.statistics.rateLimited < 1 { try await Task.sleep(for: .milliseconds(5)) }
            let signalled = ContinuousClock.now
            run.signal(SIGINT)
            let ended = await run.finish()
            #expect(ContinuousClock.now - signalled < .seconds(5))
            #expect(ended.status == 3, "\(ended.stderr)")
            #expect(ended.stdout.contains("interrupted after 0 users"))
            try await server.shutdown()
        }
        let (server, url) = try await emulator(store, .init())
        let resumed = try await Running(["pull", "--out", out, "--base-url", url], environment: credentials,
                                        in: work).finish()
        try await server.shutdown()
        #expect(resumed.status == 0, "\(resumed.stderr)")
        #expect(Set(try ids(out)) == Set(store.userIds))
    }

    /// The user's journey with both commands: a Descope emulator on the bundled sample, a pull from it, and
    /// `inspect` on the pulled files saying exactly what it says on the bundled export.
    @Test func pullFromTheDescopeEmulatorCommandThenInspectThePulledFiles() async throws {
        let work = try workDirectory()
        let demo = HashportBinary.repository.appendingPathComponent("TestVectors/demo").path
        let keyFile = work + "/key"
        try Self.key.write(toFile: keyFile, atomically: true, encoding: .utf8)
        let emulator = try Running(["descope-emulator", "--users", demo + "/search-users.json", "--tenants",
                                    demo + "/tenants.json", "--port", "0", "--project-id", Self.project,
                                    "--management-key-file", keyFile, "--fail-rate", "0.3", "--seed", "11"], in: work)
        var url: String?
        for _ in 0..<300 where url == nil {
            let text = (try? String(contentsOfFile: emulator.stdout, encoding: .utf8)) ?? ""
            url = text.split(separator: " ").first { $0.hasPrefix("http://") }.map(String.init)
            if url == nil { try await Task.sleep(for: .milliseconds(20)) }
        }
        let base = try #require(url)
        let out = work + "/pulled"
        let pulled = try await Running(["pull", "--out", out, "--base-url", base], environment: credentials, in: work).finish()
        emulator.signal(SIGTERM)
        let stopped = await emulator.finish()
        #expect(pulled.status == 0, "\(pulled.stderr)")
        #expect(pulled.stdout.contains("hashport pull: 14 users in 1 page"))
        #expect(pulled.stdout.contains("tenants     2 → \(out)/tenants.json"))
        #expect(stopped.status == 0 && stopped.stderr.contains("answered 5xx"))

        let fromPull = try await Running(["inspect", out + "/users.ndjson", demo + "/descope-hashes.csv", "--tenants",
                                    out + "/tenants.json"], in: work).finish()
        let fromExport = try await Running(["inspect", demo + "/search-users.json", demo + "/descope-hashes.csv", "--tenants",
                                      demo + "/tenants.json"], in: work).finish()
        #expect(fromPull.stdout.hasPrefix("14 users in \(out)/users.ndjson"))
        #expect(fromPull.status == fromExport.status)
        // Everything but the first line (which names the inputs) is the same.
        #expect(fromPull.stdout.split(separator: "\n").dropFirst() == fromExport.stdout.split(separator: "\n").dropFirst())
        #expect(fromPull.stdout.contains("ready (with password)"))
    }

    /// The cutover of the README: a full pull and import, then sign-ups and changes in Descope, then
    /// `pull --since` (the time the full pull started) and `import --delta`: WorkOS ends with every user once.
    @Test func cutoverDeltaBringsTheSignUpsAndChangesAcross() async throws {
        let work = try workDirectory()
        let demo = HashportBinary.repository.appendingPathComponent("TestVectors/demo").path
        let store = try DescopeStore(users: Array(try Data(contentsOf: URL(fileURLWithPath: demo + "/search-users.json"))),
                                     tenants: Array(try Data(contentsOf: URL(fileURLWithPath: demo + "/tenants.json"))))
        let (descope, url) = try await emulator(store, .init())
        let workos = try Running(["emulator", "--port", "0", "--rate-limit", "0"], in: work)
        var workosURL: String?
        for _ in 0..<300 where workosURL == nil {
            let text = (try? String(contentsOfFile: workos.stdout, encoding: .utf8)) ?? ""
            workosURL = text.split(separator: " ").first { $0.hasPrefix("http://") }
                .map { String($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
            if workosURL == nil { try await Task.sleep(for: .milliseconds(20)) }
        }
        let workosBase = try #require(workosURL)
        var environment = credentials
        environment["WORKOS_API_KEY"] = "sk_test_cutover"
        let state = work + "/migration.sqlite"

        let full = try await Running(["pull", "--out", work + "/full", "--base-url", url], environment: environment,
                                     in: work).finish()
        #expect(full.status == 0, "\(full.stderr)")
        let first = try await Running(["import", demo + "/descope-hashes.csv", work + "/full/users.ndjson", "--tenants",
                                       work + "/full/tenants.json", "--state", state, "--base-url", workosBase],
                                      environment: environment, in: work).finish()
        #expect(first.stdout.contains("created    13"), "\(first.stdout)\(first.stderr)")
        let startedAt = try #require(full.stdout.split(separator: " ").first { $0.hasSuffix("Z") && $0.hasPrefix("20") })

        try store.addUsers([["email": "late@acme.example", "name": "Late Signup", "status": "enabled", "verifiedEmail": true]])
        store.touch(userIds: ["U2demo0000000000000000000000bob"])
        let delta = try await Running(["pull", "--out", work + "/delta", "--since", String(startedAt), "--base-url", url],
                                      environment: environment, in: work).finish()
        #expect(delta.status == 0, "\(delta.stderr)")
        #expect(delta.stdout.contains("hashport pull: 2 users created or modified since"))
        let second = try await Running(["import", work + "/delta/users.ndjson", "--tenants", work + "/delta/tenants.json",
                                        "--state", state, "--base-url", workosBase, "--delta"],
                                       environment: environment, in: work).finish()
        #expect(second.status == 0, "\(second.stdout)\(second.stderr)")
        try await descope.shutdown()

        var request = HTTPClientRequest(url: workosBase + "/user_management/users?limit=100")
        request.headers.add(name: "Authorization", value: "Bearer sk_test_cutover")
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(10))
        let body = Data(try await response.body.collect(upTo: 1 << 20).readableBytesView)
        workos.signal(SIGTERM)
        _ = await workos.finish()
        let users = try #require((try JSONSerialization.jsonObject(with: body) as? [String: Any])?["data"] as? [[String: Any]])
        let emails = users.compactMap { $0["email"] as? String }
        #expect(emails.count == 14 && Set(emails).count == 14, "\(emails)")
        #expect(emails.contains("late@acme.example") && emails.contains("bob@acme.example"))
    }
}
