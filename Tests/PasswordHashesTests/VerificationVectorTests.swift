import Testing
import PasswordHashes

/// Every published vector of TestVectors/known-answer-vectors.json through `PasswordVerifier` on the C libraries.
@Suite("Verification: known-answer vectors")
struct VerificationVectorTests {
    /// Vectors whose only fault is the string's syntax (padding bits, leading zeros, a missing `$`): the
    /// formats parser rejects them; the verifier never sees them. Their count is pinned below.
    static let parserOnly: Set<String> = [
        "refc-neg-missing-dollar-1", "refc-neg-missing-dollar-2", "neg-argon2-noncanonical-salt-bits",
        "neg-argon2-padded-b64", "neg-argon2-leading-zero", "edge-passlib-noncanonical-pad-bits",
    ]

    /// Vectors the verifier must refuse with this exact problem code instead of answering yes or no.
    static let expectedProblems: [String: String] = [
        "pyca-2b-nul-in-password": "verify_bcrypt_nul_in_password",
        "ow-neg-cost03": "verify_malformed_hash", "ow-neg-cost32": "verify_malformed_hash",
        "ow-neg-2c": "verify_unknown_variant", "ow-neg-2z": "verify_unknown_variant",
        "ow-neg-2backtick": "verify_unknown_variant", "ow-neg-2brace": "verify_unknown_variant",
        "neg-bcrypt-cost-single-digit": "verify_malformed_hash",
        "neg-bcrypt-trailing-garbage": "verify_malformed_hash",
        "neg-bcrypt-truncated": "verify_malformed_hash",
        "neg-bcrypt-uppercase-prefix": "verify_unknown_variant",
        "refc-neg-empty-salt": "verify_length_out_of_range",
        "neg-argon2-m-lt-8p": "verify_parameter_out_of_range",
        "edge-argon2-version-99": "verify_parameter_out_of_range",
        "edge-argon2-4-byte-tag": "verify_length_out_of_range",
        "neg-argon2-keyid": "verify_argon2_secret_required",
    ]

    /// Published as negative only because libargon2's `argon2_verify` was called with a type that contradicts
    /// the `$argon2id$` label; the verifier takes the type from the label, so the password matches.
    static let labelDecidesType: Set<String> = ["neg-argon2-type-arg-mismatch"]

    /// 2^24 PBKDF2 iterations and 1 GiB Argon2: checked once as published, left out of the derived checks.
    static let heavy: Set<String> = ["rfc6070-4", "refc-v16-argon2i-02", "refc-v19-argon2i-02"]

    static let checked = VerificationVector.all.filter { !parserOnly.contains($0.id) }
    static let positives = checked.filter {
        ($0.expectedValid || labelDecidesType.contains($0.id)) && expectedProblems[$0.id] == nil && !heavy.contains($0.id)
    }

    @Test func everyVectorIsLoadedAndBuilt() {
        #expect(VerificationVector.all.count == 182)
        #expect(Self.checked.count == 182 - Self.parserOnly.count)
        for vector in Self.checked {
            #expect(vector.hash != nil, "vector \(vector.id) could not be turned into a PasswordHash")
        }
        for id in Self.expectedProblems.keys { #expect(VerificationVector.named(id) != nil, "unknown id \(id)") }
    }

    @Test(arguments: checked)
    func vectorVerifiesAsPublished(_ vector: VerificationVector) throws {
        let hash = try #require(vector.hash)
        let result = PasswordVerifier.verify(vector.password, against: hash)
        if let code = Self.expectedProblems[vector.id] {
            guard case .failure(let problem) = result else {
                Issue.record("\(vector.id): expected problem \(code), got \(result)")
                return
            }
            #expect(problem.code == code)
            #expect(!problem.message.isEmpty)
        } else if Self.labelDecidesType.contains(vector.id) {
            #expect(result == .success(true), "\(vector.id)")
        } else {
            #expect(result == .success(vector.expectedValid), "\(vector.id)")
        }
    }

    /// The same hash with a one-bit-different password must not verify.
    @Test(arguments: positives)
    func alteredPasswordIsRejected(_ vector: VerificationVector) throws {
        let hash = try #require(vector.hash)
        var password = vector.password.isEmpty ? [UInt8(ascii: "a")] : vector.password
        if hash.variant == "2x" {
            // $2x$ sign-extends 8-bit bytes, so nearby 8-bit passwords collide by design (ow-13 = ow-14).
            password = Array("an entirely different password".utf8)
        } else if !vector.password.isEmpty {
            password[0] ^= password[0] == 0x01 ? 0x02 : 0x01
        }
        #expect(PasswordVerifier.verify(password, against: hash) == .success(false), "\(vector.id)")
    }

    /// The same password against a digest with one flipped bit must not verify (bcrypt: one changed hash character).
    @Test(arguments: positives)
    func alteredDigestIsRejected(_ vector: VerificationVector) throws {
        var hash = try #require(vector.hash)
        if hash.family == .bcrypt {
            var chars = Array(try #require(hash.original))
            chars[chars.count - 2] = chars[chars.count - 2] == "a" ? "b" : "a"
            hash.original = String(chars)
        } else {
            hash.digest[hash.digest.count / 2] ^= 0x10
        }
        #expect(PasswordVerifier.verify(vector.password, against: hash) == .success(false), "\(vector.id)")
    }

    /// PBKDF2 vectors byte for byte through the public derivation, not only through the yes/no answer.
    @Test(arguments: positives.filter { $0.algorithm.hasPrefix("pbkdf2-") })
    func pbkdf2DerivedKeyMatchesByteForByte(_ vector: VerificationVector) throws {
        let hash = try #require(vector.hash)
        let digest = try #require(PBKDF2.Digest(rawValue: hash.variant))
        let iterations = try #require(hash.param("i"))
        let key = PBKDF2.deriveKey(password: vector.password, salt: hash.salt, iterations: UInt32(iterations),
                                   digest: digest, keyLength: hash.digest.count)
        #expect(hexString(key) == hexString(hash.digest), "\(vector.id)")
    }
}
