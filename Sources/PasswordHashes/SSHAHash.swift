/// LDAP salted SHA: `{SSHA}` + base64(sha1(password ‖ salt) ‖ salt), `{SSHA256}` likewise with SHA-256.
enum SSHAHash {
    static func parse(_ b: Bytes) -> Result<PasswordHash, HashProblem> {
        let family: HashFamily, digestLength: Int, body: Bytes, name: String
        if b.hasPrefix("{SSHA}") { family = .ssha; digestLength = 20; body = b.dropPrefix("{SSHA}"); name = "SSHA" }
        else if b.hasPrefix("{SSHA256}") { family = .ssha256; digestLength = 32; body = b.dropPrefix("{SSHA256}"); name = "SSHA256" }
        else if b.hasPrefix("{SSHA512}") { family = .sha; digestLength = 64; body = b.dropPrefix("{SSHA512}"); name = "SSHA512" }
        else { return .failure(.unknownFormat) }
        switch HashEncoding.decodeBase64(body, alphabet: .standard, padding: .optional) {
        case .failure(let f): return .failure(f.problem(name, "blob"))
        case .success(let blob):
            guard blob.count > digestLength else {
                return .failure(.badLength(name, "the blob must hold a \(digestLength)-byte digest followed by a salt"))
            }
            return .success(PasswordHash(family: family, variant: family == .sha ? "ssha512" : "", salt: Array(blob[digestLength...]),
                                         digest: Array(blob[..<digestLength]), spelling: "ldap"))
        }
    }

    static func workOS(_ h: PasswordHash) -> String {
        var out = [UInt8]()
        out.append(contentsOf: (h.family == .ssha ? "{SSHA}" : "{SSHA256}").utf8)
        HashEncoding.encodeBase64(h.digest + h.salt, alphabet: .standard, pad: true, into: &out)
        return String(decoding: out, as: UTF8.self)
    }

    static func workOSForm(_ h: PasswordHash) -> Result<WorkOSPasswordHash, HashProblem> {
        let length = h.family == .ssha ? 20 : 32
        guard h.digest.count == length, !h.salt.isEmpty else {
            return .failure(.badLength(h.family == .ssha ? "SSHA" : "SSHA256", "the digest must be \(length) bytes and a salt must follow"))
        }
        // {SSHA256} is sha256(password ‖ salt): the salt follows the password.
        return .success(WorkOSPasswordHash(type: h.family.rawValue, string: workOS(h), saltPosition: h.family == .ssha256 ? "suffix" : nil))
    }
}
