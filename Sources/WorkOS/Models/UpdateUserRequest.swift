/// Body of `PUT /user_management/users/{id}`: omitted fields stay as they are.
/// Setting `passwordHash` + `passwordHashType` gives an existing user their imported password.
public struct UpdateUserRequest: Codable, Sendable, Hashable {
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

    enum CodingKeys: String, CodingKey {
        case email, metadata, password
        case firstName = "first_name", lastName = "last_name", emailVerified = "email_verified"
        case externalId = "external_id", passwordHash = "password_hash"
        case passwordHashType = "password_hash_type", passwordSaltPosition = "password_salt_position"
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encodeIfNotEmpty(email, forKey: .email)
        try c.encodeIfNotEmpty(firstName, forKey: .firstName)
        try c.encodeIfNotEmpty(lastName, forKey: .lastName)
        try c.encodeIfPresent(emailVerified, forKey: .emailVerified)
        try c.encodeIfNotEmpty(externalId, forKey: .externalId)
        if let metadata, !metadata.isEmpty { try c.encode(metadata, forKey: .metadata) }
        try c.encodeIfNotEmpty(password, forKey: .password)
        try c.encodeIfNotEmpty(passwordHash, forKey: .passwordHash)
        try c.encodeIfNotEmpty(passwordHashType, forKey: .passwordHashType)
        try c.encodeIfNotEmpty(passwordSaltPosition, forKey: .passwordSaltPosition)
    }
}
