import PasswordHashes
import WorkOS

/// The emulator's use of PasswordHashes: WorkOS's acceptance rules at import, verification at login.
enum PasswordCheck {
    /// The `password_hash_type` values WorkOS knows (its OpenAPI enum).
    static let knownTypes: Set<String> = ["bcrypt", "firebase-scrypt", "ssha", "ssha256", "scrypt", "pbkdf2", "argon2"]

    /// nil when WorkOS would take the hash, else its 400 `invalid_password_hash` answer.
    static func refusal(type: String, hash: String) -> APIReply? {
        switch WorkOSPolicy.check(type: type, hash: hash) {
        case .success: return nil
        case .failure(let refusal):
            return .error(400, code: "invalid_password_hash", message: "Invalid password hash.",
                          errors: refusal.problems.map { ErrorBody.Detail(code: $0.code, message: $0.message) })
        }
    }

    /// True only when the stored hash is one WorkOS accepts and `password` matches it.
    static func matches(password: String, type: String, hash: String) -> Bool {
        guard case .success(let parsed) = WorkOSPolicy.check(type: type, hash: hash) else { return false }
        guard case .success(let match) = PasswordVerifier.verify(password, against: parsed) else { return false }
        return match
    }
}
