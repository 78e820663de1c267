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
/// a detector failure, an odd character) is assessed by the detector, row by row. One cache per run (not thread-safe);
/// a verdict is good until the next `classify`.
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

    /// One row's verdict: its shape, and where its own bytes are for the WorkOS string. A plain value.
    public struct Verdict {
        public var shape: Int
        var parts: HashParts
        /// The detector assessed this row itself (its assessment is `HashShapes.lastOwn` until the next classify).
        var isOwn: Bool
    }

    /// What the per-row path reads of a shape, without reference counting.
    struct Hot {
        var cached: Bool
        var importable: Bool
        var classes: HashParts.Classes
    }

    public let saltEncoding: SaltEncoding
    public private(set) var shapes: [Shape] = []
    // One cache per run, confined to its reader: the per-row state skips dynamic exclusivity checks.
    @exclusivity(unchecked) private var hot = PlainBuffer<Hot>()
    @exclusivity(unchecked) private var rowCounts = PlainBuffer<Int>()
    /// Open addressing over the keys' hashes: shape index + 1 (0: empty), the key bytes per shape.
    @exclusivity(unchecked) private var slots = [Int32](repeating: 0, count: 256)
    @exclusivity(unchecked) private var keyHashes: [UInt64] = []
    /// Every shape's key bytes, one after the other (`keyRanges` says where).
    @exclusivity(unchecked) private var keyStore: [UInt8] = []
    @exclusivity(unchecked) private var keyRanges: [Range<Int>] = []
    /// Counting-only shapes, by what reports show of them.
    private var counted: [String: Int] = [:]
    /// The detector's assessment of the row `classify` last gave to it.
    @exclusivity(unchecked) public private(set) var lastOwn: HashAssessment?
    /// Character → value tables: standard base64, passlib's adapted, bcrypt's radix-64, URL-safe (0xFF: not in it).
    let tables: UnsafeMutablePointer<UInt8>
    @exclusivity(unchecked) private var key = ShapeKey()
    /// The cached shapes most rows are matched against in place (no key built).
    @exclusivity(unchecked) private var matches = HashShapeMatches()

    public init(saltEncoding: SaltEncoding = .auto) {
        self.saltEncoding = saltEncoding
        tables = .allocate(capacity: 4 * 256)
        tables.initialize(repeating: 0xFF, count: 4 * 256)
        for (k, chars) in [Base64Alphabet.standardChars, Base64Alphabet.passlibChars, Base64Alphabet.bcryptChars,
                           Base64Alphabet.urlSafeChars].enumerated() {
            for (v, c) in chars.enumerated() { tables[k * 256 + Int(c)] = UInt8(v) }
        }
    }

    deinit {
        tables.deallocate(); key.deallocate()
        hot.deallocate(); rowCounts.deallocate(); matches.deallocate()
    }

    /// The verdict on a row's (non-empty) hash fields.
    public func classify(_ fields: HashFieldBytes) -> Verdict {
        if let verdict = quickMatch(fields) { return verdict }
        var parts = HashParts()
        guard key.build(fields, parts: &parts) else { return assessed(fields) }
        let h = key.hashValue64
        if let i = find(h) {
            // A shape seen before: the row shares its verdict when its parts hold; else the detector says why not.
            guard hot[i].cached, holds(parts, shape: i) else { return assessed(fields) }
            rowCounts[i] += 1
            return Verdict(shape: i, parts: parts, isOwn: false)
        }
        return learn(fields, parts: parts, keyHash: h)
    }

    /// True when WorkOS takes the row's hash.
    public func isImportable(_ verdict: Verdict) -> Bool {
        verdict.isOwn ? lastOwn?.importable ?? false : hot[verdict.shape].importable
    }

    /// Why WorkOS cannot take the row's hash; nil when it can.
    public func refusal(_ verdict: Verdict) -> HashProblem? {
        if isImportable(verdict) { return nil }
        let a = verdict.isOwn ? lastOwn : shapes[verdict.shape].assessment
        if case .failure(let p)? = a?.result { return p }
        return nil
    }

    /// The row's WorkOS pair, nil when WorkOS refuses its hash.
    public func workOSHash(_ verdict: Verdict) -> WorkOSPasswordHash? {
        if verdict.isOwn { return try? lastOwn?.result.get() }
        guard case .success(let first) = shapes[verdict.shape].assessment.result else { return nil }
        var out: [UInt8] = []
        appendWorkOSString(verdict, to: &out)
        return WorkOSPasswordHash(type: first.type, string: String(decoding: out, as: UTF8.self), saltPosition: first.saltPosition)
    }

    /// The `password_hash_type` of an importable row ("" for a refused one).
    public func workOSType(_ verdict: Verdict) -> String {
        let a = verdict.isOwn ? lastOwn : shapes[verdict.shape].assessment
        if case .success(let pair)? = a?.result { return pair.type }
        return ""
    }

    /// Appends the row's WorkOS string (nothing when WorkOS refuses the hash).
    public func appendWorkOSString(_ verdict: Verdict, to out: inout [UInt8]) {
        if verdict.isOwn {
            if case .success(let pair)? = lastOwn?.result { out.append(contentsOf: pair.string.utf8) }
            return
        }
        guard hot[verdict.shape].importable, let template = shapes[verdict.shape].template else { return }
        template.render(verdict.parts, classes: hot[verdict.shape].classes, tables: tables, to: &out)
    }

    /// The assessment that applies to the row (its shape's, or its own).
    public func assessment(_ verdict: Verdict) -> HashAssessment {
        verdict.isOwn ? lastOwn! : shapes[verdict.shape].assessment
    }

    /// Every shape with its row count (reports count hashes by family and parameters from these).
    public var counts: [(assessment: HashAssessment, rows: Int)] {
        shapes.indices.map { (shapes[$0].assessment, rowCounts[$0]) }
    }

    /// Zeroes the row counts (the shapes are kept for the next input).
    public func resetCounts() { for i in rowCounts.indices { rowCounts[i] = 0 } }

    /// A row of a cached shape matched in place (`HashShapeMatches`); nil when the row needs its key built.
    // Inlined into `classify` (as is `match`): a call per level passed the rows' field set on, each row, for 3–6% of inspect.
    @inline(__always)
    private func quickMatch(_ fields: HashFieldBytes) -> Verdict? {
        guard !matches.isEmpty, fields.cells.isEmpty, fields.withinLengthLimit else { return nil }
        // The parts are written in place and the shape's classes read in place: copied through an optional tuple, the
        // stores and the wider loads that read them back could not be forwarded (a stall each, on every row).
        var verdict = Verdict(shape: 0, parts: HashParts(), isOwn: false)
        guard let shape = matches.match(fields, parts: &verdict.parts), holds(verdict.parts, shape: shape) else { return nil }
        verdict.shape = shape
        rowCounts[shape] += 1
        return verdict
    }

    // MARK: The key table

    private func find(_ h: UInt64) -> Int? {
        let mask = slots.count - 1
        var i = Int(truncatingIfNeeded: h) & mask
        while slots[i] != 0 {
            let shape = Int(slots[i]) - 1
            if keyHashes[shape] == h {
                let r = keyRanges[shape]
                if keyStore.withUnsafeBytes({ key.equals(UnsafeRawBufferPointer(rebasing: $0[r])) }) { return shape }
            }
            i = (i + 1) & mask
        }
        return nil
    }

    private func insertKey(_ h: UInt64, shape: Int) {
        if (shapes.count + 1) * 2 > slots.count {
            slots = [Int32](repeating: 0, count: slots.count * 2)
            for (s, kh) in keyHashes.enumerated() where !keyRanges[s].isEmpty { place(kh, s) }
        }
        place(h, shape)
    }

    private func place(_ h: UInt64, _ shape: Int) {
        let mask = slots.count - 1
        var i = Int(truncatingIfNeeded: h) & mask
        while slots[i] != 0 { i = (i + 1) & mask }
        slots[i] = Int32(shape + 1)
    }

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
        var shape = Shape(assessment: assessment, rows: 0, classes: classes, cached: true)
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
        matches.remember(key, fields, parts: parts, classes: classes, shape: shapes.count - 1)
        rowCounts[shapes.count - 1] += 1
        return Verdict(shape: shapes.count - 1, parts: parts, isOwn: false)
    }

    private func append(_ shape: Shape, key bytes: [UInt8], keyHash: UInt64) {
        shapes.append(shape)
        hot.append(Hot(cached: shape.cached, importable: shape.assessment.importable, classes: shape.classes))
        rowCounts.append(0)
        keyRanges.append(keyStore.count..<(keyStore.count + bytes.count))
        keyStore.append(contentsOf: bytes)
        keyHashes.append(keyHash)
    }

    private func remember(_ shape: Shape, keyHash: UInt64) {
        append(shape, key: key.keyBytes, keyHash: keyHash)
        insertKey(keyHash, shape: shapes.count - 1)
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
            append(Shape(assessment: assessment, cached: false), key: [], keyHash: 0)
        }
        rowCounts[i] += 1
        lastOwn = assessment
        return Verdict(shape: i, parts: HashParts(), isOwn: true)
    }

    // MARK: Checking a row's parts

    /// True when every part the shape checks is valid in its class, with the first row's sizes.
    private func holds(_ parts: HashParts, shape: Int) -> Bool {
        for i in HashParts.Index.allCases {
            let c = hot.base[shape].classes[i]
            guard c.checked else { continue }
            let part = parts[i]
            if part.isEmpty { if c.bytes == 0 { continue } else { return false } }
            guard let measured = c.byteClass.measure(part, tables: tables), measured == (c.bytes, c.pads) else { return false }
        }
        return true
    }

    /// The first row: records its parts' sizes; false when one is not valid in its class.
    private func measure(_ parts: HashParts, _ classes: inout HashParts.Classes) -> Bool {
        for i in HashParts.Index.allCases where classes[i].checked {
            let part = parts[i]
            if part.isEmpty { classes[i].bytes = 0; classes[i].pads = 0; continue }
            guard let measured = classes[i].byteClass.measure(part, tables: tables) else { return false }
            classes[i].bytes = measured.bytes
            classes[i].pads = measured.pads
        }
        return true
    }
}
