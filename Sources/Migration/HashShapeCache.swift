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
struct HashShapeCache {
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

    struct Shape {
        var kind: Kind
        var fixed: [UInt8]
        var saltLength: Int
        var digestLength: Int
        var family: String
        var label: String
        var importable: Bool
        /// The reason WorkOS refuses it (a warning on the row), nil when importable.
        var refusal: MigrationProblem?
        var rows = 0
    }

    private(set) var shapes: [Shape] = []
    let saltEncoding: SaltEncoding
    static let maxShapes = 64

    init(saltEncoding: SaltEncoding) { self.saltEncoding = saltEncoding }

    /// The shape index of a hash field, nil when the row must take the general path.
    @inline(__always)
    mutating func classify(_ b: UnsafeRawBufferPointer) -> Int? {
        guard let (kind, fixedEnd, saltRange, digestRange) = Self.split(b) else { return nil }
        let saltLength = saltRange.count, digestLength = digestRange.count
        for i in shapes.indices {
            let s = shapes[i]
            if s.kind == kind, s.saltLength == saltLength, s.digestLength == digestLength, s.fixed.count == fixedEnd,
               s.fixed.withUnsafeBytes({ memcmp($0.baseAddress!, b.baseAddress!, fixedEnd) == 0 }) {
                shapes[i].rows += 1
                return i
            }
        }
        guard shapes.count < Self.maxShapes else { return nil }
        // A new shape: the full detector decides, once.
        var fields = ExportHashFields()
        fields.hash = String(decoding: b, as: UTF8.self)
        let outcome = PasswordMapping.map(fields, saltEncoding: saltEncoding)
        guard let summary = outcome.summary else { return nil }
        var refusal: MigrationProblem?
        if case .failure(let p) = outcome.result {
            refusal = MigrationProblem(p.code, p.message + " The user is imported without a password and will need a reset.",
                                       severity: .warning)
        }
        shapes.append(Shape(kind: kind, fixed: Array(b[0..<fixedEnd]), saltLength: saltLength, digestLength: digestLength,
                            family: summary.family, label: summary.label, importable: summary.importable,
                            refusal: refusal, rows: 1))
        return shapes.count - 1
    }

    /// Recognises one of the kinds and checks the variable parts; returns where they are.
    @inline(__always)
    static func split(_ b: UnsafeRawBufferPointer) -> (Kind, Int, Range<Int>, Range<Int>)? {
        let n = b.count
        guard n >= 20, n <= 512 else { return nil }
        let dollar = UInt8(ascii: "$")
        if b[0] == dollar {
            if n == 60, b[1] == UInt8(ascii: "2"), b[3] == dollar, b[6] == dollar,
               b[2] == UInt8(ascii: "a") || b[2] == UInt8(ascii: "b") || b[2] == UInt8(ascii: "y"),
               isDigit(b[4]), isDigit(b[5]) {
                // 22 salt characters (last one carries 2 spare bits) + 31 digest characters (last carries 2... bcrypt: 1 byte short).
                for i in 7..<60 where bcryptValue[Int(b[i])] < 0 { return nil }
                guard bcryptValue[Int(b[28])] & 0x0F == 0, bcryptValue[Int(b[59])] & 0x03 == 0 else { return nil }
                return (.bcrypt, 7, 7..<29, 29..<60)
            }
            guard n > 8, b[1] == UInt8(ascii: "a") || b[1] == UInt8(ascii: "p") else { return nil }
            // Last two `$` segments are salt and digest; the fixed part keeps every parameter.
            guard let d2 = lastIndex(of: dollar, in: b, before: n), d2 > 1,
                  let d1 = lastIndex(of: dollar, in: b, before: d2), d1 > 1 else { return nil }
            let isArgon2 = startsWith(b, "$argon2"), isPBKDF2 = startsWith(b, "$pbkdf2")
            guard isArgon2 || isPBKDF2 else { return nil }
            // passlib writes a bare iteration count; PHC writes `i=`.
            var adapted = false
            if isPBKDF2, let d0 = lastIndex(of: dollar, in: b, before: d1) {
                adapted = !(d0 + 1 < d1 && b[d0 + 1] == UInt8(ascii: "i") && b[d0 + 2] == UInt8(ascii: "="))
            }
            let salt = (d1 + 1)..<d2, digest = (d2 + 1)..<n
            guard canonicalBase64(b, salt, adapted: adapted), canonicalBase64(b, digest, adapted: adapted) else { return nil }
            return (adapted ? .phcAdapted : .phcStandard, d1 + 1, salt, digest)
        }
        if startsWith(b, "pbkdf2_sha") {
            guard let d3 = lastIndex(of: dollar, in: b, before: n), let d2 = lastIndex(of: dollar, in: b, before: d3),
                  d2 > 12, d2 + 1 < d3 else { return nil }
            for i in (d2 + 1)..<d3 where !isAlphanumeric(b[i]) { return nil }
            guard paddedBase64(b, (d3 + 1)..<n) else { return nil }
            return (.django, d2 + 1, (d2 + 1)..<d3, (d3 + 1)..<n)
        }
        return nil
    }

