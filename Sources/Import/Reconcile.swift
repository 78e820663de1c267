import Mapping
import Preflight
import DescopeExport
import Foundation
import WorkOS

/// One way WorkOS differs from what the export and the state file say it should hold.
public struct ReconcileDifference: Codable, Sendable, Hashable {
    public enum Kind: String, Codable, Sendable, Hashable {
        /// The export's user is not in WorkOS by the state file (failed, never answered, or never sent).
        case notImported = "not_imported"
        /// The state file names a WorkOS user that WorkOS no longer has.
        case userMissing = "user_missing"
        /// The state file and WorkOS have the user; this export does not (deleted in Descope since, or another export).
        case notInExport = "not_in_export"
        case email
        case firstName = "first_name"
        case lastName = "last_name"
        case externalId = "external_id"
        case emailVerified = "email_verified"
        case metadata
        case membershipMissing = "membership_missing"
        case membershipRoles = "membership_roles"
        case organizationMissing = "organization_missing"
        case organizationName = "organization_name"
        case organizationExternalId = "organization_external_id"
    }

    /// The user's row in the export (the tenant's record for an organization, when the tenants file has it).
    public var row: Int?
    public var email: String?
    public var tenantId: String?
    public var kind: Kind
    /// The metadata key, for `metadata`.
    public var field: String?
    public var expected: String?
    public var actual: String?
    public var workosId: String?
    /// The difference in a sentence, starting with the row and email.
    public var message: String

    enum CodingKeys: String, CodingKey {
        case row, email, kind, field, expected, actual, message
        case tenantId = "tenant_id", workosId = "workos_id"
    }
}

/// What `hashport reconcile` found.
public struct ReconcileReport: Codable, Sendable {
    /// `finished` or `interrupted` (Ctrl-C, or an outage longer than `--max-outage`).
    public var ending: String
    /// Why it stopped early, when an outage stopped it.
    public var stopReason: String?
    /// Users in the export.
    public var users = 0
    /// Users read back from WorkOS.
    public var usersChecked = 0
    /// Users the import never sends (rejected by the mapping, skipped, unreadable rows).
    public var notSent = 0
    public var organizationsChecked = 0
    public var membershipsChecked = 0
    public var differences: [ReconcileDifference] = []

    enum CodingKeys: String, CodingKey {
        case ending, users, differences
        case stopReason = "stop_reason", usersChecked = "users_checked", notSent = "not_sent", organizationsChecked = "organizations_checked"
        case membershipsChecked = "memberships_checked"
    }

    /// Exit 0 only when nothing differs.
    public var matches: Bool { differences.isEmpty && ending == "finished" }

    public var summary: String {
        let g = ProgressReporter.grouped
        var lines = differences.map(\.message)
        if !lines.isEmpty { lines.append("") }
        lines.append(ending == "finished" ? "Reconcile finished."
                     : "Reconcile interrupted\(stopReason.map { " (\($0))" } ?? "") — rerun to check everything.")
        lines.append("  users          \(g(users)) in the export, \(g(usersChecked)) read back from WorkOS, "
                     + "\(g(notSent)) never sent (rejected or skipped)")
        lines.append("  organizations  \(g(organizationsChecked)) read back")
        lines.append("  memberships    \(g(membershipsChecked)) checked")
        let users = Set(differences.compactMap { d in d.email.map { "\(d.row ?? 0)/\($0)" } }).count
        lines.append("  differences    \(g(differences.count))"
                     + (differences.isEmpty ? "" : " (\(g(users)) user\(users == 1 ? "" : "s"))"))
        return lines.joined(separator: "\n")
    }

    /// Writes the JSON report (0600: it names users).
    public func write(to path: String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let file = try OutputFile(path: path)
        let data = try encoder.encode(self)
        try file.append { $0.append(contentsOf: data); $0.append(0x0A) }
        try file.finish()
    }
}

/// `hashport reconcile`: reads back from WorkOS every user, organization and membership the state file holds
/// for the export, and compares them with what the export says (email, names, external id, metadata,
/// membership roles). Reads only, through the client's read limit.
public struct Reconciler: Sendable {
    public var client: WorkOSClient
    public var journal: ImportJournal
    public var stop: ImportStop
    /// Users read back at once.
    public var concurrency: Int

    public init(client: WorkOSClient, journal: ImportJournal, stop: ImportStop = ImportStop(), concurrency: Int = 8) {
        self.client = client; self.journal = journal; self.stop = stop; self.concurrency = max(1, concurrency)
    }

