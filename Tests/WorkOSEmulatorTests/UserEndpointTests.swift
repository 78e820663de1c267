import Foundation
import Testing
import WorkOS
import WorkOSEmulator

@Suite struct UserEndpointTests {
    @Test func createsUserWithHashAndReadsItBack() async throws {
        try await withEmulator { emulator, client in
            let created = try await client.createUser(CreateUserRequest(
                email: "Ada@Example.com", firstName: "Ada", lastName: "Lovelace", emailVerified: true,
                externalId: "U1", metadata: ["plan": "pro"], passwordHash: bcryptHash, passwordHashType: "bcrypt"))
            #expect(created.value.id.hasPrefix("user_"))
            #expect(created.requestId?.hasPrefix("req_") == true)
            #expect(created.value.email == "Ada@Example.com")
            #expect(created.value.metadata == ["plan": "pro"])

            let byId = try await client.getUser(id: created.value.id)
            #expect(byId.value == created.value)
            let byExternal = try await client.getUserByExternalId("U1")
            #expect(byExternal.value?.id == created.value.id)
            let missing = try await client.getUserByExternalId("nobody").value
            #expect(missing == nil)
            let foundByEmail = try await client.findUser(email: "ada@example.COM").value?.id
            #expect(foundByEmail == created.value.id)

            let snapshot = try await emulator.snapshot()
            #expect(snapshot.users.count == 1)
            #expect(snapshot.users.first?.passwordHash == bcryptHash)
            #expect(snapshot.users.first?.passwordHashType == "bcrypt")
        }
    }

    @Test func duplicateEmailIsEmailNotAvailableWhateverTheCase() async throws {
        try await withEmulator { emulator, client in
            _ = try await client.createUser(CreateUserRequest(email: "dup@example.com"))
            let error = await workOSError { _ = try await client.createUser(CreateUserRequest(email: "DUP@example.com")) }
            #expect(error?.status == 400)
            #expect(error?.code == "user_creation_error")
            #expect(error?.subCodes == ["email_not_available"])
            #expect(error?.isEmailNotAvailable == true)
            #expect(error?.requestId != nil)
            #expect(error?.attempts == 1)
            let userCount = try await emulator.snapshot().users.count
            #expect(userCount == 1)
        }
    }

    @Test func duplicateExternalIdIsRefused() async throws {
        try await withEmulator { _, client in
            _ = try await client.createUser(CreateUserRequest(email: "a@example.com", externalId: "U9"))
            let error = await workOSError {
                _ = try await client.createUser(CreateUserRequest(email: "b@example.com", externalId: "U9"))
            }
            #expect(error?.isExternalIdAlreadyUsed == true)
        }
    }

    @Test(arguments: [
        ("bcrypt", "$2a$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9"),  // truncated
        ("argon2", "$argon2i$m=65536,t=2,p=1$c29tZXNhbHQ$9sTbSlTio3Biev89thdrlKKiCaYsjjYVJxGAL3swxpQ"),  // v=16
        ("pbkdf2", "$pbkdf2$i=1000,d=sha256$c29tZXNhbHQ$9sTbSlTio3Biev89thdrlKKiCaYsjjYVJxGAL3swxpQ"),  // too few
    ])
    func hashOutsideWorkOSRulesIsRefused(type: String, hash: String) async throws {
        try await withEmulator { emulator, client in
            let error = await workOSError {
                _ = try await client.createUser(CreateUserRequest(email: "h@example.com", passwordHash: hash,
                                                                  passwordHashType: type))
            }
            #expect(error?.status == 400)
            #expect(error?.code == "invalid_password_hash")
            let noUsers = try await emulator.snapshot().users.isEmpty
            #expect(noUsers)
        }
    }

    @Test func unknownHashTypeAndBadEmailAre422() async throws {
        try await withEmulator { _, client in
            let md5 = await workOSError {
                _ = try await client.createUser(CreateUserRequest(email: "m@example.com",
                                                                  passwordHash: "5f4dcc3b5aa765d61d8327deb882cf99",
                                                                  passwordHashType: "md5"))
            }
            #expect(md5?.status == 422)
            #expect(md5?.code == "invalid_request_parameters")
            for email in ["", "no-at-sign", "two@@example.com", "a@nodot", "sp ace@example.com"] {
                let error = await workOSError { _ = try await client.createUser(CreateUserRequest(email: email)) }
                #expect(error?.status == 422, "email \(email)")
            }
        }
    }

    @Test func passwordAndHashTogetherAreRefused() async throws {
        try await withEmulator { _, client in
            let error = await workOSError {
                _ = try await client.createUser(CreateUserRequest(email: "p@example.com", password: "hunter2",
                                                                  passwordHash: bcryptHash, passwordHashType: "bcrypt"))
            }
            #expect(error?.status == 400)
            #expect(error?.code == "password_and_password_hash_provided")
        }
    }

    @Test func updateSetsHashAndKeepsOtherFields() async throws {
        try await withEmulator { emulator, client in
            let user = try await client.createUser(CreateUserRequest(email: "u@example.com", firstName: "Uma")).value
            let updated = try await client.updateUser(id: user.id, UpdateUserRequest(
                lastName: "Thurman", passwordHash: bcryptHash, passwordHashType: "bcrypt"))
            #expect(updated.value.firstName == "Uma")
            #expect(updated.value.lastName == "Thurman")
            let storedHash = try await emulator.snapshot().users.first?.passwordHash
            #expect(storedHash == bcryptHash)
            let missing = await workOSError { _ = try await client.updateUser(id: "user_missing", UpdateUserRequest()) }
            #expect(missing?.status == 404)
        }
    }

    @Test func listPagesThroughEveryUserOnce() async throws {
        try await withEmulator { _, client in
            var created: [String] = []
            for i in 0..<23 {
                created.append(try await client.createUser(CreateUserRequest(email: "user\(i)@example.com")).value.id)
            }
            var seen: [String] = []
            var after: String?
            var pages = 0
            repeat {
                let page = try await client.listUsers(after: after, limit: 10).value
                seen += page.data.map(\.id)
                after = page.listMetadata.after
                pages += 1
            } while after != nil && pages < 10
            #expect(pages == 3)
            #expect(seen == created.reversed())  // newest first by default

            let ascending = try await client.listUsers(limit: 5, order: "asc").value
            #expect(ascending.data.map(\.id) == Array(created.prefix(5)))
            // Walking back from the second page gives the first page again.
            let second = try await client.listUsers(after: ascending.listMetadata.after, limit: 5, order: "asc").value
            #expect(second.data.map(\.id) == Array(created[5..<10]))
            let back = try await client.listUsers(before: second.listMetadata.before, limit: 5, order: "asc").value
            #expect(back.data.map(\.id) == Array(created.prefix(5)))
            #expect(back.listMetadata.before == nil)

            let filtered = try await client.listUsers(email: "USER7@example.com").value
            #expect(filtered.data.map(\.id) == [created[7]])
            let badLimit = await workOSError { _ = try await client.listUsers(limit: 101) }
            #expect(badLimit?.status == 422)
        }
    }
}
