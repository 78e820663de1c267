import Testing
@testable import PasswordHashes

@Suite struct WorkOSPolicyTests {
    static func pbkdf2(_ d: String, _ i: UInt64) -> PasswordHash {
        PasswordHash(family: .pbkdf2, variant: d, params: [.init("i", i)], salt: [1, 2, 3, 4], digest: [UInt8](repeating: 7, count: 32), spelling: "test")
    }
    static func argon2(_ variant: String = "argon2id", v: UInt64 = 19, m: UInt64 = 65536, t: UInt64 = 3, p: UInt64 = 4) -> PasswordHash {
        PasswordHash(family: .argon2, variant: variant, params: [.init("v", v), .init("m", m), .init("t", t), .init("p", p)],
                     salt: [UInt8](repeating: 1, count: 16), digest: [UInt8](repeating: 2, count: 32), spelling: "test")
    }
    static func codes(_ h: PasswordHash) -> [String] { WorkOSPolicy.problems(for: h).map(\.code) }

    @Test func pbkdf2Limits() {
        #expect(Self.codes(Self.pbkdf2("sha256", 599_999)) == ["pbkdf2_iterations_out_of_range"])
        #expect(Self.codes(Self.pbkdf2("sha256", 600_000)) == [])
        #expect(Self.codes(Self.pbkdf2("sha256", 1_000_000)) == [])
        #expect(Self.codes(Self.pbkdf2("sha256", 1_000_001)) == ["pbkdf2_iterations_out_of_range"])
        #expect(Self.codes(Self.pbkdf2("sha512", 209_999)) == ["pbkdf2_iterations_out_of_range"])
        #expect(Self.codes(Self.pbkdf2("sha512", 210_000)) == [])
        #expect(Self.codes(Self.pbkdf2("sha1", 600_000)) == ["pbkdf2_digest_not_accepted"])
        #expect(WorkOSPolicy.problems(for: Self.pbkdf2("sha1", 1)).first?.message
                == "PBKDF2-SHA1 cannot be imported into WorkOS: it accepts sha256 or sha512 only; this user will need a password reset.")
    }

    @Test func argon2Limits() {
        #expect(Self.codes(Self.argon2()) == [])
        #expect(Self.codes(Self.argon2(v: 16)) == ["argon2_version_not_accepted"])
        #expect(Self.codes(Self.argon2(m: 4095)) == ["argon2_memory_out_of_range"])
        #expect(Self.codes(Self.argon2(m: 4096)) == [])
        #expect(Self.codes(Self.argon2(m: 262_144)) == [])
        #expect(Self.codes(Self.argon2(m: 262_145)) == ["argon2_memory_out_of_range"])
        #expect(Self.codes(Self.argon2(t: 1)) == [])
        #expect(Self.codes(Self.argon2(t: 6)) == ["argon2_time_out_of_range"])
        #expect(Self.codes(Self.argon2("argon2i", t: 2)) == ["argon2_time_out_of_range"])
        #expect(Self.codes(Self.argon2("argon2i", t: 3)) == [])
        #expect(Self.codes(Self.argon2("argon2d", t: 1)) == [])
        #expect(Self.codes(Self.argon2(p: 8)) == [])
        #expect(Self.codes(Self.argon2(p: 9)) == ["argon2_parallelism_out_of_range"])
        #expect(Self.codes(Self.argon2(v: 16, m: 1024, t: 9, p: 9)).count == 4)
        var keyed = Self.argon2(); keyed.extras = [.init("keyid", [1])]
        #expect(Self.codes(keyed) == ["argon2_keyed_hash"])
    }

    @Test func familiesAndVariants() {
        #expect(Self.codes(PasswordHash(family: .md5, spelling: "hex")) == ["family_not_importable"])
        #expect(Self.codes(PasswordHash(family: .phpass, spelling: "phpass")) == ["family_not_importable"])
        let x = HashDetector.detect("$2x$05$/OK.fbVrR/bpIqNJ5ianF.CE5elHaaO4EbggVDjb8P19RukzXSM3e").value!
        #expect(Self.codes(x) == ["bcrypt_variant_not_supported"])
        #expect(x.workOSForm().error?.code == "bcrypt_variant_not_supported")
    }

    @Test func checkTakesOnlyExactWorkOSForms() {
        let bcrypt = "$2b$04$CCCCCCCCCCCCCCCCCCCCC.ug0A3dTXhy5U.dFjx/qguZ8I4CB77BC"
        #expect(WorkOSPolicy.check(type: "bcrypt", hash: bcrypt).value != nil)
        #expect(WorkOSPolicy.check(type: "md5", hash: bcrypt).error?.problems.map(\.code) == ["password_hash_type_not_accepted"])
        #expect(WorkOSPolicy.check(type: "argon2", hash: bcrypt).error?.problems.map(\.code) == ["password_hash_type_mismatch"])
        #expect(WorkOSPolicy.check(type: "bcrypt", hash: "bcrypt$" + bcrypt).error?.problems.map(\.code) == ["not_workos_form"])
        let w = Self.pbkdf2("sha256", 600_000).workOSForm().value!.string
        #expect(w == "$pbkdf2$i=600000,d=sha256$AQIDBA$BwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwc")
        #expect(WorkOSPolicy.check(type: "pbkdf2", hash: w).value != nil)
        #expect(WorkOSPolicy.check(type: "pbkdf2", hash: "$pbkdf2-sha256$i=600000,l=32$AQIDBA$BwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwc")
                    .error?.problems.map(\.code) == ["not_workos_form"])
        #expect(WorkOSPolicy.check(type: "pbkdf2", hash: "$pbkdf2$i=599999,d=sha256$AQIDBA$BwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwc")
                    .error?.problems.map(\.code) == ["pbkdf2_iterations_out_of_range"])
        #expect(WorkOSPolicy.check(type: "argon2", hash: "$argon2id$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc").value != nil)
        #expect(WorkOSPolicy.check(type: "argon2", hash: "$argon2i$m=65536,t=3,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc")
                    .error?.problems.map(\.code) == ["argon2_version_not_accepted"])
        #expect(WorkOSPolicy.check(type: "pbkdf2", hash: "").error?.problems.map(\.code) == ["empty"])
    }

    @Test func workOSFormsAreExact() {
        #expect(Self.argon2().workOSForm().value == WorkOSPasswordHash(type: "argon2",
            string: "$argon2id$v=19$m=65536,t=3,p=4$AQEBAQEBAQEBAQEBAQEBAQ$AgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgI"))
        let ssha = HashDetector.detect("{SSHA}5tWrRrGKlWZvPXl8vtN+DGiY2TyhssPU5fYHGA==").value!
        #expect(ssha.family == .ssha && ssha.digest.count == 20 && ssha.salt.count == 8)
    }
}

@Suite struct SaltedSHAFormTests {
    @Test func ssha256CarriesItsSaltPosition() {
        let h = HashDetector.detect("{SSHA256}PdDwo/zjNW4fChnEKQMy2pZSShtJAyJXonyy92vIpUShssPU5fYHGA==").value
        #expect(h?.workOSForm().value == WorkOSPasswordHash(type: "ssha256", string: "{SSHA256}PdDwo/zjNW4fChnEKQMy2pZSShtJAyJXonyy92vIpUShssPU5fYHGA==",
                                                            saltPosition: "suffix"))
        #expect(HashDetector.detect("{SSHA}5tWrRrGKlWZvPXl8vtN+DGiY2TyhssPU5fYHGA==").value?.workOSForm().value?.saltPosition == nil)
    }
}
