import Testing
import PasswordHashes

/// scrypt, firebase-scrypt and SSHA against published or independently generated values, plus the refusals.
@Suite("Verification: scrypt, firebase-scrypt, SSHA and refusals")
struct VerificationFamilyTests {
    static func scrypt(n: UInt64, r: UInt64, p: UInt64, salt: String, dkHex: String) -> PasswordHash {
        PasswordHash(family: .scrypt, params: [.init("n", n), .init("r", r), .init("p", p)],
                     salt: Array(salt.utf8), digest: hexBytes(dkHex) ?? [], spelling: "test")
    }

    /// RFC 7914 §12 test vectors 1–3 (64-byte keys).
    static let rfc7914: [(password: String, hash: PasswordHash)] = [
        ("", scrypt(n: 16, r: 1, p: 1, salt: "", dkHex:
            "77d6576238657b203b19ca42c18a0497f16b4844e3074ae8dfdffa3fede21442fcd0069ded0948f8326a753a0fc81f17e8d3e0fb2e0d3628cf35e20c38d18906")),
        ("password", scrypt(n: 1024, r: 8, p: 16, salt: "NaCl", dkHex:
            "fdbabe1c9d3472007856e7190d01e9fe7c6ad7cbc8237830e77376634b3731622eaf30d92e22a3886ff109279d9830dac727afb94a83ee6d8360cbdfa2cc0640")),
        ("pleaseletmein", scrypt(n: 16384, r: 8, p: 1, salt: "SodiumChloride", dkHex:
            "7023bdcb3afd7348461c06cd81fd38ebfda8fbba904f8e3ea9b543f6545da1f2d5432955613f0fcf62d49705242a9af9e61e85dc0d651e40dfcf017b45575887")),
    ]

    @Test(arguments: 0..<3)
    func scryptRFC7914(_ index: Int) {
        let (password, hash) = Self.rfc7914[index]
        #expect(PasswordVerifier.verify(password, against: hash) == .success(true))
        #expect(PasswordVerifier.verify(password + "!", against: hash) == .success(false))
        var tampered = hash
        tampered.digest[63] ^= 1
        #expect(PasswordVerifier.verify(password, against: tampered) == .success(false))
    }

    /// RFC 7914 §12 vector 4: N = 2^20, r = 8 needs exactly 1 GiB, the verifier's ceiling.
    @Test func scryptRFC7914AtTheOneGiBLimit() {
        let hash = Self.scrypt(n: 1 << 20, r: 8, p: 1, salt: "SodiumChloride", dkHex:
            "2101cb9b6a511aaeaddbbe09cf70f881ec568d574a2ffd4dabe5ee9820adaa478e56fd8f4ba5d09ffa1c6d927c40f4c337304049e8a952fbcbf45c6fa77a41a4")
        #expect(PasswordVerifier.verify("pleaseletmein", against: hash) == .success(true))
    }

    @Test func scryptRefusesBeforeAllocating() {
        let cases: [(UInt64, UInt64, UInt64, String)] = [
            (1 << 21, 8, 1, "verify_memory_limit"),          // 2 GiB
            (1 << 40, 8, 1, "verify_parameter_out_of_range"), // 2^40 · 1 KiB
            (1000, 8, 1, "verify_parameter_out_of_range"),    // not a power of two
            (1, 8, 1, "verify_parameter_out_of_range"),
            (16384, 0, 1, "verify_parameter_out_of_range"),
            (16384, 8, 0, "verify_parameter_out_of_range"),
            (1 << 20, 1024, 1, "verify_memory_limit"),
            (1 << 16, 8, 1024, "verify_work_limit"),         // 64 MiB, but 2^29 block mixes
        ]
        for (n, r, p, code) in cases {
            let hash = Self.scrypt(n: n, r: r, p: p, salt: "s", dkHex: String(repeating: "00", count: 32))
            guard case .failure(let problem) = PasswordVerifier.verify("pw", against: hash) else {
                Issue.record("n=\(n) r=\(r) p=\(p) was not refused")
                continue
            }
            #expect(problem.code == code, "n=\(n) r=\(r) p=\(p)")
        }
    }

    /// The example of firebase/scrypt's README (also the test value of the firebase-scrypt Rust crate and
    /// pyscryptfirebase): project key parameters, one exported user, password "user1password".
    static let firebase = PasswordHash(
        family: .firebaseScrypt, params: [.init("r", 8), .init("m", 14)],
        salt: VerificationVector.base64("42xEC+ixf3L2lw==") ?? [],
        digest: VerificationVector.base64("lSrfV15cpx95/sZS2W9c9Kp6i/LVgQNDNC/qzrCnh1SAyZvqmZqAjTdn3aoItz+VHjoZilo78198JAdRuid5lQ==") ?? [],
        extras: [.init("sk", VerificationVector.base64("jxspr8Ki0RYycVU8zykbdLGjFQ3McFUH0uiiTvC8pVMXAn210wjLNmdZJzxUECKbm0QsEmYUSDzZvpjeJ9WmXA==") ?? []),
                 .init("ss", VerificationVector.base64("Bw==") ?? [])],
        spelling: "test")

