/// Body of `POST /user_management/organization_memberships`. Give `roleSlug`, or `roleSlugs` when the
/// environment has Multiple Roles enabled — not both; neither means WorkOS's default role.
public struct CreateMembershipRequest: Codable, Sendable, Hashable {
    public var userId: String
    public var organizationId: String
    public var roleSlug: String?
    public var roleSlugs: [String]?

    public init(userId: String, organizationId: String, roleSlug: String? = nil, roleSlugs: [String]? = nil) {
        self.userId = userId; self.organizationId = organizationId; self.roleSlug = roleSlug
        self.roleSlugs = roleSlugs
    }

    enum CodingKeys: String, CodingKey {
        case userId = "user_id", organizationId = "organization_id"
        case roleSlug = "role_slug", roleSlugs = "role_slugs"
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(userId, forKey: .userId)
        try c.encode(organizationId, forKey: .organizationId)
        try c.encodeIfNotEmpty(roleSlug, forKey: .roleSlug)
        if let roleSlugs, !roleSlugs.isEmpty { try c.encode(roleSlugs, forKey: .roleSlugs) }
    }
}
