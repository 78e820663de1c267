/// `{SSHA}` / `{SSHA256}`: digest = SHA-1 (or SHA-256) of password ‖ salt.
enum SaltedSHAVerifier {
    static func verify(_ password: [UInt8], against hash: PasswordHash) -> Result<Bool, HashProblem> {
        let expectedLength = hash.family == .ssha ? SHA1Compression.digestSize : SHA256Compression.digestSize
        guard hash.digest.count == expectedLength else {
            return .failure(.verifyLengthOutOfRange(hash.family, "digest", hash.digest.count,
                                                    "exactly \(expectedLength) bytes"))
        }
        var computed = password.withUnsafeBytes { p in
            hash.salt.withUnsafeBytes { s in
                hash.family == .ssha ? SHA1Compression.digest(p, s) : SHA256Compression.digest(p, s)
            }
        }
        defer { SecretBytes.wipe(&computed) }
        return .success(SecretBytes.equal(computed, hash.digest))
    }
}
