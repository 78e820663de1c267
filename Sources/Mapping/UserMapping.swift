import DescopeExport
import PasswordHashes

/// Maps one Descope user to a WorkOS create-user body, memberships and an explicit outcome (DESIGN §2 Migration).
/// Pure and cheap to copy: the importer and `convert` call it once per row, from any task.
public struct UserMapper: Sendable {
    public var options: MappingOptions
    /// Emails that occur on more than one row of the export (found by a first pass, see `EmailDuplicates`).
    public var duplicates: DuplicateEmailIndex

    public init(options: MappingOptions = MappingOptions(), duplicates: DuplicateEmailIndex = .empty) {
        self.options = options; self.duplicates = duplicates
    }

    /// Maps an owned user (the importer, tests): through the same rules as a view, with a shape cache of its own
    /// (the importer maps a few users a second; a run's readers keep one cache for millions).
    public func map(_ user: DescopeUser) -> MappedUser {
        let arena = ViewArena(chunkSize: 4096)
        return map(UserView(user, arena: arena), hashes: HashShapes(saltEncoding: options.saltEncoding))
    }

    /// A view mapped into an owned `MappedUser` (Strings): the importer's and the tests' form of a row.
    public func map(_ view: UserView, hashes: HashShapes) -> MappedUser {
        var problems = ProblemList()
        let row = map(view, hashes: hashes, into: &problems)
        return MappedUser(view, row, problems: problems.sorted, hashes: hashes)
    }

    static let noPasswordHash = MigrationProblem("no_password_hash",
                                                 "the export holds no password hash for the user; imported without a password",
                                                 severity: .info)

    static func loginMethodProblems(_ lost: LoginMethods) -> [MigrationProblem] {
        var problems: [MigrationProblem] = []
        if lost.contains(.sms) {
            problems.append(MigrationProblem("login_sms", "signs in with SMS codes: WorkOS has no SMS factor (use email Magic Auth or TOTP)", severity: .warning))
        }
        if lost.contains(.passkey) {
            problems.append(MigrationProblem("login_passkey", "has passkeys: they must be enrolled again through AuthKit", severity: .warning))
        }
        if lost.contains(.totp) {
            problems.append(MigrationProblem("login_totp", "has a TOTP authenticator: it must be enrolled again", severity: .warning))
        }
        if lost.contains(.sso) {
            problems.append(MigrationProblem("login_sso", "signs in through SSO (SAML/OIDC): the identity provider must be repointed to WorkOS", severity: .warning))
        }
        if lost.contains(.social) {
            problems.append(MigrationProblem("login_social", "signs in with a social provider: it links again by email on first sign-in", severity: .info))
        }
        return problems
    }
}

enum PhoneNumber {
    /// `+` and 7–15 digits (E.164), the form Descope uses for phone login ids.
    static func looksLikePhone(_ s: TextSpan) -> Bool {
        let u = s.buffer
        guard u.first == UInt8(ascii: "+"), (8...16).contains(u.count) else { return false }
        return u.dropFirst().allSatisfy { $0 >= 0x30 && $0 <= 0x39 }
    }
}

extension String {
    /// Without leading and trailing ASCII spaces, tabs and line breaks (no Foundation: this runs per field).
    package var trimmingASCIIWhitespace: String {
        let u = utf8
        func ws(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D }
        guard let first = u.first, let last = u.last, ws(first) || ws(last) else { return self }
        guard let start = u.firstIndex(where: { !ws($0) }), let end = u.lastIndex(where: { !ws($0) }) else { return "" }
        return String(self[start...end])
    }
}
