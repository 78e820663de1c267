/// Argon2 in the reference PHC encoding (`$argon2id$v=19$m=..,t=..,p=..$salt$tag`), Django's `argon2$`
/// wrapper, and Descope's split fields (hash-formats.md §3).
enum Argon2Hash {
    static let name = "Argon2"
    static let variants: Set<String> = ["argon2i", "argon2d", "argon2id"]
    static let memoryRange: ClosedRange<UInt64> = 1...UInt64(UInt32.max)
    static let timeRange: ClosedRange<UInt64> = 1...UInt64(UInt32.max)
    static let lanesRange: ClosedRange<UInt64> = 1...0xFF_FFFF
    /// PHC string format: salt at least 8 bytes, tag 12–64 bytes.
    static let saltRange = 8...1024
    static let tagRange = 12...64

    /// `b` starts at the `$` before the variant.
    /// `original`: the source text, kept when it is already the canonical WorkOS string (PHC with `v=`, no
    /// keyid/data): the strict reading above admits no other spelling of the same hash, so rewriting is a copy.
    static func parse(_ b: Bytes, spelling: String, original: String? = nil) -> Result<PasswordHash, HashProblem> {
        // $<variant>[$v=<n>]$m=<n>,t=<n>,p=<n>[,keyid=<b64>][,data=<b64>]$<salt>$<tag>
        var fields = FieldCursor(b, separator: UInt8(ascii: "$"))
        _ = fields.next()
        guard let ident = fields.next() else { return .failure(.truncated(name, "expected variant, parameters, salt and tag")) }
        let variant: String
        if ident.equals("argon2id") { variant = "argon2id" }
        else if ident.equals("argon2i") { variant = "argon2i" }
        else if ident.equals("argon2d") { variant = "argon2d" }
        else { return .failure(HashProblem("argon2_unknown_variant", "The Argon2 type is not argon2i, argon2d or argon2id.")) }
        guard var field = fields.next() else { return .failure(.truncated(name, "expected parameters, salt and tag")) }
        var version: UInt64 = 16
        let hasVersion = field.hasPrefix("v=")
        if hasVersion {
            switch HashProblem.number(field.dropPrefix("v="), name, "v", 0...UInt64(UInt32.max)) {
            case .success(let v): version = v
            case .failure(let p): return .failure(p)
            }
            guard version == 16 || version == 19 else {
                return .failure(HashProblem("argon2_unknown_version", "The Argon2 version is neither 16 nor 19."))
            }
            guard let next = fields.next() else { return .failure(.truncated(name, "expected parameters, salt and tag")) }
            field = next
        }
        guard let saltText = fields.next(), let tagText = fields.next() else {
            return .failure(.truncated(name, "expected parameters, salt and tag"))
        }
        if !fields.isAtEnd { return .failure(.malformed(name, "it has too many '$'-separated fields")) }
        // m=..,t=..,p=..[,keyid=..][,data=..] in this fixed order.
        var kv = FieldCursor(field, separator: UInt8(ascii: ","))
        guard let mText = kv.next(), mText.hasPrefix("m="), let tText = kv.next(), tText.hasPrefix("t="),
              let pText = kv.next(), pText.hasPrefix("p=") else {
            return .failure(.malformed(name, "the parameters must be m=,t=,p= in that order"))
        }
        let m: UInt64, t: UInt64, p: UInt64
        switch HashProblem.number(mText.dropPrefix("m="), name, "m", memoryRange) {
        case .success(let v): m = v
        case .failure(let e): return .failure(e)
        }
        switch HashProblem.number(tText.dropPrefix("t="), name, "t", timeRange) {
        case .success(let v): t = v
        case .failure(let e): return .failure(e)
        }
        switch HashProblem.number(pText.dropPrefix("p="), name, "p", lanesRange) {
        case .success(let v): p = v
        case .failure(let e): return .failure(e)
        }
        var extras: [PasswordHash.Extra] = []
        var item = kv.next()
        if let k = item, k.hasPrefix("keyid=") {
            switch HashEncoding.decodeBase64(k.dropPrefix("keyid="), alphabet: .standard, padding: .forbidden) {
            case .success(let v): extras.append(.init("keyid", v))
            case .failure(let f): return .failure(f.problem(name, "keyid"))
            }
            item = kv.next()
        }
        if let d = item, d.hasPrefix("data=") {
            switch HashEncoding.decodeBase64(d.dropPrefix("data="), alphabet: .standard, padding: .forbidden) {
            case .success(let v): extras.append(.init("data", v))
            case .failure(let f): return .failure(f.problem(name, "data"))
            }
            item = kv.next()
        }
        if item != nil { return .failure(.unknownParameter(name)) }
        let salt: [UInt8], tag: [UInt8]
        switch HashEncoding.decodeBase64(saltText, alphabet: .standard, padding: .forbidden) {
        case .success(let v): salt = v
        case .failure(let f): return .failure(f.problem(name, "salt"))
        }
        switch HashEncoding.decodeBase64(tagText, alphabet: .standard, padding: .forbidden) {
        case .success(let v): tag = v
        case .failure(let f): return .failure(f.problem(name, "hash"))
        }
        return build(variant: variant, version: version, m: m, t: t, p: p, salt: salt, tag: tag,
                     extras: extras, spelling: spelling, original: hasVersion && extras.isEmpty ? original : nil)
    }

