#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An unlinked temporary file (0600, gone when closed) the join writes once, in 1 MiB blocks, and reads back by
/// offset or from start to end. It holds personal data only as long as the run.
final class JoinFile {
    let directory: String?
    private let fd: Int32
    private var pending: [UInt8] = []
    private static let block = 1 << 20
    /// Bytes appended so far, pending ones included.
    private(set) var size: Int64 = 0

    init(directory: String?) throws(ExportError) {
        self.directory = directory
        let dir = directory ?? (getenv("TMPDIR").map { String(cString: $0) } ?? "/tmp")
        var template = Array("\(dir)/hashport-join-XXXXXX".utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0 else { throw .joinIndex("cannot create a temporary file in \(dir): \(String(cString: strerror(errno)))") }
        template.withUnsafeBufferPointer { _ = unlink($0.baseAddress!) }
        self.fd = fd
        pending.reserveCapacity(Self.block)
    }

    deinit { close(fd) }

    func append<T>(value: T) throws(ExportError) {
        var v = value
        let bytes = withUnsafeBytes(of: &v) { Array($0) }
        try append(bytes)
    }

    func append(_ bytes: [UInt8]) throws(ExportError) {
        if pending.count + bytes.count > Self.block { try flush() }
        pending.append(contentsOf: bytes)
        size += Int64(bytes.count)
    }

    func append(_ bytes: UnsafeRawBufferPointer) throws(ExportError) {
        if pending.count + bytes.count > Self.block { try flush() }
        pending.append(contentsOf: bytes)
        size += Int64(bytes.count)
    }

    func flush() throws(ExportError) {
        var written = 0
        while written < pending.count {
            let n = pending.withUnsafeBytes { write(fd, $0.baseAddress! + written, $0.count - written) }
            if n < 0 {
                if errno == EINTR { continue }
                throw .joinIndex("writing a temporary file failed: \(String(cString: strerror(errno)))")
            }
            written += n
        }
        pending.removeAll(keepingCapacity: true)
    }

    /// Exactly `buffer.count` bytes from `offset` (everything appended must have been flushed).
    func read(into buffer: UnsafeMutableRawBufferPointer, at offset: Int64) throws(ExportError) {
        var done = 0
        while done < buffer.count {
            let n = pread(fd, buffer.baseAddress! + done, buffer.count - done, off_t(offset) + off_t(done))
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { throw .joinIndex("reading a temporary file failed: \(n < 0 ? String(cString: strerror(errno)) : "it is shorter than written")") }
            done += n
        }
    }

    /// Every fixed-size entry of type `T`, from the start.
    func forEach<T>(_ type: T.Type, _ body: (T) throws(ExportError) -> Void) throws(ExportError) {
        let stride = MemoryLayout<T>.stride
        let perBlock = Self.block / stride
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: perBlock * stride, alignment: MemoryLayout<T>.alignment)
        defer { buffer.deallocate() }
        var offset: Int64 = 0
        while offset < size {
            let n = Int(min(Int64(perBlock * stride), size - offset))
            try read(into: UnsafeMutableRawBufferPointer(rebasing: buffer[0..<n]), at: offset)
            for i in 0..<(n / stride) { try body(buffer.load(fromByteOffset: i * stride, as: T.self)) }
            offset += Int64(n)
        }
    }
}

/// The candidates each partition found, merged back in row order (each file is in row order already).
final class CandidateMerge {
    private struct Cursor {
        let file: JoinFile
        var buffer: [SearchUsersJoin.Candidate] = []
        var index = 0
        var offset: Int64 = 0
    }
    private var cursors: [Cursor]
    private static let batch = 1 << 14

    init(_ files: [JoinFile]) throws(ExportError) {
        cursors = files.map { Cursor(file: $0) }
        for i in cursors.indices { try refill(i) }
    }

    private func refill(_ i: Int) throws(ExportError) {
        let stride = MemoryLayout<SearchUsersJoin.Candidate>.stride
        let left = cursors[i].file.size - cursors[i].offset
        let count = Int(min(Int64(Self.batch), left / Int64(stride)))
        let raw = UnsafeMutableRawBufferPointer.allocate(byteCount: max(count * stride, 1), alignment: 8)
        defer { raw.deallocate() }
        if count > 0 { try cursors[i].file.read(into: UnsafeMutableRawBufferPointer(rebasing: raw[0..<(count * stride)]), at: cursors[i].offset) }
        let buffer = (0..<count).map { raw.load(fromByteOffset: $0 * stride, as: SearchUsersJoin.Candidate.self) }
        cursors[i].offset += Int64(count * stride)
        cursors[i].buffer = buffer
        cursors[i].index = 0
    }

    /// The candidates of `row` (rows are taken in increasing order; earlier rows' leftovers are dropped).
    func take(row: UInt32) throws(ExportError) -> [SearchUsersJoin.Candidate] {
        var out: [SearchUsersJoin.Candidate] = []
        for i in cursors.indices {
            while true {
                if cursors[i].index == cursors[i].buffer.count {
                    try refill(i)
                    if cursors[i].buffer.isEmpty { break }
                }
                let c = cursors[i].buffer[cursors[i].index]
                if c.row > row { break }
                if c.row == row { out.append(c) }
                cursors[i].index += 1
            }
        }
        return out
    }
}
