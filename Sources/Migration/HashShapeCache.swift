import DescopeExport
import PasswordHashes

/// `inspect`'s fast path for hash fields: rows whose hash has the same fixed part (prefix and parameters) and
/// variable parts (salt, digest) of the same lengths in a strict alphabet get the same verdict, so the full
/// detector runs once per shape and every other row is checked byte by byte.
///
/// Sound because the strict classes are at least as strict as the detector: a string that passes them differs
/// from the shape's first string only in salt/digest bytes of the same length, which the detector and
/// WorkOS's rules never look at. Anything else (split fields, other spellings, padding, odd characters) is
/// not a shape: the caller maps that row the slow, general way.
final class HashShapeCache {
    enum Kind: UInt8 {
        /// `$2a$`/`$2b$`/`$2y$` + cost + 53 bcrypt radix-64 characters.
        case bcrypt
        /// `$argon2…$…$<salt>$<hash>` or `$pbkdf2…$i=…$<salt>$<hash>`: standard base64, unpadded, canonical.
        case phcStandard
        /// passlib `$pbkdf2-sha256$29000$<salt>$<hash>`: adapted base64 (`.` for `+`), unpadded, canonical.
        case phcAdapted
        /// Django `pbkdf2_sha256$600000$<alphanumeric salt>$<padded standard base64>`.
        case django
    }

    /// How a row's WorkOS string is made from its bytes without the detector (checked on the shape's first row).
    enum Rewrite {
        /// The input already is the WorkOS string.
        case identity
        /// Django PBKDF2: `prefix` + base64(salt text) + `$` + digest without its `=` padding.
        case django(prefix: [UInt8])
        /// Only the detector can write it.
        case none
    }

    /// What the comparison loop touches per row: plain values, no reference counting.
    struct Key {
        var kind: Kind
        var fixedStart: Int
        var fixedLength: Int
        var saltLength: Int
        var digestLength: Int
    }

    struct Shape {
        var family: String
        var label: String
        var importable: Bool
        /// The reason WorkOS refuses it (a warning on the row), nil when importable.
        var refusal: MigrationProblem?
        /// The detector's reason, for the mapper (which words the row's problem itself).
        var hashProblem: HashProblem?
        var workOSType: String?
        var rewrite: Rewrite
    }

    /// The comparison loop's data in fixed buffers (at most `maxShapes` shapes of at most 512 fixed bytes), so
    /// the loop touches no array and retains nothing.
    private let keys: UnsafeMutablePointer<Key>
    private var keyCount = 0
    private let fixedBytes: UnsafeMutablePointer<UInt8>
    private var fixedCount = 0
    /// Rows seen per shape (kept apart from `shapes` so counting copies nothing).
    private let rowCounts: UnsafeMutablePointer<Int>
    /// Per shape: WorkOS refuses it (so the row carries `shapes[i].refusal`); read per row without copying a Shape.
    private let refusedShapes: UnsafeMutablePointer<Bool>
    private(set) var shapes: [Shape] = []
    var rows: [Int] { Array(UnsafeBufferPointer(start: rowCounts, count: keyCount)) }
    let saltEncoding: SaltEncoding
    static let maxShapes = 64
    /// The longest hash `split` takes (so a shape's fixed part fits its slot).
    static let maxHashBytes = 512

    /// Character → value tables (0xFF: not in the alphabet) for standard base64, passlib's adapted base64 and
    /// bcrypt's radix-64; per instance, because a static table costs a lazy-initialisation check per access.
    private let tables: UnsafeMutablePointer<UInt8>
    /// `$argon2` and `$pbkdf2` as words of 7 bytes (per instance for the same reason).
    private let argon2Head = HashShapeCache.prefixWord("$argon2"), pbkdf2Head = HashShapeCache.prefixWord("$pbkdf2")

