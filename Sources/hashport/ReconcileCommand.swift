import ArgumentParser
import DescopeExport
import Foundation
import Import
import Mapping
import Preflight
import WorkOS

struct ReconcileCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reconcile",
        abstract: "Read WorkOS back and compare it with the export and the import's state file.",
        discussion: """
        Reads the inputs exactly as `import` does (give the same inputs and mapping flags), then, for every user, \
        organization and membership the --state file says WorkOS holds, reads it back from WorkOS and compares: \
        email, names, external_id, email_verified and metadata of the users the import created (a user that \
        existed before keeps its own), each membership and its roles, and each organization's external_id and \
        name. A user the export has that the state file does not show as imported is a difference too. Each \
        difference is printed with the user's row and email.

        Reads only, under WorkOS's read limit (--rate, default 90 a second). Password hashes cannot be read \
        back from WorkOS: the canaries of `import` are the check for those.

        Exit: 0 WorkOS matches; 1 something differs; 2 usage, unreadable input, or WorkOS unreachable; \
        3 interrupted (rerun to check everything).
        """)

    @OptionGroup var mapping: MappingArguments

    @OptionGroup var connection: WorkOSConnectionArguments

    @Option(help: ArgumentHelp("The import's state file.", valueName: "file.sqlite"))
    var state: String

    @Option(help: ArgumentHelp("Also write every difference as JSON (created 0600).", valueName: "file.json"))
    var report: String?

    @Option(help: ArgumentHelp("Users read back at once.", valueName: "n"))
    var concurrency = 8

    func run() async throws {
        let stop = ImportStop()
        stop.installSignalHandlers(onFirst: Interruption.onFirstSignal(command: "reconcile"))
        let client: WorkOSClient
        let input: ImportInput
        let journal: ImportJournal
        do {
            try connection.check(command: "reconcile")
            guard (1...256).contains(concurrency) else {
                throw CommandFailure.usage("--concurrency must be between 1 and 256")
            }
            guard FileManager.default.fileExists(atPath: state) else {
                throw CommandFailure.usage("no state file at \(state): give the --state of the import to reconcile")
            }
            let resolved = try mapping.resolved()
            var run = ImportRun(inputs: mapping.inputs, tenantsPath: mapping.tenants, roleMapPath: mapping.roleMap,
                                statePath: state, mapping: resolved.mapping, export: resolved.export)
            run.export.joinMemoryBytes = ExportOptions.smallJoinMemoryBytes
            input = try run.openInput()
            journal = try ImportJournal(path: state)
            client = try connection.client(readsPerSecond: connection.rate ?? 90, maxConnections: concurrency + 4)
        } catch {
            throw Self.fail((error as? CommandFailure)?.message ?? "\(error)")
        }
        let result: ReconcileReport
        do {
            _ = try await stop.cancelling { try await WorkOSConnectionArguments.connect(client) }
            let compared = Count()
            let breaker = client.breaker
            let line = ProgressReporter(line: { outage in
                "reconcile: \(ProgressReporter.grouped(compared.value)) users compared"
                    + (outage.map { " · paused: \($0)" } ?? "")
            }, outage: { breaker?.outage })
            defer { line.finish() }
            result = try await Reconciler(client: client, journal: journal, stop: stop, concurrency: concurrency)
                .run(input: input) { compared.set($0) }
            if let report { try result.write(to: report) }
        } catch is CancellationError {
            try? await client.shutdown()
            throw ExitStatus.interrupted
        } catch {
            try? await client.shutdown()
            throw Self.fail((error as? CommandFailure)?.message ?? "\(error)")
        }
        try? await client.shutdown()
        print(result.summary)
        if result.ending != "finished" { throw ExitStatus.interrupted }
        throw result.matches ? ExitStatus.success : ExitStatus.somethingFailed
    }

    static func fail(_ message: String) -> ExitCode {
        FileHandle.standardError.write(Data("hashport reconcile: \(message)\n".utf8))
        return ExitStatus.usage
    }
}
