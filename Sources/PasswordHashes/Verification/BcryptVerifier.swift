import COpenSSL
import CXCrypt
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// bcrypt through libxcrypt's `crypt_rn`, comparing the whole 60-character result with the stored string.
enum BcryptVerifier {
    static let variants: Set<String> = ["2a", "2b", "2y", "2x", "2"]
    /// bcrypt reads at most 72 key bytes; libxcrypt refuses phrases of 512 bytes or more.
    static let keyLimit = 72

    static func verify(_ password: [UInt8], against hash: PasswordHash) -> Result<Bool, HashProblem> {
        guard let original = hash.original else { return .failure(.verifyMissingParameter(.bcrypt, "original")) }
        guard variants.contains(hash.variant) else { return .failure(.verifyUnknownVariant(.bcrypt, hash.variant)) }
        let stored = Array(original.utf8)
        let prefix = Array("$\(hash.variant)$".utf8)
        // "$2b$" + "NN$" + 22 salt + 31 hash characters.
        guard stored.count == prefix.count + 56, stored.starts(with: prefix), !stored.contains(0) else {
            return .failure(.verifyMalformed(.bcrypt, "expected a $\(hash.variant)$NN$ string of \(prefix.count + 56) characters"))
        }
        var key = Array(password.prefix(keyLimit))
        defer { SecretBytes.wipe(&key) }
        guard !key.contains(0) else { return .failure(.verifyNulInBcryptPassword) }

        // `$2$` (no NUL in the key schedule) equals `$2b$` on the password repeated to fill 72 bytes.
        var setting = stored
        if hash.variant == "2" {
            setting = Array("$2b$".utf8) + stored.dropFirst(3)
            if !key.isEmpty {
                var repeated = [UInt8](repeating: 0, count: keyLimit)
                for i in 0..<keyLimit { repeated[i] = key[i % key.count] }
                SecretBytes.wipe(&key)
                key = repeated
            }
        }
        return cryptCompare(key: key, setting: setting)
    }

    /// Runs crypt_rn(key, setting) and compares its output with `setting` (the full stored string).
    private static func cryptCompare(key: [UInt8], setting: [UInt8]) -> Result<Bool, HashProblem> {
        let dataSize = MemoryLayout<crypt_data>.size
        let data = ScratchBuffer(count: dataSize)  // zeroed: crypt_rn requires `initialized` = 0 on first use
        var phrase = key + [0]
        defer {
            data.release()
            SecretBytes.wipe(&phrase)
        }
        let settingC = setting + [0]
        errno = 0
        let result: UnsafeMutablePointer<CChar>? = phrase.withUnsafeBufferPointer { p in
            settingC.withUnsafeBufferPointer { s in
                p.withMemoryRebound(to: CChar.self) { pc in
                    s.withMemoryRebound(to: CChar.self) { sc in
                        crypt_rn(pc.baseAddress, sc.baseAddress, data.base, Int32(dataSize))
                    }
                }
            }
        }
        guard let output = result else {
            let code = errno
            return .failure(.verifyLibraryFailure(.bcrypt, "libxcrypt crypt_rn",
                                                  "the setting was rejected (errno \(code): \(String(cString: strerror(code))))"))
        }
        let outputLength = strlen(output)
        guard outputLength == setting.count else { return .success(false) }
        return .success(setting.withUnsafeBytes { CRYPTO_memcmp(output, $0.baseAddress!, setting.count) == 0 })
    }
}
