/// Body of `POST /user_management/users`. Empty and nil fields are left out of the JSON, as WorkOS asks.
public struct CreateUserRequest: Codable, Sendable, Hashable, UserBodyFields {
    public var email: String
    public var firstName: String?
    public var lastName: String?
    public var emailVerified: Bool?
    public var externalId: String?
    public var metadata: [String: String]?
    /// A plain password; WorkOS refuses it together with `passwordHash`.
    public var password: String?
    public var passwordHash: String?
    public var passwordHashType: String?
    /// `prefix` or `suffix`; only meaningful with `ssha256`.
    public var passwordSaltPosition: String?

    public init(email: String, firstName: String? = nil, lastName: String? = nil, emailVerified: Bool? = nil,
                externalId: String? = nil, metadata: [String: String]? = nil, password: String? = nil,
                passwordHash: String? = nil, passwordHashType: String? = nil,
                passwordSaltPosition: String? = nil) {
        self.email = email; self.firstName = firstName; self.lastName = lastName
        self.emailVerified = emailVerified; self.externalId = externalId; self.metadata = metadata
        self.password = password; self.passwordHash = passwordHash; self.passwordHashType = passwordHashType
        self.passwordSaltPosition = passwordSaltPosition
    }

    typealias CodingKeys = UserBodyKey

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        email = try c.decode(String.self, forKey: .email)
        firstName = try c.decodeIfPresent(String.self, forKey: .firstName)
        lastName = try c.decodeIfPresent(String.self, forKey: .lastName)
        emailVerified = try c.decodeIfPresent(Bool.self, forKey: .emailVerified)
        externalId = try c.decodeIfPresent(String.self, forKey: .externalId)
        metadata = try c.decodeIfPresent([String: String].self, forKey: .metadata)
        password = try c.decodeIfPresent(String.self, forKey: .password)
        passwordHash = try c.decodeIfPresent(String.self, forKey: .passwordHash)
        passwordHashType = try c.decodeIfPresent(String.self, forKey: .passwordHashType)
        passwordSaltPosition = try c.decodeIfPresent(String.self, forKey: .passwordSaltPosition)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(email, forKey: .email)
        try encodeSharedFields(into: &c)
    }
}

/// The JSON keys of a user body, the same for create and update.
enum UserBodyKey: String, CodingKey {
    case email, metadata, password
    case firstName = "first_name", lastName = "last_name", emailVerified = "email_verified"
    case externalId = "external_id", passwordHash = "password_hash"
    case passwordHashType = "password_hash_type", passwordSaltPosition = "password_salt_position"
}

/// The fields create and update share (all but the email), written one way: empty and nil values left out.
protocol UserBodyFields {
    var firstName: String? { get }
    var lastName: String? { get }
    var emailVerified: Bool? { get }
    var externalId: String? { get }
    var metadata: [String: String]? { get }
    var password: String? { get }
    var passwordHash: String? { get }
    var passwordHashType: String? { get }
    var passwordSaltPosition: String? { get }
}

extension UserBodyFields {
    func encodeSharedFields(into c: inout KeyedEncodingContainer<UserBodyKey>) throws {
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

extension KeyedEncodingContainer {
    /// Writes the string only when it is present and not empty.
    mutating func encodeIfNotEmpty(_ value: String?, forKey key: Key) throws {
        if let value, !value.isEmpty { try encode(value, forKey: key) }
    }
}
