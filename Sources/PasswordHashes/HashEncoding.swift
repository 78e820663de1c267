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
    static let standardTable = table(standardChars)
    static let urlSafeTable = table(urlSafeChars)
    static let passlibTable = table(passlibChars)
    static let bcryptTable = table(bcryptChars)

    var chars: [UInt8] {
        switch self {
        case .standard: return Self.standardChars
        case .urlSafe: return Self.urlSafeChars
        case .passlib: return Self.passlibChars
        case .bcrypt: return Self.bcryptChars
        }
    }
    var decodeTable: [UInt8] {
        switch self {
        case .standard: return Self.standardTable
        case .urlSafe: return Self.urlSafeTable
        case .passlib: return Self.passlibTable
        case .bcrypt: return Self.bcryptTable
        }
    }
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
        var out = [UInt8]()
        out.reserveCapacity(n * 3 / 4)
        var acc: UInt32 = 0
        var bits = 0
        var i = text.startIndex
        while i < end {
            let v = table[Int(text[i])]
            if v == 0xFF { return .failure(.badCharacter) }
            acc = (acc << 6) | UInt32(v)
            bits += 6
            if bits >= 8 {
                bits -= 8
                out.append(UInt8(truncatingIfNeeded: acc >> UInt32(bits)))
                acc &= (1 << UInt32(bits)) - 1
            }
            i += 1
        }
        if acc != 0 { return .failure(.nonzeroPaddingBits) }
        return .success(out)
    }

    static func decodeBase64(_ text: String, alphabet: Base64Alphabet, padding: Base64Padding) -> Result<[UInt8], DecodeFailure> {
        var t = text
        return t.withUTF8 { decodeBase64($0[...], alphabet: alphabet, padding: padding) }
    }

    /// Canonical base64 of `bytes` appended to `out`.
    static func encodeBase64(_ bytes: [UInt8], alphabet: Base64Alphabet, pad: Bool, into out: inout [UInt8]) {
        let chars = alphabet.chars
        var i = 0
        let n = bytes.count
        while i + 3 <= n {
            let v = UInt32(bytes[i]) << 16 | UInt32(bytes[i + 1]) << 8 | UInt32(bytes[i + 2])
            out.append(chars[Int(v >> 18)]); out.append(chars[Int((v >> 12) & 63)])
            out.append(chars[Int((v >> 6) & 63)]); out.append(chars[Int(v & 63)])
            i += 3
        }
        if n - i == 1 {
            let v = UInt32(bytes[i]) << 16
            out.append(chars[Int(v >> 18)]); out.append(chars[Int((v >> 12) & 63)])
            if pad { out.append(UInt8(ascii: "=")); out.append(UInt8(ascii: "=")) }
        } else if n - i == 2 {
            let v = UInt32(bytes[i]) << 16 | UInt32(bytes[i + 1]) << 8
            out.append(chars[Int(v >> 18)]); out.append(chars[Int((v >> 12) & 63)])
            out.append(chars[Int((v >> 6) & 63)])
            if pad { out.append(UInt8(ascii: "=")) }
        }
    }

    static func base64(_ bytes: [UInt8], alphabet: Base64Alphabet = .standard, pad: Bool = false) -> String {
        var out = [UInt8]()
        out.reserveCapacity((bytes.count + 2) / 3 * 4)
        encodeBase64(bytes, alphabet: alphabet, pad: pad, into: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// Strict hex: even length, `0-9a-fA-F` only.
    static func decodeHex(_ text: UnsafeBufferPointer<UInt8>.SubSequence) -> Result<[UInt8], DecodeFailure> {
        let n = text.count
        if n % 2 != 0 { return .failure(.badLength) }
        var out = [UInt8]()
        out.reserveCapacity(n / 2)
        var i = text.startIndex
        while i < text.endIndex {
            guard let hi = hexValue(text[i]), let lo = hexValue(text[i + 1]) else { return .failure(.badCharacter) }
            out.append(hi << 4 | lo)
            i += 2
        }
        return .success(out)
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
    /// Splits on `separator`; nil when there are more than `max` pieces (so a hostile line cannot make many).
    func split(on separator: UInt8, max: Int) -> [UnsafeBufferPointer<UInt8>.SubSequence]? {
        var parts = [UnsafeBufferPointer<UInt8>.SubSequence]()
        parts.reserveCapacity(max)
        var start = startIndex
        var i = startIndex
        while i < endIndex {
            if self[i] == separator {
                if parts.count + 1 >= max { return nil }
                parts.append(self[start..<i])
                start = i + 1
            }
            i += 1
        }
        parts.append(self[start..<endIndex])
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
