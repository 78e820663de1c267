import CArgon2

/// Argon2 through libargon2's `argon2_verify_ctx`, after checking every parameter ourselves:
/// libargon2 accepts any version, any tag length ≥ 4 and any memory size (hash-formats.md §3).
enum Argon2Verifier {
    static let types: [String: argon2_type] = ["argon2id": Argon2_id, "argon2i": Argon2_i, "argon2d": Argon2_d]
    /// 1 GiB: the largest published vectors (phc-winner-argon2 TEST_LARGE_RAM) and 4× WorkOS's 262,144 KiB
    /// ceiling; a larger `m` from an untrusted string would have libargon2 allocate it before any check.
    static let memoryRange: ClosedRange<UInt64> = 8...1_048_576
    /// WorkOS accepts t ≤ 5; 64 passes over 1 GiB is already minutes of CPU.
    static let passRange: ClosedRange<UInt64> = 1...64
    /// One thread per lane: more lanes than this on a verify is never legitimate and spawns threads.
    static let laneRange: ClosedRange<UInt64> = 1...64
    static let saltLengths = 8...1024        // ARGON2_MIN_SALT_LENGTH = 8
    static let tagLengths = 12...64          // PHC spec; libargon2 alone would accept 4-byte tags

    static func verify(_ password: [UInt8], against hash: PasswordHash) -> Result<Bool, HashProblem> {
        guard let type = types[hash.variant] else { return .failure(.verifyUnknownVariant(.argon2, hash.variant)) }
        let version: UInt64, memory: UInt64, passes: UInt64, lanes: UInt64
        switch (hash.requiredParam("v", in: 16...19, "16 or 19"),
                hash.requiredParam("m", in: memoryRange, "8 to 1,048,576 KiB, i.e. at most 1 GiB"),
                hash.requiredParam("t", in: passRange, "1 to 64 passes"),
                hash.requiredParam("p", in: laneRange, "1 to 64 lanes")) {
        case let (.success(v), .success(m), .success(t), .success(p)):
            (version, memory, passes, lanes) = (v, m, t, p)
        case let (.failure(problem), _, _, _), let (_, .failure(problem), _, _),
             let (_, _, .failure(problem), _), let (_, _, _, .failure(problem)):
            return .failure(problem)
        }
        guard version == 16 || version == 19 else {
            return .failure(.verifyParameterOutOfRange(.argon2, "v", version, "16 or 19"))
        }
        guard memory >= 8 * lanes else {
            return .failure(.verifyParameterOutOfRange(.argon2, "m", memory, "at least 8 KiB per lane (8 × p = \(8 * lanes))"))
        }
        guard saltLengths.contains(hash.salt.count) else {
            return .failure(.verifyLengthOutOfRange(.argon2, "salt", hash.salt.count, "8 to 1,024 bytes"))
        }
        guard tagLengths.contains(hash.digest.count) else {
            return .failure(.verifyLengthOutOfRange(.argon2, "tag", hash.digest.count, "12 to 64 bytes"))
        }
        let secret = hash.extra("secret") ?? []
        if hash.extra("keyid") != nil && secret.isEmpty { return .failure(.verifyArgon2KeyedWithoutSecret) }
        let data = hash.extra("data") ?? []
        guard password.count <= Int(UInt32.max), secret.count <= 4096, data.count <= 1 << 20 else {
            return .failure(.verifyLengthOutOfRange(.argon2, "password, secret or data", max(password.count, secret.count, data.count),
                                                    "passwords under 4 GiB, secrets to 4 KiB and data to 1 MiB"))
        }

        // libargon2 takes mutable pointers; hand it copies so its optional wiping never touches the caller's arrays.
        var pwd = password, sec = secret, ad = data, salt = hash.salt
        var computed = [UInt8](repeating: 0, count: hash.digest.count)
        defer {
            SecretBytes.wipe(&pwd); SecretBytes.wipe(&sec); SecretBytes.wipe(&computed)
        }
        let rc: Int32 = pwd.withUnsafeMutableBufferPointer { pwdBuf in
            sec.withUnsafeMutableBufferPointer { secBuf in
                ad.withUnsafeMutableBufferPointer { adBuf in
                    salt.withUnsafeMutableBufferPointer { saltBuf in
                        computed.withUnsafeMutableBufferPointer { outBuf in
                            hash.digest.withUnsafeBytes { expected in
                                var context = argon2_context(
                                    out: outBuf.baseAddress, outlen: UInt32(outBuf.count),
                                    pwd: pwdBuf.baseAddress, pwdlen: UInt32(pwdBuf.count),
                                    salt: saltBuf.baseAddress, saltlen: UInt32(saltBuf.count),
                                    secret: secBuf.count > 0 ? secBuf.baseAddress : nil, secretlen: UInt32(secBuf.count),
                                    ad: adBuf.count > 0 ? adBuf.baseAddress : nil, adlen: UInt32(adBuf.count),
                                    t_cost: UInt32(passes), m_cost: UInt32(memory),
                                    lanes: UInt32(lanes), threads: UInt32(lanes), version: UInt32(version),
                                    allocate_cbk: nil, free_cbk: nil, flags: 0)  // ARGON2_DEFAULT_FLAGS: the function-like macro does not import
                                return argon2_verify_ctx(&context, expected.baseAddress!.assumingMemoryBound(to: CChar.self), type)
                            }
                        }
                    }
                }
            }
        }
        switch rc {
        case Int32(ARGON2_OK.rawValue): return .success(true)
        case Int32(ARGON2_VERIFY_MISMATCH.rawValue): return .success(false)
        default:
            return .failure(.verifyLibraryFailure(.argon2, "libargon2", String(cString: argon2_error_message(rc))))
        }
    }
}
