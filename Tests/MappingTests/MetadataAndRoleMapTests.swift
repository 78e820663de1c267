import DescopeExport
import Foundation
@testable import Mapping
import Testing

@Suite struct RoleMapTests {
    func write(_ text: String, _ name: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("rolemap-\(UUID().uuidString)-\(name)").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func jsonMapWithTenantSpecificEntries() throws {
        let path = try write(#"{"Tenant Admin": "admin", "T2abc:Tenant Admin": "owner", "Viewer": "viewer"}"#, "m.json")
        let map = try RoleMap.load(path: path)
        #expect(map.slug(forRole: "Tenant Admin", tenantId: "T1") == "admin")
        #expect(map.slug(forRole: "Tenant Admin", tenantId: "T2abc") == "owner")
        #expect(map.slug(forRole: "Viewer", tenantId: "T2abc") == "viewer")
        #expect(map.slug(forRole: "Billing", tenantId: "T1") == nil)
    }

    @Test func csvMapWithHeaderAndTenantRows() throws {
        let path = try write("role,slug\nTenant Admin,admin\nT9,Tenant Admin,owner\n\n", "m.csv")
        let map = try RoleMap.load(path: path)
        #expect(map.slug(forRole: "Tenant Admin", tenantId: "T1") == "admin")
        #expect(map.slug(forRole: "Tenant Admin", tenantId: "T9") == "owner")
    }

    @Test func badMapsSayWhereAndWhy() throws {
        let ragged = try write("role,slug\nAdmin,admin\na,b,c,d\n", "bad.csv")
        #expect(throws: RoleMap.LoadError.invalid(path: ragged, line: 3,
                                                   reason: "expected `role,slug` or `tenant_id,role,slug`, found 4 fields")) {
            _ = try RoleMap.load(path: ragged)
        }
        let notJSON = try write("{\"a\": 1}", "n.json")
        #expect(throws: RoleMap.LoadError.self) { _ = try RoleMap.load(path: notJSON) }
        #expect(throws: RoleMap.LoadError.self) { _ = try RoleMap.load(path: "/nonexistent/role-map.json") }
    }
}

@Suite struct MetadataTests {
    @Test func isoTimesFromUnixSeconds() {
        #expect(ISO8601.utcString(unixSeconds: 0) == "1970-01-01T00:00:00Z")
        #expect(ISO8601.utcString(unixSeconds: 1_700_000_000) == "2023-11-14T22:13:20Z")
        #expect(ISO8601.utcString(unixSeconds: 951_782_400) == "2000-02-29T00:00:00Z")
        #expect(ISO8601.utcString(unixSeconds: -1) == "1969-12-31T23:59:59Z")
        #expect(ISO8601.utcString(unixSeconds: Int64.max) == String(Int64.max))
        #expect(ISO8601.utcString(unixSeconds: Int64.min) == String(Int64.min))
    }

    @Test func jsonTextEscapesEverythingRFC8259Requires() {
        var out: [UInt8] = []
        JSONText.appendString("a\"b\\c\nd\u{01}é", to: &out)
        #expect(String(decoding: out, as: UTF8.self) == #""a\"b\\c\nd\u0001é""#)
        var n: [UInt8] = []
        JSONText.appendInt(-1234567890, to: &n)
        JSONText.appendInt(0, to: &n)
        #expect(String(decoding: n, as: UTF8.self) == "-12345678900")
    }

    /// `check` counts a value's characters without writing it; the count must be what is written.
    @Test func checkedLengthsAreTheWrittenLengths() throws {
        var rng = SystemRandomNumberGenerator()
        let pieces = ["a", "é", "日本", "\"", "\\", "\n", "\t", "\u{1}", "😀", " ", "x@y.io"]
        for _ in 0..<300 {
            var u = DescopeUser(source: SourceLocation(file: "u.csv", line: 2))
            u.loginIds = (0..<Int.random(in: 1...3, using: &rng)).map { _ in (0..<Int.random(in: 0...5, using: &rng)).map { _ in pieces.randomElement(using: &rng)! }.joined() }
            u.roleNames = u.loginIds.reversed()
            u.createdTime = [Int64.random(in: -100_000_000_000...400_000_000_000, using: &rng), 0, 253_402_300_799, 253_402_300_800].randomElement(using: &rng)!
            u.status = pieces.randomElement(using: &rng)
            let arena = ViewArena()
            let view = UserView(u, arena: arena)
            MetadataBuilder().forEachEntry(view, keepUserId: false) { _, value, _ in
                let written = value.withText { String(decoding: $0, as: UTF8.self) }
                #expect(value.scalars == written.unicodeScalars.count, "\(written)")
            }
            withExtendedLifetime(arena) {}
        }
    }
}
