/// How to read the inputs of a run.
public struct ExportOptions: Sendable, Hashable {
    /// `--map canonical=Header`: column name (canonical like `password_hash`, an alias, or
    /// `customAttributes.<key>`) → the CSV header that holds it. Wins over the alias table.
    public var headerOverrides: [String: String]
    /// A record (CSV row or JSON element) longer than this is a problem, not an allocation.
    public var maxRecordBytes: Int
    /// Where the join keeps the Search Users side while joining (unlinked temporary files); nil: `TMPDIR`, /tmp.
    public var temporaryDirectory: String?
    /// Memory the join's key table may take; past it the join partitions its keys (see `SearchUsersJoin`).
    public var joinMemoryBytes: Int
    /// A join budget for readers that hold the join open for hours (the rate-limited import).
    public static let smallJoinMemoryBytes = 8 << 20
    /// Size of each `read(2)`: the window the readers parse in place.
    public var readBlockSize: Int = 1 << 20

    public init(headerOverrides: [String: String] = [:], maxRecordBytes: Int = 16 << 20,
                temporaryDirectory: String? = nil, joinMemoryBytes: Int = 48 << 20) {
        self.headerOverrides = headerOverrides
        self.maxRecordBytes = maxRecordBytes
        self.temporaryDirectory = temporaryDirectory
        self.joinMemoryBytes = joinMemoryBytes
    }
}

/// What one step of reading an export yields: a user, or a record that could not be read (with its location).
public enum ExportItem: Sendable, Hashable {
    case user(DescopeUser)
    case problem(ExportProblem)

    var problem: ExportProblem? { if case .problem(let p) = self { return p } else { return nil } }
}

public enum ExportInputFormat: String, Sendable, Hashable {
    /// A support CSV (with password hashes).
    case csv
    /// Search Users JSON in any envelope, or NDJSON.
    case searchUsersJSON = "search_users_json"
    /// Users in JSON (any envelope, or NDJSON) that carry Descope's `hashedPassword` objects, e.g. Descope's
    /// batch-create shape: a hash source and a user source at once, joined with Search Users like a support CSV.
    case usersWithHashesJSON = "users_with_hashes_json"

    /// Inputs that carry password hashes: the rows a join is driven by.
    public var carriesHashes: Bool { self != .searchUsersJSON }
}

/// The inputs of one run — any mix of support CSVs and Search Users JSON/NDJSON files — read as one stream
/// of users. With both kinds, each CSV user is joined with its Search Users record (by userId, else email
/// ignoring case, else a login id); users found in only one input are still yielded and counted.
///
/// Memory: one read window per open input (1 MiB, growing only for a record larger than that, up to
/// `maxRecordBytes`) and one record; when joining, the Search Users records go to an unlinked temporary file and
/// their keys to a table of at most `joinMemoryBytes` (partitioned past it) — nothing grows with the number of users.
///
///     let export = try UserExport(inputs: ["hashes.csv", "users.json"])
///     for item in export { … }
///     print(export.report.onlyInCSV)
public final class UserExport: Sequence {
    public let inputs: [String]
    public let formats: [ExportInputFormat]
    public let options: ExportOptions
    /// Filled in while iterating; complete once the iterator has returned nil.
    // The export's state is confined to its one iterator at a time: it skips dynamic exclusivity checks. Checked, this,
    // `keepsJoin`, `keptJoin` and the iterator's `indexingProblems` cost access checks hoisted into every row's `next`
    // (1.6% of inspect's samples, measured).
    @exclusivity(unchecked) public internal(set) var report: ExportReport

    /// Opens nothing yet but checks every input exists and can be classified (CSV or JSON) by its first bytes.
    public init(inputs: [String], options: ExportOptions = ExportOptions()) throws(ExportError) {
        self.inputs = inputs
        self.options = options
        var formats: [ExportInputFormat] = []
        for path in inputs { formats.append(try Self.sniff(path)) }
        self.formats = formats
        self.report = ExportReport(inputs: zip(inputs, formats).map { ExportReport.Input(path: $0, format: $1) })
        // Resolve CSV headers now so a bad --map or a headerless file fails before any work.
        for (path, format) in zip(inputs, formats) where format == .csv {
            _ = try CSVUserReader(path: path, options: options)
        }
        let mapped = Set(options.headerOverrides.keys)
        for key in mapped where ExportColumn.named(key) == nil && CSVColumnLayout.customAttributeKey(key) == nil {
            throw .unknownMappingKey(key)
        }
    }

