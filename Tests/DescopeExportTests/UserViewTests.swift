import Testing
@testable import DescopeExport

@Suite struct UserViewTests {
    /// `reset` lists the fields one by one: a field it forgets would carry one record's value into the next.
    @Test func resetEmptiesEveryField() {
        var u = DescopeUser(source: SourceLocation(file: "a.csv", line: 7))
        u.userId = "U1"; u.loginIds = ["ada@example.com"]; u.email = "ada@example.com"; u.verifiedEmail = true
        u.phone = "+15550100"; u.verifiedPhone = false; u.name = "Ada Lovelace"; u.givenName = "Ada"; u.middleName = "K"
        u.familyName = "Lovelace"; u.status = "enabled"; u.roleNames = ["admin"]
        u.tenants = [DescopeUserTenant(tenantId: "T1", tenantName: "Acme", roleNames: ["a"])]
        u.customAttributes = [CustomAttribute(key: "plan", value: .string("pro"))]
        u.createdTime = 86_400; u.picture = "https://p"; u.test = true; u.totp = true; u.saml = true; u.scim = true
        u.oidc = true; u.webauthn = true; u.oauthProviders = ["google"]; u.ssoAppIds = ["sso"]; u.hasPassword = true
        u.hash.hash = "$2b$04$x"; u.hash.type = "bcrypt"; u.hash.salt = "s"; u.hash.iterations = "1"; u.hash.memory = "2"
        u.hash.threads = "3"; u.hash.digest = "sha256"; u.hash.signerKey = "k"; u.hash.saltSeparator = "Bw=="
        u.hash.objectFields = [HashObjectCell(kind: "argon2", field: "salt", value: "AAAA")]
        u.problems = [ExportProblem(location: u.source, code: "invalid_field", message: "bad")]
        let arena = ViewArena()
        var view = UserView(u, arena: arena)
        view.joinedFrom = SourceLocation(file: "users.json", line: 3)
        #expect("\(view)" != "\(UserView(source: SourceLocation(file: "b.csv", line: 9)))")

        view.reset(file: "b.csv", line: 9)
        // Every stored property, the ones added later included, is compared through its description.
        #expect("\(view)" == "\(UserView(source: SourceLocation(file: "b.csv", line: 9)))")
        view.reset(file: "b.csv", line: 10)
        #expect(view.source == SourceLocation(file: "b.csv", line: 10))
        withExtendedLifetime(arena) {}
    }
}
