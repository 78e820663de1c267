import Foundation
import Testing
import WorkOS
import WorkOSEmulator

/// `hashport reconcile`, `hashport undo` and `inspect --resets` as a user runs them, against an emulator in this
/// process; the import before them is the real binary too.
@Suite("hashport reconcile and undo (the binary)", .serialized)
struct ReconcileUndoCommandTests {
    typealias Fixture = ImportCommandTests.Fixture

    static func connection(_ f: Fixture) -> [String] {
        ["--state", f.state, "--base-url", f.baseURL]
    }

    static func reconcileArguments(_ f: Fixture, _ extra: [String] = []) -> [String] {
        ["reconcile", f.csv, f.json, "--tenants", f.tenants] + connection(f) + extra
    }

    @Test("reconcile: exit 0 after a clean import; a membership removed behind its back names the user, exit 1",
          .timeLimit(.minutes(10)))
    func reconcileFindsTheMissingMembership() async throws {
        try await ImportCommandTests.withFixture(latency: .zero) { f in
            try f.writeExport(users: 8)
            #expect(try await f.run(f.arguments()) == 0)
            #expect(try await f.run(Self.reconcileArguments(f)) == 0)
            #expect(f.output().stdout.contains("differences    0"))
            #expect(f.output().stdout.contains("users          8 in the export, 8 read back from WorkOS"))

            let snapshot = try await f.emulator.snapshot()
            let three = try #require(snapshot.user(email: "cmd3@example.com"))
            let membership = try #require(snapshot.memberships.first { $0.userId == three.user.id })
            let client = WorkOSClient(apiKey: try APIKey(ImportCommandTests.apiKey),
                                      configuration: WorkOSClientConfiguration(baseURL: f.baseURL))
            _ = try await client.deleteMembership(id: membership.id)
            try await client.shutdown()

            let report = f.dir + "/reconcile.json"
            #expect(try await f.run(Self.reconcileArguments(f, ["--report", report])) == 1)
            let stdout = f.output().stdout
            #expect(stdout.contains("row 4 cmd3@example.com: membership of "), "the user is named with its row")
            #expect(stdout.contains("differences    1 (1 user)"))
            let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: report))) as? [String: Any]
            let differences = try #require(json?["differences"] as? [[String: Any]])
            #expect(differences.count == 1)
            #expect(differences.first?["kind"] as? String == "membership_missing")
            #expect(differences.first?["email"] as? String == "cmd3@example.com")
            let mode = try FileManager.default.attributesOfItem(atPath: report)[.posixPermissions] as? Int
            #expect(mode == 0o600)
        }
    }

    @Test("undo: refuses without --yes and a terminal; with --yes leaves only what was there before", .timeLimit(.minutes(10)))
    func undoLeavesOnlyThePreSeeded() async throws {
        try await ImportCommandTests.withFixture(latency: .zero) { f in
            let client = WorkOSClient(apiKey: try APIKey(ImportCommandTests.apiKey),
                                      configuration: WorkOSClientConfiguration(baseURL: f.baseURL))
            let before = try await client.createUser(CreateUserRequest(email: "someone@else.example")).value
            let duplicate = try await client.createUser(CreateUserRequest(email: "cmd2@example.com")).value
            try await client.shutdown()
            try f.writeExport(users: 6)
            #expect(try await f.run(f.arguments()) == 0)
            #expect(try await f.emulator.snapshot().users.count == 7)

            #expect(try await f.run(["undo"] + Self.connection(f)) == 2)
            #expect(f.output().stdout.contains("hashport undo will DELETE from WorkOS at \(f.baseURL)"))
            #expect(f.output().stdout.contains("users          5"), "the pre-existing cmd2 is not the import's")
            #expect(f.output().stderr.contains("refusing to delete without a confirmation: rerun with --yes"))
            #expect(try await f.emulator.snapshot().users.count == 7, "nothing deleted")

            #expect(try await f.run(["undo", "--yes"] + Self.connection(f)) == 0)
            #expect(f.output().stdout.contains("Undo finished."))
            let snapshot = try await f.emulator.snapshot()
            #expect(Set(snapshot.users.map(\.user.id)) == [before.id, duplicate.id])
            #expect(snapshot.organizations.isEmpty && snapshot.memberships.isEmpty)

            #expect(try await f.run(["undo", "--yes"] + Self.connection(f)) == 0)
            #expect(f.output().stdout.contains("Nothing to undo."))
        }
    }

    @Test("inspect --resets lists who will need a password reset, without the hashes")
    func inspectWritesTheResetList() throws {
        let f = try CommandFixture()
        try f.write("users.csv", CommandFixture.supportCSV)
        let r = try f.run(["inspect", "users.csv", "--resets", "resets.csv"])
        #expect(r.status == 1)  // the fixture has rejected rows
        #expect(r.stdout.contains("Reset list: "))
        let text = try String(contentsOfFile: f.path("resets.csv"), encoding: .utf8)
        let lines = text.split(separator: "\n").map(String.init)
        #expect(lines.first == "email,workos_user_id,reason,code,row")
        #expect(lines.contains { $0.hasPrefix("nohash@example.com,,no_hash,") }, "\(lines)")
        #expect(!text.contains("$2a$") && !text.contains("pbkdf2_sha256$"))
        let mode = try FileManager.default.attributesOfItem(atPath: f.path("resets.csv"))[.posixPermissions] as? Int
        #expect(mode == 0o600)
    }
}
