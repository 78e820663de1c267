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
    static func parse(_ b: Bytes, spelling: String) -> Result<PasswordHash, HashProblem> {
        guard let parts = b.split(on: UInt8(ascii: "$"), max: 7) else {
            return .failure(.malformed(name, "it has too many '$'-separated fields"))
        }
        // ["", variant, (v=..), params, salt, tag]
        guard parts.count >= 5 else { return .failure(.truncated(name, "expected variant, parameters, salt and tag")) }
        let variant: String
        switch true {
        case parts[1].equals("argon2id"): variant = "argon2id"
        case parts[1].equals("argon2i"): variant = "argon2i"
        case parts[1].equals("argon2d"): variant = "argon2d"
        default: return .failure(HashProblem("argon2_unknown_variant", "The Argon2 type is not argon2i, argon2d or argon2id."))
        }
        var k = 2
        var version: UInt64 = 16
        if parts[2].hasPrefix("v=") {
            switch HashProblem.number(parts[2].dropPrefix("v="), name, "v", 0...UInt64(UInt32.max)) {
            case .success(let v): version = v
            case .failure(let p): return .failure(p)
            }
            guard version == 16 || version == 19 else {
                return .failure(HashProblem("argon2_unknown_version", "The Argon2 version is neither 16 nor 19."))
            }
            k = 3
        }
        guard parts.count == k + 3 else {
            return .failure(parts.count < k + 3 ? .truncated(name, "expected parameters, salt and tag")
                                                : .malformed(name, "it has too many '$'-separated fields"))
        }
        // m=..,t=..,p=..[,keyid=..][,data=..] in this fixed order.
        guard let kv = parts[k].split(on: UInt8(ascii: ","), max: 5), kv.count >= 3 else {
            return .failure(.malformed(name, "the parameters must be m=,t=,p= in that order"))
        }
        guard kv[0].hasPrefix("m="), kv[1].hasPrefix("t="), kv[2].hasPrefix("p=") else {
            return .failure(.malformed(name, "the parameters must be m=,t=,p= in that order"))
        }
        let m: UInt64, t: UInt64, p: UInt64
        switch HashProblem.number(kv[0].dropPrefix("m="), name, "m", memoryRange) {
        case .success(let v): m = v
        case .failure(let e): return .failure(e)
        }
        switch HashProblem.number(kv[1].dropPrefix("t="), name, "t", timeRange) {
        case .success(let v): t = v
        case .failure(let e): return .failure(e)
        }
        switch HashProblem.number(kv[2].dropPrefix("p="), name, "p", lanesRange) {
        case .success(let v): p = v
        case .failure(let e): return .failure(e)
        }
        var extras: [PasswordHash.Extra] = []
        var j = 3
        if j < kv.count, kv[j].hasPrefix("keyid=") {
            switch HashEncoding.decodeBase64(kv[j].dropPrefix("keyid="), alphabet: .standard, padding: .forbidden) {
            case .success(let v): extras.append(.init("keyid", v))
            case .failure(let f): return .failure(f.problem(name, "keyid"))
            }
            j += 1
        }
        if j < kv.count, kv[j].hasPrefix("data=") {
            switch HashEncoding.decodeBase64(kv[j].dropPrefix("data="), alphabet: .standard, padding: .forbidden) {
            case .success(let v): extras.append(.init("data", v))
            case .failure(let f): return .failure(f.problem(name, "data"))
            }
            j += 1
        }
        if j != kv.count { return .failure(.unknownParameter(name)) }
        let salt: [UInt8], tag: [UInt8]
        switch HashEncoding.decodeBase64(parts[k + 1], alphabet: .standard, padding: .forbidden) {
        case .success(let v): salt = v
        case .failure(let f): return .failure(f.problem(name, "salt"))
        }
        switch HashEncoding.decodeBase64(parts[k + 2], alphabet: .standard, padding: .forbidden) {
        case .success(let v): tag = v
        case .failure(let f): return .failure(f.problem(name, "hash"))
        }
        return build(variant: variant, version: version, m: m, t: t, p: p, salt: salt, tag: tag,
                     extras: extras, spelling: spelling)
    }

    static func build(variant: String, version: UInt64, m: UInt64, t: UInt64, p: UInt64, salt: [UInt8], tag: [UInt8],
                      extras: [PasswordHash.Extra], spelling: String) -> Result<PasswordHash, HashProblem> {
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
                                     salt: salt, digest: tag, extras: extras, spelling: spelling))
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
        var out = [UInt8]()
        out.reserveCapacity(48 + (h.salt.count + h.digest.count) * 4 / 3)
        out.append(UInt8(ascii: "$")); out.append(contentsOf: h.variant.utf8)
        out.append(contentsOf: "$v=".utf8); appendDecimal(h.param("v") ?? 16, &out)
        out.append(contentsOf: "$m=".utf8); appendDecimal(h.param("m") ?? 0, &out)
        out.append(contentsOf: ",t=".utf8); appendDecimal(h.param("t") ?? 0, &out)
        out.append(contentsOf: ",p=".utf8); appendDecimal(h.param("p") ?? 0, &out)
        out.append(UInt8(ascii: "$")); HashEncoding.encodeBase64(h.salt, alphabet: .standard, pad: false, into: &out)
        out.append(UInt8(ascii: "$")); HashEncoding.encodeBase64(h.digest, alphabet: .standard, pad: false, into: &out)
        return String(decoding: out, as: UTF8.self)
    }

    static func workOSForm(_ h: PasswordHash) -> Result<WorkOSPasswordHash, HashProblem> {
        if let p = secretProblem(h) { return .failure(p) }
        guard variants.contains(h.variant) else {
            return .failure(HashProblem("argon2_unknown_variant", "The Argon2 type is not argon2i, argon2d or argon2id."))
        }
        return .success(WorkOSPasswordHash(type: "argon2", string: phc(h)))
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

@inline(__always) func appendDecimal(_ v: UInt64, _ out: inout [UInt8]) {
    if v >= 10 { appendDecimal(v / 10, &out) }
    out.append(UInt8(48 + v % 10))
}
