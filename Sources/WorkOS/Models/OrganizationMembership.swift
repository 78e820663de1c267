/// A WorkOS organization membership (`POST/GET /user_management/organization_memberships`).
public struct OrganizationMembership: Codable, Sendable, Hashable {
    public var object: String
    public var id: String
    public var userId: String
    public var organizationId: String
    public var organizationName: String?
    public var status: String
    public var role: RoleSlug
    /// Present when the environment has Multiple Roles enabled.
    public var roles: [RoleSlug]?
    public var createdAt: String
    public var updatedAt: String

    public init(id: String, userId: String, organizationId: String, organizationName: String? = nil,
                status: String = "active", role: RoleSlug, roles: [RoleSlug]? = nil,
                createdAt: String, updatedAt: String) {
        self.object = "organization_membership"; self.id = id; self.userId = userId
        self.organizationId = organizationId; self.organizationName = organizationName; self.status = status
        self.role = role; self.roles = roles; self.createdAt = createdAt; self.updatedAt = updatedAt
    }

    /// `{"slug": "member"}`
    public struct RoleSlug: Codable, Sendable, Hashable {
        public var slug: String
        public init(slug: String) { self.slug = slug }
    }

    enum CodingKeys: String, CodingKey {
        case object, id, status, role, roles
        case userId = "user_id", organizationId = "organization_id", organizationName = "organization_name"
        case createdAt = "created_at", updatedAt = "updated_at"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        object = try c.decodeIfPresent(String.self, forKey: .object) ?? "organization_membership"
        id = try c.decode(String.self, forKey: .id)
        userId = try c.decode(String.self, forKey: .userId)
        organizationId = try c.decode(String.self, forKey: .organizationId)
        organizationName = try c.decodeIfPresent(String.self, forKey: .organizationName)
        status = try c.decodeIfPresent(String.self, forKey: .status) ?? "active"
        role = try c.decodeIfPresent(RoleSlug.self, forKey: .role) ?? RoleSlug(slug: "member")
        roles = try c.decodeIfPresent([RoleSlug].self, forKey: .roles)
        createdAt = try c.decodeIfPresent(String.self, forKey: .createdAt) ?? ""
        updatedAt = try c.decodeIfPresent(String.self, forKey: .updatedAt) ?? ""
    }
}
