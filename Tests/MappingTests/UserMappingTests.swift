import DescopeExport
import Mapping
import PasswordHashes
import Testing

/// The mapping rules of DESIGN §2 Migration, one by one.
@Suite struct UserMappingTests {
    static let bcrypt = "$2a$10$k87L/MF28Q673VKh8/cPi.SUl7MU/rWuSiIDDFayrKk/1tBsSQu4u"  // pybcrypt vector, password "a"
    static let argon2id = "$argon2id$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc"

    static func user(line: Int = 2, email: String? = "ada@example.com", hash: String? = bcrypt) -> DescopeUser {
        var u = DescopeUser(source: SourceLocation(file: "users.csv", line: line))
        u.userId = "U2iOCFIwsdgeGvusdfkKUb9HJKsdi"
        u.email = email
        u.hash.hash = hash
        return u
    }

    func codes(_ m: MappedUser) -> [String] { m.problems.map(\.code) }

    @Test func readyUserCarriesEmailIdAndWorkOSHash() {
        let m = UserMapper().map(Self.user())
        #expect(m.status == .ready)
        #expect(m.user.email == "ada@example.com")
        #expect(m.user.externalId == "U2iOCFIwsdgeGvusdfkKUb9HJKsdi")
        #expect(m.sourceUserId == "U2iOCFIwsdgeGvusdfkKUb9HJKsdi")
        #expect(m.user.passwordHash == WorkOSPasswordHash(type: "bcrypt", string: Self.bcrypt))
        #expect(m.hash == HashSummary(family: "bcrypt", label: "bcrypt 2a cost=10", importable: true))
        #expect(m.problems.isEmpty)
        #expect(m.row == 2)
    }

    @Test func argon2IsRewrittenAndLabelledByParameters() {
        let m = UserMapper().map(Self.user(hash: Self.argon2id))
        #expect(m.status == .ready)
        #expect(m.user.passwordHash?.type == "argon2")
        #expect(m.user.passwordHash?.string == Self.argon2id)
        #expect(m.hash?.label == "argon2id m=65536 t=2 p=1")
    }

    @Test func givenAndFamilyNameBecomeFirstAndLast() {
        var u = Self.user()
        u.givenName = " Ada "; u.familyName = "Lovelace"; u.name = "Countess of Lovelace"
        let m = UserMapper().map(u)
        #expect(m.user.firstName == "Ada")
        #expect(m.user.lastName == "Lovelace")
    }

    @Test func displayNameIsSplitOnlyWhenBothPartsAreEmpty() {
        var u = Self.user()
        u.name = "Jean Claude Van Damme"
        var m = UserMapper().map(u)
        #expect(m.user.firstName == "Jean")
        #expect(m.user.lastName == "Claude Van Damme")
        u.name = "Cher"
        m = UserMapper().map(u)
        #expect(m.user.firstName == "Cher")
        #expect(m.user.lastName == nil)
        u.familyName = "Sarkisian"
        m = UserMapper().map(u)
        #expect(m.user.firstName == nil)
        #expect(m.user.lastName == "Sarkisian")
    }

    @Test func verifiedEmailIsCopiedAndOmittedWhenUnknown() {
        var u = Self.user()
        #expect(UserMapper().map(u).user.emailVerified == nil)
        u.verifiedEmail = false
        #expect(UserMapper().map(u).user.emailVerified == false)
        u.verifiedEmail = true
        #expect(UserMapper().map(u).user.emailVerified == true)
    }

    @Test func externalIdRuleIs128PrintableASCII() {
        var u = Self.user()
        u.userId = String(repeating: "U", count: 128)
        #expect(UserMapper().map(u).user.externalId == u.userId)
        u.userId = String(repeating: "U", count: 129)
        var m = UserMapper().map(u)
        #expect(m.user.externalId == nil)
        #expect(m.status == .ready)
        #expect(codes(m) == ["external_id_invalid"])
        #expect(m.user.metadata.first { $0.key == "descope_user_id" }?.value == u.userId)
        u.userId = "Uñ"
        m = UserMapper().map(u)
        #expect(m.user.externalId == nil)
        #expect(codes(m) == ["external_id_invalid"])
        u.userId = nil
        m = UserMapper().map(u)
        #expect(codes(m) == ["missing_user_id"])
        #expect(m.problems[0].severity == .warning)
    }

    @Test func missingOrInvalidEmailIsRejected() {
        var m = UserMapper().map(Self.user(email: nil))
        #expect(m.status == .rejected(reason: "missing_email"))
        m = UserMapper().map(Self.user(email: "   "))
        #expect(m.status == .rejected(reason: "missing_email"))
        for bad in ["ada", "ada@", "@example.com", "ada@example", "a b@example.com", "ada@@example.com",
                    "ada@example..com", ".ada@example.com", "ada@example.com."] {
            m = UserMapper().map(Self.user(email: bad))
            #expect(m.status == .rejected(reason: "invalid_email"), "\(bad)")
        }
        m = UserMapper().map(Self.user(email: " Ada.Lovelace+x@Example.co.uk "))
        #expect(m.status == .ready)
        #expect(m.user.email == "Ada.Lovelace+x@Example.co.uk")
    }

