import ArgumentParser
import DescopeAPI
import DescopeEmulator
import Foundation

struct DescopeEmulatorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "descope-emulator",
        abstract: "Run a local Descope to rehearse `hashport pull` against.",
        discussion: """
        Serves the Management API endpoints `pull` reads — POST /v2/mgmt/user/search (and /v1/…), \
        GET /v1/mgmt/tenant/all, POST /v1/mgmt/role/search, GET /v1/mgmt/role/all — with Descope's semantics: \
        0-based pages, limit capped at 100, an empty page past the end, `total` in the answer, negative values \
        refused, time filters in epoch milliseconds against `createdTime` in seconds, test users only with \
        withTestUser. Users come from --users (Search Users JSON in any envelope, or NDJSON) and are answered \
        byte for byte; tenants and roles from their files, else derived from the users.

        Requests need `Authorization: Bearer <ProjectId>:<ManagementKey>`: the project id of --project-id \
        (or DESCOPE_PROJECT_ID), and the key of --management-key-file (or DESCOPE_MANAGEMENT_KEY); with no key \
        configured any key is accepted.

        Fault switches: --rate-limited-rate answers that share of requests 429 with Retry-After, --fail-rate \
        answers 500/503; which requests is decided by a generator seeded with --seed, so a run repeats.

        While it runs, POST /emulator/users (Search Users JSON) adds users as sign-ups at that moment, and \
        POST /emulator/users/modified {"userIds":[…]} marks users modified now.

        Prints the URL it listens on, then runs until SIGINT or SIGTERM.
        """)

    @Option(help: ArgumentHelp("Search Users JSON (any envelope) or NDJSON to serve.", valueName: "file"))
    var users: String?

    @Option(help: ArgumentHelp("Tenants JSON ({\"tenants\":[…]}) to serve.", valueName: "file"))
    var tenants: String?

    @Option(help: ArgumentHelp("Roles JSON ({\"roles\":[…]}) to serve.", valueName: "file"))
    var roles: String?

    @Option(help: "Address to listen on.")
    var host = "127.0.0.1"

    @Option(help: "Port to listen on (0 picks a free one).")
    var port = 4200

    @Option(help: ArgumentHelp("The project id requests must name (default: DESCOPE_PROJECT_ID, else "
                               + "P2hashportEmulator).", valueName: "id"))
    var projectId: String?

    @Option(help: ArgumentHelp("File holding the one management key to accept.", valueName: "file"))
    var managementKeyFile: String?

    @Option(name: .customLong("latency-ms"), help: "Milliseconds added before every answer.")
    var latencyMs = 0

    @Option(help: "Share of requests (0–1) answered 429 with Retry-After.")
    var rateLimitedRate = 0.0

    @Option(help: "Seconds the 429 answers ask to wait (Retry-After).")
    var retryAfter = 1

    @Option(help: "Share of requests (0–1) answered 500 or 503.")
    var failRate = 0.0

    @Option(help: "Seed of the fault generator.")
    var seed: UInt64 = 1

    func validate() throws {
        guard (0...65_535).contains(port) else { throw ValidationError("--port must be 0–65535") }
        guard latencyMs >= 0, retryAfter >= 0 else { throw ValidationError("--latency-ms and --retry-after must be ≥ 0") }
        guard (0...1).contains(rateLimitedRate), (0...1).contains(failRate), rateLimitedRate + failRate <= 1 else {
            throw ValidationError("--rate-limited-rate and --fail-rate must be between 0 and 1, together at most 1")
        }
    }

    func run() async throws {
        let environment = ProcessInfo.processInfo.environment
        var key: String?
        if let managementKeyFile {
            guard let data = FileManager.default.contents(atPath: managementKeyFile),
                  let text = String(data: data, encoding: .utf8),
                  case let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines), !trimmed.isEmpty else {
                Self.say("hashport descope-emulator: cannot read a management key from \(managementKeyFile)")
                throw ExitStatus.usage
            }
            key = trimmed
        } else if let value = environment[ManagementCredentials.keyVariable], !value.isEmpty {
            key = value.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        let store: DescopeStore
        do {
            store = try DescopeStore(users: try Self.read(users) ?? Array("[]".utf8), tenants: try Self.read(tenants),
                                     roles: try Self.read(roles))
        } catch {
            Self.say("hashport descope-emulator: \(error)")
            throw ExitStatus.usage
        }
        let project = projectId ?? environment[ManagementCredentials.projectIdVariable] ?? "P2hashportEmulator"
        let emulator = DescopeEmulatorServer(store: store, configuration: DescopeEmulatorConfiguration(
            projectId: project, managementKey: key, latency: .milliseconds(latencyMs),
            rateLimitedRate: rateLimitedRate, retryAfterSeconds: retryAfter, failRate: failRate, seed: seed))
        let bound: Int
        do { bound = try await emulator.start(host: host, port: port, stopOnSignals: true) } catch {
            Self.say("hashport descope-emulator: could not start: \(error)")
            throw ExitStatus.usage
        }
        // Unbuffered, so a script reading our stdout sees the URL at once.
        FileHandle.standardOutput.write(Data(("hashport descope-emulator listening on http://\(host):\(bound) "
            + "(project \(project), \(store.count) users)\n").utf8))
        try await emulator.wait()
        let s = emulator.statistics
        Self.say("hashport descope-emulator: \(s.requests) requests, \(s.searchPagesServed) search pages, "
                 + "\(s.unauthorized) refused keys, \(s.rateLimited) answered 429, \(s.injectedFailures) answered 5xx")
    }

    static func read(_ path: String?) throws -> [UInt8]? {
        guard let path else { return nil }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ValidationError("cannot read \(path)")
        }
        return Array(data)
    }

    static func say(_ line: String) {
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }
}
