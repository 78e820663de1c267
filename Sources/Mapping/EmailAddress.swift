#if arch(x86_64) && canImport(_Builtin_intrinsics)
import _Builtin_intrinsics.intel
#endif
import PasswordHashes

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
    /// Eight bytes a step (ASCII letters lower-cased in the word), each word folded in with a multiply, then
    /// a murmur3 finalizer so every bit depends on every byte.
    @inline(__always)
    public static func fingerprint(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        let n = bytes.count
        var (h, i) = foldWholeWords(bytes)
        if i < n {
            // The last 1–7 bytes: the word ending at `n`, shifted down (no byte outside `bytes` is read).
            var w: UInt64 = 0
            if n >= 8 {
                w = bytes.loadUnaligned(fromByteOffset: n - 8, as: UInt64.self) >> UInt64(8 * (8 - (n - i)))
            } else {
                for k in 0..<(n - i) { w |= UInt64(bytes[i + k]) << UInt64(8 * k) }
            }
            h = fold(h, lowercased(w))
        }
        return finish(h)
    }

    /// The fingerprint's state after every whole word of `bytes`, and where the 1–7 bytes left start (each
    /// caller reads those its own way).
    @inline(__always) static func foldWholeWords(_ bytes: UnsafeRawBufferPointer) -> (UInt64, Int) {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325 ^ UInt64(truncatingIfNeeded: bytes.count)
        var i = 0
        while i &+ 8 <= bytes.count {
            h = fold(h, lowercased(bytes.loadUnaligned(fromByteOffset: i, as: UInt64.self)))
            i &+= 8
        }
        return (h, i)
    }

    @inline(__always) static func finish(_ h: UInt64) -> UInt64 {
        var h = h
        h ^= h >> 33; h = h &* 0xff51_afd7_ed55_8ccd
        h ^= h >> 33; h = h &* 0xc4ce_b9fe_1a85_ec53
        h ^= h >> 33
        return h
    }

    @inline(__always) static func fold(_ h: UInt64, _ w: UInt64) -> UInt64 {
        let x = (h ^ w) &* 0x9e37_79b9_7f4a_7c15
        return x ^ (x >> 29)
    }

    /// The eight bytes of `w` with ASCII `A`–`Z` lower-cased (other bytes, non-ASCII included, unchanged).
    @inline(__always) static func lowercased(_ w: UInt64) -> UInt64 {
        let low7 = w & 0x7F7F_7F7F_7F7F_7F7F
        let atLeastA = low7 &+ 0x3F3F_3F3F_3F3F_3F3F   // high bit set where the byte's low 7 bits >= 0x41
        let pastZ = low7 &+ 0x2525_2525_2525_2525      // high bit set where they are >= 0x5B
        let upper = atLeastA & ~pastZ & ~w & 0x8080_8080_8080_8080
        return w | (upper >> 2)
    }

    /// The fingerprint of a usable address, nil when `check` would find a fault: one pass over the bytes for
    /// `inspect`'s fast path (the general path asks `check` for the reason).
    @inline(__always)
    public static func fingerprintIfValid(_ bytes: UnsafeRawBufferPointer) -> UInt64? {
        let n = bytes.count
        guard n > 0, n <= 320 else { return nil }
        #if arch(x86_64) && canImport(_Builtin_intrinsics)
        if n <= 64, let valid = vectorCheck(bytes) { return valid ? fingerprint(bytes) : nil }
        #endif
        // Branch-free per byte: a jump per byte class costs more than the rest of the row.
        var bad: UInt64 = 0, ats = 0, at = 0, lastDot = -1, previousDot: UInt64 = 0, doubleDot: UInt64 = 0
        for i in 0..<n {
            let b = bytes[i]
            let word = b < 64 ? badBelow64 : badFrom64
            bad |= b < 128 ? (word >> UInt64(b & 63)) & 1 : 0
            let isAt = b == UInt8(ascii: "@"), isDot: UInt64 = b == UInt8(ascii: ".") ? 1 : 0
            ats &+= isAt ? 1 : 0
            at = isAt ? i : at
            lastDot = isDot != 0 ? i : lastDot
            doubleDot |= previousDot & isDot
            previousDot = isDot
        }
        let dot = UInt8(ascii: ".")
        guard bad == 0, doubleDot == 0, ats == 1, at > 0, at <= 64, at + 1 < n,
              bytes[0] != dot, bytes[at - 1] != dot, bytes[at + 1] != dot, bytes[at + 1] != UInt8(ascii: "-"),
              bytes[n - 1] != dot, lastDot > at else { return nil }
        return fingerprint(bytes)
    }

    #if arch(x86_64) && canImport(_Builtin_intrinsics)
    /// `check` on an address of at most 64 bytes as three bit masks (bad bytes, `@`, `.`), 16 bytes a step;
    /// nil when the address is too short to load without reading outside it.
    @inline(__always)
    static func vectorCheck(_ bytes: UnsafeRawBufferPointer) -> Bool? {
        let n = bytes.count
        var bad: UInt64 = 0, ats: UInt64 = 0, dots: UInt64 = 0
        var offset = 0
        while offset < n {
            guard let v = ByteVector.load(bytes, offset, Swift.min(16, n - offset)) else { return nil }
            let m = classes(v)
            let shift = UInt64(offset)
            bad |= UInt64(m.refused) &<< shift; ats |= UInt64(m.at) &<< shift; dots |= UInt64(m.dot) &<< shift
            offset += 16
        }
        return rulesHold(bytes, refused: bad, ats: ats, dots: dots)
    }

    /// Lanes of `v` that `check` refuses (0x00–0x20, DEL, `"(),:;<>[\]`; zero lanes count), `@` and `.`.
    @inline(__always)
    static func classes(_ v: __m128i) -> (refused: UInt16, at: UInt16, dot: UInt16) {
        var refused = _mm_cmpeq_epi8(_mm_min_epu8(v, _mm_set1_epi8(0x20)), v)
        refused = _mm_or_si128(refused, ByteVector.equal(v, 0x7F))
        refused = _mm_or_si128(refused, _mm_or_si128(ByteVector.equal(v, 0x22), ByteVector.equal(v, 0x2C)))
        refused = _mm_or_si128(refused, _mm_or_si128(ByteVector.equal(v, 0x3E), ByteVector.inRange(v, 0x28, 0x29)))
        refused = _mm_or_si128(refused, _mm_or_si128(ByteVector.inRange(v, 0x3A, 0x3C), ByteVector.inRange(v, 0x5B, 0x5D)))
        return (UInt16(truncatingIfNeeded: _mm_movemask_epi8(refused)),
                UInt16(truncatingIfNeeded: _mm_movemask_epi8(ByteVector.equal(v, 0x40))),
                UInt16(truncatingIfNeeded: _mm_movemask_epi8(ByteVector.equal(v, 0x2E))))
    }

    /// `check`'s rules on the masks of an address of at most 64 bytes (bits past its end may be set in
    /// `refused` only; they are ignored).
    @inline(__always)
    static func rulesHold(_ bytes: UnsafeRawBufferPointer, refused: UInt64, ats: UInt64, dots: UInt64) -> Bool {
        let n = bytes.count
        let inside: UInt64 = n >= 64 ? ~0 : (1 &<< UInt64(truncatingIfNeeded: n)) &- 1
        // Exactly one `@` (a popcount would be a library loop on baseline x86-64).
        guard refused & inside == 0, ats != 0, ats & (ats &- 1) == 0 else { return false }
        let at = ats.trailingZeroBitCount
        // Local part 1–64 bytes; domain present; no dot first, last, next to the `@` or twice in a row; no `-`
        // after the `@`; a dot somewhere in the domain (shifts below 64: n ≤ 64 here and at + 1 < n).
        return at > 0 && at <= 64 && at &+ 1 < n && dots & (dots &>> 1) == 0 && dots & 1 == 0
            && dots &>> UInt64(truncatingIfNeeded: n &- 1) & 1 == 0 && dots &>> UInt64(truncatingIfNeeded: at &- 1) & 0b101 == 0
            && bytes[at &+ 1] != UInt8(ascii: "-") && dots &>> UInt64(truncatingIfNeeded: at &+ 1) != 0
    }
    #endif

    /// The bytes `check` refuses, as bit maps: 0x00–0x20 and `"(),:;<>` below 64; `[\]` and DEL from 64.
    static let badBelow64: UInt64 = 0x1_FFFF_FFFF | 1 << 0x22 | 1 << 0x28 | 1 << 0x29 | 1 << 0x2C | 1 << 0x3A
        | 1 << 0x3B | 1 << 0x3C | 1 << 0x3E
    static let badFrom64: UInt64 = 1 << (0x5B - 64) | 1 << (0x5C - 64) | 1 << (0x5D - 64) | 1 << (0x7F - 64)

    public static func fingerprint(_ s: String) -> UInt64 {
        var s = s
        return s.withUTF8 { fingerprint(UnsafeRawBufferPointer($0)) }
    }
}
