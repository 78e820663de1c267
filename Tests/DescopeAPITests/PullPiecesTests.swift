import Foundation
import Testing
@testable import DescopeAPI

@Suite struct PullPiecesTests {
    @Test func userIdSetAgreesWithASetOfStrings() {
        var generator = SystemRandomNumberGenerator()
        var ours = UserIdSet(minimumCapacity: 4)
        var reference = Set<String>()
        let alphabet = Array("ABCxyz019é")
        for _ in 0..<20_000 {
            let id = "U" + String((0..<Int.random(in: 0..<6, using: &generator)).map { _ in alphabet.randomElement(using: &generator)! })
            #expect(ours.insert(id) == reference.insert(id).inserted)
        }
        #expect(ours.count == reference.count)
        for id in reference { #expect(ours.contains(id)) }
        #expect(!ours.contains("not there"))
        #expect(ours.insert("") && !ours.insert(""))
    }

    @Test func sinceReadsISO8601AndUnixSeconds() throws {
        #expect(try PullSince.milliseconds("1772357400") == 1_772_357_400_000)
        #expect(try PullSince.milliseconds("1772357400.25") == 1_772_357_400_250)
        #expect(try PullSince.milliseconds("2026-03-01T09:30:00Z") == 1_772_357_400_000)
        #expect(try PullSince.milliseconds("2026-03-01T11:30:00+02:00") == 1_772_357_400_000)
        #expect(try PullSince.milliseconds("2026-03-01T09:30:00.125Z") == 1_772_357_400_125)
        #expect(try PullSince.milliseconds("2026-03-01") == 1_772_323_200_000)
        #expect(PullSince.iso8601(milliseconds: 1_772_357_400_125) == "2026-03-01T09:30:00.125Z")
        #expect(throws: PullSinceError.looksLikeMilliseconds("1772357400000")) { try PullSince.milliseconds("1772357400000") }
        #expect(throws: PullSinceError.noTimeZone("2026-03-01T09:30:00")) { try PullSince.milliseconds("2026-03-01T09:30:00") }
        for bad in ["", "yesterday", "2026-13-01T00:00:00Z", "1.2.3", "-5"] {
            #expect(throws: PullSinceError.self, "\(bad)") { try PullSince.milliseconds(bad) }
        }
    }

    @Test func credentialsComeFromTheEnvironmentOrAFileAndNeverShowTheKey() throws {
        let environment = ["DESCOPE_PROJECT_ID": "P2env", "DESCOPE_MANAGEMENT_KEY": "K2secret-from-env\n"]
        let fromEnvironment = try ManagementCredentials.load(projectId: nil, keyFile: nil, environment: environment)
        #expect(fromEnvironment.projectId == "P2env")
        #expect(fromEnvironment.authorization == "Bearer P2env:K2secret-from-env")
        #expect(!"\(fromEnvironment)".contains("secret") && !String(reflecting: fromEnvironment).contains("secret"))
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("key-\(UUID().uuidString)").path
        try "  K2from-file \n".write(toFile: file, atomically: true, encoding: .utf8)
        let fromFile = try ManagementCredentials.load(projectId: "P2flag", keyFile: file, environment: environment)
        #expect(fromFile.authorization == "Bearer P2flag:K2from-file")
        #expect(throws: ManagementCredentialsError.missingProjectId) {
            try ManagementCredentials.load(projectId: nil, keyFile: nil, environment: [:])
        }
        #expect(throws: ManagementCredentialsError.missingKey) {
            try ManagementCredentials.load(projectId: "P", keyFile: nil, environment: [:])
        }
        #expect(throws: ManagementCredentialsError.fileNotFound("/nonexistent/key")) {
            try ManagementCredentials.load(projectId: "P", keyFile: "/nonexistent/key", environment: [:])
        }
        #expect(throws: ManagementCredentialsError.malformedKey) { try ManagementCredentials(projectId: "P", managementKey: "a b") }
        #expect(throws: ManagementCredentialsError.malformedProjectId) { try ManagementCredentials(projectId: "P:1", managementKey: "k") }
        #expect(throws: ManagementCredentialsError.emptyKey) { try ManagementCredentials(projectId: "P", managementKey: " \n") }
        #expect(ManagementCredentials.isCommandLineKey("--management-key=K2x"))
        #expect(ManagementCredentials.isCommandLineKey("--management-key"))
        #expect(!ManagementCredentials.isCommandLineKey("--management-key-file"))
    }

    /// A pretty-printed object becomes one line: only the line breaks between tokens change.
    @Test func anObjectIsWrittenOnOneLine() throws {
        let object = Array("{\n  \"userId\" : \"U1\",\r\n  \"name\":\"a\\nb\"\n}".utf8)
        var lines: [UInt8] = []
        UserPull.appendLine(object[...], to: &lines)
        UserPull.appendLine(Array(#"{"userId":"U2"}"#.utf8)[...], to: &lines)
        let text = String(decoding: lines, as: UTF8.self)
        #expect(text == "{   \"userId\" : \"U1\",    \"name\":\"a\\nb\" }\n{\"userId\":\"U2\"}\n")
        let first = try JSONSerialization.jsonObject(with: Data(text.split(separator: "\n")[0].utf8)) as? [String: String]
        #expect(first == ["userId": "U1", "name": "a\nb"])
    }

    @Test func usersFileReadsCompleteLinesAndStopsAtTheFirstBadOne() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("users-\(UUID().uuidString)").path
        let file = try UsersFile(path: path)
        let long = String(repeating: "x", count: 9 << 20)   // longer than the read buffer
        try file.append(Array("a\n\(long)\nccc\nhalf".utf8))
        var seen: [(Int, Int64)] = []
        let end = try file.forEachLine(upTo: file.size) { line, offset in seen.append((line.count, offset)); return true }
        #expect(seen.map(\.0) == [1, long.count, 3])
        #expect(seen.map(\.1) == [0, 2, Int64(3 + long.count)])
        #expect(end == Int64(3 + long.count + 4))
        let stop = try file.forEachLine(upTo: file.size) { line, _ in line.count != long.count }
        #expect(stop == 2)
        try file.truncate(to: end)
        #expect(file.size == end)
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        #expect((attributes[.posixPermissions] as? Int).map { $0 & 0o777 } == 0o600)
    }
}
