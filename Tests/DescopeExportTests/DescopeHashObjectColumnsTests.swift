import Foundation
import Testing
@testable import DescopeExport

/// Where Descope's `hashedPassword` object reaches the readers: flattened CSV columns, a users file's
/// `hashedPassword`, and the join of such a file with Search Users. (PasswordHashes reads the object itself.)
@Suite struct DescopeHashObjectColumnsTests {
    @Test(arguments: [
        ("hashedPassword.argon2.hash", "argon2", "hash"), ("hashedPassword.Argon2.Salt", "argon2", "salt"),
        ("hashed_password_argon2_iterations", "argon2", "iterations"),
        ("hashed_password_firebase_salt_separator", "firebase", "saltseparator"),
        ("hashedPassword.firebase.signerKey", "firebase", "signerkey"), ("HashedPassword/pbkdf2/type", "pbkdf2", "type"),
        ("hashedPassword[md5][hash]", "md5", "hash"), ("\u{FEFF}hashedPassword.bcrypt.hash", "bcrypt", "hash"),
    ])
    func flattenedHeadersNameKindAndField(_ header: String, _ kind: String, _ field: String) throws {
        let key = try #require(CSVColumnLayout.hashObjectKey(header))
        #expect(key.kind == kind && key.field == field)
    }

    @Test func otherHeadersAreNotHashObjectColumns() throws {
        for header in ["hashedPassword", "hashed_password", "hashedPassword.argon2", "password_hash", "customAttributes.x"] {
            #expect(CSVColumnLayout.hashObjectKey(header) == nil, "\(header)")
        }
        let layout = try CSVColumnLayout(path: "x.csv", headers: ["email", "hashedPassword", "hashedPassword.bcrypt.hash",
                                                                  "hashed_password_bcrypt_hash"])
        #expect(layout[.passwordHash] == 1)
        #expect(layout.hashObjectFields == [CSVColumnLayout.HashObjectField(kind: "bcrypt", field: "hash", index: 2)])
        #expect(layout.duplicateHeaders == ["hashed_password_bcrypt_hash"])
    }

    @Test func aRowKeepsOnlyItsFilledCells() throws {
        let file = try TemporaryFile(contents: """
            email,hashedPassword.bcrypt.hash,hashedPassword.argon2.hash,hashedPassword.argon2.iterations
            a@example.com,$2b$04$x,, 
            b@example.com,,AAAA,3

            """)
        let users = try UserExport(inputs: [file.path]).compactMap { item -> DescopeUser? in
            if case .user(let u) = item { return u } else { return nil }
        }
        #expect(users.map(\.hash.objectFields) == [
            [HashObjectCell(kind: "bcrypt", field: "hash", value: "$2b$04$x")],
            [HashObjectCell(kind: "argon2", field: "hash", value: "AAAA"), HashObjectCell(kind: "argon2", field: "iterations", value: "3")],
        ])
        #expect(users.allSatisfy { !$0.hash.isEmpty })
    }

    @Test func usersFilesWithHashedPasswordCarryHashesAndJoinSearchUsers() throws {
        let batch = try TemporaryFile(contents: """
            {"loginId":"ada@example.com","email":"ada@example.com","hashedPassword":{"bcrypt":{"hash":"$2b$04$x"}}}
            {"loginId":"bo@example.com","email":"bo@example.com"}

            """, suffix: ".ndjson")
        let search = try TemporaryFile(contents: """
            {"users":[{"userId":"U1","email":"ADA@example.com","loginIds":["ada@example.com"],
                       "userTenants":[{"tenantId":"T1","roleNames":["admin"]}]},
                      {"userId":"U3","email":"cy@example.com"}]}
            """, suffix: ".json")
        let export = try UserExport(inputs: [search.path, batch.path])
        #expect(export.formats == [.searchUsersJSON, .usersWithHashesJSON])
        let users = export.compactMap { item -> DescopeUser? in if case .user(let u) = item { return u } else { return nil } }
        #expect(users.map(\.email) == ["ada@example.com", "bo@example.com", "cy@example.com"])
        #expect(users[0].userId == "U1" && users[0].tenants.map(\.tenantId) == ["T1"] && users[0].loginIds == ["ada@example.com"])
        #expect(users[0].hash.hash == #"{"bcrypt":{"hash":"$2b$04$x"}}"#)
        #expect(users[1].hash.isEmpty && users[1].joinedFrom == nil)
        #expect(export.report.joinedByEmail == 1 && export.report.onlyInCSV == 1 && export.report.onlyInSearchUsers == 1)
    }

    @Test func sniffingLooksForTheKeyNotTheWord() throws {
        // A Search Users record that merely mentions the word in a value stays a Search Users record.
        let search = try TemporaryFile(contents: #"[{"userId":"U1","name":"hashedPassword","customAttributes":{"note":"hashed_password"}}]"#,
                                       suffix: ".json")
        #expect(try UserExport(inputs: [search.path]).formats == [.searchUsersJSON])
        let upper = try TemporaryFile(contents: #"[{"email":"a@b.c","HASHEDPASSWORD":{"md5":{"hash":"00"}}}]"#, suffix: ".json")
        #expect(try UserExport(inputs: [upper.path]).formats == [.usersWithHashesJSON])
    }
}
