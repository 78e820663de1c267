import Mapping
import Preflight
import DescopeExport
import Foundation
import GRDB
import Synchronization
import WorkOS

/// One item of the import's input, in input order.
public enum ImportItem: Sendable {
    /// A user as the mapping made it (ready, ready without password, or rejected).
    case user(MappedUser)
    /// A record the readers could not read (ragged CSV row, broken JSON element): reported, never sent.
    case unreadable(ExportProblem)
}

/// The import's input: the tenants, and the users read afresh on each pass (a pre-pass counts them).
public struct ImportInput: Sendable {
    public var tenants: [DescopeTenant]
    /// Tenant records that could not be read: reported, their organizations not made.
    public var tenantProblems: [ExportProblem] = []
    public var openUsers: @Sendable () throws -> AnyIterator<ImportItem>

    public init(tenants: [DescopeTenant], openUsers: @escaping @Sendable () throws -> AnyIterator<ImportItem>) {
        self.tenants = tenants; self.openUsers = openUsers
    }
}

/// How the run ended.
public enum ImportEnding: Sendable, Equatable {
    /// Every user was handled (some may have failed: see the totals).
    case finished
    /// Stopped by Ctrl-C / SIGTERM: rerun the same command to resume.
    case interrupted
    /// WorkOS did not answer for longer than `--max-outage`: rerun the same command to resume.
    case outage(message: String)
    /// WorkOS refused the API key: nothing more was sent.
    case apiKeyRejected(message: String, requestId: String?)
    /// The journal could not be written (a full disk, …): nothing more was sent; rerun once it can be.
    case journalFailed(message: String)
}

/// The result of `ImportPipeline.run`.
public struct ImportResult: Sendable {
    public var ending: ImportEnding
    public var runStart: ImportJournal.RunStart
    public var statistics: ImportStatistics.Snapshot
    /// Seconds the run took.
    public var elapsed: Double
    /// Over the whole journal (every run so far).
    public var totals: JournalTotals
    /// Tenants the users belong to (organizations needed).
    public var tenantsNeeded: Int
}

/// Streams users, organizations and memberships into WorkOS: organizations first, then users through
/// at most `concurrency` slots (a slot holds one user through its create and its memberships). Every
/// step is journaled; the memory held is the slots', whatever the input size.
public final class ImportPipeline: Sendable {
    let client: WorkOSClient
    let journal: ImportJournal
    let options: ImportOptions
    let statistics: ImportStatistics
    let errors: ErrorReportWriter?
    let resets: ResetListWriter?
    let stop: ImportStop
    let calls: ImportCalls
    let organizations: OrganizationDirectory

    public init(client: WorkOSClient, journal: ImportJournal, options: ImportOptions,
                statistics: ImportStatistics = ImportStatistics(), errors: ErrorReportWriter? = nil,
                resets: ResetListWriter? = nil, stop: ImportStop = ImportStop()) {
        self.client = client; self.journal = journal; self.options = options; self.statistics = statistics
        self.errors = errors; self.resets = resets; self.stop = stop
        self.calls = ImportCalls(statistics: statistics)
        self.organizations = OrganizationDirectory(client: client, journal: journal, calls: calls)
    }

    /// Runs the import. Throws only for a journal that cannot be written or an input that cannot be read;
    /// WorkOS failures are per row (errors file, journal), except a refused key and an outage longer than
    /// the breaker allows, which end the run. An interruption (`stop`) cancels the requests in flight.
    public func run(input: ImportInput, fingerprint: InputFingerprint) async throws -> ImportResult {
        // A changed input is refused before any work.
        let start = try journal.begin(fingerprint: fingerprint, delta: options.delta)
        let census = try ImportCensus.take(input, stop: stop)
        statistics.update { $0.total = census.users }

        for problem in input.tenantProblems {
            errors?.record(ImportFailure(row: problem.location.line, email: "", stage: "input", code: problem.code,
                                         retryable: false, message: "\(problem.location): \(problem.message)"))
            statistics.update { $0.organizationsFailed += 1 }
        }
        var ending = ImportEnding.finished
        do {
            try await stop.cancelling {
                try await self.importOrganizations(input.tenants, census: census)
                try await self.importUsers(input, start: start)
            }
        } catch let error as WorkOSError where error.isAPIKeyRejected {
            stop.request(.apiKeyRejected)
            ending = .apiKeyRejected(message: error.message, requestId: error.requestId)
        } catch let outage as WorkOSOutage {
            stop.request(.outage)
            ending = .outage(message: outage.description)
        } catch is CancellationError {
            ending = .interrupted
        } catch let error as DatabaseError {
            stop.request(.journalFailed)
            ending = .journalFailed(message: JournalFailure.sentence(error, path: journal.path))
        }
        if let failure = journalFailure.withLock({ $0 }) {
            ending = .journalFailed(message: failure)
        } else if let refused = refusal.withLock({ $0 }) {
            ending = .apiKeyRejected(message: refused.message, requestId: refused.requestId)
        } else if case .finished = ending, let outage = outageSeen.withLock({ $0 }) {
            ending = .outage(message: outage.description)
        } else if case .finished = ending, stop.isInterrupted {
            ending = .interrupted
        }
        let pauses = await client.writeBucket.pauses
        statistics.update { $0.rateLimited = pauses }
        return ImportResult(ending: ending, runStart: start, statistics: statistics.snapshot,
                            elapsed: statistics.elapsed, totals: try await journal.totals(),
                            tenantsNeeded: census.tenants.count)
    }

