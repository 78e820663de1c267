import Foundation
import Testing
@testable import DescopeExport

@Suite struct JSONParserTests {
    @Test func parsesEveryValueKindAndKeepsNumberText() throws {
        let parsed = JSONParser.parse(#"{"a":[1,-2.50,3e+2,true,false,null],"b":"x\"\\\/\n\u00e9\ud83d\ude00","c":{}}"#)
        guard case .success(let v) = parsed else { Issue.record("\(parsed)"); return }
        #expect(v[caseInsensitive: "A"] == .array([.number("1"), .number("-2.50"), .number("3e+2"), .bool(true), .bool(false), .null]))
        #expect(v[caseInsensitive: "b"] == .string("x\"\\/\né😀"))
        #expect(v[caseInsensitive: "c"] == .object([]))
    }

    @Test(arguments: [
        "{\"a\":}", "[1,]", "{\"a\" 1}", "\"unterminated", "01", "-", "1.", "tru", "{\"a\":1}x",
        "\"\\ud800\"", "\"\\x\"", String(repeating: "[", count: 100) + String(repeating: "]", count: 100),
    ])
    func rejectsInvalidJSON(_ text: String) {
        guard case .failure(.invalid) = JSONParser.parse(text) else {
            Issue.record("accepted \(text.prefix(30))")
            return
        }
    }

    @Test func rejectsInvalidUTF8InStrings() {
        let bytes: [UInt8] = [0x22, 0x61, 0xC3, 0x28, 0x22]
        let result = bytes.withUnsafeBytes { JSONParser.parse($0) }
        guard case .failure(.invalid(let why, _)) = result else { Issue.record("accepted"); return }
        #expect(why.contains("UTF-8"))
    }

    @Test func jsonTextRoundTrips() {
        let v = JSONValue.object([("k\"", .array([.string("a\nb\u{1}"), .number("1.5"), .null]))])
        #expect(JSONParser.parse(v.jsonText) == .success(v))
    }
}

@Suite struct JSONStreamTests {
    /// The same users, whatever the envelope and however small the read blocks.
    static let users = (1...40).map { i in
        #"{"userId":"U\#(i)","email":"user\#(i)@example.com","loginIds":["user\#(i)@example.com"],"name":"Name \u00e9 \#(i)","createdTime":\#(1_700_000_000 + i),"customAttributes":{"n":\#(i).5,"s":"x\"y"},"TOTP":\#(i % 2 == 0)}"#
    }
    static let envelopes: [(String, String)] = [
        ("rest", #"{"users":["# + users.joined(separator: ",") + #"],"total":40}"#),
        ("bare", "[\n  " + users.joined(separator: ",\n  ") + "\n]\n"),
        ("cli", #"{"ok":true,"count":40,"users":["# + users.joined(separator: ",") + "]}"),
        ("ndjson", users.joined(separator: "\n") + "\n"),
        ("ndjson-crlf", users.joined(separator: "\r\n")),
    ]

    @Test(arguments: [64, 100, 4096])
    func envelopesStreamTheSameUsersAcrossBlockBoundaries(_ blockSize: Int) throws {
        for (name, text) in Self.envelopes {
            let file = try TemporaryFile(contents: text, suffix: ".json")
            defer { withExtendedLifetime(file) {} }
            var options = ExportOptions()
            options.readBlockSize = blockSize
            let reader = try SearchUsersReader(path: file.path, options: options)
            var ids: [String] = []
            while let item = reader.next() {
                guard case .user(let u) = item else { Issue.record("\(name)/\(blockSize): \(item)"); continue }
                ids.append(u.userId ?? "?")
                let i = ids.count
                #expect(u.source.line == i)
                #expect(u.email == "user\(i)@example.com" && u.name == "Name é \(i)" && u.totp == (i % 2 == 0))
                #expect(u.createdTime == Int64(1_700_000_000 + i))
                #expect(u.customAttributes == [CustomAttribute(key: "n", value: .number("\(i).5")),
                                               CustomAttribute(key: "s", value: .string("x\"y"))])
            }
            #expect(ids == (1...40).map { "U\($0)" }, "\(name) with \(blockSize)-byte blocks")
        }
    }

    @Test func elementLargerThanTheLimitIsAProblem() throws {
        let big = #"[{"userId":"U1","name":""# + String(repeating: "x", count: 10_000) + #""},{"userId":"U2"}]"#
        let file = try TemporaryFile(contents: big, suffix: ".json")
        defer { withExtendedLifetime(file) {} }
        let reader = try SearchUsersReader(path: file.path, options: ExportOptions(maxRecordBytes: 2048))
        guard case .problem(let p)? = reader.next() else { Issue.record("expected a problem"); return }
        #expect(p.code == ExportProblem.Code.invalidJSON && p.message.contains("longer than"))
        #expect(reader.next() == nil)
    }

    @Test func emptyAndNonJSONInputs() throws {
        let empty = try TemporaryFile(contents: "  \n", suffix: ".json")
        defer { withExtendedLifetime(empty) {} }
        #expect(throws: ExportError.empty(path: empty.path)) { _ = try UserExport(inputs: [empty.path]) }
        #expect(throws: ExportError.self) { _ = try UserExport(inputs: ["/nonexistent/users.json"]) }
    }
}

@Suite struct JSONEdgeTests {
    @Test func byteOrderMarkBeforeJSON() throws {
        let file = try TemporaryFile(bytes: [0xEF, 0xBB, 0xBF] + Array(#"{"users":[{"userId":"U1","email":"bom@example.com"}]}"#.utf8), suffix: ".json")
        defer { withExtendedLifetime(file) {} }
        let export = try UserExport(inputs: [file.path])
        #expect(export.formats == [.searchUsersJSON])
        let users = export.compactMap { if case .user(let u) = $0 { u } else { nil } }
        #expect(users.map(\.email) == ["bom@example.com"])
    }
}
