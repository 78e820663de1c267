import ArgumentParser
import DescopeAPI
import Foundation
import Import
import Mapping
import Preflight

#if canImport(Glibc)
import Glibc
#endif

struct PullCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pull",
        abstract: "Users, tenants and roles from Descope's Management API — paged, resumable.",
        discussion: """
        Asks `POST /v2/mgmt/user/search` for every user, 100 a page, oldest first (users who sign up meanwhile \
        come after the last page, so pages already read do not shift), every status and the test users, until \
        the first empty page; then `GET /v1/mgmt/tenant/all` and the roles. Writes, in --out (created 0700, \
        files 0600):
          users.ndjson   one Search Users object a line, exactly as Descope sent it
          tenants.json   {"tenants":[…]} as sent
          roles.json     {"roles":[…]} as sent (for --role-map)
        then `hashport inspect DIR/users.ndjson support.csv --tenants DIR/tenants.json`.

        Kill it at any moment: rerun the same command and it finishes the pull from the last page it wrote, \
        with no user twice and none missing (each page is appended, then a state file in --out is replaced \
        atomically; users are also told apart by userId).

        At cutover, --since T pulls only the users created or modified since T (ISO 8601 or Unix seconds; the \
        summary of a full pull names the time it started): the input of `hashport import … --delta`.

        The project id comes from --project-id or DESCOPE_PROJECT_ID; the management key from \
        DESCOPE_MANAGEMENT_KEY or --management-key-file, never from the command line. 429 answers are waited \
        out (Retry-After), 5xx and transport failures retried with backoff and jitter.

        Exit: 0 pulled (or already pulled); 1 Descope kept failing or answered something unreadable (rerun to \
        resume); 2 usage, unusable --out, or a management key Descope refused; 3 interrupted (rerun to resume).
        """)

    @Option(help: ArgumentHelp("Directory for users.ndjson, tenants.json, roles.json and the pull's state.",
                               valueName: "dir"))
    var out: String

    @Option(help: ArgumentHelp("The Descope project id (default: DESCOPE_PROJECT_ID).", valueName: "id"))
    var projectId: String?

    @Option(help: ArgumentHelp("Only users created or modified since then: ISO 8601 or Unix seconds.",
                               valueName: "time"))
    var since: String?

    @Option(help: ArgumentHelp("Descope API base URL (another region, self-hosted, or `hashport descope-emulator`).",
                               valueName: "url"))
    var baseURL = DescopeClientConfiguration.defaultBaseURL

    @Option(help: ArgumentHelp("Read the management key from this file instead of DESCOPE_MANAGEMENT_KEY.",
                               valueName: "file"))
    var managementKeyFile: String?

    @Option(help: ArgumentHelp("Pages asked for at once (they are written in order).", valueName: "n"))
    var pagesInFlight = 4

    @Flag(help: "Discard what --out holds of an earlier pull and pull again.")
    var restart = false

    @Option(help: ArgumentHelp("Seconds between progress lines when stderr is not a terminal.", valueName: "s"))
    var progressInterval: Double = 10

    func validate() throws {
        if let since {
            do { _ = try PullSince.milliseconds(since) } catch { throw ValidationError(error.description) }
        }
        guard (1...32).contains(pagesInFlight) else { throw ValidationError("--pages-in-flight must be 1–32") }
        guard baseURL.hasPrefix("https://") || baseURL.hasPrefix("http://") else {
            throw ValidationError("--base-url must start with https:// (or http:// for a local emulator)")
        }
        guard progressInterval > 0, progressInterval.isFinite else {
            throw ValidationError("--progress-interval must be > 0")
        }
    }

    func run() async throws {
        let credentials: ManagementCredentials
        do { credentials = try ManagementCredentials.load(projectId: projectId, keyFile: managementKeyFile) } catch {
            Self.say("hashport pull: \(error)")
            throw ExitStatus.usage
        }
        let client = DescopeClient(credentials: credentials, configuration: DescopeClientConfiguration(
            baseURL: baseURL, maxConnections: pagesInFlight + 2))
        let options = PullOptions(directory: out, since: try since.map { try PullSince.milliseconds($0) },
                                  pagesInFlight: pagesInFlight, restart: restart)
        let pull = UserPull(client: client, options: options)
        Self.say("hashport pull: project \(credentials.projectId) from \(baseURL) → \(options.directory)"
                 + (options.since.map { " (users created or modified since \(PullSince.iso8601(milliseconds: $0)))" } ?? ""))

        let stop = ImportStop()
        let running = Task { try await pull.run(shouldStop: { stop.isRequested }) }
        stop.installSignalHandlers {
            Self.say("\nstopping: the pages written so far are kept (Ctrl-C again to quit at once; rerun to resume)")
            running.cancel()
        }
        let reporter = Self.reportProgress(pull.progress, every: progressInterval)
        let result = await running.result
        reporter.cancel()
        try? await client.shutdown()
        if isatty(STDERR_FILENO) == 1 { Self.say("") }

        switch result {
        case .success(let outcome):
            print(outcome.summary.render(ending: outcome.ending))
            throw outcome.ending == .interrupted ? ExitStatus.interrupted : ExitStatus.success
        case .failure(let error as PullError):
            if error.isUsage {
                Self.say("hashport pull: \(error)")
                throw ExitStatus.usage
            }
            let pulled = pull.progress.snapshot.users
            Self.say("hashport pull: \(error); the \(pulled) users pulled so far are kept in \(options.directory): "
                     + "rerun the same command to resume")
            throw ExitStatus.somethingFailed
        case .failure(let error):
            Self.say("hashport pull: \(error)")
            throw ExitStatus.somethingFailed
        }
    }

    /// The progress line on stderr: redrawn every second on a terminal, a plain line every `interval` otherwise.
    static func reportProgress(_ progress: PullProgress, every interval: Double) -> Task<Void, Never> {
        let terminal = isatty(STDERR_FILENO) == 1
        let period: Duration = terminal ? .seconds(1) : .milliseconds(Int64(interval * 1000))
        return Task {
            while !Task.isCancelled {
                try? await Task.sleep(for: period)
                if Task.isCancelled { break }
                let line = PullProgress.line(progress.snapshot, elapsed: progress.elapsed)
                FileHandle.standardError.write(Data((terminal ? "\r" + line + "\u{1B}[K" : line + "\n").utf8))
            }
        }
    }

    static func say(_ line: String) {
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }
}
