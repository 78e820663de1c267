import Foundation
import Testing

/// `hashport convert` as a user runs it: the output parsed back, file mode, exit statuses.
@Suite struct ConvertCommandTests {
    func records(_ path: String) throws -> [[String: Any]] {
        try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map {
            try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
        }
    }

    @Test func jsonlHasOneRecordPerRowWithItsOutcome() throws {
        let f = try CommandFixture()
        try f.write("users.csv", CommandFixture.supportCSV)
        let r = try f.run(["convert", "users.csv", "-o", "out.jsonl"])
        #expect(r.status == 1)
        let out = try records(f.path("out.jsonl"))
        #expect(out.map { $0["row"] as? Int } == [2, 3, 4, 5, 6, 7, 8, 9, 10])
        #expect(out.map { $0["status"] as? String } == ["rejected", "ready", "ready_without_password", "rejected", "rejected",
                                                        "rejected", "ready_without_password", "ready", "rejected"])
        #expect(out.map { $0["source_user_id"] as? String } == ["U1", "U2", "U3", "U4", "U5", "U6", "U7", "U8", nil])
        let grace = try #require(out[1]["user"] as? [String: Any])
        #expect(grace["email"] as? String == "grace@example.com")
        #expect(grace["first_name"] as? String == "Grace" && grace["last_name"] as? String == "Hopper")
        #expect(grace["email_verified"] as? Bool == true)
        #expect(grace["external_id"] as? String == "U2")
        #expect(grace["password_hash_type"] as? String == "argon2")
        #expect(grace["password_hash"] as? String == "$argon2id$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc")
        #expect(grace["metadata"] as? [String: String] == ["descope_status": "enabled"])
        let django = try #require(out[7]["user"] as? [String: Any])
        // Django's salt is the text's bytes: "pepperedsalt" → base64 "cGVwcGVyZWRzYWx0"; digest unpadded.
        #expect(django["password_hash"] as? String == "$pbkdf2$i=600000,d=sha256$cGVwcGVyZWRzYWx0$uIPM0isJMTzzEqeI35Wxp9cKeo5KsV4DWxCZMrnxJ/g")
        let dupProblems = try #require(out[0]["problems"] as? [[String: Any]])
        #expect(dupProblems.first?["code"] as? String == "duplicate_email")
        #expect((dupProblems.first?["message"] as? String)?.contains("row 5") == true)
        #expect((out[8]["problems"] as? [[String: Any]])?.first?["code"] as? String == "ragged_row")
        let mode = try FileManager.default.attributesOfItem(atPath: f.path("out.jsonl"))[.posixPermissions] as? Int
        #expect(mode == 0o600)
        #expect(!r.stdout.contains("$2a$") && !r.stderr.contains("$2a$"))
    }

    @Test func csvCarriesTheImportableRowsInTheMigrationsCLIColumns() throws {
        let f = try CommandFixture()
        try f.write("users.csv", CommandFixture.supportCSV)
        let r = try f.run(["convert", "users.csv", "-o", "out.csv"])
        #expect(r.status == 1)
        let lines = try String(contentsOfFile: f.path("out.csv"), encoding: .utf8).split(separator: "\n")
        #expect(lines.first == "email,first_name,last_name,email_verified,password_hash,password_hash_type,external_id,metadata,org_external_id,role_slugs")
        #expect(lines.dropFirst().map { $0.split(separator: ",").first.map(String.init) } ==
                ["grace@example.com", "alan@example.com", "nohash@example.com", "django@example.com"])
        #expect(lines[3].hasPrefix("nohash@example.com,No,Hash,true,,,U7,"))
        let mode = try FileManager.default.attributesOfItem(atPath: f.path("out.csv"))[.posixPermissions] as? Int
        #expect(mode == 0o600)
    }

    @Test func cleanExportExitsZeroAndBadFlagsExitTwo() throws {
        let f = try CommandFixture()
        try f.write("clean.csv", "user_id,email,password_hash\nU1,ada@example.com,$2a$10$k87L/MF28Q673VKh8/cPi.SUl7MU/rWuSiIDDFayrKk/1tBsSQu4u\n")
        #expect(try f.run(["convert", "clean.csv", "-o", "ok.jsonl"]).status == 0)
        #expect(try f.run(["convert", "clean.csv", "-o", "x.out", "--format", "xml"]).status == 2)
        #expect(try f.run(["convert", "nope.csv", "-o", "y.jsonl"]).status == 2)
        #expect(try f.run(["convert", "clean.csv", "-o", "/nonexistent-dir/z.jsonl"]).status == 2)
    }
}
