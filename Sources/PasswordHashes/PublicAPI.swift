// The PasswordHashes surface other modules build on. Implementations live in the family files;
// these signatures are the contract (DescopeExport, Mapping, Preflight and WorkOSEmulator call exactly these).

/// Split hash fields as they come from a CSV row or a JSON object (names as in descope-export.md).
/// All values are the raw text of the field; empty or nil means absent.
public struct SplitHashFields: Sendable, Hashable {
    public var hash: String?
    public var type: String?          // password_hash_type: "bcrypt", "argon2", "pbkdf2", "firebase", "django", "md5", ...
    public var salt: String?
    public var iterations: String?
    public var memory: String?
    public var threads: String?
    public var digest: String?        // sha1/sha256/sha512, or argon2 variant (argon2id/i/d)
    public var signerKey: String?     // firebase
    public var saltSeparator: String? // firebase
    public init(hash: String? = nil, type: String? = nil, salt: String? = nil, iterations: String? = nil,
                memory: String? = nil, threads: String? = nil, digest: String? = nil,
                signerKey: String? = nil, saltSeparator: String? = nil) {
        self.hash = hash; self.type = type; self.salt = salt; self.iterations = iterations
        self.memory = memory; self.threads = threads; self.digest = digest
        self.signerKey = signerKey; self.saltSeparator = saltSeparator
    }
}

/// How to read salt text when the spelling does not fix it (split fields, `pbkdf2_sha256$` from Clerk vs Django).
public enum SaltEncoding: String, Sendable, Hashable, CaseIterable {
    /// The spelling decides (Django/Werkzeug: text; PHC/passlib/split fields: base64, then hex).
    case auto
    case base64, base64url, hex
    /// The salt's UTF-8 bytes as they are.
    case text
}

/// The exact pair WorkOS's create-user body takes.
public struct WorkOSPasswordHash: Sendable, Hashable, Codable {
    public var type: String    // password_hash_type
    public var string: String  // password_hash
    /// `password_salt_position` ("prefix" | "suffix"), sent only with `ssha256`; nil otherwise.
    public var saltPosition: String?
    public init(type: String, string: String, saltPosition: String? = nil) {
        self.type = type; self.string = string; self.saltPosition = saltPosition
    }
}
