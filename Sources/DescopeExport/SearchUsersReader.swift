/// Users of a Search Users JSON export (any envelope, or NDJSON), streamed element by element.
public final class SearchUsersReader {
    private let stream: JSONRecordStream
    public var path: String { stream.path }
    public private(set) var recordsRead = 0
    public private(set) var problemsFound = 0

    public init(path: String, options: ExportOptions = ExportOptions()) throws(ExportError) {
        let blocks = try ByteBlocks(path: path, blockSize: options.readBlockSize, maxRecordBytes: options.maxRecordBytes)
        stream = JSONRecordStream(blocks: blocks, arrayKey: "users", singleKey: "user")
    }

    /// Reads from memory (tests).
    public init(bytes: [UInt8], name: String = "<memory>") {
        stream = JSONRecordStream(blocks: ByteBlocks(bytes: bytes, name: name), arrayKey: "users", singleKey: "user")
    }

    /// The next user or problem; nil at the end of the input.
    public func next() -> ExportItem? { nextWithRaw()?.item }

    /// The item, and for a user the exact JSON bytes of its element.
    func nextWithRaw() -> (item: ExportItem, raw: [UInt8])? {
        guard let record = stream.next() else { return nil }
        recordsRead += 1
        switch record {
        case .problem(let number, let message):
            problemsFound += 1
            return (.problem(ExportProblem(location: SourceLocation(file: path, line: number),
                                           code: ExportProblem.Code.invalidJSON, message: message)), [])
        case .record(let number, let value, let raw):
            let location = SourceLocation(file: path, line: number)
            guard let user = DescopeUser(searchUsersJSON: value, source: location) else {
                problemsFound += 1
                return (.problem(ExportProblem(location: location, code: ExportProblem.Code.notAUser,
                                               message: "element \(number): not a user object")), [])
            }
            return (.user(user), raw)
        }
    }

    /// Views of the owned users (until the simdjson reader gives views in place).
    private let arena = ViewArena()

    /// The next user as a view (valid until the next call) or a problem; nil at the end of the input.
    public func nextView() -> ViewItem? {
        switch next() {
        case .user(let user)?:
            arena.reset()
            return .user(UserView(user, arena: arena))
        case .problem(let problem)?: return .problem(problem)
        case nil: return nil
        }
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
