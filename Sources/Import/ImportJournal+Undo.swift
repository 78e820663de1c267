import Mapping
import Preflight
import GRDB

/// One thing `hashport undo` deletes: a membership, a user or an organization the import created.
public struct UndoItem: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        case membership, user, organization
    }

    public var kind: Kind
    public var workosId: String
    /// The user's journal key (memberships and users).
    public var sourceKey: String?
    /// The Descope tenant (memberships and organizations).
    public var tenantId: String?
    /// The user's row in the export.
    public var row: Int?
    /// The user's email, or the organization's name.
    public var label: String
}

/// What is left for `hashport undo` in a state file.
public struct UndoCounts: Sendable, Hashable {
    public var memberships = 0
    public var users = 0
    public var organizations = 0
    /// Creates sent but never answered (an interrupted import): they may or may not be in WorkOS, so undo leaves
    /// them; rerunning the import settles them.
    public var unsettled = 0
    /// Deleted by earlier undo runs of this state file.
    public var undoneBefore = 0

    public var total: Int { memberships + users + organizations }
}

/// A line of the undo log: what `hashport undo` deleted, found gone, or could not delete. The journal rows of
/// what was deleted are removed (so a later import creates them again); the log keeps the record.
struct UndoLogEntry: Codable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "undo_log"

    var id: Int64?
    /// Each `hashport undo` run is one pass; a failure is tried again by the next pass only.
    var pass: Int
    var kind: String
    var workosId: String
    var label: String
    /// `deleted`, `gone` (404: already deleted), `failed`.
    var result: String
    var requestId: String?
    var error: String?
    var at: String

    enum CodingKeys: String, CodingKey {
        case id, pass, kind, label, result, error, at
        case workosId = "workos_id", requestId = "request_id"
    }

    enum Columns {
        static let pass = Column(CodingKeys.pass)
        static let workosId = Column(CodingKeys.workosId)
        static let result = Column(CodingKeys.result)
    }
}

extension ImportJournal {
    /// The number of the undo pass about to start.
    public func nextUndoPass() async throws -> Int {
        try await db.read { db in
            (try Int.fetchOne(db, UndoLogEntry.select(max(UndoLogEntry.Columns.pass))) ?? 0) + 1
        }
    }

