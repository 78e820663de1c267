import Mapping
import Preflight
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// What the import's input was: every file's name, size and a digest of its whole content, so a
/// resumed run can tell "same export" from "an export taken later" (which needs `--delta`).
public struct InputFingerprint: Sendable, Hashable, CustomStringConvertible {
    public struct File: Sendable, Hashable {
        public var path: String
        public var size: Int64
        public var digest: String
    }

    public var files: [File]

    /// One digest for all the files, in the order given.
    public var digest: String {
        var d = ContentDigest()
        for f in files {
            d.update(f.digest)
            d.update(String(f.size))
        }
        return d.hexDigest
    }

    /// `name (size bytes)` per file, for messages.
    public var description: String {
        files.map { "\(($0.path as NSString).lastPathComponent) (\($0.size) bytes)" }.joined(separator: ", ")
    }

    /// Reads every file once, in 1 MiB blocks (memory stays flat whatever the size).
    public init(paths: [String]) throws {
        files = try paths.map { try Self.fingerprint(path: $0) }
    }

    static func fingerprint(path: String) throws -> File {
        let fd = Glibc.open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            throw InputFingerprintError(path: path, reason: String(cString: strerror(errno)))
        }
        defer { Glibc.close(fd) }
        var digest = ContentDigest()
        var size: Int64 = 0
        let blockSize = 1 << 20
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: blockSize, alignment: 8)
        defer { buffer.deallocate() }
        while true {
            let n = Glibc.read(fd, buffer.baseAddress, blockSize)
            if n < 0 {
                if errno == EINTR { continue }
                throw InputFingerprintError(path: path, reason: String(cString: strerror(errno)))
            }
            if n == 0 { break }
            digest.update(UnsafeRawBufferPointer(rebasing: buffer[0..<n]))
            size += Int64(n)
        }
        return File(path: path, size: size, digest: digest.hexDigest)
    }
}

public struct InputFingerprintError: Error, Sendable, CustomStringConvertible {
    public var path: String
    public var reason: String
    public var description: String { "cannot read \(path): \(reason)" }
}

/// A 128-bit content digest (two independent 64-bit FNV-1a lanes) for change detection of inputs
/// and user rows. Not a cryptographic hash: it only has to notice edits, never resist an attacker.
public struct ContentDigest: Sendable {
    private var a: UInt64 = 0xcbf2_9ce4_8422_2325
    private var b: UInt64 = 0x6c62_272e_07bb_0142
    private static let prime: UInt64 = 0x0000_0100_0000_01b3

    public init() {}

    public mutating func update(_ bytes: UnsafeRawBufferPointer) {
        var a = self.a, b = self.b
        for byte in bytes {
            a = (a ^ UInt64(byte)) &* Self.prime
            b = (b ^ UInt64(byte ^ 0x5c)) &* Self.prime
            b = b &+ (b >> 29)
        }
        self.a = a; self.b = b
    }

    /// Hashes the string's UTF-8 followed by a separator, so ("ab","c") and ("a","bc") differ.
    public mutating func update(_ string: String) {
        var s = string
        s.withUTF8 { update(UnsafeRawBufferPointer($0)) }
        withUnsafeBytes(of: UInt8(0x1f)) { update($0) }
    }

    public var hexDigest: String {
        func hex(_ v: UInt64) -> String {
            let s = String(v, radix: 16)
            return String(repeating: "0", count: 16 - s.count) + s
        }
        return hex(a) + hex(b)
    }
}
