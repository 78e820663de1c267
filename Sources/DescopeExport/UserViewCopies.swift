/// `UserView` ↔ `DescopeUser`: the owning copy of a view (for callers that keep users), and a view of an owned user
/// (for callers that hold a `DescopeUser` and map it through the one path).
extension DescopeUser {
    public init(_ view: UserView) {
        self.init(source: view.source)
        userId = view.userId.nonEmptyString
        loginIds = view.loginIds.strings
        email = view.email.nonEmptyString
        verifiedEmail = view.verifiedEmail
        phone = view.phone.nonEmptyString
        verifiedPhone = view.verifiedPhone
        name = view.name.nonEmptyString
        givenName = view.givenName.nonEmptyString
        middleName = view.middleName.nonEmptyString
        familyName = view.familyName.nonEmptyString
        status = view.status.nonEmptyString
        roleNames = view.roleNames.strings
        tenants = view.tenants.map {
            DescopeUserTenant(tenantId: $0.tenantId.string, tenantName: $0.tenantName.nonEmptyString, roleNames: $0.roleNames.strings)
        }
        customAttributes = view.customAttributes.map { attribute in
            let text = attribute.value.string
            let value: JSONValue
            switch attribute.kind {
            case .string: value = .string(text)
            case .number: value = .number(text)
            case .bool: value = .bool(text == "true")
            case .null: value = .null
            case .json:
                if case .success(let parsed) = JSONParser.parse(text) { value = parsed } else { value = .string(text) }
            }
            return CustomAttribute(key: attribute.key.string, value: value)
        }
        createdTime = view.createdTime
        picture = view.picture.nonEmptyString
        test = view.test; totp = view.totp; saml = view.saml; scim = view.scim; oidc = view.oidc; webauthn = view.webauthn
        oauthProviders = view.oauthProviders.strings
        ssoAppIds = view.ssoAppIds.strings
        hasPassword = view.hasPassword
        let h = view.hash
        hash.hash = h.hash.nonEmptyString; hash.type = h.type.nonEmptyString; hash.salt = h.salt.nonEmptyString
        hash.iterations = h.iterations.nonEmptyString; hash.memory = h.memory.nonEmptyString
        hash.threads = h.threads.nonEmptyString; hash.digest = h.digest.nonEmptyString
        hash.signerKey = h.signerKey.nonEmptyString; hash.saltSeparator = h.saltSeparator.nonEmptyString
        hash.objectFields = h.objectCells.map { HashObjectCell(kind: $0.kind.string, field: $0.field.string, value: $0.value.string) }
        joinedFrom = view.joinedFrom
        problems = view.problems
    }
}

extension UserView {
    /// A view of `user` whose bytes live in `arena` (valid until its next `reset()`). Custom attribute values are
    /// given the text WorkOS metadata keeps.
    public init(_ user: DescopeUser, arena: ViewArena) {
        self.init(source: user.source)
        func text(_ s: String?) -> TextSpan { s.map(arena.copy) ?? .empty }
        func list(_ l: [String]) -> SpanList { arena.list(l.map(arena.copy)) }
        userId = text(user.userId)
        loginIds = list(user.loginIds)
        email = text(user.email)
        verifiedEmail = user.verifiedEmail
        phone = text(user.phone)
        verifiedPhone = user.verifiedPhone
        name = text(user.name)
        givenName = text(user.givenName)
        middleName = text(user.middleName)
        familyName = text(user.familyName)
        status = text(user.status)
        roleNames = list(user.roleNames)
        tenants = arena.tenants(user.tenants.map {
            TenantView(tenantId: arena.copy($0.tenantId), tenantName: text($0.tenantName), roleNames: list($0.roleNames))
        })
        customAttributes = arena.attributes(user.customAttributes.map { attribute in
            AttributeView(key: arena.copy(attribute.key), kind: attribute.value.attributeKind, value: arena.copy(attribute.value.metadataText))
        })
        createdTime = user.createdTime
        picture = text(user.picture)
        test = user.test; totp = user.totp; saml = user.saml; scim = user.scim; oidc = user.oidc; webauthn = user.webauthn
        oauthProviders = list(user.oauthProviders)
        ssoAppIds = list(user.ssoAppIds)
        hasPassword = user.hasPassword
        let h = user.hash
        hash.hash = text(h.hash); hash.type = text(h.type); hash.salt = text(h.salt); hash.iterations = text(h.iterations)
        hash.memory = text(h.memory); hash.threads = text(h.threads); hash.digest = text(h.digest)
        hash.signerKey = text(h.signerKey); hash.saltSeparator = text(h.saltSeparator)
        hash.objectCells = arena.cells(h.objectFields.map {
            ObjectCellView(kind: arena.copy($0.kind), field: arena.copy($0.field), value: arena.copy($0.value))
        })
        joinedFrom = user.joinedFrom
        problems = user.problems
    }
}

extension JSONValue {
    var attributeKind: AttributeView.Kind {
        switch self {
        case .null: return .null
        case .string: return .string
        case .bool: return .bool
        case .number: return .number
        case .array, .object: return .json
        }
    }

    /// The text a metadata value keeps: strings as they are, `true`/`false`, a number's literal, arrays and
    /// objects as compact JSON ("" for null, which metadata leaves out).
    public var metadataText: String {
        switch self {
        case .null: return ""
        case .string(let s): return s
        case .bool(let b): return b ? "true" : "false"
        case .number(let n): return n
        case .array, .object: return jsonText
        }
    }
}

extension UserView {
    /// The user of a hash source completed with its Search Users record (`DescopeUser.joined(with:)` on views): the
    /// hash source gives the hash (else the record's own) and, when it has them, the identity fields; Search Users
    /// gives tenants, roles, status and login-method flags. Lists are shared, not copied; `arena` holds merged ones.
    mutating func join(with search: UserView, arena: ViewArena) {
        func or(_ a: TextSpan, _ b: TextSpan) -> TextSpan { a.isEmpty ? b : a }
        var u = self
        defer { self = u }
        u.joinedFrom = search.source
        u.userId = or(u.userId, search.userId)
        if u.loginIds.isEmpty { u.loginIds = search.loginIds }
        u.email = or(u.email, search.email)
        u.verifiedEmail = search.verifiedEmail ?? u.verifiedEmail
        u.phone = or(u.phone, search.phone)
        u.verifiedPhone = search.verifiedPhone ?? u.verifiedPhone
        u.name = or(u.name, search.name)
        u.givenName = or(u.givenName, search.givenName)
        u.middleName = or(u.middleName, search.middleName)
        u.familyName = or(u.familyName, search.familyName)
        u.status = or(search.status, u.status)
        if !search.roleNames.isEmpty { u.roleNames = search.roleNames }
        if !search.tenants.isEmpty { u.tenants = search.tenants }
        if !search.customAttributes.isEmpty {
            let own = Array(u.customAttributes)
            let extra = search.customAttributes.filter { a in !own.contains { $0.key.equals(a.key) } }
            if !extra.isEmpty { u.customAttributes = own.isEmpty ? search.customAttributes : arena.attributes(own + extra) }
        }
        u.createdTime = u.createdTime ?? search.createdTime
        u.picture = or(u.picture, search.picture)
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
    }
}
