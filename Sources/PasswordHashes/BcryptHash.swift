/// bcrypt: `$2<v>$<cc>$<22 salt><31 hash>` in radix-64 (hash-formats.md §2). Passed to WorkOS byte for byte.
enum BcryptHash {
    static let name = "bcrypt"
    /// Prefixes WorkOS can take as they are; `2x` (the buggy 8-bit variant) and `2` are never relabelled.
    static func isImportable(_ variant: String) -> Bool { variant == "2b" || variant == "2a" || variant == "2y" }

    /// Parses a bcrypt MCF string; `original` is the exact text (kept for byte-for-byte pass-through).
    static func parse(_ b: Bytes, original: String, spelling: String = "mcf") -> Result<PasswordHash, HashProblem> {
        // Prefix: "$2$" or "$2?$".
        guard b.count >= 3, b.hasPrefix("$2") else { return .failure(.unknownFormat) }
        var i = b.startIndex + 2
        let variant: String
        if b[i] == UInt8(ascii: "$") {
            variant = "2"
        } else {
            let v = b[i]
            guard v == UInt8(ascii: "a") || v == UInt8(ascii: "b") || v == UInt8(ascii: "y") || v == UInt8(ascii: "x") else {
                return .failure(HashProblem("bcrypt_unknown_variant",
                    "The bcrypt prefix is not one of $2a$, $2b$, $2y$, $2x$ or $2$ (prefixes are lower-case)."))
            }
            variant = v == UInt8(ascii: "a") ? "2a" : v == UInt8(ascii: "b") ? "2b" : v == UInt8(ascii: "y") ? "2y" : "2x"
            i += 1
            guard i < b.endIndex, b[i] == UInt8(ascii: "$") else {
                return .failure(.malformed(name, "the prefix must end with '$'"))
            }
        }
        i += 1
        // Cost: exactly two digits, 04–31.
        guard b.endIndex - i >= 3 else { return .failure(.truncated(name, "the cost is missing")) }
        let c0 = b[i], c1 = b[i + 1]
        guard isDigit(c0) else { return .failure(.badNumber(name, "cost")) }
        guard isDigit(c1), b[i + 2] == UInt8(ascii: "$") else {
            return .failure(.malformed(name, "the cost must be exactly two digits (04–31) followed by '$'"))
        }
        let cost = UInt64(c0 - 48) * 10 + UInt64(c1 - 48)
        guard (4...31).contains(cost) else { return .failure(.outOfRange(name, "cost", 4...31)) }
        i += 3
        let rest = b.endIndex - i
        if rest < 53 { return .failure(.truncated(name, "expected 22 salt and 31 hash characters after the cost, found \(rest)")) }
        if rest > 53 { return .failure(.badLength(name, "\(rest - 53) characters follow the 53 salt and hash characters")) }
        let salt: [UInt8], digest: [UInt8]
        switch HashEncoding.decodeBase64(b[i..<(i + 22)], alphabet: .bcrypt, padding: .forbidden) {
        case .success(let s): salt = s
        case .failure(let f): return .failure(f.problem(name, "salt"))
        }
        switch HashEncoding.decodeBase64(b[(i + 22)..<(i + 53)], alphabet: .bcrypt, padding: .forbidden) {
        case .success(let d): digest = d
        case .failure(let f): return .failure(f.problem(name, "hash"))
        }
        return .success(PasswordHash(family: .bcrypt, variant: variant, params: [.init("cost", cost)],
                                     salt: salt, digest: digest, spelling: spelling, original: original))
    }

    /// The canonical MCF string (the source string when there is one: never rewritten).
    static func mcf(_ h: PasswordHash) -> String {
        if let o = h.original { return o }
        return ASCIIWriter.string(capacity: 8 + h.variant.utf8.count + HashEncoding.base64Length(h.salt.count, pad: false)
                                  + HashEncoding.base64Length(h.digest.count, pad: false)) { w in
            let cost = h.param("cost") ?? 0
            w.put(byte: UInt8(ascii: "$")); w.put(h.variant); w.put(byte: UInt8(ascii: "$"))
            w.put(byte: UInt8(48 + (cost / 10) % 10)); w.put(byte: UInt8(48 + cost % 10)); w.put(byte: UInt8(ascii: "$"))
            w.put(base64: h.salt, alphabet: .bcrypt); w.put(base64: h.digest, alphabet: .bcrypt)
        }
    }

    static func workOSForm(_ h: PasswordHash) -> Result<WorkOSPasswordHash, HashProblem> {
        guard isImportable(h.variant) else { return .failure(variantProblem(h.variant)) }
        guard h.salt.count == 16, h.digest.count == 23 else {
            return .failure(.badLength(name, "bcrypt carries a 16-byte salt and a 23-byte hash"))
        }
        return .success(WorkOSPasswordHash(type: "bcrypt", string: mcf(h)))
    }

    static func variantProblem(_ variant: String) -> HashProblem {
        let why = variant == "2x"
            ? "$2x$ marks hashes from the buggy 8-bit crypt_blowfish; relabelling it would verify different passwords"
            : variant == "2" ? "the original $2$ bcrypt has no WorkOS equivalent and no relabel keeps its meaning"
            : "this bcrypt prefix is not $2a$, $2b$ or $2y$"
        return HashProblem("bcrypt_variant_not_supported",
                           "This bcrypt variant cannot be imported into WorkOS: \(why); this user will need a password reset.")
    }

    @inline(__always) static func isDigit(_ c: UInt8) -> Bool { c >= 48 && c <= 57 }
}

typealias Bytes = UnsafeBufferPointer<UInt8>.SubSequence
