import Mapping
import Preflight
import Foundation
import GRDB

#if canImport(Glibc)
import Glibc
#endif

/// The import's memory on disk (`--state F.sqlite`): the input fingerprint, one row per user with its
/// outcome and WorkOS id, the organizations and the memberships. Every step is committed as it
/// happens, and an intent (with its Idempotency-Key) is committed BEFORE its request is sent, so a run
/// killed at any moment is resumed by the same command with no duplicate and no loss.
public final class ImportJournal: Sendable {
    let db: DatabaseQueue
    public let path: String
    /// Held open with an exclusive `flock` so two imports never share one state file.
    private let lockDescriptor: Int32

    /// Opens (creating 0600 when missing) and migrates the journal at `path`.
    public init(path: String) throws {
        self.path = path
        let fd = Glibc.open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            throw ImportJournalError.cannotOpen(path: path, reason: String(cString: strerror(errno)))
        }
        if flock(fd, LOCK_EX | LOCK_NB) != 0 {
            Glibc.close(fd)
            throw ImportJournalError.inUse(path: path)
        }
        // An existing file keeps its mode; make sure the state (emails, WorkOS ids) is owner-only.
        _ = fchmod(fd, 0o600)
        lockDescriptor = fd
        var config = Configuration()
        config.journalMode = .wal
        config.busyMode = .timeout(5)
        config.label = "hashport.import-journal"
        let crashPoint = JournalCrashPoint()
        config.prepareDatabase { db in
            // NORMAL in WAL mode: a committed transaction survives the process being killed;
            // only a power loss can drop the last few, and those are resolved by lookup on resume.
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
            if let crashPoint { db.add(transactionObserver: crashPoint, extent: .databaseLifetime) }
        }
        do {
            db = try DatabaseQueue(path: path, configuration: config)
            try Self.migrator.migrate(db)
        } catch let error as DatabaseError {
            Glibc.close(fd)
            if JournalFailure.isWriteFailure(error) {
                throw ImportJournalError.cannotOpen(path: path, reason: JournalFailure.cause(error))
            }
            throw ImportJournalError.notAJournal(path: path, reason: error.message ?? "\(error.resultCode)")
        }
    }

    deinit { Glibc.close(lockDescriptor) }

    static var migrator: DatabaseMigrator {
        var m = DatabaseMigrator()
        m.registerMigration("v1") { db in
            try db.execute(sql: """
                CREATE TABLE run (
                  id INTEGER PRIMARY KEY CHECK (id = 1),
                  fingerprint TEXT NOT NULL,
                  inputs TEXT NOT NULL,
                  started_at TEXT NOT NULL,
                  updated_at TEXT NOT NULL,
                  runs INTEGER NOT NULL DEFAULT 1
                );
                CREATE TABLE user (
                  source_key TEXT PRIMARY KEY,
                  row INTEGER NOT NULL,
                  email TEXT NOT NULL,
                  content_digest TEXT NOT NULL,
                  outcome TEXT NOT NULL,
                  status TEXT NOT NULL,
                  stage TEXT,
                  workos_user_id TEXT,
                  idempotency_key TEXT,
                  request_ids TEXT NOT NULL DEFAULT '',
                  attempts INTEGER NOT NULL DEFAULT 0,
                  last_error TEXT,
                  memberships_done INTEGER NOT NULL DEFAULT 0,
                  updated_at TEXT NOT NULL
                );
                CREATE INDEX user_status ON user(status);
                CREATE INDEX user_email ON user(email COLLATE NOCASE);
                CREATE TABLE organization (
                  tenant_id TEXT PRIMARY KEY,
                  organization_id TEXT,
                  name TEXT NOT NULL,
                  status TEXT NOT NULL,
                  idempotency_key TEXT NOT NULL,
                  request_id TEXT,
                  last_error TEXT,
                  updated_at TEXT NOT NULL
                );
                CREATE TABLE membership (
                  source_key TEXT NOT NULL,
                  tenant_id TEXT NOT NULL,
                  organization_id TEXT NOT NULL,
                  membership_id TEXT,
                  role_slugs TEXT NOT NULL,
                  status TEXT NOT NULL,
                  idempotency_key TEXT NOT NULL,
                  request_id TEXT,
                  last_error TEXT,
                  updated_at TEXT NOT NULL,
                  PRIMARY KEY (source_key, tenant_id)
                );
                """)
        }
        m.registerMigration("v2-undo") { db in
            try db.create(table: UndoLogEntry.databaseTableName) { t in
                t.autoIncrementedPrimaryKey("id")
                t.column(UndoLogEntry.CodingKeys.pass.rawValue, .integer).notNull()
                t.column(UndoLogEntry.CodingKeys.kind.rawValue, .text).notNull()
                t.column(UndoLogEntry.CodingKeys.workosId.rawValue, .text).notNull()
                t.column(UndoLogEntry.CodingKeys.label.rawValue, .text).notNull()
                t.column(UndoLogEntry.CodingKeys.result.rawValue, .text).notNull()
                t.column(UndoLogEntry.CodingKeys.requestId.rawValue, .text)
                t.column(UndoLogEntry.CodingKeys.error.rawValue, .text)
                t.column(UndoLogEntry.CodingKeys.at.rawValue, .text).notNull()
            }
            try db.create(index: "undo_log_by_pass", on: UndoLogEntry.databaseTableName,
                          columns: [UndoLogEntry.CodingKeys.pass.rawValue, UndoLogEntry.CodingKeys.workosId.rawValue])
        }
        return m
    }

    // MARK: - The run and its input

    /// How this run relates to what the journal already holds.
    public enum RunStart: Sendable, Hashable {
        /// A new journal: everything is to be done.
        case fresh
        /// Same input as before: finish what is not done.
        case resume
        /// The input changed and `--delta` was given: send only new or changed users.
        case delta(previousFingerprint: String)
    }

    /// Records the input fingerprint on the first run; on a later one, refuses a changed input unless `delta`.
    /// With `record: false` (a dry run) it only says what the run would be.
    public func begin(fingerprint: InputFingerprint, delta: Bool, record: Bool = true) throws -> RunStart {
        guard record else {
            return try db.read { db in
                guard let previous = try String.fetchOne(db, sql: "SELECT fingerprint FROM run WHERE id = 1") else {
                    return .fresh
                }
                if previous == fingerprint.digest { return .resume }
                guard delta else {
                    let inputs = try String.fetchOne(db, sql: "SELECT inputs FROM run WHERE id = 1") ?? ""
                    throw ImportJournalError.inputChanged(path: path, recorded: inputs, now: fingerprint.description)
                }
                return .delta(previousFingerprint: previous)
            }
        }
        return try db.write { db in
            let now = Self.timestamp()
            guard let row = try Row.fetchOne(db, sql: "SELECT fingerprint FROM run WHERE id = 1") else {
                try db.execute(sql: """
                    INSERT INTO run (id, fingerprint, inputs, started_at, updated_at) VALUES (1, ?, ?, ?, ?)
                    """, arguments: [fingerprint.digest, fingerprint.description, now, now])
                return .fresh
            }
            let previous: String = row["fingerprint"]
            if previous == fingerprint.digest {
                try db.execute(sql: "UPDATE run SET runs = runs + 1, updated_at = ? WHERE id = 1", arguments: [now])
                return .resume
            }
            guard delta else {
                let inputs = try String.fetchOne(db, sql: "SELECT inputs FROM run WHERE id = 1") ?? ""
                throw ImportJournalError.inputChanged(path: path, recorded: inputs, now: fingerprint.description)
            }
            try db.execute(sql: """
                UPDATE run SET fingerprint = ?, inputs = ?, runs = runs + 1, updated_at = ? WHERE id = 1
                """, arguments: [fingerprint.digest, fingerprint.description, now])
            return .delta(previousFingerprint: previous)
        }
    }

    static func timestamp() -> String {
        Date().formatted(.iso8601)
    }
}

/// Why the journal cannot be used; each message says what to do.
public enum ImportJournalError: Error, Sendable, CustomStringConvertible {
    case cannotOpen(path: String, reason: String)
    case inUse(path: String)
    case notAJournal(path: String, reason: String)
    case inputChanged(path: String, recorded: String, now: String)

    public var description: String {
        switch self {
        case let .cannotOpen(path, reason):
            return "cannot open the state file \(path): \(reason)"
        case let .inUse(path):
            return "the state file \(path) is in use by another hashport import; wait for it or use another --state"
        case let .notAJournal(path, reason):
            return "\(path) is not a hashport import state file (\(reason)); give a new path to --state"
        case let .inputChanged(path, recorded, now):
            return """
                the input changed since the state file \(path) was started (recorded: \(recorded); now: \(now)). \
                Rerun with --delta to send only new or changed users, or start a new --state file.
                """
        }
    }
}
