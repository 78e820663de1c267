#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A sliding window over a file read in large blocks with `read(2)`: the readers parse records in place
/// and ask for more only when a record crosses the end of the window. Memory: one window, which grows
/// (doubling) only while a single record is larger than it, never beyond `maxRecordBytes`.
/// Hot properties skip dynamic exclusivity checks: the window is confined to its one reader.
@usableFromInline
final class ByteBlocks {
    /// 64 zero bytes after the window so 8-byte loads and 64-byte structure masks at any valid offset stay in bounds.
    static let padding = 64

    let path: String
    private let fd: Int32
    @usableFromInline @exclusivity(unchecked) private(set) var base: UnsafeMutableRawPointer
    @exclusivity(unchecked) private(set) var capacity: Int
    let maxRecordBytes: Int
    /// Valid bytes are `start..<end`; bytes before `start` are consumed.
    @usableFromInline @exclusivity(unchecked) var start = 0
    @usableFromInline @exclusivity(unchecked) private(set) var end = 0
    @exclusivity(unchecked) private(set) var atEOF = false
    /// Bytes consumed before the window's offset 0 (for byte offsets in messages).
    @exclusivity(unchecked) private(set) var discardedBytes = 0
    /// Changes whenever the window's bytes may move or change (state kept about them is then stale).
    @usableFromInline @exclusivity(unchecked) private(set) var generation = 0

    init(path: String, blockSize: Int, maxRecordBytes: Int) throws(ExportError) {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            throw .unreadable(path: path, reason: String(cString: strerror(errno)))
        }
        var st = stat()
        if fstat(fd, &st) == 0, (st.st_mode & S_IFMT) == S_IFDIR {
            close(fd)
            throw .unreadable(path: path, reason: "is a directory")
        }
        self.path = path
        self.fd = fd
        self.capacity = max(64, min(blockSize, maxRecordBytes))
        self.maxRecordBytes = max(self.capacity, maxRecordBytes)
        self.base = UnsafeMutableRawPointer.allocate(byteCount: capacity + Self.padding, alignment: 16)
        base.initializeMemory(as: UInt8.self, repeating: 0, count: capacity + Self.padding)
    }

    /// An in-memory window (tests, small inputs): the whole input is one block.
    init(bytes: [UInt8], name: String, maxRecordBytes: Int = 16 << 20) {
        self.path = name
        self.fd = -1
        self.capacity = max(64, bytes.count)
        self.maxRecordBytes = max(capacity, maxRecordBytes)
        self.base = UnsafeMutableRawPointer.allocate(byteCount: capacity + Self.padding, alignment: 16)
        base.initializeMemory(as: UInt8.self, repeating: 0, count: capacity + Self.padding)
        bytes.withUnsafeBytes { if let src = $0.baseAddress { base.copyMemory(from: src, byteCount: $0.count) } }
        end = bytes.count
        atEOF = true
    }

    deinit {
        if fd >= 0 { close(fd) }
        base.deallocate()
    }

    enum FillResult { case filled, endOfInput, recordTooLarge, failed(String) }

    /// Moves unconsumed bytes to the front and reads more; grows the window when it is full of one record.
    func fill() -> FillResult {
        if atEOF { return .endOfInput }
        generation &+= 1
        if start > 0 {
            let live = end - start
            if live > 0 { memmove(base, base + start, live) }
            discardedBytes += start
            end = live
            start = 0
        }
        if end == capacity {
            guard capacity < maxRecordBytes else { return .recordTooLarge }
            let newCapacity = min(capacity * 2, maxRecordBytes)
            let grown = UnsafeMutableRawPointer.allocate(byteCount: newCapacity + Self.padding, alignment: 16)
            grown.initializeMemory(as: UInt8.self, repeating: 0, count: newCapacity + Self.padding)
            grown.copyMemory(from: base, byteCount: end)
            base.deallocate()
            base = grown
            capacity = newCapacity
        }
        while true {
            let n = read(fd, base + end, capacity - end)
            if n > 0 {
                end += n
                // Keep the padding zero: stale bytes past `end` must never look like data.
                (base + end).initializeMemory(as: UInt8.self, repeating: 0, count: Self.padding)
                return .filled
            }
            if n == 0 { atEOF = true; return .endOfInput }
            if errno == EINTR { continue }
            return .failed(String(cString: strerror(errno)))
        }
    }

    /// Drops everything in the window (used to skip past an oversized record).
    func discardAll() {
        generation &+= 1
        discardedBytes += end
        start = 0
        end = 0
    }

    @inlinable @inline(__always) func byte(_ i: Int) -> UInt8 { base.load(fromByteOffset: i, as: UInt8.self) }
}

/// Exact SWAR byte search (no false positives): 8 bytes per step, for the readers' inner loops.
public enum ByteScan {
    @inlinable @inline(__always)
    public static func broadcast(_ b: UInt8) -> UInt64 { UInt64(b) &* 0x0101_0101_0101_0101 }

    /// High bit set in each byte of `x` that is zero.
    @inlinable @inline(__always)
    public static func zeroBytes(_ x: UInt64) -> UInt64 {
        let low7: UInt64 = 0x7F7F_7F7F_7F7F_7F7F
        let y = (x & low7) &+ low7
        return ~(y | x | low7)
    }

    /// First offset in `from..<limit` holding `a` or `b`; `limit` if none. Needs 8 readable bytes past `limit`.
    @inline(__always)
    static func first(_ a: UInt64, _ b: UInt64, in base: UnsafeRawPointer, from: Int, limit: Int) -> Int {
        var p = from
        while p < limit {
            let w = UInt64(littleEndian: base.loadUnaligned(fromByteOffset: p, as: UInt64.self))
            let m = zeroBytes(w ^ a) | zeroBytes(w ^ b)
            if m != 0 {
                let i = p + (m.trailingZeroBitCount >> 3)
                return i < limit ? i : limit
            }
            p &+= 8
        }
        return limit
    }

    /// Last offset in `from..<end` holding `c`, nil if none; reads nothing outside that range.
    @inlinable @inline(__always)
    public static func last(_ c: UInt8, in base: UnsafeRawPointer, from: Int, end: Int) -> Int? {
        let pattern = broadcast(c)
        var i = end
        while i - 8 >= from {
            let m = zeroBytes(UInt64(littleEndian: base.loadUnaligned(fromByteOffset: i - 8, as: UInt64.self)) ^ pattern)
            if m != 0 { return i - 8 + (63 - m.leadingZeroBitCount) >> 3 }
            i -= 8
        }
        while i > from {
            i -= 1
            if base.load(fromByteOffset: i, as: UInt8.self) == c { return i }
        }
        return nil
    }
}