    @inline(__always) static func isDigit(_ c: UInt8) -> Bool { c &- 0x30 < 10 }
    @inline(__always) static func isAlphanumeric(_ c: UInt8) -> Bool { standardValue[Int(c)] >= 0 && standardValue[Int(c)] < 62 }

    @inline(__always) static func startsWith(_ b: UnsafeRawBufferPointer, _ prefix: StaticString) -> Bool {
        let count = prefix.utf8CodeUnitCount
        return b.count >= count && memcmp(b.baseAddress!, prefix.utf8Start, count) == 0
    }

    @inline(__always) static func lastIndex(of c: UInt8, in b: UnsafeRawBufferPointer, before end: Int) -> Int? {
        var i = end - 1
        while i >= 0 { if b[i] == c { return i }; i -= 1 }
        return nil
    }

    /// Unpadded base64 whose last character has zero spare bits (the detectors' strict, canonical rule).
    @inline(__always)
    static func canonicalBase64(_ b: UnsafeRawBufferPointer, _ r: Range<Int>, adapted: Bool) -> Bool {
        guard !r.isEmpty, r.count % 4 != 1 else { return false }
        var last: Int16 = 0
        for i in r {
            let c = b[i]
            let v: Int16 = adapted ? (c == UInt8(ascii: "+") ? -1 : c == UInt8(ascii: ".") ? 62 : standardValue[Int(c)])
                                   : standardValue[Int(c)]
            if v < 0 { return false }
            last = v
        }
        switch r.count % 4 {
        case 2: return last & 0x0F == 0
        case 3: return last & 0x03 == 0
        default: return true
        }
    }

    /// Standard base64 with `=` padding to a multiple of 4, canonical spare bits.
    @inline(__always)
    static func paddedBase64(_ b: UnsafeRawBufferPointer, _ r: Range<Int>) -> Bool {
        guard r.count >= 4, r.count % 4 == 0 else { return false }
        var end = r.upperBound
        var pad = 0
        while pad < 2, b[end - 1] == UInt8(ascii: "=") { end -= 1; pad += 1 }
        guard end > r.lowerBound else { return false }
        var last: Int16 = 0
        for i in r.lowerBound..<end {
            let v = standardValue[Int(b[i])]
            if v < 0 { return false }
            last = v
        }
        switch pad {
        case 1: return last & 0x03 == 0
        case 2: return last & 0x0F == 0
        default: return true
        }
    }

    static let standardValue: [Int16] = table("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")
    static let bcryptValue: [Int16] = table("./ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")

    static func table(_ alphabet: String) -> [Int16] {
        var t = [Int16](repeating: -1, count: 256)
        for (i, c) in alphabet.utf8.enumerated() { t[Int(c)] = Int16(i) }
        return t
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
