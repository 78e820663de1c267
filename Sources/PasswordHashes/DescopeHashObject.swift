/// Descope's `hashedPassword` object, the one hash layout Descope publishes (descope-hash-objects.md): exactly one
/// key naming the kind, its fields inside — `{"argon2":{"hash":"…","salt":"…","iterations":3,"memory":65536,
/// "threads":4}}`, also wrapped as `{"hashedPassword":{…}}`. It reaches hashport as JSON text (a CSV cell, a users
/// file's `hashedPassword`, a `phc` line) or as flattened columns (`hashedPassword.argon2.salt`); both become this
/// value, and `detect()` reads it with the encodings the schema fixes (standard base64 bytes, hex for md5/sha).
public struct DescopeHashObject: Sendable, Hashable {
    public enum Kind: String, Sendable, CaseIterable {
        case bcrypt, argon2, pbkdf2, firebase, django, phpass, md5, sha
    }

    public enum Field: String, Sendable, CaseIterable {
        case hash, salt, iterations, memory, threads, type, saltSeparator, signerKey, rounds

        /// The field a key names, in any case, camelCase or snake_case (`salt_separator`, `signer-key`).
        public init?(key: String) {
            var key = key
            guard let field = key.withUTF8({ Field(keyBytes: UnsafeRawBufferPointer($0)) }) else { return nil }
            self = field
        }

        /// `init(key:)` on the key's bytes (the shape cache reads them in place).
        init?(keyBytes: UnsafeRawBufferPointer) {
            guard let k = FoldedKey(keyBytes) else { return nil }
            switch k.count {
            case 4: if k.is("hash") { self = .hash } else if k.is("salt") { self = .salt } else if k.is("type") { self = .type } else { return nil }
            case 6: if k.is("memory") { self = .memory } else if k.is("rounds") { self = .rounds } else { return nil }
            case 7: if k.is("threads") { self = .threads } else { return nil }
            case 9: if k.is("signerkey") { self = .signerKey } else { return nil }
            case 10: if k.is("iterations") { self = .iterations } else { return nil }
            case 13: if k.is("saltseparator") { self = .saltSeparator } else { return nil }
            default: return nil
            }
        }
    }

    public var kind: Kind
    /// Field values as text (a JSON number as its literal); a field given as null or "" is absent.
    public var fields: [Field: String]

    public init(kind: Kind, fields: [Field: String]) { self.kind = kind; self.fields = fields }

    /// The kind a key names (any case); nil for any other key.
    public static func kind(named key: String) -> Kind? {
        var key = key
        return key.withUTF8 { kind(keyBytes: UnsafeRawBufferPointer($0)) }
    }

    /// `kind(named:)` on the key's bytes.
    static func kind(keyBytes: UnsafeRawBufferPointer) -> Kind? {
        guard let k = FoldedKey(keyBytes) else { return nil }
        switch k.count {
        case 3: return k.is("md5") ? .md5 : k.is("sha") ? .sha : nil
        case 6: return k.is("argon2") ? .argon2 : k.is("bcrypt") ? .bcrypt : k.is("pbkdf2") ? .pbkdf2
            : k.is("django") ? .django : k.is("phpass") ? .phpass : nil
        case 8: return k.is("firebase") ? .firebase : nil
        default: return nil
        }
    }

    /// True for the wrapper key, `hashedPassword` in any case or spelling (`hashed_password`).
    public static func isWrapperKey(_ key: String) -> Bool {
        var key = key
        return key.withUTF8 { isWrapperKey(bytes: UnsafeRawBufferPointer($0)) }
    }

    static func isWrapperKey(bytes: UnsafeRawBufferPointer) -> Bool { FoldedKey(bytes)?.is("hashedpassword") ?? false }

    static let name = "Descope hashedPassword"