    init(saltEncoding: SaltEncoding) {
        self.saltEncoding = saltEncoding
        keys = .allocate(capacity: Self.maxShapes)
        fixedBytes = .allocate(capacity: Self.maxShapes * Self.maxHashBytes + 8)
        fixedBytes.initialize(repeating: 0, count: Self.maxShapes * Self.maxHashBytes + 8)
        rowCounts = .allocate(capacity: Self.maxShapes)
        rowCounts.initialize(repeating: 0, count: Self.maxShapes)
        refusedShapes = .allocate(capacity: Self.maxShapes)
        refusedShapes.initialize(repeating: false, count: Self.maxShapes)
        tables = .allocate(capacity: 3 * 256)
        tables.initialize(repeating: 0xFF, count: 3 * 256)
        for c in 0..<256 {
            let v = Self.standardValue(UInt8(c))
            if v >= 0 { tables[c] = UInt8(v); if c != 0x2B { tables[256 + c] = UInt8(v) } }
            let w = Self.bcryptValue(UInt8(c))
            if w >= 0 { tables[512 + c] = UInt8(w) }
        }
        tables[256 + 0x2E] = 62   // passlib: `.` stands for `+`
    }

    deinit {
        tables.deallocate(); keys.deallocate(); fixedBytes.deallocate(); rowCounts.deallocate(); refusedShapes.deallocate()
    }

    /// The shape index of a hash field, nil when the row must take the general path.
    @inline(__always)
    func classify(_ b: UnsafeRawBufferPointer, count: Bool = true) -> Int? {
        // Most rows repeat a known shape: try the known fixed parts at their places before searching for `$`.
        for i in 0..<keyCount where matches(b, keys[i]) {
            if count { rowCounts[i] += 1 }
            return i
        }
        return learn(b, count: count)
    }

    /// `classify` for a hash of no known shape: a new shape is learnt from the detector (once per shape), kept
    /// out of line so the per-row path carries none of its state.
    @inline(never)
    private func learn(_ b: UnsafeRawBufferPointer, count: Bool) -> Int? {
        // Not a known shape (a known one would have matched in `classify`, with the same checks `split` makes).
        guard let (kind, fixedEnd, saltRange, digestRange) = split(b) else { return nil }
        let saltLength = saltRange.count, digestLength = digestRange.count
        guard keyCount < Self.maxShapes else { return nil }
        // A new shape: the full detector decides, once.
        var fields = ExportHashFields()
        fields.hash = String(decoding: b, as: UTF8.self)
        let outcome = PasswordMapping.map(fields, saltEncoding: saltEncoding)
        guard let summary = outcome.summary else { return nil }
        var refusal: MigrationProblem?
        var hashProblem: HashProblem?
        var rewrite = Rewrite.none
        var type: String?
        switch outcome.result {
        case .failure(let p):
            hashProblem = p
            refusal = PasswordMapping.refusal(p)
        case .success(let workOS):
            type = workOS.type
            let expected = Array(workOS.string.utf8)
            if expected.elementsEqual(b) {
                rewrite = .identity
            } else if kind == .django {
                let tail = Self.djangoTail(b, salt: saltRange, digest: digestRange)
                if expected.count > tail.count, expected.suffix(tail.count).elementsEqual(tail) {
                    rewrite = .django(prefix: Array(expected.prefix(expected.count - tail.count)))
                }
            }
        }
        (keys + keyCount).initialize(to: Key(kind: kind, fixedStart: fixedCount, fixedLength: fixedEnd,
                                             saltLength: saltLength, digestLength: digestLength))
        (fixedBytes + fixedCount).update(from: b.baseAddress!.assumingMemoryBound(to: UInt8.self), count: fixedEnd)
        fixedCount += fixedEnd
        rowCounts[keyCount] = count ? 1 : 0
        refusedShapes[keyCount] = refusal != nil
        keyCount += 1
        shapes.append(Shape(family: summary.family, label: summary.label, importable: summary.importable,
                            refusal: refusal, hashProblem: hashProblem, workOSType: type, rewrite: rewrite))
        return keyCount - 1
    }

    /// True when WorkOS refuses the shape's hashes (`shapes[shape].refusal` says why).
    @inline(__always) func isRefused(_ shape: Int) -> Bool { refusedShapes[shape] }

