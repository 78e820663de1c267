import Foundation
import GRDB

/// The emulator's state in SQLite: a file when asked for, else an in-memory database.
/// Every write runs in one transaction together with its idempotency record.
final class EmulatorStore: Sendable {
    let queue: DatabaseQueue

    init(path: String?) throws {
        var configuration = Configuration()
        configuration.label = "hashport.emulator"
        if let path {
            // The state holds password hashes: owner-only from the first byte (SQLite gives -wal/-shm the same mode).
            if !FileManager.default.fileExists(atPath: path) {
                guard FileManager.default.createFile(atPath: path, contents: nil,
                                                     attributes: [.posixPermissions: 0o600]) else {
                    throw EmulatorStoreError.cannotCreate(path)
                }
            }
            configuration.prepareDatabase { db in
                try db.execute(sql: "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL")
            }
            queue = try DatabaseQueue(path: path, configuration: configuration)
        } else {
            queue = try DatabaseQueue(configuration: configuration)
        }
        try queue.write { db in try Self.createSchema(db) }
    }

    private static func createSchema(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE IF NOT EXISTS users (
                seq INTEGER PRIMARY KEY AUTOINCREMENT,
                id TEXT NOT NULL UNIQUE,
                email TEXT NOT NULL,
                email_key TEXT NOT NULL UNIQUE,
                first_name TEXT, last_name TEXT,
                email_verified INTEGER NOT NULL DEFAULT 0,
                external_id TEXT UNIQUE,
                metadata TEXT NOT NULL DEFAULT '{}',
                password_hash TEXT, password_hash_type TEXT, password_salt_position TEXT,
                last_sign_in_at TEXT,
                created_at TEXT NOT NULL, updated_at TEXT NOT NULL);
            CREATE TABLE IF NOT EXISTS organizations (
                seq INTEGER PRIMARY KEY AUTOINCREMENT,
                id TEXT NOT NULL UNIQUE,
                name TEXT NOT NULL,
                external_id TEXT UNIQUE,
                domains TEXT NOT NULL DEFAULT '[]',
                metadata TEXT NOT NULL DEFAULT '{}',
                created_at TEXT NOT NULL, updated_at TEXT NOT NULL);
            CREATE TABLE IF NOT EXISTS memberships (
                seq INTEGER PRIMARY KEY AUTOINCREMENT,
                id TEXT NOT NULL UNIQUE,
                user_id TEXT NOT NULL,
                organization_id TEXT NOT NULL,
                role_slugs TEXT NOT NULL,
                multiple_roles INTEGER NOT NULL DEFAULT 0,
                status TEXT NOT NULL,
                created_at TEXT NOT NULL, updated_at TEXT NOT NULL,
                UNIQUE (user_id, organization_id));
            CREATE INDEX IF NOT EXISTS memberships_by_org ON memberships(organization_id);
            CREATE TABLE IF NOT EXISTS idempotency (
                key TEXT PRIMARY KEY,
                request BLOB NOT NULL,
                status INTEGER NOT NULL,
                body BLOB NOT NULL,
                created_at REAL NOT NULL);
            """)
    }

    /// Runs `apply` in a transaction. With an `Idempotency-Key`, a request already answered within `ttl`
    /// gets the stored answer and changes nothing; the same key with another request is refused.
    func write(idempotencyKey: String?, request: [UInt8], ttl: Duration,
               _ apply: @escaping @Sendable (Database) throws -> APIReply) async throws -> (APIReply, replayed: Bool) {
        try await queue.write { db in
            let now = Date().timeIntervalSince1970
            if let key = idempotencyKey {
                let oldest = now - Double(ttl.components.seconds)
                try db.execute(sql: "DELETE FROM idempotency WHERE key = ? AND created_at < ?", arguments: [key, oldest])
                if let row = try Row.fetchOne(db, sql: "SELECT request, status, body FROM idempotency WHERE key = ?",
                                              arguments: [key]) {
                    let stored: Data = row["request"]
                    guard Array(stored) == request else {
                        return (APIReply.error(422, code: "idempotency_key_reused",
                                               message: "This Idempotency-Key was used with a different request."),
                                false)
                    }
                    let body: Data = row["body"]
                    return (APIReply(status: row["status"], body: Array(body)), true)
                }
            }
            var reply = APIReply(status: 500, body: [])
            do {
                try db.inSavepoint {
                    reply = try apply(db)
                    return .commit
                }
            } catch let refusal as Refusal {
                reply = refusal.reply
            }
            // Server errors and rate limits are not answers to remember: a retry must really retry.
            if let key = idempotencyKey, reply.status < 500, reply.status != 429 {
                try db.execute(sql: "INSERT INTO idempotency (key, request, status, body, created_at) VALUES (?, ?, ?, ?, ?)",
                               arguments: [key, Data(request), reply.status, Data(reply.body), now])
            }
            return (reply, false)
        }
    }

    /// Runs a read-only `body` on a consistent view.
    func read<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        try await queue.read(body)
    }
}

enum EmulatorStoreError: Error, CustomStringConvertible {
    case cannotCreate(String)
    var description: String {
        switch self {
        case .cannotCreate(let path): return "cannot create the emulator state file \(path)"
        }
    }
}

extension Row {
    /// A JSON text column decoded, or `fallback` when it is unreadable.
    func json<T: Decodable>(_ column: String, as type: T.Type, fallback: T) -> T {
        guard let text: String = self[column], let value = try? JSONDecoder().decode(T.self, from: Data(text.utf8))
        else { return fallback }
        return value
    }
}

/// JSON text for a column.
func jsonText(_ value: some Encodable) -> String {
    (try? JSONEncoder().encode(value)).flatMap { String(data: $0, encoding: .utf8) } ?? "null"
}