    /// The object in the members of a parsed JSON object, unwrapping `{"hashedPassword":{…}}`; a problem naming what
    /// is wrong (no kind, an unknown or a second kind, a field nested deeper or of the wrong type).
    init(members: [HashJSONMember]) throws(HashProblem) {
        var members = members
        if members.count == 1, Self.isWrapperKey(members[0].key) {
            guard case .object(let inner) = members[0].value else {
                throw HashProblem("descope_object_malformed", "The \(Self.name) value is not an object of one hash kind.")
            }
            members = inner
        }
        let kinds = Kind.allCases.map(\.rawValue).joined(separator: ", ")
        guard let first = members.first else {
            throw HashProblem("descope_object_no_kind", "The \(Self.name) object is empty; it needs one key naming the hash kind (\(kinds)).")
        }
        guard members.count == 1 else {
            let named = members.compactMap { Self.kind(named: $0.key)?.rawValue }
            if named.count > 1 {
                throw HashProblem("descope_object_two_kinds",
                    "The \(Self.name) object names more than one hash kind (\(named.joined(separator: " and "))); it must hold exactly one.")
            }
            throw HashProblem("descope_object_malformed",
                "The \(Self.name) object has \(members.count) keys; it must hold exactly one, naming the hash kind (\(kinds)).")
        }
        guard let kind = Self.kind(named: first.key) else {
            throw HashProblem("descope_object_unknown_kind",
                "The \(Self.name) kind '\(first.key.prefix(40))' is not one Descope defines (\(kinds)).")
        }
        guard case .object(let inner) = first.value else {
            throw HashProblem("descope_object_malformed", "The \(Self.name) \(kind.rawValue) value is a JSON \(first.value.kindName), not an object of fields.")
        }
        var fields: [Field: String] = [:]
        for member in inner {
            let key = member.key, value = member.value
            guard let field = Field(key: key) else {
                throw HashProblem("descope_object_unknown_field",
                    "The \(Self.name) \(kind.rawValue) object has a field '\(key.prefix(40))' that Descope's schema does not define.")
            }
            switch value {
            case .null: continue
            case .string(let s), .number(let s):
                guard fields[field] == nil else {
                    throw HashProblem("descope_object_malformed", "The \(Self.name) \(kind.rawValue) object gives its \(field.rawValue) twice.")
                }
                if !s.isEmpty { fields[field] = s }
            case .object, .array:
                throw HashProblem("descope_object_nested",
                    "The \(Self.name) \(kind.rawValue) field \(field.rawValue) is a JSON \(value.kindName): the object nests deeper than one level.")
            case .bool:
                throw HashProblem("descope_object_malformed",
                    "The \(Self.name) \(kind.rawValue) field \(field.rawValue) is a boolean, not a string or a number.")
            }
        }
        self.init(kind: kind, fields: fields)
    }

    /// From flattened columns (`hashedPassword.<kind>.<field>` cells): the same rules as the JSON object, so a row
    /// that fills the columns of two kinds, an unknown kind or an unknown field is refused in the same words.
    public init(cells: [(kind: String, field: String, value: String)]) throws(HashProblem) {
        var kinds: [String] = []
        var byKind: [String: [HashJSONMember]] = [:]
        for cell in cells {
            if byKind[cell.kind] == nil { kinds.append(cell.kind) }
            byKind[cell.kind, default: []].append(HashJSONMember(key: cell.field, value: .string(cell.value)))
        }
        let members = kinds.map { HashJSONMember(key: $0, value: .object(byKind[$0] ?? [])) }
        try self.init(members: members)
    }

    /// From JSON text: `{"<kind>":{…}}` or `{"hashedPassword":{"<kind>":{…}}}`.
    public init(json text: String) throws(HashProblem) {
        guard text.utf8.count <= HashDetector.maximumJSONLength else { throw .tooLong(HashDetector.maximumJSONLength) }
        try self.init(members: try HashJSON.parseObject(text))
    }

    /// The hash the object describes, or the problem naming the field that is missing or wrong.
    public func detect() -> Result<PasswordHash, HashProblem> {
        let what = "\(Self.name) \(kind.rawValue)"
        switch kind {
        case .bcrypt:
            return string(.hash, what).flatMap { inner($0, what, expecting: .bcrypt) }
        case .django:
            return string(.hash, what).flatMap { text in
                HashDetector.detect(text).flatMap { h in
                    h.spelling == "django" ? .success(h)
                        : .failure(.malformed(what, "the hash is not a Django hash string (pbkdf2_sha256$…, argon2$…, bcrypt$…)"))
                }
            }
        case .argon2:
            return argon2(what)
        case .pbkdf2:
            return pbkdf2(what)
        case .firebase:
            return firebase(what)
        case .phpass:
            return phpass(what)
        case .md5, .sha:
            return hexDigest(what)
        }
    }

    private func string(_ field: Field, _ what: String) -> Result<String, HashProblem> {
        guard let v = fields[field] else { return .failure(.missingField(what, field.rawValue)) }
        return .success(v)
    }

    /// Standard base64 (the schema writes it padded; unpadded is read too).
    private func bytes(_ field: Field, _ what: String) -> Result<[UInt8], HashProblem> {
        string(field, what).flatMap { HashEncoding.decodeBase64($0, alphabet: .standard, padding: .optional).or(what, field.rawValue) }
    }

    private func number(_ field: Field, _ what: String, _ range: ClosedRange<UInt64>) -> Result<UInt64, HashProblem> {
        string(field, what).flatMap { HashProblem.number($0, what, field.rawValue, range) }
    }

    /// A full hash string in the `hash` field that must be of `family`.
    private func inner(_ text: String, _ what: String, expecting family: HashFamily) -> Result<PasswordHash, HashProblem> {
        HashDetector.detect(text).flatMap { h in
            h.family == family ? .success(h) : .failure(.malformed(what, "the hash is not a \(family.rawValue) string"))
        }
    }

