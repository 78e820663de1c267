import Testing
@testable import PasswordHashes

/// Descope's `hashedPassword` object (descope-hash-objects.md). Every spelling's WorkOS string and verification is
/// checked byte for byte by RoundTripTests and VerificationRoundTripTests from roundtrip.json (computed by Python);
/// these tests pin what those cases cannot: the containers, and that every malformed object names its field.
@Suite struct DescopeHashObjectTests {
    static let argon2 = #"{"argon2":{"hash":"HNhOWIxy8dC7MEH92KMt5exzhIfCOsnF2E8RngWFi/g=","salt":"EBESExQVFhcYGRobHB0eHw==","iterations":3,"memory":65536,"threads":4}}"#
    static let expected = "$argon2id$v=19$m=65536,t=3,p=4$EBESExQVFhcYGRobHB0eHw$HNhOWIxy8dC7MEH92KMt5exzhIfCOsnF2E8RngWFi/g"

    @Test func everyContainerOfTheSameObjectGivesTheSameHash() throws {
        let flattened: [(kind: String, field: String, value: String)] = [
            ("argon2", "hash", "HNhOWIxy8dC7MEH92KMt5exzhIfCOsnF2E8RngWFi/g="), ("argon2", "salt", "EBESExQVFhcYGRobHB0eHw=="),
            ("argon2", "iterations", "3"), ("argon2", "memory", "65536"), ("argon2", "threads", "4"),
        ]
        let spellings: [Result<PasswordHash, HashProblem>] = [
            HashDetector.detect(Self.argon2),
            HashDetector.detect("  {\"hashedPassword\":" + Self.argon2 + "}\n"),
            HashDetector.detect(#"{"HASHED_PASSWORD":{"Argon2":{"HASH":"HNhOWIxy8dC7MEH92KMt5exzhIfCOsnF2E8RngWFi/g","Salt":"EBESExQVFhcYGRobHB0eHw","Iterations":"3","Memory":"65536","Threads":"4"}}}"#),
            // A CSV cell: the object in the hash column, whatever a type column says.
            HashDetector.detect(fields: SplitHashFields(hash: Self.argon2, type: "argon2")),
            Result { () throws(HashProblem) in try DescopeHashObject(cells: flattened).detect().get() },
        ]
        for result in spellings {
            let h = try #require(result.value, "\(result)")
            #expect(h.family == .argon2 && h.variant == "argon2id" && h.spelling == "descope-object")
            #expect(h.workOSForm().value?.string == Self.expected)
            #expect(WorkOSPolicy.problems(for: h).isEmpty)
        }
    }

    @Test(arguments: [
        (#"{}"#, "empty"),
        (#"{"hashedPassword":{}}"#, "descope_object_no_kind"),
        (#"{"hashedPassword":[1]}"#, "bad_json"),
        (#"{"scrypt":{"hash":"AAAA"}}"#, "descope_object_unknown_kind"),
        (#"{"bcrypt":{"hash":"x"},"md5":{"hash":"y"}}"#, "descope_object_two_kinds"),
        (#"{"argon2":{"hash":"AAAA"},"email":"a@b.c"}"#, "descope_object_malformed"),
        (#"{"argon2":"AAAA"}"#, "descope_object_malformed"),
        (#"{"argon2":{"hash":{"x":"AAAA"}}}"#, "descope_object_nested"),
        (#"{"argon2":{"hash":["AAAA"]}}"#, "descope_object_nested"),
        (#"{"argon2":{"hash":true}}"#, "descope_object_malformed"),
        (#"{"argon2":{"hash":"a","hash":"b"}}"#, "descope_object_malformed"),
        (#"{"argon2":{"pepper":"AAAA"}}"#, "descope_object_unknown_field"),
        (#"{"argon2":{"salt":"EBESExQVFhcYGRobHB0eHw==","iterations":3,"memory":65536,"threads":4}}"#, "missing_field"),
        (#"{"argon2":{"hash":"HNhO!Wxy","salt":"EBESExQVFhcYGRobHB0eHw==","iterations":3,"memory":65536,"threads":4}}"#, "bad_base64"),
        (#"{"argon2":{"hash":"HNhOWIxy8dC7MEH92KMt5exzhIfCOsnF2E8RngWFi/g=","salt":"EBESExQVFhcYGRobHB0eHw==","iterations":"three","memory":65536,"threads":4}}"#, "bad_number"),
        (#"{"argon2":{"hash":"HNhOWIxy8dC7MEH92KMt5exzhIfCOsnF2E8RngWFi/g=","salt":"EBESExQVFhcYGRobHB0eHw==","iterations":3.5,"memory":65536,"threads":4}}"#, "bad_number"),
        (#"{"argon2":{"hash":"HNhOWIxy8dC7MEH92KMt5exzhIfCOsnF2E8RngWFi/g=","salt":"EBESExQVFhcYGRobHB0eHw==","iterations":3,"memory":65536,"threads":0}}"#, "parameter_out_of_range"),
        (#"{"pbkdf2":{"hash":"AAAA","salt":"AAAA","iterations":600000}}"#, "missing_field"),
        (#"{"pbkdf2":{"hash":"AAAA","salt":"AAAA","iterations":600000,"type":"md4"}}"#, "pbkdf2_unknown_digest"),
        (#"{"bcrypt":{"hash":"$argon2id$v=19$m=65536,t=3,p=4$EBESExQVFhcYGRobHB0eHw$HNhOWIxy8dC7MEH92KMt5exzhIfCOsnF2E8RngWFi/g"}}"#, "malformed"),
        (#"{"django":{"hash":"$2b$04$CCCCCCCCCCCCCCCCCCCCC.r5gqJaIw/Et6H9KstP3pEKn0VB0g6zW"}}"#, "malformed"),
        (#"{"firebase":{"hash":"AAAA","salt":"AAAA","signerKey":"AAAA","memory":14}}"#, "missing_field"),
        (#"{"md5":{"hash":"zz"}}"#, "bad_hex"),
        (#"{"sha":{"hash":"00112233445566778899aabbccddeeff00112233"}}"#, "missing_field"),
        (#"{"sha":{"hash":"0011","type":"sha256"}}"#, "bad_length"),
        (#"{"argon2":{"hash":"A"#, "bad_json"),
    ])
    func malformedObjectsNameTheirProblem(_ input: String, _ code: String) {
        let result = HashDetector.detect(input)
        #expect(result.error?.code == code, "\(input): \(result)")
        // A problem names the field, never its content.
        if let message = result.error?.message {
            #expect(!message.contains("AAAA") && !message.contains("HNhO") && !message.contains("EBES"), "\(message)")
        }
    }

    @Test func flattenedColumnsFollowTheSameRules() {
        func detect(_ cells: [(kind: String, field: String, value: String)]) -> String? {
            do { _ = try DescopeHashObject(cells: cells).detect().get(); return nil } catch { return error.code }
        }
        #expect(detect([("bcrypt", "hash", "$2b$04$CCCCCCCCCCCCCCCCCCCCC.r5gqJaIw/Et6H9KstP3pEKn0VB0g6zW"), ("argon2", "salt", "AAAA")])
                == "descope_object_two_kinds")
        #expect(detect([("scrypt", "hash", "AAAA")]) == "descope_object_unknown_kind")
        #expect(detect([("argon2", "variant", "argon2i")]) == "descope_object_unknown_field")
        #expect(detect([("firebase", "saltseparator", "Bw==")]) == "missing_field")
        #expect(detect([("bcrypt", "hash", "$2b$04$CCCCCCCCCCCCCCCCCCCCC.r5gqJaIw/Et6H9KstP3pEKn0VB0g6zW")]) == nil)
    }

    @Test func flatSplitFieldObjectsAndLDAPHashesAreNotTakenForDescopeObjects() throws {
        // `hashedPassword` holding a string is the hash itself (a split-field alias), not the wrapper.
        let flat = try #require(HashDetector.detect(#"{"hashedPassword":"$2b$04$CCCCCCCCCCCCCCCCCCCCC.r5gqJaIw/Et6H9KstP3pEKn0VB0g6zW"}"#).value)
        #expect(flat.family == .bcrypt && flat.spelling == "mcf")
        let split = try #require(HashDetector.detect(#"{"password_hash":"4b007901b765489abead49d926f721d065a429c1","password_hash_type":"pbkdf2","password_salt":"73616c74","password_iterations":4096,"password_digest":"sha1"}"#).value)
        #expect(split.family == .pbkdf2 && split.spelling == "split-fields")
        #expect(HashDetector.detect("{SSHA}" + "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA").value?.family == .ssha)
    }

    @Test func hostileJSONIsRefusedNotCrashed() {
        let deep = String(repeating: #"{"a":"#, count: 10_000) + "1" + String(repeating: "}", count: 10_000)
        #expect(HashDetector.detect(deep).error?.code == "too_long")
        let nested = String(repeating: #"{"argon2":"#, count: 8) + "1" + String(repeating: "}", count: 8)
        #expect(HashDetector.detect(nested).error?.code == "bad_json")
        #expect(HashDetector.detect(#"{"argon2":{"hash":"\ud800"}}"#).error?.code == "bad_json")
        #expect(HashDetector.detect("{\"argon2\":{\"hash\":\"a\u{1}\"}}").error?.code == "bad_json")
    }

    /// Kinds, fields and the wrapper are matched on folded bytes (two words, no String): every name in any case and
    /// with separators anywhere, and nothing that is not a name — a longer key, a non-ASCII byte, a near miss.
    @Test func keysAreMatchedInAnyCaseAndSpelling() {
        func spellings(_ name: String) -> [String] {
            [name, name.uppercased(), name.prefix(1).uppercased() + name.dropFirst(), "_" + name, name + "-", " " + name + " ",
             String(name.flatMap { [$0, "_"] })]
        }
        for kind in DescopeHashObject.Kind.allCases {
            for key in spellings(kind.rawValue) { #expect(DescopeHashObject.kind(named: key) == kind, "\(key)") }
            #expect(DescopeHashObject.kind(named: kind.rawValue + "x") == nil)
            #expect(DescopeHashObject.kind(named: String(kind.rawValue.dropLast())) == nil)
        }
        for field in DescopeHashObject.Field.allCases {
            for key in spellings(field.rawValue) { #expect(DescopeHashObject.Field(key: key) == field, "\(key)") }
            #expect(DescopeHashObject.Field(key: field.rawValue + "s") == nil)
        }
        #expect(DescopeHashObject.Field(key: "salt_separator") == .saltSeparator)
        #expect(DescopeHashObject.Field(key: "SIGNER-KEY") == .signerKey)
        for key in spellings("hashedPassword") + ["hashed_password", "HASHED-PASSWORD"] { #expect(DescopeHashObject.isWrapperKey(key), "\(key)") }
        for key in ["", "_", "hashedpasswords", "hashedpasswordhashedpassword", "hashédpassword", "argon2\u{0}", "ARGON\u{0130}2",
                    "sàlt", "ha sh ed pass wo rd x"] {
            #expect(!DescopeHashObject.isWrapperKey(key) && DescopeHashObject.kind(named: key) == nil && DescopeHashObject.Field(key: key) == nil, "\(key)")
        }
    }
}

