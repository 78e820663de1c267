/// The byte↔text encodings password hashes use: base64 in four alphabets (padded or not) and hex.
/// Decoding is strict (no stray characters, no nonzero padding bits, padding only where allowed);
/// encoding is canonical.
public enum Base64Alphabet: Sendable {
    /// RFC 4648 §4: `A–Z a–z 0–9 + /`.
    case standard
    /// RFC 4648 §5: `A–Z a–z 0–9 - _`.
    case urlSafe
    /// passlib's "adapted base64": the standard alphabet with `.` in place of `+`.
    case passlib
    /// bcrypt / crypt radix-64: `./A–Z a–z 0–9`, same bit order as base64.
    case bcrypt

    @usableFromInline static let standardChars = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
    @usableFromInline static let urlSafeChars = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)
    @usableFromInline static let passlibChars = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789./".utf8)
    @usableFromInline static let bcryptChars = Array("./ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789".utf8)

    static func table(_ chars: [UInt8]) -> [UInt8] {
        var t = [UInt8](repeating: 0xFF, count: 256)
        for (i, c) in chars.enumerated() { t[Int(c)] = UInt8(i) }
        return t
    }
    static let bcryptTable = table(bcryptChars)

    /// Decode tables (256 entries per alphabet) and encode tables (64 per alphabet), built once, never freed:
    /// the hot loops index raw memory instead of retaining arrays.
    nonisolated(unsafe) static let decodeTables: UnsafePointer<UInt8> = {
        let p = UnsafeMutablePointer<UInt8>.allocate(capacity: 4 * 256)
        for (k, chars) in [standardChars, urlSafeChars, passlibChars, bcryptChars].enumerated() {
            let t = table(chars)
            for i in 0..<256 { p[k * 256 + i] = t[i] }
        }
        return UnsafePointer(p)
    }()
    nonisolated(unsafe) static let encodeTables: UnsafePointer<UInt8> = {
        let p = UnsafeMutablePointer<UInt8>.allocate(capacity: 4 * 64)
        for (k, chars) in [standardChars, urlSafeChars, passlibChars, bcryptChars].enumerated() {
            for i in 0..<64 { p[k * 64 + i] = chars[i] }
        }
        return UnsafePointer(p)
    }()

    var index: Int {
        switch self {
        case .standard: return 0
        case .urlSafe: return 1
        case .passlib: return 2
        case .bcrypt: return 3
        }
    }
    var decodeTable: UnsafePointer<UInt8> { Self.decodeTables + index * 256 }
    var encodeTable: UnsafePointer<UInt8> { Self.encodeTables + index * 64 }
}

/// Whether `=` padding must, may or must not appear.
public enum Base64Padding: Sendable { case required, optional, forbidden }

/// Why a decode failed; the caller turns it into a `HashProblem` naming the field.
enum DecodeFailure: Error, Equatable {
    case badCharacter, badLength, badPadding, nonzeroPaddingBits
}

