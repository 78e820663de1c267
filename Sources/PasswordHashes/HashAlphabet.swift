#if arch(x86_64) && canImport(_Builtin_intrinsics)
import _Builtin_intrinsics.intel
#endif

/// The character sets of hash fields, checked 16 bytes at a time: the shape cache validates every salt and digest
/// of every row, so this loop is most of the per-row cost of a hash. (PasswordHashes' one SIMD place.)
enum HashAlphabet {
    /// `./0-9A-Za-z`: bcrypt's radix-64 and passlib's adapted base64 (same set, different order).
    case radix64
    /// `+/0-9A-Za-z`: standard base64 without padding.
    case base64
    /// `0-9A-Za-z`: Django's salts.
    case alphanumeric
    /// `-_0-9A-Za-z`: URL-safe base64 without padding.
    case urlSafe
    /// `0-9A-Fa-f`: hex digits.
    case hex
    /// `-_`: what URL-safe base64 has and standard base64 has not (a split field's class is guessed from them).
    case urlMarks

    /// True when every byte of `b[r]` is in the set. `table` (value or 0x80+ for "not in the set") serves
    /// short ranges; without one a byte test is used.
    @inline(__always)
    func contains(_ b: UnsafeRawBufferPointer, _ r: Range<Int>, table: UnsafePointer<UInt8>?) -> Bool {
        #if arch(x86_64) && canImport(_Builtin_intrinsics)
        if r.count < 16, !r.isEmpty, let v = ByteVector.load(b, r.lowerBound, r.count) {
            // A short range in the low lanes, zeros above (never in a set): only its own lanes count.
            let lanes = Int32(1 << r.count - 1)
            return Self.mask(v, self) & lanes == lanes
        }
        if r.count >= 16 {
            // Whole 16-byte blocks, the last one overlapping its predecessor: no byte outside `r` is read.
            let base = b.baseAddress!
            var k = r.lowerBound
            while true {
                let start = Swift.min(k, r.upperBound - 16)
                guard Self.mask(unsafeBitCast(base.loadUnaligned(fromByteOffset: start, as: SIMD16<UInt8>.self), to: __m128i.self),
                                self) == 0xFFFF else { return false }
                if start == r.upperBound - 16 { return true }
                k += 16
            }
        }
        #endif
        if let table {
            var bad: UInt8 = 0
            for i in r { bad |= table[Int(b[i])] }
            return bad & 0x80 == 0
        }
        for i in r where !contains(b[i]) { return false }
        return true
    }

    /// Over `b`, in one pass: whether every byte is a hex digit, and whether any is a URL mark (how a split field's
    /// class is guessed, on every row).
    static func hexAndURLMarks(_ b: UnsafeRawBufferPointer) -> (allHex: Bool, anyURLMark: Bool) {
        #if arch(x86_64) && canImport(_Builtin_intrinsics)
        var allHex = true, anyMark = false, k = 0
        while b.count >= 8, k < b.count {
            let n = Swift.min(16, b.count - k)
            guard let v = ByteVector.load(b, k, n) else { break }
            let lanes: Int32 = n == 16 ? 0xFFFF : Int32(1 << n - 1)
            if mask(v, .hex) & lanes != lanes { allHex = false }
            if mask(v, .urlMarks) != 0 { anyMark = true }
            k += 16
            if k >= b.count { return (allHex, anyMark) }
        }
        #endif
        return (b.allSatisfy { hex.contains($0) }, b.contains { urlMarks.contains($0) })
    }

    /// One byte against the set (the reference the vector test is checked against).
    func contains(_ c: UInt8) -> Bool {
        let letterOrDigit = (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A)
        switch self {
        case .radix64: return letterOrDigit || c == 0x2E || c == 0x2F
        case .base64: return letterOrDigit || c == 0x2B || c == 0x2F
        case .alphanumeric: return letterOrDigit
        case .urlSafe: return letterOrDigit || c == 0x2D || c == 0x5F
        case .hex: return HashEncoding.hexValue(c) != nil
        case .urlMarks: return c == 0x2D || c == 0x5F
        }
    }

    #if arch(x86_64) && canImport(_Builtin_intrinsics)
    /// Bit i set when byte i of `v` is in the set.
    @inline(__always)
    static func mask(_ v: __m128i, _ alphabet: HashAlphabet) -> Int32 {
        switch alphabet {
        case .hex:
            let letters = _mm_or_si128(ByteVector.inRange(v, 0x41, 0x46), ByteVector.inRange(v, 0x61, 0x66))
            return _mm_movemask_epi8(_mm_or_si128(letters, ByteVector.inRange(v, 0x30, 0x39)))
        case .urlMarks:
            return _mm_movemask_epi8(_mm_or_si128(ByteVector.equal(v, 0x2D), ByteVector.equal(v, 0x5F)))
        default: break
        }
        var ok = _mm_or_si128(ByteVector.inRange(v, 0x41, 0x5A), ByteVector.inRange(v, 0x61, 0x7A))
        switch alphabet {
        case .hex, .urlMarks: break
        case .radix64: ok = _mm_or_si128(ok, ByteVector.inRange(v, 0x2E, 0x39))
        case .base64:
            ok = _mm_or_si128(ok, ByteVector.inRange(v, 0x2F, 0x39))
            ok = _mm_or_si128(ok, ByteVector.equal(v, 0x2B))
        case .alphanumeric: ok = _mm_or_si128(ok, ByteVector.inRange(v, 0x30, 0x39))
        case .urlSafe:
            ok = _mm_or_si128(ok, ByteVector.inRange(v, 0x30, 0x39))
            ok = _mm_or_si128(ok, _mm_or_si128(ByteVector.equal(v, 0x2D), ByteVector.equal(v, 0x5F)))
        }
        return _mm_movemask_epi8(ok)
    }

    #endif
}

extension HashAlphabet {
    /// Unpadded base64 whose last character has zero spare bits (the detectors' strict, canonical rule).
    @inline(__always)
    static func canonicalBase64(_ b: UnsafeRawBufferPointer, _ r: Range<Int>, _ table: UnsafePointer<UInt8>,
                                _ alphabet: HashAlphabet) -> Bool {
        let partial = r.count & 3   // characters past the last whole group of 4 (a count is never negative)
        guard !r.isEmpty, partial != 1, alphabet.contains(b, r, table: table) else { return false }
        let last = table[Int(b[r.upperBound &- 1])]
        switch partial {
        case 2: return last & 0x0F == 0
        case 3: return last & 0x03 == 0
        default: return true
        }
    }

    /// Standard base64 with `=` padding to a multiple of 4, canonical spare bits.
    @inline(__always)
    static func paddedBase64(_ b: UnsafeRawBufferPointer, _ r: Range<Int>, _ table: UnsafePointer<UInt8>) -> Bool {
        guard r.count >= 4, r.count % 4 == 0 else { return false }
        var end = r.upperBound
        var pad = 0
        while pad < 2, b[end - 1] == UInt8(ascii: "=") { end -= 1; pad += 1 }
        guard end > r.lowerBound, base64.contains(b, r.lowerBound..<end, table: table) else { return false }
        let last = table[Int(b[end - 1])]
        switch pad {
        case 1: return last & 0x03 == 0
        case 2: return last & 0x0F == 0
        default: return true
        }
    }
}
