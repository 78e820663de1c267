import Mapping
import Preflight
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// The `--report F.json` document and the human summary printed at the end of `hashport import`.
public struct ImportReport: Codable, Sendable {
    public struct Users: Codable, Sendable, Hashable {
        public var total: Int
        public var created: Int
        public var existing: Int
        public var updated: Int
        public var failed: Int
        public var skipped: Int
        public var rejected: Int
        public var alreadyDone: Int
        public var resolvedByLookup: Int
        enum CodingKeys: String, CodingKey {
            case total, created, existing, updated, failed, skipped, rejected
            case alreadyDone = "already_done", resolvedByLookup = "resolved_by_lookup"
        }
    }
    public struct Counts: Codable, Sendable, Hashable {
        public var created: Int
        public var existing: Int
        public var failed: Int
    }
    public struct Traffic: Codable, Sendable, Hashable {
        public var requests: Int
        public var writes: Int
        public var rateLimited: Int
        public var seconds: Double
        public var requestsPerSecond: Double
        public var writesPerSecond: Double
        enum CodingKeys: String, CodingKey {
            case requests, writes, seconds
            case rateLimited = "rate_limited", requestsPerSecond = "requests_per_second"
            case writesPerSecond = "writes_per_second"
        }
    }
    public struct Journal: Codable, Sendable, Hashable {
        public var created: Int
        public var existing: Int
        public var failed: Int
        public var skipped: Int
        public var rejected: Int
        public var pending: Int
        public var memberships: Int
        public var organizations: Int
    }
    public struct CanaryLine: Codable, Sendable, Hashable {
        public var line: Int
        public var account: String
        public var result: String
        public var message: String
        public var requestId: String?
        enum CodingKeys: String, CodingKey { case line, account, result, message, requestId = "request_id" }
    }

    /// `finished`, `interrupted`, `outage`, `api_key_rejected`, `journal_failed`.
    public var ending: String
    /// Why the run stopped early, in a sentence (an outage longer than `--max-outage`, a journal that cannot be written).
    public var stopReason: String?
    /// `fresh`, `resume`, `delta`.
    public var run: String
    public var users: Users
    public var memberships: Counts
    public var organizations: Counts
    public var traffic: Traffic
    /// Over every run recorded in the state file.
    public var journal: Journal
    public var canaries: [CanaryLine]
    public var errorsFile: String?
    /// `--resets`: the file and how many users it lists.
    public var resetsFile: String?
    public var resets: Int?

    enum CodingKeys: String, CodingKey {
        case ending, run, users, memberships, organizations, traffic, journal, canaries, resets
        case errorsFile = "errors_file", stopReason = "stop_reason", resetsFile = "resets_file"
    }

    public init(result: ImportResult, canaries: [CanaryOutcome], errorsFile: String?,
                resets: (path: String, count: Int)? = nil) {
        let s = result.statistics
        switch result.ending {
        case .finished: ending = "finished"
        case .interrupted: ending = "interrupted"
        case .outage(let message): ending = "outage"; stopReason = message
        case .apiKeyRejected: ending = "api_key_rejected"
        case .journalFailed(let message): ending = "journal_failed"; stopReason = message
        }
        resetsFile = resets?.path
        self.resets = resets?.count
        switch result.runStart {
        case .fresh: run = "fresh"
        case .resume: run = "resume"
        case .delta: run = "delta"
        }
        users = Users(total: s.total, created: s.created, existing: s.existing, updated: s.updated, failed: s.failed,
                      skipped: s.skipped, rejected: s.rejected, alreadyDone: s.alreadyDone,
                      resolvedByLookup: s.resolvedByLookup)
        memberships = Counts(created: s.membershipsCreated, existing: s.membershipsExisting, failed: s.membershipsFailed)
        organizations = Counts(created: s.organizationsCreated, existing: s.organizationsExisting,
                               failed: s.organizationsFailed)
        let seconds = max(result.elapsed, 0.001)
        traffic = Traffic(requests: s.requests, writes: s.writes, rateLimited: s.rateLimited, seconds: result.elapsed,
                          requestsPerSecond: Double(s.requests) / seconds, writesPerSecond: Double(s.writes) / seconds)
        let t = result.totals
        journal = Journal(created: t.count(.created), existing: t.count(.existing), failed: t.count(.failed),
                          skipped: t.count(.skipped), rejected: t.count(.rejected), pending: t.count(.pending),
                          memberships: t.membershipsDone, organizations: t.organizations)
        self.canaries = canaries.map {
            CanaryLine(line: $0.line, account: $0.account, result: $0.result.rawValue, message: $0.message,
                       requestId: $0.requestId)
        }
        self.errorsFile = errorsFile
    }

