import Foundation
import Testing
@testable import DescopeExport

@Suite struct UserExportJoinTests {
    /// 3,000 CSV users against 3,000 Search Users records in another order: every one joined, by the right key.
    @Test func joinsThousandsOfUsersInAnyOrder() throws {
        let n = 3000
        var csv = "user_id,email,password_hash\n"
        for i in 0..<n {
            // A third keep their userId, a third only their email (upper-cased), a third neither (login id).
            switch i % 3 {
            case 0: csv += "U\(i),u\(i)@example.com,$2a$05$hash\(i)\n"
            case 1: csv += ",U\(i)@EXAMPLE.COM,$2a$05$hash\(i)\n"
            default: csv += ",,$2a$05$hash\(i)\n"
            }
        }
        csv += "U-extra,extra@example.com,$2a$05$x\n"
        // Login ids only work when the CSV has them: give the third group a login_ids column via a second file.
        var json = "{\"users\":[\n"
        let order = (0..<n).map { ($0 * 7919) % n }   // a permutation (7919 is prime, coprime with 3000)
        json += order.map { i in
            #"{"userId":"U\#(i)","email":"u\#(i)@example.com","loginIds":["login\#(i)"],"roleNames":["r\#(i)"]}"#
        }.joined(separator: ",\n")
        json += "\n]}"
        let csvFile = try TemporaryFile(contents: csv)
        let jsonFile = try TemporaryFile(contents: json, suffix: ".json")
        defer { withExtendedLifetime((csvFile, jsonFile)) {} }

        let export = try UserExport(inputs: [csvFile.path, jsonFile.path])
        var joined = 0, unjoinedCSV = 0, jsonOnly = 0
        for item in export {
            guard case .user(let u) = item else { Issue.record("\(item)"); continue }
            if u.source.file == csvFile.path {
                if let from = u.joinedFrom {
                    joined += 1
                    let i = Int(u.hash.hash?.dropFirst("$2a$05$hash".count) ?? "") ?? -1
                    #expect(u.roleNames == ["r\(i)"], "line \(u.source.line)")
                    #expect(from.line == (order.firstIndex(of: i) ?? -2) + 1)
                } else {
                    unjoinedCSV += 1
                }
            } else {
                jsonOnly += 1
                #expect(u.hash.hash == nil)
            }
        }
        #expect(joined == 2000)
        #expect(unjoinedCSV == 1001)
        #expect(jsonOnly == 1000)
        #expect(export.report.joinedByUserId == 1000 && export.report.joinedByEmail == 1000)
        #expect(export.report.onlyInCSV == 1001 && export.report.onlyInSearchUsers == 1000)
        #expect(export.report.users == n + 1 + 1000)
        #expect(export.report.inputs.map(\.users) == [n + 1, n])
    }

