import Foundation
import GRDB
import WorkOS

/// A user as the emulator holds it: the public object and the imported password hash.
public struct StoredUser: Sendable, Hashable {
    public var user: User
    public var passwordHash: String?
    public var passwordHashType: String?
    public var passwordSaltPosition: String?
}

extension StoredUser {
    init(row: Row) {
        user = User(id: row["id"], email: row["email"], firstName: row["first_name"], lastName: row["last_name"],
                    emailVerified: row["email_verified"], externalId: row["external_id"],
                    metadata: row.json("metadata", as: [String: String].self, fallback: [:]),
                    lastSignInAt: row["last_sign_in_at"], createdAt: row["created_at"], updatedAt: row["updated_at"])
        passwordHash = row["password_hash"]
        passwordHashType = row["password_hash_type"]
        passwordSaltPosition = row["password_salt_position"]
    }
}

/// The key that makes emails unique regardless of case.
func emailKey(_ email: String) -> String { email.lowercased() }

enum UserTable {
    static func find(_ db: Database, id: String) throws -> StoredUser? {
        try Row.fetchOne(db, sql: "SELECT * FROM users WHERE id = ?", arguments: [id]).map(StoredUser.init(row:))
    }

    static func find(_ db: Database, email: String) throws -> StoredUser? {
        try Row.fetchOne(db, sql: "SELECT * FROM users WHERE email_key = ?", arguments: [emailKey(email)])
            .map(StoredUser.init(row:))
    }

    static func find(_ db: Database, externalId: String) throws -> StoredUser? {
        try Row.fetchOne(db, sql: "SELECT * FROM users WHERE external_id = ?", arguments: [externalId])
            .map(StoredUser.init(row:))
    }

    static func insert(_ db: Database, _ stored: StoredUser) throws {
        let u = stored.user
        try db.execute(sql: """
            INSERT INTO users (id, email, email_key, first_name, last_name, email_verified, external_id, metadata,
                               password_hash, password_hash_type, password_salt_position, created_at, updated_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: [u.id, u.email, emailKey(u.email), u.firstName, u.lastName, u.emailVerified, u.externalId,
                             jsonText(u.metadata), stored.passwordHash, stored.passwordHashType,
                             stored.passwordSaltPosition, u.createdAt, u.updatedAt])
    }

    static func update(_ db: Database, _ stored: StoredUser) throws {
        let u = stored.user
        try db.execute(sql: """
            UPDATE users SET email = ?, email_key = ?, first_name = ?, last_name = ?, email_verified = ?,
                external_id = ?, metadata = ?, password_hash = ?, password_hash_type = ?,
                password_salt_position = ?, last_sign_in_at = ?, updated_at = ?
            WHERE id = ?
            """, arguments: [u.email, emailKey(u.email), u.firstName, u.lastName, u.emailVerified, u.externalId,
                             jsonText(u.metadata), stored.passwordHash, stored.passwordHashType,
                             stored.passwordSaltPosition, u.lastSignInAt, u.updatedAt, u.id])
    }

    static func list(_ db: Database, email: String?, organizationId: String?, page: PageRequest) throws
        -> ListResponse<User> {
        var filters: [String] = []
        var arguments = StatementArguments()
        if let email {
            filters.append("email_key = ?")
            _ = arguments.append(contentsOf: [emailKey(email)])
        }
        if let organizationId {
            filters.append("id IN (SELECT user_id FROM memberships WHERE organization_id = ?)")
            _ = arguments.append(contentsOf: [organizationId])
        }
        let (rows, metadata) = try page.fetch(db, table: "users", filter: filters.joined(separator: " AND "),
                                              arguments: arguments)
        return ListResponse(data: rows.map { StoredUser(row: $0).user }, listMetadata: metadata)
    }

    /// Deletes the user and, as WorkOS does, its memberships. False when there was no such user.
    static func delete(_ db: Database, id: String) throws -> Bool {
        try db.execute(sql: "DELETE FROM memberships WHERE user_id = ?", arguments: [id])
        try db.execute(sql: "DELETE FROM users WHERE id = ?", arguments: [id])
        return db.changesCount > 0
    }

    static func all(_ db: Database) throws -> [StoredUser] {
        try Row.fetchAll(db, sql: "SELECT * FROM users ORDER BY seq").map(StoredUser.init(row:))
    }
}
