import Foundation
import Testing

/// `hashport inspect` as a user runs it: exact report contents and exit statuses.
@Suite struct InspectCommandTests {
    @Test func reportCountsEveryRowAndExitsOneWhenSomethingIsRefused() throws {
        let f = try CommandFixture()
        try f.write("users.csv", CommandFixture.supportCSV)
        let r = try f.run(["inspect", "users.csv", "--report", "report.json"])
        #expect(r.status == 1)
        let report = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: f.path("report.json")))) as? [String: Any])
        #expect(report["users"] as? Int == 9)
        // ready: U2 (argon2id), U8 (pbkdf2 600k); without password: U3 (30k iterations), U7 (no hash);
        // rejected: U1+U4 (same email), U5 (no email), U6 (disabled), U10 (unquoted argon2 → ragged row).
        #expect(report["outcomes"] as? [String: Int] == ["ready": 2, "ready_without_password": 2, "rejected": 5])
        #expect(report["by_family"] as? [String: [String: Int]] == [
            "bcrypt": ["total": 4, "importable": 4], "argon2": ["total": 1, "importable": 1],
            "pbkdf2": ["total": 2, "importable": 1],
        ])
        let problems = try #require(report["problems"] as? [[String: Any]])
        var byCode: [String: (Int, [Int])] = [:]
        for p in problems { byCode[p["code"] as! String] = (p["count"] as! Int, p["rows"] as! [Int]) }
        #expect(byCode["duplicate_email"]?.0 == 2 && byCode["duplicate_email"]?.1 == [2, 5])
        #expect(byCode["missing_email"]?.1 == [6])
        #expect(byCode["disabled_user"]?.1 == [7])
        #expect(byCode["ragged_row"]?.1 == [10])
        #expect(byCode["pbkdf2_iterations_out_of_range"]?.1 == [4])
        #expect(byCode["no_password_hash"]?.1 == [8])
        #expect(report["canaries"] as? [String: Any] != nil)
        #expect(report["duplicate_email_rows"] as? Int == 2)

        #expect(r.stdout.contains("9 users in users.csv"))
        #expect(r.stdout.contains("argon2id m=65536 t=2 p=1: 1 importable"))
        #expect(r.stdout.contains("pbkdf2 sha256 i=30000: 0 importable, 1 refused"))
        #expect(r.stdout.contains("error duplicate_email: 2 (rows 2, 5)"))
        // Never a hash on the terminal.
        #expect(!r.stdout.contains("$2a$10$k87L") && !r.stdout.contains("c29tZXNhbHQ$CTFh") && !r.stderr.contains("$2a$"))
        let mode = try FileManager.default.attributesOfItem(atPath: f.path("report.json"))[.posixPermissions] as? Int
        #expect(mode == 0o600)
    }

    @Test func cleanExportExitsZero() throws {
        let f = try CommandFixture()
        try f.write("clean.csv", """
        user_id,email,password_hash
        U1,ada@example.com,$2a$10$k87L/MF28Q673VKh8/cPi.SUl7MU/rWuSiIDDFayrKk/1tBsSQu4u

        """)
        let r = try f.run(["inspect", "clean.csv"])
        #expect(r.status == 0)
        #expect(r.stdout.contains("ready (with password)      1"))
        #expect(r.stdout.contains("bcrypt 2a cost=10: 1 importable"))
    }

    @Test func canariesPassAndFailWithReasonsAndNeverShowPasswords() throws {
        let f = try CommandFixture()
        try f.write("users.csv", CommandFixture.supportCSV)
        // ada: rejected as a duplicate but its WorkOS string still verifies; grace: argon2id "password";
        // alan: refused hash, nothing to verify; ghost: not in the export; grace again with a wrong password.
        try f.write("canaries.csv", "email,password\nada@example.com,a\ngrace@example.com,password\nalan@example.com,lètmein\nghost@example.com,x\nGRACE@example.com,hunter22\n")
        let r = try f.run(["inspect", "users.csv", "--canaries", "canaries.csv", "--report", "r.json"])
        #expect(r.status == 1)
        let report = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: f.path("r.json")))) as? [String: Any])
        let canaries = try #require(report["canaries"] as? [String: Any])
        #expect(canaries["passed"] as? Int == 2)
        #expect(canaries["failed"] as? Int == 3)
        let results = try #require(canaries["results"] as? [[String: Any]])
        #expect(results.map { $0["passed"] as? Bool } == [true, true, false, false, false])
        #expect(results.map { $0["row"] as? Int } == [2, 3, 4, nil, 3])
        #expect((results[3]["message"] as? String)?.contains("no user with this email") == true)
        #expect(r.stdout.contains("Canaries: 2 passed, 3 failed"))
        for secret in ["hunter22", "lètmein"] { #expect(!r.stdout.contains(secret) && !r.stderr.contains(secret)) }
    }

    @Test func usageAndUnreadableInputExitTwo() throws {
        let f = try CommandFixture()
        var r = try f.run(["inspect", "missing.csv"])
        #expect(r.status == 2)
        #expect(r.stderr.contains("missing.csv"))
        try f.write("users.csv", CommandFixture.supportCSV)
        r = try f.run(["inspect", "users.csv", "--salt-encoding", "rot13"])
        #expect(r.status == 2)
        #expect(r.stderr.contains("--salt-encoding rot13"))
        r = try f.run(["inspect", "users.csv", "--map", "nonsense=email"])
        #expect(r.status == 2)
        r = try f.run(["inspect", "users.csv", "--canaries", "missing-canaries.csv"])
        #expect(r.status == 2)
    }

    @Test func includeDisabledImportsTheDisabledUser() throws {
        let f = try CommandFixture()
        try f.write("users.csv", CommandFixture.supportCSV)
        let r = try f.run(["inspect", "users.csv", "--include-disabled", "--report", "r.json"])
        let report = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: f.path("r.json")))) as? [String: Any])
        #expect(report["outcomes"] as? [String: Int] == ["ready": 3, "ready_without_password": 2, "rejected": 4])
        #expect(r.status == 1)
    }
}
