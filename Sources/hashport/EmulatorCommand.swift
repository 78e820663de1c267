import ArgumentParser
import Foundation
import WorkOS
import WorkOSEmulator

struct EmulatorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "emulator",
        abstract: "Run a local WorkOS to rehearse an import against.",
        discussion: """
        Serves the part of the WorkOS API that `hashport import` uses — users, organizations, memberships and \
        password login — with production's answers: `email_not_available` for a duplicate email, \
        `invalid_password_hash` for a hash WorkOS would refuse, 429 with Retry-After past the write limit, \
        list pagination, Idempotency-Key replays. Logins verify the password against the imported hash.

        The fault switches make a rehearsal hard: --fail-rate answers 500 before applying a request, \
        --drop-rate applies a write and then closes the connection without answering (the client cannot \
        know it happened); both are drawn from a generator seeded by --seed, so a rehearsal can be run again with \
        the same faults. --hang-after or --hang-after-writes makes it freeze for --hang-for seconds, as a WorkOS \
        outage does: connections are accepted, requests read, and none is answered or applied; when the hang \
        ends the held connections are closed. State is kept in memory unless --state names an SQLite file.

        Without --api-key-file any `sk_test_…` key is accepted. Prints the URL it listens on, then runs \
        until SIGINT or SIGTERM.
        """)

    @Option(help: "Address to listen on.")
    var host = "127.0.0.1"

    @Option(help: "Port to listen on (0 picks a free one).")
    var port = 4100

    @Option(name: .customLong("latency-ms"), help: "Milliseconds added before every answer.")
    var latencyMs = 0

    @Option(name: .customLong("fail-rate"), help: "Share of requests (0–1) answered 500 before anything is applied.")
    var failRate = 0.0

    @Option(name: .customLong("drop-rate"),
            help: "Share of writes (0–1) applied and then left unanswered by closing the connection.")
    var dropRate = 0.0

    @Option(help: "Seed of the generator the injected faults are drawn from.")
    var seed: UInt64 = 1

    @Option(name: .customLong("hang-after"), help: ArgumentHelp(
        "Seconds after the start at which the emulator stops answering (for --hang-for seconds).", valueName: "s"))
    var hangAfter: Double?

    @Option(name: .customLong("hang-after-writes"), help: ArgumentHelp(
        "Stop answering once this many writes have been applied (for --hang-for seconds).", valueName: "n"))
    var hangAfterWrites: Int?

    @Option(name: .customLong("hang-for"), help: ArgumentHelp("How long a hang lasts.", valueName: "s"))
    var hangFor: Double = 60

    @Option(name: .customLong("rate-limit"),
            help: "/user_management writes allowed per 10 seconds (WorkOS: 500); 0 turns the limit off.")
    var rateLimit = 500

    @Option(help: "SQLite file that keeps the state across runs (default: memory only).")
    var state: String?

    @Option(name: .customLong("api-key-file"), help: "File holding the one API key to accept.")
    var apiKeyFile: String?

    func run() async throws {
        guard (0...65_535).contains(port), latencyMs >= 0, (0...1).contains(failRate), (0...1).contains(dropRate),
              rateLimit >= 0, (hangAfter ?? 0) >= 0, (hangAfterWrites ?? 1) >= 1, hangFor > 0, hangFor.isFinite else {
            FileHandle.standardError.write(Data("""
                hashport emulator: --port must be 0–65535, --latency-ms and --rate-limit ≥ 0, \
                --fail-rate and --drop-rate between 0 and 1, --hang-after ≥ 0, --hang-after-writes ≥ 1, \
                --hang-for > 0\n
                """.utf8))
            throw ExitStatus.usage
        }
        var key: APIKey?
        if let apiKeyFile {
            do { key = try APIKey.fromFile(apiKeyFile) } catch {
                FileHandle.standardError.write(Data("hashport emulator: \(error)\n".utf8))
                throw ExitStatus.usage
            }
        }
        let configuration = EmulatorConfiguration(
            apiKey: key?.secret, rateLimit: rateLimit == 0 ? nil : rateLimit,
            latency: .milliseconds(latencyMs), failRate: failRate, dropRate: dropRate, seed: seed,
            hangAfter: hangAfter.map { .milliseconds(Int64($0 * 1000)) }, hangAfterWrites: hangAfterWrites,
            hangFor: .milliseconds(Int64(hangFor * 1000)), statePath: state)
        let emulator: EmulatorServer
        let bound: Int
        do {
            emulator = try EmulatorServer(configuration: configuration)
            bound = try await emulator.start(host: host, port: port, stopOnSignals: true)
        } catch {
            FileHandle.standardError.write(Data("hashport emulator: could not start: \(error)\n".utf8))
            throw ExitStatus.usage
        }
        // Written unbuffered so a script reading our stdout sees the URL at once.
        FileHandle.standardOutput.write(Data("hashport emulator listening on http://\(host):\(bound)\n".utf8))
        try await emulator.wait()
    }
}
