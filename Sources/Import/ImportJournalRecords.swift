import Mapping
import Preflight
import Foundation
import GRDB

/// Where one user stands in the import.
public enum ImportUserStatus: String, Sendable, Hashable, CaseIterable {
    /// The create was (or was about to be) sent; its answer is not recorded yet.
    case pending
    /// Created by this import.
    case created
    /// Already in WorkOS (same email or external id); recorded, hash set when `--update-existing`.
    case existing
    /// Could not be imported; `stage` and `last_error` say why. A rerun tries again.
    case failed
    /// Not sent by choice (`--without-password skip`).
    case skipped
    /// Refused by the mapping (no email, duplicate in the export, …); never sent.
    case rejected
}

/// One user's journal row.
public struct JournalUser: Sendable, Hashable {
    public var sourceKey: String
    public var row: Int
    public var email: String
    public var contentDigest: String
    public var outcome: String
    public var status: ImportUserStatus
    public var stage: String?
    public var workosUserId: String?
    public var idempotencyKey: String?
    public var requestIds: [String]
    public var attempts: Int
    public var lastError: String?
    public var membershipsDone: Bool

    init(row r: Row) {
        sourceKey = r["source_key"]; row = r["row"]; email = r["email"]; contentDigest = r["content_digest"]
        outcome = r["outcome"]
        status = ImportUserStatus(rawValue: r["status"] ?? "") ?? .failed
        stage = r["stage"]; workosUserId = r["workos_user_id"]; idempotencyKey = r["idempotency_key"]
        let ids: String = r["request_ids"] ?? ""
        requestIds = ids.split(separator: " ").map(String.init)
        attempts = r["attempts"]; lastError = r["last_error"]
        membershipsDone = (r["memberships_done"] as Int? ?? 0) != 0
    }

    /// Nothing left to do for this user.
    public var isDone: Bool {
        switch status {
        case .created, .existing: return membershipsDone
        case .skipped, .rejected: return true
        case .pending, .failed: return false
        }
    }
}

/// One membership's journal row.
public struct JournalMembership: Sendable, Hashable {
    public enum Status: String, Sendable { case pending, created, existing, failed }
    public var tenantId: String
    public var organizationId: String
    public var membershipId: String?
    public var status: Status
    public var idempotencyKey: String
}

/// Totals over the whole journal (every run so far), for the summary and the report.
public struct JournalTotals: Sendable, Hashable {
    public var users: [ImportUserStatus: Int] = [:]
    public var memberships: [JournalMembership.Status: Int] = [:]
    public var organizations = 0
    public func count(_ s: ImportUserStatus) -> Int { users[s, default: 0] }
    public var membershipsDone: Int { memberships[.created, default: 0] + memberships[.existing, default: 0] }
}

extension ImportJournal {
    // MARK: - Users

