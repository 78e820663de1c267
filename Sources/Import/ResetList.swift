import Mapping
import Preflight
import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// One user who cannot sign in to WorkOS with the old password, for the team that sends password resets.
public struct ResetEntry: Sendable, Hashable {
    public enum Reason: String, Sendable, Hashable {
        /// The export holds no hash for the user (or Descope says there is one and the export lacks it).
        case noHash = "no_hash"
        /// The hash is one WorkOS refuses; `code` says why (e.g. `unsupported_hash_family`).
        case refusedHash = "refused_hash"
        /// The user signs in without a password in Descope (social, SSO, passkey, SMS).
        case passwordless
        /// The user already existed in WorkOS and the import did not set the hash (`--update-existing` does).
        case hashNotSet = "hash_not_set"
    }

    public var row: Int
    public var email: String
    /// Nil before the import (`inspect --resets`).
    public var workosUserId: String?
    public var reason: Reason
    /// The mapping's code: `no_password_hash`, `passwordless_user`, the refusal code, …
    public var code: String

    public init(row: Int, email: String, workosUserId: String?, reason: Reason, code: String) {
        self.row = row; self.email = email; self.workosUserId = workosUserId; self.reason = reason; self.code = code
    }

    /// The entry for a user the mapping could take only without a password; nil for any other user.
    public static func withoutPassword(_ user: MappedUser, workosUserId: String? = nil) -> ResetEntry? {
        guard case .readyWithoutPassword(let code) = user.status else { return nil }
        let reason: Reason
        switch code {
        case "no_password_hash", "password_hash_missing": reason = .noHash
        case "passwordless_user": reason = .passwordless
        default: reason = .refusedHash
        }
        return ResetEntry(row: user.row, email: user.user.email, workosUserId: workosUserId, reason: reason, code: code)
    }
}

/// The `--resets F.csv` file: `email,workos_user_id,reason,code,row`, written as users are settled
/// (created 0600: it lists people).
public final class ResetListWriter: Sendable {
    public static let header = "email,workos_user_id,reason,code,row\n"
    private let file: CSVLineFile
    public var path: String { file.path }

    public init(path: String) throws {
        do { file = try CSVLineFile(path: path, header: Self.header) } catch {
            throw ResetListError(path: path, reason: error.reason)
        }
    }

    public func record(_ entry: ResetEntry) {
        file.record([entry.email, entry.workosUserId ?? "", entry.reason.rawValue, entry.code, String(entry.row)])
    }

    /// Entries written so far.
    public var count: Int { file.count }

    public func close() { file.close() }

    /// The list before any import (`inspect --resets`): every user of the input the mapping can take only
    /// without a password, in input order, read as `import` reads it. Returns how many were written.
    public static func write(_ input: ImportInput, to path: String) throws -> Int {
        let writer = try ResetListWriter(path: path)
        defer { writer.close() }
        let users = try input.openUsers()
        while let item = users.next() {
            if case .user(let user) = item, let entry = ResetEntry.withoutPassword(user) { writer.record(entry) }
        }
        return writer.count
    }
}

public struct ResetListError: Error, Sendable, CustomStringConvertible {
    public var path: String
    public var reason: String
    public var description: String { "cannot write the reset list \(path): \(reason)" }
}