    @Test func firebaseScryptPublishedExample() {
        #expect(Self.firebase.digest.count == 64)
        #expect(PasswordVerifier.verify("user1password", against: Self.firebase) == .success(true))
        #expect(PasswordVerifier.verify("user1passworD", against: Self.firebase) == .success(false))
        var noSeparator = Self.firebase
        noSeparator.extras.removeAll { $0.name == "ss" }
        #expect(PasswordVerifier.verify("user1password", against: noSeparator) == .success(false))
        var otherRounds = Self.firebase
        otherRounds.params = [.init("r", 7), .init("m", 14)]
        #expect(PasswordVerifier.verify("user1password", against: otherRounds) == .success(false))
    }

    @Test func firebaseScryptRefusals() {
        var noKey = Self.firebase
        noKey.extras.removeAll { $0.name == "sk" }
        #expect(PasswordVerifier.verify("user1password", against: noKey).problemCode == "verify_missing_parameter")
        var hugeMemory = Self.firebase
        hugeMemory.params = [.init("r", 8), .init("m", 40)]
        #expect(PasswordVerifier.verify("user1password", against: hugeMemory).problemCode == "verify_parameter_out_of_range")
        var shortHash = Self.firebase
        shortHash.digest.removeLast()
        #expect(PasswordVerifier.verify("user1password", against: shortHash).problemCode == "verify_length_out_of_range")
    }

