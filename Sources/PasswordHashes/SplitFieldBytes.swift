/// The hash and salt bytes of split fields (CSV columns / JSON keys), whose encoding no spelling fixes:
/// std base64 with padding per Descope's schema, but hex, url-safe and unpadded base64 are also seen.
struct SplitFieldBytes {
    var hash: [UInt8]
    var salt: [UInt8]

    enum Encoding { case hex, base64, base64url }

    /// The encoding of a field read from its characters: all-hex → hex; `-`/`_` → url-safe; else standard base64.
    static func guess(_ text: String) -> Encoding {
        var hex = !text.isEmpty && text.utf8.count % 2 == 0
        var url = false
        for c in text.utf8 {
            if HashEncoding.hexValue(c) == nil { hex = false }
            if c == UInt8(ascii: "-") || c == UInt8(ascii: "_") { url = true }
        }
        return hex ? .hex : url ? .base64url : .base64
    }

    static func decode(_ text: String, _ encoding: Encoding, what: String, field: String) -> Result<[UInt8], HashProblem> {
        switch encoding {
        case .hex: return HashEncoding.decodeHex(text).or(what, field, hex: true)
        case .base64: return HashEncoding.decodeBase64(text, alphabet: .standard, padding: .optional).or(what, field)
        case .base64url: return HashEncoding.decodeBase64(text, alphabet: .urlSafe, padding: .optional).or(what, field)
        }
    }

    /// Decodes `salt` text as `saltEncoding` says, or (`.auto`) like `fallback`.
    static func decodeSalt(_ text: String, _ saltEncoding: SaltEncoding, fallback: Encoding, what: String) -> Result<[UInt8], HashProblem> {
        switch saltEncoding {
        case .auto:
            let e: Encoding = fallback == .hex ? .hex : guess(text) == .base64url ? .base64url : .base64
            return decode(text, e, what: what, field: "salt")
        case .base64: return decode(text, .base64, what: what, field: "salt")
        case .base64url: return decode(text, .base64url, what: what, field: "salt")
        case .hex: return decode(text, .hex, what: what, field: "salt")
        case .text: return .success(Array(text.utf8))
        }
    }

    static func decode(_ f: SplitHashFields, what: String, saltEncoding: SaltEncoding) -> Result<SplitFieldBytes, HashProblem> {
        guard let h = f.hash, !h.isEmpty else { return .failure(.missingField(what, "hash")) }
        guard let s = f.salt, !s.isEmpty else { return .failure(.missingField(what, "salt")) }
        let e = guess(h)
        let hash: [UInt8], salt: [UInt8]
        switch decode(h, e, what: what, field: "hash") { case .success(let v): hash = v; case .failure(let p): return .failure(p) }
        switch decodeSalt(s, saltEncoding, fallback: e, what: what) { case .success(let v): salt = v; case .failure(let p): return .failure(p) }
        return .success(SplitFieldBytes(hash: hash, salt: salt))
    }
}
