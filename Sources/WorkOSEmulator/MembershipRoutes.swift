import GRDB
import Hummingbird
import WorkOS

/// `/user_management/organization_memberships`: create, delete, and list by user and/or organization.
struct MembershipRoutes {
    let api: EmulatorAPI

    func register(on router: Router<EmulatorContext>) {
        let api = self.api
        router.post("/user_management/organization_memberships") { request, context in
            try await api.handle(request, context, kind: .write(limited: true)) { try await create($0) }
        }
        router.delete("/user_management/organization_memberships/:id") { request, context in
            try await api.handle(request, context, kind: .write(limited: true), parameterNames: ["id"]) { incoming in
                let id = incoming.parameters["id"] ?? ""
                return try await api.write(incoming) { db in
                    try MembershipTable.delete(db, id: id) ? .accepted : .notFound("OrganizationMembership", id: id)
                }
            }
        }
        router.get("/user_management/organization_memberships") { request, context in
            try await api.handle(request, context, kind: .read) { incoming in
                let q = incoming.query
                let userId = q["user_id"].flatMap { $0.isEmpty ? nil : $0 }
                let organizationId = q["organization_id"].flatMap { $0.isEmpty ? nil : $0 }
                guard userId != nil || organizationId != nil else {
                    return .invalid(field: "user_id", code: "user_id_or_organization_id_required",
                                    message: "Give user_id or organization_id.")
                }
                let page = try PageRequest.parse(limit: q["limit"], after: q["after"], before: q["before"],
                                                 order: q["order"]).get()
                return try await api.store.read { db in
                    return .json(200, try MembershipTable.list(db, userId: userId, organizationId: organizationId,
                                                               page: page))
                }
            }
        }
    }

    private func create(_ incoming: EmulatorAPI.Incoming) async throws -> APIReply {
        let body = try BodyDecoding.decode(CreateMembershipRequest.self, from: incoming.body).get()
        let roleSlug = body.roleSlug.flatMap { $0.isEmpty ? nil : $0 }
        if roleSlug != nil && body.roleSlugs != nil {
            return .invalid(field: "role_slugs", code: "role_slug_and_role_slugs_provided",
                            message: "Give role_slug or role_slugs, not both.")
        }
        let multipleRoles = body.roleSlugs != nil
        let slugs = body.roleSlugs ?? [roleSlug ?? "member"]
        if slugs.isEmpty {
            return .invalid(field: "role_slugs", code: "role_slugs_empty", message: "role_slugs is empty.")
        }
        if let roles = api.configuration.roles, let unknown = slugs.first(where: { !roles.contains($0) }) {
            return .error(422, code: "invalid_role", message: "Role '\(unknown)' does not exist in this environment.")
        }
        return try await api.write(incoming) { db in
            guard try UserTable.find(db, id: body.userId) != nil else {
                throw Refusal(.notFound("User", id: body.userId))
            }
            guard let organization = try OrganizationTable.find(db, id: body.organizationId) else {
                throw Refusal(.notFound("Organization", id: body.organizationId))
            }
            if try MembershipTable.find(db, userId: body.userId, organizationId: body.organizationId) != nil {
                throw Refusal(.error(400, code: "organization_membership_already_exists",
                                     message: "The user is already a member of this organization."))
            }
            let now = Timestamp.now()
            let membership = OrganizationMembership(
                id: ObjectID.make("om"), userId: body.userId, organizationId: body.organizationId,
                organizationName: organization.name, status: "active", role: .init(slug: slugs[0]),
                roles: multipleRoles ? slugs.map(OrganizationMembership.RoleSlug.init(slug:)) : nil,
                createdAt: now, updatedAt: now)
            try MembershipTable.insert(db, membership, slugs: slugs, multipleRoles: multipleRoles)
            return .json(201, membership)
        }
    }
}
