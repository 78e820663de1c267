import Foundation
import Import
import Mapping
import Preflight
import Testing
import WorkOS
import WorkOSEmulator

@Suite("Reconcile against the emulator")
struct ReconcileTests {
    static func reconcile(_ h: ImportHarness, _ run: ImportRun) async throws -> ReconcileReport {
        let client = try h.client()
        defer { Task { try? await client.shutdown() } }
        let journal = try ImportJournal(path: run.statePath)
        return try await Reconciler(client: client, journal: journal, concurrency: 4).run(input: try run.openInput())
    }

    @Test("after a clean import WorkOS matches: every user, organization and membership read back, no difference")
    func cleanImportMatches() async throws {
        try await ImportHarness.with { h in
            let paths = try h.writeExport(users: 12)
            let run = h.importRun(paths)
            _ = try await h.run(run)
            let report = try await Self.reconcile(h, run)
            #expect(report.matches)
            #expect(report.differences.isEmpty)
            #expect(report.users == 12 && report.usersChecked == 12 && report.notSent == 0)
            #expect(report.organizationsChecked == 2)
            #expect(report.membershipsChecked == (1...12).reduce(0) { $0 + ImportHarness.expectedUser($1).tenants.count })
            let reads = await h.emulator.statistics().requests
            #expect(reads > 12, "it really read WorkOS back")
        }
    }

    @Test("a membership removed, a name changed and a user deleted behind its back: each named with row and email")
    func changesBehindItsBack() async throws {
        try await ImportHarness.with { h in
            let paths = try h.writeExport(users: 12)
            let run = h.importRun(paths)
            _ = try await h.run(run)
            let client = try h.client()
            let snapshot = try await h.emulator.snapshot()
            let five = try #require(snapshot.user(email: "user5@harness.example"))
            let membership = try #require(snapshot.memberships.first { $0.userId == five.user.id })
            #expect(try await client.deleteMembership(id: membership.id).value)

            let report = try await Self.reconcile(h, run)
            #expect(!report.matches)
            #expect(report.differences.count == 1)
            let d = try #require(report.differences.first)
            #expect(d.kind == .membershipMissing)
            #expect(d.row == 6 && d.email == "user5@harness.example")  // user i is on line i + 1
            #expect(d.message.hasPrefix("row 6 user5@harness.example: membership of "))
            #expect(report.summary.contains("row 6 user5@harness.example"))

            let seven = try #require(snapshot.user(email: "user7@harness.example"))
            _ = try await client.updateUser(id: seven.user.id, UpdateUserRequest(firstName: "Someone", metadata: ["x": "1"]))
            let nine = try #require(snapshot.user(email: "user9@harness.example"))
            _ = try await client.deleteUser(id: nine.user.id)
            try await client.shutdown()

            let again = try await Self.reconcile(h, run)
            let kinds = again.differences.map { "\($0.row ?? 0) \($0.kind.rawValue) \($0.field ?? "")" }
            #expect(kinds == ["6 membership_missing ", "8 first_name ", "8 metadata x", "10 user_missing "])
            #expect(again.differences.first { $0.kind == .firstName }?.message
                    == "row 8 user7@harness.example: first_name is \"User\" in the export, \"Someone\" in WorkOS")
        }
    }

    @Test("rejected rows are not differences; a user the import failed is one")
    func notImportedIsADifference() async throws {
        try await ImportHarness.with { h in
            let paths = try h.writeExport(users: 4)
            var csv = try String(contentsOfFile: paths.csv, encoding: .utf8)
            csv += "U2harnessNoEmail,,\(ImportHarness.bcrypt)\n"
            try csv.write(toFile: paths.csv, atomically: true, encoding: .utf8)
            let run = h.importRun(paths)
            _ = try await h.run(run)
            var report = try await Self.reconcile(h, run)
            #expect(report.matches)
            #expect(report.notSent == 1)
            // A fifth user in the export that was never imported (the state file does not know it).
            try h.writeExport(users: 5)
            report = try await Self.reconcile(h, run)
            #expect(report.differences.map(\.kind) == [.notImported])
            #expect(report.differences.first?.email == "user5@harness.example")
            // An export without user 4: the state file and WorkOS still have it, and it is read back and named.
            try h.writeExport(users: 3)
            report = try await Self.reconcile(h, run)
            #expect(report.differences.map(\.kind) == [.notInExport])
            #expect(report.differences.first?.message.hasPrefix("row 5 user4@harness.example: in the state file and in WorkOS") == true)
            #expect(report.usersChecked == 4)
        }
    }
}
