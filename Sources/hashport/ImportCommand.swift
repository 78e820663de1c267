import ArgumentParser
import DescopeExport
import Foundation
import Migration
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

        The API key comes from WORKOS_API_KEY or --api-key-file, never from the command line.

        Exit: 0 all imported; 1 finished but a row failed or was refused, or a canary failed; 2 usage, \
        unreadable input, a changed input without --delta, or an API key WorkOS refused; 3 interrupted \
        (rerun to resume).
        """)

    @OptionGroup var mapping: MappingArguments

    @Option(help: ArgumentHelp("The import's state file (SQLite, created 0600). Rerun with the same file to resume.",
                               valueName: "file.sqlite"))
    var state: String

    @Option(help: ArgumentHelp("WorkOS API base URL (staging, or a local `hashport emulator`).", valueName: "url"))
    var baseURL = "https://api.workos.com"

    @Option(help: ArgumentHelp("Writes per second, at most (WorkOS allows 500 per 10 s); writes are paced 2% under it so that jitter never crosses WorkOS's window.", valueName: "n"))
    var rate: Double = 45

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

    @Option(help: ArgumentHelp("Write failed and rejected rows to this CSV (created 0600).", valueName: "file.csv"))
    var errors: String?

    @Option(help: ArgumentHelp("Write the run's report as JSON (created 0600).", valueName: "file.json"))
    var report: String?

    @Option(help: ArgumentHelp("After the import, log these accounts in (CSV email,password or user_id,password).",
                               valueName: "file"))
    var canaries: String?

    @Option(help: ArgumentHelp("WorkOS client id used to log the canaries in.", valueName: "id"))
    var clientId: String?

    @Option(help: ArgumentHelp("Read the WorkOS API key from this file instead of WORKOS_API_KEY.", valueName: "file"))
    var apiKeyFile: String?

    @Option(help: ArgumentHelp("Seconds between progress lines when stderr is not a terminal.", valueName: "s"))
    var progressInterval: Double = 10

    /// Usage problems exit 2 (DESIGN §3) with a message that never repeats a key.
    func checkArguments() throws {
        do { try APIKey.refuseCommandLineKey(in: CommandLine.arguments) } catch { throw Self.usage(error) }
        guard rate > 0, rate.isFinite, rate <= 10_000 else { throw Self.usage("--rate must be > 0 and at most 10000") }
        guard (1...1_024).contains(concurrency) else { throw Self.usage("--concurrency must be between 1 and 1024") }
        guard progressInterval > 0, progressInterval.isFinite else { throw Self.usage("--progress-interval must be > 0") }
        if canaries != nil && (clientId ?? "").isEmpty && !dryRun {
            throw Self.usage("--canaries needs --client-id (the WorkOS client id the canaries log in with)")
        }
    }

    func run() async throws {
        try checkArguments()
        let resolved: (export: ExportOptions, mapping: MappingOptions)
        do { resolved = try mapping.resolved() } catch let failure as CommandFailure {
            throw Self.usage(failure.message)
        } catch {
            throw Self.usage(error)
        }
        var export = resolved.export
        // The import looks users up at 50 a second: a small join cache costs nothing and keeps RSS flat.
        export.joinMemoryBytes = ExportOptions.smallJoinMemoryBytes
        let importRun = ImportRun(
            inputs: mapping.inputs, tenantsPath: mapping.tenants, roleMapPath: mapping.roleMap, statePath: state,
            errorsPath: errors, reportPath: report, canariesPath: canaries, clientId: clientId,
            options: ImportOptions(concurrency: concurrency, dryRun: dryRun, updateExisting: updateExisting,
                                   withoutPassword: withoutPassword, delta: delta),
            mapping: resolved.mapping, export: export)

        if dryRun {
            do {
                let plan = try await importRun.plan()
                print(plan.summary(rate: rate))
                throw ExitStatus.success
            } catch let exit as ExitCode { throw exit } catch {
                throw Self.usage(error)
            }
        }

        let key: APIKey
        do { key = try APIKey.load(file: apiKeyFile) } catch { throw Self.usage(error) }
        let client = WorkOSClient(apiKey: key, configuration: WorkOSClientConfiguration(
            baseURL: baseURL, writesPerSecond: rate, maxConnections: concurrency + 4))
        let stop = ImportStop()
        stop.installSignalHandlers {
            FileHandle.standardError.write(Data(
                "\nstopping: finishing the users in flight (Ctrl-C again to quit at once; rerun to resume)\n".utf8))
        }
        let outcome: (ImportResult, ImportReport)
        do {
            outcome = try await importRun.execute(client: client, stop: stop, showProgress: true,
                                                  progressInterval: .milliseconds(Int64(progressInterval * 1000)))
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
        case .interrupted:
            throw ExitStatus.interrupted
        case .finished:
            throw summary.hasFailures ? ExitStatus.somethingFailed : ExitStatus.success
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
