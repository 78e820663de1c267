/// Firebase's modified scrypt: hash, salt, signer key, salt separator (std base64), rounds and memory cost.
/// Read from split fields or from `$firebase-scrypt$hash=..$salt=..$sk=..$ss=..$r=..$m=..` (WorkOS's migration tool).
enum FirebaseScryptHash {
    static let name = "firebase-scrypt"
    /// Firebase documents rounds 1–8 and memory cost 1–14; Descope's import schema allows rounds 6–10 and memory 12–17.
    static let roundsRange: ClosedRange<UInt64> = 1...10
    static let memCostRange: ClosedRange<UInt64> = 1...17

    static func build(hash: [UInt8], salt: [UInt8], signerKey: [UInt8], saltSeparator: [UInt8], rounds: UInt64, memCost: UInt64,
                      spelling: String) -> Result<PasswordHash, HashProblem> {
        if hash.isEmpty { return .failure(.missingField(name, "hash")) }
        if salt.isEmpty { return .failure(.missingField(name, "salt")) }
        if signerKey.isEmpty { return .failure(.missingField(name, "signer key")) }
        return .success(PasswordHash(family: .firebaseScrypt, params: [.init("r", rounds), .init("m", memCost)], salt: salt,
                                     digest: hash, extras: [.init("sk", signerKey), .init("ss", saltSeparator)], spelling: spelling))
    }

    static func b64(_ t: Bytes, _ field: String) -> Result<[UInt8], HashProblem> {
        HashEncoding.decodeBase64(t, alphabet: .standard, padding: .optional).or(name, field)
    }

    static func parse(_ b: Bytes) -> Result<PasswordHash, HashProblem> {
        guard let parts = b.split(on: UInt8(ascii: "$"), max: 8), parts.count == 8 else {
            return .failure(.malformed(name, "expected hash=, salt=, sk=, ss=, r= and m= fields in that order"))
        }
        let keys: [StaticString] = ["hash=", "salt=", "sk=", "ss=", "r=", "m="]
        for (k, key) in keys.enumerated() where !parts[k + 2].hasPrefix(key) {
            return .failure(.malformed(name, "expected hash=, salt=, sk=, ss=, r= and m= fields in that order"))
        }
        var bytes: [[UInt8]] = []
        for (k, field) in ["hash", "salt", "signer key", "salt separator"].enumerated() {
            switch b64(parts[k + 2].dropPrefix(keys[k]), field) { case .success(let v): bytes.append(v); case .failure(let e): return .failure(e) }
        }
        let r: UInt64, m: UInt64
        switch HashProblem.number(parts[6].dropPrefix("r="), name, "rounds", roundsRange) { case .success(let v): r = v; case .failure(let e): return .failure(e) }
        switch HashProblem.number(parts[7].dropPrefix("m="), name, "memory cost", memCostRange) { case .success(let v): m = v; case .failure(let e): return .failure(e) }
        return build(hash: bytes[0], salt: bytes[1], signerKey: bytes[2], saltSeparator: bytes[3], rounds: r, memCost: m, spelling: "workos")
    }

    /// Descope's firebase kind: hash, salt, saltSeparator, signerKey, memory (mem cost), rounds (iterations).
    static func split(_ f: SplitHashFields) -> Result<PasswordHash, HashProblem> {
        var bytes: [[UInt8]] = []
        for (field, text) in [("hash", f.hash), ("salt", f.salt), ("signer key", f.signerKey), ("salt separator", f.saltSeparator)] {
            guard let text, !text.isEmpty else {
                if field == "salt separator" { bytes.append([]); continue }
                return .failure(.missingField(name, field))
            }
            var t = text
            switch t.withUTF8({ b64($0[...], field) }) { case .success(let v): bytes.append(v); case .failure(let e): return .failure(e) }
        }
        guard let rt = f.iterations, !rt.isEmpty else { return .failure(.missingField(name, "rounds")) }
        guard let mt = f.memory, !mt.isEmpty else { return .failure(.missingField(name, "memory cost")) }
        let r: UInt64, m: UInt64
        switch HashProblem.number(rt, name, "rounds", roundsRange) { case .success(let v): r = v; case .failure(let e): return .failure(e) }
        switch HashProblem.number(mt, name, "memory cost", memCostRange) { case .success(let v): m = v; case .failure(let e): return .failure(e) }
        return build(hash: bytes[0], salt: bytes[1], signerKey: bytes[2], saltSeparator: bytes[3], rounds: r, memCost: m, spelling: "split-fields")
    }

    static func workOS(_ h: PasswordHash) -> String {
        var out = [UInt8]()
        out.append(contentsOf: "$firebase-scrypt$hash=".utf8); HashEncoding.encodeBase64(h.digest, alphabet: .standard, pad: true, into: &out)
        out.append(contentsOf: "$salt=".utf8); HashEncoding.encodeBase64(h.salt, alphabet: .standard, pad: true, into: &out)
        out.append(contentsOf: "$sk=".utf8); HashEncoding.encodeBase64(h.extra("sk") ?? [], alphabet: .standard, pad: true, into: &out)
        out.append(contentsOf: "$ss=".utf8); HashEncoding.encodeBase64(h.extra("ss") ?? [], alphabet: .standard, pad: true, into: &out)
        out.append(contentsOf: "$r=".utf8); appendDecimal(h.param("r") ?? 0, &out)
        out.append(contentsOf: "$m=".utf8); appendDecimal(h.param("m") ?? 0, &out)
        return String(decoding: out, as: UTF8.self)
    }
}