    static func build(variant: String, version: UInt64, m: UInt64, t: UInt64, p: UInt64, salt: [UInt8], tag: [UInt8],
                      extras: [PasswordHash.Extra], spelling: String, original: String? = nil) -> Result<PasswordHash, HashProblem> {
        guard m >= 8 * p else {
            return .failure(HashProblem("parameter_out_of_range", "The Argon2 memory m is less than 8 KiB per lane (8 × p)."))
        }
        guard saltRange.contains(salt.count) else {
            return .failure(.badLength(name, "the salt must be \(saltRange.lowerBound)–\(saltRange.upperBound) bytes"))
        }
        guard tagRange.contains(tag.count) else {
            return .failure(.badLength(name, "the hash (tag) must be \(tagRange.lowerBound)–\(tagRange.upperBound) bytes"))
        }
        return .success(PasswordHash(family: .argon2, variant: variant,
                                     params: [.init("v", version), .init("m", m), .init("t", t), .init("p", p)],
                                     salt: salt, digest: tag, extras: extras, spelling: spelling, original: original))
    }

    /// Descope's split fields: hash, salt, iterations (t), memory (m), threads (p); no variant means argon2id, v=19.
    static func split(_ f: SplitHashFields, saltEncoding: SaltEncoding) -> Result<PasswordHash, HashProblem> {
        var variant = "argon2id"
        if let d = f.digest?.lowercased(), !d.isEmpty {
            guard variants.contains(d) else {
                return .failure(HashProblem("argon2_unknown_variant", "The Argon2 type is not argon2i, argon2d or argon2id."))
            }
            variant = d
        }
        guard let t = f.iterations, !t.isEmpty else { return .failure(.missingField(name, "iterations (t)")) }
        guard let m = f.memory, !m.isEmpty else { return .failure(.missingField(name, "memory (m)")) }
        guard let p = f.threads, !p.isEmpty else { return .failure(.missingField(name, "threads (p)")) }
        let tv: UInt64, mv: UInt64, pv: UInt64
        switch HashProblem.number(t, name, "t", timeRange) { case .success(let v): tv = v; case .failure(let e): return .failure(e) }
        switch HashProblem.number(m, name, "m", memoryRange) { case .success(let v): mv = v; case .failure(let e): return .failure(e) }
        switch HashProblem.number(p, name, "p", lanesRange) { case .success(let v): pv = v; case .failure(let e): return .failure(e) }
        let bytes: SplitFieldBytes
        switch SplitFieldBytes.decode(f, what: name, saltEncoding: saltEncoding) {
        case .success(let v): bytes = v
        case .failure(let e): return .failure(e)
        }
        return build(variant: variant, version: 19, m: mv, t: tv, p: pv, salt: bytes.salt, tag: bytes.hash,
                     extras: [], spelling: "split-fields")
    }

    static func phc(_ h: PasswordHash) -> String {
        let capacity = 16 + h.variant.utf8.count + 4 * ASCIIWriter.decimalCapacity
            + HashEncoding.base64Length(h.salt.count, pad: false) + HashEncoding.base64Length(h.digest.count, pad: false)
        return ASCIIWriter.string(capacity: capacity) { w in
            switch h.variant {
            case "argon2id": w.put("$argon2id")
            case "argon2i": w.put("$argon2i")
            case "argon2d": w.put("$argon2d")
            default: w.put(byte: UInt8(ascii: "$")); w.put(h.variant)
            }
            w.put("$v="); w.put(decimal: h.param("v") ?? 16)
            w.put("$m="); w.put(decimal: h.param("m") ?? 0)
            w.put(",t="); w.put(decimal: h.param("t") ?? 0)
            w.put(",p="); w.put(decimal: h.param("p") ?? 0)
            w.put(byte: UInt8(ascii: "$")); w.put(base64: h.salt)
            w.put(byte: UInt8(ascii: "$")); w.put(base64: h.digest)
        }
    }

    static func workOSForm(_ h: PasswordHash) -> Result<WorkOSPasswordHash, HashProblem> {
        if let p = secretProblem(h) { return .failure(p) }
        guard h.variant == "argon2id" || h.variant == "argon2i" || h.variant == "argon2d" else {
            return .failure(HashProblem("argon2_unknown_variant", "The Argon2 type is not argon2i, argon2d or argon2id."))
        }
        return .success(WorkOSPasswordHash(type: "argon2", string: h.original ?? phc(h)))
    }

    /// Hashes keyed with a secret or bound to associated data have no WorkOS spelling.
    static func secretProblem(_ h: PasswordHash) -> HashProblem? {
        if h.extra("keyid") != nil || h.extra("secret") != nil {
            return HashProblem("argon2_keyed_hash",
                "This Argon2 hash was made with a secret key (pepper); WorkOS cannot verify it, so this user will need a password reset.")
        }
        if let d = h.extra("data"), !d.isEmpty {
            return HashProblem("argon2_associated_data",
                "This Argon2 hash binds associated data (data=), which WorkOS's format cannot carry; this user will need a password reset.")
        }
        return nil
    }
}

func appendDecimal(_ v: UInt64, _ out: inout [UInt8]) {
    if v >= 10 { appendDecimal(v / 10, &out) }
    out.append(UInt8(48 + v % 10))
}
