import DescopeExport
import PasswordHashes

/// Where a mapped row's problems go, in the order they are found. `message` is called only when the words are
/// wanted: `inspect` words each code once, `convert` and the importer every time.
public protocol MappingSink {
    mutating func problem(_ code: String, _ severity: MigrationProblem.Severity, _ message: () -> String)
}

/// A sink that keeps every problem (convert's rows, the importer's `MappedUser`s).
public struct ProblemList: MappingSink {
    public private(set) var problems: [MigrationProblem] = []
    public init() {}
    public mutating func problem(_ code: String, _ severity: MigrationProblem.Severity, _ message: () -> String) {
        problems.append(MigrationProblem(code, message(), severity: severity))
    }
    /// Errors first, then warnings, then info, each in the order found (the order rows show them in).
    public var sorted: [MigrationProblem] {
        problems.enumerated().sorted { ($0.element.severity, $0.offset) < ($1.element.severity, $1.offset) }.map(\.element)
    }
    public mutating func removeAll() { problems.removeAll(keepingCapacity: true) }
}

/// What mapping one `UserView` gives: the outcome, and the WorkOS fields as spans of the view's bytes (valid as long
/// as the view). Problems went to the sink.
public struct RowMapping {
    public var status: RowStatus = .ready
    /// The email the user will have in WorkOS (trimmed, or the login id that is an email).
    public var email = TextSpan.empty
    /// The fingerprint of the email the row claims, for the duplicate check; nil for a row that claims none.
    public var claimedEmail: UInt64?
    public var firstName = TextSpan.empty
    public var lastName = TextSpan.empty
    public var externalId = TextSpan.empty
    /// The Descope user id goes to metadata (it cannot be the external id).
    public var keepUserIdInMetadata = false
    public var memberships: [MappedMembership] = []
    /// The hash's verdict, nil when the row has no hash fields.
    public var hash: HashShapes.Verdict?
    /// WorkOS takes the hash: the create-user body carries it.
    public var carriesPassword = false
    public var lostLoginMethods: LoginMethods = []
}

/// A row's problems on their way to the sink, with the first error kept for the row's status. A value the rules
/// pass on (`inout`), not a closure capturing state: that would cost an allocation per row.
public struct ProblemTracker<Sink: MappingSink> {
    let sink: UnsafeMutablePointer<Sink>
    public private(set) var firstError: String?

    public mutating func callAsFunction(_ code: String, _ severity: MigrationProblem.Severity, _ message: () -> String) {
        if severity == .error, firstError == nil { firstError = code }
        sink.pointee.problem(code, severity, message)
    }
}

extension UserMapper {
    /// Maps one view (DESIGN §2 Migration): every rule of the mapping, once. `hashes` is the run's shape cache.
    public func map<Sink: MappingSink>(_ user: UserView, hashes: HashShapes, into sink: inout Sink) -> RowMapping {
        // Filled in place: a returned row was copied out and destroyed, retaining and releasing its fields, per row.
        var row = RowMapping()
        withUnsafeMutablePointer(to: &sink) { pointer in
            var problem = ProblemTracker(sink: pointer)
            map(user, hashes: hashes, &problem, into: &row)
        }
        return row
    }

    private func map<Sink: MappingSink>(_ user: UserView, hashes: HashShapes, _ problem: inout ProblemTracker<Sink>,
                                        into row: inout RowMapping) {

        // Email: the account's key in WorkOS.
        let (email, fromLoginId) = Self.effectiveEmail(user)
        row.email = email
        if fromLoginId {
            problem("email_from_login_id", .info) { "the export has no email; the login id that is an email address is used" }
        }
        // One vector pass for a usable address (most rows); the byte rules word why another is not.
        let fingerprint = EmailAddress.fingerprintIfValid(email.bytes)
        let invalidity = fingerprint == nil ? EmailAddress.check(email.bytes) : nil
        if email.isEmpty {
            problem("missing_email", .error) { "the user has no email address; WorkOS needs one" }
        } else if let invalidity {
            problem("invalid_email", .error) { "the email address is not valid (\(invalidity.rawValue))" }
        } else {
            let fingerprint = fingerprint ?? EmailAddress.fingerprint(email.bytes)
            if claimsEmail(user) { row.claimedEmail = fingerprint }
            if let others = duplicates.otherRows(sharing: fingerprint, with: user.source) {
                let p = DuplicateEmailIndex.problem(others: others, row: user.source)
                problem(p.code, p.severity) { p.message }
            }
        }

        // Users Descope would not let sign in are skipped unless asked for.
        if let status = Self.skippedStatus(user) {
            if options.includeDisabled {
                problem(status == "disabled" ? "disabled_user_included" : "expired_user_included", .info) {
                    "the user is \(status) in Descope and is imported (--include-disabled)"
                }
            } else {
                problem(status == "disabled" ? "disabled_user" : "expired_user", .error) {
                    "the user is \(status) in Descope: skipped (pass --include-disabled to import it)"
                }
            }
        }
        if user.test {
            if options.includeTest {
                problem("test_user_included", .info) { "Descope marks this as a test user; imported (--include-test)" }
            } else {
                problem("test_user", .error) { "Descope marks this as a test user: skipped (pass --include-test to import it)" }
            }
        }

        // External id: Descope's user id, within WorkOS's rule (≤ 128 printable ASCII characters).
        if !user.userId.isEmpty {
            if user.userId.count <= 128, user.userId.buffer.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) {
                row.externalId = user.userId
            } else {
                row.keepUserIdInMetadata = true
                problem("external_id_invalid", .warning) {
                    "the Descope user id is not 1–128 printable ASCII characters, so it cannot be the WorkOS external_id; it is kept in metadata as \(MetadataBuilder.Key.userId)"
                }
            }
        } else {
            problem("missing_user_id", .warning) { "the row has no Descope user id; the WorkOS user gets no external_id" }
        }

