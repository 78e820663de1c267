import Foundation
import Migration
import Testing
import WorkOS

@Suite("Import reports: errors file, canaries file, progress line")
struct ImportReportTests {
    static func temporaryFile(_ name: String) -> String {
        FileManager.default.temporaryDirectory.path + "/hashport-report-\(UUID().uuidString.prefix(8))-" + name
    }

    @Test("the errors file is 0600, RFC 4180 quoted, guarded against spreadsheet formulas, with WorkOS details")
    func errorsFile() throws {
        let path = Self.temporaryFile("errors.csv")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let writer = try ErrorReportWriter(path: path)
        let workos = WorkOSError(delivery: .answered, status: 400, code: "user_creation_error",
                                 errors: [ErrorBody.Detail(code: "email_not_available", message: "taken")],
                                 message: "Could not create user, \"quoted\"", requestId: "req_123")
        writer.record(ImportFailure(row: 7, email: "a@example.com", stage: "create", error: workos))
        writer.record(ImportFailure(row: 9, email: "=HYPERLINK(\"x\")", stage: "mapping", code: "invalid_email",
                                    retryable: false, message: "line one\nline two"))
        writer.close()
        #expect(writer.count == 2)
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(text == """
            row,email,stage,http_status,code,sub_codes,request_id,retryable,message
            7,a@example.com,create,400,user_creation_error,email_not_available,req_123,false,"Could not create user, ""quoted\"\""
            9,"'=HYPERLINK(""x"")",mapping,,invalid_email,,,false,"line one
            line two"

            """)
        let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
        #expect(mode == 0o600)
    }

    @Test("canaries: header, quoted passwords with commas and quotes, user ids; bad rows say their line")
    func canariesFile() throws {
        let path = Self.temporaryFile("canaries.csv")
        defer { try? FileManager.default.removeItem(atPath: path) }
        try "\u{FEFF}email,password\r\na@example.com,\"pa,ss\"\"word\"\r\n\r\nb@example.com,'leading quote\n"
            .write(toFile: path, atomically: true, encoding: .utf8)
        let canaries = try CanaryFile.load(path: path)
        #expect(canaries.map(\.account) == ["a@example.com", "b@example.com"])
        #expect(canaries.map(\.password) == ["pa,ss\"word", "'leading quote"])
        #expect(canaries.map(\.line) == [2, 4])
        #expect(!canaries[0].description.contains("pa,ss"), "a canary never prints its password")

        try "user_id,password\nU2abc,secret\n".write(toFile: path, atomically: true, encoding: .utf8)
        let byId = try CanaryFile.load(path: path)
        #expect(byId.count == 1 && byId[0].isUserId && byId[0].account == "U2abc")

        try "email,password\na@example.com,one,two\n".write(toFile: path, atomically: true, encoding: .utf8)
        do {
            _ = try CanaryFile.load(path: path)
            Issue.record("a row with 3 fields was accepted")
        } catch let error as CanaryFileError {
            #expect(error.line == 2)
            #expect(!error.description.contains("one"), "the message does not echo the password field")
        }
        try "email,password\na@example.com,\"open\n".write(toFile: path, atomically: true, encoding: .utf8)
        #expect(throws: CanaryFileError.self) { _ = try CanaryFile.load(path: path) }
    }

    @Test("the progress line: counts grouped, rate, 429s, ETA")
    func progressLine() {
        var s = ImportStatistics.Snapshot()
        s.total = 20_000; s.processed = 1_234; s.requests = 2_500; s.rateLimited = 3; s.failed = 1
        let line = ProgressReporter.line(s, elapsed: 50)
        // 1,234 users in 50 s: 18,766 left at 24.68/s is 760 s.
        #expect(line == "users 1,234/20,000 (6%) · 50.0 req/s · 3 429s · 1 failed · ETA 12m40s")
        #expect(ProgressReporter.duration(3_725) == "1h02m")
        #expect(ProgressReporter.duration(385) == "6m25s")
        #expect(ProgressReporter.duration(42) == "42s")
        #expect(ProgressReporter.grouped(1_000_000) == "1,000,000")
        #expect(ProgressReporter.grouped(999) == "999")
    }
}