    /// True when `b` has the shape of `k`: its length, its fixed part byte for byte, the `$` between salt and
    /// digest, and the kind's alphabet and spare-bit rules on both. Exactly what `split` plus the key comparison
    /// would decide, since the fixed part fixes the kind and the alphabets exclude `$` (so the same `$` are last).
    @inline(__always)
    private func matches(_ b: UnsafeRawBufferPointer, _ k: Key) -> Bool {
        if k.kind == .bcrypt {
            // `$2b$10$` + 22 salt + 31 digest characters, nothing between them.
            return b.count == 60 && Self.equalPrefix(b, fixedBytes + k.fixedStart, k.fixedLength)
                && variablePartsHold(b, .bcrypt, 7..<29, 29..<60)
        }
        let salt = k.fixedLength ..< k.fixedLength &+ k.saltLength
        let digest = salt.upperBound &+ 1 ..< salt.upperBound &+ 1 &+ k.digestLength
        guard b.count == digest.upperBound, b[salt.upperBound] == UInt8(ascii: "$"),
              Self.equalPrefix(b, fixedBytes + k.fixedStart, k.fixedLength) else { return false }
        return variablePartsHold(b, k.kind, salt, digest)
    }

    /// The kind's alphabet and spare-bit rules on the salt and the digest (shared by `split` and `matches`).
    @inline(__always)
    private func variablePartsHold(_ b: UnsafeRawBufferPointer, _ kind: Kind, _ salt: Range<Int>, _ digest: Range<Int>) -> Bool {
        kind.variablePartsHold(b, salt, digest, tables: UnsafePointer(tables))
    }

    /// `b` starts with the `count` bytes at `fixed`, compared 8 at a time; every load stays inside `b`, which
    /// is longer than `count` and at least 8 bytes (the slot at `fixed` is zero-filled past its bytes).
    @inline(__always)
    static func equalPrefix(_ b: UnsafeRawBufferPointer, _ fixed: UnsafePointer<UInt8>, _ count: Int) -> Bool {
        let p = b.baseAddress!, q = UnsafeRawPointer(fixed)
        if count < 8 {
            let keep: UInt64 = (1 << UInt64(8 * count)) &- 1
            return (p.loadUnaligned(as: UInt64.self) ^ q.loadUnaligned(as: UInt64.self)) & keep == 0
        }
        var i = 0
        while i + 8 < count {
            if p.loadUnaligned(fromByteOffset: i, as: UInt64.self) != q.loadUnaligned(fromByteOffset: i, as: UInt64.self) { return false }
            i += 8
        }
        return p.loadUnaligned(fromByteOffset: count - 8, as: UInt64.self) == q.loadUnaligned(fromByteOffset: count - 8, as: UInt64.self)
    }

    /// Takes back a row `classify` counted (it went the general way after all).
    func uncount(_ shape: Int) { rowCounts[shape] -= 1 }

    /// Zeroes the row counts once they are in a report (the cache itself is kept for the next input).
    func resetCounts() { for i in 0..<keyCount { rowCounts[i] = 0 } }

    /// The password step for one hash string through the cache: nil when the detector must run.
    func outcome(for text: String) -> PasswordMapping.Outcome? {
        var text = text
        return text.withUTF8 { utf8 -> PasswordMapping.Outcome? in
            let b = UnsafeRawBufferPointer(utf8)
            guard let i = classify(b, count: false) else { return nil }
            let shape = shapes[i]
            let summary = HashSummary(family: shape.family, label: shape.label, importable: shape.importable)
            if let problem = shape.hashProblem { return PasswordMapping.Outcome(result: .failure(problem), summary: summary) }
            guard let workOS = workOS(b, shape: i) else { return nil }
            return PasswordMapping.Outcome(result: .success(workOS), summary: summary)
        }
    }

    /// The row's WorkOS pair made from its bytes, nil when the shape has no byte-level rewrite.
    func workOS(_ b: UnsafeRawBufferPointer, shape: Int) -> WorkOSPasswordHash? {
        guard let type = shapes[shape].workOSType else { return nil }
        switch shapes[shape].rewrite {
        case .none: return nil
        case .identity: return WorkOSPasswordHash(type: type, string: String(decoding: b, as: UTF8.self))
        case .django(let prefix):
            guard let (_, _, salt, digest) = split(b) else { return nil }
            var out = prefix
            out.append(contentsOf: Self.djangoTail(b, salt: salt, digest: digest))
            return WorkOSPasswordHash(type: type, string: String(decoding: out, as: UTF8.self))
        }
    }

