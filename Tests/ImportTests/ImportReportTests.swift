import Foundation
import Import
import Mapping
import Preflight
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

    @Test("canaries: one reader for inspect and import — headers, quotes, CRLF, BOM, user ids; bad rows say their line")
    func canariesFile() throws {
        let path = Self.temporaryFile("canaries.csv")
        defer { try? FileManager.default.removeItem(atPath: path) }
        func passwords(_ list: CanaryList) -> [String] {
            list.entries.map { String(decoding: list.password($0), as: UTF8.self) }
        }
        // A leading ' is the spreadsheet guard every CSV hashport reads drops (so '' keeps one).
        try "\u{FEFF}email,password\r\na@example.com,\"pa,ss\"\"word\"\r\n\r\nb@example.com,''leading quote\nc@example.com,'guarded\n"
            .write(toFile: path, atomically: true, encoding: .utf8)
        let list = try CanaryList(path: path)
        #expect(list.entries.map(\.account) == ["a@example.com", "b@example.com", "c@example.com"])
        #expect(passwords(list) == ["pa,ss\"word", "'leading quote", "guarded"])
        #expect(list.entries.map(\.line) == [2, 4, 5])
        #expect(list.entries.allSatisfy { $0.isEmail })
        #expect(!list.entries[0].description.contains("pa,ss"), "a canary never prints its password")

        // The header import used to refuse: `id,password` (and user_id, login_id) name the first column.
        for header in ["id", "user_id", "userId"] {
            try "\(header),password\nU2abc,secret\n".write(toFile: path, atomically: true, encoding: .utf8)
            let byId = try CanaryList(path: path)
            #expect(byId.count == 1 && !byId.entries[0].isEmail && byId.entries[0].account == "U2abc", "header \(header)")
        }
        // Without a header, the shape of the account decides.
        try "x@example.com,one\nU2xyz,two\n".write(toFile: path, atomically: true, encoding: .utf8)
        #expect(try CanaryList(path: path).entries.map(\.isEmail) == [true, false])

        for (text, line) in [("email,password\na@example.com,one,two\n", 2), ("email,password\na@example.com,\"open\n", 2),
                             ("email,password\nb@example.com,\n", 2), ("email,password\n", 1)] {
            try text.write(toFile: path, atomically: true, encoding: .utf8)
            do {
                _ = try CanaryList(path: path)
                Issue.record("accepted \(text.debugDescription)")
            } catch {
                #expect(error.line == line, "\(text.debugDescription): \(error)")
                #expect(!error.description.contains("one") && !error.description.contains("open"),
                        "the message does not echo the password field")
            }
        }
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
