import Foundation
import Testing
@testable import WorkOS

@Suite struct APIKeyTests {
    @Test func fileIsTrimmed() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("key-\(UUID().uuidString)").path
        try Data("  sk_test_abc123\n".utf8).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(try APIKey.fromFile(path).secret == "sk_test_abc123")
        #expect(try APIKey.load(file: path, environment: [:]).secret == "sk_test_abc123")
    }

    @Test func missingFileIsNamed() {
        #expect(throws: APIKeyError.fileNotFound("/nonexistent/key")) { try APIKey.fromFile("/nonexistent/key") }
    }

    @Test func environmentIsRead() throws {
        #expect(try APIKey.fromEnvironment(["WORKOS_API_KEY": "sk_test_env"]).secret == "sk_test_env")
        #expect(throws: APIKeyError.missing) { try APIKey.fromEnvironment([:]) }
        #expect(throws: APIKeyError.empty) { try APIKey.fromEnvironment(["WORKOS_API_KEY": " \n"]) }
    }

    @Test func keyNeverAppearsInDescriptions() throws {
        let key = try APIKey("sk_test_supersecret")
        #expect(!"\(key)".contains("supersecret"))
        #expect(!String(reflecting: key).contains("supersecret"))
        #expect(!WorkOSError.apiKeyRejectedMessage.contains("sk_"))
    }

    @Test func commandLineKeyIsRefused() {
        #expect(throws: APIKeyError.givenOnCommandLine) {
            try APIKey.refuseCommandLineKey(in: ["import", "--api-key", "x"])
        }
        #expect(throws: APIKeyError.givenOnCommandLine) {
            try APIKey.refuseCommandLineKey(in: ["import", "sk_live_123"])
        }
        #expect(throws: Never.self) {
            try APIKey.refuseCommandLineKey(in: ["import", "--api-key-file", "/run/key", "users.csv"])
        }
    }
}
