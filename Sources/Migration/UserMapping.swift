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

    public func map(_ user: DescopeUser) -> MappedUser { map(user, hashes: nil) }

    /// `hashes`: rows whose hash has a shape seen before skip the detector (same answer, see `HashShapeCache`).
    func map(_ user: DescopeUser, hashes: HashShapeCache?) -> MappedUser {
        var problems: [MigrationProblem] = []

        // Email: the account's key in WorkOS.
        let (email, fromLoginId) = Self.effectiveEmail(user)
        if fromLoginId {
            problems.append(MigrationProblem("email_from_login_id",
                                             "the export has no email; the login id that is an email address is used",
                                             severity: .info))
        }
        if email.isEmpty {
            problems.append(MigrationProblem("missing_email", "the user has no email address; WorkOS needs one",
                                             severity: .error))
        } else if !EmailAddress.isValid(email) {
            problems.append(MigrationProblem("invalid_email", "the email address is not valid (\(EmailAddress.whyInvalid(email)))",
                                             severity: .error))
        } else if let others = duplicates.otherRows(sharingEmail: email, with: user.source) {
            problems.append(DuplicateEmailIndex.problem(others: others, row: user.source))
        }

        // Users Descope would not let sign in are skipped unless asked for.
        switch user.status {
        case "disabled", "expired":
            let status = user.status ?? ""
            problems.append(options.includeDisabled
                ? MigrationProblem("\(status)_user_included", "the user is \(status) in Descope and is imported (--include-disabled)", severity: .info)
                : MigrationProblem("\(status)_user", "the user is \(status) in Descope: skipped (pass --include-disabled to import it)", severity: .error))
        default: break
        }
        if user.test {
            problems.append(options.includeTest
                ? MigrationProblem("test_user_included", "Descope marks this as a test user; imported (--include-test)", severity: .info)
                : MigrationProblem("test_user", "Descope marks this as a test user: skipped (pass --include-test to import it)", severity: .error))
        }

        // External id: Descope's user id, within WorkOS's rule (≤ 128 ASCII characters).
        var externalId: String?
        var keepUserIdInMetadata = false
        if let id = user.userId, !id.isEmpty {
            if id.utf8.count <= 128, id.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) {
                externalId = id
            } else {
                keepUserIdInMetadata = true
                problems.append(MigrationProblem(
                    "external_id_invalid",
                    "the Descope user id is not 1–128 printable ASCII characters, so it cannot be the WorkOS external_id; it is kept in metadata as \(MetadataBuilder.Key.userId)",
                    severity: .warning))
            }
        } else {
            problems.append(MigrationProblem("missing_user_id", "the row has no Descope user id; the WorkOS user gets no external_id",
                                             severity: .warning))
        }

        // Names: given/family, else the display name split at its first space.
        var first = user.givenName?.trimmingASCIIWhitespace ?? ""
        var last = user.familyName?.trimmingASCIIWhitespace ?? ""
        if first.isEmpty, last.isEmpty, let name = user.name?.trimmingASCIIWhitespace, !name.isEmpty {
            if let space = name.firstIndex(where: { $0 == " " || $0 == "\t" }) {
                first = String(name[..<space])
                last = String(name[space...]).trimmingASCIIWhitespace
            } else {
                first = name
            }
        }

        // Fields the reader could not read (a bad boolean, time or list) were left empty: say so on the row.
        for p in user.problems { problems.append(MigrationProblem(p.code, p.message, severity: .warning)) }

        let (metadata, metadataProblems) = MetadataBuilder().metadata(for: user, keepUserId: keepUserIdInMetadata)
        problems += metadataProblems

        let memberships = mapMemberships(user, problems: &problems)
        let lost = Self.lostLoginMethods(user)
        problems += Self.loginMethodProblems(lost)

        // The password: recognised, within WorkOS's rules, rewritten — or the reason it cannot be.
        var passwordHash: WorkOSPasswordHash?
        var withoutPasswordReason: String?
        let hashOutcome = hashes.flatMap { cache in
            user.hash.onlyHash.flatMap { cache.outcome(for: $0) }
        } ?? PasswordMapping.map(user.hash, saltEncoding: options.saltEncoding)
        switch hashOutcome.result {
        case .success(let workOS):
            passwordHash = workOS
        case .failure(let problem):
            if user.hash.isEmpty {
                if user.hasPassword == true {
                    withoutPasswordReason = "password_hash_missing"
                    problems.append(MigrationProblem("password_hash_missing",
                                                     "Descope says the user has a password but the export holds no hash for it; the user will need a password reset",
                                                     severity: .warning))
                } else if !lost.subtracting(.totp).isEmpty {
                    withoutPasswordReason = "passwordless_user"
                    problems.append(MigrationProblem("passwordless_user",
                                                     "the user signs in without a password (social, SSO, passkey or SMS); imported without one",
                                                     severity: .info))
                } else {
                    withoutPasswordReason = Self.noPasswordHash.code
                    problems.append(Self.noPasswordHash)
                }
            } else {
                withoutPasswordReason = problem.code
                problems.append(PasswordMapping.refusal(problem))
            }
        }

        let body = WorkOSUserBody(email: email, firstName: first.isEmpty ? nil : first, lastName: last.isEmpty ? nil : last,
                                  emailVerified: user.verifiedEmail, externalId: externalId, metadata: metadata,
                                  passwordHash: passwordHash)
        // Stable: errors first, then warnings, then info, each in the order found.
        problems = problems.enumerated().sorted { ($0.element.severity, $0.offset) < ($1.element.severity, $1.offset) }.map(\.element)
        let status: RowStatus
        if let error = problems.first(where: { $0.severity == .error }) {
            status = .rejected(reason: error.code)
        } else if let reason = withoutPasswordReason {
            status = .readyWithoutPassword(reason: reason)
        } else {
            status = .ready
        }
        return MappedUser(source: user.source, sourceUserId: user.userId, status: status, user: body,
                          memberships: memberships, problems: problems, hash: hashOutcome.summary,
                          lostLoginMethods: lost)
    }

    static let noPasswordHash = MigrationProblem("no_password_hash",
                                                 "the export holds no password hash for the user; imported without a password",
                                                 severity: .info)

    /// The email the user will have in WorkOS: the email field trimmed, else the first login id that is an email.
    public static func effectiveEmail(_ user: DescopeUser) -> (email: String, fromLoginId: Bool) {
        let email = (user.email ?? "").trimmingASCIIWhitespace
        if email.isEmpty, let fromLogin = user.loginIds.first(where: { EmailAddress.isValid($0.trimmingASCIIWhitespace) }) {
            return (fromLogin.trimmingASCIIWhitespace, true)
        }
        return (email, false)
    }

    /// The email this user claims in WorkOS, for the duplicate check's first pass (`DuplicateEmailFinder`):
    /// nil when the email is missing or invalid, or the user is skipped (disabled, expired, test) and so claims nothing.
    public func duplicateKey(for user: DescopeUser) -> String? {
        if !options.includeDisabled, user.status == "disabled" || user.status == "expired" { return nil }
        if !options.includeTest, user.test { return nil }
        let email = Self.effectiveEmail(user).email
        return EmailAddress.isValid(email) ? email : nil
    }

    private func mapMemberships(_ user: DescopeUser, problems: inout [MigrationProblem]) -> [MappedMembership] {
        var memberships: [MappedMembership] = []
        for tenant in user.tenants {
            let tenantId = tenant.tenantId.trimmingASCIIWhitespace
            guard !tenantId.isEmpty else {
                problems.append(MigrationProblem("tenant_without_id", "a tenant of the user has no id; no membership is made for it",
                                                 severity: .warning))
                continue
            }
            if memberships.contains(where: { $0.tenantId == tenantId }) { continue }
            var slugs: [String] = []
            var unmapped: [String] = []
            for role in tenant.roleNames where !role.isEmpty {
                if let slug = options.roleMap.slug(forRole: role, tenantId: tenantId) {
                    if !slugs.contains(slug) { slugs.append(slug) }
                } else if !unmapped.contains(role) {
                    unmapped.append(role)
                }
            }
            if !unmapped.isEmpty {
                let names = unmapped.map { "\"\($0)\"" }.joined(separator: ", ")
                let consequence = slugs.isEmpty ? "the membership gets \"\(options.defaultRoleSlug)\"" : "they are left out"
                problems.append(MigrationProblem(
                    "role_not_mapped",
                    "tenant \(tenantId): Descope role\(unmapped.count == 1 ? "" : "s") \(names) \(options.roleMap.isEmpty ? "(no --role-map given)" : "not in the role map"); \(consequence)",
                    severity: options.roleMap.isEmpty ? .info : .warning))
            }
            if slugs.isEmpty { slugs = [options.defaultRoleSlug] }
            var name = tenant.tenantName
            if let directory = options.tenants, !directory.isEmpty {
                if let known = directory[tenantId] {
                    name = known.name ?? name
                } else {
                    problems.append(MigrationProblem(
                        "unknown_tenant",
                        "tenant \(tenantId) is not in the tenants file; its organization is created from the user's record alone",
                        severity: .warning))
                }
            }
            memberships.append(MappedMembership(tenantId: tenantId, tenantName: name, roleSlugs: slugs))
        }
        return memberships
    }

    static func lostLoginMethods(_ user: DescopeUser) -> LoginMethods {
        var lost: LoginMethods = []
        if let phone = user.phone, !phone.isEmpty, user.loginIds.contains(phone) { lost.insert(.sms) }
        else if user.loginIds.contains(where: PhoneNumber.looksLikePhone) { lost.insert(.sms) }
        if user.webauthn { lost.insert(.passkey) }
        if user.totp { lost.insert(.totp) }
        if user.saml || user.oidc || !user.ssoAppIds.isEmpty { lost.insert(.sso) }
        if !user.oauthProviders.isEmpty { lost.insert(.social) }
        return lost
    }

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
    static func looksLikePhone(_ s: String) -> Bool {
        let u = s.utf8
        guard u.first == UInt8(ascii: "+"), (8...16).contains(u.count) else { return false }
        return u.dropFirst().allSatisfy { $0 >= 0x30 && $0 <= 0x39 }
    }
}

extension ExportHashFields {
    /// The hash text when it is the only field (a full string, no split parameters).
    var onlyHash: String? {
        guard let hash, !hash.isEmpty, type == nil, salt == nil, iterations == nil, memory == nil, threads == nil,
              digest == nil, signerKey == nil, saltSeparator == nil, objectFields.isEmpty else { return nil }
        return hash
    }
}

extension String {
    /// Without leading and trailing ASCII spaces, tabs and line breaks (no Foundation: this runs per field).
    var trimmingASCIIWhitespace: String {
        let u = utf8
        func ws(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D }
        guard let first = u.first, let last = u.last, ws(first) || ws(last) else { return self }
        guard let start = u.firstIndex(where: { !ws($0) }), let end = u.lastIndex(where: { !ws($0) }) else { return "" }
        return String(self[start...end])
    }
}