        // Names: given/family, else the display name split at its first space.
        (row.firstName, row.lastName) = Self.names(user)

        // Fields the reader could not read (a bad boolean, time or list) were left empty: say so on the row.
        for p in user.problems { problem(p.code, .warning) { p.message } }

        MetadataBuilder().check(user, keepUserId: row.keepUserIdInMetadata, &problem)
        // Most rows have no tenants and lose no login method: no empty array is made and released for them.
        if !user.tenants.isEmpty { row.memberships = memberships(user, &problem) }
        row.lostLoginMethods = Self.lostLoginMethods(user)
        if !row.lostLoginMethods.isEmpty {
            for p in Self.loginMethodProblems(row.lostLoginMethods) { problem(p.code, p.severity) { p.message } }
        }

        // The password: recognised, within WorkOS's rules, rewritten — or the reason it cannot be.
        var withoutPasswordReason: String?
        if !user.hash.isEmpty {
            let verdict = user.hash.withFieldBytes(hashes) { $0.classify($1) }
            row.hash = verdict
            if let refused = hashes.refusal(verdict) {
                withoutPasswordReason = refused.code
                problem(refused.code, .warning) { PasswordMapping.refusal(refused).message }
            } else {
                row.carriesPassword = true
            }
        } else if user.hasPassword == true {
            withoutPasswordReason = "password_hash_missing"
            problem("password_hash_missing", .warning) {
                "Descope says the user has a password but the export holds no hash for it; the user will need a password reset"
            }
        } else if !row.lostLoginMethods.subtracting(.totp).isEmpty {
            withoutPasswordReason = "passwordless_user"
            problem("passwordless_user", .info) { "the user signs in without a password (social, SSO, passkey or SMS); imported without one" }
        } else {
            withoutPasswordReason = Self.noPasswordHash.code
            problem(Self.noPasswordHash.code, Self.noPasswordHash.severity) { Self.noPasswordHash.message }
        }

