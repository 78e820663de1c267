#if arch(x86_64) && canImport(_Builtin_intrinsics)
import _Builtin_intrinsics.intel
#endif

/// Finds the CSV reader's structural bytes (`,` `"` `\n`) 64 at a time: one bit mask per 64-byte chunk,
/// then each field boundary is a count of trailing zeros. The mask of the current chunk is kept, so the
/// seven fields of a typical row cost one or two mask computations instead of a scan each.
///
/// The same masks tell which bytes are not ASCII, so a record's "all ASCII" verdict (inspect's fast path)
/// costs no second pass. One scan serves every record of a window: `ByteBlocks.generation` says when the
/// window changed under it.
///
/// Needs 64 readable bytes past `limit` (`ByteBlocks.padding`), zero there, so no bit is set past the data.
struct CSVStructureScan {
    let base: UnsafeRawPointer
    let limit: Int
    let generation: Int
    /// Offset of the chunk `bits` describes; `bits` has bit i set for a structural byte at `chunk + i`.
    private var chunk: Int
    private var bits: UInt64
    /// Bytes of the current chunk that are not ASCII (bit i: byte `chunk + i` ≥ 0x80).
    private var high: UInt64 = 0
    /// Non-ASCII bytes of the current record in chunks already left behind.
    private var recordHigh: UInt64 = 0
    private var recordStart = 0

    init(base: UnsafeRawPointer, limit: Int, generation: Int = 0) {
        self.base = base
        self.limit = limit
        self.generation = generation
        self.chunk = Int.min / 2
        self.bits = 0
    }

    /// Starts the ASCII bookkeeping of a record at `start` (offsets only grow until the next window).
    @inline(__always)
    mutating func beginRecord(at start: Int) {
        recordStart = start
        recordHigh = 0
    }

    /// True when every byte from the record's start to `end` (exclusive) is ASCII.
    @inline(__always)
    func recordIsASCII(upTo end: Int) -> Bool {
        guard recordHigh == 0 else { return false }
        let from = recordStart - chunk, to = end - chunk
        guard to > 0, from < 64 else { return true }
        let lower: UInt64 = from <= 0 ? ~0 : ~0 << UInt64(from)
        let upper: UInt64 = to >= 64 ? ~0 : (1 << UInt64(to)) &- 1
        return high & lower & upper == 0
    }

    /// Moves to the chunk at `offset`, keeping the left chunk's non-ASCII bytes that belong to the record.
    @inline(__always)
    private mutating func load(_ offset: Int) {
        let from = recordStart - chunk
        if from < 64 { recordHigh |= from <= 0 ? high : high & (~0 << UInt64(from)) }
        chunk = offset
        (bits, high) = Self.masks(base + offset)
    }

    /// Offset of the first `,` `"` or `\n` at or after `from`; `limit` when there is none before it.
    /// The common case, a later bit of the current chunk, is inlined into the reader's loop.
    @inline(__always)
    mutating func next(from: Int) -> Int {
        let delta = from &- chunk
        if delta >= 0 && delta < 64 {
            let m = bits & (~0 << UInt64(delta))
            if m != 0 {
                let i = chunk &+ m.trailingZeroBitCount
                return i < limit ? i : limit
            }
        }
        return nextInLaterChunk(from: from)
    }

    /// `next(from:)` when the answer is not in the current chunk.
    @inline(never)
    private mutating func nextInLaterChunk(from: Int) -> Int {
        if from >= limit { return limit }
        var m: UInt64
        let delta = from &- chunk
        if delta >= 0 && delta < 64 {
            m = 0
        } else {
            load(from)
            m = bits
        }
        while m == 0 {
            if chunk &+ 64 >= limit { return limit }
            load(chunk &+ 64)
            m = bits
        }
        let i = chunk &+ m.trailingZeroBitCount
        return i < limit ? i : limit
    }

    /// Bit i set when byte i of the 64 at `p` is `,` `"` or `\n`.
    @inline(__always)
    static func mask(_ p: UnsafeRawPointer) -> UInt64 { masks(p).structural }

    /// The structural mask and the non-ASCII mask (bytes ≥ 0x80) of the 64 bytes at `p`.
    @inline(__always)
    static func masks(_ p: UnsafeRawPointer) -> (structural: UInt64, high: UInt64) {
        #if arch(x86_64) && canImport(_Builtin_intrinsics)
        let comma = _mm_set1_epi8(0x2C), quote = _mm_set1_epi8(0x22), newline = _mm_set1_epi8(0x0A)
        var result: UInt64 = 0, high: UInt64 = 0
        for k in 0..<4 {
            let v = unsafeBitCast(p.loadUnaligned(fromByteOffset: 16 * k, as: SIMD16<UInt8>.self), to: __m128i.self)
            let hits = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, comma), _mm_cmpeq_epi8(v, quote)),
                                    _mm_cmpeq_epi8(v, newline))
            result |= UInt64(UInt16(truncatingIfNeeded: _mm_movemask_epi8(hits))) << UInt64(16 * k)
            high |= UInt64(UInt16(truncatingIfNeeded: _mm_movemask_epi8(v))) << UInt64(16 * k)
        }
        return (result, high)
        #else
        var high: UInt64 = 0
        for k in 0..<8 {
            let w = UInt64(littleEndian: p.loadUnaligned(fromByteOffset: 8 * k, as: UInt64.self))
            high |= ((((w & 0x8080_8080_8080_8080) >> 7) &* 0x0102_0408_1020_4080) >> 56) << UInt64(8 * k)
        }
        return (swarMask(p), high)
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
