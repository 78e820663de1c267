/// Recognises a password hash in any supported spelling and takes it apart into a `PasswordHash`.
/// Works on the UTF-8 bytes (no Foundation, no regex); input is capped before anything is decoded.
public enum HashDetector {
    /// No supported single-string spelling comes near this; longer input is refused before parsing.
    public static let maximumLength = 4096

    /// A JSON object of hash fields (a split-field object or Descope's `hashedPassword`) may be this long.
    public static let maximumJSONLength = 16 * 1024

    /// Any single-string spelling (MCF/PHC/Django/Werkzeug/passlib/ASP.NET blob/{SSHA}/hex md5/...), or a JSON
    /// object: Descope's `hashedPassword` object (`{"argon2":{…}}`, `{"hashedPassword":{…}}`) or split fields.
    public static func detect(_ text: String, saltEncoding: SaltEncoding = .auto) -> Result<PasswordHash, HashProblem> {
        let n = text.utf8.count
        if n == 0 { return .failure(.empty) }
        if n > maximumJSONLength { return .failure(.tooLong(maximumLength)) }
        var t = text
        return t.withUTF8 { buffer in
            let all = buffer[...]
            var s = all.startIndex, e = all.endIndex
            while s < e && isSpace(all[s]) { s += 1 }
            while e > s && isSpace(all[e - 1]) { e -= 1 }
            if s == e { return .failure(.empty) }
            let b = all[s..<e]
            if HashJSON.looksLikeObject(b) { return detect(json: text, saltEncoding: saltEncoding) }
            if n > maximumLength { return .failure(.tooLong(maximumLength)) }
            // One branch-free pass: high bit set (non-ASCII) or a control character.
            var high: UInt8 = 0, low: UInt8 = 0xFF, delete: UInt8 = 0
            let p = buffer.baseAddress!
            for i in s..<e {
                let c = p[i]
                high |= c
                low = min(low, c)
                delete |= c == 0x7F ? 1 : 0
            }
            if high >= 0x80 { return .failure(.nonASCII) }
            if low < 0x20 || delete != 0 { return .failure(HashProblem("control_character", "The password hash contains a control character.")) }
            let original = (s == all.startIndex && e == all.endIndex) ? text : b.string
            return dispatch(b, original: original, saltEncoding: saltEncoding)
        }
    }

    /// A JSON object: Descope's hash object when a member names a hash kind or holds an object, else split fields.
    static func detect(json text: String, saltEncoding: SaltEncoding) -> Result<PasswordHash, HashProblem> {
        let members: [HashJSONMember]
        do { members = try HashJSON.parseObject(text) } catch { return .failure(error) }
        let descope = members.contains { member in
            if case .object = member.value { return true }
            return DescopeHashObject.kind(named: member.key) != nil
        }
        do {
            if descope { return try DescopeHashObject(members: members).detect() }
            return detect(fields: try SplitHashFields(members: members), saltEncoding: saltEncoding)
        } catch { return .failure(error) }
    }

    @inline(__always) static func isSpace(_ c: UInt8) -> Bool {
        c == UInt8(ascii: " ") || c == UInt8(ascii: "\t") || c == UInt8(ascii: "\r") || c == UInt8(ascii: "\n")
    }

    static func dispatch(_ b: Bytes, original: String, saltEncoding: SaltEncoding) -> Result<PasswordHash, HashProblem> {
        switch b[b.startIndex] {
        case UInt8(ascii: "$"):
            if b.hasPrefix("$2") { return BcryptHash.parse(b, original: original) }
            if b.hasPrefix("$argon2") { return Argon2Hash.parse(b, spelling: "phc", original: original) }
            if b.hasPrefix("$pbkdf2") { return PBKDF2Hash.parseMCF(b, saltEncoding: saltEncoding, original: original) }
            if b.hasPrefix("$scrypt$") { return ScryptHash.parseMCF(b, saltEncoding: saltEncoding) }
            if b.hasPrefix("$firebase-scrypt$") { return FirebaseScryptHash.parse(b) }
            if b.hasPrefix("$P$") || b.hasPrefix("$H$") { return LegacyHashes.phpass(b) }
        case UInt8(ascii: "{"):
            if b.hasPrefix("{SSHA") { return SSHAHash.parse(b) }
            if b.hasPrefix("{PBKDF2") { return PBKDF2Hash.parseLDAP(b, saltEncoding: saltEncoding) }
            if b.hasPrefix("{PKCS5S2}") { return PBKDF2Hash.parseAtlassian(b) }
            // LDAP wrappers around crypt(3)/PHC strings: {CRYPT}$2b$…, {ARGON2}$argon2id$…
            for wrapper: StaticString in ["{CRYPT}$", "{ARGON2}$"] where b.hasPrefix(wrapper) {
                let inner = b[(b.startIndex + wrapper.utf8CodeUnitCount - 1)...]
                if inner.hasPrefix("$2") { return BcryptHash.parse(inner, original: inner.string, spelling: "ldap") }
                if inner.hasPrefix("$argon2") { return Argon2Hash.parse(inner, spelling: "ldap") }
                if let h = LegacyHashes.byPrefix(inner) { return .success(PasswordHash(family: h.family, variant: h.variant, spelling: "ldap")) }
            }
        case UInt8(ascii: "a"):
            if b.hasPrefix("argon2$") { return Argon2Hash.parse(b.dropPrefix("argon2"), spelling: "django") }
        case UInt8(ascii: "b"):
            if b.hasPrefix("bcrypt$$2") {
                let inner = b.dropPrefix("bcrypt$")
                return BcryptHash.parse(inner, original: inner.string, spelling: "django")
            }
        case UInt8(ascii: "p"):
            if b.hasPrefix("pbkdf2_") { return PBKDF2Hash.parseDjango(b, saltEncoding: saltEncoding) }
            if b.hasPrefix("pbkdf2:") { return PBKDF2Hash.parseWerkzeug(b, saltEncoding: saltEncoding) }
        case UInt8(ascii: "s"):
            if b.hasPrefix("scrypt:") { return ScryptHash.parseWerkzeug(b, saltEncoding: saltEncoding) }
            if b.hasPrefix("sha1:") || b.hasPrefix("sha256:") || b.hasPrefix("sha512:") {
                return PBKDF2Hash.parseHashcat(b, saltEncoding: saltEncoding)
            }
        default: break
        }
        if let h = LegacyHashes.byPrefix(b) { return .success(h) }
        if let h = LegacyHashes.hexDigest(b) { return .success(h) }
        if let r = PBKDF2Hash.parseASPNet(b) { return r }
        return .failure(.unknownFormat)
    }

