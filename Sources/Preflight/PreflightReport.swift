import Mapping
import DescopeExport
import PasswordHashes

/// The problems of one row counted into a report as they are found (inspect and convert's tallies).
struct ReportSink: MappingSink {
    var report = PreflightReport()
    var row = 0
    mutating func problem(_ code: String, _ severity: MigrationProblem.Severity, _ message: () -> String) {
        report.note(code: code, severity: severity, row: row, message: message)
    }
}

/// Everything `inspect` learns about an export, counted row by row in constant memory
/// (problem rows are kept up to `rowsPerProblem` per code).
public struct PreflightReport: Sendable, Equatable {
    public static let rowsPerProblem = 20

    public struct Outcomes: Sendable, Hashable {
        public var ready = 0
        public var readyWithoutPassword = 0
        public var rejected = 0
    }
    public struct FamilyCount: Sendable, Hashable {
        public var total = 0
        public var importable = 0
    }
    public struct ProblemCount: Sendable, Hashable {
        public var code: String
        public var severity: MigrationProblem.Severity
        public var count = 0
        /// The first rows, in input order.
        public var rows: [Int] = []
        /// The message of the first occurrence (never holds a hash or a password).
        public var message: String
    }
    public struct CanaryResult: Sendable, Hashable {
        /// Line in the canaries file.
        public var line: Int
        /// The email or user id the canary names.
        public var account: String
        /// Row of the account in the export, when found.
        public var row: Int?
        public var passed: Bool
        public var message: String
    }

    public var inputs: [String] = []
    /// What the reader said about the inputs (recognised and ignored columns).
    public var notes: [String] = []
    public var users = 0
    public var outcomes = Outcomes()
    public var byFamily: [String: FamilyCount] = [:]
    /// By family and the parameters WorkOS looks at (`argon2id m=65536 t=3 p=4`).
    public var byParameters: [String: FamilyCount] = [:]
    public var problems: [String: ProblemCount] = [:]
    public var lostLoginMethods: [String: Int] = [:]
    public var canaries: [CanaryResult] = []
    /// Rows that share their email with another row.
    public var duplicateEmailRows = 0

    public init() {}

    public var canariesPassed: Int { canaries.filter(\.passed).count }
    public var canariesFailed: Int { canaries.count - canariesPassed }

    /// Exit status per DESIGN §3: 1 when a row is rejected, a hash refused or a canary failed.
    public var somethingFailed: Bool {
        outcomes.rejected > 0 || canariesFailed > 0 || byFamily.values.contains { $0.total > $0.importable }
    }

    /// Counts one mapped row.
    public mutating func add(_ user: MappedUser) {
        users += 1
        switch user.status {
        case .ready: outcomes.ready += 1
        case .readyWithoutPassword: outcomes.readyWithoutPassword += 1
        case .rejected: outcomes.rejected += 1
        }
        if let hash = user.hash { countHash(family: hash.family, label: hash.label, importable: hash.importable) }
        for problem in user.problems { note(problem, row: user.row) }
        if !user.lostLoginMethods.isEmpty {
            for (method, name) in LoginMethods.all where user.lostLoginMethods.contains(method) {
                lostLoginMethods[name, default: 0] += 1
            }
        }
    }

    /// Counts a record the reader could not turn into a user: a rejected row.
    public mutating func add(_ problem: ExportProblem) {
        users += 1
        outcomes.rejected += 1
        note(MigrationProblem(problem.code, problem.message, severity: .error), row: problem.location.line)
    }

    public mutating func countHash(family: String, label: String, importable: Bool, count: Int = 1) {
        byFamily[family, default: FamilyCount()].total += count
        byParameters[label, default: FamilyCount()].total += count
        if importable {
            byFamily[family, default: FamilyCount()].importable += count
            byParameters[label, default: FamilyCount()].importable += count
        }
    }

    /// Counts one mapped view's outcome and login methods (its problems were noted as they were found).
    mutating func add(_ row: RowMapping) {
        users += 1
        switch row.status {
        case .ready: outcomes.ready += 1
        case .readyWithoutPassword: outcomes.readyWithoutPassword += 1
        case .rejected: outcomes.rejected += 1
        }
        if !row.lostLoginMethods.isEmpty {
            for (method, name) in LoginMethods.all where row.lostLoginMethods.contains(method) {
                lostLoginMethods[name, default: 0] += 1
            }
        }
    }

    /// Counts the rows of every hash shape (at the end of a run).
    mutating func countHashes(_ hashes: HashShapes) {
        for (assessment, rows) in hashes.counts where rows > 0 {
            countHash(family: assessment.family, label: assessment.label, importable: assessment.importable, count: rows)
        }
    }

    /// A problem found on `row`, worded (by `message`) only the first time its code is seen.
    mutating func note(code: String, severity: MigrationProblem.Severity, row: Int, message: () -> String) {
        // One lookup for a code seen before, updated in place (a lookup per step copied the count out and back).
        func count(_ p: inout ProblemCount) {
            p.count += 1
            if p.rows.count < Self.rowsPerProblem { p.rows.append(row) }
        }
        if let i = problems.index(forKey: code) { count(&problems.values[i]); return }
        var first = ProblemCount(code: code, severity: severity, message: message())
        count(&first)
        problems[code] = first
    }

    public mutating func note(_ problem: MigrationProblem, row: Int) {
        note(code: problem.code, severity: problem.severity, row: row) { problem.message }
    }

    /// Problems, most severe first, then most frequent.
    public var sortedProblems: [ProblemCount] {
        problems.values.sorted { ($0.severity, -$0.count, $0.code) < ($1.severity, -$1.count, $1.code) }
    }
}