    @Test func emailComesFromALoginIdWhenTheEmailFieldIsEmpty() {
        var u = Self.user(email: "")
        u.loginIds = ["+14155550100", "ada@example.com"]
        let m = UserMapper().map(u)
        #expect(m.user.email == "ada@example.com")
        #expect(m.status == .ready)
        #expect(codes(m).contains("email_from_login_id"))
    }

    @Test func disabledExpiredAndTestUsersAreSkippedUnlessAskedFor() {
        var u = Self.user()
        u.status = "disabled"
        #expect(UserMapper().map(u).status == .rejected(reason: "disabled_user"))
        #expect(UserMapper(options: MappingOptions(includeDisabled: true)).map(u).status == .ready)
        u.status = "expired"
        #expect(UserMapper().map(u).status == .rejected(reason: "expired_user"))
        u.status = "invited"
        #expect(UserMapper().map(u).status == .ready)
        u.status = "enabled"; u.test = true
        #expect(UserMapper().map(u).status == .rejected(reason: "test_user"))
        #expect(UserMapper(options: MappingOptions(includeTest: true)).map(u).status == .ready)
    }

    @Test func descopeFactsAndCustomAttributesBecomeStringMetadata() {
        var u = Self.user()
        u.loginIds = ["ada@example.com"]
        u.phone = "+14155550100"; u.verifiedPhone = true
        u.status = "enabled"; u.createdTime = 1_700_000_000
        u.roleNames = ["Tenant Admin"]
        u.customAttributes = [
            CustomAttribute(key: "plan", value: .string("pro")),
            CustomAttribute(key: "seats", value: .number("12")),
            CustomAttribute(key: "beta", value: .bool(true)),
            CustomAttribute(key: "tags", value: .array([.string("a"), .string("b\"c")])),
            CustomAttribute(key: "unset", value: .null),
        ]
        let m = UserMapper().map(u)
        let md = Dictionary(uniqueKeysWithValues: m.user.metadata.map { ($0.key, $0.value) })
        #expect(md == [
            "descope_login_ids": #"["ada@example.com"]"#, "descope_phone": "+14155550100", "descope_phone_verified": "true",
            "descope_status": "enabled", "descope_created_at": "2023-11-14T22:13:20Z", "descope_roles": #"["Tenant Admin"]"#,
            "plan": "pro", "seats": "12", "beta": "true", "tags": #"["a","b\"c"]"#,
        ])
        #expect(m.status == .ready)
    }

    @Test func metadataOverWorkOSLimitsRejectsTheRowInsteadOfCuttingIt() {
        var u = Self.user()
        u.customAttributes = (0..<51).map { CustomAttribute(key: "k\($0)", value: .string("v")) }
        var m = UserMapper().map(u)
        #expect(m.status == .rejected(reason: "metadata_too_many_keys"))
        #expect(m.user.metadata.count == 51)

        u.customAttributes = [CustomAttribute(key: "bio", value: .string(String(repeating: "x", count: 601)))]
        m = UserMapper().map(u)
        #expect(m.status == .rejected(reason: "metadata_value_too_long"))
        u.customAttributes = [CustomAttribute(key: "bio", value: .string(String(repeating: "é", count: 600)))]
        #expect(UserMapper().map(u).status == .ready)

        u.customAttributes = [CustomAttribute(key: String(repeating: "k", count: 41), value: .string("v"))]
        #expect(UserMapper().map(u).status == .rejected(reason: "metadata_key_too_long"))
        u.customAttributes = [CustomAttribute(key: "descope_status", value: .string("v"))]
        u.status = "enabled"
        #expect(UserMapper().map(u).status == .rejected(reason: "metadata_key_conflict"))
    }

    @Test func tenantsBecomeMembershipsThroughTheRoleMap() {
        var u = Self.user()
        u.tenants = [
            DescopeUserTenant(tenantId: "T1", tenantName: "Acme", roleNames: ["Tenant Admin", "Billing"]),
            DescopeUserTenant(tenantId: "T2", roleNames: []),
            DescopeUserTenant(tenantId: "T3", roleNames: ["Tenant Admin"]),
            DescopeUserTenant(tenantId: "T1", roleNames: ["ignored duplicate tenant"]),
        ]
        let roles = RoleMap(["Tenant Admin": "admin"], perTenant: ["T3": ["Tenant Admin": "owner"]])
        let m = UserMapper(options: MappingOptions(roleMap: roles)).map(u)
        #expect(m.memberships == [
            MappedMembership(tenantId: "T1", tenantName: "Acme", roleSlugs: ["admin"]),
            MappedMembership(tenantId: "T2", roleSlugs: ["member"]),
            MappedMembership(tenantId: "T3", roleSlugs: ["owner"]),
        ])
        let unmapped = m.problems.filter { $0.code == "role_not_mapped" }
        #expect(unmapped.count == 1)
        #expect(unmapped.first?.severity == .warning)
        #expect(unmapped.first?.message.contains("\"Billing\"") == true)
        #expect(m.status == .ready)

        let noMap = UserMapper().map(u)
        #expect(noMap.memberships.map(\.roleSlugs) == [["member"], ["member"], ["member"]])
        #expect(noMap.problems.filter { $0.code == "role_not_mapped" }.allSatisfy { $0.severity == .info })
    }

    @Test func tenantsFileNamesOrganizationsAndReportsUnknownTenants() {
        var u = Self.user()
        u.tenants = [DescopeUserTenant(tenantId: "T1"), DescopeUserTenant(tenantId: "T9")]
        let directory = TenantDirectory([DescopeTenant(source: SourceLocation(file: "t.json", line: 1), id: "T1", name: "Acme")])
        let m = UserMapper(options: MappingOptions(tenants: directory)).map(u)
        #expect(m.memberships.map(\.tenantName) == ["Acme", nil])
        #expect(codes(m) == ["unknown_tenant"])
    }

    @Test func aHashWorkOSRefusesMakesTheUserReadyWithoutPassword() {
        // PBKDF2-SHA256 with 30,000 iterations: recognised, below WorkOS's 600,000 floor.
        let m = UserMapper().map(Self.user(hash: "pbkdf2_sha256$30000$seasalt$VrX+V8drCGo68wlvy6rfu8i1d1pfkdeXA4LJkRGJodY="))
        #expect(m.status == .readyWithoutPassword(reason: "pbkdf2_iterations_out_of_range"))
        #expect(m.user.passwordHash == nil)
        #expect(m.hash == HashSummary(family: "pbkdf2", label: "pbkdf2 sha256 i=30000", importable: false))
        #expect(m.problems.first?.severity == .warning)

        let md5 = UserMapper().map(Self.user(hash: "5f4dcc3b5aa765d61d8327deb882cf99"))
        #expect(md5.status.name == "ready_without_password")
        #expect(md5.hash?.importable == false)

        let garbage = UserMapper().map(Self.user(hash: "not a hash"))
        #expect(garbage.status.name == "ready_without_password")
        #expect(garbage.hash?.family == "unknown")
    }

    @Test func usersWithoutAHashSayWhy() {
        var u = Self.user(hash: nil)
        #expect(UserMapper().map(u).status == .readyWithoutPassword(reason: "no_password_hash"))
        u.hasPassword = true
        #expect(UserMapper().map(u).status == .readyWithoutPassword(reason: "password_hash_missing"))
        u.hasPassword = false
        u.oauthProviders = ["google"]
        let m = UserMapper().map(u)
        #expect(m.status == .readyWithoutPassword(reason: "passwordless_user"))
        #expect(m.lostLoginMethods == [.social])
        #expect(m.hash == nil)
    }

    @Test func lostLoginMethodsAreCounted() {
        var u = Self.user()
        u.phone = "+14155550100"; u.loginIds = ["+14155550100"]
        u.webauthn = true; u.totp = true; u.saml = true; u.oauthProviders = ["github"]
        let m = UserMapper().map(u)
        #expect(m.lostLoginMethods == [.sms, .passkey, .totp, .sso, .social])
        #expect(Set(codes(m)) == ["login_sms", "login_passkey", "login_totp", "login_sso", "login_social"])
        #expect(m.status == .ready)
        var sso = Self.user()
        sso.ssoAppIds = ["app1"]
        #expect(UserMapper().map(sso).lostLoginMethods == [.sso])
    }

    @Test func problemsAreOrderedErrorsFirst() {
        var u = Self.user(email: nil)
        u.userId = nil
        u.webauthn = true
        let m = UserMapper().map(u)
        #expect(m.problems.map(\.severity) == [.error, .warning, .warning])
        #expect(m.status == .rejected(reason: "missing_email"))
    }

    @Test func saltEncodingOptionReachesTheDetector() {
        // Split PBKDF2 fields whose salt is hex text; read as hex vs as text gives different salt bytes.
        var u = Self.user(hash: nil)
        u.hash.hash = "VrX+V8drCGo68wlvy6rfu8i1d1pfkdeXA4LJkRGJodY="
        u.hash.type = "pbkdf2"; u.hash.salt = "73656173616c74"; u.hash.iterations = "600000"; u.hash.digest = "sha256"
        let hex = UserMapper(options: MappingOptions(saltEncoding: .hex)).map(u)
        let text = UserMapper(options: MappingOptions(saltEncoding: .text)).map(u)
        #expect(hex.status == .ready)
        #expect(text.status == .ready)
        // "seasalt" as bytes, base64 without padding.
        #expect(hex.user.passwordHash?.string.contains("$c2Vhc2FsdA$") == true)
        #expect(hex.user.passwordHash?.string != text.user.passwordHash?.string)
    }
}
