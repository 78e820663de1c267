import Foundation
import Import
import Mapping
import Preflight
import Testing
import WorkOS
import WorkOSEmulator

@Suite("The reset list (--resets)")
struct ResetListTests {
    @Test("import lists who WorkOS holds without the old password, with their WorkOS ids; inspect lists them before")
    func resetList() async throws {
        try await ImportHarness.with { h in
            let paths = try h.writeExport(users: 6)
            // User 2 loses its hash (Descope says it has a password: password_hash_missing), user 5 gets one WorkOS
            // refuses (md5); user 6 already exists in WorkOS.
            var lines = try String(contentsOfFile: paths.csv, encoding: .utf8).split(separator: "\n").map(String.init)
            lines[2] = "U2harness000002,user2@harness.example,"
            lines[5] = "U2harness000005,user5@harness.example,5f4dcc3b5aa765d61d8327deb882cf99"
            try (lines.joined(separator: "\n") + "\n").write(toFile: paths.csv, atomically: true, encoding: .utf8)
            let client = try h.client()
            _ = try await client.createUser(CreateUserRequest(email: "user6@harness.example"))
            try await client.shutdown()

            let run = h.importRun(paths, resets: "resets.csv")
            let (_, report) = try await h.run(run)
            #expect(report.resets == 3)
            let text = try String(contentsOfFile: h.directory + "/resets.csv", encoding: .utf8)
            let rows = text.split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
            #expect(rows.first == ["email", "workos_user_id", "reason", "code", "row"])
            let snapshot = try await h.emulator.snapshot()
            let byEmail = Dictionary(uniqueKeysWithValues: rows.dropFirst().map { ($0[0], $0) })
            #expect(Set(byEmail.keys) == ["user2@harness.example", "user5@harness.example", "user6@harness.example"])
            for (email, row) in byEmail {
                #expect(row[1] == snapshot.user(email: email)?.user.id, "the WorkOS id of \(email)")
            }
            #expect(byEmail["user2@harness.example"]?[2] == "no_hash")
            #expect(byEmail["user5@harness.example"]?[2] == "refused_hash")
            #expect(byEmail["user6@harness.example"]?[2...3] == ["hash_not_set", "existing_user"])
            #expect(byEmail["user5@harness.example"]?[4] == "6")
            #expect(!text.contains("5f4dcc3b"), "no hash in the list")
            let mode = try FileManager.default.attributesOfItem(atPath: h.directory + "/resets.csv")[.posixPermissions] as? Int
            #expect(mode == 0o600)

            // Before any import (`inspect --resets`): the same users the mapping takes without a password, no ids.
            let count = try ResetListWriter.write(try run.openInput(), to: h.directory + "/before.csv")
            #expect(count == 2)
            let before = try String(contentsOfFile: h.directory + "/before.csv", encoding: .utf8)
            #expect(before == ResetListWriter.header
                    + "user2@harness.example,,no_hash,password_hash_missing,3\nuser5@harness.example,,refused_hash,\(byEmail["user5@harness.example"]?[3] ?? "?"),6\n")
        }
    }
}
