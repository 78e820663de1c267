import DescopeExport
import Foundation
@testable import Mapping
@testable import Preflight
import Testing

/// `inspect` and `convert` read every layout through one path (views, the mapper, the hash-shape cache): the report
/// holds every problem the export has, in any memory budget, and `convert` gives the same outcomes row for row.
@Suite struct PreflightTests {
    static func temp(_ name: String) -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("preflight-\(UUID().uuidString)-\(name)").path
    }

    static func report(_ inputs: [String], mapping: MappingOptions = MappingOptions(), capacity: Int = 1 << 18) throws -> PreflightReport {
        var preflight = Preflight(inputs: inputs, mapper: UserMapper(options: mapping))
        preflight.duplicateBufferEntries = capacity
        return try preflight.run()
    }

    /// A CSV that mixes plain rows with every reason a row is not plainly importable.
    static func mixedCSV(rows: Int) -> String {
        var lines = ["user_id,login_ids,email,verified_email,name,status,created_time,phone,test,password_hash"]
        let bcrypt = "$2b$10$CceWENhHlTzbkBETbORXBunPb2shzRsc/xFV0LrfOkOjYmu.UXuL."
        for i in 0..<rows {
            var id = "U\(i)", email = "u\(i)@ex\(i % 7).io", login = i % 3 == 0 ? email : "", verified = "true"
            var name = "Ada Lovelace", status = "enabled", created = "\(1_600_000_000 + i)", phone = "", test = ""
            var hash: String
            switch i % 6 {
            case 0: hash = bcrypt
            case 1: hash = "\"$argon2id$v=19$m=65536,t=3,p=4$c29tZXNhbHRzb21lc2E$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc\""
            case 2: hash = "pbkdf2_sha256$600000$pepperedsalt$uIPM0isJMTzzEqeI35Wxp9cKeo5KsV4DWxCZMrnxJ/g="
            case 3: hash = "pbkdf2_sha256$30000$seasalt$VrX+V8drCGo68wlvy6rfu8i1d1pfkdeXA4LJkRGJodY="
            case 4: hash = ""
            default: hash = "\"$argon2id$v=19$m=1048576,t=3,p=4$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc\""
            }
            switch i % 29 {
            case 1: email = ""
            case 2: email = "not-an-email"
            case 3: email = " spaced@ex.io "
            case 4: status = "disabled"
            case 5: status = "Expired"
            case 6: test = "true"
            case 7: name = "Zoë Ångström"
            case 8: id = String(repeating: "U", count: 129)
            case 9: phone = "+14155550100"; login = "+14155550100"
            case 10: hash = "$2b$10$CceWENhHlTzbkBETbORXBunPb2shzRsc/xFV0LrfOkOjYmu.UXuL/"   // non-canonical last char
            case 11: hash = "\"$argon2id$v=19$m=65536,t=3,p=4$c29tZXNhbHQ=$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc\""
            case 12: hash = "md5:5f4dcc3b5aa765d61d8327deb882cf99"
            case 13: email = "U\(i - 1)@EX\((i - 1) % 7).IO"   // duplicate of the previous row's email, other case
            case 14: verified = "maybe"
            case 15: created = "2023-11-14T22:13:20Z"
            case 16: id = ""
            case 17: lines.append("U\(i)r,,ragged@ex.io,true,Rag,enabled,1,,,$argon2id$v=19$m=65536,t=3,p=4$c29tZXNhbHQ$CTFh")
            case 18: hash = "\"$2b$10$CceWENhHlTzbkBETbORXBunPb2shzRsc/xFV0LrfOkOjYmu.UXuL.\""
            case 19: hash = "$2x$10$CceWENhHlTzbkBETbORXBunPb2shzRsc/xFV0LrfOkOjYmu.UXuL."
            default: break
            }
            if i % 29 == 13 { email = "u\(i - 1)@EX\((i - 1) % 7).IO" }
            lines.append([id, login, email, verified, name, status, created, phone, test, hash].joined(separator: ","))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The duplicate check spills to disk with a tiny buffer; the report must not change.
    @Test func aMixedExportIsReportedInFullInAnyMemoryBudget() throws {
        let path = Self.temp("mixed.csv")
        try Self.mixedCSV(rows: 3_000).write(toFile: path, atomically: true, encoding: .utf8)
        let spilled = try Self.report([path], capacity: 16)
        let inMemory = try Self.report([path])
        #expect(spilled == inMemory)
        #expect(inMemory.users == 3_000 + (0..<3_000).filter { $0 % 29 == 17 }.count)
        #expect(inMemory.duplicateEmailRows > 0)
        #expect(inMemory.outcomes.ready > 0 && inMemory.outcomes.readyWithoutPassword > 0 && inMemory.outcomes.rejected > 0)
        #expect(inMemory.byParameters["argon2id m=1048576 t=3 p=4"]?.importable == 0)
        for code in ["invalid_email", "missing_email", "disabled_user", "expired_user", "test_user", "external_id_invalid",
                     "login_sms", "duplicate_email", "ragged_row", "invalid_boolean", "missing_user_id", "no_password_hash",
                     "pbkdf2_iterations_out_of_range"] {
            #expect(inMemory.problems[code] != nil, "\(code)")
        }
    }

    @Test func includeFlagsImportSkippedUsers() throws {
        let path = Self.temp("mixed.csv")
        try Self.mixedCSV(rows: 600).write(toFile: path, atomically: true, encoding: .utf8)
        let strict = try Self.report([path])
        let lenient = try Self.report([path], mapping: MappingOptions(includeDisabled: true, includeTest: true))
        #expect(strict.problems["disabled_user"] != nil && lenient.problems["disabled_user"] == nil)
        #expect(lenient.problems["disabled_user_included"]?.count == strict.problems["disabled_user"]?.count)
        #expect(lenient.outcomes.rejected < strict.outcomes.rejected)
    }

    @Test func convertOutcomesMatchInspectRowForRow() throws {
        let path = Self.temp("mixed.csv")
        try Self.mixedCSV(rows: 1_000).write(toFile: path, atomically: true, encoding: .utf8)
        let out = Self.temp("out.jsonl")
        var conversion = Conversion(inputs: [path], outputPath: out)
        conversion.duplicateBufferEntries = 64
        let converted = try conversion.run()
        let inspected = try Preflight(inputs: [path]).run()
        #expect(converted.outcomes == inspected.outcomes)
        #expect(converted.byFamily == inspected.byFamily)
        #expect(converted.problems.mapValues(\.count) == inspected.problems.mapValues(\.count))
        let lines = try String(contentsOfFile: out, encoding: .utf8).split(separator: "\n")
        #expect(lines.count == inspected.users)
        var counts: [String: Int] = [:]
        for line in lines {
            let record = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            counts[record["status"] as? String ?? "?", default: 0] += 1
        }
        #expect(counts == ["ready": inspected.outcomes.ready, "ready_without_password": inspected.outcomes.readyWithoutPassword,
                           "rejected": inspected.outcomes.rejected])
    }

    @Test func convertWritesNamesMetadataAndEscapesFromTheBytes() throws {
        let path = Self.temp("mixed.csv")
        var text = Self.mixedCSV(rows: 2_000)
        // Names that need trimming, escaping and splitting; a middle name; pipes in login ids.
        text += "UX1,,x1@ex.io,true,\"  Grace  Brewster Hopper \",enabled,1700000000123,,,$2b$10$CceWENhHlTzbkBETbORXBunPb2shzRsc/xFV0LrfOkOjYmu.UXuL.\n"
        text += "UX2,a|b@ex.io,a|b@ex.io,false,\"Q \"\"Quote\"\" \\\\ Back\",invited,,,false,\n"
        text += "UX3,,x3@ex.io,,Single,,,,,\n"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        let out = Self.temp("out.jsonl")
        let report = try Conversion(inputs: [path], outputPath: out).run()
        let written = try String(contentsOfFile: out, encoding: .utf8)
        let lines = written.split(separator: "\n")
        #expect(lines.count == report.users)
        for line in lines { #expect((try? JSONSerialization.jsonObject(with: Data(line.utf8))) != nil, "\(line)") }
        #expect(written.contains(#""first_name":"Grace","last_name":"Brewster Hopper""#))
        #expect(written.contains(#""descope_created_at":"2023-11-14T22:13:20Z""#))
        #expect(written.contains(#""first_name":"Q","last_name":"\"Quote\" \\\\ Back""#))
        // `|` separates login ids.
        #expect(written.contains(#""descope_login_ids":"[\"a\",\"b@ex.io\"]""#))
        #expect(written.contains(#""first_name":"Single""#))
    }
}
