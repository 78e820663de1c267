/// Families hashport recognises so it can say why they cannot move: plain MD5/SHA hex digests, phpass,
/// crypt(3) MD5/SHA-crypt, Django's legacy hashers and LDAP `{SHA}`/`{MD5}`/`{SMD5}`/`{CRYPT}`.
enum LegacyHashes {
    /// Bare hex digests: 32 → MD5, 40/64/128 → SHA-1/256/512.
    static func hexDigest(_ b: Bytes) -> PasswordHash? {
        let family: HashFamily, variant: String
        switch b.count {
        case 32: family = .md5; variant = ""
        case 40: family = .sha; variant = "sha1"
        case 64: family = .sha; variant = "sha256"
        case 128: family = .sha; variant = "sha512"
        default: return nil
        }
        guard case .success(let d) = HashEncoding.decodeHex(b) else { return nil }
        return PasswordHash(family: family, variant: variant, digest: d, spelling: "hex")
    }

    /// phpass's own radix-64 order (digits before letters, unlike bcrypt's).
    static let itoa64 = Base64Alphabet.table(Array("./0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".utf8))

    /// phpass portable hashes `$P$`/`$H$` + rounds char + 8 salt chars + 22 hash chars.
    static func phpass(_ b: Bytes) -> Result<PasswordHash, HashProblem> {
        guard b.count == 34 else { return .failure(.badLength("phpass", "a phpass hash is 34 characters")) }
        let itoa = itoa64
        let rounds = itoa[Int(b[b.startIndex + 3])]
        guard rounds != 0xFF, (7...30).contains(rounds) else { return .failure(.outOfRange("phpass", "rounds", 7...30)) }
        for c in b[(b.startIndex + 4)...] where itoa[Int(c)] == 0xFF {
            return .failure(.badEncoding("phpass", field: "hash", .badCharacter))
        }
        return .success(PasswordHash(family: .phpass, variant: b[b.startIndex + 1] == UInt8(ascii: "P") ? "P" : "H",
                                     params: [.init("rounds", 1 << UInt64(rounds))], salt: Array(b[(b.startIndex + 4)..<(b.startIndex + 12)]),
                                     spelling: "phpass"))
    }

    /// Everything else recognised by its prefix alone (never importable, so the body is not decoded).
    static let prefixes: [(StaticString, HashFamily, String, String)] = [
        ("$1$", .md5crypt, "", "crypt"), ("$5$", .sha256crypt, "", "crypt"), ("$6$", .sha512crypt, "", "crypt"),
        ("md5$", .md5, "", "django"), ("unsalted_md5$", .md5, "", "django"),
        ("sha1$", .sha, "sha1", "django"), ("unsalted_sha1$", .sha, "sha1", "django"),
        ("sha256$", .sha, "sha256", "werkzeug"), ("sha512$", .sha, "sha512", "werkzeug"),
        ("bcrypt_sha256$", .bcryptSHA256, "", "django"), ("crypt$", .des, "", "django"),
        ("{SHA}", .sha, "sha1", "ldap"), ("{SHA256}", .sha, "sha256", "ldap"), ("{SHA512}", .sha, "sha512", "ldap"),
        ("{MD5}", .md5, "", "ldap"), ("{SMD5}", .md5, "salted", "ldap"), ("{CRYPT}", .des, "", "ldap"),
    ]

    static func byPrefix(_ b: Bytes) -> PasswordHash? {
        for (prefix, family, variant, spelling) in prefixes where b.hasPrefix(prefix) {
            guard b.count > prefix.utf8CodeUnitCount else { return nil }
            return PasswordHash(family: family, variant: variant, spelling: spelling)
        }
        return nil
    }

    static func notImportable(_ family: HashFamily) -> HashProblem {
        let what: String
        switch family {
        case .md5: what = "MD5 hashes"
        case .sha: what = "Unsalted or unknown-layout SHA hashes"
        case .phpass: what = "phpass (WordPress/phpBB) hashes"
        case .bcryptSHA256: what = "Django bcrypt_sha256 hashes (bcrypt over a SHA-256 pre-hash)"
        case .des: what = "DES crypt hashes"
        case .md5crypt: what = "MD5-crypt ($1$) hashes"
        case .sha256crypt: what = "SHA-256-crypt ($5$) hashes"
        case .sha512crypt: what = "SHA-512-crypt ($6$) hashes"
        default: what = "\(family.rawValue) hashes"
        }
        return HashProblem("family_not_importable",
                           "\(what) cannot be imported into WorkOS: it has no matching password_hash_type; this user will need a password reset.")
    }
}
