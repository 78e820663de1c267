import Foundation
import Testing
import WorkOS
import WorkOSEmulator

@Suite struct DeleteAndSeedTests {
    @Test func deletesRemoveWhatTheyNameAndAnswer404After() async throws {
        try await withEmulator { emulator, client in
            let ada = try await client.createUser(CreateUserRequest(email: "ada@example.com")).value
            let bob = try await client.createUser(CreateUserRequest(email: "bob@example.com")).value
            let org = try await client.createOrganization(CreateOrganizationRequest(name: "Acme", externalId: "T1")).value
            let other = try await client.createOrganization(CreateOrganizationRequest(name: "Other", externalId: "T2")).value
            let m1 = try await client.createMembership(CreateMembershipRequest(userId: ada.id, organizationId: org.id)).value
            _ = try await client.createMembership(CreateMembershipRequest(userId: bob.id, organizationId: org.id))
            _ = try await client.createMembership(CreateMembershipRequest(userId: bob.id, organizationId: other.id))

            #expect(try await client.allMemberships(userId: bob.id).value.count == 2)
            #expect(try await client.deleteMembership(id: m1.id).value == true)
            #expect(try await client.deleteMembership(id: m1.id).value == false, "already gone: 404")
            #expect(try await client.allMemberships(userId: ada.id).value.isEmpty)

            // A user goes with its memberships; an organization with the memberships still in it.
            #expect(try await client.deleteUser(id: bob.id).value == true)
            #expect(try await client.findUser(id: bob.id).value == nil)
            #expect(try await client.deleteOrganization(id: other.id).value == true)
            #expect(try await client.getOrganization(id: other.id).value == nil)
            #expect(try await client.deleteUser(id: bob.id).value == false)

            let snapshot = try await emulator.snapshot()
            #expect(snapshot.users.map(\.user.email) == ["ada@example.com"])
            #expect(snapshot.organizations.map(\.name) == ["Acme"])
            #expect(snapshot.memberships.isEmpty)
        }
    }

    @Test func userAndMembershipDeletesAreLimitedWrites() async throws {
        try await withEmulator(EmulatorConfiguration(rateLimit: 2, rateLimitWindow: .seconds(30)),
                               client: fastClient(maxAttempts: 1)) { _, client in
            let a = try await client.createUser(CreateUserRequest(email: "a@example.com")).value
            _ = try await client.deleteUser(id: a.id)
            let error = await workOSError { _ = try await client.deleteUser(id: "user_nope") }
            #expect(error?.status == 429)
        }
    }

    @Test func injectedFaultsFollowTheSeed() async throws {
        func faults(seed: UInt64) async throws -> [Bool] {
            try await withEmulator(EmulatorConfiguration(failRate: 0.5, seed: seed), client: fastClient(maxAttempts: 1)) { _, client in
                var out: [Bool] = []
                for _ in 0..<40 {  // one at a time, so the draws are in a fixed order
                    do { _ = try await client.listUsers(); out.append(false) } catch { out.append(true) }
                }
                return out
            }
        }
        let first = try await faults(seed: 42)
        let again = try await faults(seed: 42)
        let other = try await faults(seed: 43)
        #expect(first == again)
        #expect(first != other)  // equal by chance with probability 2^-40
        #expect(first.contains(true) && first.contains(false))
    }
}
