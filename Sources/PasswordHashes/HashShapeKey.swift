#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A row's shape as bytes — everything the detector looks at except the contents of the variable parts, which it
/// only decodes — and where those parts are. Three routes, as the detector reads the fields:
/// - a whole spelling (bcrypt, PHC Argon2/PBKDF2, passlib, Django PBKDF2): its fixed text and the parts' lengths;
/// - split fields (a hash with a salt or a signer key): the type, digest and parameter texts, each part's
///   character class, length and padding;
/// - Descope's hash object (a JSON cell or flattened cells): the kind, the fields present, their texts, the parts'
///   lengths and padding (a bcrypt or Django object adds the whole-spelling key of its string).
/// Other spellings have no key: the detector reads them row by row.
struct ShapeKey {
    enum Route: UInt8 { case whole = 1, split, object }

    static let capacity = 1024
    /// The key's bytes (`capacity` of them, owned by the cache that made the key: `deallocate()`).
    let bytes = UnsafeMutablePointer<UInt8>.allocate(capacity: ShapeKey.capacity)
    private(set) var count = 0
    private(set) var route = Route.whole
    /// For the whole-spelling route: which spelling, for the parts' classes.
    private var spelling = WholeSpelling.bcrypt
    private var objectKind = DescopeHashObject.Kind.bcrypt
    /// Whole-spelling route: where the fixed part ends and the salt and digest are (for `HashShapes`' quick match).
    private(set) var wholeLayout: (fixed: Int, salt: Range<Int>, digest: Range<Int>, dollar: Bool) = (0, 0..<0, 0..<0, false)
    /// Split route: the guessed classes of the hash and the salt.
    private(set) var hashGuess = HashByteClass.standard, saltGuess = HashByteClass.standard

    enum WholeSpelling: UInt8 {
        /// `$2a$`/`$2b$`/`$2y$` + cost + 53 radix-64 characters.
        case bcrypt
        /// `$argon2…$…$<salt>$<hash>` or `$pbkdf2…$i=…$<salt>$<hash>`: standard base64, unpadded.
        case phcStandard
        /// passlib `$pbkdf2-sha256$29000$<salt>$<hash>`: adapted base64, unpadded.
        case phcAdapted
        /// Django `pbkdf2_sha256$600000$<salt text>$<standard base64>`.
        case django
    }

    /// The longest whole spelling with a key (a shape's fixed part fits the key).
    static let maxHashBytes = 512

    var isWholeString: Bool { route == .whole || (route == .object && (objectKind == .bcrypt || objectKind == .django)) }

    // MARK: Building

    /// Builds the key of `fields` and finds its parts; false when the fields have no key (the detector reads them).
    mutating func build(_ fields: HashFieldBytes, parts: inout HashParts) -> Bool {
        count = 0
        if !fields.cells.isEmpty {
            guard fields.hash.isEmpty, fields.splitFieldsAreEmpty else { return false }
            route = .object
            return objectCells(fields.cells, parts: &parts)
        }
        let hash = fields.hash
        guard !hash.isEmpty, fields.withinLengthLimit else { return false }
        if Self.isWholeSpelling(hash) {
            if hash.first == UInt8(ascii: "{") {
                route = .object
                return objectJSON(hash, parts: &parts)
            }
            route = .whole
            return whole(hash, parts: &parts)
        }
        guard !fields.salt.isEmpty || !fields.signerKey.isEmpty else { return false }
        route = .split
        return split(fields, parts: &parts)
    }

    /// The detector reads the hash alone when it holds `$`, `:` or `{` (never in base64 or hex).
    static func isWholeSpelling(_ b: UnsafeRawBufferPointer) -> Bool {
        b.contains { $0 == UInt8(ascii: "$") || $0 == UInt8(ascii: ":") || $0 == UInt8(ascii: "{") }
    }

    func deallocate() { bytes.deallocate() }

    @inline(__always) private mutating func put(_ b: UInt8) -> Bool {
        guard count < Self.capacity else { return false }
        bytes[count] = b
        count &+= 1
        return true
    }

