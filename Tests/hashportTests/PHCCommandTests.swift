import Foundation
import Testing

@Suite struct PHCCommandTests {
    static let bcrypt = "$2b$04$CCCCCCCCCCCCCCCCCCCCC.ug0A3dTXhy5U.dFjx/qguZ8I4CB77BC"
    static let werkzeug = "pbkdf2:sha256:600000$8wGQYyMo2yPm1Vxc$0d5153c3a50e7223840b43d8de84414a10efcea74a340fc27b1a0259ae2be708"

    @Test func acceptedHashesPrintTypeAndWorkOSString() throws {
        let r = try HashportBinary.run(["phc", Self.bcrypt, Self.werkzeug])
        #expect(r.status == 0)
        #expect(r.stdout == """
            bcrypt\t\(Self.bcrypt)
            pbkdf2\t$pbkdf2$i=600000,d=sha256$OHdHUVl5TW8yeVBtMVZ4Yw$DVFTw6UOciOEC0PY3oRBShDvzqdKNA/CexoCWa4r5wg

            """)
    }

    @Test func refusedAndUnknownLinesFromStdin() throws {
        let input = """
            pbkdf2_sha1$30000$seasalt2$pMzU1zNPcydf6wjnJFbiVKwgULc=
            5f4dcc3b5aa765d61d8327deb882cf99
            $argon2id$v=19$m=65536,t=02,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc
            not a hash

            """
        let r = try HashportBinary.run(["phc"], stdin: input)
        #expect(r.status == 1)
        #expect(r.stdout == """
            refused\tpbkdf2\tPBKDF2-SHA1 cannot be imported into WorkOS: it accepts sha256 or sha512 only; this user will need a password reset.
            refused\tmd5\tMD5 hashes cannot be imported into WorkOS: it has no matching password_hash_type; this user will need a password reset.
            unknown\tThe Argon2 parameter t has a leading zero; the format requires plain decimals.
            unknown\tThe text is not a password hash format hashport recognises.

            """)
        #expect(!r.stdout.contains("seasalt2") && !r.stdout.contains("5f4dcc3b") && !r.stdout.contains("c29tZXNhbHQ"))
    }

    @Test func jsonOutputForSplitFieldsAndRefusals() throws {
        let split = #"{"password_hash":"VrX+V8drCGo68wlvy6rfu8i1d1pfkdeXA4LJkRGJodY=","password_hash_type":"pbkdf2","password_salt":"c2Vhc2FsdA==","password_iterations":600000,"password_digest":"sha256"}"#
        let r = try HashportBinary.run(["phc", "--json"], stdin: split + "\n$argon2i$m=65536,t=3,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc\n")
        #expect(r.status == 1)
        let lines = r.stdout.split(separator: "\n").map(String.init)
        #expect(lines.count == 2)
        #expect(lines.first == #"{"line":1,"family":"pbkdf2","variant":"sha256","params":{"i":600000},"password_hash_type":"pbkdf2","password_hash":"$pbkdf2$i=600000,d=sha256$c2Vhc2FsdA$VrX+V8drCGo68wlvy6rfu8i1d1pfkdeXA4LJkRGJodY","workos_accepts":true,"problems":[]}"#)
        #expect(lines.last == #"{"line":2,"family":"argon2","variant":"argon2i","params":{"v":16,"m":65536,"t":3,"p":1},"password_hash_type":null,"password_hash":null,"workos_accepts":false,"problems":[{"code":"argon2_version_not_accepted","message":"Argon2 version 16 hashes cannot be imported into WorkOS: it accepts version 19 only; this user will need a password reset."}]}"#)
        for line in lines { #expect((try? JSONSerialization.jsonObject(with: Data(line.utf8))) != nil) }
    }

    @Test func saltEncodingFlagChangesHowTheSaltIsRead() throws {
        let clerk = "pbkdf2_sha256$600000$c2Vhc2FsdA==$VrX+V8drCGo68wlvy6rfu8i1d1pfkdeXA4LJkRGJodY="
        let text = try HashportBinary.run(["phc", clerk])
        #expect(text.stdout == "pbkdf2\t$pbkdf2$i=600000,d=sha256$YzJWaGMyRnNkQT09$VrX+V8drCGo68wlvy6rfu8i1d1pfkdeXA4LJkRGJodY\n")
        let b64 = try HashportBinary.run(["phc", "--salt-encoding", "base64", clerk])
        #expect(b64.stdout == "pbkdf2\t$pbkdf2$i=600000,d=sha256$c2Vhc2FsdA$VrX+V8drCGo68wlvy6rfu8i1d1pfkdeXA4LJkRGJodY\n")
        let bad = try HashportBinary.run(["phc", "--salt-encoding", "rot13", clerk])
        #expect(bad.status == 2)
        #expect(bad.stdout.isEmpty && bad.stderr.contains("--salt-encoding"))
    }

    @Test func hugeAndBinaryLinesGetAProblemNotACrash() throws {
        let huge = String(repeating: "$", count: 10 << 20)
        let r = try HashportBinary.run(["phc"], stdin: huge + "\n\u{1}\u{2}\n{\"password_hash\": 12\n")
        #expect(r.status == 1)
        #expect(r.stdout == """
            unknown\tThe password hash is longer than 4096 bytes; no supported format is that long.
            unknown\tThe password hash contains a control character.
            unknown\tThe input is not a well-formed JSON object of hash fields.

            """)
    }

    @Test func descopeHashObjectsFromArgumentsAndStdin() throws {
        let argon2 = #"{"hashedPassword":{"argon2":{"hash":"HNhOWIxy8dC7MEH92KMt5exzhIfCOsnF2E8RngWFi/g=","salt":"EBESExQVFhcYGRobHB0eHw==","iterations":"3","memory":"65536","threads":"4"}}}"#
        let r = try HashportBinary.run(["phc", "--json"], stdin: argon2 + "\n" + #"{"scrypt":{"hash":"AAAA"}}"# + "\n")
        #expect(r.status == 1)
        let lines = r.stdout.split(separator: "\n")
        #expect(lines.count == 2)
        #expect(lines.first?.contains(#""password_hash":"$argon2id$v=19$m=65536,t=3,p=4$EBESExQVFhcYGRobHB0eHw$HNhOWIxy8dC7MEH92KMt5exzhIfCOsnF2E8RngWFi/g","workos_accepts":true"#) == true)
        #expect(lines.last?.contains(#""code":"descope_object_unknown_kind""#) == true)
        let text = try HashportBinary.run(["phc", argon2])
        #expect(text.stdout == "argon2\t$argon2id$v=19$m=65536,t=3,p=4$EBESExQVFhcYGRobHB0eHw$HNhOWIxy8dC7MEH92KMt5exzhIfCOsnF2E8RngWFi/g\n")
    }
}
