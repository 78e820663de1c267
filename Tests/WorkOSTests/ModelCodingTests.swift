import Foundation
import Testing
@testable import WorkOS

@Suite struct ModelCodingTests {
    private func object(_ value: some Encodable) throws -> [String: Any] {
        let data = try JSONEncoder().encode(value)
        return try #require(JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    @Test func createUserUsesSnakeCaseAndOmitsEmptyFields() throws {
        let body = CreateUserRequest(email: "ada@example.com", firstName: "Ada", lastName: "", emailVerified: true,
                                     externalId: "U2x", metadata: [:], passwordHash: "$2a$10$abc",
                                     passwordHashType: "bcrypt")
        let json = try object(body)
        #expect(Set(json.keys) == ["email", "first_name", "email_verified", "external_id", "password_hash",
                                   "password_hash_type"])
        #expect(json["first_name"] as? String == "Ada")
        #expect(json["password_hash_type"] as? String == "bcrypt")
        #expect(json["email_verified"] as? Bool == true)
    }

    @Test func updateUserSendsOnlyWhatChangesAndRoundTrips() throws {
        let hashOnly = UpdateUserRequest(email: "", firstName: "", metadata: [:], passwordHash: "$2a$10$abc",
                                         passwordHashType: "bcrypt")
        #expect(Set(try object(hashOnly).keys) == ["password_hash", "password_hash_type"])
        let full = UpdateUserRequest(email: "a@b.co", firstName: "Ada", lastName: "L", emailVerified: false,
                                     externalId: "U1", metadata: ["k": "v"], passwordHash: "{SSHA256}xyz",
                                     passwordHashType: "ssha256", passwordSaltPosition: "prefix")
        #expect(Set(try object(full).keys) == ["email", "first_name", "last_name", "email_verified", "external_id",
                                               "metadata", "password_hash", "password_hash_type", "password_salt_position"])
        #expect(try JSONDecoder().decode(UpdateUserRequest.self, from: JSONEncoder().encode(full)) == full)
    }

    @Test func metadataKeysAreNotRewritten() throws {
        let body = CreateUserRequest(email: "a@b.co", metadata: ["descopeLoginIds": "x", "created_time": "1"])
        let json = try object(body)
        let metadata = try #require(json["metadata"] as? [String: String])
        #expect(metadata == ["descopeLoginIds": "x", "created_time": "1"])
    }

    @Test func createUserRoundTrips() throws {
        let body = CreateUserRequest(email: "a@b.co", passwordHash: "{SSHA256}xyz", passwordHashType: "ssha256",
                                     passwordSaltPosition: "suffix")
        let decoded = try JSONDecoder().decode(CreateUserRequest.self, from: JSONEncoder().encode(body))
        #expect(decoded == body)
        #expect(try object(body)["password_salt_position"] as? String == "suffix")
    }

    @Test func decodesUserAsWorkOSSendsIt() throws {
        let text = """
            {"object":"user","id":"user_01E4ZCR3C56J083X43JQXF3JK5","email":"marcelina.davis@example.com",
             "first_name":"Marcelina","last_name":"Davis","email_verified":true,"profile_picture_url":null,
             "last_sign_in_at":"2021-06-25T19:07:33.155Z","external_id":"f1ffa2b2-c20b-4d39-be5c-212726e11222",
             "metadata":{"language":"en"},"created_at":"2021-06-25T19:07:33.155Z","updated_at":"2021-06-25T19:07:33.155Z"}
            """
        let user = try JSONDecoder().decode(User.self, from: Data(text.utf8))
        #expect(user.id == "user_01E4ZCR3C56J083X43JQXF3JK5")
        #expect(user.firstName == "Marcelina")
        #expect(user.emailVerified)
        #expect(user.externalId == "f1ffa2b2-c20b-4d39-be5c-212726e11222")
        #expect(user.metadata == ["language": "en"])
        #expect(user.profilePictureUrl == nil)
        let again = try JSONDecoder().decode(User.self, from: JSONEncoder().encode(user))
        #expect(again == user)
    }

    @Test func decodesListWithCursors() throws {
        let text = """
            {"object":"list","data":[{"object":"user","id":"user_1","email":"a@b.co","email_verified":false,
             "created_at":"x","updated_at":"y"}],"list_metadata":{"before":null,"after":"user_1"}}
            """
        let list = try JSONDecoder().decode(ListResponse<User>.self, from: Data(text.utf8))
        #expect(list.data.map(\.id) == ["user_1"])
        #expect(list.listMetadata.after == "user_1")
        #expect(list.listMetadata.before == nil)
    }

    @Test func decodesErrorWithSubCodes() throws {
        let text = """
            {"code":"user_creation_error","message":"Could not create user.",
             "errors":[{"code":"email_not_available","message":"This email is not available."}]}
            """
        let body = try JSONDecoder().decode(ErrorBody.self, from: Data(text.utf8))
        #expect(body.code == "user_creation_error")
        #expect(body.errors?.map(\.code) == ["email_not_available"])
        let rateLimit = try JSONDecoder().decode(ErrorBody.self, from: Data(
            #"{"message":"Too many requests.","code":"rate_limit_exceeded"}"#.utf8))
        #expect(rateLimit.code == "rate_limit_exceeded")
        #expect(rateLimit.errors == nil)
    }

    @Test func membershipRequestCarriesOneRoleForm() throws {
        let single = try object(CreateMembershipRequest(userId: "user_1", organizationId: "org_1", roleSlug: "admin"))
        #expect(Set(single.keys) == ["user_id", "organization_id", "role_slug"])
        let multiple = try object(CreateMembershipRequest(userId: "user_1", organizationId: "org_1",
                                                          roleSlugs: ["admin", "billing"]))
        #expect(multiple["role_slugs"] as? [String] == ["admin", "billing"])
        #expect(multiple["role_slug"] == nil)
    }

    @Test func decodesMembershipAndOrganization() throws {
        let membership = try JSONDecoder().decode(OrganizationMembership.self, from: Data("""
            {"object":"organization_membership","id":"om_1","user_id":"user_1","organization_id":"org_1",
             "status":"active","role":{"slug":"member"},"created_at":"a","updated_at":"b"}
            """.utf8))
        #expect(membership.role.slug == "member")
        #expect(membership.roles == nil)
        let organization = try JSONDecoder().decode(Organization.self, from: Data("""
            {"object":"organization","id":"org_1","name":"Acme","external_id":"T1","domains":[
             {"object":"organization_domain","id":"org_domain_1","domain":"acme.com","state":"verified"}],
             "metadata":{},"created_at":"a","updated_at":"b"}
            """.utf8))
        #expect(organization.externalId == "T1")
        #expect(organization.domains.first?.domain == "acme.com")
    }

    @Test func authenticateRequestNamesGrantType() throws {
        let json = try object(AuthenticateRequest(clientId: "client_1", clientSecret: "sk_test_x",
                                                  email: "a@b.co", password: "pw"))
        #expect(json["grant_type"] as? String == "password")
        #expect(json["client_id"] as? String == "client_1")
        #expect(json["client_secret"] as? String == "sk_test_x")
    }
}

@Suite struct AuthenticateBodyTests {
    @Test func passwordBytesAreWrittenAsAJSONStringWithoutAString() throws {
        let cases: [([UInt8], String)] = [
            (Array("plain".utf8), "plain"),
            (Array("quo\"te\\back".utf8), "quo\"te\\back"),
            ([0x61, 0x0A, 0x09, 0x01, 0x62], "a\n\t\u{01}b"),
            (Array("lètmein ✓".utf8), "lètmein ✓"),
            ([0x61, 0xFF, 0x62], "a\u{FFFD}b"),  // invalid UTF-8 goes as a String would send it
        ]
        for (bytes, expected) in cases {
            let body = bytes.withUnsafeBytes {
                AuthenticateRequest.body(clientId: "client_1", clientSecret: "sk_test_x", email: "a@example.com",
                                         password: $0)
            }
            let decoded = try JSONDecoder().decode(AuthenticateRequest.self, from: Data(body))
            #expect(decoded.password == expected)
            #expect(decoded.grantType == "password" && decoded.clientId == "client_1" && decoded.email == "a@example.com")
            #expect(decoded.clientSecret == "sk_test_x")
        }
    }
}
