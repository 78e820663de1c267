/// A WorkOS organization (`POST /organizations`, `GET /organizations/external_id/{id}`).
public struct Organization: Codable, Sendable, Hashable {
    public var object: String
    public var id: String
    public var name: String
    public var externalId: String?
    public var domains: [OrganizationDomain]
    public var metadata: [String: String]
    public var createdAt: String
    public var updatedAt: String

    public init(id: String, name: String, externalId: String? = nil, domains: [OrganizationDomain] = [],
                metadata: [String: String] = [:], createdAt: String, updatedAt: String) {
        self.object = "organization"; self.id = id; self.name = name; self.externalId = externalId
        self.domains = domains; self.metadata = metadata; self.createdAt = createdAt; self.updatedAt = updatedAt
    }

    enum CodingKeys: String, CodingKey {
        case object, id, name, domains, metadata
        case externalId = "external_id", createdAt = "created_at", updatedAt = "updated_at"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        object = try c.decodeIfPresent(String.self, forKey: .object) ?? "organization"
        id = try c.decode(String.self, forKey: .id)
        name = try c.decode(String.self, forKey: .name)
        externalId = try c.decodeIfPresent(String.self, forKey: .externalId)
        domains = try c.decodeIfPresent([OrganizationDomain].self, forKey: .domains) ?? []
        metadata = try c.decodeIfPresent([String: String].self, forKey: .metadata) ?? [:]
        createdAt = try c.decodeIfPresent(String.self, forKey: .createdAt) ?? ""
        updatedAt = try c.decodeIfPresent(String.self, forKey: .updatedAt) ?? ""
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(object, forKey: .object)
        try c.encode(id, forKey: .id)
        try c.encode(name, forKey: .name)
        try c.encode(externalId, forKey: .externalId)
        try c.encode(domains, forKey: .domains)
        try c.encode(metadata, forKey: .metadata)
        try c.encode(createdAt, forKey: .createdAt)
        try c.encode(updatedAt, forKey: .updatedAt)
    }
}

/// A domain of an organization as WorkOS returns it.
public struct OrganizationDomain: Codable, Sendable, Hashable {
    public var id: String?
    public var domain: String
    public var state: String?

    public init(id: String? = nil, domain: String, state: String? = nil) {
        self.id = id; self.domain = domain; self.state = state
    }
}
