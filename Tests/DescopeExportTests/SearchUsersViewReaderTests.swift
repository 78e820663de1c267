import Foundation
import Testing
@testable import DescopeExport

/// What the reader gave before simdjson: JSONRecordStream without a taker, and DescopeUser(searchUsersJSON:).
func referenceItems(path: String, options: ExportOptions) throws -> [(item: ExportItem, raw: [UInt8])] {
    let blocks = try ByteBlocks(path: path, blockSize: options.readBlockSize, maxRecordBytes: options.maxRecordBytes)
    let stream = JSONRecordStream(blocks: blocks, arrayKey: "users", singleKey: "user")
    var out: [(ExportItem, [UInt8])] = []
    while let record = stream.next() {
        switch record {
        case .problem(let number, let message):
            out.append((.problem(ExportProblem(location: SourceLocation(file: path, line: number),
                                               code: ExportProblem.Code.invalidJSON, message: message)), []))
        case .record(let number, let value, let raw):
            let location = SourceLocation(file: path, line: number)
            if let user = DescopeUser(searchUsersJSON: value, source: location) {
                out.append((.user(user), raw))
            } else {
                out.append((.problem(ExportProblem(location: location, code: ExportProblem.Code.notAUser,
                                                   message: "element \(number): not a user object")), []))
            }
        case .taken(let number, _, _):
            Issue.record("element \(number) taken without a taker")
        }
    }
    return out
}

/// A user as a view can hold it: a "" tenant name is no name.
func viewable(_ user: DescopeUser) -> DescopeUser {
    var u = user
    u.tenants = u.tenants.map { var t = $0; if t.tenantName == "" { t.tenantName = nil }; return t }
    return u
}

/// Reads `path` with the new readers and checks them against the reference, element by element; returns how many
/// elements simdjson read.
@discardableResult
func expectSameAsReference(path: String, options: ExportOptions, _ label: String) throws -> (fast: Int, total: Int) {
    let reference = try referenceItems(path: path, options: options)
    let views = try SearchUsersViewReader(path: path, options: options)
    var k = 0
    while let item = views.next() {
        defer { k += 1 }
        guard k < reference.count else { Issue.record("\(label): extra item \(k + 1)"); break }
        let want = reference[k]
        switch (item, want.item) {
        case (.user(let view), .user(let user)):
            let got = DescopeUser(view)
            #expect(got == viewable(user), "\(label) #\(k + 1)\n got \(got)\nwant \(user)")
            #expect(Array(views.element) == want.raw, "\(label) #\(k + 1): element bytes")
        case (.problem(let p), .problem(let q)):
            #expect(p == q, "\(label) #\(k + 1)")
        default:
            Issue.record("\(label) #\(k + 1): got \(item), want \(want.item)")
        }
    }
    #expect(k == reference.count, "\(label): \(k) items, reference \(reference.count)")

    // The owning reader is the reference exactly (raw bytes included).
    let owning = try SearchUsersReader(path: path, options: options)
    var j = 0
    while let (item, raw) = owning.nextWithRaw() {
        if j < reference.count {
            #expect(item == reference[j].item && raw == reference[j].raw, "\(label) owning #\(j + 1)")
        }
        j += 1
    }
    #expect(j == reference.count, "\(label): owning reader gave \(j) items")
    return (views.fastElements, k)
}

@Suite struct SearchUsersViewReaderTests {
    static var sampleInputs: [String] {
        let files = (try? FileManager.default.contentsOfDirectory(atPath: SampleExports.directory)) ?? []
        return files.filter {
            ($0.hasSuffix(".json") || $0.hasSuffix(".jsonl") || $0.hasSuffix(".ndjson")) && !$0.hasPrefix("tenant")
                && !$0.hasSuffix(".expected.json") && !$0.hasSuffix(".outcomes.json")
        }.sorted()
    }