    /// `text`, after its length (so no two different sequences of texts make the same key).
    @inline(__always) private mutating func put(_ text: UnsafeRawBufferPointer) -> Bool {
        guard text.count < 1 << 16, count + text.count + 2 <= Self.capacity else { return false }
        bytes[count] = UInt8(truncatingIfNeeded: text.count)
        bytes[count &+ 1] = UInt8(truncatingIfNeeded: text.count >> 8)
        count &+= 2
        if let base = text.baseAddress, text.count > 0 { (bytes + count).update(from: base.assumingMemoryBound(to: UInt8.self), count: text.count) }
        count &+= text.count
        return true
    }

    private mutating func put(length n: Int, pads: Int) -> Bool {
        guard n < 1 << 16 else { return false }
        return put(UInt8(n & 0xFF)) && put(UInt8(n >> 8)) && put(UInt8(pads))
    }

    /// Trailing `=` characters (up to 3).
    static func pads(_ b: UnsafeRawBufferPointer) -> Int {
        var n = 0
        while n < 3, n < b.count, b[b.count - 1 - n] == UInt8(ascii: "=") { n += 1 }
        return n
    }

    private mutating func split(_ f: HashFieldBytes, parts: inout HashParts) -> Bool {
        hashGuess = HashByteClass.guess(f.hash)
        saltGuess = HashByteClass.guess(f.salt)
        guard put(Route.split.rawValue), put(f.type), put(f.digest), put(f.iterations), put(f.memory), put(f.threads),
              put(hashGuess.rawValue), put(saltGuess.rawValue) else { return false }
        for part in [f.hash, f.salt, f.signerKey, f.saltSeparator] {
            guard put(length: part.count, pads: Self.pads(part)) else { return false }
        }
        parts[.digest] = f.hash; parts[.salt] = f.salt; parts[.signerKey] = f.signerKey; parts[.saltSeparator] = f.saltSeparator
        return true
    }

    /// A whole spelling with a key: bcrypt, PHC Argon2/PBKDF2, passlib PBKDF2, Django PBKDF2. The fixed part is
    /// everything before the salt; the salt and digest are the last two `$`-separated fields.
    private mutating func whole(_ b: UnsafeRawBufferPointer, parts: inout HashParts, keyed: Bool = true) -> Bool {
        let n = b.count
        guard n >= 20, n <= Self.maxHashBytes else { return false }
        let dollar = UInt8(ascii: "$")
        func last(before end: Int) -> Int? { Self.lastDollar(in: b, before: end) }
        var fixedEnd: Int, salt: Range<Int>, digest: Range<Int>
        if b[0] == dollar {
            if n == 60, b[1] == UInt8(ascii: "2"), b[3] == dollar, b[6] == dollar,
               b[2] == UInt8(ascii: "a") || b[2] == UInt8(ascii: "b") || b[2] == UInt8(ascii: "y"),
               b[4] &- 0x30 < 10, b[5] &- 0x30 < 10 {
                spelling = .bcrypt
                (fixedEnd, salt, digest) = (7, 7..<29, 29..<60)
            } else {
                let pbkdf2 = Self.starts(b, "$pbkdf2")
                guard pbkdf2 || Self.starts(b, "$argon2"), let d2 = last(before: n), d2 > 1, let d1 = last(before: d2), d1 > 1 else { return false }
                // passlib writes a bare iteration count where PHC writes `i=`.
                var adapted = false
                if pbkdf2, let d0 = last(before: d1) { adapted = !(d0 + 2 < d1 && b[d0 + 1] == UInt8(ascii: "i") && b[d0 + 2] == UInt8(ascii: "=")) }
                spelling = adapted ? .phcAdapted : .phcStandard
                (fixedEnd, salt, digest) = (d1 + 1, (d1 + 1)..<d2, (d2 + 1)..<n)
            }
        } else if Self.starts(b, "pbkdf2_sha") {
            guard let d3 = last(before: n), let d2 = last(before: d3), d2 > 12, d2 + 1 < d3 else { return false }
            spelling = .django
            (fixedEnd, salt, digest) = (d2 + 1, (d2 + 1)..<d3, (d3 + 1)..<n)
        } else {
            return false
        }
        guard !keyed || put(Route.whole.rawValue), put(spelling.rawValue), put(UnsafeRawBufferPointer(rebasing: b[0..<fixedEnd])),
              put(length: salt.count, pads: 0), put(length: digest.count, pads: 0) else { return false }
        parts[.salt] = UnsafeRawBufferPointer(rebasing: b[salt])
        parts[.digest] = UnsafeRawBufferPointer(rebasing: b[digest])
        parts[.whole] = b
        wholeLayout = (fixedEnd, salt, digest, spelling != .bcrypt)
        return true
    }