    /// True when something failed or was refused (exit 1).
    public var hasFailures: Bool {
        users.failed > 0 || users.rejected > 0 || memberships.failed > 0 || organizations.failed > 0
            || canaries.contains { $0.result == CanaryOutcome.Result.failed.rawValue }
    }

    /// Writes the JSON report (0600: it names users).
    public func write(to path: String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let data = try encoder.encode(self) + Data("\n".utf8)
        let fd = Glibc.open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw ErrorReportError(path: path, reason: String(cString: strerror(errno))) }
        _ = fchmod(fd, 0o600)
        let handle = FileHandle(fileDescriptor: fd, closeOnDealloc: true)
        try handle.write(contentsOf: data)
        try handle.close()
    }

    /// The human summary for stdout.
    public var summary: String {
        let g = ProgressReporter.grouped
        var lines: [String] = []
        let heading: String
        switch ending {
        case "interrupted": heading = "Import interrupted — rerun the same command to resume."
        case "outage": heading = "Import stopped: \(stopReason ?? "WorkOS did not answer") — rerun the same command to resume."
        case "api_key_rejected": heading = "Import stopped: WorkOS rejected the API key."
        case "journal_failed": heading = "Import stopped: \(stopReason ?? "the journal cannot be written") — rerun the same command to resume."
        default: heading = run == "resume" ? "Import finished (resumed)." : run == "delta" ? "Import finished (delta)." : "Import finished."
        }
        lines.append(heading)
        lines.append("  users        \(g(users.total)) in the input")
        lines.append("    created    \(g(users.created))")
        lines.append("    existing   \(g(users.existing))\(users.updated > 0 ? " (+\(g(users.updated)) updated)" : "")")
        if users.alreadyDone > 0 { lines.append("    done before \(g(users.alreadyDone)) (from the state file)") }
        lines.append("    failed     \(g(users.failed))")
        lines.append("    skipped    \(g(users.skipped))")
        lines.append("    rejected   \(g(users.rejected)) (never sent)")
        lines.append("  memberships  \(g(memberships.created)) created, \(g(memberships.existing)) existing, \(g(memberships.failed)) failed")
        lines.append("  orgs         \(g(organizations.created)) created, \(g(organizations.existing)) existing, \(g(organizations.failed)) failed")
        lines.append("  traffic      \(g(traffic.requests)) requests in \(ProgressReporter.duration(traffic.seconds)), "
                     + String(format: "%.1f req/s (%.1f writes/s)", traffic.requestsPerSecond, traffic.writesPerSecond)
                     + ", \(g(traffic.rateLimited)) answered 429")
        lines.append("  state file   \(g(journal.created + journal.existing)) users in WorkOS, \(g(journal.memberships)) memberships, "
                     + "\(g(journal.organizations)) organizations, \(g(journal.failed)) failed, \(g(journal.pending)) pending")
        if !canaries.isEmpty {
            let passed = canaries.filter { $0.result == "passed" }.count
            let failed = canaries.filter { $0.result == "failed" }.count
            let reset = canaries.filter { $0.result == "needs_reset" }.count
            let missing = canaries.count - passed - failed - reset
            lines.append("  canaries     \(passed) passed, \(failed) failed, \(reset) need a reset, \(missing) not imported")
            for c in canaries where c.result != "passed" {
                lines.append("    line \(c.line) \(c.account): \(c.result) — \(c.message)")
            }
        }
        if let resetsFile, let resets {
            lines.append("  resets       \(g(resets)) user\(resets == 1 ? "" : "s") need a password reset: see \(resetsFile)")
        }
        if let errorsFile, users.failed + users.rejected + memberships.failed + organizations.failed > 0 {
            lines.append("  errors       see \(errorsFile)")
        }
        return lines.joined(separator: "\n")
    }
}
