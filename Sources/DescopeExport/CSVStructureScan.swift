#if arch(x86_64) && canImport(_Builtin_intrinsics)
import _Builtin_intrinsics.intel
#endif

/// Finds the CSV reader's structural bytes (`,` `"` `\n`) 64 at a time: one bit mask per 64-byte chunk,
/// then each field boundary is a count of trailing zeros. The mask of the current chunk is kept, so the
/// seven fields of a typical row cost one or two mask computations instead of a scan each.
///
/// Needs 64 readable bytes past `limit` (`ByteBlocks.padding`), zero there, so no bit is set past the data.
struct CSVStructureScan {
    let base: UnsafeRawPointer
    let limit: Int
    /// Offset of the chunk `bits` describes; `bits` has bit i set for a structural byte at `chunk + i`.
    private var chunk: Int
    private var bits: UInt64

    init(base: UnsafeRawPointer, limit: Int) {
        self.base = base
        self.limit = limit
        self.chunk = Int.min / 2
        self.bits = 0
    }

    /// Offset of the first `,` `"` or `\n` at or after `from`; `limit` when there is none before it.
    @inline(__always)
    mutating func next(from: Int) -> Int {
        if from >= limit { return limit }
        var m: UInt64
        let delta = from &- chunk
        if delta >= 0 && delta < 64 {
            m = bits & (~0 << UInt64(delta))
        } else {
            chunk = from
            bits = Self.mask(base + from)
            m = bits
        }
        while m == 0 {
            chunk &+= 64
            if chunk >= limit { return limit }
            bits = Self.mask(base + chunk)
            m = bits
        }
        let i = chunk &+ m.trailingZeroBitCount
        return i < limit ? i : limit
    }

    /// Bit i set when byte i of the 64 at `p` is `,` `"` or `\n`.
    @inline(__always)
    static func mask(_ p: UnsafeRawPointer) -> UInt64 {
        #if arch(x86_64) && canImport(_Builtin_intrinsics)
        let comma = _mm_set1_epi8(0x2C), quote = _mm_set1_epi8(0x22), newline = _mm_set1_epi8(0x0A)
        var result: UInt64 = 0
        for k in 0..<4 {
            let v = unsafeBitCast(p.loadUnaligned(fromByteOffset: 16 * k, as: SIMD16<UInt8>.self), to: __m128i.self)
            let hits = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, comma), _mm_cmpeq_epi8(v, quote)),
                                    _mm_cmpeq_epi8(v, newline))
            result |= UInt64(UInt16(truncatingIfNeeded: _mm_movemask_epi8(hits))) << UInt64(16 * k)
        }
        return result
        #else
        return swarMask(p)
        #endif
    }

    /// The same mask 8 bytes a step with integer arithmetic (platforms without SSE2; tested against `mask`).
    @inline(__always)
    static func swarMask(_ p: UnsafeRawPointer) -> UInt64 {
        var result: UInt64 = 0
        for k in 0..<8 {
            let w = UInt64(littleEndian: p.loadUnaligned(fromByteOffset: 8 * k, as: UInt64.self))
            let hits = ByteScan.zeroBytes(w ^ ByteScan.broadcast(0x2C)) | ByteScan.zeroBytes(w ^ ByteScan.broadcast(0x22))
                | ByteScan.zeroBytes(w ^ ByteScan.broadcast(0x0A))
            // One bit per byte: gather the high bits of the 8 bytes into the top byte.
            result |= (((hits >> 7) &* 0x0102_0408_1020_4080) >> 56) << UInt64(8 * k)
        }
        return result
    }
}
