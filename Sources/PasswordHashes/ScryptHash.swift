/// scrypt: the WorkOS form `$scrypt$v=1$n=16384,r=8,p=1,kl=64$salt$hash`, the PHC/passlib form
/// `$scrypt$ln=16,r=8,p=1$salt$hash`, and Werkzeug's `scrypt:32768:8:1$salt$hexhash`.
enum ScryptHash {
    static let name = "scrypt"
    static let rRange: ClosedRange<UInt64> = 1...0xFF_FFFF
    static let pRange: ClosedRange<UInt64> = 1...0xFF_FFFF

    static func build(n: UInt64, r: UInt64, p: UInt64, salt: [UInt8], key: [UInt8], spelling: String) -> Result<PasswordHash, HashProblem> {
        guard n >= 2, n <= 1 << 32, n & (n - 1) == 0 else {
            return .failure(HashProblem("parameter_out_of_range", "The scrypt cost n is not a power of two between 2 and 2^32."))
        }
        guard r * p < 1 << 30 else { return .failure(HashProblem("parameter_out_of_range", "The scrypt parameters r × p reach 2^30.")) }
        if salt.isEmpty { return .failure(.missingField(name, "salt")) }
        guard (1...1024).contains(key.count) else { return .failure(.badLength(name, "the derived key must be 1–1024 bytes")) }
        return .success(PasswordHash(family: .scrypt, params: [.init("n", n), .init("r", r), .init("p", p)],
                                     salt: salt, digest: key, spelling: spelling))
    }

    static func parseMCF(_ b: Bytes, saltEncoding: SaltEncoding) -> Result<PasswordHash, HashProblem> {
        guard let parts = b.split(on: UInt8(ascii: "$"), max: 7) else { return .failure(.malformed(name, "too many '$'-separated fields")) }
        // WorkOS: ["", "scrypt", "v=1", params, salt, hash]; PHC: ["", "scrypt", params, salt, hash]
        var k = 2
        var workOS = false
        if parts.count == 6 {
            guard parts[2].equals("v=1") else { return .failure(.malformed(name, "the version must be v=1")) }
            k = 3; workOS = true
        } else if parts.count != 5 {
            return .failure(parts.count < 5 ? .truncated(name, "expected parameters, salt and hash") : .malformed(name, "too many fields"))
        }
        guard let kv = parts[k].split(on: UInt8(ascii: ","), max: 5) else { return .failure(.unknownParameter(name)) }
        var n: UInt64?, r: UInt64?, p: UInt64?, kl: UInt64?
        for item in kv {
            if item.hasPrefix("ln="), n == nil, !workOS {
                switch HashProblem.number(item.dropPrefix("ln="), name, "ln", 1...32) { case .success(let v): n = 1 << v; case .failure(let e): return .failure(e) }
            } else if item.hasPrefix("n="), n == nil, workOS {
                switch HashProblem.number(item.dropPrefix("n="), name, "n", 2...(1 << 32)) { case .success(let v): n = v; case .failure(let e): return .failure(e) }
            } else if item.hasPrefix("r="), r == nil {
                switch HashProblem.number(item.dropPrefix("r="), name, "r", rRange) { case .success(let v): r = v; case .failure(let e): return .failure(e) }
            } else if item.hasPrefix("p="), p == nil {
                switch HashProblem.number(item.dropPrefix("p="), name, "p", pRange) { case .success(let v): p = v; case .failure(let e): return .failure(e) }
            } else if item.hasPrefix("kl="), kl == nil, workOS {
                switch HashProblem.number(item.dropPrefix("kl="), name, "kl", 1...1024) { case .success(let v): kl = v; case .failure(let e): return .failure(e) }
            } else {
                return .failure(.unknownParameter(name))
            }
        }
        guard let n, let r, let p else { return .failure(.missingField(name, "n, r and p parameters")) }
        // passlib writes adapted base64 ('.' for '+'); the PHC/WorkOS forms use the standard alphabet.
        let passlib = !workOS && (parts[k + 1].contains(UInt8(ascii: ".")) || parts[k + 2].contains(UInt8(ascii: ".")))
        let alphabet: Base64Alphabet = passlib ? .passlib : .standard
        return PBKDF2Hash.decodePair(salt: parts[k + 1], saltSpelling: .base64(alphabet, .forbidden), hash: parts[k + 2],
                                     alphabet: alphabet, padding: .forbidden, saltEncoding: saltEncoding, what: name).flatMap { pair in
            if let kl, kl != UInt64(pair.1.count) { return .failure(.badLength(name, "kl= does not match the hash length")) }
            return build(n: n, r: r, p: p, salt: pair.0, key: pair.1, spelling: workOS ? "workos" : passlib ? "passlib" : "phc")
        }
    }

    /// Werkzeug `scrypt:N:r:p$salt$hexhash` (salt is text).
    static func parseWerkzeug(_ b: Bytes, saltEncoding: SaltEncoding) -> Result<PasswordHash, HashProblem> {
        guard let parts = b.split(on: UInt8(ascii: "$"), max: 4), parts.count == 3,
              let method = parts[0].split(on: UInt8(ascii: ":"), max: 5), method.count == 4 else {
            return .failure(.malformed(name, "a Werkzeug scrypt hash is scrypt:N:r:p$salt$hash"))
        }
        var v: [UInt64] = []
        for (k, field) in zip(["n", "r", "p"], method[1...]) {
            switch HashProblem.number(field, name, k, k == "n" ? 2...(1 << 32) : rRange) { case .success(let x): v.append(x); case .failure(let e): return .failure(e) }
        }
        return PBKDF2Hash.decodePair(salt: parts[1], saltSpelling: .text, hash: parts[2], alphabet: nil, padding: .forbidden,
                                     saltEncoding: saltEncoding, what: name).flatMap {
            build(n: v[0], r: v[1], p: v[2], salt: $0.0, key: $0.1, spelling: "werkzeug")
        }
    }

    static func workOS(_ h: PasswordHash) -> String {
        var out = [UInt8]()
        out.append(contentsOf: "$scrypt$v=1$n=".utf8); appendDecimal(h.param("n") ?? 0, &out)
        out.append(contentsOf: ",r=".utf8); appendDecimal(h.param("r") ?? 0, &out)
        out.append(contentsOf: ",p=".utf8); appendDecimal(h.param("p") ?? 0, &out)
        out.append(contentsOf: ",kl=".utf8); appendDecimal(UInt64(h.digest.count), &out)
        out.append(UInt8(ascii: "$")); HashEncoding.encodeBase64(h.salt, alphabet: .standard, pad: false, into: &out)
        out.append(UInt8(ascii: "$")); HashEncoding.encodeBase64(h.digest, alphabet: .standard, pad: false, into: &out)
        return String(decoding: out, as: UTF8.self)
    }
}

