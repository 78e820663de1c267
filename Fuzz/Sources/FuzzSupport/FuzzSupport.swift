#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An oracle's verdict: a broken property is a crash, so libFuzzer keeps the input in Fuzz/crashes/.
public func require(_ condition: @autoclosure () -> Bool, _ message: @autoclosure () -> String) {
    guard condition() else { fatalError("fuzz oracle: \(message())") }
}

/// The fuzz input as bytes (a copy: the readers keep what they are given).
public func inputBytes(_ data: UnsafePointer<UInt8>, _ size: Int) -> [UInt8] {
    Array(UnsafeBufferPointer(start: data, count: size))
}

/// One scratch file per process, rewritten with each input, for the readers that read a path in blocks.
public final class ScratchFile: Sendable {
    public let path: String

    public init(_ name: String) {
        let directory = getenv("TMPDIR").map { String(cString: $0) } ?? "/tmp"
        path = "\(directory)/hashport-fuzz-\(name)-\(getpid())"
    }

    /// Replaces the file's content with `bytes` (created 0600: an input may be anything).
    public func write(_ bytes: [UInt8]) {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        precondition(fd >= 0, "cannot write \(path)")
        var done = 0
        bytes.withUnsafeBytes { b in
            while done < b.count {
                let n = systemWrite(fd, b.baseAddress! + done, b.count - done)
                precondition(n > 0, "cannot write \(path)")
                done += n
            }
        }
        close(fd)
    }

    deinit { unlink(path) }
}

private func systemWrite(_ fd: Int32, _ buffer: UnsafeRawPointer, _ count: Int) -> Int {
    #if canImport(Glibc)
    return Glibc.write(fd, buffer, count)
    #else
    return Darwin.write(fd, buffer, count)
    #endif
}
