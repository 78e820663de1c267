/// Checks a password against a `PasswordHash` on the C libraries (libxcrypt, libargon2, libcrypto).
public enum PasswordVerifier {
    /// Does `password` (raw bytes) match `hash`? `.failure` = cannot be verified (unsupported, keyed,
    /// out of range…) with a precise HashProblem. Parameters are range-checked before any work or allocation.
    public static func verify(_ password: [UInt8], against hash: PasswordHash) -> Result<Bool, HashProblem> {
        switch hash.family {
        case .bcrypt: return BcryptVerifier.verify(password, against: hash)
        case .argon2: return Argon2Verifier.verify(password, against: hash)
        case .pbkdf2: return PBKDF2Verifier.verify(password, against: hash)
        case .scrypt: return ScryptVerifier.verify(password, against: hash)
        case .firebaseScrypt: return FirebaseScryptVerifier.verify(password, against: hash)
        case .ssha, .ssha256: return SaltedSHAVerifier.verify(password, against: hash)
        case .md5, .sha, .phpass, .bcryptSHA256, .des, .sha512crypt, .sha256crypt, .md5crypt:
            return .failure(.verifyFamilyUnsupported(hash.family))
        }
    }

    /// Convenience for UTF-8 text passwords.
    public static func verify(_ password: String, against hash: PasswordHash) -> Result<Bool, HashProblem> {
        verify(Array(password.utf8), against: hash)
    }
}

extension PasswordHash {
    /// The named parameter, or a problem saying it is missing / outside `range`.
    func requiredParam(_ name: String, in range: ClosedRange<UInt64>, _ why: String) -> Result<UInt64, HashProblem> {
        guard let value = param(name) else { return .failure(.verifyMissingParameter(family, name)) }
        guard range.contains(value) else {
            return .failure(.verifyParameterOutOfRange(family, name, value, why))
        }
        return .success(value)
    }
}
