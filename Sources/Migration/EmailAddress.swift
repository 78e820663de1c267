/// The email check WorkOS needs before a create: one `@`, a plausible local part and domain, no spaces or
/// control characters. Deliberately simple (no quoted local parts); runs on bytes so `inspect` can use it per row.
public enum EmailAddress {
    public enum Invalidity: String, Sendable {
        case empty = "it is empty"
        case tooLong = "it is longer than 320 bytes"
        case noAt = "it has no @"
        case manyAt = "it has more than one @"
        case emptyLocal = "nothing before the @"
        case localTooLong = "more than 64 bytes before the @"
        case badDomain = "the domain after the @ is not a dotted name"
        case badCharacter = "it contains a space, a control character or one of \"(),:;<>[\\]"
        case badDots = "a dot at the start, at the end or twice in a row"
    }

    public static func isValid(_ s: String) -> Bool { whyInvalidOrNil(s) == nil }

    public static func whyInvalid(_ s: String) -> String { whyInvalidOrNil(s)?.rawValue ?? "valid" }

    static func whyInvalidOrNil(_ s: String) -> Invalidity? {
        var s = s
        return s.withUTF8 { check(UnsafeRawBufferPointer($0)) }
    }

    /// nil when the bytes are a usable address.
    public static func check(_ bytes: UnsafeRawBufferPointer) -> Invalidity? {
        let n = bytes.count
        if n == 0 { return .empty }
        if n > 320 { return .tooLong }
        var at = -1
        for i in 0..<n {
            let b = bytes[i]
            if b == UInt8(ascii: "@") {
                if at >= 0 { return .manyAt }
                at = i
                continue
            }
            if b <= 0x20 || b == 0x7F { return .badCharacter }
            switch b {
            case UInt8(ascii: "\""), UInt8(ascii: "("), UInt8(ascii: ")"), UInt8(ascii: ","), UInt8(ascii: ":"),
                 UInt8(ascii: ";"), UInt8(ascii: "<"), UInt8(ascii: ">"), UInt8(ascii: "["), UInt8(ascii: "\\"),
                 UInt8(ascii: "]"):
                return .badCharacter
            default: break
            }
        }
        if at < 0 { return .noAt }
        if at == 0 { return .emptyLocal }
        if at > 64 { return .localTooLong }
        let dot = UInt8(ascii: ".")
        if bytes[0] == dot || bytes[at - 1] == dot { return .badDots }
        let domainStart = at + 1
        guard domainStart < n, bytes[domainStart] != dot, bytes[n - 1] != dot, bytes[domainStart] != UInt8(ascii: "-") else {
            return domainStart < n ? .badDots : .badDomain
        }
        var sawDot = false
        var previous: UInt8 = 0
        for i in 0..<n {
            let b = bytes[i]
            if b == dot && previous == dot { return .badDots }
            if i > at && b == dot { sawDot = true }
            previous = b
        }
        return sawDot ? nil : .badDomain
    }

    /// 64-bit fingerprint of the address lower-cased (ASCII), for duplicate detection without keeping emails.
    /// FNV-1a over the bytes, then a murmur3 finalizer so every bit depends on every byte.
    @inline(__always)
    public static func fingerprint(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in bytes {
            let lower = (b >= 0x41 && b <= 0x5A) ? b | 0x20 : b
            h = (h ^ UInt64(lower)) &* 0x0000_0100_0000_01B3
        }
        h ^= h >> 33; h = h &* 0xff51_afd7_ed55_8ccd
        h ^= h >> 33; h = h &* 0xc4ce_b9fe_1a85_ec53
        h ^= h >> 33
        return h
    }

    public static func fingerprint(_ s: String) -> UInt64 {
        var s = s
        return s.withUTF8 { fingerprint(UnsafeRawBufferPointer($0)) }
    }
}
