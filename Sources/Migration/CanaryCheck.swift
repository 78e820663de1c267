import DescopeExport
import PasswordHashes

/// Accounts whose passwords are known (`--canaries F`, CSV `email,password` or `user_id,password`):
/// each one's WorkOS string is read back and verified with the password on the C libraries — the proof,
/// before any import, that the rewrite is right. Passwords stay in memory only, and are never printed.
public final class CanaryCheck {
    struct Canary {
        var line: Int
        /// Lower-cased email, or the user id as written.
        var account: String
        var byEmail: Bool
        var password: [UInt8]
        var result: PreflightReport.CanaryResult?
    }

    private var canaries: [Canary]
    private var byEmail: [String: [Int]] = [:]
    private var byUserId: [String: [Int]] = [:]

    public enum LoadError: Error, CustomStringConvertible, Equatable {
        case unreadable(path: String, reason: String)
        case invalid(path: String, line: Int, reason: String)
        public var description: String {
            switch self {
            case let .unreadable(path, reason): return "canaries \(path): cannot read it: \(reason)"
            case let .invalid(path, line, reason): return "canaries \(path):\(line): \(reason)"
            }
        }
    }

    public var count: Int { canaries.count }

    /// Reads the canaries file. A header `email,password` or `user_id,password` names the first column;
    /// without one, a first cell holding `@` is an email and anything else a user id.
    public init(path: String) throws(LoadError) {
        let csv: CSVReader
        do { csv = try CSVReader(path: path) } catch { throw .unreadable(path: path, reason: "\(error)") }
        var list: [Canary] = []
        var headerKind: Bool? = nil   // true: emails, false: user ids
        var first = true
        while csv.nextRecord() {
            if let problem = csv.problem { throw .invalid(path: path, line: csv.line, reason: "not valid CSV (\(problem))") }
            guard let account = csv.string(at: 0)?.trimmingASCIIWhitespace else {
                throw .invalid(path: path, line: csv.line, reason: "the first column is not valid UTF-8")
            }
            if first {
                first = false
                let header = ExportColumn.normalise(account)
                if ["email", "emailaddress"].contains(header) { headerKind = true; continue }
                if ["userid", "id", "descopeuserid"].contains(header) { headerKind = false; continue }
            }
            guard csv.fieldCount == 2 else {
                throw .invalid(path: path, line: csv.line,
                               reason: "expected 2 fields (account,password), found \(csv.fieldCount); quote a password that holds a comma")
            }
            guard !account.isEmpty else { throw .invalid(path: path, line: csv.line, reason: "the account is empty") }
            let password: [UInt8] = csv.withField(1) { Array($0) }
            guard !password.isEmpty else { throw .invalid(path: path, line: csv.line, reason: "the password is empty") }
            let isEmail = headerKind ?? account.contains("@")
            list.append(Canary(line: csv.line, account: isEmail ? account.lowercased() : account, byEmail: isEmail,
                               password: password, result: nil))
        }
        guard !list.isEmpty else { throw .invalid(path: path, line: 1, reason: "no canary in the file") }
        canaries = list
        for (i, c) in list.enumerated() {
            if c.byEmail { byEmail[c.account, default: []].append(i) } else { byUserId[c.account, default: []].append(i) }
        }
    }

    deinit {
        // Wipe the known passwords before the memory is freed.
        for i in canaries.indices { for j in canaries[i].password.indices { canaries[i].password[j] = 0 } }
    }

    /// Fingerprints of the canary emails: the fast path sends those rows to the general path, which checks them.
    public var emailFingerprints: Set<UInt64> { Set(byEmail.keys.map(EmailAddress.fingerprint)) }
    /// Canaries named by user id need every row's id as a String: the fast path is off for them.
    public var hasUserIdCanaries: Bool { !byUserId.isEmpty }

    /// True when some canary names this user (cheap: two dictionary lookups).
    public func wants(email: String, userId: String?) -> Bool {
        (!byEmail.isEmpty && byEmail[email.lowercased()] != nil) || (userId.map { byUserId[$0] != nil } ?? false)
    }

    /// Checks every canary that names the mapped user.
    public func check(_ mapped: MappedUser) {
        var indices = byEmail[mapped.user.email.lowercased()] ?? []
        if let id = mapped.sourceUserId { indices += byUserId[id] ?? [] }
        // The first row with the account answers for it (a duplicate email is reported on its own).
        for i in indices where canaries[i].result == nil { canaries[i].result = Self.verify(canaries[i], mapped) }
    }

    /// One result per canary, in file order; a canary no row named is a failure.
    public func results() -> [PreflightReport.CanaryResult] {
        canaries.map { c in
            c.result ?? PreflightReport.CanaryResult(
                line: c.line, account: c.account, row: nil, passed: false,
                message: "no user with this \(c.byEmail ? "email" : "user id") in the export")
        }
    }

    static func verify(_ c: Canary, _ mapped: MappedUser) -> PreflightReport.CanaryResult {
        func result(_ passed: Bool, _ message: String) -> PreflightReport.CanaryResult {
            PreflightReport.CanaryResult(line: c.line, account: c.account, row: mapped.row, passed: passed, message: message)
        }
        guard let workOS = mapped.user.passwordHash else {
            return result(false, "row \(mapped.row) is \(mapped.status.name) (\(mapped.status.reason ?? "")): it has no WorkOS password hash to verify")
        }
        // Read the WorkOS string back exactly as WorkOS will get it, then verify the known password against it.
        let reparsed: PasswordHash
        switch HashDetector.detect(fields: SplitHashFields(hash: workOS.string, type: workOS.type), saltEncoding: .auto) {
        case .success(let h): reparsed = h
        case .failure(let p):
            return result(false, "row \(mapped.row): the WorkOS \(workOS.type) string does not read back: \(p.message)")
        }
        switch PasswordVerifier.verify(c.password, against: reparsed) {
        case .success(true):
            return result(true, "row \(mapped.row): the password verifies against the WorkOS \(workOS.type) string")
        case .success(false):
            return result(false, "row \(mapped.row): the password does NOT verify against the WorkOS \(workOS.type) string (wrong canary password, or a wrong rewrite)")
        case .failure(let p):
            return result(false, "row \(mapped.row): cannot verify the WorkOS \(workOS.type) string: \(p.message)")
        }
    }
}
