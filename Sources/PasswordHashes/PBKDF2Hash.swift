/// PBKDF2 in every spelling of hash-formats.md §4, normalised to (digest, iterations, salt bytes, derived key).
enum PBKDF2Hash {
    static let name = "PBKDF2"
    static let iterationRange: ClosedRange<UInt64> = 1...UInt64(UInt32.max)
    static let keyLengthRange = 1...1024

    /// How a spelling writes its salt, before any `--salt-encoding` override.
    enum SaltSpelling { case base64(Base64Alphabet, Base64Padding), text }

    static func salt(_ t: Bytes, _ spelling: SaltSpelling, _ override: SaltEncoding, what: String = name) -> Result<[UInt8], HashProblem> {
        switch override {
        case .text: return .success(Array(t))
        case .hex: return HashEncoding.decodeHex(t).or(what, "salt", hex: true)
        case .base64: return HashEncoding.decodeBase64(t, alphabet: .standard, padding: .optional).or(what, "salt")
        case .base64url: return HashEncoding.decodeBase64(t, alphabet: .urlSafe, padding: .optional).or(what, "salt")
        case .auto:
            switch spelling {
            case .text: return .success(Array(t))
            case .base64(let a, let p): return HashEncoding.decodeBase64(t, alphabet: a, padding: p).or(what, "salt")
            }
        }
    }

    static func build(digest: String, iterations: UInt64, salt: [UInt8], key: [UInt8], spelling: String,
                      original: String? = nil) -> Result<PasswordHash, HashProblem> {
        if salt.isEmpty { return .failure(.missingField(name, "salt")) }
        guard keyLengthRange.contains(key.count) else {
            return .failure(.badLength(name, "the derived key must be 1–1024 bytes"))
        }
        return .success(PasswordHash(family: .pbkdf2, variant: digest, params: [.init("i", iterations)],
                                     salt: salt, digest: key, spelling: spelling, original: original))
    }

    /// "sha256" from "sha256", "SHA-256", "pbkdf2_sha256", "HMAC-SHA256", … ; nil when not SHA-1/256/512.
    static func digestName(_ text: Bytes) -> String? {
        if let d = shortDigestName(text) { return d }
        for prefix: StaticString in ["pbkdf2", "hmac"] {
            // Match the prefix ignoring case and separators, then read what follows.
            var i = text.startIndex, k = 0
            let n = prefix.utf8CodeUnitCount
            while i < text.endIndex && k < n {
                let c = text[i]
                if isSeparator(c) { i += 1; continue }
                if c | 0x20 != prefix.utf8Start[k] { break }
                i += 1; k += 1
            }
            if k == n { return shortDigestName(text[i...]) }
        }
        return nil
    }

    @inline(__always) static func isSeparator(_ c: UInt8) -> Bool {
        c == UInt8(ascii: "-") || c == UInt8(ascii: "_") || c == UInt8(ascii: ":")
    }

    /// Letters lower-cased and digits kept, separators dropped, packed into one integer (names are short).
    static func shortDigestName(_ text: Bytes) -> String? {
        var packed: UInt64 = 0
        var n = 0
        for c in text where !isSeparator(c) {
            n += 1
            if n > 8 { return nil }
            packed = packed << 8 | UInt64(c | 0x20)
        }
        switch packed {
        case pack("sha1"), pack("sha"): return "sha1"
        case pack("sha256"): return "sha256"
        case pack("sha512"): return "sha512"
        default: return nil
        }
    }

    static func pack(_ s: StaticString) -> UInt64 {
        var v: UInt64 = 0
        for k in 0..<s.utf8CodeUnitCount { v = v << 8 | UInt64(s.utf8Start[k]) }
        return v
    }

    static func digestName(_ text: String) -> String? {
        var t = text
        return t.withUTF8 { digestName($0[...]) }
    }

    static let unknownDigest = HashProblem("pbkdf2_unknown_digest", "The PBKDF2 digest is not SHA-1, SHA-256 or SHA-512.")

