// The oracles of the hash targets: a WorkOS string reads back to the hash it was written from, and the shape cache
// (the per-row fast path) gives every row the detector's verdict.
import FuzzSupport
import PasswordHashes

/// Everything that decides what a hash verifies, without how it was spelled (family, variant, parameters, bytes).
public struct HashMeaning: Equatable, CustomStringConvertible {
    public var family: String
    public var variant: String
    public var params: [String]
    public var salt: [UInt8]
    public var digest: [UInt8]
    public var extras: [String]

    public init(family: String, variant: String, params: [String], salt: [UInt8], digest: [UInt8], extras: [String]) {
        self.family = family; self.variant = variant; self.params = params
        self.salt = salt; self.digest = digest; self.extras = extras
    }

    public var description: String { "\(family) \(variant) \(params) salt \(salt.count) B, digest \(digest.count) B, \(extras)" }
}

private func meaning(_ h: PasswordHash) -> HashMeaning {
    HashMeaning(family: h.family.rawValue, variant: h.variant, params: h.params.map { "\($0.name)=\($0.value)" },
                salt: h.salt, digest: h.digest, extras: h.extras.map { "\($0.name)=\($0.bytes)" })
}

/// The round-trip oracle on one detected hash.
public func checkRoundTrip(_ hash: PasswordHash) {
    guard WorkOSPolicy.problems(for: hash).isEmpty, case .success(let pair) = hash.workOSForm() else { return }
    guard case .success(let again) = HashDetector.detect(pair.string) else {
        fatalError("fuzz oracle: the WorkOS string of a \(hash.family) hash does not read back")
    }
    require(meaning(again) == meaning(hash), "the WorkOS string reads back as \(meaning(again)), not \(meaning(hash))")
    guard case .success(let accepted) = WorkOSPolicy.check(type: pair.type, hash: pair.string) else {
        fatalError("fuzz oracle: WorkOS's check refuses the WorkOS string written for a \(hash.family) hash")
    }
    require(meaning(accepted) == meaning(hash), "WorkOS's check reads the string as \(meaning(accepted))")
    require((try? again.workOSForm().get())?.string == pair.string, "the WorkOS string is not written again unchanged")
}

/// The shape cache against the detector, on one row's fields.
public func checkShapeCache(_ shapes: HashShapes, _ fields: HashFieldBytes) {
    guard !fields.isEmpty else { return }
    let direct = HashAssessment.assess(fields, saltEncoding: shapes.saltEncoding)
    let verdict = shapes.classify(fields)
    let cached = shapes.assessment(verdict)
    require(cached.family == direct.family && cached.label == direct.label,
            "the shape cache says \(cached.family) \(cached.label), the detector \(direct.family) \(direct.label)")
    switch direct.result {
    case .success(let pair):
        require(shapes.workOSHash(verdict) == pair, "the shape cache writes another WorkOS string than the detector")
    case .failure(let problem):
        guard case .failure(let other) = cached.result else {
            fatalError("fuzz oracle: the shape cache accepts a hash the detector refuses (\(problem.code))")
        }
        require(other.code == problem.code, "the shape cache refuses with \(other.code), the detector with \(problem.code)")
        require(shapes.workOSHash(verdict) == nil, "the shape cache writes a string for a refused hash")
    }
}
