#if arch(x86_64) && canImport(_Builtin_intrinsics)
import _Builtin_intrinsics.intel
#endif

/// The CSV reader's split for the common record, in the manner of simdjson/simdcsv: the structure of 64 bytes
/// at a time as bit masks, the quoted regions as a prefix XOR of the quote mask, then one step per field.
///
/// It takes a record only when it has no line break inside quotes, no `"` inside an unquoted field and no text
/// after a closing quote, and ends with a line break inside the window; a quoted field with `""` escapes is taken
/// and flagged (a Descope object cell is one). Any other record gets `nil`, nothing is consumed, and the general
/// split gives the exact fields and the problem.
///
/// The masks of the chunk where a record ends serve the next record, which starts right after it.
/// Needs 64 readable bytes past `limit`, zero there (`ByteBlocks.padding`).
@usableFromInline
struct CSVPlainSplit {
    /// Offset of the 64-byte chunk the masks describe.
    @usableFromInline var chunk = Int.min / 2
    /// `,` and `\n` outside quotes: field ends.
    @usableFromInline var separators: UInt64 = 0
    /// `\n` outside quotes: record ends.
    @usableFromInline var newlines: UInt64 = 0
    /// Structure this split does not take: a quote opening anywhere but at a field's start, a `\n` in quotes,
    /// a closing quote followed by anything but `,`, `\n` or `\r\n`.
    @usableFromInline var refused: UInt64 = 0
    /// Bytes ≥ 0x80.
    @usableFromInline var high: UInt64 = 0
    /// The first quote of each `""` escape (a closing quote followed by an opening one).
    @usableFromInline var escapes: UInt64 = 0
    /// 1 when the chunk's last byte is the first quote of an escape (the next chunk's first byte is its second).
    @usableFromInline var escapeCarry: UInt64 = 0
    /// All ones when the chunk ends inside quotes (carried into the next chunk).
    @usableFromInline var insideCarry: UInt64 = 0
    /// 1 when the chunk's last byte is `,` or `\n` (so the next chunk's first byte starts a field).
    @usableFromInline var separatorCarry: UInt64 = 0
    /// Where the kept masks' next record starts (-1: none), and the window they were computed in.
    @usableFromInline var resumeAt = -1
    @usableFromInline var generation = -1