    /// base64(salt text bytes, unpadded) + `$` + the digest without `=`.
    static func djangoTail(_ b: UnsafeRawBufferPointer, salt: Range<Int>, digest: Range<Int>) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(salt.count * 4 / 3 + digest.count + 4)
        let alphabet: StaticString = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
        let a = alphabet.utf8Start
        var i = salt.lowerBound
        while i + 3 <= salt.upperBound {
            let v = UInt32(b[i]) << 16 | UInt32(b[i + 1]) << 8 | UInt32(b[i + 2])
            out.append(a[Int(v >> 18)]); out.append(a[Int(v >> 12 & 63)]); out.append(a[Int(v >> 6 & 63)]); out.append(a[Int(v & 63)])
            i += 3
        }
        let rest = salt.upperBound - i
        if rest == 1 {
            let v = UInt32(b[i]) << 16
            out.append(a[Int(v >> 18)]); out.append(a[Int(v >> 12 & 63)])
        } else if rest == 2 {
            let v = UInt32(b[i]) << 16 | UInt32(b[i + 1]) << 8
            out.append(a[Int(v >> 18)]); out.append(a[Int(v >> 12 & 63)]); out.append(a[Int(v >> 6 & 63)])
        }
        out.append(UInt8(ascii: "$"))
        var end = digest.upperBound
        while end > digest.lowerBound, b[end - 1] == UInt8(ascii: "=") { end -= 1 }
        out.append(contentsOf: b[digest.lowerBound..<end])
        return out
    }

    /// Recognises one of the kinds and checks the variable parts; returns where they are.
    @inline(__always)
    func split(_ b: UnsafeRawBufferPointer) -> (Kind, Int, Range<Int>, Range<Int>)? {
        let n = b.count
        guard n >= 20, n <= Self.maxHashBytes else { return nil }
        let dollar = UInt8(ascii: "$")
        if b[0] == dollar {
            if n == 60, b[1] == UInt8(ascii: "2"), b[3] == dollar, b[6] == dollar,
               b[2] == UInt8(ascii: "a") || b[2] == UInt8(ascii: "b") || b[2] == UInt8(ascii: "y"),
               Self.isDigit(b[4]), Self.isDigit(b[5]) {
                guard variablePartsHold(b, .bcrypt, 7..<29, 29..<60) else { return nil }
                return (.bcrypt, 7, 7..<29, 29..<60)
            }
            guard n > 8, b[1] == UInt8(ascii: "a") || b[1] == UInt8(ascii: "p") else { return nil }
            // Last two `$` segments are salt and digest; the fixed part keeps every parameter.
            // `$argon2` or `$pbkdf2`: the first 7 bytes as one word (n >= 20, so 8 bytes are there).
            let head = b.loadUnaligned(as: UInt64.self) & 0x00FF_FFFF_FFFF_FFFF
            let isPBKDF2 = head == pbkdf2Head
            guard head == argon2Head || isPBKDF2 else { return nil }
            guard let d2 = Self.lastIndex(of: dollar, in: b, before: n), d2 > 1,
                  let d1 = Self.lastIndex(of: dollar, in: b, before: d2), d1 > 1 else { return nil }
            // passlib writes a bare iteration count; PHC writes `i=`.
            var adapted = false
            if isPBKDF2, let d0 = Self.lastIndex(of: dollar, in: b, before: d1) {
                adapted = !(d0 + 1 < d1 && b[d0 + 1] == UInt8(ascii: "i") && b[d0 + 2] == UInt8(ascii: "="))
            }
            let salt = (d1 + 1)..<d2, digest = (d2 + 1)..<n
            let kind: Kind = adapted ? .phcAdapted : .phcStandard
            guard variablePartsHold(b, kind, salt, digest) else { return nil }
            return (kind, d1 + 1, salt, digest)
        }
        if Self.startsWith(b, "pbkdf2_sha") {
            guard let d3 = Self.lastIndex(of: dollar, in: b, before: n), let d2 = Self.lastIndex(of: dollar, in: b, before: d3),
                  d2 > 12, d2 + 1 < d3 else { return nil }
            guard variablePartsHold(b, .django, (d2 + 1)..<d3, (d3 + 1)..<n) else { return nil }
            return (.django, d2 + 1, (d2 + 1)..<d3, (d3 + 1)..<n)
        }
        return nil
    }

    @inline(__always) static func isDigit(_ c: UInt8) -> Bool { c &- 0x30 < 10 }

    @inline(__always) static func lastIndex(of c: UInt8, in b: UnsafeRawBufferPointer, before end: Int) -> Int? {
        ByteScan.last(c, in: b.baseAddress!, from: 0, end: end)
    }

    @inline(__always) static func startsWith(_ b: UnsafeRawBufferPointer, _ prefix: StaticString) -> Bool {
        let count = prefix.utf8CodeUnitCount
        return b.count >= count && memcmp(b.baseAddress!, prefix.utf8Start, count) == 0
    }

    /// The first 7 bytes of `s` as a little-endian word.
    static func prefixWord(_ s: StaticString) -> UInt64 {
        var w: UInt64 = 0
        for k in 0..<7 { w |= UInt64(s.utf8Start[k]) << UInt64(8 * k) }
        return w
    }

    /// Base64 value of a character, -1 outside the alphabet (arithmetic, not a table: a static table costs a
    /// lazy-initialisation check on every access in the inner loop).
    @inline(__always) static func standardValue(_ c: UInt8) -> Int16 {
        switch c {
        case 0x41...0x5A: return Int16(c &- 0x41)
        case 0x61...0x7A: return Int16(c &- 0x61) &+ 26
        case 0x30...0x39: return Int16(c &- 0x30) &+ 52
        case 0x2B: return 62
        case 0x2F: return 63
        default: return -1
        }
    }

    /// bcrypt's radix-64: `./A-Za-z0-9`.
    @inline(__always) static func bcryptValue(_ c: UInt8) -> Int16 {
        switch c {
        case 0x2E: return 0
        case 0x2F: return 1
        case 0x41...0x5A: return Int16(c &- 0x41) &+ 2
        case 0x61...0x7A: return Int16(c &- 0x61) &+ 28
        case 0x30...0x39: return Int16(c &- 0x30) &+ 54
        default: return -1
        }
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension HashShapeCache.Kind {
    /// `HashShapeCache.variablePartsHold` with the cache's value tables (standard, adapted, bcrypt: 256 each).
    /// On the kind, not the cache, so it can be `@_transparent` (a class member cannot): the alphabet loops and
    /// their constants inline into one body (inlined further, into the loop over shapes, it took more instructions).
    @_transparent
    func variablePartsHold(_ b: UnsafeRawBufferPointer, _ salt: Range<Int>, _ digest: Range<Int>,
                           tables: UnsafePointer<UInt8>) -> Bool {
        switch self {
        case .bcrypt:
            // 22 salt characters (16 bytes: 4 spare bits in the last) + 31 digest characters (23 bytes: 2 spare bits).
            let bcrypt = tables + 512
            return HashAlphabet.radix64.contains(b, salt.lowerBound ..< digest.upperBound, table: bcrypt)
                && bcrypt[Int(b[salt.upperBound &- 1])] & 0x0F == 0 && bcrypt[Int(b[digest.upperBound &- 1])] & 0x03 == 0
        case .phcStandard:
            return HashAlphabet.canonicalBase64(b, salt, tables, .base64) && HashAlphabet.canonicalBase64(b, digest, tables, .base64)
        case .phcAdapted:
            let adapted = tables + 256
            return HashAlphabet.canonicalBase64(b, salt, adapted, .radix64) && HashAlphabet.canonicalBase64(b, digest, adapted, .radix64)
        case .django:
            return HashAlphabet.alphanumeric.contains(b, salt, table: nil) && HashAlphabet.paddedBase64(b, digest, tables)
        }
    }
}
