/// What a pull holds and how it went; printed at the end (`render`).
public struct PullSummary: Sendable, Equatable {
    public var directory: String
    public var since: Int64?
    /// Users in `users.ndjson`, over every run of this pull.
    public var users = 0
    /// By `status` ("(none)" when the object has none).
    public var byStatus: [String: Int] = [:]
    public var testUsers = 0
    /// Objects with no `userId` (written, but they cannot be told apart from a duplicate).
    public var withoutUserId = 0
    /// Users found in `users.ndjson` when this run started (a resumed pull).
    public var resumedWith = 0
    /// Users seen again on a later page, or in both searches of `--since`, and not written twice.
    public var duplicatesSkipped = 0
    /// Pages committed, over every run.
    public var pages = 0
    /// `total` of Descope's last answer: users matching the search when the pull ended.
    public var totalReported: Int?
    public var tenants: Int?
    public var roles: Int?
    /// When the pull first started and when it finished (epoch ms).
    public var startedAt: Int64 = 0
    public var finishedAt: Int64?
    /// This run's duration and traffic.
    public var seconds = 0.0
    public var traffic = DescopeTraffic()
    /// Set when the users file had to be read again from an earlier point (damage after a crash).
    public var repaired: String?

    public init(directory: String, since: Int64?) {
        self.directory = directory
        self.since = since
    }

    mutating func count(_ user: UserElement) {
        users += 1
        byStatus[user.status ?? "(none)", default: 0] += 1
        if user.test { testUsers += 1 }
        if user.userId == nil { withoutUserId += 1 }
    }

    /// Users written by this run.
    public var usersThisRun: Int { users - resumedWith }

    public func render(ending: PullEnding) -> String {
        let g = Self.grouped
        let rate = seconds > 0 ? Double(usersThisRun) / seconds : 0
        let what = since.map { "users created or modified since \(PullSince.iso8601(milliseconds: $0))" } ?? "users"
        var lines: [String] = []
        switch ending {
        case .finished:
            lines.append("hashport pull: \(g(users)) \(what) in \(Self.count(pages, "page")) → "
                         + "\(directory)/\(UserPull.usersFileName)")
        case .alreadyFinished:
            lines.append("hashport pull: \(directory) already holds a finished pull: \(g(users)) \(what) "
                         + "(--restart pulls again)")
        case .interrupted:
            lines.append("hashport pull: interrupted after \(g(users)) \(what) in \(Self.count(pages, "page")); rerun "
                         + "the same command to resume")
        }
        if ending != .alreadyFinished {
            var run = "  this run    \(g(usersThisRun)) users in \(String(format: "%.1f", seconds)) s "
                + "(\(g(Int(rate.rounded()))) users/s)"
            if resumedWith > 0 { run += "; resumed with \(g(resumedWith)) already pulled" }
            lines.append(run)
        }
        let order = SearchUsersRequest.allStatuses + byStatus.keys.filter { !SearchUsersRequest.allStatuses.contains($0) }.sorted()
        let statuses = order.compactMap { s in byStatus[s].map { "\(s) \(g($0))" } }
        lines.append("  status      " + (statuses.isEmpty ? "no users" : statuses.joined(separator: " · ")))
        lines.append("  test users  \(g(testUsers))")
        if withoutUserId > 0 {
            lines.append("  no userId   \(g(withoutUserId)) objects without a userId (written; `inspect` reports them)")
        }
        if duplicatesSkipped > 0 {
            lines.append("  duplicates  \(g(duplicatesSkipped)) seen twice (on two pages, or in both searches of --since), "
                         + "written once")
        }
        if let tenants { lines.append("  tenants     \(g(tenants)) → \(directory)/\(UserPull.tenantsFileName)") }
        if let roles { lines.append("  roles       \(g(roles)) → \(directory)/\(UserPull.rolesFileName)") }
        if ending != .alreadyFinished {
            var traffic = "  traffic     \(g(self.traffic.requests)) requests"
            if self.traffic.rateLimited > 0 { traffic += " · \(g(self.traffic.rateLimited)) answered 429" }
            if self.traffic.retried > 0 { traffic += " · \(g(self.traffic.retried)) retried after a 5xx or transport failure" }
            if self.traffic.waitedSeconds > 0 { traffic += " · waited \(String(format: "%.1f", self.traffic.waitedSeconds)) s" }
            lines.append(traffic)
        }
        // (With --since the last answer counts only the second search: no total of the pull to compare with.)
        if let totalReported, ending == .finished, since == nil {
            let matches = totalReported == users ? "" : "; users who signed up or changed while the last pages were read "
                + "are picked up by the cutover delta"
            lines.append("  Descope     counted \(g(totalReported)) matching users at the end\(matches)")
        }
        if let repaired { lines.append("  repaired    \(repaired)") }
        if ending != .interrupted {
            lines.append("  next        hashport inspect \(directory)/\(UserPull.usersFileName) support.csv --tenants "
                         + "\(directory)/\(UserPull.tenantsFileName)")
            if since == nil {
                lines.append("  cutover     hashport pull --out \(directory)-delta --since "
                             + "\(PullSince.iso8601(milliseconds: startedAt)) (when this pull started), then "
                             + "hashport import \(directory)-delta/\(UserPull.usersFileName) --tenants "
                             + "\(directory)-delta/\(UserPull.tenantsFileName) --state … --delta")
            }
        }
        return lines.joined(separator: "\n")
    }

    /// `1 page`, `2,000 pages`
    static func count(_ n: Int, _ noun: String) -> String { "\(grouped(n)) \(noun)\(n == 1 ? "" : "s")" }

    /// `20,000`
    static func grouped(_ n: Int) -> String {
        let digits = String(n.magnitude)
        var out = ""
        for (i, c) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(c)
        }
        return (n < 0 ? "-" : "") + out
    }
}

public enum PullEnding: String, Sendable, Equatable {
    case finished
    /// The directory already held a finished pull with the same options: nothing was sent.
    case alreadyFinished = "already_finished"
    /// Stopped (Ctrl-C); rerun to resume.
    case interrupted
}
