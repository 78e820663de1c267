/// A WorkOS user as `GET/POST/PUT /user_management/users` return it.
public struct User: Codable, Sendable, Hashable {
    public var object: String
    public var id: String
    public var email: String
    public var firstName: String?
    public var lastName: String?
    public var emailVerified: Bool
    public var externalId: String?
    public var metadata: [String: String]
    public var profilePictureUrl: String?
    public var lastSignInAt: String?
    public var createdAt: String
    public var updatedAt: String

    public init(id: String, email: String, firstName: String? = nil, lastName: String? = nil,
                emailVerified: Bool = false, externalId: String? = nil, metadata: [String: String] = [:],
                profilePictureUrl: String? = nil, lastSignInAt: String? = nil,
                createdAt: String, updatedAt: String) {
        self.object = "user"; self.id = id; self.email = email; self.firstName = firstName
        self.lastName = lastName; self.emailVerified = emailVerified; self.externalId = externalId
        self.metadata = metadata; self.profilePictureUrl = profilePictureUrl
        self.lastSignInAt = lastSignInAt; self.createdAt = createdAt; self.updatedAt = updatedAt
    }

    enum CodingKeys: String, CodingKey {
        case object, id, email, metadata
        case firstName = "first_name", lastName = "last_name", emailVerified = "email_verified"
        case externalId = "external_id", profilePictureUrl = "profile_picture_url"
        case lastSignInAt = "last_sign_in_at", createdAt = "created_at", updatedAt = "updated_at"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        object = try c.decodeIfPresent(String.self, forKey: .object) ?? "user"
        id = try c.decode(String.self, forKey: .id)
        email = try c.decode(String.self, forKey: .email)
        firstName = try c.decodeIfPresent(String.self, forKey: .firstName)
        lastName = try c.decodeIfPresent(String.self, forKey: .lastName)
        emailVerified = try c.decodeIfPresent(Bool.self, forKey: .emailVerified) ?? false
        externalId = try c.decodeIfPresent(String.self, forKey: .externalId)
        metadata = try c.decodeIfPresent([String: String].self, forKey: .metadata) ?? [:]
        profilePictureUrl = try c.decodeIfPresent(String.self, forKey: .profilePictureUrl)
        lastSignInAt = try c.decodeIfPresent(String.self, forKey: .lastSignInAt)
        createdAt = try c.decodeIfPresent(String.self, forKey: .createdAt) ?? ""
        updatedAt = try c.decodeIfPresent(String.self, forKey: .updatedAt) ?? ""
    }

    // Nulls are written out, as WorkOS does, so a reader sees every field.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(object, forKey: .object)
        try c.encode(id, forKey: .id)
        try c.encode(email, forKey: .email)
        try c.encode(firstName, forKey: .firstName)
        try c.encode(lastName, forKey: .lastName)
        try c.encode(emailVerified, forKey: .emailVerified)
        try c.encode(externalId, forKey: .externalId)
        try c.encode(metadata, forKey: .metadata)
        try c.encode(profilePictureUrl, forKey: .profilePictureUrl)
        try c.encode(lastSignInAt, forKey: .lastSignInAt)
        try c.encode(createdAt, forKey: .createdAt)
        try c.encode(updatedAt, forKey: .updatedAt)
    }
}
