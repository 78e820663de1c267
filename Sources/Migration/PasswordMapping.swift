import DescopeExport
import PasswordHashes

/// The password step of the mapping: export hash fields → recognised hash → WorkOS's rules → WorkOS string.
public enum PasswordMapping {
    public struct Outcome: Sendable, Hashable {
        /// The WorkOS pair, or the first reason it cannot be imported (`no_password_hash` when there are no fields).
        public var result: Result<WorkOSPasswordHash, HashProblem>
        /// nil when the row had no hash fields.
        public var summary: HashSummary?
    }

    public static let noHash = HashProblem("no_password_hash", "The export holds no password hash for the user.")

    public static let twoSources = HashProblem("conflicting_hash_fields",
        "The row fills both hashedPassword.<kind>.<field> columns and other password-hash columns; hashport cannot tell which holds the user's hash.")

    public static func map(_ fields: ExportHashFields, saltEncoding: SaltEncoding) -> Outcome {
        guard !fields.isEmpty else { return Outcome(result: .failure(noHash), summary: nil) }
        let detected: Result<PasswordHash, HashProblem>
        if !fields.objectFields.isEmpty {
            var rest = fields
            rest.objectFields = []
            if !rest.isEmpty {
                detected = .failure(twoSources)
            } else {
                do { detected = try DescopeHashObject(cells: fields.objectFields.map { ($0.kind, $0.field, $0.value) }).detect() }
                catch { detected = .failure(error) }
            }
        } else {
            let split = SplitHashFields(hash: fields.hash, type: fields.type, salt: fields.salt, iterations: fields.iterations,
                                        memory: fields.memory, threads: fields.threads, digest: fields.digest,
                                        signerKey: fields.signerKey, saltSeparator: fields.saltSeparator)
            detected = HashDetector.detect(fields: split, saltEncoding: saltEncoding)
        }
        switch detected {
        case .failure(let problem):
            return Outcome(result: .failure(problem), summary: HashSummary(family: "unknown", label: "unreadable", importable: false))
        case .success(let hash):
            let label = Self.label(hash)
            if let refused = WorkOSPolicy.problems(for: hash).first {
                return Outcome(result: .failure(refused), summary: HashSummary(family: hash.family.rawValue, label: label, importable: false))
            }
            switch hash.workOSForm() {
            case .failure(let problem):
                return Outcome(result: .failure(problem), summary: HashSummary(family: hash.family.rawValue, label: label, importable: false))
            case .success(let workOS):
                return Outcome(result: .success(workOS), summary: HashSummary(family: hash.family.rawValue, label: label, importable: true))
            }
        }
    }

    /// The row's warning when the hash cannot be imported: the detector's or the policy's sentence, plus what
    /// happens to the user unless the sentence already says so.
    public static func refusal(_ problem: HashProblem) -> MigrationProblem {
        let message = problem.message.contains("password reset") ? problem.message
            : problem.message + " The user is imported without a password and will need a password reset."
        return MigrationProblem(problem.code, message, severity: .warning)
    }

    /// `argon2id m=65536 t=3 p=4`, `bcrypt 2b cost=10`, `pbkdf2 sha256 i=600000`: what WorkOS's rules look at.
    public static func label(_ hash: PasswordHash) -> String {
        var parts: [String] = []
        let family = hash.family.rawValue
        if hash.variant.isEmpty { parts.append(family) }
        else if hash.variant.hasPrefix(family) { parts.append(hash.variant) }
        else { parts.append(family); parts.append(hash.variant) }
        for p in hash.params where !(hash.family == .argon2 && p.name == "v" && p.value == 19) {
            parts.append("\(p.name)=\(p.value)")
        }
        return parts.joined(separator: " ")
    }
}