    public func user(sourceKey: String) async throws -> JournalUser? {
        try await db.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM user WHERE source_key = ?", arguments: [sourceKey])
                .map(JournalUser.init(row:))
        }
    }

    /// Records, before anything is sent, that this user is about to be created with this key.
    public func recordIntent(sourceKey: String, row: Int, email: String, contentDigest: String,
                             outcome: String, idempotencyKey: String) async throws {
        try await db.write { db in
            try db.execute(sql: """
                INSERT INTO user (source_key, row, email, content_digest, outcome, status, idempotency_key,
                                  attempts, updated_at)
                VALUES (?, ?, ?, ?, ?, 'pending', ?, 1, ?)
                ON CONFLICT(source_key) DO UPDATE SET
                  row = excluded.row, email = excluded.email, content_digest = excluded.content_digest,
                  outcome = excluded.outcome, status = 'pending', stage = NULL,
                  idempotency_key = excluded.idempotency_key, attempts = user.attempts + 1,
                  updated_at = excluded.updated_at
                """, arguments: [sourceKey, row, email, contentDigest, outcome, idempotencyKey, Self.timestamp()])
        }
    }

    /// Records what became of the user (created / existing / failed), with the request id of the answer.
    public func recordUserResult(sourceKey: String, status: ImportUserStatus, workosUserId: String?,
                                 requestId: String?, stage: String? = nil, error: String? = nil,
                                 contentDigest: String? = nil) async throws {
        try await db.write { db in
            try db.execute(sql: """
                UPDATE user SET status = ?, workos_user_id = COALESCE(?, workos_user_id), stage = ?,
                  last_error = ?, content_digest = COALESCE(?, content_digest),
                  request_ids = TRIM(request_ids || ' ' || COALESCE(?, '')), updated_at = ?
                WHERE source_key = ?
                """, arguments: [status.rawValue, workosUserId, stage, error, contentDigest, requestId,
                                 Self.timestamp(), sourceKey])
        }
    }

    /// Records a user that is not sent at all (rejected by the mapping, or skipped by choice).
    public func recordNotSent(sourceKey: String, row: Int, email: String, contentDigest: String, outcome: String,
                              status: ImportUserStatus, reason: String) async throws {
        try await db.write { db in
            try db.execute(sql: """
                INSERT INTO user (source_key, row, email, content_digest, outcome, status, last_error, updated_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT(source_key) DO UPDATE SET
                  row = excluded.row, email = excluded.email, content_digest = excluded.content_digest,
                  outcome = excluded.outcome, status = excluded.status, last_error = excluded.last_error,
                  updated_at = excluded.updated_at
                """, arguments: [sourceKey, row, email, contentDigest, outcome, status.rawValue, reason,
                                 Self.timestamp()])
        }
    }

    public func markMembershipsDone(sourceKey: String) async throws {
        try await db.write { db in
            try db.execute(sql: "UPDATE user SET memberships_done = 1, updated_at = ? WHERE source_key = ?",
                           arguments: [Self.timestamp(), sourceKey])
        }
    }

    // MARK: - Organizations

    /// The WorkOS organization id recorded for a tenant, nil when it is not known yet.
    public func organizationId(tenantId: String) async throws -> String? {
        try await db.read { db in
            try String.fetchOne(db, sql: """
                SELECT organization_id FROM organization WHERE tenant_id = ? AND organization_id IS NOT NULL
                """, arguments: [tenantId])
        }
    }

    /// The idempotency key of a tenant's organization, recorded before the first create is sent.
    public func organizationIntent(tenantId: String, name: String, newKey: String) async throws -> String {
        try await db.write { db in
            if let key = try String.fetchOne(db, sql: "SELECT idempotency_key FROM organization WHERE tenant_id = ?",
                                             arguments: [tenantId]) {
                return key
            }
            try db.execute(sql: """
                INSERT INTO organization (tenant_id, name, status, idempotency_key, updated_at)
                VALUES (?, ?, 'pending', ?, ?)
                """, arguments: [tenantId, name, newKey, Self.timestamp()])
            return newKey
        }
    }

    public func recordOrganization(tenantId: String, name: String, organizationId: String?, status: String,
                                   requestId: String?, error: String? = nil) async throws {
        try await db.write { db in
            try db.execute(sql: """
                INSERT INTO organization (tenant_id, organization_id, name, status, idempotency_key, request_id,
                                          last_error, updated_at)
                VALUES (?, ?, ?, ?, '', ?, ?, ?)
                ON CONFLICT(tenant_id) DO UPDATE SET
                  organization_id = COALESCE(excluded.organization_id, organization.organization_id),
                  status = excluded.status, request_id = excluded.request_id, last_error = excluded.last_error,
                  updated_at = excluded.updated_at
                """, arguments: [tenantId, organizationId, name, status, requestId, error, Self.timestamp()])
        }
    }

    // MARK: - Memberships

    public func memberships(sourceKey: String) async throws -> [String: JournalMembership] {
        try await db.read { db in
            var out: [String: JournalMembership] = [:]
            for r in try Row.fetchAll(db, sql: "SELECT * FROM membership WHERE source_key = ?", arguments: [sourceKey]) {
                let m = JournalMembership(tenantId: r["tenant_id"], organizationId: r["organization_id"],
                                          membershipId: r["membership_id"],
                                          status: JournalMembership.Status(rawValue: r["status"] ?? "") ?? .failed,
                                          idempotencyKey: r["idempotency_key"])
                out[m.tenantId] = m
            }
            return out
        }
    }

    /// Records, before it is sent, the membership about to be created.
    public func recordMembershipIntent(sourceKey: String, tenantId: String, organizationId: String,
                                       roleSlugs: [String], idempotencyKey: String) async throws {
        try await db.write { db in
            try db.execute(sql: """
                INSERT INTO membership (source_key, tenant_id, organization_id, role_slugs, status,
                                        idempotency_key, updated_at)
                VALUES (?, ?, ?, ?, 'pending', ?, ?)
                ON CONFLICT(source_key, tenant_id) DO UPDATE SET
                  organization_id = excluded.organization_id, role_slugs = excluded.role_slugs,
                  status = 'pending', idempotency_key = excluded.idempotency_key, updated_at = excluded.updated_at
                """, arguments: [sourceKey, tenantId, organizationId, roleSlugs.joined(separator: " "),
                                 idempotencyKey, Self.timestamp()])
        }
    }

    public func recordMembershipResult(sourceKey: String, tenantId: String, status: JournalMembership.Status,
                                       membershipId: String?, requestId: String?, error: String? = nil) async throws {
        try await db.write { db in
            try db.execute(sql: """
                UPDATE membership SET status = ?, membership_id = COALESCE(?, membership_id), request_id = ?,
                  last_error = ?, updated_at = ?
                WHERE source_key = ? AND tenant_id = ?
                """, arguments: [status.rawValue, membershipId, requestId, error, Self.timestamp(), sourceKey, tenantId])
        }
    }

    // MARK: - Totals

    public func totals() async throws -> JournalTotals {
        try await db.read { db in
            var t = JournalTotals()
            for r in try Row.fetchAll(db, sql: "SELECT status, COUNT(*) AS n FROM user GROUP BY status") {
                if let s = ImportUserStatus(rawValue: r["status"]) { t.users[s] = r["n"] }
            }
            for r in try Row.fetchAll(db, sql: "SELECT status, COUNT(*) AS n FROM membership GROUP BY status") {
                if let s = JournalMembership.Status(rawValue: r["status"]) { t.memberships[s] = r["n"] }
            }
            t.organizations = try Int.fetchOne(db, sql: """
                SELECT COUNT(*) FROM organization WHERE organization_id IS NOT NULL
                """) ?? 0
            return t
        }
    }

    /// Users that ended without a password in WorkOS (to be sent a reset), in row order.
    public func users(status: ImportUserStatus, limit: Int = 1_000) async throws -> [JournalUser] {
        try await db.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM user WHERE status = ? ORDER BY row LIMIT ?",
                             arguments: [status.rawValue, limit]).map(JournalUser.init(row:))
        }
    }

    /// The WorkOS user id recorded for an email (canaries), nil when the user was not imported.
    public func user(email: String) async throws -> JournalUser? {
        try await db.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM user WHERE email = ? COLLATE NOCASE LIMIT 1",
                             arguments: [email]).map(JournalUser.init(row:))
        }
    }
}