enum HashEncoding {
    /// Strict base64 decoding of `text` in `alphabet`.
    static func decodeBase64(_ text: UnsafeBufferPointer<UInt8>.SubSequence, alphabet: Base64Alphabet,
                             padding: Base64Padding) -> Result<[UInt8], DecodeFailure> {
        var end = text.endIndex
        var pads = 0
        while end > text.startIndex && text[end - 1] == UInt8(ascii: "=") && pads < 3 { end -= 1; pads += 1 }
        let n = end - text.startIndex
        if pads > 0 {
            if padding == .forbidden { return .failure(.badPadding) }
            if (n + pads) % 4 != 0 || pads > 2 { return .failure(.badPadding) }
        } else if padding == .required && n % 4 != 0 {
            return .failure(.badPadding)
        }
        let rem = n % 4
        if rem == 1 { return .failure(.badLength) }
        let table = alphabet.decodeTable
        // Decode into scratch space, then copy once: Array(buffer) is about twice as fast to create as
        // Array(unsafeUninitializedCapacity:), which goes through the unspecialised generic path.
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: max(n * 3 / 4, 1)) { buffer -> Result<[UInt8], DecodeFailure> in
            var acc: UInt32 = 0
            var bits: UInt32 = 0
            var o = 0
            var i = text.startIndex
            while i < end {
                let v = table[Int(text[i])]
                if v == 0xFF { return .failure(.badCharacter) }
                acc = (acc << 6) | UInt32(v)
                bits += 6
                if bits >= 8 {
                    bits -= 8
                    buffer[o] = UInt8(truncatingIfNeeded: acc >> bits)
                    o += 1
                    acc &= (1 << bits) - 1
                }
                i += 1
            }
            if acc != 0 { return .failure(.nonzeroPaddingBits) }
            return .success(Array(UnsafeBufferPointer(rebasing: buffer[0..<o])))
        }
    }

    static func decodeBase64(_ text: String, alphabet: Base64Alphabet, padding: Base64Padding) -> Result<[UInt8], DecodeFailure> {
        var t = text
        return t.withUTF8 { decodeBase64($0[...], alphabet: alphabet, padding: padding) }
    }

    /// Length of the canonical base64 of `n` bytes.
    @inline(__always) static func base64Length(_ n: Int, pad: Bool) -> Int { pad ? (n + 2) / 3 * 4 : (n * 4 + 2) / 3 }

    /// Canonical base64 of `bytes` written at `out`; returns the number of bytes written.
    static func writeBase64(_ bytes: [UInt8], alphabet: Base64Alphabet, pad: Bool, to out: UnsafeMutablePointer<UInt8>) -> Int {
        bytes.withUnsafeBufferPointer { writeBase64($0, alphabet: alphabet, pad: pad, to: out) }
    }

    static func writeBase64(_ b: UnsafeBufferPointer<UInt8>, alphabet: Base64Alphabet, pad: Bool, to out: UnsafeMutablePointer<UInt8>) -> Int {
        let chars = alphabet.encodeTable
        var o = 0
        do {
            var i = 0
            let n = b.count
            while i + 3 <= n {
                let v = UInt32(b[i]) << 16 | UInt32(b[i + 1]) << 8 | UInt32(b[i + 2])
                out[o] = chars[Int(v >> 18)]; out[o + 1] = chars[Int((v >> 12) & 63)]
                out[o + 2] = chars[Int((v >> 6) & 63)]; out[o + 3] = chars[Int(v & 63)]
                o += 4; i += 3
            }
            if n - i == 1 {
                let v = UInt32(b[i]) << 16
                out[o] = chars[Int(v >> 18)]; out[o + 1] = chars[Int((v >> 12) & 63)]; o += 2
                if pad { out[o] = UInt8(ascii: "="); out[o + 1] = UInt8(ascii: "="); o += 2 }
            } else if n - i == 2 {
                let v = UInt32(b[i]) << 16 | UInt32(b[i + 1]) << 8
                out[o] = chars[Int(v >> 18)]; out[o + 1] = chars[Int((v >> 12) & 63)]; out[o + 2] = chars[Int((v >> 6) & 63)]; o += 3
                if pad { out[o] = UInt8(ascii: "="); o += 1 }
            }
        }
        return o
    }

    /// Canonical base64 of `bytes` appended to `out`.
    static func encodeBase64(_ bytes: [UInt8], alphabet: Base64Alphabet, pad: Bool, into out: inout [UInt8]) {
        let n = base64Length(bytes.count, pad: pad)
        let start = out.count
        out.append(contentsOf: repeatElement(0, count: n))
        out.withUnsafeMutableBufferPointer { _ = writeBase64(bytes, alphabet: alphabet, pad: pad, to: $0.baseAddress! + start) }
    }

    static func base64(_ bytes: [UInt8], alphabet: Base64Alphabet = .standard, pad: Bool = false) -> String {
        ASCIIWriter.string(capacity: base64Length(bytes.count, pad: pad)) { $0.put(base64: bytes, alphabet: alphabet, pad: pad) }
    }

    /// Strict hex: even length, `0-9a-fA-F` only.
    static func decodeHex(_ text: UnsafeBufferPointer<UInt8>.SubSequence) -> Result<[UInt8], DecodeFailure> {
        let n = text.count
        if n % 2 != 0 { return .failure(.badLength) }
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: max(n / 2, 1)) { buffer -> Result<[UInt8], DecodeFailure> in
            var i = text.startIndex
            var o = 0
            while i < text.endIndex {
                guard let hi = hexValue(text[i]), let lo = hexValue(text[i + 1]) else { return .failure(.badCharacter) }
                buffer[o] = hi << 4 | lo
                o += 1
                i += 2
            }
            return .success(Array(UnsafeBufferPointer(rebasing: buffer[0..<o])))
        }
    }

    static func decodeHex(_ text: String) -> Result<[UInt8], DecodeFailure> {
        var t = text
        return t.withUTF8 { decodeHex($0[...]) }
    }

    static func hexValue(_ c: UInt8) -> UInt8? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return c &- UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return c &- UInt8(ascii: "a") &+ 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return c &- UInt8(ascii: "A") &+ 10
        default: return nil
        }
    }

    static func hex(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        out.reserveCapacity(bytes.count * 2)
        for b in bytes { out.append(digits[Int(b >> 4)]); out.append(digits[Int(b & 15)]) }
        return String(decoding: out, as: UTF8.self)
    }

    static func isHex(_ text: UnsafeBufferPointer<UInt8>.SubSequence) -> Bool {
        !text.isEmpty && text.allSatisfy { hexValue($0) != nil }
    }

    /// A decimal with no sign, no leading zero (except "0" itself) and no overflow, else nil.
    static func decimal(_ text: UnsafeBufferPointer<UInt8>.SubSequence) -> DecimalResult {
        if text.isEmpty { return .empty }
        if text.count > 1 && text.first == UInt8(ascii: "0") { return .leadingZero }
        var v: UInt64 = 0
        for c in text {
            guard c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9") else { return .notANumber }
            let (m, o1) = v.multipliedReportingOverflow(by: 10)
            let (a, o2) = m.addingReportingOverflow(UInt64(c - UInt8(ascii: "0")))
            if o1 || o2 { return .tooLarge }
            v = a
        }
        return .value(v)
    }

    enum DecimalResult: Equatable { case value(UInt64), empty, leadingZero, notANumber, tooLarge }
}

