import DescopeExport
import Foundation
@testable import Mapping
@testable import Preflight
import PasswordHashes
import Testing

@Suite struct ConvertWriterTests {
    static func temp(_ name: String) -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("convert-\(UUID().uuidString)-\(name)").path
    }

    static func sampleUsers() -> (users: [DescopeUser], mapper: UserMapper) {
        var ada = DescopeUser(source: SourceLocation(file: "u.csv", line: 2))
        ada.userId = "U1"; ada.email = "ada@example.com"; ada.givenName = "Ada"; ada.familyName = "Love\"lace"
        ada.verifiedEmail = true; ada.status = "enabled"
        ada.hash.hash = TestHashes.argon2id
        ada.tenants = [DescopeUserTenant(tenantId: "T1", roleNames: ["Admin"]), DescopeUserTenant(tenantId: "T2")]
        ada.customAttributes = [CustomAttribute(key: "plan", value: .string("pro, yearly"))]
        var bob = DescopeUser(source: SourceLocation(file: "u.csv", line: 3))
        bob.userId = "U2"; bob.email = "bob@example.com"; bob.oauthProviders = ["google"]
        var nobody = DescopeUser(source: SourceLocation(file: "u.csv", line: 4))
        nobody.userId = "U3"
        let mapper = UserMapper(options: MappingOptions(roleMap: RoleMap(["Admin": "admin"])))
        return ([ada, bob, nobody], mapper)
    }

    @Test func jsonlParsesBackToTheMappedUsers() throws {
        let path = Self.temp("out.jsonl")
        let writer = try ConvertWriter(path: path)
        let (users, mapper) = Self.sampleUsers()
        for u in users { try writer.write(u, mapper: mapper) }
        try writer.finish()
        let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 3)
        let records = try lines.map { try JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any] }

        let ada = records[0]
        #expect(Set(ada.keys) == ["row", "source_user_id", "status", "user", "memberships", "problems"])
        #expect(ada["row"] as? Int == 2)
        #expect(ada["source_user_id"] as? String == "U1")
        #expect(ada["status"] as? String == "ready")
        let body = try #require(ada["user"] as? [String: Any])
        #expect(body["email"] as? String == "ada@example.com")
        #expect(body["first_name"] as? String == "Ada")
        #expect(body["last_name"] as? String == "Love\"lace")
        #expect(body["email_verified"] as? Bool == true)
        #expect(body["external_id"] as? String == "U1")
        #expect(body["password_hash_type"] as? String == "argon2")
        #expect(body["password_hash"] as? String == TestHashes.argon2id)
        #expect(body["metadata"] as? [String: String] == ["descope_status": "enabled", "plan": "pro, yearly"])
        #expect(body["password"] == nil)
        let memberships = try #require(ada["memberships"] as? [[String: Any]])
        #expect(memberships.map { $0["tenant_id"] as? String } == ["T1", "T2"])
        #expect(memberships.map { $0["role_slugs"] as? [String] } == [["admin"], ["member"]])

        let bob = records[1]
        #expect(bob["status"] as? String == "ready_without_password")
        let bobBody = try #require(bob["user"] as? [String: Any])
        #expect(bobBody["password_hash"] == nil && bobBody["first_name"] == nil && bobBody["email_verified"] == nil)
        let problems = try #require(bob["problems"] as? [[String: Any]])
        #expect(problems.map { $0["code"] as? String } == ["login_social", "passwordless_user"])

        #expect(records[2]["status"] as? String == "rejected")
        #expect((records[2]["problems"] as? [[String: Any]])?.first?["code"] as? String == "missing_email")
    }

    @Test func csvHasTheMigrationsCLIColumnsAndOneLinePerMembership() throws {
        let path = Self.temp("out.csv")
        let writer = try ConvertWriter(path: path)
        #expect(writer.format == .csv)
        let (users, mapper) = Self.sampleUsers()
        for u in users { try writer.write(u, mapper: mapper) }
        try writer.finish()
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines[0] == "email,first_name,last_name,email_verified,password_hash,password_hash_type,external_id,metadata,org_external_id,role_slugs")
        let metadata = #""{""descope_status"":""enabled"",""plan"":""pro, yearly""}""#
        #expect(lines[1] == #"ada@example.com,Ada,"Love""lace",true,"\#(TestHashes.argon2id)",argon2,U1,\#(metadata),T1,admin"#)
        #expect(lines[2] == #"ada@example.com,Ada,"Love""lace",true,"\#(TestHashes.argon2id)",argon2,U1,\#(metadata),T2,member"#)
        #expect(lines[3] == "bob@example.com,,,,,,U2,,,")
        #expect(lines.count == 5 && lines[4].isEmpty)  // the rejected row is not in the import CSV
    }

    @Test func outputFilesAreCreated0600AndWorldReadableOnesRefused() throws {
        let path = Self.temp("mode.jsonl")
        let old = umask(0)
        defer { umask(old) }
        let writer = try ConvertWriter(path: path)
        try writer.finish()
        let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
        #expect(mode == 0o600)

        let readable = Self.temp("readable.jsonl")
        _ = FileManager.default.createFile(atPath: readable, contents: Data(), attributes: [.posixPermissions: 0o644])
        #expect(throws: OutputFile.OpenError.self) { _ = try ConvertWriter(path: readable) }
    }
}
