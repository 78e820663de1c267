#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The verdict on every row's hash at the cost of a few byte comparisons: rows whose hash has the same shape — the
/// same fixed text (prefix, parameters, type and digest columns, object kind and fields) and variable parts (salts,
/// digests, keys) of the same sizes, each valid in the way the detector reads it — get the same verdict, so the
/// detector runs once per shape; their WorkOS strings are written from their own bytes by the shape's template.
///
/// Sound because a row joins a shape only when its variable parts pass checks as strict as the detector's decoding
/// of them, and the detector and WorkOS's rules look at nothing else (`ShapeKey` holds the rest); and a template is
/// kept only when it wrote exactly the detector's string for the shape's first row. Anything else (another spelling,
/// a detector failure, an odd character) is assessed by the detector, row by row. One cache per run (not thread-safe).
public final class HashShapes {
    public struct Shape: Sendable {
        /// The first row's assessment; an importable shape's WorkOS string is the first row's (see `workOSHash`).
        public var assessment: HashAssessment
        /// Rows given this shape's verdict.
        public internal(set) var rows = 0
        var template: HashShapeTemplate?
        var classes = HashParts.Classes()
        /// False for a shape under which only detector-assessed rows are counted.
        var cached: Bool
    }

    /// One row's verdict: its shape, and where its own bytes are for the WorkOS string.
    public struct Verdict {
        public var shape: Int
        var parts: HashParts
        /// The row's own assessment when the detector made it.
        var own: HashAssessment?
    }

    public let saltEncoding: SaltEncoding
    public private(set) var shapes: [Shape] = []
    /// Keys of cached (and refused-for-caching) shapes: key hash → shape indexes; the key bytes per shape.
    private var byKeyHash: [UInt64: [Int]] = [:]
    private var keys: [[UInt8]] = []
    /// Counting-only shapes, by what reports show of them.
    private var counted: [String: Int] = [:]
    /// Character → value tables: standard base64, passlib's adapted, bcrypt's radix-64, URL-safe (0xFF: not in it).
    let tables: UnsafeMutablePointer<UInt8>
    private var key = ShapeKey()

    public init(saltEncoding: SaltEncoding = .auto) {
        self.saltEncoding = saltEncoding
        tables = .allocate(capacity: 4 * 256)
        tables.initialize(repeating: 0xFF, count: 4 * 256)
        for (k, chars) in [Base64Alphabet.standardChars, Base64Alphabet.passlibChars, Base64Alphabet.bcryptChars,
                           Base64Alphabet.urlSafeChars].enumerated() {
            for (v, c) in chars.enumerated() { tables[k * 256 + Int(c)] = UInt8(v) }
        }
    }

    deinit { tables.deallocate() }

    /// The verdict on a row's (non-empty) hash fields.
    public func classify(_ fields: HashFieldBytes) -> Verdict {
        var parts = HashParts()
        guard key.build(fields, parts: &parts) else { return assessed(fields) }
        let h = key.hashValue64
        if let candidates = byKeyHash[h], let i = candidates.first(where: { key.equals(keys[$0]) }) {
            // A shape seen before: the row shares its verdict when its parts hold; else the detector says why not.
            guard shapes[i].cached, holds(parts, shapes[i].classes) else { return assessed(fields) }
            shapes[i].rows += 1
            return Verdict(shape: i, parts: parts, own: nil)
        }
        return learn(fields, parts: parts, keyHash: h)
    }

    /// The row's WorkOS pair, nil when WorkOS refuses its hash.
    public func workOSHash(_ verdict: Verdict) -> WorkOSPasswordHash? {
        if let own = verdict.own { return try? own.result.get() }
        guard case .success(let first) = shapes[verdict.shape].assessment.result else { return nil }
        var out: [UInt8] = []
        appendWorkOSString(verdict, to: &out)
        return WorkOSPasswordHash(type: first.type, string: String(decoding: out, as: UTF8.self), saltPosition: first.saltPosition)
    }

