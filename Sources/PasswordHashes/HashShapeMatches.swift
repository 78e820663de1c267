#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The cached shapes most rows are matched against without building a key: for each route, what makes a row's key
/// equal to a cached shape's, checked in place. A match names the shape and finds the row's parts; the cache then
/// checks the parts (`HashShapes.holds`), which is what makes the rest of the key equal:
/// - a whole spelling: the same length, the same fixed part byte for byte and `$` before the digest (the parts'
///   alphabets hold no `$`);
/// - a Descope object in JSON: the same length and the same bytes outside the checked parts (no part's alphabet
///   holds a quote, a backslash or a control byte, so the object parses the same);
/// - split fields: the same type, digest and parameter texts, the same part lengths and padding, and the same guessed
///   classes of the hash and the salt.
/// Up to 16 shapes per route, kept in plain buffers (no reference counting per row). Owned by one `HashShapes`.
struct HashShapeMatches {
    private struct Whole {
        var shape: Int, total: Int
        var fixed: Range<Int>, salt: Range<Int>, digest: Range<Int>
        var dollar: Bool
    }
    private struct Object {
        var shape: Int, total: Int
        /// Where its byte runs outside the checked parts are in `runs`.
        var runs: Range<Int>
        var parts: PerPart<Range<Int>?>
    }
    /// (offset in the row, offset in `fixed`, length) of an object's byte run outside the checked parts.
    private struct Run { var at: Int, stored: Int, count: Int }
    private struct Split {
        var shape: Int
        /// Type, digest, iterations, memory and threads: where each text is in `fixed`.
        var texts: (Range<Int>, Range<Int>, Range<Int>, Range<Int>, Range<Int>)
        /// Hash, salt, signer key, salt separator: length and trailing `=`.
        var lengths: (Int, Int, Int, Int), pads: (Int, Int, Int, Int)
        var hashGuess: HashByteClass, saltGuess: HashByteClass
        /// The part's class, which `HashShapes.holds` checks, already makes its guess (`HashByteClass.guess(_:isImpliedByHolding:)`).
        var hashGuessHeld: Bool, saltGuessHeld: Bool
    }

    private var wholes = PlainBuffer<Whole>()
    private var objects = PlainBuffer<Object>()
    private var runs = PlainBuffer<Run>()
    private var splits = PlainBuffer<Split>()
    /// Every kept fixed byte: whole spellings' fixed parts, objects' runs, split fields' texts.
    private var fixed = PlainBuffer<UInt8>(capacity: 1024)
    static let limit = 16

    func deallocate() {
        wholes.deallocate(); objects.deallocate(); runs.deallocate(); splits.deallocate(); fixed.deallocate()
    }

    var isEmpty: Bool { wholes.isEmpty && objects.isEmpty && splits.isEmpty }

    /// The cached shape the row's fields match, its parts written to `parts`; nil when the row needs its key built.
    @inline(__always)   // into `HashShapes.classify`, with its quick match
    func match(_ f: HashFieldBytes, parts: inout HashParts) -> Int? {
        let b = f.hash
        guard !b.isEmpty else { return nil }
        if b[0] == UInt8(ascii: "{") { return object(b, parts: &parts) }
        if let found = whole(b, parts: &parts) { return found }
        return splits.isEmpty ? nil : split(f, parts: &parts)
    }

    private func stored(_ r: Range<Int>) -> UnsafeRawBufferPointer { fixed.bytes(r) }

    @inline(__always)
    private func whole(_ b: UnsafeRawBufferPointer, parts: inout HashParts) -> Int? {
        for m in wholes.elements(wholes.indices) where b.count == m.total && (!m.dollar || b[m.salt.upperBound] == UInt8(ascii: "$")) {
            guard ByteRuns.equal(b.baseAddress!, stored(m.fixed).baseAddress!, count: m.fixed.count) else { continue }
            parts[.salt] = UnsafeRawBufferPointer(rebasing: b[m.salt])
            parts[.digest] = UnsafeRawBufferPointer(rebasing: b[m.digest])
            parts[.whole] = b
            return m.shape
        }
        return nil
    }

    private func object(_ b: UnsafeRawBufferPointer, parts: inout HashParts) -> Int? {
        for m in objects.elements(objects.indices) where m.total == b.count {
            let same = runs.elements(m.runs).allSatisfy {
                ByteRuns.equal(b.baseAddress! + $0.at, stored($0.stored..<($0.stored + $0.count)).baseAddress!, count: $0.count)
            }
            guard same else { continue }
            for i in HashParts.Index.allCases { if let r = m.parts[i] { parts[i] = UnsafeRawBufferPointer(rebasing: b[r]) } }
            return m.shape
        }
        return nil
    }

