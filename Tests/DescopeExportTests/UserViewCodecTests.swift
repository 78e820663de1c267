import Foundation
import Testing
@testable import DescopeExport

/// The join keeps Search Users records encoded on disk: every field must come back exactly.
@Suite struct UserViewCodecTests {
    @Test func everyFieldRoundTrips() throws {
        var u = DescopeUser(source: SourceLocation(file: "s.json", line: 7))
        u.userId = "U1"; u.loginIds = ["ada@example.com", "+15550100"]; u.email = "Ada@Example.com"; u.verifiedEmail = false
        u.phone = "+15550100"; u.verifiedPhone = true; u.name = "Ada Lovelace"; u.givenName = "Ada"; u.middleName = "K"
        u.familyName = "Lovelace"; u.status = "enabled"; u.roleNames = ["admin"]
        u.tenants = [DescopeUserTenant(tenantId: "T1", tenantName: "Acme", roleNames: ["a", "b"]), DescopeUserTenant(tenantId: "T2")]
        u.customAttributes = [CustomAttribute(key: "plan", value: .string("pro")), CustomAttribute(key: "n", value: .number("3.5")),
                              CustomAttribute(key: "flag", value: .bool(true)), CustomAttribute(key: "gone", value: .null),
                              CustomAttribute(key: "list", value: .array([.string("x"), .number("1")]))]
        u.createdTime = -86_400; u.picture = "https://p"; u.test = true; u.saml = true; u.webauthn = true
        u.oauthProviders = ["google"]; u.ssoAppIds = ["sso"]; u.hasPassword = true
        u.hash.hash = #"{"bcrypt":{"hash":"$2b$04$x"}}"#; u.hash.salt = "é"
        u.hash.objectFields = [HashObjectCell(kind: "argon2", field: "salt", value: "AAAA")]
        u.problems = [ExportProblem(location: u.source, code: "invalid_field", message: "element 7: 'x' is not a string")]
        let arena = ViewArena()
        var bytes: [UInt8] = []
        UserViewCodec.encode(UserView(u, arena: arena), into: &bytes)
        // The decoded view's lists live in `lists`: it must outlive the copy.
        let lists = ViewArena()
        let decoded = try bytes.withUnsafeBytes { b in
            try #require(UserViewCodec.decode(b, source: u.source, arena: lists).map(DescopeUser.init))
        }
        withExtendedLifetime(lists) {}
        #expect(decoded == u)
        // A damaged record is refused, not misread.
        for cut in [1, bytes.count / 2, bytes.count - 1] {
            let shorter = Array(bytes[0..<cut])
            shorter.withUnsafeBytes { b in #expect(UserViewCodec.decode(b, source: u.source, arena: ViewArena()) == nil) }
        }
    }
}