    /// The last `$` before `end`, eight bytes a step (a zero byte in `w ^ $$$$$$$$` marks one).
    static func lastDollar(in b: UnsafeRawBufferPointer, before end: Int) -> Int? {
        let pattern: UInt64 = 0x2424_2424_2424_2424
        var i = end
        while i >= 8 {
            let x = b.loadUnaligned(fromByteOffset: i - 8, as: UInt64.self) ^ pattern
            let zero = (x &- 0x0101_0101_0101_0101) & ~x & 0x8080_8080_8080_8080
            if zero != 0 {
                // The highest zero byte is exact (borrows only run towards higher bytes from a true zero byte).
                var k = i - 1
                while k >= i - 8 { if b[k] == 0x24 { return k }; k -= 1 }
            }
            i -= 8
        }
        while i > 0 { i -= 1; if b[i] == 0x24 { return i } }
        return nil
    }

    static func starts(_ b: UnsafeRawBufferPointer, _ prefix: StaticString) -> Bool {
        b.count >= prefix.utf8CodeUnitCount && memcmp(b.baseAddress!, prefix.utf8Start, prefix.utf8CodeUnitCount) == 0
    }

    // MARK: Descope objects

    private mutating func objectCells(_ cells: UnsafeBufferPointer<HashObjectCellBytes>, parts: inout HashParts) -> Bool {
        guard let kind = DescopeHashObject.kind(keyBytes: cells[0].kind) else { return false }
        var fields = ObjectFields()
        for cell in cells {
            guard cell.kind.elementsEqual(cells[0].kind),
                  let field = DescopeHashObject.Field(keyBytes: cell.field),
                  fields.set(field, cell.value) else { return false }
        }
        return object(kind, fields, parts: &parts)
    }

    /// `{"<kind>":{…}}` or `{"hashedPassword":{"<kind>":{…}}}` whose strings hold no escape and whose numbers are
    /// plain digits; anything else has no key (the detector reads it and says what is wrong).
    private mutating func objectJSON(_ b: UnsafeRawBufferPointer, parts: inout HashParts) -> Bool {
        var scan = ObjectScanner(bytes: b)
        guard scan.take(UInt8(ascii: "{")), var key = scan.string() else { return false }
        var wrapped = false
        if DescopeHashObject.isWrapperKey(bytes: key) {
            guard scan.take(UInt8(ascii: ":")), scan.take(UInt8(ascii: "{")), let inner = scan.string() else { return false }
            key = inner
            wrapped = true
        }
        guard let kind = DescopeHashObject.kind(keyBytes: key),
              scan.take(UInt8(ascii: ":")), scan.take(UInt8(ascii: "{")) else { return false }
        var fields = ObjectFields()
        if !scan.take(UInt8(ascii: "}")) {
            repeat {
                guard let name = scan.string(), let field = DescopeHashObject.Field(keyBytes: name),
                      scan.take(UInt8(ascii: ":")), let value = scan.scalar(), fields.set(field, value) else { return false }
            } while scan.take(UInt8(ascii: ","))
            guard scan.take(UInt8(ascii: "}")) else { return false }
        }
        guard scan.take(UInt8(ascii: "}")), !wrapped || scan.take(UInt8(ascii: "}")), scan.atEnd else { return false }
        return object(kind, fields, parts: &parts)
    }