extension UnsafeBufferPointer<UInt8>.SubSequence {
    /// Splits on `separator` without allocating; nil when there are more than `max` (≤ 8) pieces,
    /// so a hostile line cannot make many.
    func split(on separator: UInt8, max: Int) -> FieldList? {
        var parts = FieldList(base: self)
        var start = startIndex
        var i = startIndex
        while i < endIndex {
            if self[i] == separator {
                if parts.count + 1 >= Swift.min(max, FieldList.capacity) { return nil }
                parts.append(start, i)
                start = i + 1
            }
            i += 1
        }
        parts.append(start, endIndex)
        return parts
    }

    func hasPrefix(_ s: StaticString) -> Bool {
        let n = s.utf8CodeUnitCount
        guard count >= n else { return false }
        let p = s.utf8Start
        for k in 0..<n where self[startIndex + k] != p[k] { return false }
        return true
    }

    func equals(_ s: StaticString) -> Bool { count == s.utf8CodeUnitCount && hasPrefix(s) }

    func dropPrefix(_ s: StaticString) -> Self { self[(startIndex + s.utf8CodeUnitCount)...] }

    var string: String { String(decoding: self, as: UTF8.self) }
}

/// Writes ASCII straight into a new String's storage: one allocation per rendered hash.
struct ASCIIWriter {
    let base: UnsafeMutablePointer<UInt8>
    var count = 0

    /// A String of at most `capacity` ASCII bytes written by `body`.
    static func string(capacity: Int, _ body: (inout ASCIIWriter) -> Void) -> String {
        String(unsafeUninitializedCapacity: max(capacity, 1)) { buffer in
            var w = ASCIIWriter(base: buffer.baseAddress!)
            body(&w)
            return w.count
        }
    }

    /// Room a decimal UInt64 can take.
    static let decimalCapacity = 20

    mutating func put(_ s: StaticString) {
        let p = s.utf8Start
        for k in 0..<s.utf8CodeUnitCount { base[count + k] = p[k] }
        count += s.utf8CodeUnitCount
    }

    mutating func put(_ s: String) {
        for c in s.utf8 { base[count] = c; count += 1 }
    }

    mutating func put(byte c: UInt8) { base[count] = c; count += 1 }

    mutating func put(decimal v: UInt64) {
        var digits = 1
        var x = v
        while x >= 10 { x /= 10; digits += 1 }
        x = v
        for k in stride(from: digits - 1, through: 0, by: -1) { base[count + k] = UInt8(48 + x % 10); x /= 10 }
        count += digits
    }

    mutating func put(base64 bytes: [UInt8], alphabet: Base64Alphabet = .standard, pad: Bool = false) {
        count += HashEncoding.writeBase64(bytes, alphabet: alphabet, pad: pad, to: base + count)
    }
}

/// Walks the `separator`-delimited fields of a byte slice without allocating (same fields as a split).
struct FieldCursor {
    let bytes: Bytes
    let separator: UInt8
    var position: Int

    init(_ bytes: Bytes, separator: UInt8) { self.bytes = bytes; self.separator = separator; position = bytes.startIndex }

    var isAtEnd: Bool { position > bytes.endIndex }

    mutating func next() -> Bytes? {
        guard position <= bytes.endIndex else { return nil }
        var i = position
        while i < bytes.endIndex && bytes[i] != separator { i += 1 }
        defer { position = i + 1 }
        return bytes[position..<i]
    }
}

/// Up to eight fields of one byte slice, kept as bounds on the stack.
struct FieldList: RandomAccessCollection {
    static let capacity = 8
    let base: Bytes
    private var bounds: (Int, Int, Int, Int, Int, Int, Int, Int, Int, Int, Int, Int, Int, Int, Int, Int) =
        (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
    private(set) var count = 0

    init(base: Bytes) { self.base = base }

    var startIndex: Int { 0 }
    var endIndex: Int { count }

    subscript(i: Int) -> Bytes {
        withUnsafeBytes(of: bounds) { raw in
            let b = raw.bindMemory(to: Int.self)
            return base[b[2 * i]..<b[2 * i + 1]]
        }
    }

    mutating func append(_ start: Int, _ end: Int) {
        let k = count
        withUnsafeMutableBytes(of: &bounds) { raw in
            let b = raw.bindMemory(to: Int.self)
            b[2 * k] = start; b[2 * k + 1] = end
        }
        count += 1
    }
}
