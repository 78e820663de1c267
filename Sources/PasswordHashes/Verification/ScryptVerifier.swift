import COpenSSL

/// scrypt (RFC 7914) through libcrypto's EVP_PBE_scrypt, with N, r, p checked first.
enum ScryptVerifier {
    /// 1 GiB: RFC 7914's largest vector (N=2^20, r=8); never let an input allocate more.
    static let memoryLimit: UInt64 = 1 << 30
    static let workLimit: UInt64 = 1 << 26
    static let keyLengths = 1...1024

    static func verify(_ password: [UInt8], against hash: PasswordHash) -> Result<Bool, HashProblem> {
        let n: UInt64, r: UInt64, p: UInt64
        switch (hash.requiredParam("n", in: 2...(1 << 30), "a power of two from 2 to 2^30"),
                hash.requiredParam("r", in: 1...1024, "1 to 1,024"),
                hash.requiredParam("p", in: 1...1024, "1 to 1,024")) {
        case let (.success(a), .success(b), .success(c)): (n, r, p) = (a, b, c)
        case let (.failure(problem), _, _), let (_, .failure(problem), _), let (_, _, .failure(problem)):
            return .failure(problem)
        }
        guard n & (n - 1) == 0 else {
            return .failure(.verifyParameterOutOfRange(.scrypt, "n", n, "a power of two from 2 to 2^30"))
        }
        guard keyLengths.contains(hash.digest.count) else {
            return .failure(.verifyLengthOutOfRange(.scrypt, "derived key", hash.digest.count, "1 to 1,024 bytes"))
        }
        switch derive(password, salt: hash.salt, n: n, r: r, p: p, keyLength: hash.digest.count, family: .scrypt) {
        case .failure(let problem): return .failure(problem)
        case .success(var key):
            defer { SecretBytes.wipe(&key) }
            return .success(SecretBytes.equal(key, hash.digest))
        }
    }

    /// scrypt with the memory bound checked before libcrypto allocates: 128·r·N for V plus 128·r·p for B.
    static func derive(_ password: [UInt8], salt: [UInt8], n: UInt64, r: UInt64, p: UInt64, keyLength: Int,
                       family: HashFamily) -> Result<[UInt8], HashProblem> {
        let (v, vOverflow) = (128 * r).multipliedReportingOverflow(by: n)
        let (b, bOverflow) = (128 * r).multipliedReportingOverflow(by: p)
        guard !vOverflow, !bOverflow, v <= memoryLimit, b <= memoryLimit else {
            return .failure(HashProblem("verify_memory_limit",
                                        "The \(family.rawValue) parameters (N=\(n), r=\(r), p=\(p)) need more than the 1 GiB hashport allows for one verification."))
        }
        // Time grows with N·r·p: 2^26 is 8× RFC 7914's largest vector (N=2^20, r=8, p=1).
        guard n * r <= workLimit / p else {
            return .failure(HashProblem("verify_work_limit",
                                        "The \(family.rawValue) parameters (N=\(n), r=\(r), p=\(p)) need more work than hashport allows for one verification (N·r·p ≤ 2^26)."))
        }
        var key = [UInt8](repeating: 0, count: keyLength)
        let ok = password.withUnsafeBufferPointer { pw in
            salt.withUnsafeBufferPointer { s in
                key.withUnsafeMutableBufferPointer { out in
                    pw.withMemoryRebound(to: CChar.self) { pc in
                        EVP_PBE_scrypt(pc.count > 0 ? pc.baseAddress : nil, pc.count,
                                       s.count > 0 ? s.baseAddress : nil, s.count,
                                       n, r, p, v + b + 256 * r + (1 << 20), out.baseAddress, out.count)
                    }
                }
            }
        }
        guard ok == 1 else {
            SecretBytes.wipe(&key)
            return .failure(.verifyLibraryFailure(family, "libcrypto EVP_PBE_scrypt", "it refused N=\(n), r=\(r), p=\(p)"))
        }
        return .success(key)
    }
}

/// Firebase's modified scrypt: key = scrypt(password, salt ‖ separator, N=2^m, r, p=1), then the stored hash
/// is the signer key encrypted with AES-256-CTR under the first 32 key bytes and a zero IV.
enum FirebaseScryptVerifier {
    static func verify(_ password: [UInt8], against hash: PasswordHash) -> Result<Bool, HashProblem> {
        let rounds: UInt64, memoryCost: UInt64
        switch (hash.requiredParam("r", in: 1...64, "1 to 64 rounds"),
                hash.requiredParam("m", in: 1...20, "1 to 20, i.e. N up to 2^20")) {
        case let (.success(a), .success(b)): (rounds, memoryCost) = (a, b)
        case let (.failure(problem), _), let (_, .failure(problem)): return .failure(problem)
        }
        guard let signerKey = hash.extra("sk"), !signerKey.isEmpty else {
            return .failure(.verifyMissingParameter(.firebaseScrypt, "sk (signer key)"))
        }
        guard signerKey.count <= 1024, hash.digest.count == signerKey.count else {
            return .failure(.verifyLengthOutOfRange(.firebaseScrypt, "hash", hash.digest.count,
                                                    "exactly the signer key's length (\(signerKey.count) bytes, at most 1,024)"))
        }
        let separator = hash.extra("ss") ?? []
        let derived = ScryptVerifier.derive(password, salt: hash.salt + separator, n: 1 << memoryCost, r: rounds, p: 1,
                                            keyLength: 32, family: .firebaseScrypt)
        guard case .success(var key) = derived else {
            if case .failure(let problem) = derived { return .failure(problem) }
            return .success(false)
        }
        defer { SecretBytes.wipe(&key) }
        guard var encrypted = aes256CTR(key: key, plaintext: signerKey) else {
            return .failure(.verifyLibraryFailure(.firebaseScrypt, "libcrypto AES-256-CTR", "the cipher could not be set up"))
        }
        defer { SecretBytes.wipe(&encrypted) }
        return .success(SecretBytes.equal(encrypted, hash.digest))
    }

    static func aes256CTR(key: [UInt8], plaintext: [UInt8]) -> [UInt8]? {
        guard key.count == 32, let context = EVP_CIPHER_CTX_new() else { return nil }
        defer { EVP_CIPHER_CTX_free(context) }
        let iv = [UInt8](repeating: 0, count: 16)
        var out = [UInt8](repeating: 0, count: plaintext.count + 16)
        var written: Int32 = 0, finalWritten: Int32 = 0
        let ok = out.withUnsafeMutableBufferPointer { o in
            EVP_EncryptInit_ex(context, EVP_aes_256_ctr(), nil, key, iv) == 1
                && EVP_EncryptUpdate(context, o.baseAddress, &written, plaintext, Int32(plaintext.count)) == 1
                && EVP_EncryptFinal_ex(context, o.baseAddress! + Int(written), &finalWritten) == 1
        }
        guard ok, Int(written + finalWritten) == plaintext.count else {
            SecretBytes.wipe(&out)
            return nil
        }
        out.removeLast(16)
        return out
    }
}
