/// A password hash taken apart: what algorithm, with which parameters, over which salt and digest bytes.
/// Parsing (`HashDetector`) and writing (`WorkOSForm`) are pure functions over this value.
public struct PasswordHash: Sendable, Hashable {
    public var family: HashFamily
    /// Family-specific variant: bcrypt prefix ("2a", "2b", "2y", "2x", "2"), argon2 type ("argon2id"),
    /// PBKDF2/SHA digest ("sha1", "sha256", "sha512"), phpass marker ("P", "H"), … ; empty when none.
    public var variant: String
    /// Named numeric parameters in a stable order: bcrypt `cost`; argon2 `v`,`m`,`t`,`p`;
    /// pbkdf2 `i`; scrypt `n`,`r`,`p`; firebase-scrypt `r`,`m`.
    public var params: [Parameter]
    public var salt: [UInt8]
    public var digest: [UInt8]
    /// Extra byte strings some families carry: argon2 `data` (associated data) / `keyid`;
    /// firebase-scrypt `sk` (signer key) and `ss` (salt separator).
    public var extras: [Extra]
    /// The spelling the hash was read from (e.g. "django", "passlib", "werkzeug", "phc", "split-fields").
    public var spelling: String
    /// The exact source string when it is already the WorkOS string, passed through byte for byte: always for bcrypt,
    /// for Argon2/PBKDF2 when the source is the canonical WorkOS spelling. Set it to nil after changing other fields.
    public var original: String?

    public init(family: HashFamily, variant: String = "", params: [Parameter] = [], salt: [UInt8] = [],
                digest: [UInt8] = [], extras: [Extra] = [], spelling: String, original: String? = nil) {
        self.family = family; self.variant = variant; self.params = params; self.salt = salt
        self.digest = digest; self.extras = extras; self.spelling = spelling; self.original = original
    }

    public struct Parameter: Sendable, Hashable {
        public var name: String
        public var value: UInt64
        public init(_ name: String, _ value: UInt64) { self.name = name; self.value = value }
    }

    public struct Extra: Sendable, Hashable {
        public var name: String
        public var bytes: [UInt8]
        public init(_ name: String, _ bytes: [UInt8]) { self.name = name; self.bytes = bytes }
    }

    public func param(_ name: String) -> UInt64? { params.first { $0.name == name }?.value }
    public func extra(_ name: String) -> [UInt8]? { extras.first { $0.name == name }?.bytes }
}

/// Every family hashport recognises. Only some can be imported into WorkOS (`isImportable`).
public enum HashFamily: String, Sendable, Hashable, CaseIterable, Codable {
    case bcrypt, argon2, pbkdf2, scrypt
    case firebaseScrypt = "firebase-scrypt"
    case ssha, ssha256
    // Recognised, never importable.
    case md5, sha, phpass, bcryptSHA256 = "bcrypt-sha256", des, sha512crypt, sha256crypt, md5crypt

    /// True when WorkOS has a `password_hash_type` for the family at all (parameters may still be refused).
    public var isImportable: Bool {
        switch self {
        case .bcrypt, .argon2, .pbkdf2, .scrypt, .firebaseScrypt, .ssha, .ssha256: return true
        default: return false
        }
    }
}

/// A precise, stable reason a hash cannot be read, verified or imported.
/// `code` is for machines (stable, snake_case); `message` is a sentence for the person running the migration.
/// Messages never contain the hash or the password.
public struct HashProblem: Error, Sendable, Hashable, Codable {
    public var code: String
    public var message: String
    public init(_ code: String, _ message: String) { self.code = code; self.message = message }
}
