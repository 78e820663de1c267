/// WorkOS's acceptance rules for imported hashes (hash-formats.md §1) as problems with stable codes.
public enum WorkOSPolicy {
    /// WorkOS's `password_hash_type` enum.
    public static let acceptedTypes: Set<String> = ["bcrypt", "firebase-scrypt", "ssha", "ssha256", "scrypt", "pbkdf2", "argon2"]
    public static let pbkdf2SHA256Iterations: ClosedRange<UInt64> = 600_000...1_000_000
    public static let pbkdf2SHA512Iterations: ClosedRange<UInt64> = 210_000...1_000_000
    public static let argon2MemoryKiB: ClosedRange<UInt64> = 4_096...262_144
    public static let argon2Time: ClosedRange<UInt64> = 1...5
    public static let argon2iTime: ClosedRange<UInt64> = 3...5
    public static let argon2Parallelism: ClosedRange<UInt64> = 1...8

    static let reset = "this user will need a password reset"

    /// Every rule of hash-formats.md §1 as problems; empty = WorkOS takes it.
    public static func problems(for h: PasswordHash) -> [HashProblem] {
        var out: [HashProblem] = []
        switch h.family {
        case .bcrypt:
            if !BcryptHash.isImportable(h.variant) { out.append(BcryptHash.variantProblem(h.variant)) }
        case .pbkdf2:
            let i = h.param("i") ?? 0
            switch h.variant {
            case "sha256" where !pbkdf2SHA256Iterations.contains(i), "sha512" where !pbkdf2SHA512Iterations.contains(i):
                let r = h.variant == "sha256" ? pbkdf2SHA256Iterations : pbkdf2SHA512Iterations
                out.append(HashProblem("pbkdf2_iterations_out_of_range",
                    "PBKDF2-\(h.variant.uppercased()) with \(i) iterations cannot be imported into WorkOS: it accepts \(r.lowerBound)–\(r.upperBound) iterations; \(reset)."))
            case "sha256", "sha512": break
            default:
                let d = h.variant == "sha1" ? "SHA1" : h.variant.uppercased()
                out.append(HashProblem("pbkdf2_digest_not_accepted",
                    "PBKDF2-\(d) cannot be imported into WorkOS: it accepts sha256 or sha512 only; \(reset)."))
            }
        case .argon2:
            if let p = Argon2Hash.secretProblem(h) { out.append(p) }
            let v = h.param("v") ?? 16, m = h.param("m") ?? 0, t = h.param("t") ?? 0, p = h.param("p") ?? 0
            if v != 19 {
                out.append(HashProblem("argon2_version_not_accepted",
                    "Argon2 version \(v) hashes cannot be imported into WorkOS: it accepts version 19 only; \(reset)."))
            }
            if !argon2MemoryKiB.contains(m) {
                out.append(HashProblem("argon2_memory_out_of_range",
                    "Argon2 memory cost m=\(m) KiB cannot be imported into WorkOS: it accepts 4096–262144 KiB; \(reset)."))
            }
            let tr = h.variant == "argon2i" ? argon2iTime : argon2Time
            if !tr.contains(t) {
                out.append(HashProblem("argon2_time_out_of_range",
                    "Argon2 time cost t=\(t) cannot be imported into WorkOS: it accepts \(tr.lowerBound)–\(tr.upperBound) for \(h.variant); \(reset)."))
            }
            if !argon2Parallelism.contains(p) {
                out.append(HashProblem("argon2_parallelism_out_of_range",
                    "Argon2 parallelism p=\(p) cannot be imported into WorkOS: it accepts 1–8; \(reset)."))
            }
        case .scrypt, .firebaseScrypt, .ssha, .ssha256:
            break
        default:
            out.append(LegacyHashes.notImportable(h.family))
        }
        if out.isEmpty, case .failure(let p) = h.workOSForm() { out.append(p) }
        return out
    }

    /// For the emulator: a (password_hash_type, password_hash) pair as sent to WorkOS's API; succeeds only for
    /// the EXACT WorkOS forms (canonical, byte for byte) within the limits.
    public static func check(type: String, hash: String) -> Result<PasswordHash, WorkOSRefusal> {
        guard acceptedTypes.contains(type) else {
            return .failure(WorkOSRefusal([HashProblem("password_hash_type_not_accepted",
                "The password_hash_type is not one WorkOS accepts (bcrypt, firebase-scrypt, ssha, ssha256, scrypt, pbkdf2, argon2).")]))
        }
        let h: PasswordHash
        switch HashDetector.detect(hash) {
        case .success(let v): h = v
        case .failure(let p): return .failure(WorkOSRefusal([p]))
        }
        let problems = self.problems(for: h)
        if !problems.isEmpty { return .failure(WorkOSRefusal(problems)) }
        guard case .success(let form) = h.workOSForm(), form.type == type else {
            return .failure(WorkOSRefusal([HashProblem("password_hash_type_mismatch", "The password_hash does not match its password_hash_type.")]))
        }
        guard form.string == hash else {
            return .failure(WorkOSRefusal([HashProblem("not_workos_form",
                "The password_hash is not in the exact form WorkOS takes for \(type) (see the WorkOS import documentation).")]))
        }
        return .success(h)
    }
}

/// Why WorkOS would refuse a (password_hash_type, password_hash) pair: one or more problems.
/// (A struct because `Result` needs an `Error`, which `[HashProblem]` is not.)
public struct WorkOSRefusal: Error, Sendable, Hashable {
    public var problems: [HashProblem]
    public init(_ problems: [HashProblem]) { self.problems = problems }
}
