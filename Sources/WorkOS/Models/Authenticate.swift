/// Body of `POST /user_management/authenticate` with `grant_type: "password"`.
public struct AuthenticateRequest: Codable, Sendable, Hashable {
    public var grantType: String
    public var clientId: String
    /// The API key, as WorkOS asks for it in this body.
    public var clientSecret: String
    public var email: String
    public var password: String

    public init(clientId: String, clientSecret: String, email: String, password: String) {
        self.grantType = "password"; self.clientId = clientId; self.clientSecret = clientSecret
        self.email = email; self.password = password
    }

    enum CodingKeys: String, CodingKey {
        case email, password
        case grantType = "grant_type", clientId = "client_id", clientSecret = "client_secret"
    }
}

/// The answer to a successful authenticate: the user and their session tokens.
public struct AuthenticateResponse: Codable, Sendable, Hashable {
    public var user: User
    public var organizationId: String?
    public var accessToken: String
    public var refreshToken: String
    public var authenticationMethod: String?

    public init(user: User, organizationId: String? = nil, accessToken: String, refreshToken: String,
                authenticationMethod: String? = "Password") {
        self.user = user; self.organizationId = organizationId; self.accessToken = accessToken
        self.refreshToken = refreshToken; self.authenticationMethod = authenticationMethod
    }

    enum CodingKeys: String, CodingKey {
        case user
        case organizationId = "organization_id", accessToken = "access_token"
        case refreshToken = "refresh_token", authenticationMethod = "authentication_method"
    }
}