    @Test func joinIndexCanLiveInAChosenDirectoryAndIsRemoved() throws {
        let dir = NSTemporaryDirectory() + "/join-dir-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let csv = try TemporaryFile(contents: "email,hash\na@example.com,$2a$05$x\n")
        let json = try TemporaryFile(contents: #"[{"userId":"U1","email":"A@example.com"}]"#, suffix: ".json")
        defer { withExtendedLifetime((csv, json)) {} }
        var users: [DescopeUser] = []
        do {
            let export = try UserExport(inputs: [csv.path, json.path], options: ExportOptions(temporaryDirectory: dir))
            users = export.compactMap { if case .user(let u) = $0 { u } else { nil } }
        }
        #expect(users.count == 1 && users.first?.userId == "U1" && users.first?.hash.hash == "$2a$05$x")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir).isEmpty)
    }

    /// A join over its memory budget partitions its keys: it must give exactly the in-memory join's users, in the same
    /// order, with the same report — duplicate keys, login ids tried in order and unmatched records included.
    @Test func partitionedJoinGivesTheInMemoryJoinsAnswers() throws {
        var csv = "user_id,email,login_ids,password_hash\n"
        var json = "{\"users\":[\n"
        var records: [String] = []
        for i in 0..<2_000 {
            switch i % 5 {
            case 0: csv += "U\(i),,,$2a$05$h\(i)\n"                         // by userId
            case 1: csv += ",U\(i)@Example.com,,$2a$05$h\(i)\n"              // by email, any case
            case 2: csv += ",,nope;login\(i),$2a$05$h\(i)\n"                 // by its second login id
            case 3: csv += ",dup\(i % 7)@example.com,,$2a$05$h\(i)\n"        // several records share these emails
            default: csv += "X\(i),none\(i)@example.com,,$2a$05$h\(i)\n"     // only in the CSV
            }
            records.append(#"{"userId":"U\#(i)","email":"u\#(i)@example.com","loginIds":["login\#(i)"],"roleNames":["r\#(i)"]}"#)
            if i % 5 == 3 { records.append(#"{"userId":"D\#(i)","email":"DUP\#(i % 7)@example.com","roleNames":["d\#(i)"]}"#) }
        }
        json += records.reversed().joined(separator: ",\n") + "\n]}"
        let csvFile = try TemporaryFile(contents: csv)
        let jsonFile = try TemporaryFile(contents: json, suffix: ".json")
        defer { withExtendedLifetime((csvFile, jsonFile)) {} }
        func run(_ budget: Int) throws -> ([String], ExportReport) {
            let export = try UserExport(inputs: [csvFile.path, jsonFile.path], options: ExportOptions(joinMemoryBytes: budget))
            let users = export.compactMap { item -> String? in
                guard case .user(let u) = item else { return nil }
                return "\(u.source.line) \(u.userId ?? "-") \(u.roleNames) \(u.joinedFrom?.line ?? 0)"
            }
            return (users, export.report)
        }
        let (inMemory, memoryReport) = try run(48 << 20)
        let (partitioned, partitionReport) = try run(1 << 16)
        #expect(inMemory.count == 2_000 + 800)
        #expect(inMemory == partitioned)
        #expect(memoryReport == partitionReport)
        #expect(memoryReport.joinedByLoginId == 400 && memoryReport.joinedByUserId == 400 && memoryReport.joinedByEmail == 800)
    }

    /// `convert`'s second pass takes the join its first pass built (`keepsJoin`): it must give what a fresh export gives
    /// — the same items in the same order (users, and the unreadable Search Users records said again) and the same
    /// report — with the table in memory and partitioned, without reading the Search Users file again.
    @Test func aSecondPassOverAKeptJoinGivesAFreshPassesAnswers() throws {
        var csv = "user_id,email,login_ids,password_hash\n"
        var records = [#"{"userId":"B","email":tru}"#]   // not JSON, last: reading stops there
        for i in 0..<2_000 {
            switch i % 5 {
            case 0: csv += "U\(i),,,$2a$05$h\(i)\n"
            case 1: csv += ",U\(i)@Example.com,,$2a$05$h\(i)\n"
            case 2: csv += ",,nope;login\(i),$2a$05$h\(i)\n"
            case 3: csv += ",dup\(i % 7)@example.com,,$2a$05$h\(i)\n"     // records share these emails: taken in turn
            default: csv += "X\(i),none\(i)@example.com,,$2a$05$h\(i)\n"
            }
            records.append(#"{"userId":"U\#(i)","email":"u\#(i)@example.com","loginIds":["login\#(i)"],"roleNames":["r\#(i)"]}"#)
            if i % 5 == 3, i % 3 == 0 { records.append(#"{"userId":"D\#(i)","email":"DUP\#(i % 7)@example.com","roleNames":["d\#(i)"]}"#) }
            if i % 1000 == 7 { records.append("42") }                     // not a user object
            if i % 1000 == 9 { records.append(#""text""#) }
        }
        let csvFile = try TemporaryFile(contents: csv)
        let jsonFile = try TemporaryFile(contents: "{\"users\":[\n" + records.reversed().joined(separator: ",\n") + "\n]}", suffix: ".json")
        defer { withExtendedLifetime((csvFile, jsonFile)) {} }
        func items(_ export: UserExport) -> [ExportItem] { Array(export) }
        for budget in [48 << 20, 1 << 16] {
            let options = ExportOptions(joinMemoryBytes: budget)
            let fresh = try UserExport(inputs: [csvFile.path, jsonFile.path], options: options)
            let expected = items(fresh)
            let twice = try UserExport(inputs: [csvFile.path, jsonFile.path], options: options)
            twice.keepsJoin = true
            let first = items(twice)
            #expect(twice.keptJoin != nil, "budget \(budget): the first pass kept its join")
            // Gone from disk: a second pass that read it again would fail and say so.
            try FileManager.default.moveItem(atPath: jsonFile.path, toPath: jsonFile.path + ".moved")
            defer { try? FileManager.default.moveItem(atPath: jsonFile.path + ".moved", toPath: jsonFile.path) }
            let second = items(twice)
            #expect(first == expected && second == expected, "budget \(budget)")
            #expect(twice.report == fresh.report, "budget \(budget)")
            #expect(expected.filter { $0.problem != nil }.count == 5, "budget \(budget): the unreadable records")
            #expect(twice.keptJoin == nil, "budget \(budget): taken by the second pass")
        }
    }
}

