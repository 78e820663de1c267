import ArgumentParser
import DescopeExport
import Foundation
import Import
import Mapping
import Preflight
import WorkOS

struct ImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Move the users, their organizations and memberships into WorkOS — resumable.",
        discussion: """
        Reads the inputs as `convert` does (support CSV with hashes, Search Users JSON, --tenants), then sends \
        organizations first and users after, under WorkOS's write limit. Every step is recorded in the \
        --state file before and after it is sent: if the run is interrupted or killed, rerun the same command \
        and it finishes the job with no duplicate and no loss. A changed input is refused unless --delta.

        A user whose email already exists in WorkOS is found and recorded (its memberships are still made); \
        --update-existing also gives it the imported password hash. Rejected rows are never sent and are \
        listed in --errors.

        Before the first write, one read proves the address and the key: nothing listening, a host that does \
        not answer, or a refused key ends the run at once (exit 2) naming the cause. A production key \
        (sk_live_…) shows what will be written and asks first, unless --yes; without a terminal it refuses.

        If WorkOS stops answering mid-run (timeouts, refused connections, 5xx across the board), the whole run \
        pauses and says so on the progress line, retries with backoff, and resumes when WorkOS is back: nobody \
        is marked failed for an outage. Past --max-outage it stops as interrupted. Ctrl-C (or SIGTERM) cancels \
        the requests in flight and ends within 2 seconds. Either way, rerun the same command to resume.

        The API key comes from WORKOS_API_KEY or --api-key-file, never from the command line.

        Exit: 0 all imported; 1 finished but a row failed or was refused, or a canary failed; 2 usage, \
        unreadable input, a changed input without --delta, WorkOS unreachable, or an API key WorkOS refused; \
        3 interrupted or an outage longer than --max-outage (rerun to resume).
        """)

    @OptionGroup var mapping: MappingArguments

    @OptionGroup var connection: WorkOSConnectionArguments

    @Option(help: ArgumentHelp("The import's state file (SQLite, created 0600). Rerun with the same file to resume.",
                               valueName: "file.sqlite"))
    var state: String

    @Option(help: ArgumentHelp("Users in flight at once; each holds its create and memberships.", valueName: "n"))
    var concurrency = ImportOptions.defaultConcurrency

    @Flag(help: "Send nothing; say what would be sent.")
    var dryRun = false

    @Flag(help: "Set the imported password hash (PUT) on users that already exist in WorkOS.")
    var updateExisting = false

    @Option(help: ArgumentHelp("Users whose hash WorkOS cannot take: create them without a password, or skip them.",
                               valueName: "create|skip"))
    var withoutPassword = ImportOptions.WithoutPassword.create

    @Flag(help: "Accept a changed input and send only new or changed users (e.g. sign-ups after the export).")
    var delta = false

    @Flag(help: "Do not ask before writing with a production (sk_live_) key.")
    var yes = false

    @Option(help: ArgumentHelp("Write failed and rejected rows to this CSV (created 0600).", valueName: "file.csv"))
    var errors: String?

    @Option(help: ArgumentHelp("Write the run's report as JSON (created 0600).", valueName: "file.json"))
    var report: String?

    @Option(help: ArgumentHelp(
        "Write the users WorkOS holds without their old password (email, WorkOS user id, reason) to this CSV, "
            + "for the team that sends password resets (created 0600).", valueName: "file.csv"))
    var resets: String?

    @Option(help: ArgumentHelp(
        "After the import, log these accounts in (CSV email,password or user_id,password; a leading ' is the "
            + "spreadsheet guard and is dropped, as in every CSV hashport reads).", valueName: "file"))
    var canaries: String?

    @Option(help: ArgumentHelp("WorkOS client id used to log the canaries in.", valueName: "id"))
    var clientId: String?

    @Option(help: ArgumentHelp("Seconds between progress lines when stderr is not a terminal.", valueName: "s"))
    var progressInterval: Double = 10

    /// Usage problems exit 2 (DESIGN §3) with a message that never repeats a key.
    func checkArguments() throws {
        try connection.check(command: "import")
        guard (1...1_024).contains(concurrency) else { throw CommandFailure.usage("--concurrency must be between 1 and 1024") }
        guard progressInterval > 0, progressInterval.isFinite else { throw CommandFailure.usage("--progress-interval must be > 0") }
        if canaries != nil && (clientId ?? "").isEmpty && !dryRun {
            throw CommandFailure.usage("--canaries needs --client-id (the WorkOS client id the canaries log in with)")
        }
    }

    func run() async throws {
        let stop = ImportStop()
        stop.installSignalHandlers(onFirst: Interruption.onFirstSignal(command: "import"))
        let importRun: ImportRun
        do {
            try checkArguments()
            importRun = try makeRun()
        } catch {
            throw Self.usage((error as? CommandFailure)?.message ?? "\(error)")
        }
        let rate = connection.rate ?? 45
        if dryRun {
            do {
                let plan = try await importRun.plan()
                print(plan.summary(rate: rate))
                throw ExitStatus.success
            } catch let exit as ExitCode { throw exit } catch {
                throw Self.usage(error)
            }
        }
        let client: WorkOSClient
        do {
            client = try connection.client(writesPerSecond: rate, maxConnections: concurrency + 4)
        } catch {
            throw Self.usage((error as? CommandFailure)?.message ?? "\(error)")
        }
        let outcome: (ImportResult, ImportReport)
        do {
            // Ctrl-C during the check or the question ends it too; nothing has been sent then.
            let link = try await stop.cancelling { try await WorkOSConnectionArguments.connect(client) }
            if link.isProductionKey && !yes { try await confirmProduction(importRun, rate: rate) }
            outcome = try await importRun.execute(client: client, stop: stop, showProgress: true,
                                                  progressInterval: .milliseconds(Int64(progressInterval * 1000)))
        } catch is CancellationError {
            try? await client.shutdown()
            Self.stderr("hashport import: interrupted before the first write; nothing was sent")
            throw ExitStatus.interrupted
        } catch let failure as CommandFailure {
            try? await client.shutdown()
            throw Self.usage(failure.message)
        } catch {
            try? await client.shutdown()
            throw Self.usage(error)
        }
        try? await client.shutdown()
        let (result, summary) = outcome
        print(summary.summary)
        switch result.ending {
        case .apiKeyRejected(let message, let requestId):
            Self.stderr("hashport import: \(message)\(requestId.map { " (request \($0))" } ?? ""); nothing more was sent")
            throw ExitStatus.usage
        case .interrupted, .outage:
            print("To resume, run the same command again:\n  " + Interruption.commandLine())
            throw ExitStatus.interrupted
        case .journalFailed(let message):
            Self.stderr("hashport import: \(message)")
            print("To resume once the journal can be written, run the same command again:\n  " + Interruption.commandLine())
            throw ExitStatus.interrupted
        case .finished:
            throw summary.hasFailures ? ExitStatus.somethingFailed : ExitStatus.success
        }
    }

    private func makeRun() throws -> ImportRun {
        let resolved: (export: ExportOptions, mapping: MappingOptions)
        do { resolved = try mapping.resolved() } catch let failure as CommandFailure { throw failure } catch {
            throw CommandFailure.usage("\(error)")
        }
        var export = resolved.export
        // The import looks users up at 50 a second: a small join cache costs nothing and keeps RSS flat.
        export.joinMemoryBytes = ExportOptions.smallJoinMemoryBytes
        return ImportRun(
            inputs: mapping.inputs, tenantsPath: mapping.tenants, roleMapPath: mapping.roleMap, statePath: state,
            errorsPath: errors, reportPath: report, canariesPath: canaries, resetsPath: resets, clientId: clientId,
            options: ImportOptions(concurrency: concurrency, dryRun: dryRun, updateExisting: updateExisting,
                                   withoutPassword: withoutPassword, delta: delta),
            mapping: resolved.mapping, export: export)
    }

    /// A production key writes to real users: say what will be written and ask, unless --yes.
    private func confirmProduction(_ importRun: ImportRun, rate: Double) async throws {
        guard Confirmation.stdinIsTerminal else {
            throw CommandFailure.usage("refusing to write to WorkOS production (an sk_live_ key) without a "
                                       + "confirmation: rerun with --yes, or from a terminal to be asked")
        }
        let plan = try await importRun.plan()
        let g = ProgressReporter.grouped
        let question = """
            This is a production key (sk_live_…): hashport will write to WorkOS production at \(connection.baseURL): \
            \(g(plan.createWithPassword + plan.createWithoutPassword)) users (\(g(plan.createWithPassword)) with their \
            password), \(g(plan.organizations)) organizations, \(g(plan.memberships)) memberships\
            \(plan.update > 0 ? ", \(g(plan.update)) updates" : "").
            """
        guard Confirmation.ask(question) else {
            throw CommandFailure.usage("not confirmed: nothing was written")
        }
    }

    /// Prints the reason (never a secret: every error here describes itself without one) and exits 2.
    static func usage(_ error: any Error) -> ExitCode {
        stderr("hashport import: \(error)")
        return ExitStatus.usage
    }

    static func usage(_ message: String) -> ExitCode {
        stderr("hashport import: \(message)")
        return ExitStatus.usage
    }

    static func stderr(_ line: String) {
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }
}

extension ImportOptions.WithoutPassword: ExpressibleByArgument {}
