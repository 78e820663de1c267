import DescopeExport
import PasswordHashes

/// One Descope user made into what WorkOS takes, with its outcome and every problem found on the way.
public struct MappedUser: Sendable, Hashable {
    /// Where the user was read (file and 1-based line or JSON element).
    public var source: SourceLocation
    /// Descope's `userId`, when the input had one.
    public var sourceUserId: String?
    public var status: RowStatus
    /// The WorkOS create-user body (`POST /user_management/users`).
    public var user: WorkOSUserBody
    /// One per Descope tenant: organization `external_id` = tenant id.
    public var memberships: [MappedMembership]
    /// Sorted by severity (errors first), then in the order found.
    public var problems: [MigrationProblem]
    /// What the password hash was recognised as, nil when the row had no hash fields.
    public var hash: HashSummary?
    /// Login methods the user has in Descope that WorkOS will not take over as they are.
    public var lostLoginMethods: LoginMethods

    public init(source: SourceLocation, sourceUserId: String?, status: RowStatus, user: WorkOSUserBody,
                memberships: [MappedMembership], problems: [MigrationProblem], hash: HashSummary?,
                lostLoginMethods: LoginMethods) {
        self.source = source; self.sourceUserId = sourceUserId; self.status = status; self.user = user
        self.memberships = memberships; self.problems = problems; self.hash = hash
        self.lostLoginMethods = lostLoginMethods
    }

    /// The row number reports use (line of the CSV record, or element number in a JSON input).
    public var row: Int { source.line }
}

/// The exact body of WorkOS's create-user call (snake_case on the wire; empty fields omitted).
public struct WorkOSUserBody: Sendable, Hashable {
    public var email: String
    public var firstName: String?
    public var lastName: String?
    public var emailVerified: Bool?
    public var externalId: String?
    /// Insertion-ordered; values are strings (WorkOS's rule), ≤ 50 keys — checked by `MetadataBuilder`.
    public var metadata: [(key: String, value: String)]
    /// The WorkOS string and its `password_hash_type`, only when the row is `ready`.
    public var passwordHash: WorkOSPasswordHash?

    public init(email: String, firstName: String? = nil, lastName: String? = nil, emailVerified: Bool? = nil,
                externalId: String? = nil, metadata: [(key: String, value: String)] = [],
                passwordHash: WorkOSPasswordHash? = nil) {
        self.email = email; self.firstName = firstName; self.lastName = lastName
        self.emailVerified = emailVerified; self.externalId = externalId; self.metadata = metadata
        self.passwordHash = passwordHash
    }

    public static func == (a: WorkOSUserBody, b: WorkOSUserBody) -> Bool {
        a.email == b.email && a.firstName == b.firstName && a.lastName == b.lastName
            && a.emailVerified == b.emailVerified && a.externalId == b.externalId
            && a.metadata.elementsEqual(b.metadata, by: { $0.key == $1.key && $0.value == $1.value })
            && a.passwordHash == b.passwordHash
    }

    public func hash(into h: inout Hasher) {
        h.combine(email); h.combine(externalId)
        for (k, v) in metadata { h.combine(k); h.combine(v) }
    }
}

/// A membership to create after the user: organization by Descope tenant id, roles as WorkOS slugs.
public struct MappedMembership: Sendable, Hashable {
    /// Descope tenant id = the WorkOS organization's `external_id`.
    public var tenantId: String
    /// Descope tenant name, when known (used to create the organization).
    public var tenantName: String?
    /// Never empty: `member` when the user had no mapped role.
    public var roleSlugs: [String]
    public init(tenantId: String, tenantName: String? = nil, roleSlugs: [String]) {
        self.tenantId = tenantId; self.tenantName = tenantName; self.roleSlugs = roleSlugs
    }
}

/// What a row's hash was recognised as, for reports ("argon2id m=65536 t=3 p=4: 9,812 importable").
public struct HashSummary: Sendable, Hashable {
    /// `HashFamily.rawValue`, or `unknown` when the hash could not be read.
    public var family: String
    /// Family variant and the parameters WorkOS's rules look at, e.g. `argon2id m=65536 t=3 p=4`.
    public var label: String
    /// WorkOS will take this hash (it is in the row's create-user body).
    public var importable: Bool
    public init(family: String, label: String, importable: Bool) {
        self.family = family; self.label = label; self.importable = importable
    }
}

/// Descope login methods that do not carry over to WorkOS as they are.
public struct LoginMethods: OptionSet, Sendable, Hashable {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }
    /// Signs in with an SMS code (phone is a login id): WorkOS has no SMS factor.
    public static let sms = LoginMethods(rawValue: 1 << 0)
    /// Passkeys (`webauthn`): re-enrol through AuthKit.
    public static let passkey = LoginMethods(rawValue: 1 << 1)
    /// TOTP authenticator app: re-enrol.
    public static let totp = LoginMethods(rawValue: 1 << 2)
    /// SAML / OIDC / SSO apps: the customer's IdP must be repointed.
    public static let sso = LoginMethods(rawValue: 1 << 3)
    /// Social (OAuth): carries over by email on first sign-in (info, nothing to do per user).
    public static let social = LoginMethods(rawValue: 1 << 4)

    /// Stable names, in report order.
    public static let all: [(LoginMethods, String)] = [
        (.sms, "sms"), (.passkey, "passkey"), (.totp, "totp"), (.sso, "sso"), (.social, "social"),
    ]
}

extension MappedUser {
    /// The owned form of a mapped view (the view's spans become Strings).
    package init(_ view: UserView, _ row: RowMapping, problems: [MigrationProblem], hashes: HashShapes) {
        let body = WorkOSUserBody(email: row.email.string, firstName: row.firstName.nonEmptyString, lastName: row.lastName.nonEmptyString,
                                  emailVerified: view.verifiedEmail, externalId: row.externalId.nonEmptyString,
                                  metadata: MetadataBuilder().entries(view, keepUserId: row.keepUserIdInMetadata),
                                  passwordHash: row.carriesPassword ? row.hash.flatMap(hashes.workOSHash) : nil)
        let summary = row.hash.map { verdict -> HashSummary in
            let a = hashes.assessment(verdict)
            return HashSummary(family: a.family, label: a.label, importable: a.importable)
        }
        self.init(source: view.source, sourceUserId: view.userId.nonEmptyString, status: row.status, user: body,
                  memberships: row.memberships, problems: problems, hash: summary, lostLoginMethods: row.lostLoginMethods)
    }
}
