import Testing
@testable import PasswordHashes

@Suite struct SplitHashFieldsTests {
    @Test func readsCanonicalNamesNumbersAndNulls() throws {
        let f = try SplitHashFields(json: """
            {"password_hash":"aGFzaA==","password_hash_type":"pbkdf2","password_salt":"c2FsdA==","password_iterations":600000,
             "password_memory":null,"password_threads":4,"password_digest":"sha256","signerKey":"c2s=","saltSeparator":"Bw==","other":true}
            """)
        #expect(f == SplitHashFields(hash: "aGFzaA==", type: "pbkdf2", salt: "c2FsdA==", iterations: "600000", memory: nil,
                                     threads: "4", digest: "sha256", signerKey: "c2s=", saltSeparator: "Bw=="))
    }

    @Test func readsAliasesCaseInsensitivelyAndEscapes() throws {
        let f = try SplitHashFields(json: #"{ "passwordHash" : "a\/b\u00e9" , "HASH_ALGORITHM":"argon2", "Salt":"s", "rounds":"3", "mem_cost":1, "parallelism":2, "type":"argon2i" }"#)
        #expect(f.hash == "a/bé" && f.type == "argon2" && f.salt == "s" && f.iterations == "3")
        #expect(f.memory == "1" && f.threads == "2" && f.digest == "argon2i")
    }

    @Test func emptyObjectHasNoFields() throws {
        #expect(try SplitHashFields(json: "{}") == SplitHashFields())
    }

    @Test func fullStringInHashFieldIsAccepted() {
        let h = HashDetector.detect(fields: SplitHashFields(hash: "$2b$04$CCCCCCCCCCCCCCCCCCCCC.ug0A3dTXhy5U.dFjx/qguZ8I4CB77BC", type: "bcrypt"))
        #expect(h.value?.family == .bcrypt)
    }

    @Test func saltEncodingOverride() {
        // The same Django-looking string: Django's salt is text, Clerk's is base64.
        let s = "pbkdf2_sha256$600000$c2FsdA==$VrX+V8drCGo68wlvy6rfu8i1d1pfkdeXA4LJkRGJodY="
        #expect(HashDetector.detect(s).value?.salt == Array("c2FsdA==".utf8))
        #expect(HashDetector.detect(s, saltEncoding: .base64).value?.salt == Array("salt".utf8))
        #expect(HashDetector.detect(s, saltEncoding: .hex).error?.code == "bad_hex")
        let split = SplitHashFields(hash: "VrX+V8drCGo68wlvy6rfu8i1d1pfkdeXA4LJkRGJodY=", type: "pbkdf2", salt: "seasalt",
                                    iterations: "600000", digest: "sha256")
        #expect(HashDetector.detect(fields: split, saltEncoding: .text).value?.salt == Array("seasalt".utf8))
        #expect(HashDetector.detect(fields: split).error?.code == "bad_base64")
    }
}

@Suite struct SplitFieldsWithFullStringTests {
    @Test func aFullStringWinsOverStraySplitFields() {
        let f = SplitHashFields(hash: "$argon2id$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc",
                                type: "argon2", salt: "c29tZXNhbHQ=", iterations: "2", memory: "65536", threads: "1")
        let h = HashDetector.detect(fields: f)
        #expect(h.value?.family == .argon2 && h.value?.spelling == "phc" && h.value?.param("t") == 2)
    }
}
