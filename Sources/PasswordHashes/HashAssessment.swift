/// A row's password-hash fields as bytes, as the readers hand them over (an empty buffer is an absent field).
/// `hash` may hold a whole spelling or Descope's `hashedPassword` object as JSON text; `cells` are the filled
/// `hashedPassword.<kind>.<field>` columns of a flattened object.
public struct HashFieldBytes {
    public var hash = HashFieldBytes.none
    public var type = HashFieldBytes.none
    public var salt = HashFieldBytes.none
    public var iterations = HashFieldBytes.none
    public var memory = HashFieldBytes.none
    public var threads = HashFieldBytes.none
    public var digest = HashFieldBytes.none
    public var signerKey = HashFieldBytes.none
    public var saltSeparator = HashFieldBytes.none
    public var cells = UnsafeBufferPointer<HashObjectCellBytes>(start: nil, count: 0)

    public static var none: UnsafeRawBufferPointer { UnsafeRawBufferPointer(start: nil, count: 0) }
    public init() {}

    /// True when the row has no hash at all (`no_password_hash`).
    public var isEmpty: Bool { cells.isEmpty && splitFieldsAreEmpty && hash.isEmpty }

    /// No field is longer than the detector reads (over it the detector refuses the field, whatever else it holds).
    var withinLengthLimit: Bool {
        let limit = HashDetector.maximumLength
        return hash.count <= limit && type.count <= limit && salt.count <= limit && signerKey.count <= limit
            && saltSeparator.count <= limit && digest.count <= limit && iterations.count <= limit && memory.count <= limit
            && threads.count <= limit
    }

    var splitFieldsAreEmpty: Bool {
        type.isEmpty && salt.isEmpty && iterations.isEmpty && memory.isEmpty && threads.isEmpty && digest.isEmpty
            && signerKey.isEmpty && saltSeparator.isEmpty
    }

    static func text(_ b: UnsafeRawBufferPointer) -> String? { b.isEmpty ? nil : String(decoding: b, as: UTF8.self) }
}

/// One filled cell of a flattened Descope hash object: kind and field as the header names them, the cell's text.
public struct HashObjectCellBytes {
    public var kind: UnsafeRawBufferPointer
    public var field: UnsafeRawBufferPointer
    public var value: UnsafeRawBufferPointer
    public init(kind: UnsafeRawBufferPointer, field: UnsafeRawBufferPointer, value: UnsafeRawBufferPointer) {
        self.kind = kind; self.field = field; self.value = value
    }
}

/// What WorkOS will do with a row's hash: its exact pair, or the first reason it cannot take it; and what the
/// hash was recognised as, for reports ("argon2id m=65536 t=3 p=4").
public struct HashAssessment: Sendable, Hashable {
    public var result: Result<WorkOSPasswordHash, HashProblem>
    /// `HashFamily.rawValue`, or `unknown` when the hash could not be read.
    public var family: String
    /// Family variant and the parameters WorkOS's rules look at, e.g. `argon2id m=65536 t=3 p=4`.
    public var label: String
    /// The spelling it was read from (`phc`, `django`, `split-fields`, `descope-object`, …; `""` when unread).
    public var spelling: String
    public var importable: Bool { if case .success = result { return true } else { return false } }

    public static let conflictingFields = HashProblem("conflicting_hash_fields",
        "The row fills both hashedPassword.<kind>.<field> columns and other password-hash columns; hashport cannot tell which holds the user's hash.")

    /// The one rule from fields to verdict: recognise (object cells, else split fields or a whole spelling), then
    /// WorkOS's acceptance rules, then the WorkOS string. `fields` must not be empty.
    public static func assess(_ fields: HashFieldBytes, saltEncoding: SaltEncoding) -> HashAssessment {
        assess(detect(fields, saltEncoding: saltEncoding))
    }

    /// Recognition alone: flattened object cells, else split fields or a whole spelling in `hash`.
    public static func detect(_ fields: HashFieldBytes, saltEncoding: SaltEncoding) -> Result<PasswordHash, HashProblem> {
        if !fields.cells.isEmpty {
            guard fields.hash.isEmpty, fields.splitFieldsAreEmpty else { return .failure(conflictingFields) }
            let cells = fields.cells.map {
                (String(decoding: $0.kind, as: UTF8.self), String(decoding: $0.field, as: UTF8.self), String(decoding: $0.value, as: UTF8.self))
            }
            do { return try DescopeHashObject(cells: cells).detect() } catch { return .failure(error) }
        }
        let t = HashFieldBytes.text
        let split = SplitHashFields(hash: t(fields.hash), type: t(fields.type), salt: t(fields.salt), iterations: t(fields.iterations),
                                    memory: t(fields.memory), threads: t(fields.threads), digest: t(fields.digest),
                                    signerKey: t(fields.signerKey), saltSeparator: t(fields.saltSeparator))
        return HashDetector.detect(fields: split, saltEncoding: saltEncoding)
    }

    /// The verdict on a detection.
    public static func assess(_ detected: Result<PasswordHash, HashProblem>) -> HashAssessment {
        switch detected {
        case .failure(let problem):
            return HashAssessment(result: .failure(problem), family: "unknown", label: "unreadable", spelling: "")
        case .success(let hash):
            let label = Self.label(hash)
            if let refused = WorkOSPolicy.problems(for: hash).first {
                return HashAssessment(result: .failure(refused), family: hash.family.rawValue, label: label, spelling: hash.spelling)
            }
            return HashAssessment(result: hash.workOSForm(), family: hash.family.rawValue, label: label, spelling: hash.spelling)
        }
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
