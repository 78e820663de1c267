import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// A CSV file written a row at a time while a run goes on (the errors file, the reset list): created 0600 with its
/// header, each row on disk as soon as it is recorded (a killed run leaves what it had), every field quoted by
/// `field(_:)`. Safe to record from concurrent tasks.
final class CSVLineFile: Sendable {
    /// Why the file could not be created (`strerror`).
    struct CannotCreate: Error { let reason: String }

    let path: String
    private let handle: Mutex<FileHandle?>
    private let written = Mutex(0)

    init(path: String, header: String) throws(CannotCreate) {
        self.path = path
        let fd = Glibc.open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw CannotCreate(reason: String(cString: strerror(errno))) }
        _ = fchmod(fd, 0o600)
        let handle = FileHandle(fileDescriptor: fd, closeOnDealloc: true)
        handle.write(Data(header.utf8))
        self.handle = Mutex(handle)
    }

    func record(_ fields: [String]) {
        let line = fields.map(Self.field).joined(separator: ",") + "\n"
        handle.withLock { $0?.write(Data(line.utf8)) }
        written.withLock { $0 += 1 }
    }

    /// Rows written so far.
    var count: Int { written.withLock { $0 } }

    func close() {
        handle.withLock { h in
            try? h?.synchronize()
            try? h?.close()
            h = nil
        }
    }

    /// RFC 4180 quoting, plus the spreadsheet guard: a cell starting with = + - @ is prefixed with '.
    static func field(_ value: String) -> String {
        var v = value
        if let first = v.first, "=+-@".contains(first), Int(v) == nil { v = "'" + v }
        if v.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) {
            return "\"" + v.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }
        return v
    }
}
