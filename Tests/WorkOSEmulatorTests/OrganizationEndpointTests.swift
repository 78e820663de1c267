import Testing
import WorkOS
import WorkOSEmulator

@Suite struct OrganizationEndpointTests {
    @Test func organizationsAndMemberships() async throws {
        try await withEmulator { emulator, client in
            let org = try await client.createOrganization(CreateOrganizationRequest(
                name: "Acme", externalId: "T1", domainData: [.init(domain: "acme.com", state: "verified")])).value
            #expect(org.id.hasPrefix("org_"))
            #expect(org.domains.map(\.domain) == ["acme.com"])
            let foundId = try await client.getOrganizationByExternalId("T1").value?.id
            #expect(foundId == org.id)
            let missing = try await client.getOrganizationByExternalId("T404").value
            #expect(missing == nil)
            let duplicate = await workOSError {
                _ = try await client.createOrganization(CreateOrganizationRequest(name: "Acme 2", externalId: "T1"))
            }
            #expect(duplicate?.isExternalIdAlreadyUsed == true)

            let user = try await client.createUser(CreateUserRequest(email: "m@acme.com")).value
            let membership = try await client.createMembership(CreateMembershipRequest(
                userId: user.id, organizationId: org.id, roleSlug: "admin")).value
            #expect(membership.role.slug == "admin")
            #expect(membership.organizationName == "Acme")
            let again = await workOSError {
                _ = try await client.createMembership(CreateMembershipRequest(userId: user.id, organizationId: org.id))
            }
            #expect(again?.isMembershipAlreadyExists == true)
            #expect(again?.status == 400)

            let byUser = try await client.listMemberships(userId: user.id).value
            #expect(byUser.data.map(\.id) == [membership.id])
            let byOrg = try await client.listMemberships(organizationId: org.id).value
            #expect(byOrg.data.map(\.userId) == [user.id])

            let unknownUser = await workOSError {
                _ = try await client.createMembership(CreateMembershipRequest(userId: "user_nope", organizationId: org.id))
            }
            #expect(unknownUser?.status == 404)

            let snapshot = try await emulator.snapshot()
            #expect(snapshot.organizations.count == 1)
            #expect(snapshot.memberships.count == 1)
        }
    }

    @Test func multipleRolesAndUnknownRoles() async throws {
        try await withEmulator(EmulatorConfiguration(roles: ["member", "admin", "billing"])) { _, client in
            let org = try await client.createOrganization(CreateOrganizationRequest(name: "Roles Inc")).value
            let user = try await client.createUser(CreateUserRequest(email: "r@roles.com")).value
            let membership = try await client.createMembership(CreateMembershipRequest(
                userId: user.id, organizationId: org.id, roleSlugs: ["admin", "billing"])).value
            #expect(membership.roles?.map(\.slug) == ["admin", "billing"])
            let other = try await client.createUser(CreateUserRequest(email: "s@roles.com")).value
            let invalid = await workOSError {
                _ = try await client.createMembership(CreateMembershipRequest(
                    userId: other.id, organizationId: org.id, roleSlug: "owner"))
            }
            #expect(invalid?.status == 422)
            #expect(invalid?.code == "invalid_role")
        }
    }
}
