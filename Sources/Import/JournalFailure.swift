import Mapping
import Preflight
import GRDB

/// The words for a journal that cannot be written: the import stops there, because a request whose intent or
/// answer cannot be recorded could not be resumed without a duplicate.
enum JournalFailure {
    /// SQLite's reason, with the likely cause when it is a write that failed.
    static func cause(_ error: DatabaseError) -> String {
        let reason = error.message ?? "SQLite error \(error.resultCode.rawValue)"
        return isWriteFailure(error) ? "\(reason) (is the disk full?)" : reason
    }

    static func sentence(_ error: DatabaseError, path: String) -> String {
        "the import journal \(path) cannot be written: \(cause(error)); nothing more was sent"
    }

    /// A write the disk refused (full, over a size limit, an I/O error), as opposed to a file that is no journal.
    static func isWriteFailure(_ error: DatabaseError) -> Bool { [.SQLITE_FULL, .SQLITE_IOERR].contains(error.resultCode) }
}