    /// Appends the row's WorkOS string (nothing when WorkOS refuses the hash).
    public func appendWorkOSString(_ verdict: Verdict, to out: inout [UInt8]) {
        if let own = verdict.own {
            if case .success(let pair) = own.result { out.append(contentsOf: pair.string.utf8) }
            return
        }
        let shape = shapes[verdict.shape]
        guard case .success = shape.assessment.result, let template = shape.template else { return }
        template.render(verdict.parts, classes: shape.classes, tables: tables, to: &out)
    }

    /// The assessment that applies to the row (its shape's, or its own).
    public func assessment(_ verdict: Verdict) -> HashAssessment { verdict.own ?? shapes[verdict.shape].assessment }

    /// Zeroes the row counts (the shapes are kept for the next input).
    public func resetCounts() { for i in shapes.indices { shapes[i].rows = 0 } }

    // MARK: Learning

    /// A row of an unseen shape: the detector decides, once. A detector failure is not kept (it may be this row's
    /// bytes); a recognised hash is, when its template writes exactly the detector's string (or WorkOS refuses it).
    private func learn(_ fields: HashFieldBytes, parts: HashParts, keyHash: UInt64) -> Verdict {
        let detected = HashAssessment.detect(fields, saltEncoding: saltEncoding)
        let assessment = HashAssessment.assess(detected)
        guard case .success(let hash) = detected else { return own(assessment) }
        guard var classes = key.classes(for: hash, saltEncoding: saltEncoding), measure(parts, &classes) else {
            remember(Shape(assessment: assessment, cached: false), keyHash: keyHash)
            return own(assessment)
        }
        var shape = Shape(assessment: assessment, rows: 1, classes: classes, cached: true)
        if case .success(let expected) = assessment.result {
            let identity = key.isWholeString && parts[.whole].elementsEqual(expected.string.utf8)
            let template = identity ? HashShapeTemplate(segments: [.copy(.whole)]) : HashShapeTemplate.make(for: hash, whole: key.isWholeString)
            var written: [UInt8] = []
            template?.render(parts, classes: classes, tables: tables, to: &written)
            guard let template, written.elementsEqual(expected.string.utf8) else {
                remember(Shape(assessment: assessment, cached: false), keyHash: keyHash)
                return own(assessment)
            }
            shape.template = template
        }
        remember(shape, keyHash: keyHash)
        return Verdict(shape: shapes.count - 1, parts: parts, own: nil)
    }

    private func remember(_ shape: Shape, keyHash: UInt64) {
        byKeyHash[keyHash, default: []].append(shapes.count)
        keys.append(key.keyBytes)
        shapes.append(shape)
    }

    /// A row the detector assessed alone.
    private func assessed(_ fields: HashFieldBytes) -> Verdict {
        own(HashAssessment.assess(fields, saltEncoding: saltEncoding))
    }

    /// Counts a detector-assessed row under what reports show of it.
    private func own(_ assessment: HashAssessment) -> Verdict {
        let name = "\(assessment.family)\u{0}\(assessment.label)\u{0}\(assessment.importable)"
        let i: Int
        if let known = counted[name] { i = known } else {
            i = shapes.count
            counted[name] = i
            keys.append([])
            shapes.append(Shape(assessment: assessment, cached: false))
        }
        shapes[i].rows += 1
        return Verdict(shape: i, parts: HashParts(), own: assessment)
    }

    // MARK: Checking a row's parts

    /// True when every part the shape checks is valid in its class, with the first row's sizes.
    private func holds(_ parts: HashParts, _ classes: HashParts.Classes) -> Bool {
        for i in HashParts.Index.allCases {
            guard let size = classes.sizes[i.rawValue] else { continue }
            let part = parts[i]
            if part.isEmpty { if size.bytes == 0 { continue } else { return false } }
            guard let measured = classes[i].measure(part, tables: tables), measured == size else { return false }
        }
        return true
    }

    /// The first row: records its parts' sizes; false when one is not valid in its class.
    private func measure(_ parts: HashParts, _ classes: inout HashParts.Classes) -> Bool {
        for i in HashParts.Index.allCases where classes.sizes[i.rawValue] != nil {
            let part = parts[i]
            if part.isEmpty { classes.sizes[i.rawValue] = (0, 0); continue }
            guard let measured = classes[i].measure(part, tables: tables) else { return false }
            classes.sizes[i.rawValue] = measured
        }
        return true
    }
}
