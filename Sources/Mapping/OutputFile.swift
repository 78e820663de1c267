#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A file the user asked for that may hold password hashes: created 0600 from the start (never chmod after),
/// written through a large buffer.
public final class OutputFile {
    public let path: String
    private let fd: Int32
    private var buffer: [UInt8] = []
    private let flushThreshold: Int
    public private(set) var bytesWritten = 0

    public enum OpenError: Error, CustomStringConvertible, Equatable {
        case cannotCreate(path: String, reason: String)
        case writeFailed(path: String, reason: String)
        public var description: String {
            switch self {
            case let .cannotCreate(path, reason): return "cannot create \(path): \(reason)"
            case let .writeFailed(path, reason): return "cannot write \(path): \(reason)"
            }
        }
    }

    /// Creates or truncates `path` with mode 0600 (`O_CREAT` mode; an existing file keeps its mode, so it is
    /// refused when it is readable by others — the hashes must not land in a file others can read).
    public init(path: String, bufferSize: Int = 1 << 20) throws(OpenError) {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw .cannotCreate(path: path, reason: String(cString: strerror(errno))) }
        var st = stat()
        if fstat(fd, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG, st.st_mode & 0o077 != 0 {
            _ = systemClose(fd)
            throw .cannotCreate(path: path, reason: "it already exists and others can read it (mode \(String(st.st_mode & 0o777, radix: 8))); remove it or chmod 600 it first")
        }
        self.path = path
        self.fd = fd
        self.flushThreshold = max(4096, bufferSize)
        buffer.reserveCapacity(flushThreshold + 64 * 1024)
    }

    deinit { _ = systemClose(fd) }

    /// Appends through `body`, flushing when the buffer passes the threshold.
    @inline(__always)
    public func append(_ body: (inout [UInt8]) -> Void) throws(OpenError) {
        body(&buffer)
        if buffer.count >= flushThreshold { try flush() }
    }

    public func flush() throws(OpenError) {
        var offset = 0
        let total = buffer.count
        let failure: String? = buffer.withUnsafeBytes { raw in
            while offset < total {
                let n = write(fd, raw.baseAddress! + offset, total - offset)
                if n < 0 { if errno == EINTR { continue }; return String(cString: strerror(errno)) }
                offset += n
            }
            return nil
        }
        if let failure { throw .writeFailed(path: path, reason: failure) }
        bytesWritten += total
        buffer.removeAll(keepingCapacity: true)
    }

    /// Writes what is buffered; call once at the end.
    public func finish() throws(OpenError) { try flush() }
}

@inline(__always) private func systemClose(_ fd: Int32) -> Int32 { close(fd) }