    private func argon2(_ what: String) -> Result<PasswordHash, HashProblem> {
        let t: UInt64, m: UInt64, p: UInt64, tag: [UInt8], salt: [UInt8]
        switch bytes(.hash, what) { case .success(let v): tag = v; case .failure(let e): return .failure(e) }
        switch bytes(.salt, what) { case .success(let v): salt = v; case .failure(let e): return .failure(e) }
        switch number(.iterations, what, Argon2Hash.timeRange) { case .success(let v): t = v; case .failure(let e): return .failure(e) }
        switch number(.memory, what, Argon2Hash.memoryRange) { case .success(let v): m = v; case .failure(let e): return .failure(e) }
        switch number(.threads, what, Argon2Hash.lanesRange) { case .success(let v): p = v; case .failure(let e): return .failure(e) }
        // No variant field: Descope hashes with argon2id, version 19.
        return Argon2Hash.build(variant: "argon2id", version: 19, m: m, t: t, p: p, salt: salt, tag: tag, extras: [],
                                spelling: "descope-object")
    }

    private func pbkdf2(_ what: String) -> Result<PasswordHash, HashProblem> {
        let digest: String, i: UInt64, key: [UInt8], salt: [UInt8]
        switch string(.type, what) {
        case .success(let t):
            guard let d = PBKDF2Hash.digestName(t) else { return .failure(PBKDF2Hash.unknownDigest) }
            digest = d
        case .failure(let e): return .failure(e)
        }
        switch bytes(.hash, what) { case .success(let v): key = v; case .failure(let e): return .failure(e) }
        switch bytes(.salt, what) { case .success(let v): salt = v; case .failure(let e): return .failure(e) }
        switch number(.iterations, what, PBKDF2Hash.iterationRange) { case .success(let v): i = v; case .failure(let e): return .failure(e) }
        return PBKDF2Hash.build(digest: digest, iterations: i, salt: salt, key: key, spelling: "descope-object")
    }

    private func firebase(_ what: String) -> Result<PasswordHash, HashProblem> {
        var parts: [[UInt8]] = []
        for field in [Field.hash, .salt, .signerKey] {
            switch bytes(field, what) { case .success(let v): parts.append(v); case .failure(let e): return .failure(e) }
        }
        var separator: [UInt8] = []
        if fields[.saltSeparator] != nil {
            switch bytes(.saltSeparator, what) { case .success(let v): separator = v; case .failure(let e): return .failure(e) }
        }
        let r: UInt64, m: UInt64
        switch number(.rounds, what, FirebaseScryptHash.roundsRange) { case .success(let v): r = v; case .failure(let e): return .failure(e) }
        switch number(.memory, what, FirebaseScryptHash.memCostRange) { case .success(let v): m = v; case .failure(let e): return .failure(e) }
        return FirebaseScryptHash.build(hash: parts[0], salt: parts[1], signerKey: parts[2], saltSeparator: separator,
                                        rounds: r, memCost: m, spelling: "descope-object")
    }

    /// phpass (WordPress/phpBB): never importable, read so the row says why.
    private func phpass(_ what: String) -> Result<PasswordHash, HashProblem> {
        let hash: String
        switch string(.hash, what) { case .success(let v): hash = v; case .failure(let e): return .failure(e) }
        if hash.hasPrefix("$P$") || hash.hasPrefix("$H$") { return inner(hash, what, expecting: .phpass) }
        guard fields[.salt] != nil else { return .failure(.missingField(what, "salt")) }
        let variant: String
        switch string(.type, what) {
        case .success(let t):
            var t = t
            switch t.withUTF8({ FoldedKey(UnsafeRawBufferPointer($0)) }) {
            case let k? where k.is("md5"): variant = "P"
            case let k? where k.is("sha512"): variant = "sha512"
            default: return .failure(.unknownType("of the phpass object (expected md5 or sha512)"))
            }
        case .failure(let e): return .failure(e)
        }
        for field in [Field.hash, .salt] where !(fields[field] ?? "").utf8.allSatisfy({ LegacyHashes.itoa64[Int($0)] != 0xFF }) {
            return .failure(.badEncoding(what, field: field.rawValue, .badCharacter))
        }
        let rounds: UInt64
        switch number(.iterations, what, 1...UInt64(UInt32.max)) { case .success(let v): rounds = v; case .failure(let e): return .failure(e) }
        return .success(PasswordHash(family: .phpass, variant: variant, params: [.init("rounds", rounds)],
                                     salt: Array((fields[.salt] ?? "").utf8), spelling: "descope-object"))
    }