    /// Generated with Python: hashlib.sha1(b"correct horse" + salt) and hashlib.sha256("pässwörd".encode() + salt).
    @Test func saltedSHA() throws {
        let ssha = PasswordHash(family: .ssha, salt: try #require(hexBytes("5ca1ab1e0badf00d")),
                                digest: try #require(hexBytes("4856410b2362bb1d5d2b335980cfd7aac8be5c3f")), spelling: "test")
        #expect(PasswordVerifier.verify("correct horse", against: ssha) == .success(true))
        #expect(PasswordVerifier.verify("correct horsE", against: ssha) == .success(false))
        let ssha256 = PasswordHash(family: .ssha256, salt: try #require(hexBytes("00ff10203040506070")),
                                   digest: try #require(hexBytes("8be317878286003e9cb2d7d170cfe538de8d3a39e72b3d8e06177c6bada5f706")),
                                   spelling: "test")
        #expect(PasswordVerifier.verify("pässwörd", against: ssha256) == .success(true))
        #expect(PasswordVerifier.verify("passwörd", against: ssha256) == .success(false))
        var wrongLength = ssha
        wrongLength.digest.append(0)
        #expect(PasswordVerifier.verify("correct horse", against: wrongLength).problemCode == "verify_length_out_of_range")
    }

    /// Generated with Python hashlib.pbkdf2_hmac: passwords longer than the HMAC block, multi-block keys, empty salt.
    @Test func pbkdf2LongPasswordsAndMultiBlockKeys() {
        let cases: [(PBKDF2.Digest, [UInt8], [UInt8], UInt32, String)] = [
            (.sha256, Array(repeating: UInt8(ascii: "x"), count: 100), Array("salty".utf8), 3,
             "465606cd3d3e4b4f0d10cfd4cbb3bae89de7c44c4ec30b25cf7419f1648517ccbbd998a2722a9e8d452ae235c68079c233680ad5045f1e3dd82ecec2124f56463276034ebd049544ed252ae75b189a89"),
            (.sha512, Array(repeating: UInt8(ascii: "y"), count: 129), [], 2,
             "9ffe74b2dff194b53cd7510d11062e35d2ee10080596d47fde13985e8dbff6992daddee013c1ce1938af1476b7fb708fbcd26ed14330c4fbd27f8ea9601e34d9874c43d55d4450418b8f3f68546d539373caf22f4fbd4dadcadaaa11761d382059223e3a4175fe86a041ffadf25aec814df0d72b08f5ff794093e3533150768c79a4"),
            (.sha1, [], Array("s".utf8), 1000,
             "3a3d5605572d860305eb4f488155f90f6ad5cb4ef4419e8b14707ca899bc4e8a3da8556f3b47cef9f79d6c5ab536b2ee41887a908b66047930d85e11a3a21197"),
        ]
        for (digest, password, salt, iterations, expected) in cases {
            let key = PBKDF2.deriveKey(password: password, salt: salt, iterations: iterations, digest: digest,
                                       keyLength: expected.count / 2)
            #expect(hexString(key) == expected, "\(digest) \(password.count)-byte password")
        }
    }

    @Test func pbkdf2Refusals() {
        func hash(_ variant: String, i: UInt64, dk: Int) -> PasswordHash {
            PasswordHash(family: .pbkdf2, variant: variant, params: [.init("i", i)], salt: [1, 2, 3],
                         digest: Array(repeating: 7, count: dk), spelling: "test")
        }
        #expect(PasswordVerifier.verify("pw", against: hash("sha256", i: 0, dk: 32)).problemCode == "verify_parameter_out_of_range")
        #expect(PasswordVerifier.verify("pw", against: hash("sha256", i: 1 << 40, dk: 32)).problemCode == "verify_parameter_out_of_range")
        #expect(PasswordVerifier.verify("pw", against: hash("sha256", i: 1, dk: 0)).problemCode == "verify_length_out_of_range")
        #expect(PasswordVerifier.verify("pw", against: hash("sha256", i: 1, dk: 10_000)).problemCode == "verify_length_out_of_range")
        #expect(PasswordVerifier.verify("pw", against: hash("md4", i: 1, dk: 32)).problemCode == "verify_unknown_variant")
        #expect(PasswordVerifier.verify("pw", against: hash("sha1", i: 50_000_000, dk: 64)).problemCode == "verify_work_limit")
        var noIterations = hash("sha1", i: 1, dk: 20)
        noIterations.params = []
        #expect(PasswordVerifier.verify("pw", against: noIterations).problemCode == "verify_missing_parameter")
    }

    @Test func argon2RefusesHugeOrMissingParametersBeforeCallingLibargon2() {
        func hash(m: UInt64 = 65536, t: UInt64 = 3, p: UInt64 = 4, v: UInt64 = 19) -> PasswordHash {
            PasswordHash(family: .argon2, variant: "argon2id",
                         params: [.init("v", v), .init("m", m), .init("t", t), .init("p", p)],
                         salt: Array(repeating: 1, count: 16), digest: Array(repeating: 2, count: 32), spelling: "test")
        }
        #expect(PasswordVerifier.verify("pw", against: hash(m: 1 << 32)).problemCode == "verify_parameter_out_of_range")
        #expect(PasswordVerifier.verify("pw", against: hash(m: 1_048_577)).problemCode == "verify_parameter_out_of_range")
        #expect(PasswordVerifier.verify("pw", against: hash(t: 0)).problemCode == "verify_parameter_out_of_range")
        #expect(PasswordVerifier.verify("pw", against: hash(p: 0)).problemCode == "verify_parameter_out_of_range")
        #expect(PasswordVerifier.verify("pw", against: hash(p: 1 << 24)).problemCode == "verify_parameter_out_of_range")
        #expect(PasswordVerifier.verify("pw", against: hash(v: 18)).problemCode == "verify_parameter_out_of_range")
        var unknown = hash()
        unknown.variant = "argon2x"
        #expect(PasswordVerifier.verify("pw", against: unknown).problemCode == "verify_unknown_variant")
        var noMemory = hash()
        noMemory.params.removeAll { $0.name == "m" }
        #expect(PasswordVerifier.verify("pw", against: noMemory).problemCode == "verify_missing_parameter")
    }

    /// The PHC spec's example made with the secret "pepper": verifies only when the secret is supplied.
    @Test func argon2PepperNeedsTheSecret() throws {
        var hash = try #require(VerificationVector.named("phc-spec-example-pepper")?.hash)
        #expect(PasswordVerifier.verify("hunter2", against: hash) == .success(true))
        hash.extras = [.init("keyid", [1, 2])]
        #expect(PasswordVerifier.verify("hunter2", against: hash).problemCode == "verify_argon2_secret_required")
        hash.extras = []
        #expect(PasswordVerifier.verify("hunter2", against: hash) == .success(false))
    }

    @Test func bcryptEdgeCases() throws {
        let ow01 = try #require(VerificationVector.named("ow-01")?.hash)
        // The stored string must be exactly the 60 characters crypt_rn produces.
        var missing = ow01
        missing.original = nil
        #expect(PasswordVerifier.verify("U*U", against: missing).problemCode == "verify_missing_parameter")
        var mislabelled = ow01
        mislabelled.variant = "2b"
        #expect(PasswordVerifier.verify("U*U", against: mislabelled).problemCode == "verify_malformed_hash")
        // A NUL after the 72 bytes bcrypt reads does not matter; one inside them does.
        let long = try #require(VerificationVector.named("edge-bcrypt-600-byte-password")?.hash)
        #expect(PasswordVerifier.verify(Array(repeating: UInt8(ascii: "x"), count: 72) + [0, 1], against: long) == .success(true))
        #expect(PasswordVerifier.verify(Array(repeating: UInt8(ascii: "x"), count: 71) + [0], against: long).problemCode
                == "verify_bcrypt_nul_in_password")
    }

    @Test(arguments: HashFamily.allCases.filter { !$0.isImportable })
    func nonImportableFamiliesAreRefused(_ family: HashFamily) {
        let hash = PasswordHash(family: family, digest: [1, 2, 3], spelling: "test")
        #expect(PasswordVerifier.verify("pw", against: hash).problemCode == "verify_family_unsupported")
    }
}

extension Result where Success == Bool, Failure == HashProblem {
    var problemCode: String? {
        if case .failure(let problem) = self { return problem.code }
        return nil
    }
}
