import DescopeExport

/// Something the person running the migration must know about one row.
/// `code` is stable snake_case for machines; `message` is a sentence without any hash or password.
public struct MigrationProblem: Sendable, Hashable {
    /// What the problem does to the row.
    public enum Severity: String, Sendable, Hashable, Comparable {
        /// The row is not imported (`rejected`).
        case error
        /// The row is imported, but something does not carry over (the password, a field, a role).
        case warning
        /// Worth knowing; nothing is lost by hashport (e.g. social logins re-link by email).
        case info

        private var rank: Int { self == .error ? 0 : self == .warning ? 1 : 2 }
        public static func < (a: Severity, b: Severity) -> Bool { a.rank < b.rank }
    }

    public var code: String
    public var message: String
    public var severity: Severity

    public init(_ code: String, _ message: String, severity: Severity) {
        self.code = code; self.message = message; self.severity = severity
    }
}

/// The outcome of one row, never implicit (DESIGN §2 Migration).
public enum RowStatus: Sendable, Hashable {
    /// Importable with its password hash.
    case ready
    /// Importable, but without a password: `reason` says why (no hash, passwordless user, a hash WorkOS refuses).
    case readyWithoutPassword(reason: String)
    /// Not importable: `reason` is the code of the first error problem (no email, duplicate email, skipped user, …).
    case rejected(reason: String)

    /// The JSONL / report spelling: `ready`, `ready_without_password`, `rejected`.
    public var name: String {
        switch self {
        case .ready: return "ready"
        case .readyWithoutPassword: return "ready_without_password"
        case .rejected: return "rejected"
        }
    }

    public var reason: String? {
        switch self {
        case .ready: return nil
        case .readyWithoutPassword(let r), .rejected(let r): return r
        }
    }

    /// True when the importer should create the user.
    public var isImportable: Bool {
        if case .rejected = self { return false }
        return true
    }
}