    /// Splits the record at `start` into `list`; returns the next record's offset and whether every byte of
    /// the record is ASCII, or nil when the general split must take this record.
    @inlinable @inline(__always)
    mutating func split(base: UnsafeRawPointer, start: Int, limit: Int, generation: Int,
                        into list: inout CSVReader.SpanList) -> (next: Int, ascii: Bool)? {
        if start != resumeAt || generation != self.generation || start &- chunk >= 64 || start < chunk {
            self.generation = generation
            insideCarry = 0
            separatorCarry = 1
            escapeCarry = 0
            load(base, at: start)
        }
        resumeAt = -1
        list.count = 0
        var from = start
        var fieldStart = start
        var recordHigh: UInt64 = 0
        /// The field in progress holds an escape in an earlier chunk.
        var fieldEscaped = false
        while true {
            let ours: UInt64 = ~0 &<< UInt64(truncatingIfNeeded: from &- chunk)
            let lineEnds = newlines & ours
            // Bits up to and including the record's `\n` (all when the record goes on past this chunk).
            let toEnd: UInt64 = lineEnds == 0 ? ~0 : (lineEnds ^ (lineEnds &- 1))
            let record = ours & toEnd
            if refused & record != 0 { return nil }
            recordHigh |= high & record
            var ends = separators & record
            let recordEscapes = escapes & record
            list.reserve(64)   // a chunk ends at most 64 fields (a popcount is a library loop on baseline x86-64)
            // The masks have checked every quote: a field that starts with `"` ends with `"` right before its
            // separator, so each field is a step with no test (a `\r` before the `\n` is trimmed below).
            while ends != 0 {
                let i = chunk &+ ends.trailingZeroBitCount
                ends &= ends &- 1
                let quoted = base.load(fromByteOffset: fieldStart, as: UInt8.self) == UInt8(ascii: "\"") ? 1 : 0
                var flags = quoted == 0 ? 0 : CSVReader.quotedFlag
                if recordEscapes != 0 || fieldEscaped {
                    // Escapes between the field's start (or this chunk's) and its end.
                    let from = UInt64(truncatingIfNeeded: Swift.max(fieldStart &- chunk, 0))
                    let mine = recordEscapes & (~0 &<< from) & ~(~0 &<< UInt64(truncatingIfNeeded: i &- chunk))
                    if mine != 0 || fieldEscaped { flags |= CSVReader.escapedQuotesFlag }
                    fieldEscaped = false
                }
                list.appendReserved(fieldStart &+ quoted, i &- quoted, flags)
                fieldStart = i &+ 1
            }
            if lineEnds != 0 {
                let lineEnd = chunk &+ lineEnds.trailingZeroBitCount
                let next = lineEnd &+ 1
                guard next <= limit else { return nil }
                // CRLF: the last field ends before the `\r` (after its closing quote, when quoted).
                if base.load(fromByteOffset: lineEnd &- 1, as: UInt8.self) == 13 {
                    let last = list.count &- 1
                    if list.spans[last].end > list.spans[last].start { list.spans[last].end &-= 1 }
                }
                resumeAt = next
                return (next, recordHigh == 0)
            }
            // The record goes on: the next chunk, unless the window ends first (the general split asks for more).
            if fieldStart &- chunk < 64, recordEscapes & (~0 &<< UInt64(truncatingIfNeeded: Swift.max(fieldStart &- chunk, 0))) != 0 {
                fieldEscaped = true
            }
            guard chunk &+ 64 < limit else { return nil }
            load(base, at: chunk &+ 64)
            from = chunk
        }
    }

    /// Computes the masks of the 64 bytes at `offset`, carrying the quote and separator state in.
    @inlinable @inline(__always)
    mutating func load(_ base: UnsafeRawPointer, at offset: Int) {
        chunk = offset
        let m = Self.masks(base + offset)
        let lineBreaks = m.newline
        let fieldEnds = m.comma | lineBreaks
        high = m.high
        if m.quote | insideCarry | escapeCarry == 0 {
            // No quote in play (most chunks): every `,` and `\n` ends a field.
            refused = 0
            escapes = 0
            separators = fieldEnds
            newlines = lineBreaks
        } else {
            // Bit i set from an opening quote up to (not including) its closing quote.
            let inside = Self.prefixXOR(m.quote) ^ insideCarry
            let fieldStarts = (fieldEnds << 1) | separatorCarry
            // A closing quote must be followed by `,` or `\n` (or `\r\n`); the rare others are looked at byte by byte.
            let closing = m.quote & ~inside
            // A closing quote right before an opening one is the first half of a `""` escape.
            var escapeFirsts = closing & (m.quote >> 1)
            let escapeSeconds = (escapeFirsts << 1) | escapeCarry
            escapeCarry = 0
            var unfollowed = closing & ~(fieldEnds >> 1) & ~escapeFirsts
            var badClosing: UInt64 = 0
            while unfollowed != 0 {
                let c = offset &+ unfollowed.trailingZeroBitCount
                let bit = unfollowed & (0 &- unfollowed)
                let after = base.load(fromByteOffset: c &+ 1, as: UInt8.self)
                if after == UInt8(ascii: "\""), bit == 1 << 63 {
                    escapeFirsts |= bit   // its second quote opens the next chunk
                    escapeCarry = 1
                } else {
                    let endsField = after == UInt8(ascii: ",") || after == 10
                        || (after == 13 && base.load(fromByteOffset: c &+ 2, as: UInt8.self) == 10)
                    if !endsField { badClosing |= bit }
                }
                unfollowed &= unfollowed &- 1
            }
            escapes = escapeFirsts
            refused = (m.quote & inside & ~fieldStarts & ~escapeSeconds) | (lineBreaks & inside) | badClosing
            separators = fieldEnds & ~inside
            newlines = lineBreaks & ~inside
            insideCarry = UInt64(bitPattern: Int64(bitPattern: inside) >> 63)
        }
        separatorCarry = fieldEnds >> 63
    }

