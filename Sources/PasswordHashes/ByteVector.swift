#if arch(x86_64) && canImport(_Builtin_intrinsics)
import _Builtin_intrinsics.intel

/// 16-byte SSE2 helpers for the per-row checks (hash alphabets here, email addresses in Mapping); x86-64 only,
/// other platforms take the byte loops. Inlinable: they are a few instructions each, called per field.
public enum ByteVector {
    /// 0xFF in each byte of `v` within `lo...hi`: shifted so the range starts at -128, then one signed compare.
    @inlinable @inline(__always)
    public static func inRange(_ v: __m128i, _ lo: UInt8, _ hi: UInt8) -> __m128i {
        let shifted = _mm_add_epi8(v, _mm_set1_epi8(Int8(bitPattern: 0x80 &- lo)))
        return _mm_cmplt_epi8(shifted, _mm_set1_epi8(Int8(bitPattern: 0x80 &+ (hi &- lo) &+ 1)))
    }

    @inlinable @inline(__always)
    public static func equal(_ v: __m128i, _ c: UInt8) -> __m128i { _mm_cmpeq_epi8(v, _mm_set1_epi8(Int8(bitPattern: c))) }

    /// `count` (1–16) bytes of `b` from `offset` in the low lanes, zero above; reads only inside `b`.
    /// nil when `b` is shorter than 8 bytes and the chunk is short (the caller loops over the bytes).
    @inlinable @inline(__always)
    public static func load(_ b: UnsafeRawBufferPointer, _ offset: Int, _ count: Int) -> __m128i? {
        if count == 16 {
            return unsafeBitCast(b.loadUnaligned(fromByteOffset: offset, as: SIMD16<UInt8>.self), to: __m128i.self)
        }
        if count >= 8 {
            let low = b.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
            let high = b.loadUnaligned(fromByteOffset: offset + count - 8, as: UInt64.self) >> UInt64(8 * (16 - count))
            return unsafeBitCast(SIMD2<UInt64>(low, high), to: __m128i.self)
        }
        guard offset + count >= 8 else { return nil }
        let low = b.loadUnaligned(fromByteOffset: offset + count - 8, as: UInt64.self) >> UInt64(8 * (8 - count))
        return unsafeBitCast(SIMD2<UInt64>(low, 0), to: __m128i.self)
    }
}
#endif

/// Equality of short byte runs, inline: a cached hash shape compares a few bytes per part on every row, and a
/// call into `memcmp` cost more than the compare. Reads only the `count` bytes of each side.
enum ByteRuns {
    @inline(__always)
    static func equal(_ a: UnsafeRawPointer, _ b: UnsafeRawPointer, count n: Int) -> Bool {
        if n >= 8 {
            var i = 0
            while i &+ 8 < n {
                guard a.loadUnaligned(fromByteOffset: i, as: UInt64.self) == b.loadUnaligned(fromByteOffset: i, as: UInt64.self) else { return false }
                i &+= 8
            }
            // The last word overlaps the one before it rather than reading past the end.
            return a.loadUnaligned(fromByteOffset: n &- 8, as: UInt64.self) == b.loadUnaligned(fromByteOffset: n &- 8, as: UInt64.self)
        }
        if n >= 4 {
            return a.loadUnaligned(as: UInt32.self) == b.loadUnaligned(as: UInt32.self)
                && a.loadUnaligned(fromByteOffset: n &- 4, as: UInt32.self) == b.loadUnaligned(fromByteOffset: n &- 4, as: UInt32.self)
        }
        var i = 0
        while i < n {
            guard a.load(fromByteOffset: i, as: UInt8.self) == b.load(fromByteOffset: i, as: UInt8.self) else { return false }
            i &+= 1
        }
        return true
    }

    /// `a` and `b` hold the same bytes.
    @inline(__always)
    static func equal(_ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer) -> Bool {
        a.count == b.count && (a.count == 0 || equal(a.baseAddress!, b.baseAddress!, count: a.count))
    }
}
