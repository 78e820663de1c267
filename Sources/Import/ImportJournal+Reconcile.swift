import Mapping
import Preflight
import GRDB

/// What `hashport reconcile` reads from the journal. The users it has checked are marked in a TEMP table
/// (gone with the connection), so that afterwards the users the journal holds and the export no longer has
/// can be listed without holding every key in memory.
extension ImportJournal {
    /// Starts a reconcile with no user marked yet.
    public func beginReconcile() async throws {
        try await db.write { db in
            try db.execute(sql: "CREATE TEMP TABLE IF NOT EXISTS reconcile_seen (source_key TEXT PRIMARY KEY)")
            try db.execute(sql: "DELETE FROM reconcile_seen")
        }
    }

    /// The user's journal row, marked as checked.
    public func reconcileUser(sourceKey: String) async throws -> JournalUser? {
        try await db.write { db in
            try db.execute(sql: "INSERT OR IGNORE INTO reconcile_seen (source_key) VALUES (?)", arguments: [sourceKey])
            return try Row.fetchOne(db, sql: "SELECT * FROM user WHERE source_key = ?", arguments: [sourceKey])
                .map(JournalUser.init(row:))
        }
    }

    /// Users the journal has in WorkOS that the reconcile did not meet in the export, `limit` at a time in key
    /// order, after `sourceKey`.
    public func usersNotReconciled(after sourceKey: String, limit: Int) async throws -> [JournalUser] {
        try await db.read { db in
            try Row.fetchAll(db, sql: """
                SELECT * FROM user WHERE status IN ('created', 'existing') AND workos_user_id IS NOT NULL
                  AND source_key > ? AND source_key NOT IN (SELECT source_key FROM reconcile_seen)
                ORDER BY source_key LIMIT ?
                """, arguments: [sourceKey, limit]).map(JournalUser.init(row:))
        }
    }

    /// Every organization the journal knows a WorkOS id for, by tenant.
    public func organizations() async throws -> [JournalOrganization] {
        try await db.read { db in
            try Row.fetchAll(db, sql: """
                SELECT tenant_id, organization_id, name, status FROM organization
                WHERE organization_id IS NOT NULL ORDER BY tenant_id
                """).map { r in
                JournalOrganization(tenantId: r["tenant_id"], organizationId: r["organization_id"], name: r["name"],
                                    status: r["status"])
            }
        }
    }
}

/// One organization's journal row.
public struct JournalOrganization: Sendable, Hashable {
    public var tenantId: String
    public var organizationId: String
    public var name: String
    /// `created` or `existing`.
    public var status: String
}
