internal import CSQLite
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The Search Users side of a join, on disk: each record's exact JSON bytes keyed by userId, lower-cased
/// email and lower-cased login ids, in a temporary SQLite file deleted when the index goes away. Memory is
/// SQLite's page cache (`cacheBytes`) plus one bit per record (which ones a CSV row matched: 125 KB for a
/// million users), so the table is only ever read, never rewritten, while joining.
final class SearchUsersIndex {
    enum JoinKey { case userId, email, loginId }
    struct Record { var input: Int; var element: Int; var raw: [UInt8] }

    private var db: OpaquePointer?
    private var insertUser: OpaquePointer?
    private var insertLogin: OpaquePointer?
    private var byUserId: OpaquePointer?
    private var byEmail: OpaquePointer?
    private var byLogin: OpaquePointer?
    private var bySeq: OpaquePointer?
    private var unmatched: OpaquePointer?
    /// Bit `seq` set: a CSV row matched record `seq`.
    private var matched: [UInt64] = []
    private let filePath: String?

    /// SQLITE_TRANSIENT: SQLite copies bound values.
    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

    init(directory: String?, cacheBytes: Int) throws(ExportError) {
        // "" is SQLite's private temporary on-disk database, removed on close.
        var path = ""
        if let directory {
            path = "\(directory)/hashport-join-\(getpid())-\(UInt64.random(in: 0...UInt64.max)).sqlite"
            filePath = path
        } else {
            filePath = nil
        }
        guard sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nil) == SQLITE_OK else {
            let reason = db.map { String(cString: sqlite3_errmsg($0)) } ?? "cannot open"
            sqlite3_close(db)
            db = nil
            throw .joinIndex(reason)
        }
        try exec("""
            PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; PRAGMA locking_mode=EXCLUSIVE;
            PRAGMA temp_store=FILE; PRAGMA cache_size=-\(max(1024, cacheBytes / 1024));
            CREATE TABLE user(seq INTEGER PRIMARY KEY, input INTEGER NOT NULL, element INTEGER NOT NULL,
                              user_id TEXT, email TEXT, raw BLOB NOT NULL);
            CREATE TABLE login(login TEXT NOT NULL, seq INTEGER NOT NULL);
            BEGIN;
            """)
        insertUser = try prepare("INSERT INTO user(input, element, user_id, email, raw) VALUES(?,?,?,?,?)")
        insertLogin = try prepare("INSERT INTO login(login, seq) VALUES(?,?)")
    }

    deinit {
        for statement in [insertUser, insertLogin, byUserId, byEmail, byLogin, bySeq, unmatched] {
            sqlite3_finalize(statement)
        }
        sqlite3_close(db)
        if let filePath { unlink(filePath) }
    }

    func insert(input: Int, element: Int, user: DescopeUser, raw: [UInt8]) throws(ExportError) {
        sqlite3_reset(insertUser)
        sqlite3_bind_int64(insertUser, 1, Int64(input))
        sqlite3_bind_int64(insertUser, 2, Int64(element))
        bind(insertUser, 3, user.userId)
        bind(insertUser, 4, user.email.map(Self.foldCase))
        _ = raw.withUnsafeBytes { sqlite3_bind_blob(insertUser, 5, $0.baseAddress, Int32($0.count), Self.transient) }
        guard sqlite3_step(insertUser) == SQLITE_DONE else { throw failure("insert") }
        let seq = sqlite3_last_insert_rowid(db)
        for login in Set(user.loginIds.map(Self.foldCase)) {
            sqlite3_reset(insertLogin)
            bind(insertLogin, 1, login)
            sqlite3_bind_int64(insertLogin, 2, seq)
            guard sqlite3_step(insertLogin) == SQLITE_DONE else { throw failure("insert") }
        }
    }

    /// Indexes the keys once every record is in (faster than maintaining indexes while inserting).
    func finishBuilding() throws(ExportError) {
        try exec("""
            COMMIT;
            CREATE INDEX user_by_id ON user(user_id);
            CREATE INDEX user_by_email ON user(email);
            CREATE INDEX login_by_login ON login(login, seq);
            """)
        // Index-only probes; the record itself is read by rowid once one is chosen.
        byUserId = try prepare("SELECT seq FROM user WHERE user_id = ? ORDER BY seq")
        byEmail = try prepare("SELECT seq FROM user WHERE email = ? ORDER BY seq")
        byLogin = try prepare("SELECT seq FROM login WHERE login = ? ORDER BY seq")
        bySeq = try prepare("SELECT input, element, raw FROM user WHERE seq = ?")
    }

    /// The Search Users record of a CSV user (by userId, else email, else a login id), marked as matched.
    func match(_ user: DescopeUser) throws(ExportError) -> (Record, JoinKey)? {
        if let id = user.userId, let r = try lookup(byUserId, id) { return (r, .userId) }
        if let email = user.email, let r = try lookup(byEmail, Self.foldCase(email)) { return (r, .email) }
        for login in user.loginIds {
            if let r = try lookup(byLogin, Self.foldCase(login)) { return (r, .loginId) }
        }
        return nil
    }

    /// Records no CSV user matched, in input order.
    func nextUnmatched() throws(ExportError) -> Record? {
        if unmatched == nil {
            unmatched = try prepare("SELECT seq, input, element, raw FROM user ORDER BY seq")
        }
        while true {
            switch sqlite3_step(unmatched) {
            case SQLITE_ROW:
                if isMatched(sqlite3_column_int64(unmatched, 0)) { continue }
                return Record(input: Int(sqlite3_column_int64(unmatched, 1)), element: Int(sqlite3_column_int64(unmatched, 2)),
                              raw: blob(unmatched, 3))
            case SQLITE_DONE: return nil
            default: throw failure("read")
            }
        }
    }

    /// The first record under `key` that no CSV row matched yet (else the first), marked as matched.
    private func lookup(_ statement: OpaquePointer?, _ key: String) throws(ExportError) -> Record? {
        sqlite3_reset(statement)
        bind(statement, 1, key)
        var chosen: Int64?
        loop: while true {
            switch sqlite3_step(statement) {
            case SQLITE_ROW:
                let seq = sqlite3_column_int64(statement, 0)
                if chosen == nil { chosen = seq }
                if !isMatched(seq) { chosen = seq; break loop }
            case SQLITE_DONE: break loop
            default: throw failure("lookup")
            }
        }
        sqlite3_reset(statement)
        guard let seq = chosen else { return nil }
        setMatched(seq)
        sqlite3_reset(bySeq)
        sqlite3_bind_int64(bySeq, 1, seq)
        guard sqlite3_step(bySeq) == SQLITE_ROW else { throw failure("read") }
        let record = Record(input: Int(sqlite3_column_int64(bySeq, 0)), element: Int(sqlite3_column_int64(bySeq, 1)),
                            raw: blob(bySeq, 2))
        sqlite3_reset(bySeq)
        return record
    }

    private func isMatched(_ seq: Int64) -> Bool {
        let word = Int(seq >> 6)
        return word < matched.count && matched[word] & (1 << UInt64(seq & 63)) != 0
    }

    private func setMatched(_ seq: Int64) {
        let word = Int(seq >> 6)
        if word >= matched.count { matched.append(contentsOf: repeatElement(0, count: word + 1 - matched.count)) }
        matched[word] |= 1 << UInt64(seq & 63)
    }

    static func foldCase(_ s: String) -> String { s.trimmingSpaces.lowercased() }

    private func blob(_ statement: OpaquePointer?, _ column: Int32) -> [UInt8] {
        let count = Int(sqlite3_column_bytes(statement, column))
        guard count > 0, let p = sqlite3_column_blob(statement, column) else { return [] }
        return Array(UnsafeRawBufferPointer(start: p, count: count))
    }

    private func bind(_ statement: OpaquePointer?, _ index: Int32, _ text: String?) {
        if let text { sqlite3_bind_text(statement, index, text, -1, Self.transient) } else { sqlite3_bind_null(statement, index) }
    }

    private func exec(_ sql: String) throws(ExportError) {
        var message: UnsafeMutablePointer<CChar>?
        guard sqlite3_exec(db, sql, nil, nil, &message) == SQLITE_OK else {
            let reason = message.map { String(cString: $0) } ?? "error"
            sqlite3_free(message)
            throw .joinIndex(reason)
        }
    }

    private func prepare(_ sql: String) throws(ExportError) -> OpaquePointer? {
        var statement: OpaquePointer?
        guard sqlite3_prepare_v2(db, sql, -1, &statement, nil) == SQLITE_OK else { throw failure("prepare") }
        return statement
    }

    private func failure(_ what: String) -> ExportError {
        .joinIndex("\(what): \(db.map { String(cString: sqlite3_errmsg($0)) } ?? "no database")")
    }
}
