import DescopeExport
import Foundation
@testable import Mapping
@testable import Preflight
import PasswordHashes
import Testing

/// Issue 10's bar: `convert` of a CSV with a `hashedPassword` column and of an NDJSON users file holding
/// `hashedPassword` objects gives `ready` with a WorkOS string that verifies the known password on the C
/// libraries — for argon2, pbkdf2 sha256/sha512, bcrypt and django objects (and firebase). The objects, their
/// passwords and the expected strings come from roundtrip.json, computed by Python, never by hashport.
@Suite struct DescopeObjectConvertTests {
    static let ids = ["descope-argon2", "descope-argon2-wrapped-strings", "descope-pbkdf2-sha256", "descope-pbkdf2-sha512",
                      "descope-bcrypt", "descope-django-pbkdf2", "descope-django-argon2", "descope-firebase"]

    struct Case { var id: String; var input: String; var password: [UInt8]; var expected: String }

    static func cases() throws -> [Case] {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("TestVectors/roundtrip.json")
        let root = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
        let all = try #require(root["cases"] as? [[String: Any]])
        return try ids.map { id in
            let c = try #require(all.first { $0["id"] as? String == id }, "\(id) is not in roundtrip.json")
            let hex = Array((c["password_hex"] as? String ?? "").utf8)
            let password = stride(from: 0, to: hex.count, by: 2).map { UInt8(String(decoding: hex[$0..<$0 + 2], as: UTF8.self), radix: 16)! }
            return Case(id: id, input: try #require(c["input"] as? String), password: password,
                        expected: try #require(c["expected_workos_hash"] as? String))
        }
    }

    /// Converts `contents` and checks every row: ready, the expected WorkOS string, and it verifies the password.
    func convertAndVerify(_ contents: String, suffix: String, _ cases: [Case]) throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("descope-objects-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let input = dir.appendingPathComponent("users" + suffix).path
        try contents.write(toFile: input, atomically: true, encoding: .utf8)
        let output = dir.appendingPathComponent("out.jsonl").path
        let report = try Conversion(inputs: [input], outputPath: output).run()
        #expect(report.outcomes.ready == cases.count, "\(suffix)")
        let lines = try String(contentsOfFile: output, encoding: .utf8).split(separator: "\n")
        #expect(lines.count == cases.count)
        for (line, c) in zip(lines, cases) {
            let record = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            let user = try #require(record["user"] as? [String: Any])
            #expect(record["status"] as? String == "ready", "\(suffix) \(c.id): \(record["problems"] ?? "")")
            let string = try #require(user["password_hash"] as? String, "\(suffix) \(c.id)")
            #expect(string == c.expected, "\(suffix) \(c.id)")
            let hash = try #require(HashDetector.detect(string).value)
            #expect(PasswordVerifier.verify(c.password, against: hash) == .success(true), "\(suffix) \(c.id): password")
            #expect(PasswordVerifier.verify(c.password + [0x21], against: hash) == .success(false), "\(suffix) \(c.id): wrong password")
        }
    }

    @Test func aCSVWithAHashedPasswordColumn() throws {
        let cases = try Self.cases()
        var csv = "userId,email,hashedPassword\n"
        for (i, c) in cases.enumerated() {
            csv += "U\(i),u\(i)@example.com,\"\(c.input.replacingOccurrences(of: "\"", with: "\"\""))\"\n"
        }
        try convertAndVerify(csv, suffix: ".csv", cases)
    }

    @Test func anNDJSONUsersFileWithHashedPasswordObjects() throws {
        let cases = try Self.cases()
        let ndjson = cases.enumerated().map { i, c in
            #"{"loginId":"u\#(i)@example.com","email":"u\#(i)@example.com","verifiedEmail":true,"name":"U \#(i)","hashedPassword":\#(c.input)}"#
        }.joined(separator: "\n") + "\n"
        try convertAndVerify(ndjson, suffix: ".ndjson", cases)
    }
}

private extension Result {
    var value: Success? { if case .success(let v) = self { return v }; return nil }
}
