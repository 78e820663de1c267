#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The files of a pull: created 0600 in a 0700 directory (they hold personal data), written with plain
/// system calls so that what is committed is exactly what is on disk.
enum PullFiles {
    static func reason() -> String { String(cString: strerror(errno)) }

    /// What `replace` writes before renaming it over the file.
    static let partialSuffix = ".partial"

    /// Creates `path` (0700) when missing; refuses a path that is not a directory.
    static func prepareDirectory(_ path: String) throws(PullError) {
        var st = stat()
        if stat(path, &st) == 0 {
            guard (st.st_mode & S_IFMT) == S_IFDIR else { throw .localFile(path: path, reason: "not a directory") }
            return
        }
        let parent = path.split(separator: "/", omittingEmptySubsequences: false).dropLast().joined(separator: "/")
        if !parent.isEmpty, stat(parent, &st) != 0 { try prepareDirectory(parent) }
        guard mkdir(path, 0o700) == 0 || errno == EEXIST else { throw .localFile(path: path, reason: reason()) }
    }

    static func exists(_ path: String) -> Bool {
        var st = stat()
        return stat(path, &st) == 0
    }

    static func remove(_ path: String) throws(PullError) {
        guard unlink(path) == 0 || errno == ENOENT else { throw .localFile(path: path, reason: reason()) }
    }

    /// Opens for writing with mode 0600; an existing file that others can read is refused, not reused.
    static func openPrivate(_ path: String, flags: Int32) throws(PullError) -> Int32 {
        let fd = open(path, flags | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw .localFile(path: path, reason: reason()) }
        var st = stat()
        if fstat(fd, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG, st.st_mode & 0o077 != 0 {
            close(fd)
            throw .localFile(path: path, reason: "it exists and others can read it (mode "
                             + String(st.st_mode & 0o777, radix: 8) + "); remove it or chmod 600 it first")
        }
        return fd
    }

    static func writeAll(_ fd: Int32, _ bytes: [UInt8], path: String) throws(PullError) {
        let failure: String? = bytes.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let n = write(fd, raw.baseAddress! + offset, raw.count - offset)
                if n < 0 { if errno == EINTR { continue }; return reason() }
                offset += n
            }
            return nil
        }
        if let failure { throw .localFile(path: path, reason: failure) }
    }

    /// Replaces `path` with `bytes` atomically (a temporary file renamed over it): a reader, or a run after
    /// a kill, sees the old file or the new one, never half of one. `durable` also survives a power cut.
    static func replace(_ path: String, with bytes: [UInt8], durable: Bool = false) throws(PullError) {
        let temporary = path + partialSuffix
        let fd = try openPrivate(temporary, flags: O_WRONLY | O_TRUNC)
        do throws(PullError) {
            try writeAll(fd, bytes, path: temporary)
            if durable, fsync(fd) != 0 { throw .localFile(path: temporary, reason: reason()) }
        } catch {
            close(fd)
            throw error
        }
        close(fd)
        guard rename(temporary, path) == 0 else { throw .localFile(path: path, reason: reason()) }
        if durable { syncDirectory(of: path) }
    }

    static func syncDirectory(of path: String) {
        let directory = path.split(separator: "/", omittingEmptySubsequences: false).dropLast().joined(separator: "/")
        let fd = open(directory.isEmpty ? "." : directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { return }
        _ = fsync(fd)
        close(fd)
    }
}

/// `users.ndjson`: appended one page at a time, cut back to the last committed page on resume.
final class UsersFile {
    let path: String
    private let fd: Int32
    private(set) var size: Int64

    init(path: String) throws(PullError) {
        self.path = path
        fd = try PullFiles.openPrivate(path, flags: O_RDWR)
        var st = stat()
        guard fstat(fd, &st) == 0 else { close(fd); throw .localFile(path: path, reason: PullFiles.reason()) }
        size = Int64(st.st_size)
    }

    deinit { close(fd) }

    func truncate(to length: Int64) throws(PullError) {
        guard ftruncate(fd, off_t(length)) == 0 else { throw .localFile(path: path, reason: PullFiles.reason()) }
        size = length
    }

    func append(_ bytes: [UInt8]) throws(PullError) {
        guard lseek(fd, off_t(size), SEEK_SET) >= 0 else { throw .localFile(path: path, reason: PullFiles.reason()) }
        try PullFiles.writeAll(fd, bytes, path: path)
        size += Int64(bytes.count)
    }

    func sync() throws(PullError) {
        guard fsync(fd) == 0 else { throw .localFile(path: path, reason: PullFiles.reason()) }
    }

    /// Calls `body` with each complete line (without its newline) and the offset it starts at, up to `limit`
    /// bytes; returns the offset just past the last complete line. `body` returns false to stop early.
    func forEachLine(upTo limit: Int64, _ body: (UnsafeRawBufferPointer, Int64) -> Bool) throws(PullError) -> Int64 {
        var buffer = [UInt8](repeating: 0, count: 4 << 20)
        var held = 0             // bytes of an unfinished line kept at the start of `buffer`
        var position: Int64 = 0  // file offset of buffer[0]
        while position + Int64(held) < limit {
            if held == buffer.count { buffer += [UInt8](repeating: 0, count: buffer.count) }   // a very long line
            let want = min(buffer.count - held, Int(limit - position) - held)
            let n = buffer.withUnsafeMutableBytes { raw in
                pread(fd, raw.baseAddress! + held, want, off_t(position + Int64(held)))
            }
            if n < 0 { if errno == EINTR { continue }; throw .localFile(path: path, reason: PullFiles.reason()) }
            if n == 0 { break }
            let filled = held + n
            var lineStart = 0
            let stopped: Bool = buffer.withUnsafeBytes { raw in
                let base = raw.baseAddress!
                while let found = memchr(base + lineStart, 0x0A, filled - lineStart) {
                    let newline = UnsafeRawPointer(found) - base
                    if !body(UnsafeRawBufferPointer(start: base + lineStart, count: newline - lineStart),
                             position + Int64(lineStart)) { return true }
                    lineStart = newline + 1
                }
                return false
            }
            if stopped { return position + Int64(lineStart) }
            // Keep the unfinished line for the next read.
            held = filled - lineStart
            if lineStart > 0 {
                buffer.withUnsafeMutableBytes { raw in
                    _ = memmove(raw.baseAddress!, raw.baseAddress! + lineStart, held)
                }
                position += Int64(lineStart)
            }
        }
        return position
    }
}