    /// `$pbkdf2[-sha*]$…`: the WorkOS form (`i=,d=`), RustCrypto/Auth0 PHC (`i=,l=`) and passlib (bare rounds).
    /// `original` is kept when the text is already the canonical WorkOS string (`i=` then `d=<lower-case name>`).
    static func parseMCF(_ b: Bytes, saltEncoding: SaltEncoding, original: String? = nil) -> Result<PasswordHash, HashProblem> {
        guard let parts = b.split(on: UInt8(ascii: "$"), max: 6) else { return .failure(.malformed(name, "too many '$'-separated fields")) }
        guard parts.count == 5 else {
            return .failure(parts.count < 5 ? .truncated(name, "expected parameters, salt and hash") : .malformed(name, "too many fields"))
        }
        var digest: String
        let ident = parts[1]
        if ident.equals("pbkdf2") { digest = "sha1" } else if let d = digestName(ident) { digest = d } else { return .failure(unknownDigest) }
        let explicitDigest = !ident.equals("pbkdf2")
        if let first = parts[2].first, BcryptHash.isDigit(first) {
            // passlib: bare rounds, adapted base64 without padding.
            let i: UInt64
            switch HashProblem.number(parts[2], name, "rounds", iterationRange) { case .success(let v): i = v; case .failure(let e): return .failure(e) }
            return decodePair(salt: parts[3], saltSpelling: .base64(.passlib, .forbidden), hash: parts[4], alphabet: .passlib,
                              padding: .forbidden, saltEncoding: saltEncoding).flatMap {
                build(digest: digest, iterations: i, salt: $0.0, key: $0.1, spelling: "passlib")
            }
        }
        guard let kv = parts[2].split(on: UInt8(ascii: ","), max: 4) else { return .failure(.unknownParameter(name)) }
        var i: UInt64?, l: UInt64?, sawD = false
        for item in kv {
            if item.hasPrefix("i="), i == nil {
                switch HashProblem.number(item.dropPrefix("i="), name, "i", iterationRange) { case .success(let v): i = v; case .failure(let e): return .failure(e) }
            } else if item.hasPrefix("l="), l == nil {
                switch HashProblem.number(item.dropPrefix("l="), name, "l", 1...1024) { case .success(let v): l = v; case .failure(let e): return .failure(e) }
            } else if item.hasPrefix("d="), !sawD {
                guard let d = digestName(item.dropPrefix("d=")) else { return .failure(unknownDigest) }
                if explicitDigest && d != digest { return .failure(.malformed(name, "the d= digest contradicts the identifier")) }
                digest = d; sawD = true
            } else {
                return .failure(.unknownParameter(name))
            }
        }
        guard let iterations = i else { return .failure(.missingField(name, "iteration count (i=)")) }
        let spelling = ident.equals("pbkdf2") && sawD ? "workos" : "phc"
        let canonical = spelling == "workos" && kv.count == 2 && kv[0].hasPrefix("i=") && saltEncoding == .auto
            && (kv[1].equals("d=sha256") || kv[1].equals("d=sha512") || kv[1].equals("d=sha1"))
        return decodePair(salt: parts[3], saltSpelling: .base64(.standard, .forbidden), hash: parts[4], alphabet: .standard,
                          padding: .forbidden, saltEncoding: saltEncoding).flatMap { pair in
            if let l, l != UInt64(pair.1.count) { return .failure(.badLength(name, "l= does not match the hash length")) }
            return build(digest: digest, iterations: iterations, salt: pair.0, key: pair.1, spelling: spelling,
                         original: canonical ? original : nil)
        }
    }

    static func decodePair(salt: Bytes, saltSpelling: SaltSpelling, hash: Bytes, alphabet: Base64Alphabet?, padding: Base64Padding,
                           saltEncoding: SaltEncoding, what: String = name) -> Result<([UInt8], [UInt8]), HashProblem> {
        let s: [UInt8], k: [UInt8]
        switch Self.salt(salt, saltSpelling, saltEncoding, what: what) { case .success(let v): s = v; case .failure(let e): return .failure(e) }
        if let alphabet {
            switch HashEncoding.decodeBase64(hash, alphabet: alphabet, padding: padding) {
            case .success(let v): k = v
            case .failure(let f): return .failure(f.problem(what, "hash"))
            }
        } else {
            switch HashEncoding.decodeHex(hash) { case .success(let v): k = v; case .failure(let f): return .failure(f.problem(what, "hash", hex: true)) }
        }
        return .success((s, k))
    }

    /// Django `pbkdf2_sha256$600000$salt$b64hash`: the salt is text.
    static func parseDjango(_ b: Bytes, saltEncoding: SaltEncoding) -> Result<PasswordHash, HashProblem> {
        guard let parts = b.split(on: UInt8(ascii: "$"), max: 5), parts.count == 4 else {
            return .failure(.malformed(name, "a Django PBKDF2 hash has four '$'-separated fields"))
        }
        guard let digest = digestName(parts[0]) else { return .failure(unknownDigest) }
        let i: UInt64
        switch HashProblem.number(parts[1], name, "iterations", iterationRange) { case .success(let v): i = v; case .failure(let e): return .failure(e) }
        return decodePair(salt: parts[2], saltSpelling: .text, hash: parts[3], alphabet: .standard, padding: .optional,
                          saltEncoding: saltEncoding).flatMap { build(digest: digest, iterations: i, salt: $0.0, key: $0.1, spelling: "django") }
    }