        if let firstError = problem.firstError { row.status = .rejected(reason: firstError) }
        else if let reason = withoutPasswordReason { row.status = .readyWithoutPassword(reason: reason) }
    }

    /// The email the user will have in WorkOS: the email field trimmed, else the first login id that is an email.
    static func effectiveEmail(_ user: UserView) -> (email: TextSpan, fromLoginId: Bool) {
        let email = user.email.trimmed
        if email.isEmpty, let login = user.loginIds.first(where: { EmailAddress.check($0.trimmed.bytes) == nil }) {
            return (login.trimmed, true)
        }
        return (email, false)
    }

    /// `disabled` or `expired`: a user Descope would not let sign in.
    static func skippedStatus(_ user: UserView) -> String? {
        if user.status.equals("disabled") { return "disabled" }
        if user.status.equals("expired") { return "expired" }
        return nil
    }

    /// True when the row's email counts for the duplicate check: a skipped user (disabled, expired, test) claims none.
    func claimsEmail(_ user: UserView) -> Bool {
        if !options.includeDisabled, Self.skippedStatus(user) != nil { return false }
        if !options.includeTest, user.test { return false }
        return true
    }

    /// The fingerprint of the email a row claims (the duplicate check's first pass): nil when the email is missing or
    /// invalid, or the user is skipped.
    public func claimedEmail(_ user: UserView) -> UInt64? {
        guard claimsEmail(user) else { return nil }
        let email = Self.effectiveEmail(user).email
        guard !email.isEmpty, EmailAddress.check(email.bytes) == nil else { return nil }
        return EmailAddress.fingerprint(email.bytes)
    }

    /// given/family names trimmed; when both are empty, the display name split at its first space or tab.
    static func names(_ user: UserView) -> (TextSpan, TextSpan) {
        let first = user.givenName.trimmed, last = user.familyName.trimmed
        guard first.isEmpty, last.isEmpty else { return (first, last) }
        let name = user.name.trimmed
        guard !name.isEmpty else { return (.empty, .empty) }
        if let space = name.buffer.firstIndex(where: { $0 == 0x20 || $0 == 0x09 }) {
            return (name.slice(0, space), name.slice(space, name.count).trimmed)
        }
        return (name, .empty)
    }

    private func memberships<Sink: MappingSink>(_ user: UserView, _ problem: inout ProblemTracker<Sink>) -> [MappedMembership] {
        var memberships: [MappedMembership] = []
        for tenant in user.tenants {
            let tenantId = tenant.tenantId.trimmed.string
            guard !tenantId.isEmpty else {
                problem("tenant_without_id", .warning) { "a tenant of the user has no id; no membership is made for it" }
                continue
            }
            if memberships.contains(where: { $0.tenantId == tenantId }) { continue }
            var slugs: [String] = []
            var unmapped: [String] = []
            for role in tenant.roleNames where !role.isEmpty {
                let name = role.string
                if let slug = options.roleMap.slug(forRole: name, tenantId: tenantId) {
                    if !slugs.contains(slug) { slugs.append(slug) }
                } else if !unmapped.contains(name) {
                    unmapped.append(name)
                }
            }
            if !unmapped.isEmpty {
                let consequence = slugs.isEmpty ? "the membership gets \"\(options.defaultRoleSlug)\"" : "they are left out"
                problem("role_not_mapped", options.roleMap.isEmpty ? .info : .warning) {
                    let names = unmapped.map { "\"\($0)\"" }.joined(separator: ", ")
                    return "tenant \(tenantId): Descope role\(unmapped.count == 1 ? "" : "s") \(names) \(options.roleMap.isEmpty ? "(no --role-map given)" : "not in the role map"); \(consequence)"
                }
            }
            if slugs.isEmpty { slugs = [options.defaultRoleSlug] }
            var name = tenant.tenantName.nonEmptyString
            if let directory = options.tenants, !directory.isEmpty {
                if let known = directory[tenantId] {
                    name = known.name ?? name
                } else {
                    problem("unknown_tenant", .warning) {
                        "tenant \(tenantId) is not in the tenants file; its organization is created from the user's record alone"
                    }
                }
            }
            memberships.append(MappedMembership(tenantId: tenantId, tenantName: name, roleSlugs: slugs))
        }
        return memberships
    }

    static func lostLoginMethods(_ user: UserView) -> LoginMethods {
        var lost: LoginMethods = []
        if !user.phone.isEmpty, user.loginIds.contains(where: { $0.equals(user.phone) }) { lost.insert(.sms) }
        else if user.loginIds.contains(where: PhoneNumber.looksLikePhone) { lost.insert(.sms) }
        if user.webauthn { lost.insert(.passkey) }
        if user.totp { lost.insert(.totp) }
        if user.saml || user.oidc || !user.ssoAppIds.isEmpty { lost.insert(.sso) }
        if !user.oauthProviders.isEmpty { lost.insert(.social) }
        return lost
    }
}

extension HashFieldSpans {
    /// The fields as PasswordHashes takes them (the cells on the stack), with `context` handed to `body`: a closure
    /// capturing it would retain and release it on every row.
    func withFieldBytes<Context: AnyObject, R>(_ context: Context, _ body: (Context, HashFieldBytes) -> R) -> R {
        var f = HashFieldBytes()
        f.hash = hash.bytes; f.type = type.bytes; f.salt = salt.bytes; f.iterations = iterations.bytes; f.memory = memory.bytes
        f.threads = threads.bytes; f.digest = digest.bytes; f.signerKey = signerKey.bytes; f.saltSeparator = saltSeparator.bytes
        guard objectCells.count > 0 else { return body(context, f) }
        return withUnsafeTemporaryAllocation(of: HashObjectCellBytes.self, capacity: objectCells.count) { cells in
            for (i, c) in objectCells.enumerated() {
                cells.initializeElement(at: i, to: HashObjectCellBytes(kind: c.kind.bytes, field: c.field.bytes, value: c.value.bytes))
            }
            f.cells = UnsafeBufferPointer(cells)
            return body(context, f)
        }
    }
}