    /// Split fields (CSV columns / JSON object), see SplitHashFields; a full string in `hash` is also accepted.
    public static func detect(fields f: SplitHashFields, saltEncoding: SaltEncoding = .auto) -> Result<PasswordHash, HashProblem> {
        for v in [f.hash, f.type, f.salt, f.iterations, f.memory, f.threads, f.digest, f.signerKey, f.saltSeparator] {
            if let v, v.utf8.count > maximumLength { return .failure(.tooLong(maximumLength)) }
        }
        func present(_ s: String?) -> Bool { s.map { !$0.isEmpty } ?? false }
        guard let hash = f.hash, !hash.isEmpty else { return .failure(.empty) }
        let type = (f.type ?? "").lowercased()
        // A complete spelling ('$', ':' and '{' never occur in base64 or hex) speaks for itself, whatever else the row says.
        if hash.utf8.contains(where: { $0 == UInt8(ascii: "$") || $0 == UInt8(ascii: ":") || $0 == UInt8(ascii: "{") }) {
            return detect(hash, saltEncoding: saltEncoding)
        }
        let hasSplitParameters = present(f.salt) || present(f.signerKey)
        switch type {
        case "firebase", "firebase-scrypt", "firebasescrypt", "firebase_scrypt":
            return hash.hasPrefix("$firebase-scrypt$") ? detect(hash) : FirebaseScryptHash.split(f)
        case "argon2", "argon2id", "argon2i", "argon2d":
            if !hasSplitParameters { return detect(hash, saltEncoding: saltEncoding) }
            var g = f
            if type != "argon2" && !present(f.digest) { g.digest = type }
            return Argon2Hash.split(g, saltEncoding: saltEncoding)
        case _ where type.hasPrefix("pbkdf2"):
            return hasSplitParameters ? PBKDF2Hash.split(f, saltEncoding: saltEncoding) : detect(hash, saltEncoding: saltEncoding)
        case "md5", "sha", "sha1", "sha256", "sha512":
            if !hasSplitParameters, case .success(let h) = detect(hash), h.family == .md5 || h.family == .sha { return .success(h) }
            let hex = HashEncoding.decodeHex(hash)
            guard case .success(let digest) = hex else { return .failure(.badEncoding(type, field: "hash", .badCharacter, hex: true)) }
            let variant = type == "md5" ? "" : PBKDF2Hash.digestName(f.digest ?? type) ?? (type == "sha" ? "" : type)
            return .success(PasswordHash(family: type == "md5" ? .md5 : .sha, variant: variant, digest: digest,
                                         spelling: hasSplitParameters ? "split-fields-salted" : "split-fields"))
        case "buddyauth", "bach":
            return .failure(HashProblem("family_not_importable",
                "\(type) hashes cannot be imported into WorkOS: it has no matching password_hash_type; this user will need a password reset."))
        case "", "bcrypt", "django", "phpass", "scrypt", "ssha", "ssha256", "werkzeug", "passlib", "aspnet", "hashcat":
            if hasSplitParameters && type == "" {
                // No type: the parameters say which split layout it is.
                if present(f.memory) && present(f.threads) { return Argon2Hash.split(f, saltEncoding: saltEncoding) }
                if present(f.iterations) && PBKDF2Hash.digestName(f.digest ?? "") != nil { return PBKDF2Hash.split(f, saltEncoding: saltEncoding) }
                return .failure(HashProblem("unknown_format", "The split hash fields carry a salt but no type, and their parameters do not say which algorithm made them."))
            }
            return detect(hash, saltEncoding: saltEncoding)
        default:
            return .failure(.unknownType("in password_hash_type"))
        }
    }
}

extension PasswordHash {
    /// The exact WorkOS pair (hash-formats.md §1), or why none exists (family not importable, a bcrypt
    /// prefix that must not be relabelled, an Argon2 secret or associated data).
    /// WorkOS's parameter ranges are NOT checked here: see `WorkOSPolicy.problems(for:)`.
    public func workOSForm() -> Result<WorkOSPasswordHash, HashProblem> {
        switch family {
        case .bcrypt: return BcryptHash.workOSForm(self)
        case .argon2: return Argon2Hash.workOSForm(self)
        case .pbkdf2: return PBKDF2Hash.workOSForm(self)
        case .scrypt: return .success(WorkOSPasswordHash(type: "scrypt", string: ScryptHash.workOS(self)))
        case .firebaseScrypt: return .success(WorkOSPasswordHash(type: "firebase-scrypt", string: FirebaseScryptHash.workOS(self)))
        case .ssha, .ssha256: return SSHAHash.workOSForm(self)
        default: return .failure(LegacyHashes.notImportable(family))
        }
    }
}
