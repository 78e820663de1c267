import Mapping
import Preflight
import Foundation
import Synchronization
import WorkOS

#if canImport(Glibc)
import Glibc
#endif

/// One line of the errors file: a row that did not make it, where, and what WorkOS said.
public struct ImportFailure: Sendable, Hashable {
    public var row: Int
    public var email: String
    /// `mapping`, `organization`, `create`, `lookup`, `update`, `membership`, `canary`.
    public var stage: String
    public var httpStatus: Int?
    public var code: String?
    public var subCodes: [String]
    public var requestId: String?
    public var retryable: Bool
    public var message: String

    public init(row: Int, email: String, stage: String, httpStatus: Int? = nil, code: String? = nil,
                subCodes: [String] = [], requestId: String? = nil, retryable: Bool, message: String) {
        self.row = row; self.email = email; self.stage = stage; self.httpStatus = httpStatus; self.code = code
        self.subCodes = subCodes; self.requestId = requestId; self.retryable = retryable; self.message = message
    }

    public init(row: Int, email: String, stage: String, error: any Error) {
        if let e = error as? WorkOSError {
            self.init(row: row, email: email, stage: stage, httpStatus: e.status, code: e.code ?? e.delivery.rawValue,
                      subCodes: e.subCodes, requestId: e.requestId, retryable: e.isRetryable, message: e.message)
        } else {
            self.init(row: row, email: email, stage: stage, retryable: true, message: "\(error)")
        }
    }
}

/// The `--errors F.csv` file, written as failures happen (created 0600; nothing is held in memory).
public final class ErrorReportWriter: Sendable {
    public static let header = "row,email,stage,http_status,code,sub_codes,request_id,retryable,message\n"
    private let handle: Mutex<FileHandle?>
    private let written = Mutex(0)
    public let path: String

    public init(path: String) throws {
        self.path = path
        let fd = Glibc.open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            throw ErrorReportError(path: path, reason: String(cString: strerror(errno)))
        }
        _ = fchmod(fd, 0o600)
        let handle = FileHandle(fileDescriptor: fd, closeOnDealloc: true)
        handle.write(Data(Self.header.utf8))
        self.handle = Mutex(handle)
    }

    public func record(_ failure: ImportFailure) {
        let line = Self.line(failure)
        handle.withLock { $0?.write(Data(line.utf8)) }
        written.withLock { $0 += 1 }
    }

    /// Rows written so far.
    public var count: Int { written.withLock { $0 } }

    public func close() {
        handle.withLock { h in
            try? h?.synchronize()
            try? h?.close()
            h = nil
        }
    }

    static func line(_ f: ImportFailure) -> String {
        let fields = [String(f.row), f.email, f.stage, f.httpStatus.map(String.init) ?? "", f.code ?? "",
                      f.subCodes.joined(separator: ";"), f.requestId ?? "", f.retryable ? "true" : "false",
                      f.message]
        return fields.map(csvField).joined(separator: ",") + "\n"
    }

    /// RFC 4180 quoting, plus the spreadsheet guard: a cell starting with = + - @ is prefixed with '.
    static func csvField(_ value: String) -> String {
        var v = value
        if let first = v.first, "=+-@".contains(first), Int(v) == nil { v = "'" + v }
        if v.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) {
            return "\"" + v.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }
        return v
    }
}

public struct ErrorReportError: Error, Sendable, CustomStringConvertible {
    public var path: String
    public var reason: String
    public var description: String { "cannot write the errors file \(path): \(reason)" }
}
