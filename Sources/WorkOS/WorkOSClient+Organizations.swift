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

    /// `GET /organizations/{id}`; nil when there is none (404).
    public func getOrganization(id: String) async throws -> WorkOSResponse<Organization?> {
        try await perform(Call(method: .GET, path: "/organizations/" + QueryString.escape(id)),
                          as: Organization.self, notFoundIsNil: true)
    }

    /// `DELETE /organizations/{id}` (its own limit: 50 per 60 s). False when it was already gone (404).
    public func deleteOrganization(id: String) async throws -> WorkOSResponse<Bool> {
        try await deleted(Call(method: .DELETE, path: "/organizations/" + QueryString.escape(id)))
    }

    /// `DELETE /user_management/organization_memberships/{id}`. False when it was already gone (404).
    public func deleteMembership(id: String) async throws -> WorkOSResponse<Bool> {
        try await deleted(Call(method: .DELETE,
                               path: "/user_management/organization_memberships/" + QueryString.escape(id)))
    }

    /// Every membership of a user, all pages.
    public func allMemberships(userId: String) async throws -> WorkOSResponse<[OrganizationMembership]> {
        var all: [OrganizationMembership] = []
        var after: String?
        var last: WorkOSResponse<ListResponse<OrganizationMembership>>
        repeat {
            last = try await listMemberships(userId: userId, after: after, limit: 100)
            all += last.value.data
            after = last.value.listMetadata.after
        } while after != nil
        return WorkOSResponse(value: all, requestId: last.requestId, attempts: last.attempts)
    }

    /// A delete: true when WorkOS deleted it, false when it was not there.
    func deleted(_ call: Call) async throws -> WorkOSResponse<Bool> {
        let answer = try await perform(call, as: NoContent.self, notFoundIsNil: true)
        return WorkOSResponse(value: answer.value != nil, requestId: answer.requestId, attempts: answer.attempts)
    }
}
