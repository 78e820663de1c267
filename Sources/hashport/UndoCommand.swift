import ArgumentParser
import Foundation
import Import
import Mapping
import Preflight
import WorkOS

struct UndoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "undo",
        abstract: "Delete from WorkOS what an import created — after a rehearsal.",
        discussion: """
        Deletes exactly what the import with this --state file created, and nothing else: first the memberships \
        it created (also those of users that existed before), then the users it created, then the organizations \
        it created (with any membership still in them). Users and organizations that were already in WorkOS \
        are never touched. Deletes go under WorkOS's write limit (--rate) and are journaled in the state file \
        as they are answered: an interrupted undo is resumed by running it again, and a later import with the \
        same state file creates everything anew.

        Shows what it will delete and asks first, unless --yes; without a terminal it refuses. A create the \
        import sent but never heard back about (it was killed) is left alone: rerun the import to settle it.

        Exit: 0 everything deleted; 1 WorkOS refused a deletion or something was left unsettled; 2 usage, or \
        WorkOS unreachable; 3 interrupted (run it again to finish).
        """)

    @OptionGroup var connection: WorkOSConnectionArguments

    @Option(help: ArgumentHelp("The import's state file.", valueName: "file.sqlite"))
    var state: String

    @Flag(help: "Do not ask before deleting.")
    var yes = false

    @Option(help: ArgumentHelp("Deletes in flight at once.", valueName: "n"))
    var concurrency = 8

    func run() async throws {
        let stop = ImportStop()
        stop.installSignalHandlers(onFirst: Interruption.onFirstSignal(command: "undo"))
        let client: WorkOSClient
        let journal: ImportJournal
        do {
            try connection.check(command: "undo")
            guard (1...256).contains(concurrency) else {
                throw CommandFailure.usage("--concurrency must be between 1 and 256")
            }
            guard FileManager.default.fileExists(atPath: state) else {
                throw CommandFailure.usage("no state file at \(state): give the --state of the import to undo")
            }
            journal = try ImportJournal(path: state)
            client = try connection.client(writesPerSecond: connection.rate ?? 45, maxConnections: concurrency + 4)
        } catch {
            throw Self.fail((error as? CommandFailure)?.message ?? "\(error)")
        }
        let undo = Undo(client: client, journal: journal, stop: stop, concurrency: concurrency)
        let result: Undo.Result
        do {
            let preview = try await undo.preview()
            print(preview.preview(baseURL: connection.baseURL, statePath: state))
            if preview.total == 0 {
                try? await client.shutdown()
                print("Nothing to undo.")
                throw preview.unsettled > 0 ? ExitStatus.somethingFailed : ExitStatus.success
            }
            _ = try await stop.cancelling { try await WorkOSConnectionArguments.connect(client) }
            if !yes {
                guard Confirmation.stdinIsTerminal else {
                    throw CommandFailure.usage("refusing to delete without a confirmation: rerun with --yes, or from a "
                                               + "terminal to be asked")
                }
                guard Confirmation.ask("Delete these \(preview.total) objects from WorkOS?") else {
                    throw CommandFailure.usage("not confirmed: nothing was deleted")
                }
            }
            let done = Count()
            let breaker = client.breaker
            let line = ProgressReporter(line: { outage in
                "undo: \(ProgressReporter.grouped(done.value))/\(ProgressReporter.grouped(preview.total)) deleted"
                    + (outage.map { " · paused: \($0)" } ?? "")
            }, outage: { breaker?.outage })
            defer { line.finish() }
            result = try await undo.run { done.set($0) }
        } catch let exit as ExitCode {
            throw exit
        } catch is CancellationError {
            try? await client.shutdown()
            throw ExitStatus.interrupted
        } catch {
            try? await client.shutdown()
            throw Self.fail((error as? CommandFailure)?.message ?? "\(error)")
        }
        try? await client.shutdown()
        print(Self.summary(result))
        switch result.ending {
        case .apiKeyRejected(let message):
            FileHandle.standardError.write(Data("hashport undo: \(message)\n".utf8))
            throw ExitStatus.usage
        case .interrupted, .outage:
            print("To finish, run the same command again:\n  " + Interruption.commandLine())
            throw ExitStatus.interrupted
        case .finished:
            throw result.failures.isEmpty && result.remaining.unsettled == 0 ? ExitStatus.success : ExitStatus.somethingFailed
        }
    }

    static func summary(_ r: Undo.Result) -> String {
        let g = ProgressReporter.grouped
        var lines: [String] = []
        for f in r.failures {
            let row = f.item.row.map { "row \($0) " } ?? ""
            lines.append("\(row)\(f.item.label): \(f.item.kind.rawValue) \(f.item.workosId) not deleted — \(f.message)")
        }
        switch r.ending {
        case .finished: lines.append("Undo finished.")
        case .interrupted: lines.append("Undo interrupted — run it again to finish.")
        case .outage(let message): lines.append("Undo stopped: \(message) — run it again to finish.")
        case .apiKeyRejected: lines.append("Undo stopped: WorkOS rejected the API key.")
        }
        lines.append("  deleted        \(g(r.deleted[.membership] ?? 0)) memberships, \(g(r.deleted[.user] ?? 0)) users, "
                     + "\(g(r.deleted[.organization] ?? 0)) organizations")
        lines.append("  already gone   \(g(r.gone))")
        lines.append("  not deleted    \(g(r.failures.count))")
        let left = r.remaining
        lines.append("  left to undo   \(g(left.total))" + (left.unsettled > 0 ? ", \(g(left.unsettled)) unsettled creates" : ""))
        return lines.joined(separator: "\n")
    }

    static func fail(_ message: String) -> ExitCode {
        FileHandle.standardError.write(Data("hashport undo: \(message)\n".utf8))
        return ExitStatus.usage
    }
}