    private mutating func object(_ kind: DescopeHashObject.Kind, _ fields: ObjectFields, parts: inout HashParts) -> Bool {
        objectKind = kind
        guard put(Route.object.rawValue), put(UInt8(DescopeHashObject.Kind.allCases.firstIndex(of: kind)!)) else { return false }
        if kind == .bcrypt || kind == .django {
            // The object wraps a whole spelling: its key and parts are the string's.
            guard fields.present == 1 << DescopeHashObject.Field.hash.ordinal, let hash = fields[.hash] else { return false }
            return whole(hash, parts: &parts, keyed: false)
        }
        guard kind == .argon2 || kind == .pbkdf2 || kind == .firebase, put(UInt8(truncatingIfNeeded: fields.present)),
              put(UInt8(truncatingIfNeeded: fields.present >> 8)) else { return false }
        for field in DescopeHashObject.Field.allCases {
            guard let value = fields[field] else { continue }
            switch field {
            case .hash, .salt, .signerKey, .saltSeparator:
                guard put(length: value.count, pads: Self.pads(value)) else { return false }
            default:
                guard put(value) else { return false }
            }
        }
        parts[.digest] = fields[.hash] ?? HashFieldBytes.none
        parts[.salt] = fields[.salt] ?? HashFieldBytes.none
        parts[.signerKey] = fields[.signerKey] ?? HashFieldBytes.none
        parts[.saltSeparator] = fields[.saltSeparator] ?? HashFieldBytes.none
        return true
    }

    // MARK: Classes

    /// How the detector decoded each part of a shape whose first row read as `hash`; nil when the shape must not be
    /// cached (a spelling whose verdict depends on more than the key, e.g. MD5/SHA split fields).
    func classes(for hash: PasswordHash, saltEncoding: SaltEncoding) -> HashParts.Classes? {
        var c = HashParts.Classes()
        func check(_ i: HashParts.Index, _ cls: HashByteClass) { c[i] = HashParts.Classes.Part(byteClass: cls, checked: true) }
        switch route {
        case .split:
            guard hash.spelling == "split-fields" else { return nil }
            switch hash.family {
            case .argon2, .pbkdf2:
                check(.digest, hashGuess)
                check(.salt, HashByteClass.splitSalt(guess: saltGuess, hash: hashGuess, saltEncoding))
            case .firebaseScrypt:
                for i in [HashParts.Index.digest, .salt, .signerKey, .saltSeparator] { check(i, .standard) }
            default: return nil
            }
        case .object where !isWholeString:
            guard hash.spelling == "descope-object" else { return nil }
            for i in [HashParts.Index.digest, .salt, .signerKey, .saltSeparator] { check(i, .standard) }
        case .whole, .object:
            let salt: HashByteClass
            switch spelling {
            case .bcrypt:
                guard hash.family == .bcrypt else { return nil }
                check(.salt, .bcrypt); check(.digest, .bcrypt)
                return c
            case .phcStandard: salt = .standardUnpadded; check(.digest, .standardUnpadded)
            case .phcAdapted: salt = .adapted; check(.digest, .adapted)
            case .django: salt = .printable; check(.digest, .standard)
            }
            guard hash.family == .argon2 || hash.family == .pbkdf2 else { return nil }
            // Only PBKDF2's spellings read the salt as `--salt-encoding` says; Argon2's is always standard base64.
            check(.salt, saltEncoding != .auto && hash.family == .pbkdf2 ? HashByteClass.overridden(saltEncoding) : salt)
        }
        return c
    }
}

/// The fields of a Descope object a key is made from, as spans (at most one of each).
struct ObjectFields {
    private var values = [UnsafeRawBufferPointer](repeating: HashFieldBytes.none, count: DescopeHashObject.Field.allCases.count)
    private(set) var present: UInt16 = 0