    /// md5 {hash} and sha {hash, type, salt?}: hex digests, never importable (the salt's position is not recorded).
    private func hexDigest(_ what: String) -> Result<PasswordHash, HashProblem> {
        let digest: [UInt8]
        switch string(.hash, what).flatMap({ HashEncoding.decodeHex($0).or(what, "hash", hex: true) }) {
        case .success(let v): digest = v
        case .failure(let e): return .failure(e)
        }
        if kind == .md5 {
            guard digest.count == 16 else { return .failure(.badLength(what, "an MD5 digest is 16 bytes (32 hex digits)")) }
            return .success(PasswordHash(family: .md5, digest: digest, spelling: "descope-object"))
        }
        let variant: String
        switch string(.type, what) {
        case .success(let t):
            guard let d = PBKDF2Hash.digestName(t) else { return .failure(.unknownType("of the sha object (expected sha1, sha256 or sha512)")) }
            variant = d
        case .failure(let e): return .failure(e)
        }
        let expected = ["sha1": 20, "sha256": 32, "sha512": 64][variant] ?? 0
        guard digest.count == expected else {
            return .failure(.badLength(what, "a \(variant.uppercased()) digest is \(expected) bytes (\(2 * expected) hex digits)"))
        }
        var salt: [UInt8] = []
        if let s = fields[.salt] {
            switch HashEncoding.decodeHex(s).or(what, "salt", hex: true) { case .success(let v): salt = v; case .failure(let e): return .failure(e) }
        }
        return .success(PasswordHash(family: .sha, variant: variant, salt: salt, digest: digest,
                                     spelling: salt.isEmpty ? "descope-object" : "descope-object-salted"))
    }
}

/// A key folded the way Descope's names are matched — ASCII lower-cased, `_`, `-` and spaces dropped
/// (`hashed_Password` → `hashedpassword`) — in two words, so a key is matched without making a String. Keys whose
/// folding is longer than 16 bytes or holds a non-ASCII byte have none: no Descope name is like that.
struct FoldedKey {
    private var low: UInt64 = 0, high: UInt64 = 0
    private(set) var count = 0

    init?(_ b: UnsafeRawBufferPointer) {
        if b.count <= 16 {
            // Most keys (`hash`, `hashedPassword`) have no separator: both words at once, lower-cased in place.
            var words: (UInt64, UInt64) = (0, 0)
            withUnsafeMutableBytes(of: &words) { $0.copyMemory(from: b) }
            let (w0, w1) = (UInt64(littleEndian: words.0), UInt64(littleEndian: words.1))
            guard (w0 | w1) & 0x8080_8080_8080_8080 == 0 else { return nil }
            if !Self.hasSeparator(w0), !Self.hasSeparator(w1) {
                low = Self.lowercased(w0); high = Self.lowercased(w1); count = b.count
                return
            }
        }
        for c in b where c != UInt8(ascii: "_") && c != UInt8(ascii: "-") && c != 0x20 {
            guard count < 16, c < 0x80 else { return nil }
            let lower = UInt64(c &- 65 < 26 ? c | 0x20 : c)
            if count < 8 { low |= lower << UInt64(8 * count) } else { high |= lower << UInt64(8 * (count - 8)) }
            count += 1
        }
    }

    /// A byte of the (ASCII) word is `_`, `-` or a space (zero bytes past the key are none of them).
    private static func hasSeparator(_ w: UInt64) -> Bool {
        func hasZero(_ x: UInt64) -> Bool { (x &- 0x0101_0101_0101_0101) & ~x & 0x8080_8080_8080_8080 != 0 }
        return hasZero(w ^ 0x5F5F_5F5F_5F5F_5F5F) || hasZero(w ^ 0x2D2D_2D2D_2D2D_2D2D) || hasZero(w ^ 0x2020_2020_2020_2020)
    }

    /// `A`–`Z` → `a`–`z` in each byte of an ASCII word (no byte can carry into the next).
    private static func lowercased(_ w: UInt64) -> UInt64 {
        let atLeastA = (w &+ 0x3F3F_3F3F_3F3F_3F3F) & 0x8080_8080_8080_8080
        let aboveZ = (w &+ 0x2525_2525_2525_2525) & 0x8080_8080_8080_8080
        return w | (atLeastA & ~aboveZ) >> 2
    }

    /// True when the folded key is `name` (lower-case ASCII, at most 16 bytes; inlined, the name's words are constants).
    @inline(__always) func `is`(_ name: StaticString) -> Bool {
        guard name.utf8CodeUnitCount == count else { return false }
        var l: UInt64 = 0, h: UInt64 = 0
        for i in 0..<count {
            let c = UInt64(name.utf8Start[i])
            if i < 8 { l |= c << UInt64(8 * i) } else { h |= c << UInt64(8 * (i - 8)) }
        }
        return l == low && h == high
    }
}
