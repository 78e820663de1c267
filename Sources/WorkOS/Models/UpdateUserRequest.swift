/// Body of `PUT /user_management/users/{id}`: omitted fields stay as they are.
/// Setting `passwordHash` + `passwordHashType` gives an existing user their imported password.
public struct UpdateUserRequest: Codable, Sendable, Hashable, UserBodyFields {
    public var email: String?
    public var firstName: String?
    public var lastName: String?
    public var emailVerified: Bool?
    public var externalId: String?
    public var metadata: [String: String]?
    public var password: String?
    public var passwordHash: String?
    public var passwordHashType: String?
    public var passwordSaltPosition: String?

    public init(email: String? = nil, firstName: String? = nil, lastName: String? = nil,
                emailVerified: Bool? = nil, externalId: String? = nil, metadata: [String: String]? = nil,
                password: String? = nil, passwordHash: String? = nil, passwordHashType: String? = nil,
                passwordSaltPosition: String? = nil) {
        self.email = email; self.firstName = firstName; self.lastName = lastName
        self.emailVerified = emailVerified; self.externalId = externalId; self.metadata = metadata
        self.password = password; self.passwordHash = passwordHash; self.passwordHashType = passwordHashType
        self.passwordSaltPosition = passwordSaltPosition
    }

    typealias CodingKeys = UserBodyKey

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encodeIfNotEmpty(email, forKey: .email)
        try encodeSharedFields(into: &c)
    }
}