    subscript(field: DescopeHashObject.Field) -> UnsafeRawBufferPointer? {
        present & 1 << field.ordinal != 0 ? values[Int(field.ordinal)] : nil
    }

    /// False for a field given twice; an empty value is absent (as the detector reads it).
    mutating func set(_ field: DescopeHashObject.Field, _ value: UnsafeRawBufferPointer) -> Bool {
        guard present & 1 << field.ordinal == 0 else { return false }
        if value.isEmpty { return true }
        values[Int(field.ordinal)] = value
        present |= 1 << field.ordinal
        return true
    }
}

extension DescopeHashObject.Field {
    var ordinal: UInt16 { UInt16(DescopeHashObject.Field.allCases.firstIndex(of: self)!) }
}

/// A reader for the strict subset of JSON a keyed Descope object uses (see `ShapeKey.objectJSON`).
struct ObjectScanner {
    let bytes: UnsafeRawBufferPointer
    var i = 0

    var atEnd: Bool { mutating get { skipSpace(); return i == bytes.count } }

    mutating func skipSpace() {
        while i < bytes.count, bytes[i] == 0x20 || bytes[i] == 0x09 || bytes[i] == 0x0A || bytes[i] == 0x0D { i += 1 }
    }

    mutating func take(_ c: UInt8) -> Bool {
        skipSpace()
        guard i < bytes.count, bytes[i] == c else { return false }
        i += 1
        return true
    }

    /// A string without escapes or control bytes, as the span between its quotes.
    mutating func string() -> UnsafeRawBufferPointer? {
        guard take(UInt8(ascii: "\"")) else { return nil }
        let start = i
        while i < bytes.count {
            let c = bytes[i]
            if c == UInt8(ascii: "\"") { i += 1; return UnsafeRawBufferPointer(rebasing: bytes[start..<(i - 1)]) }
            if c == UInt8(ascii: "\\") || c < 0x20 { return nil }
            i += 1
        }
        return nil
    }

    /// A string, or a number of plain digits (its text); `null` as an empty span.
    mutating func scalar() -> UnsafeRawBufferPointer? {
        skipSpace()
        guard i < bytes.count else { return nil }
        if bytes[i] == UInt8(ascii: "\"") { return string() }
        if bytes.count - i >= 4, bytes[i] == UInt8(ascii: "n"), bytes[i + 1] == UInt8(ascii: "u"), bytes[i + 2] == UInt8(ascii: "l"),
           bytes[i + 3] == UInt8(ascii: "l") {
            i += 4
            return HashFieldBytes.none
        }
        let start = i
        while i < bytes.count, bytes[i] &- 0x30 < 10 { i += 1 }
        guard i > start, i - start == 1 || bytes[start] != UInt8(ascii: "0") else { return nil }
        if i < bytes.count, bytes[i] == UInt8(ascii: ".") || bytes[i] | 0x20 == UInt8(ascii: "e") { return nil }
        return UnsafeRawBufferPointer(rebasing: bytes[start..<i])
    }
}

extension ShapeKey {
    /// A 64-bit hash of the key's bytes, eight at a time.
    var hashValue64: UInt64 {
        let b = UnsafeRawPointer(bytes)
        var h: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(count)
        var i = 0
        while i + 8 <= count {
            h = (h ^ b.loadUnaligned(fromByteOffset: i, as: UInt64.self)) &* 0xff51_afd7_ed55_8ccd
            h ^= h >> 29
            i += 8
        }
        var tail: UInt64 = 0
        for k in i..<count { tail |= UInt64(bytes[k]) << UInt64(8 * (k - i)) }
        h = (h ^ tail) &* 0xc4ce_b9fe_1a85_ec53
        return h ^ (h >> 32)
    }

    var keyBytes: [UInt8] { Array(UnsafeBufferPointer(start: bytes, count: count)) }

    /// True when `other` (in a key store) holds exactly this key.
    func equals(_ other: UnsafeRawBufferPointer) -> Bool {
        other.count == count && memcmp(bytes, other.baseAddress!, count) == 0
    }
}