    /// `progress` is called with the number of users compared so far.
    public func run(input: ImportInput, progress: @escaping @Sendable (Int) -> Void = { _ in }) async throws
        -> ReconcileReport {
        do {
            var report = try await stop.cancelling { try await self.compare(input, progress: progress) }
            if stop.isInterrupted { report.ending = "interrupted" }
            return report
        } catch is CancellationError {
            return ReconcileReport(ending: "interrupted")
        } catch let outage as WorkOSOutage {
            var report = ReconcileReport(ending: "interrupted")
            report.stopReason = outage.description
            return report
        }
    }

    private func compare(_ input: ImportInput, progress: @escaping @Sendable (Int) -> Void) async throws
        -> ReconcileReport {
        var report = ReconcileReport(ending: "finished")
        let organizations = try await journal.organizations()
        let orgByTenant = Dictionary(organizations.map { ($0.tenantId, $0.organizationId) }, uniquingKeysWith: { a, _ in a })
        let tenants = Dictionary(input.tenants.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        for org in organizations {
            try Task.checkCancellation()
            report.differences += try await compare(org, tenant: tenants[org.tenantId])
            report.organizationsChecked += 1
        }
        try await journal.beginReconcile()
        let iterator = try input.openUsers()
        try await withThrowingTaskGroup(of: UserCheck.self) { group in
            var inFlight = 0, compared = 0
            func take(_ check: UserCheck) {
                compared += 1
                report.differences += check.differences
                if check.readBack { report.usersChecked += 1 }
                if check.notSent { report.notSent += 1 }
                report.membershipsChecked += check.memberships
                progress(compared)
            }
            while let item = iterator.next() {
                try Task.checkCancellation()
                report.users += 1
                guard case .user(let user) = item else { report.notSent += 1; continue }
                if inFlight >= concurrency, let check = try await group.next() { take(check); inFlight -= 1 }
                group.addTask { try await self.compare(user, orgByTenant: orgByTenant) }
                inFlight += 1
            }
            while let check = try await group.next() { take(check) }
        }
        report.differences += try await usersNotInExport(&report)
        report.differences.sort { ($0.row ?? 0, $0.kind.rawValue, $0.field ?? "") < ($1.row ?? 0, $1.kind.rawValue, $1.field ?? "") }
        return report
    }

    private func compare(_ org: JournalOrganization, tenant: DescopeTenant?) async throws -> [ReconcileDifference] {
        func difference(_ kind: ReconcileDifference.Kind, expected: String?, actual: String?, _ message: String)
            -> ReconcileDifference {
            ReconcileDifference(row: tenant?.source.line, email: nil, tenantId: org.tenantId, kind: kind, field: nil,
                                expected: expected, actual: actual, workosId: org.organizationId,
                                message: "organization \(org.name) (tenant \(org.tenantId)): " + message)
        }
        guard let found = try await client.getOrganization(id: org.organizationId).value else {
            return [difference(.organizationMissing, expected: org.organizationId, actual: nil,
                               "\(org.organizationId) is not in WorkOS")]
        }
        var out: [ReconcileDifference] = []
        if found.externalId != org.tenantId {
            out.append(difference(.organizationExternalId, expected: org.tenantId, actual: found.externalId,
                                  "external_id is \(quoted(found.externalId)) in WorkOS"))
        }
        // An organization that existed before the import keeps the name it had.
        let expectedName = tenant?.name ?? org.name
        if org.status == "created", !expectedName.isEmpty, found.name != expectedName {
            out.append(difference(.organizationName, expected: expectedName, actual: found.name,
                                  "name is \(quoted(expectedName)) in the export, \(quoted(found.name)) in WorkOS"))
        }
        return out
    }

    /// The users the state file has in WorkOS that the export did not name: read back too.
    private func usersNotInExport(_ report: inout ReconcileReport) async throws -> [ReconcileDifference] {
        var out: [ReconcileDifference] = []
        var after = ""
        while true {
            let batch = try await journal.usersNotReconciled(after: after, limit: 200)
            guard let last = batch.last else { return out }
            after = last.sourceKey
            for record in batch {
                try Task.checkCancellation()
                guard let id = record.workosUserId else { continue }
                var check = UserCheck(row: record.row, email: record.email)
                if try await client.findUser(id: id).value != nil {
                    report.usersChecked += 1
                    check.note(.notInExport, expected: nil, actual: id, workosId: id,
                               "in the state file and in WorkOS (\(id)) but not in this export")
                } else {
                    check.note(.userMissing, expected: id, actual: nil, workosId: id,
                               "\(id) is in the state file but not in WorkOS (nor in this export)")
                }
                out += check.differences
            }
        }
    }

    /// What one user's read-back found.
    struct UserCheck: Sendable {
        var row: Int
        var email: String
        var differences: [ReconcileDifference] = []
        var readBack = false
        var notSent = false
        var memberships = 0

        mutating func note(_ kind: ReconcileDifference.Kind, field: String? = nil, tenant: String? = nil,
                           expected: String?, actual: String?, workosId: String?, _ message: String) {
            differences.append(ReconcileDifference(
                row: row, email: email, tenantId: tenant, kind: kind, field: field, expected: expected,
                actual: actual, workosId: workosId, message: "row \(row) \(email): " + message))
        }
    }

    private func compare(_ user: MappedUser, orgByTenant: [String: String]) async throws -> UserCheck {
        var check = UserCheck(row: user.row, email: user.user.email)
        let record = try await journal.reconcileUser(sourceKey: ImportUserKey.sourceKey(user))
        if case .rejected = user.status { check.notSent = true; return check }
        if record?.status == .skipped || record?.status == .rejected { check.notSent = true; return check }
        guard let record, let userId = record.workosUserId, record.status == .created || record.status == .existing else {
            let why = record.map { r in "\(r.status.rawValue) in the state file" + (r.lastError.map { ": \($0)" } ?? "") }
                ?? "not in the state file (never sent)"
            check.note(.notImported, expected: nil, actual: nil, workosId: nil, "not imported — \(why)")
            return check
        }
        guard let found = try await client.findUser(id: userId).value else {
            check.note(.userMissing, expected: userId, actual: nil, workosId: userId,
                       "\(userId) is in the state file but not in WorkOS")
            return check
        }
        check.readBack = true
        if found.email.lowercased() != user.user.email.lowercased() {
            check.note(.email, expected: user.user.email, actual: found.email, workosId: userId,
                       "email is \(quoted(found.email)) in WorkOS")
        }
        // A user that existed before the import keeps its own names and metadata: only ours are compared.
        if record.status == .created { compareFields(user.user, found, into: &check) }
        try await compareMemberships(user, userId: userId, orgByTenant: orgByTenant, into: &check)
        return check
    }

    private func compareFields(_ body: WorkOSUserBody, _ found: User, into check: inout UserCheck) {
        func field(_ kind: ReconcileDifference.Kind, _ expected: String?, _ actual: String?) {
            let e = expected ?? "", a = actual ?? ""
            guard e != a else { return }
            check.note(kind, expected: e, actual: a, workosId: found.id,
                       "\(kind.rawValue) is \(quoted(e)) in the export, \(quoted(a)) in WorkOS")
        }
        field(.firstName, body.firstName, found.firstName)
        field(.lastName, body.lastName, found.lastName)
        field(.externalId, body.externalId, found.externalId)
        if let verified = body.emailVerified, verified != found.emailVerified {
            field(.emailVerified, String(verified), String(found.emailVerified))
        }
        let expected = Dictionary(body.metadata.map { ($0.key, $0.value) }, uniquingKeysWith: { $1 })
        for key in Set(expected.keys).union(found.metadata.keys).sorted() where expected[key] != found.metadata[key] {
            check.note(.metadata, field: key, expected: expected[key], actual: found.metadata[key], workosId: found.id,
                       "metadata \(key) is \(quoted(expected[key])) in the export, \(quoted(found.metadata[key])) in WorkOS")
        }
    }

    private func compareMemberships(_ user: MappedUser, userId: String, orgByTenant: [String: String],
                                    into check: inout UserCheck) async throws {
        guard !user.memberships.isEmpty else { return }
        let held = try await client.allMemberships(userId: userId).value
        let byOrganization = Dictionary(held.map { ($0.organizationId, $0) }, uniquingKeysWith: { a, _ in a })
        for m in user.memberships {
            check.memberships += 1
            let name = m.tenantName.map { "\($0) (tenant \(m.tenantId))" } ?? "tenant \(m.tenantId)"
            guard let organizationId = orgByTenant[m.tenantId] else {
                check.note(.membershipMissing, tenant: m.tenantId, expected: m.tenantId, actual: nil, workosId: nil,
                           "membership of \(name) missing: its organization was never created")
                continue
            }
            guard let found = byOrganization[organizationId] else {
                check.note(.membershipMissing, tenant: m.tenantId, expected: organizationId, actual: nil,
                           workosId: userId, "membership of \(name) (\(organizationId)) missing in WorkOS")
                continue
            }
            let actual = (found.roles?.map(\.slug) ?? [found.role.slug]).sorted()
            let expected = m.roleSlugs.sorted()
            if actual != expected {
                check.note(.membershipRoles, tenant: m.tenantId, expected: expected.joined(separator: ","),
                           actual: actual.joined(separator: ","), workosId: found.id,
                           "membership of \(name): roles \(expected.joined(separator: ",")) in the export, "
                           + "\(actual.joined(separator: ",")) in WorkOS")
            }
        }
    }
}

private func quoted(_ value: String?) -> String {
    guard let value else { return "(none)" }
    return "\"" + value + "\""
}