    /// Werkzeug `pbkdf2:sha256:600000$salt$hexhash`: the salt is text; the iteration count may be missing.
    static func parseWerkzeug(_ b: Bytes, saltEncoding: SaltEncoding) -> Result<PasswordHash, HashProblem> {
        guard let parts = b.split(on: UInt8(ascii: "$"), max: 4), parts.count == 3 else {
            return .failure(.malformed(name, "a Werkzeug hash has three '$'-separated fields"))
        }
        guard let method = parts[0].split(on: UInt8(ascii: ":"), max: 4), method.count >= 2 else { return .failure(unknownDigest) }
        guard let digest = digestName(method[1]) else { return .failure(unknownDigest) }
        guard method.count == 3 else {
            return .failure(HashProblem("pbkdf2_iterations_unknown",
                "The Werkzeug PBKDF2 hash does not record its iteration count (the default changed between Werkzeug releases); it cannot be imported."))
        }
        let i: UInt64
        switch HashProblem.number(method[2], name, "iterations", iterationRange) { case .success(let v): i = v; case .failure(let e): return .failure(e) }
        return decodePair(salt: parts[1], saltSpelling: .text, hash: parts[2], alphabet: nil, padding: .forbidden,
                          saltEncoding: saltEncoding).flatMap { build(digest: digest, iterations: i, salt: $0.0, key: $0.1, spelling: "werkzeug") }
    }

    /// hashcat modes 10900/12000/12100: `sha256:1000:<b64 salt>:<b64 hash>`.
    static func parseHashcat(_ b: Bytes, saltEncoding: SaltEncoding) -> Result<PasswordHash, HashProblem> {
        guard let parts = b.split(on: UInt8(ascii: ":"), max: 5), parts.count == 4 else {
            return .failure(.malformed(name, "a hashcat PBKDF2 hash has four ':'-separated fields"))
        }
        guard let digest = digestName(parts[0]) else { return .failure(unknownDigest) }
        let i: UInt64
        switch HashProblem.number(parts[1], name, "iterations", iterationRange) { case .success(let v): i = v; case .failure(let e): return .failure(e) }
        return decodePair(salt: parts[2], saltSpelling: .base64(.standard, .optional), hash: parts[3], alphabet: .standard,
                          padding: .optional, saltEncoding: saltEncoding).flatMap { build(digest: digest, iterations: i, salt: $0.0, key: $0.1, spelling: "hashcat") }
    }

    /// passlib's LDAP forms `{PBKDF2}` (SHA-1), `{PBKDF2-SHA256}`, `{PBKDF2-SHA512}`: rounds$salt$hash in adapted base64.
    static func parseLDAP(_ b: Bytes, saltEncoding: SaltEncoding) -> Result<PasswordHash, HashProblem> {
        guard let close = b.firstIndex(of: UInt8(ascii: "}")) else { return .failure(.unknownFormat) }
        let scheme = b[(b.startIndex + 1)..<close]
        let digest: String
        if scheme.equals("PBKDF2") { digest = "sha1" } else if let d = digestName(scheme) { digest = d } else { return .failure(unknownDigest) }
        guard let parts = b[(close + 1)...].split(on: UInt8(ascii: "$"), max: 4), parts.count == 3 else {
            return .failure(.malformed(name, "an LDAP PBKDF2 hash has rounds, salt and hash separated by '$'"))
        }
        let i: UInt64
        switch HashProblem.number(parts[0], name, "rounds", iterationRange) { case .success(let v): i = v; case .failure(let e): return .failure(e) }
        return decodePair(salt: parts[1], saltSpelling: .base64(.passlib, .forbidden), hash: parts[2], alphabet: .passlib,
                          padding: .forbidden, saltEncoding: saltEncoding).flatMap { build(digest: digest, iterations: i, salt: $0.0, key: $0.1, spelling: "ldap") }
    }