    @Test func thereAreJSONSamples() { #expect(Self.sampleInputs.count >= 9) }

    @Test(arguments: sampleInputs)
    func everySampleReadsAsTheReferenceDoes(_ name: String) throws {
        let path = SampleExports.directory + "/" + name
        var fast = 0
        for blockSize in [1 << 20, 64, 100, 257] {
            var options = ExportOptions()
            options.readBlockSize = blockSize
            fast += try expectSameAsReference(path: path, options: options, "\(name)/\(blockSize)").fast
        }
        // A `{"user":{…}}` is read member by member (it could have been an envelope); every element of
        // search-bad-elements needs a problem worded.
        let carefulOnly: Set = ["search-single.json", "search-bad-elements.json"]
        #expect(fast > 0 || carefulOnly.contains(name), "\(name): simdjson read no element")
    }

    @Test func cleanElementsAllGoThroughSimdJSON() throws {
        let users = (1...50).map { i in
            #"{"userId":"U\#(i)","loginIds":["u\#(i)@example.com","+1555\#(i)"],"email":"u\#(i)@example.com","verifiedEmail":true,"#
                + #""name":"N\u00e9\#(i)","status":"Enabled","roleNames":["admin"],"userTenants":[{"tenantId":"T1","tenantName":"Acme","roleNames":["r1","r2"],"permissions":["p"]}],"#
                + #""customAttributes":{"n":\#(i).5,"b":true,"z":null,"l":["a","b c"],"o":{"k":[1,{"x":"y"}]}},"createdTime":\#(1_700_000_000 + i),"#
                + #""OAuth":{"google":true,"apple":false},"TOTP":true,"webauthn":false,"password":true,"externalIds":["e"],"editable":true}"#
        }
        for text in ["[" + users.joined(separator: ",\n") + "]", users.joined(separator: "\r\n") + "\r\n"] {
            let file = try TemporaryFile(contents: text, suffix: ".json")
            defer { withExtendedLifetime(file) {} }
            for blockSize in [1 << 20, 64, 333] {
                var options = ExportOptions()
                options.readBlockSize = blockSize
                let (fast, total) = try expectSameAsReference(path: file.path, options: options, "clean/\(blockSize)")
                // NDJSON's first line is read member by member (it could have been an envelope).
                #expect(total == 50 && fast >= 49, "\(fast) of \(total) through simdjson with \(blockSize)-byte blocks")
            }
        }
        let reader = SearchUsersViewReader(bytes: Array(("[" + users[0] + "]").utf8))
        guard case .user(let view)? = reader.next() else { Issue.record("no user"); return }
        #expect(view.status.string == "enabled" && view.customAttributes[4].value.string == #"{"k":[1,{"x":"y"}]}"#)
        #expect(view.oauthProviders.strings == ["google"] && view.tenants[0].roleNames.strings == ["r1", "r2"])
        #expect(String(decoding: reader.element, as: UTF8.self) == users[0])
    }

    @Test(arguments: [
        #"{"userId":"\ud800\u0041"}"#, #"{"userId":"\udc00"}"#, #"{"userId":"\ud800"}"#, #"{"a":"\ud83d\ude00","userId":"x\/y"}"#,
        #"{"userId":"U","x":tru}"#, #"{"userId":"U","x":01}"#, #"{"userId":"U","x":1.}"#, #"{"userId":"U","x":[1,]}"#,
        #"{"userId":"U","x":{"a" 1}}"#, #"{"userId":"U","x":"\x"}"#, #"{"userId":"U","userid":"V"}"#, #"{"userId":5}"#,
        #"{"USERID":"U","Email":"","TOTP":"yes","SAML":"maybe"}"#, #"{"createdTime":"2024-01-02T03:04:05Z"}"#,
        #"{"createdTime":"soon"}"#, #"{"createdTime":1700000000000}"#, #"{"user\u0049d":"U","em\u0061il":"e@x"}"#,
        #"{"userTenants":[{"tenantId":"","roleNames":["a"]}]}"#, #"{"userTenants":[{"tenantName":"","tenantId":"T"}]}"#,
        #"{"userTenants":[{"TENANTID":"T","tenantid":5,"roleNames":[1,"a",null],"rolenames":["b"]}]}"#,
        #"{"loginId":"a","loginIds":["b","a"]}"#, #"{"loginIds":["b","a","b"],"loginId":"a"}"#, #"{"loginIds":["b"],"loginId":"a"}"#,
        #"{"customAttributes":{"s":"a\"b","j":["a\nb"],"e":[],"big":123456789012345678901234567890,"x":1e400}}"#,
        #"{"hashedPassword":{"bcrypt":{"hash":"$2a$10$abc"}},"userId":"U"}"#, #"{"hashed_password":"$2a$10$abc"}"#,
        #"{"hashedPassword":{"bcrypt":{"hash":"a\/b"}}}"#, #"{"hashedPassword":7}"#, #"{"status":"ÉNABLED"}"#,
        #"{"OAuth":{"google":true,"github":"true","x":null}}"#, #"{"OAuth":[]}"#, #"{"roleNames":"admin"}"#,
        #"{"userId":"U"} x"#, #"{"userId":"U","bad":"\#u{01}"}"#,
        "{\"userId\":\"U\",\"d\":" + String(repeating: "[", count: 61) + String(repeating: "]", count: 61) + "}",
        "{\"userId\":\"U\",\"d\":" + String(repeating: "[", count: 62) + "1" + String(repeating: "]", count: 62) + "}",
        "{\"userId\":\"U\",\"d\":" + String(repeating: "[", count: 63) + String(repeating: "]", count: 63) + "}",
    ])
    func oddElementsReadAsTheReferenceDoes(_ element: String) throws {
        for text in ["[" + element + "," + element + "]", element + "\n" + element + "\n" + element + "\n"] {
            let file = try TemporaryFile(contents: text, suffix: ".json")
            defer { withExtendedLifetime(file) {} }
            for blockSize in [1 << 20, 64] {
                var options = ExportOptions()
                options.readBlockSize = blockSize
                try expectSameAsReference(path: file.path, options: options, "\(element.prefix(40))/\(blockSize)")
            }
        }
    }

    @Test func elementLargerThanTheLimitStopsAsBefore() throws {
        let big = #"[{"userId":"U1"},{"userId":"U2","name":""# + String(repeating: "x", count: 10_000) + #""},{"userId":"U3"}]"#
        let file = try TemporaryFile(contents: big, suffix: ".json")
        defer { withExtendedLifetime(file) {} }
        var options = ExportOptions(maxRecordBytes: 2048)
        options.readBlockSize = 512
        let (fast, total) = try expectSameAsReference(path: file.path, options: options, "too large")
        #expect(fast == 1 && total == 2)
    }
}