    // MARK: - Organizations first

    private func importOrganizations(_ tenants: [DescopeTenant], census: ImportCensus) async throws {
        var byId: [String: DescopeTenant] = [:]
        for t in tenants { byId[t.id] = t }
        // Every tenant of the tenants file, then those known only from users' memberships.
        var order = tenants.map(\.id)
        for id in census.tenants.keys.sorted() where byId[id] == nil { order.append(id) }
        try await withThrowingTaskGroup(of: Void.self) { group in
            var inFlight = 0
            for id in order {
                if stop.isRequested { break }
                if inFlight >= min(4, options.concurrency) { _ = try await group.next(); inFlight -= 1 }
                let tenant = byId[id]
                let name = tenant?.name ?? census.tenants[id] ?? nil
                let domains = tenant?.selfProvisioningDomains ?? []
                group.addTask { [organizations, errors] in
                    do {
                        _ = try await organizations.organizationId(tenantId: id, name: name, domains: domains)
                    } catch let error as WorkOSError where error.isAPIKeyRejected {
                        throw error
                    } catch let error where error is WorkOSOutage || error is CancellationError || Task.isCancelled
                                || error is DatabaseError {
                        // Not this organization's failure: the run is stopping (or cannot record anything).
                        throw error
                    } catch {
                        errors?.record(ImportFailure(row: tenant?.source.line ?? 0, email: "", stage: "organization",
                                                     error: error))
                    }
                }
                inFlight += 1
            }
            try await group.waitForAll()
        }
    }

    // MARK: - Users, in bounded slots

    private let refusal = Mutex<WorkOSError?>(nil)
    private let outageSeen = Mutex<WorkOSOutage?>(nil)
    private let journalFailure = Mutex<String?>(nil)

    private func importUsers(_ input: ImportInput, start: ImportJournal.RunStart) async throws {
        let iterator = try input.openUsers()
        let slots = options.concurrency
        await withTaskGroup(of: UserOutcome.self) { group in
            var inFlight = 0
            while !stop.isRequested, let item = iterator.next() {
                if inFlight >= slots, let outcome = await group.next() {
                    inFlight -= 1
                    await finish(outcome)
                }
                if stop.isRequested { break }
                switch item {
                case .unreadable(let problem):
                    errors?.record(ImportFailure(row: problem.location.line, email: "", stage: "input",
                                                 code: problem.code, retryable: false, message: problem.message))
                    statistics.update { $0.rejected += 1; $0.processed += 1 }
                case .user(let user):
                    group.addTask { await self.importUser(user, start: start) }
                    inFlight += 1
                }
            }
            while let outcome = await group.next() { await finish(outcome) }
        }
    }

    private func finish(_ outcome: UserOutcome) async {
        switch outcome {
        case .stop(let error):
            refusal.withLock { if $0 == nil { $0 = error } }
            stop.request(.apiKeyRejected)
        case .outage(let outage):
            outageSeen.withLock { if $0 == nil { $0 = outage } }
            stop.request(.outage)
        case .journalFailed(let sentence):
            journalFailure.withLock { if $0 == nil { $0 = sentence } }
            stop.request(.journalFailed)
        default:
            break
        }
        let pauses = await client.writeBucket.pauses
        statistics.update {
            $0.rateLimited = pauses
            switch outcome {
            case .stop, .outage, .cancelled, .journalFailed: return
            case .created: $0.created += 1
            case .existing: $0.existing += 1
            case .updated: $0.updated += 1
            case .failed: $0.failed += 1
            case .skipped: $0.skipped += 1
            case .rejected: $0.rejected += 1
            case .alreadyDone: $0.alreadyDone += 1
            }
            $0.processed += 1
        }
    }
}

/// What became of one user in this run.
enum UserOutcome: Sendable, Equatable {
    case created, existing, updated, failed, skipped, rejected, alreadyDone
    /// WorkOS refused the API key: the whole run stops.
    case stop(WorkOSError)
    /// WorkOS was down for longer than the breaker allows: the whole run stops, nobody failed.
    case outage(WorkOSOutage)
    /// Cut off by an interruption; the journal holds its intent (if any) for the rerun.
    case cancelled
    /// The journal could not be written (a full disk): the whole run stops, the sentence says why.
    case journalFailed(String)
}