    public func makeIterator() -> UserExportIterator { UserExportIterator(export: self) }

    /// Keep the join an iterator builds for the next iterator of this export (a second pass over the same inputs, as
    /// `convert` makes after its duplicate pass): it then skips reading and indexing the Search Users files again.
    @exclusivity(unchecked) public var keepsJoin = false
    /// The join the last iterator built, for the next one (taken by it).
    @exclusivity(unchecked) var keptJoin: KeptJoin?

    /// CSV unless the first non-blank byte (after a BOM) is `{` or `[`; JSON with a `hashedPassword` key in its first
    /// MiB carries hashes (Search Users answers never hold one).
    static func sniff(_ path: String) throws(ExportError) -> ExportInputFormat {
        let window = 1 << 20
        let blocks = try ByteBlocks(path: path, blockSize: window, maxRecordBytes: window)
        switch blocks.fill() {
        case .failed(let reason): throw .unreadable(path: path, reason: reason)
        default: break
        }
        var i = 0
        if blocks.end >= 3, blocks.byte(0) == 0xEF, blocks.byte(1) == 0xBB, blocks.byte(2) == 0xBF { i = 3 }
        while i < blocks.end, [0x20, 0x09, 0x0A, 0x0D].contains(blocks.byte(i)) { i += 1 }
        guard i < blocks.end else { throw .empty(path: path) }
        let b = blocks.byte(i)
        guard b == UInt8(ascii: "{") || b == UInt8(ascii: "[") else { return .csv }
        let text = UnsafeRawBufferPointer(start: blocks.base + i, count: blocks.end - i)
        return containsKey(["hashedpassword", "hashed_password"], in: text) ? .usersWithHashesJSON : .searchUsersJSON
    }

    /// True when `text` holds `"<key>":` for one of `keys` (lower-case ASCII), ignoring ASCII case and spaces before `:`.
    static func containsKey(_ keys: [StaticString], in text: UnsafeRawBufferPointer) -> Bool {
        let quote = UInt8(ascii: "\"")
        var i = 0
        while let q = text[i...].firstIndex(of: quote) {
            i = q + 1
            for key in keys {
                let n = key.utf8CodeUnitCount
                guard q + n + 1 < text.count, text[q + n + 1] == quote else { continue }
                var k = 0
                while k < n, text[q + 1 + k] | 0x20 == key.utf8Start[k] | 0x20 { k += 1 }
                guard k == n else { continue }
                var c = q + n + 2
                while c < text.count, text[c] == 0x20 || text[c] == 0x09 || text[c] == 0x0A || text[c] == 0x0D { c += 1 }
                if c < text.count, text[c] == UInt8(ascii: ":") { return true }
            }
        }
        return false
    }
}

/// What reading the inputs found, besides the users themselves.
public struct ExportReport: Sendable, Hashable {
    public struct Input: Sendable, Hashable {
        public var path: String
        public var format: ExportInputFormat
        /// Records read (CSV rows after the header, or JSON elements), users and problems together.
        public var records = 0
        public var users = 0
        public var problems = 0
        /// CSV only: recognised columns as (canonical name, header as written), in header order.
        public var recognisedColumns: [RecognisedColumn] = []
        public var customAttributeColumns: [String] = []
        /// CSV only: `hashedPassword.<kind>.<field>` columns, as written.
        public var hashObjectColumns: [String] = []
        /// CSV only: headers nothing is known about (reported once, not fatal).
        public var unknownColumns: [String] = []
        /// CSV only: headers that repeat an already-mapped column (ignored).
        public var duplicateColumns: [String] = []
        public init(path: String, format: ExportInputFormat) { self.path = path; self.format = format }
    }
    public struct RecognisedColumn: Sendable, Hashable {
        public var column: ExportColumn
        public var header: String
    }

    public var inputs: [Input]
    /// True when CSV and Search Users inputs were joined.
    public var joinPerformed = false
    public var joinedByUserId = 0
    public var joinedByEmail = 0
    public var joinedByLoginId = 0
    public var joined: Int { joinedByUserId + joinedByEmail + joinedByLoginId }
    /// CSV users with no Search Users record (only when joining).
    public var onlyInCSV = 0
    /// Search Users records no CSV row matched (only when joining).
    public var onlyInSearchUsers = 0
    /// Users yielded, joined or not.
    public var users = 0
    /// Record-level problems yielded.
    public var problems = 0

    public init(inputs: [Input]) { self.inputs = inputs }
}
