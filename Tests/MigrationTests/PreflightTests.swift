import DescopeExport
import Foundation
@testable import Migration
import Testing

/// The two ways `inspect` reads a support CSV — bytes in place (fast path) and `DescopeUser` + `UserMapper`
/// (general path) — must give the same report, and `convert` the same outcomes, row for row.
@Suite struct PreflightTests {
    static func temp(_ name: String) -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("preflight-\(UUID().uuidString)-\(name)").path
    }

    static func reports(_ inputs: [String], mapping: MappingOptions = MappingOptions(), capacity: Int = 1 << 18)
        throws -> (fast: PreflightReport, general: PreflightReport)
    {
        var fast = Preflight(inputs: inputs, mapper: UserMapper(options: mapping))
        fast.duplicateBufferEntries = capacity
        var general = fast
        general.fastPath = false
        return (try fast.run(), try general.run())
    }

    /// A CSV that mixes fast rows with every reason to leave the fast path.
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

    @Test(arguments: [16, 1 << 18])
    func fastAndGeneralPathsAgreeOnAMixedExport(capacity: Int) throws {
        let path = Self.temp("mixed.csv")
        try Self.mixedCSV(rows: 3_000).write(toFile: path, atomically: true, encoding: .utf8)
        var (fast, general) = try Self.reports([path], capacity: capacity)
        #expect(fast.rowsReadInPlace > 1_000)
        #expect(general.rowsReadInPlace == 0)
        fast.rowsReadInPlace = 0
        #expect(fast == general)
        #expect(fast.users == 3_000 + (0..<3_000).filter { $0 % 29 == 17 }.count)
        #expect(fast.duplicateEmailRows > 0)
        #expect(fast.outcomes.ready > 0 && fast.outcomes.readyWithoutPassword > 0 && fast.outcomes.rejected > 0)
        #expect(fast.byParameters["argon2id m=1048576 t=3 p=4"]?.importable == 0)
        for code in ["invalid_email", "missing_email", "disabled_user", "expired_user", "test_user", "external_id_invalid",
                     "login_sms", "duplicate_email", "ragged_row", "invalid_boolean", "missing_user_id", "no_password_hash",
                     "pbkdf2_iterations_out_of_range"] {
            #expect(fast.problems[code] != nil, "\(code)")
        }
    }

    @Test func fastAndGeneralPathsAgreeWithOptions() throws {
        let path = Self.temp("mixed.csv")
        try Self.mixedCSV(rows: 600).write(toFile: path, atomically: true, encoding: .utf8)
        var (fast, general) = try Self.reports([path], mapping: MappingOptions(includeDisabled: true, includeTest: true))
        #expect(fast.rowsReadInPlace > 200)
        fast.rowsReadInPlace = 0
        #expect(fast == general)
        #expect(fast.problems["disabled_user"] == nil)
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

    @Test func hashShapeCacheGivesTheDetectorsAnswerRowForRow() throws {
        let path = Self.temp("mixed.csv")
        try Self.mixedCSV(rows: 1_200).write(toFile: path, atomically: true, encoding: .utf8)
        let mapper = UserMapper()
        let cache = HashShapeCache(saltEncoding: .auto)
        var compared = 0
        for case .user(let user) in try UserExport(inputs: [path]) {
            #expect(mapper.map(user, hashes: cache) == mapper.map(user))
            compared += 1
        }
        #expect(compared > 1_000)
        #expect(cache.shapes.contains { if case .django = $0.rewrite { return true } else { return false } })
        #expect(cache.shapes.contains { if case .identity = $0.rewrite { return true } else { return false } })
    }

    /// Once a shape is known, hashes of its length that differ in one byte anywhere (fixed part, `$`, salt,
    /// digest, spare bits) get the detector's answer from the cache, or no answer (the detector then runs).
    @Test func knownShapesAnswerLikeTheDetectorForEveryOneByteChange() {
        let seeds = ["$2b$10$CceWENhHlTzbkBETbORXBunPb2shzRsc/xFV0LrfOkOjYmu.UXuL.",
                     "$argon2id$v=19$m=65536,t=3,p=4$c29tZXNhbHRzb21lc2E$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc",
                     "$pbkdf2-sha256$29000$N2bs/R.iNKYUgtBaq5WSsg$dRAmGpZXfzFRTOKvOqmRqtyshXObLYrsmEu5wsUltIs",
                     "$pbkdf2$i=600000,d=sha256$c2FsdHNhbHQ$dRAmGpZXfzFRTOKvOqmRqtyshXObLYrsmEu5wsUltIs",
                     "pbkdf2_sha256$600000$pepperedsalt$uIPM0isJMTzzEqeI35Wxp9cKeo5KsV4DWxCZMrnxJ/g="]
        let cache = HashShapeCache(saltEncoding: .auto)
        for seed in seeds { #expect(cache.outcome(for: seed) != nil, "\(seed)") }
        var answered = 0, compared = 0
        for seed in seeds {
            let bytes = Array(seed.utf8)
            for position in bytes.indices {
                for replacement in Array("$=.+/-_Az9i,".utf8) + [0x00, 0x80] where replacement != bytes[position] {
                    var changed = bytes
                    changed[position] = replacement
                    let text = String(decoding: changed, as: UTF8.self)
                    compared += 1
                    guard let cached = cache.outcome(for: text) else { continue }
                    answered += 1
                    var fields = ExportHashFields()
                    fields.hash = text
                    #expect(cached == PasswordMapping.map(fields, saltEncoding: .auto), "\(text)")
                }
            }
        }
        #expect(compared > 3_000 && answered > 500)
    }

    @Test(arguments: [64, 1 << 18])
    func convertFastPathWritesTheSameBytesAsTheGeneralPath(capacity: Int) throws {
        let path = Self.temp("mixed.csv")
        var text = Self.mixedCSV(rows: 2_000)
        // Names that need trimming, escaping and splitting; a middle name; pipes in login ids.
        text += "UX1,,x1@ex.io,true,\"  Grace  Brewster Hopper \",enabled,1700000000123,,,$2b$10$CceWENhHlTzbkBETbORXBunPb2shzRsc/xFV0LrfOkOjYmu.UXuL.\n"
        text += "UX2,a|b@ex.io,a|b@ex.io,false,\"Q \"\"Quote\"\" \\\\ Back\",invited,,,false,\n"
        text += "UX3,,x3@ex.io,,Single,,,,,\n"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        func convert(fast: Bool) throws -> (PreflightReport, String) {
            let out = Self.temp(fast ? "fast.jsonl" : "general.jsonl")
            var c = Conversion(inputs: [path], outputPath: out)
            c.fastPath = fast
            c.duplicateBufferEntries = capacity
            return (try c.run(), try String(contentsOfFile: out, encoding: .utf8))
        }
        var (fastReport, fast) = try convert(fast: true)
        let (generalReport, general) = try convert(fast: false)
        #expect(fastReport.rowsReadInPlace > 700)
        fastReport.rowsReadInPlace = 0
        #expect(fastReport == generalReport)
        let fastLines = fast.split(separator: "\n"), generalLines = general.split(separator: "\n")
        #expect(fastLines.count == generalLines.count)
        for (a, b) in zip(fastLines, generalLines) where a != b {
            Issue.record("fast and general differ:\n\(a)\n\(b)")
            break
        }
        #expect(fast.contains(#""first_name":"Grace","last_name":"Brewster Hopper""#))
    }
}
