/// Body of `POST /organizations`.
public struct CreateOrganizationRequest: Codable, Sendable, Hashable {
    public var name: String
    public var externalId: String?
    public var domainData: [DomainData]?
    public var metadata: [String: String]?

    public init(name: String, externalId: String? = nil, domainData: [DomainData]? = nil,
                metadata: [String: String]? = nil) {
        self.name = name; self.externalId = externalId; self.domainData = domainData; self.metadata = metadata
    }

    /// One entry of `domain_data`: `state` is `verified` or `pending`.
    public struct DomainData: Codable, Sendable, Hashable {
        public var domain: String
        public var state: String
        public init(domain: String, state: String = "pending") { self.domain = domain; self.state = state }
    }

    enum CodingKeys: String, CodingKey {
        case name, metadata
        case externalId = "external_id", domainData = "domain_data"
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(name, forKey: .name)
        try c.encodeIfNotEmpty(externalId, forKey: .externalId)
        if let domainData, !domainData.isEmpty { try c.encode(domainData, forKey: .domainData) }
        if let metadata, !metadata.isEmpty { try c.encode(metadata, forKey: .metadata) }
    }
}