    @inline(__always)
    private func split(_ f: HashFieldBytes, parts: inout HashParts) -> Int? {
        guard !f.salt.isEmpty || !f.signerKey.isEmpty else { return nil }
        for m in splits.elements(splits.indices)
        where m.lengths == (f.hash.count, f.salt.count, f.signerKey.count, f.saltSeparator.count) {
            guard ByteRuns.equal(f.type, stored(m.texts.0)), ByteRuns.equal(f.digest, stored(m.texts.1)),
                  ByteRuns.equal(f.iterations, stored(m.texts.2)), ByteRuns.equal(f.memory, stored(m.texts.3)),
                  ByteRuns.equal(f.threads, stored(m.texts.4)) else { continue }
            guard m.pads == (ShapeKey.pads(f.hash), ShapeKey.pads(f.salt), ShapeKey.pads(f.signerKey), ShapeKey.pads(f.saltSeparator)),
                  m.hashGuessHeld || HashByteClass.guess(f.hash) == m.hashGuess,
                  m.saltGuessHeld || HashByteClass.guess(f.salt) == m.saltGuess else { return nil }
            parts[.digest] = f.hash; parts[.salt] = f.salt; parts[.signerKey] = f.signerKey; parts[.saltSeparator] = f.saltSeparator
            return m.shape
        }
        return nil
    }

    // MARK: Remembering a newly cached shape

    /// Keeps the shape `key` was just built for, from its first row (`f`, `parts`, the shape's `classes`).
    mutating func remember(_ key: ShapeKey, _ f: HashFieldBytes, parts: HashParts, classes: HashParts.Classes, shape: Int) {
        switch key.route {
        case .whole:
            guard wholes.count < Self.limit else { return }
            let layout = key.wholeLayout
            let start = fixed.count
            fixed.append(contentsOf: UnsafeRawBufferPointer(rebasing: parts[.whole][0..<layout.fixed]))
            wholes.append(Whole(shape: shape, total: parts[.whole].count, fixed: start..<fixed.count,
                                salt: layout.salt, digest: layout.digest, dollar: layout.dollar))
        case .object:
            if f.cells.isEmpty { rememberObject(f.hash, parts: parts, classes: classes, shape: shape) }
        case .split:
            guard splits.count < Self.limit else { return }
            func keep(_ b: UnsafeRawBufferPointer) -> Range<Int> {
                let start = fixed.count
                fixed.append(contentsOf: b)
                return start..<fixed.count
            }
            let lengths = (f.hash.count, f.salt.count, f.signerKey.count, f.saltSeparator.count)
            let pads = (ShapeKey.pads(f.hash), ShapeKey.pads(f.salt), ShapeKey.pads(f.signerKey), ShapeKey.pads(f.saltSeparator))
            func held(_ guess: HashByteClass, _ i: HashParts.Index, count: Int, pads: Int) -> Bool {
                classes[i].checked && HashByteClass.guess(guess, isImpliedByHolding: classes[i].byteClass, count: count, pads: pads)
            }
            splits.append(Split(shape: shape, texts: (keep(f.type), keep(f.digest), keep(f.iterations), keep(f.memory), keep(f.threads)),
                                lengths: lengths, pads: pads, hashGuess: key.hashGuess, saltGuess: key.saltGuess,
                                hashGuessHeld: held(key.hashGuess, .digest, count: lengths.0, pads: pads.0),
                                saltGuessHeld: held(key.saltGuess, .salt, count: lengths.1, pads: pads.1)))
        }
    }

    /// An object shape: where its parts are in the first row `b`, and its bytes outside the checked ones. None when a
    /// checked part's class may hold a quote or a backslash.
    private mutating func rememberObject(_ b: UnsafeRawBufferPointer, parts: HashParts, classes: HashParts.Classes, shape: Int) {
        guard objects.count < Self.limit, let base = b.baseAddress else { return }
        var ranges = PerPart<Range<Int>?>(repeating: nil)
        var checked: [Range<Int>] = []
        for i in HashParts.Index.allCases where !parts[i].isEmpty {
            guard let start = parts[i].baseAddress.map({ base.distance(to: $0) }), start >= 0, start + parts[i].count <= b.count else { return }
            ranges[i] = start..<(start + parts[i].count)
            guard classes[i].checked else { continue }
            switch classes[i].byteClass {
            case .standard, .standardUnpadded, .urlSafe, .adapted, .hex, .bcrypt: checked.append(start..<(start + parts[i].count))
            case .text, .printable: return
            }
        }
        let firstRun = runs.count
        var at = 0
        for r in checked.sorted(by: { $0.lowerBound < $1.lowerBound }) + [b.count..<b.count] {
            if r.lowerBound > at {
                runs.append(Run(at: at, stored: fixed.count, count: r.lowerBound - at))
                fixed.append(contentsOf: UnsafeRawBufferPointer(rebasing: b[at..<r.lowerBound]))
            }
            at = Swift.max(at, r.upperBound)
        }
        objects.append(Object(shape: shape, total: b.count, runs: firstRun..<runs.count, parts: ranges))
    }
}
