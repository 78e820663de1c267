/// Users of a Search Users JSON export (any envelope, or NDJSON), streamed element by element as owned
/// `DescopeUser`s: the copies of `SearchUsersViewReader`'s views (for callers that keep users, like the join).
public final class SearchUsersReader {
    private let views: SearchUsersViewReader
    public var path: String { views.path }
    public var recordsRead: Int { views.recordsRead }
    public var problemsFound: Int { views.problemsFound }

    /// `simdjson: false` reads every element with JSONParser (see SearchUsersViewReader).
    public init(path: String, options: ExportOptions = ExportOptions(), simdjson: Bool = true) throws(ExportError) {
        views = try SearchUsersViewReader(path: path, options: options, simdjson: simdjson)
    }

    /// Reads from memory (tests).
    public init(bytes: [UInt8], name: String = "<memory>") {
        views = SearchUsersViewReader(bytes: bytes, name: name)
    }

    /// The next user or problem; nil at the end of the input.
    public func next() -> ExportItem? {
        switch views.nextRecord() {
        case nil: return nil
        case .view(let view)?: return .user(DescopeUser(view))
        // An element read by JSONParser keeps its DescopeUser as it was (a view cannot hold a "" tenant name).
        case .user(let user)?: return .user(user)
        case .problem(let p)?: return .problem(p)
        }
    }

    /// The item, and for a user the exact JSON bytes of its element.
    func nextWithRaw() -> (item: ExportItem, raw: [UInt8])? {
        guard let item = next() else { return nil }
        guard case .user = item else { return (item, []) }
        return (item, Array(views.element))
    }

    /// Decodes an element's bytes kept by the join index.
    static func decode(raw: [UInt8], location: SourceLocation) -> DescopeUser? {
        let parsed = raw.withUnsafeBytes { JSONParser.parse($0) }
        guard case .success(let value) = parsed else { return nil }
        return DescopeUser(searchUsersJSON: value, source: location)
    }
}

extension DescopeUser {
    /// The CSV user completed with its Search Users record: the CSV gives the hash (else the record's own, when it has
    /// a `hashedPassword`) and, when it has them,
    /// the identity fields; Search Users gives tenants, roles, status and login-method flags.
    func joined(with search: DescopeUser) -> DescopeUser {
        var u = self
        u.joinedFrom = search.source
        u.userId = u.userId ?? search.userId
        if u.loginIds.isEmpty { u.loginIds = search.loginIds }
        u.email = u.email ?? search.email
        u.verifiedEmail = search.verifiedEmail ?? u.verifiedEmail
        u.phone = u.phone ?? search.phone
        u.verifiedPhone = search.verifiedPhone ?? u.verifiedPhone
        u.name = u.name ?? search.name
        u.givenName = u.givenName ?? search.givenName
        u.middleName = u.middleName ?? search.middleName
        u.familyName = u.familyName ?? search.familyName
        u.status = search.status ?? u.status
        if !search.roleNames.isEmpty { u.roleNames = search.roleNames }
        if !search.tenants.isEmpty { u.tenants = search.tenants }
        let csvKeys = Set(u.customAttributes.map(\.key))
        u.customAttributes += search.customAttributes.filter { !csvKeys.contains($0.key) }
        u.createdTime = u.createdTime ?? search.createdTime
        u.picture = u.picture ?? search.picture
        u.test = u.test || search.test
        u.totp = u.totp || search.totp
        u.saml = u.saml || search.saml
        u.scim = u.scim || search.scim
        u.oidc = u.oidc || search.oidc
        u.webauthn = u.webauthn || search.webauthn
        if u.oauthProviders.isEmpty { u.oauthProviders = search.oauthProviders }
        if u.ssoAppIds.isEmpty { u.ssoAppIds = search.ssoAppIds }
        u.hasPassword = u.hasPassword ?? search.hasPassword
        if u.hash.isEmpty { u.hash = search.hash }
        u.problems += search.problems
        return u
    }
}
