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
    private let file: CSVLineFile
    public var path: String { file.path }

    public init(path: String) throws {
        do { file = try CSVLineFile(path: path, header: Self.header) } catch {
            throw ErrorReportError(path: path, reason: error.reason)
        }
    }

    public func record(_ failure: ImportFailure) { file.record(Self.fields(failure)) }

    /// Rows written so far.
    public var count: Int { file.count }

    public func close() { file.close() }

    static func fields(_ f: ImportFailure) -> [String] {
        [String(f.row), f.email, f.stage, f.httpStatus.map(String.init) ?? "", f.code ?? "",
         f.subCodes.joined(separator: ";"), f.requestId ?? "", f.retryable ? "true" : "false", f.message]
    }
}

public struct ErrorReportError: Error, Sendable, CustomStringConvertible {
    public var path: String
    public var reason: String
    public var description: String { "cannot write the errors file \(path): \(reason)" }
}