    public func undoCounts(pass: Int) async throws -> UndoCounts {
        try await db.read { db in
            let failed = "SELECT workos_id FROM undo_log WHERE pass = ? AND result = 'failed'"
            var c = UndoCounts()
            c.memberships = try Int.fetchOne(db, sql: """
                SELECT COUNT(*) FROM membership WHERE status = 'created' AND membership_id IS NOT NULL
                  AND membership_id NOT IN (\(failed))
                """, arguments: [pass]) ?? 0
            c.users = try Int.fetchOne(db, sql: """
                SELECT COUNT(*) FROM user WHERE status = 'created' AND workos_user_id IS NOT NULL
                  AND workos_user_id NOT IN (\(failed))
                """, arguments: [pass]) ?? 0
            c.organizations = try Int.fetchOne(db, sql: """
                SELECT COUNT(*) FROM organization WHERE status = 'created' AND organization_id IS NOT NULL
                  AND organization_id NOT IN (\(failed))
                """, arguments: [pass]) ?? 0
            c.unsettled = (try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM user WHERE status = 'pending'") ?? 0)
                + (try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM membership WHERE status = 'pending'") ?? 0)
                + (try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM organization WHERE status = 'pending'") ?? 0)
            c.undoneBefore = try UndoLogEntry.filter(UndoLogEntry.Columns.result != "failed")
                .filter(UndoLogEntry.Columns.pass < pass).fetchCount(db)
            return c
        }
    }

    /// The next `limit` items of `kind` still to delete in this pass (deleted ones leave the journal; failed ones
    /// are skipped until the next pass).
    public func undoCandidates(_ kind: UndoItem.Kind, pass: Int, limit: Int) async throws -> [UndoItem] {
        try await db.read { db in
            let failed = "SELECT workos_id FROM undo_log WHERE pass = ? AND result = 'failed'"
            switch kind {
            case .membership:
                return try Row.fetchAll(db, sql: """
                    SELECT m.source_key, m.tenant_id, m.membership_id, u.email, u.row FROM membership m
                    LEFT JOIN user u ON u.source_key = m.source_key
                    WHERE m.status = 'created' AND m.membership_id IS NOT NULL AND m.membership_id NOT IN (\(failed))
                    ORDER BY u.row LIMIT ?
                    """, arguments: [pass, limit]).map { r in
                    UndoItem(kind: .membership, workosId: r["membership_id"], sourceKey: r["source_key"],
                             tenantId: r["tenant_id"], row: r["row"], label: r["email"] ?? "")
                }
            case .user:
                return try Row.fetchAll(db, sql: """
                    SELECT source_key, workos_user_id, email, row FROM user
                    WHERE status = 'created' AND workos_user_id IS NOT NULL AND workos_user_id NOT IN (\(failed))
                    ORDER BY row LIMIT ?
                    """, arguments: [pass, limit]).map { r in
                    UndoItem(kind: .user, workosId: r["workos_user_id"], sourceKey: r["source_key"], tenantId: nil,
                             row: r["row"], label: r["email"])
                }
            case .organization:
                return try Row.fetchAll(db, sql: """
                    SELECT tenant_id, organization_id, name FROM organization
                    WHERE status = 'created' AND organization_id IS NOT NULL AND organization_id NOT IN (\(failed))
                    ORDER BY tenant_id LIMIT ?
                    """, arguments: [pass, limit]).map { r in
                    UndoItem(kind: .organization, workosId: r["organization_id"], sourceKey: nil,
                             tenantId: r["tenant_id"], row: nil, label: r["name"])
                }
            }
        }
    }

    /// Records a deletion (or a 404: `gone`) and removes the item from the journal in one transaction, so a
    /// later import makes it again and a rerun of undo does not try it twice.
    public func recordUndone(_ item: UndoItem, pass: Int, gone: Bool, requestId: String?) async throws {
        try await db.write { db in
            let entry = UndoLogEntry(id: nil, pass: pass, kind: item.kind.rawValue, workosId: item.workosId,
                                     label: item.label, result: gone ? "gone" : "deleted", requestId: requestId,
                                     error: nil, at: Self.timestamp())
            try entry.insert(db)
            switch item.kind {
            case .membership:
                try db.execute(sql: "DELETE FROM membership WHERE source_key = ? AND tenant_id = ?",
                               arguments: [item.sourceKey, item.tenantId])
                try db.execute(sql: "UPDATE user SET memberships_done = 0 WHERE source_key = ?",
                               arguments: [item.sourceKey])
            case .user:
                // WorkOS deletes the user's memberships with it.
                try db.execute(sql: "DELETE FROM membership WHERE source_key = ?", arguments: [item.sourceKey])
                try db.execute(sql: "DELETE FROM user WHERE source_key = ?", arguments: [item.sourceKey])
            case .organization:
                try db.execute(sql: "DELETE FROM membership WHERE organization_id = ?", arguments: [item.workosId])
                try db.execute(sql: "DELETE FROM organization WHERE tenant_id = ?", arguments: [item.tenantId])
            }
        }
    }

    /// Records a deletion WorkOS refused; the item stays in the journal, and the next undo pass tries it again.
    public func recordUndoFailure(_ item: UndoItem, pass: Int, requestId: String?, error: String) async throws {
        try await db.write { db in
            let entry = UndoLogEntry(id: nil, pass: pass, kind: item.kind.rawValue, workosId: item.workosId,
                                     label: item.label, result: "failed", requestId: requestId, error: error,
                                     at: Self.timestamp())
            try entry.insert(db)
        }
    }
}