    /// Atlassian `{PKCS5S2}` + base64(16-byte salt ‖ 32-byte key), PBKDF2-SHA1 with 10,000 iterations.
    static func parseAtlassian(_ b: Bytes) -> Result<PasswordHash, HashProblem> {
        switch HashEncoding.decodeBase64(b.dropPrefix("{PKCS5S2}"), alphabet: .standard, padding: .optional) {
        case .failure(let f): return .failure(f.problem(name, "blob"))
        case .success(let blob):
            guard blob.count == 48 else { return .failure(.badLength(name, "an Atlassian {PKCS5S2} blob is 48 bytes")) }
            return build(digest: "sha1", iterations: 10_000, salt: Array(blob[0..<16]), key: Array(blob[16...]), spelling: "atlassian")
        }
    }

    /// ASP.NET Identity blobs (std base64): v2 `00‖salt16‖key32` (SHA-1, 1000 iterations) and
    /// v3 `01‖prf‖iter‖saltlen‖salt‖key` (big-endian UInt32s). nil when the text is not such a blob.
    static func parseASPNet(_ b: Bytes) -> Result<PasswordHash, HashProblem>? {
        guard b.count >= 20, b.count % 4 == 0,
              case .success(let blob) = HashEncoding.decodeBase64(b, alphabet: .standard, padding: .required) else { return nil }
        if blob[0] == 0 && blob.count == 49 {
            return build(digest: "sha1", iterations: 1000, salt: Array(blob[1..<17]), key: Array(blob[17...]), spelling: "aspnet-v2")
        }
        guard blob[0] == 1, blob.count >= 15 else { return nil }
        func u32(_ at: Int) -> UInt64 {
            UInt64(blob[at]) << 24 | UInt64(blob[at + 1]) << 16 | UInt64(blob[at + 2]) << 8 | UInt64(blob[at + 3])
        }
        let prf = u32(1), iterations = u32(5), saltLength = u32(9)
        guard prf <= 2, saltLength >= 1, saltLength < UInt64(blob.count - 13) else { return nil }
        guard iterationRange.contains(iterations) else { return .failure(.outOfRange(name, "iterations", iterationRange)) }
        let s = 13 + Int(saltLength)
        return build(digest: ["sha1", "sha256", "sha512"][Int(prf)], iterations: iterations, salt: Array(blob[13..<s]),
                     key: Array(blob[s...]), spelling: "aspnet-v3")
    }

    /// Split fields: hash, salt, iterations and a digest (in `digest` or folded into `type`, e.g. "pbkdf2-sha256").
    static func split(_ f: SplitHashFields, saltEncoding: SaltEncoding) -> Result<PasswordHash, HashProblem> {
        var digest: String?
        if let d = f.digest, !d.isEmpty {
            guard let n = digestName(d) else { return .failure(unknownDigest) }
            digest = n
        } else if let t = f.type { digest = digestName(t) }
        guard let digest else { return .failure(.missingField(name, "digest (sha1, sha256 or sha512)")) }
        guard let it = f.iterations, !it.isEmpty else { return .failure(.missingField(name, "iteration count")) }
        let i: UInt64
        switch HashProblem.number(it, name, "iterations", iterationRange) { case .success(let v): i = v; case .failure(let e): return .failure(e) }
        return SplitFieldBytes.decode(f, what: name, saltEncoding: saltEncoding).flatMap {
            build(digest: digest, iterations: i, salt: $0.salt, key: $0.hash, spelling: "split-fields")
        }
    }

    static func workOS(_ h: PasswordHash) -> String {
        let capacity = 16 + h.variant.utf8.count + ASCIIWriter.decimalCapacity
            + HashEncoding.base64Length(h.salt.count, pad: false) + HashEncoding.base64Length(h.digest.count, pad: false)
        return ASCIIWriter.string(capacity: capacity) { w in
            w.put("$pbkdf2$i="); w.put(decimal: h.param("i") ?? 0)
            switch h.variant {
            case "sha256": w.put(",d=sha256")
            case "sha512": w.put(",d=sha512")
            default: w.put(",d="); w.put(h.variant)
            }
            w.put(byte: UInt8(ascii: "$")); w.put(base64: h.salt)
            w.put(byte: UInt8(ascii: "$")); w.put(base64: h.digest)
        }
    }

    static func workOSForm(_ h: PasswordHash) -> Result<WorkOSPasswordHash, HashProblem> {
        guard ["sha1", "sha256", "sha512"].contains(h.variant) else { return .failure(unknownDigest) }
        return .success(WorkOSPasswordHash(type: "pbkdf2", string: h.original ?? workOS(h)))
    }
}
