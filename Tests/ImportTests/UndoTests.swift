import Foundation
import Import
import Mapping
import Preflight
import Testing
import WorkOS
import WorkOSEmulator

@Suite("Undo against the emulator")
struct UndoTests {
    /// What was in WorkOS before the import: two unrelated users, one with the email of export user 4
    /// (the import finds it and gives it memberships), the organization of tenant B with one member.
    struct Seeded {
        var userIds: Set<String>
        var organizationId: String
        var membershipId: String
    }

    static func seed(_ h: ImportHarness) async throws -> Seeded {
        let client = try h.client()
        defer { Task { try? await client.shutdown() } }
        var ids: Set<String> = []
        for email in ["zoe@other.example", "yann@other.example", ImportHarness.expectedUser(4).email] {
            ids.insert(try await client.createUser(CreateUserRequest(email: email)).value.id)
        }
        let org = try await client.createOrganization(
            CreateOrganizationRequest(name: "Bravo (before)", externalId: ImportHarness.tenantB)).value
        let zoe = try #require(try await client.findUser(email: "zoe@other.example").value)
        let member = try await client.createMembership(CreateMembershipRequest(userId: zoe.id, organizationId: org.id))
        return Seeded(userIds: ids, organizationId: org.id, membershipId: member.value.id)
    }

    static func expectOnlySeeded(_ h: ImportHarness, _ seeded: Seeded,
                                 sourceLocation: Testing.SourceLocation = #_sourceLocation) async throws {
        let snapshot = try await h.emulator.snapshot()
        #expect(Set(snapshot.users.map(\.user.id)) == seeded.userIds, sourceLocation: sourceLocation)
        #expect(snapshot.organizations.map(\.id) == [seeded.organizationId], sourceLocation: sourceLocation)
        #expect(snapshot.memberships.map(\.id) == [seeded.membershipId], sourceLocation: sourceLocation)
    }

    static func undo(_ h: ImportHarness, state: String, stop: ImportStop = ImportStop(),
                     progress: @escaping @Sendable (Int) -> Void = { _ in }) async throws -> Undo.Result {
        let client = try h.client()
        defer { Task { try? await client.shutdown() } }
        let journal = try ImportJournal(path: state)
        return try await Undo(client: client, journal: journal, stop: stop, concurrency: 4).run(progress: progress)
    }

    @Test("undo after an import into a pre-seeded WorkOS leaves exactly what was there before")
    func onlyThePreSeededRemain() async throws {
        try await ImportHarness.with { h in
            let seeded = try await Self.seed(h)
            let paths = try h.writeExport(users: 12)
            let run = h.importRun(paths)
            let (_, report) = try await h.run(run)
            #expect(report.users.created == 11 && report.users.existing == 1)
            #expect(report.organizations.created == 1 && report.organizations.existing == 1)

            let memberships = (1...12).reduce(0) { $0 + ImportHarness.expectedUser($1).tenants.count }
            do {
                let client = try h.client()
                let preview = try await Undo(client: client, journal: try ImportJournal(path: run.statePath)).preview()
                try await client.shutdown()
                #expect(preview.users == 11 && preview.organizations == 1 && preview.memberships == memberships)
                #expect(preview.preview(baseURL: h.baseURL, statePath: run.statePath).contains("users          11"))
            }

            let result = try await Self.undo(h, state: run.statePath)
            #expect(result.ending == .finished)
            #expect(result.failures.isEmpty)
            #expect(result.deleted[.user] == 11 && result.deleted[.organization] == 1)
            #expect(result.deleted[.membership] == memberships)
            #expect(result.remaining.total == 0)
            try await Self.expectOnlySeeded(h, seeded)

            // Nothing left: a second undo deletes nothing; an import with the same state file makes it all again.
            let again = try await Self.undo(h, state: run.statePath)
            #expect(again.deleted.isEmpty && again.gone == 0)
            let (reimport, _) = try await h.run(run)
            #expect(reimport.ending == .finished)
            #expect(reimport.statistics.created == 11 && reimport.statistics.existing == 1)
            let snapshot = try await h.emulator.snapshot()
            #expect(snapshot.users.count == 14)
        }
    }

    @Test("an interrupted undo is finished by running it again; what WorkOS already lost counts as undone")
    func interruptedUndoResumes() async throws {
        try await ImportHarness.with { h in
            let seeded = try await Self.seed(h)
            let paths = try h.writeExport(users: 12)
            let run = h.importRun(paths)
            _ = try await h.run(run)
            // Someone deleted one imported user by hand meanwhile: undo finds it gone (404) and carries on.
            let client = try h.client()
            let three = try #require(try await h.emulator.snapshot().user(email: ImportHarness.expectedUser(3).email))
            _ = try await client.deleteUser(id: three.user.id)
            try await client.shutdown()

            let stop = ImportStop()
            let first = try await Self.undo(h, state: run.statePath, stop: stop) { done in
                if done >= 5 { stop.request(.interrupted) }
            }
            #expect(first.ending == .interrupted)
            #expect(first.remaining.total > 0)
            let second = try await Self.undo(h, state: run.statePath)
            #expect(second.ending == .finished)
            #expect(second.remaining.total == 0)
            #expect(first.gone + second.gone >= 1)
            try await Self.expectOnlySeeded(h, seeded)
        }
    }
}
