/// Why an input cannot be read at all (a problem with one record is an `ExportProblem` instead).
public enum ExportError: Error, Sendable, Hashable, CustomStringConvertible {
    case unreadable(path: String, reason: String)
    case empty(path: String)
    /// The input is neither CSV nor JSON, or JSON without users/tenants in a known envelope.
    case unknownFormat(path: String, reason: String)
    /// The CSV's first row names no known column (a headerless file?).
    case noHeader(path: String, firstRow: [String])
    /// `--map KEY=…` where KEY is no column name.
    case unknownMappingKey(String)
    /// `--map column=Header` where the CSV has no such header.
    case mappedHeaderMissing(path: String, column: String, header: String, available: [String])
    /// The temporary join index (SQLite) failed.
    case joinIndex(String)

    public var description: String {
        switch self {
        case let .unreadable(path, reason): return "\(path): cannot read: \(reason)"
        case let .empty(path): return "\(path): the file is empty"
        case let .unknownFormat(path, reason): return "\(path): not a Descope export: \(reason)"
        case let .noHeader(path, firstRow):
            let shown = firstRow.prefix(5).map { "'\($0.prefix(40))'" }.joined(separator: ", ")
            return "\(path): the first row (\(shown)) names no known column: is the header row missing? "
                + "Add one, or name the columns with --map canonical=Header"
        case let .unknownMappingKey(key):
            let names = ExportColumn.allCases.map(\.rawValue).joined(separator: ", ")
            return "--map \(key)=…: '\(key)' is not a column; use one of: \(names), or customAttributes.<key>"
        case let .mappedHeaderMissing(path, column, header, available):
            return "\(path): --map \(column)=\(header): no column named '\(header)'; the header has: "
                + available.joined(separator: ", ")
        case let .joinIndex(reason): return "temporary join index: \(reason)"
        }
    }
}

extension ExportProblem {
    /// Stable problem codes (reports group by them).
    public enum Code {
        public static let raggedRow = "ragged_row"
        public static let unterminatedQuote = "unterminated_quote"
        public static let textAfterQuote = "text_after_quote"
        public static let recordTooLarge = "record_too_large"
        public static let invalidUTF8 = "invalid_utf8"
        public static let readError = "read_error"
        public static let invalidJSON = "invalid_json"
        public static let notAUser = "not_a_user"
        public static let notATenant = "not_a_tenant"
        public static let invalidBoolean = "invalid_boolean"
        public static let invalidCreatedTime = "invalid_created_time"
        public static let invalidList = "invalid_list"
        public static let invalidTenants = "invalid_tenants"
        public static let invalidCustomAttributes = "invalid_custom_attributes"
        public static let invalidField = "invalid_field"
        public static let ambiguousJoin = "ambiguous_join"
    }
}
