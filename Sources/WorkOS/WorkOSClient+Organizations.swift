extension WorkOSClient {
    /// `POST /organizations`.
    public func createOrganization(_ body: CreateOrganizationRequest, idempotencyKey: String? = nil) async throws
        -> WorkOSResponse<Organization> {
        try await performRequired(Call(method: .POST, path: "/organizations", body: try encodeBody(body),
                                       idempotencyKey: self.idempotencyKey(idempotencyKey)), as: Organization.self)
    }

    /// `GET /organizations/external_id/{external_id}`; nil when none has it (404).
    public func getOrganizationByExternalId(_ externalId: String) async throws -> WorkOSResponse<Organization?> {
        try await perform(Call(method: .GET, path: "/organizations/external_id/" + QueryString.escape(externalId)),
                          as: Organization.self, notFoundIsNil: true)
    }

    /// `POST /user_management/organization_memberships`. An existing membership is a 400 `WorkOSError`
    /// with `isMembershipAlreadyExists`.
    public func createMembership(_ body: CreateMembershipRequest, idempotencyKey: String? = nil) async throws
        -> WorkOSResponse<OrganizationMembership> {
        try await performRequired(Call(method: .POST, path: "/user_management/organization_memberships",
                                       body: try encodeBody(body), idempotencyKey: self.idempotencyKey(idempotencyKey)),
                                  as: OrganizationMembership.self)
    }

    /// `GET /user_management/organization_memberships?user_id=&organization_id=`.
    public func listMemberships(userId: String? = nil, organizationId: String? = nil, after: String? = nil,
                                limit: Int? = nil) async throws -> WorkOSResponse<ListResponse<OrganizationMembership>> {
        var query: [(String, String)] = []
        if let userId { query.append(("user_id", userId)) }
        if let organizationId { query.append(("organization_id", organizationId)) }
        if let after { query.append(("after", after)) }
        if let limit { query.append(("limit", String(limit))) }
        return try await performRequired(Call(method: .GET, path: "/user_management/organization_memberships",
                                              query: query), as: ListResponse<OrganizationMembership>.self)
    }
}
