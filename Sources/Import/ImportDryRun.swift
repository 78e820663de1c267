import Mapping
import Preflight

/// `hashport import --dry-run`: what a real run would send, from the input and (when it exists) the
/// state file, without sending anything or writing the state file.
public struct ImportPlan: Sendable, Hashable {
    public var users = 0
    /// Users a run would create (or resolve), with and without their password.
    public var createWithPassword = 0
    public var createWithoutPassword = 0
    /// Users already in WorkOS by the journal whose memberships are not all done.
    public var resumeMemberships = 0
    /// `--delta`: users in the journal whose data changed (sent as an update).
    public var update = 0
    public var skip = 0
    public var rejected = 0
    public var unreadable = 0
    /// Complete in the journal: nothing to send.
    public var alreadyDone = 0
    public var memberships = 0
    public var organizations = 0
    public var runStart: ImportJournal.RunStart = .fresh

    /// Writes a real run would make at least (users, memberships, organizations; not lookups or retries).
    public var writes: Int { createWithPassword + createWithoutPassword + update + memberships + organizations }

    public static func make(input: ImportInput, journal: ImportJournal?, fingerprint: InputFingerprint,
                            options: ImportOptions) async throws -> ImportPlan {
        var plan = ImportPlan()
        if let journal { plan.runStart = try journal.begin(fingerprint: fingerprint, delta: options.delta, record: false) }
        let census = try ImportCensus.take(input)
        var tenants = Set(input.tenants.map(\.id))
        for id in census.tenants.keys { tenants.insert(id) }
        for id in tenants {
            if let journal, try await journal.organizationId(tenantId: id) != nil { continue }
            plan.organizations += 1
        }
        let iterator = try input.openUsers()
        while let item = iterator.next() {
            plan.users += 1
            guard case .user(let user) = item else { plan.unreadable += 1; continue }
            let previous = try await journal?.user(sourceKey: ImportUserKey.sourceKey(user))
            switch user.status {
            case .rejected: plan.rejected += 1; continue
            case .readyWithoutPassword where options.withoutPassword == .skip && previous?.workosUserId == nil:
                plan.skip += 1; continue
            default: break
            }
            var membershipsDone = Set<String>()
            if let previous, previous.workosUserId != nil, previous.status == .created || previous.status == .existing {
                let changed = previous.contentDigest != ImportUserKey.contentDigest(user)
                if changed, case .delta = plan.runStart {
                    plan.update += 1
                } else if previous.membershipsDone {
                    plan.alreadyDone += 1; continue
                } else {
                    plan.resumeMemberships += 1
                }
                if let journal {
                    for (tenant, m) in try await journal.memberships(sourceKey: previous.sourceKey)
                    where m.status == .created || m.status == .existing { membershipsDone.insert(tenant) }
                }
            } else if case .ready = user.status {
                plan.createWithPassword += 1
            } else {
                plan.createWithoutPassword += 1
            }
            plan.memberships += user.memberships.filter { !membershipsDone.contains($0.tenantId) }.count
        }
        return plan
    }

    /// The human text of the dry run.
    public func summary(rate: Double) -> String {
        let g = ProgressReporter.grouped
        var lines = ["Dry run — nothing was sent.", "  users in the input      \(g(users))"]
        switch runStart {
        case .fresh: break
        case .resume: lines.append("  state file              same input: a run would resume")
        case .delta: lines.append("  state file              input changed: --delta sends new and changed users only")
        }
        lines.append("  would create users      \(g(createWithPassword + createWithoutPassword)) "
                     + "(\(g(createWithPassword)) with their password, \(g(createWithoutPassword)) without)")
        if update > 0 { lines.append("  would update users      \(g(update)) (changed since the last run)") }
        if resumeMemberships > 0 { lines.append("  would finish users      \(g(resumeMemberships)) (memberships left)") }
        lines.append("  would skip              \(g(skip)) (--without-password skip)")
        lines.append("  rejected                \(g(rejected + unreadable)) (never sent; see `hashport inspect`)")
        lines.append("  already done            \(g(alreadyDone))")
        lines.append("  would create orgs       \(g(organizations))")
        lines.append("  would create memberships \(g(memberships))")
        let seconds = rate > 0 ? Double(writes) / rate : 0
        lines.append("  writes                  at least \(g(writes)), about \(ProgressReporter.duration(seconds)) at \(g(Int(rate)))/s")
        return lines.joined(separator: "\n")
    }
}
