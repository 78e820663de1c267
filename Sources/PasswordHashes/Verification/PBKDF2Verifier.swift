/// PBKDF2-HMAC-SHA1/256/512: recompute the derived key (length = stored digest length), compare in constant time.
enum PBKDF2Verifier {
    /// 2^24 iterations is the largest published vector (RFC 6070); beyond 10^8 one verify ties up a core for ~10 s.
    static let iterationRange: ClosedRange<UInt64> = 1...100_000_000
    /// Longer keys multiply the work by the number of digest blocks without adding strength.
    static let keyLengthRange: ClosedRange<Int> = 1...256
    static let workLimit: UInt64 = 1 << 27

    static func verify(_ password: [UInt8], against hash: PasswordHash) -> Result<Bool, HashProblem> {
        guard let digest = PBKDF2.Digest(rawValue: hash.variant) else {
            return .failure(.verifyUnknownVariant(.pbkdf2, hash.variant))
        }
        let iterations: UInt64
        switch hash.requiredParam("i", in: iterationRange, "1 to 100,000,000 iterations") {
        case .success(let i): iterations = i
        case .failure(let problem): return .failure(problem)
        }
        guard keyLengthRange.contains(hash.digest.count) else {
            return .failure(.verifyLengthOutOfRange(.pbkdf2, "derived key", hash.digest.count, "1 to 256 bytes"))
        }
        // Each digest-sized block of the key repeats all iterations: bound the total (≈ 10 s of SHA-256).
        let blocks = UInt64((hash.digest.count + digest.outputSize - 1) / digest.outputSize)
        guard blocks * iterations <= workLimit else {
            return .failure(HashProblem("verify_work_limit",
                "This PBKDF2 hash needs \(blocks) × \(iterations) HMAC iterations, more than the \(workLimit) hashport allows for one verification."))
        }
        var derived = PBKDF2.deriveKey(password: password, salt: hash.salt, iterations: UInt32(iterations),
                                       digest: digest, keyLength: hash.digest.count)
        defer { SecretBytes.wipe(&derived) }
        return .success(SecretBytes.equal(derived, hash.digest))
    }
}
