import DescopeExport
import Foundation
@testable import Mapping
@testable import Preflight
import Testing

/// Canaries: each known password is verified against the WorkOS string read back, on the C libraries.
@Suite struct CanaryCheckTests {
    // PBKDF2-SHA256, 600,000 iterations, made with Python's hashlib for password "correct horse".
    static let django = "pbkdf2_sha256$600000$pepperedsalt$uIPM0isJMTzzEqeI35Wxp9cKeo5KsV4DWxCZMrnxJ/g="

    static func users() -> [MappedUser] {
        func user(_ line: Int, _ email: String, _ hash: String?) -> DescopeUser {
            var u = DescopeUser(source: SourceLocation(file: "u.csv", line: line))
            u.userId = "U\(line)"; u.email = email; u.hash.hash = hash
            return u
        }
        return [
            user(2, "bcrypt@example.com", TestHashes.bcrypt),      // password "a"
            user(3, "argon@example.com", TestHashes.argon2id),     // password "password"
            user(4, "django@example.com", django),                       // password "correct horse"
            user(5, "old@example.com", "pbkdf2_sha256$30000$seasalt$VrX+V8drCGo68wlvy6rfu8i1d1pfkdeXA4LJkRGJodY="),
        ].map(UserMapper().map)
    }

    func run(_ canaries: String) throws -> [PreflightReport.CanaryResult] {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("canaries-\(UUID().uuidString).csv").path
        try canaries.write(toFile: path, atomically: true, encoding: .utf8)
        let check = try CanaryCheck(path: path)
        for u in Self.users() where check.wants(email: u.user.email, userId: u.sourceUserId) { check.check(u) }
        return check.results()
    }

    @Test func rightPasswordsPassOnEveryFamily() throws {
        let results = try run("email,password\nBCRYPT@example.com,a\nargon@example.com,password\ndjango@example.com,correct horse\n")
        #expect(results.map(\.passed) == [true, true, true])
        #expect(results.map(\.row) == [2, 3, 4])
        #expect(results.map(\.line) == [2, 3, 4])
    }

    @Test func wrongPasswordMissingAccountAndRefusedHashFail() throws {
        let results = try run("user_id,password\nU3,passw0rd\nU99,x\nU5,lètmein\n\"U2\",\"a,b\"\n")
        #expect(results.map(\.passed) == [false, false, false, false])
        #expect(results[0].message.contains("does NOT verify"))
        #expect(results[1].row == nil)
        #expect(results[1].message.contains("no user with this user id"))
        #expect(results[2].message.contains("ready_without_password"))
        #expect(results[3].message.contains("does NOT verify"))
        for r in results { #expect(!r.message.contains("passw0rd") && !r.message.contains("lètmein")) }
    }

    @Test func headerlessFileIsReadByTheShapeOfTheAccount() throws {
        let results = try run("argon@example.com,password\nU2,a\n")
        #expect(results.map(\.passed) == [true, true])
    }

    @Test func malformedCanaryFilesAreRefusedWithTheLine() throws {
        #expect(throws: CanaryListError.self) { _ = try run("email,password\nada@example.com\n") }
        #expect(throws: CanaryListError.self) { _ = try run("email,password\n") }
        #expect(throws: CanaryListError.self) { _ = try run("email,password\nada@example.com,\n") }
    }
}
