import Mapping
import DescopeExport
import PasswordHashes

#if canImport(Glibc)
import Glibc
#endif

/// Accounts whose passwords are known (`--canaries F`, CSV `email,password` or `user_id,password`):
/// each one's WorkOS string is read back and verified with the password on the C libraries — the proof,
/// before any import, that the rewrite is right. Passwords stay in memory only, and are never printed.
public final class CanaryCheck {
    struct Canary {
        var line: Int
        /// Lower-cased email, or the user id as written.
        var account: String
        var byEmail: Bool
        var entry: CanaryList.Entry
        var result: PreflightReport.CanaryResult?
    }

    /// The file as read (it owns the passwords and wipes them).
    private let list: CanaryList
    private var canaries: [Canary]
    private var byEmail: [String: [Int]] = [:]
    private var byUserId: [String: [Int]] = [:]

    public var count: Int { canaries.count }

    /// Reads the canaries file (see `CanaryList` for its shape).
    public convenience init(path: String) throws(CanaryListError) {
        self.init(try CanaryList(path: path))
    }

    public init(_ list: CanaryList) {
        self.list = list
        canaries = list.entries.map {
            Canary(line: $0.line, account: $0.isEmail ? $0.account.lowercased() : $0.account, byEmail: $0.isEmail,
                   entry: $0, result: nil)
        }
        for (i, c) in canaries.enumerated() {
            if c.byEmail { byEmail[c.account, default: []].append(i) } else { byUserId[c.account, default: []].append(i) }
        }
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
        for i in indices where canaries[i].result == nil {
            canaries[i].result = Self.verify(canaries[i], password: list.password(canaries[i].entry), mapped)
        }
    }

    /// One result per canary, in file order; a canary no row named is a failure.
    public func results() -> [PreflightReport.CanaryResult] {
        canaries.map { c in
            c.result ?? PreflightReport.CanaryResult(
                line: c.line, account: c.account, row: nil, passed: false,
                message: "no user with this \(c.byEmail ? "email" : "user id") in the export")
        }
    }

    static func verify(_ c: Canary, password: UnsafeRawBufferPointer, _ mapped: MappedUser) -> PreflightReport.CanaryResult {
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
        var bytes = Array(password)
        defer { bytes.withUnsafeMutableBytes { if let base = $0.baseAddress { explicit_bzero(base, $0.count) } } }
        switch PasswordVerifier.verify(bytes, against: reparsed) {
        case .success(true):
            return result(true, "row \(mapped.row): the password verifies against the WorkOS \(workOS.type) string")
        case .success(false):
            return result(false, "row \(mapped.row): the password does NOT verify against the WorkOS \(workOS.type) string (wrong canary password, or a wrong rewrite)")
        case .failure(let p):
            return result(false, "row \(mapped.row): cannot verify the WorkOS \(workOS.type) string: \(p.message)")
        }
    }
}