    /// Bit i = XOR of bits 0...i.
    @inlinable @inline(__always)
    static func prefixXOR(_ x: UInt64) -> UInt64 {
        var x = x
        x ^= x << 1; x ^= x << 2; x ^= x << 4; x ^= x << 8; x ^= x << 16; x ^= x << 32
        return x
    }

    /// One bit per byte of the 64 at `p`: `,` `"` `\n`, and bytes ≥ 0x80.
    @inlinable @inline(__always)
    static func masks(_ p: UnsafeRawPointer) -> (comma: UInt64, quote: UInt64, newline: UInt64, high: UInt64) {
        var comma: UInt64 = 0, quote: UInt64 = 0, newline: UInt64 = 0, high: UInt64 = 0
        #if arch(x86_64) && canImport(_Builtin_intrinsics)
        let c = _mm_set1_epi8(0x2C), q = _mm_set1_epi8(0x22), n = _mm_set1_epi8(0x0A)
        @inline(__always) func bits(_ v: __m128i) -> UInt64 { UInt64(UInt16(truncatingIfNeeded: _mm_movemask_epi8(v))) }
        @inline(__always) func lane(_ k: Int) -> __m128i {
            unsafeBitCast(p.loadUnaligned(fromByteOffset: 16 * k, as: SIMD16<UInt8>.self), to: __m128i.self)
        }
        let v0 = lane(0), v1 = lane(1), v2 = lane(2), v3 = lane(3)
        comma = bits(_mm_cmpeq_epi8(v0, c)) | bits(_mm_cmpeq_epi8(v1, c)) << 16 | bits(_mm_cmpeq_epi8(v2, c)) << 32
            | bits(_mm_cmpeq_epi8(v3, c)) << 48
        quote = bits(_mm_cmpeq_epi8(v0, q)) | bits(_mm_cmpeq_epi8(v1, q)) << 16 | bits(_mm_cmpeq_epi8(v2, q)) << 32
            | bits(_mm_cmpeq_epi8(v3, q)) << 48
        newline = bits(_mm_cmpeq_epi8(v0, n)) | bits(_mm_cmpeq_epi8(v1, n)) << 16 | bits(_mm_cmpeq_epi8(v2, n)) << 32
            | bits(_mm_cmpeq_epi8(v3, n)) << 48
        // Bytes ≥ 0x80 are rare: one test for the whole chunk, per-lane masks only when there are some.
        if bits(_mm_or_si128(_mm_or_si128(v0, v1), _mm_or_si128(v2, v3))) != 0 {
            high = bits(v0) | bits(v1) << 16 | bits(v2) << 32 | bits(v3) << 48
        }
        #else
        @inline(__always) func gather(_ hits: UInt64) -> UInt64 { ((hits >> 7) &* 0x0102_0408_1020_4080) >> 56 }
        for k in 0..<8 {
            let w = UInt64(littleEndian: p.loadUnaligned(fromByteOffset: 8 * k, as: UInt64.self))
            let shift = UInt64(8 * k)
            comma |= gather(ByteScan.zeroBytes(w ^ ByteScan.broadcast(0x2C))) << shift
            quote |= gather(ByteScan.zeroBytes(w ^ ByteScan.broadcast(0x22))) << shift
            newline |= gather(ByteScan.zeroBytes(w ^ ByteScan.broadcast(0x0A))) << shift
            high |= gather(w & 0x8080_8080_8080_8080) << shift
        }
        #endif
        return (comma, quote, newline, high)
    }
}
