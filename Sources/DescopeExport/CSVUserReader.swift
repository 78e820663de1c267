/// Support-CSV records → `DescopeUser`s: the header resolved once, then every record checked (field count,
/// quoting, UTF-8 of the fields used) and its mapped fields read. Unmapped fields never become Strings.
public final class CSVUserReader {
    public let csv: CSVReader
    public let layout: CSVColumnLayout
    /// (field index, column) of every mapped column, in field order.
    private let mapped: [(index: Int, column: ExportColumn)]
    /// `password` holds the has-a-password flag, not a hash, when a hash column also exists.
    private let passwordIsFlagOnly: Bool
    /// Read per record, kept here as plain values (the layout's arrays would be retained on every read).
    private let path: String
    private let headerCount: Int
    private let hasCellColumns: Bool
    @exclusivity(unchecked) public private(set) var recordsRead = 0
    @exclusivity(unchecked) public private(set) var problemsFound = 0

    public convenience init(path: String, options: ExportOptions = ExportOptions()) throws(ExportError) {
        let csv = try CSVReader(path: path, blockSize: options.readBlockSize, maxRecordBytes: options.maxRecordBytes)
        try self.init(csv: csv, options: options)
    }

    public init(csv: CSVReader, options: ExportOptions = ExportOptions()) throws(ExportError) {
        self.csv = csv
        var headers: [String]? = nil
        while headers == nil {
            guard csv.nextRecord() else { throw .empty(path: csv.path) }
            if case .readFailed(let reason) = csv.problem { throw .unreadable(path: csv.path, reason: reason) }
            guard csv.problem == nil else {
                throw .unknownFormat(path: csv.path, reason: "the header row (line \(csv.line)) is not valid CSV")
            }
            var row: [String] = []
            for i in 0..<csv.fieldCount {
                guard let s = csv.string(at: i) else {
                    throw .unknownFormat(path: csv.path, reason: "header field \(i + 1) is not valid UTF-8")
                }
                row.append(s.trimmingSpaces)
            }
            headers = row
        }
        layout = try CSVColumnLayout(path: csv.path, headers: headers ?? [], overrides: options.headerOverrides)
        mapped = layout.fieldIndex.map { ($0.value, $0.key) }.sorted { $0.index < $1.index }
        passwordIsFlagOnly = layout[.passwordHash] != nil
        path = csv.path
        headerCount = layout.headers.count
        hasCellColumns = !layout.customAttributeFields.isEmpty || !layout.hashObjectFields.isEmpty
    }

    /// The bytes behind the current view that are not in the window (unescaped fields, lists).
    private let arena = ViewArena()

    /// The next user or problem; nil at the end of the file.
    public func next() -> ExportItem? {
        switch nextView() {
        case .user(let view)?: return .user(DescopeUser(view))
        case .problem(let problem)?: return .problem(problem)
        case nil: return nil
        }
    }

    /// The next record as a view (valid until the next call) or a problem; nil at the end of the file.
    public func nextView() -> ViewItem? {
        var view = UserView(source: SourceLocation(file: csv.path, line: 0))
        switch next(into: &view) {
        case .user: return .user(view)
        case .problem(let p): return .problem(p)
        case .end: return nil
        }
    }

    /// The next record into `view` (a user there is valid until the next call; nothing is copied).
    public func next(into view: inout UserView) -> ReadStep {
        guard csv.nextRecordPlainFirst() else { return .end }
        return current(into: &view)
    }

    /// The record `csv` is on, into `view` (for a caller that steps `csv.nextRecord()` itself).
    public func current(into view: inout UserView) -> ReadStep {
        recordsRead += 1
        if let problem = recordProblem() {
            problemsFound += 1
            return .problem(problem)
        }
        arena.reset()
        view.reset(file: path, line: csv.line)
        // An all-ASCII record (the masks already say so) is valid UTF-8 in every field.
        let ascii = csv.recordIsASCII
        for (index, column) in mapped {
            let text = csv.field(index, arena: arena)
            if !ascii, !UTF8Text.isValid(text.bytes) { return invalidUTF8(index, view.source) }
            assign(text, to: column, of: &view, field: index)
        }
        if hasCellColumns, let problem = readCellColumns(into: &view, ascii: ascii) { return problem }
        return .user
    }

    /// Custom-attribute and flattened hash-object columns into `view`; a problem step when one is not UTF-8.
    private func readCellColumns(into view: inout UserView, ascii: Bool) -> ReadStep? {
        if !layout.customAttributeFields.isEmpty {
            var attributes: [AttributeView] = []
            for field in layout.customAttributeFields {
                let text = csv.field(field.index, arena: arena)
                if !ascii, !UTF8Text.isValid(text.bytes) { return invalidUTF8(field.index, view.source) }
                if !text.isEmpty { attributes.append(AttributeView(key: arena.copy(field.key), kind: .string, value: text)) }
            }
            view.customAttributes = arena.attributes(Array(view.customAttributes) + attributes)
        }
        if !layout.hashObjectFields.isEmpty {
            var cells: [ObjectCellView] = []
            for field in layout.hashObjectFields {
                let text = csv.field(field.index, arena: arena)
                if !ascii, !UTF8Text.isValid(text.bytes) { return invalidUTF8(field.index, view.source) }
                let value = text.trimmingSpaces
                if !value.isEmpty { cells.append(ObjectCellView(kind: arena.copy(field.kind), field: arena.copy(field.field), value: value)) }
            }
            view.hash.objectCells = arena.cells(cells)
        }
        return nil
    }

    private func invalidUTF8(_ index: Int, _ location: SourceLocation) -> ReadStep {
        problemsFound += 1
        return .problem(ExportProblem(location: location, code: ExportProblem.Code.invalidUTF8,
            message: "line \(csv.line): column '\(layout.headers[index])' is not valid UTF-8"))
    }

    /// A record that cannot be read field by field: broken quoting, too long, or the wrong number of fields.
    @inline(__always) private func recordProblem() -> ExportProblem? {
        // Most records have none: checked inline, and the problem (a String copy, words) made only for one that does.
        if csv.problem == nil, csv.fieldCount == headerCount { return nil }
        return wordedRecordProblem()
    }

    private func wordedRecordProblem() -> ExportProblem? {
        let line = csv.line
        let location = SourceLocation(file: path, line: line)
        switch csv.problem {
        case .none: break
        case .unterminatedQuote?:
            return ExportProblem(location: location, code: ExportProblem.Code.unterminatedQuote,
                message: "line \(line): a quoted field is never closed; this record was skipped and reading resumed on the next line")
        case .textAfterClosingQuote(let field)?:
            return ExportProblem(location: location, code: ExportProblem.Code.textAfterQuote,
                message: "line \(line): text after the closing quote of field \(field + 1) (\(header(field))); a quote inside a quoted field must be doubled (\"\")")
        case .recordTooLarge(let limit)?:
            return ExportProblem(location: location, code: ExportProblem.Code.recordTooLarge,
                message: "line \(line): the record is longer than \(limit >= 1 << 20 ? "\(limit >> 20) MiB" : "\(limit) bytes"); it was skipped up to the next line break")
        case .readFailed(let reason)?:
            return ExportProblem(location: location, code: ExportProblem.Code.readError,
                message: "line \(line): reading failed: \(reason); the rest of the file was not read")
        }
        let expected = headerCount
        var message = "line \(line): row has \(csv.fieldCount) fields, header has \(expected)"
        if csv.fieldCount > expected, let hint = unquotedHashHint() { message += ": " + hint }
        return ExportProblem(location: location, code: ExportProblem.Code.raggedRow, message: message)
    }

    /// Argon2/scrypt/PBKDF2 strings hold commas (`m=65536,t=3,p=4`): unquoted, they split into extra fields.
    private func unquotedHashHint() -> String? {
        for i in 0..<csv.fieldCount where !csv.isQuoted(i) {
            let prefix: String = csv.withField(i) { String(decoding: $0.prefix(9), as: UTF8.self) }
            guard prefix.hasPrefix("$") else { continue }
            if prefix.hasPrefix("$argon2") {
                return "an unquoted Argon2 hash contains commas — quote the field"
            }
            if prefix.hasPrefix("$scrypt") || prefix.hasPrefix("$pbkdf2") || prefix.hasPrefix("$7$") {
                return "an unquoted hash with comma-separated parameters splits the row — quote the field"
            }
        }
        return nil
    }

    private func header(_ field: Int) -> String {
        field < layout.headers.count ? "'\(layout.headers[field])'" : "beyond the header"
    }

    /// One cell into its field of the view; a cell that cannot be read as its column's type is a problem on the
    /// user (the field is left empty), worded with the header and the first characters of the cell.
    private func assign(_ text: TextSpan, to column: ExportColumn, of user: inout UserView, field: Int) {
        func problem(_ code: String, _ why: String) {
            user.problems.append(ExportProblem(location: user.source, code: code,
                message: "line \(user.source.line): column '\(layout.headers[field])' \(why)"))
        }
        func prefix(_ n: Int) -> Substring { text.string.prefix(n) }
        func flag() -> Bool? {
            if text.trimmingSpaces.isEmpty { return nil }
            if let b = CellValues.bool(text) { return b }
            problem(ExportProblem.Code.invalidBoolean, "is not true/false: '\(prefix(20))'")
            return nil
        }
        func list() -> SpanList {
            switch CellValues.list(text, arena: arena) {
            case .success(let items): return items
            case .failure(let e): problem(ExportProblem.Code.invalidList, e.reason); return .empty
            }
        }
        switch column {
        case .userId: user.userId = text
        case .loginIds: user.loginIds = list()
        case .email: user.email = text
        case .emailVerified: user.verifiedEmail = flag()
        case .phone: user.phone = text
        case .phoneVerified: user.verifiedPhone = flag()
        case .name: user.name = text
        case .givenName: user.givenName = text
        case .middleName: user.middleName = text
        case .familyName: user.familyName = text
        case .status: user.status = lowercased(text.trimmingSpaces)
        case .createdAt:
            guard !text.trimmingSpaces.isEmpty else { return }
            if let t = CellValues.epochSeconds(text) { user.createdTime = t } else {
                problem(ExportProblem.Code.invalidCreatedTime, "is not epoch seconds, epoch milliseconds or ISO-8601: '\(prefix(40))'")
            }
        case .projectRoles: user.roleNames = list()
        case .tenants:
            switch CellValues.tenants(text, arena: arena) {
            case .success(let t): user.tenants = t
            case .failure(let e): problem(ExportProblem.Code.invalidTenants, e.reason)
            }
        case .customAttributes:
            switch CellValues.customAttributes(text, arena: arena) {
            case .success(let attributes): user.customAttributes = attributes
            case .failure(let e): problem(ExportProblem.Code.invalidCustomAttributes, e.reason)
            }
        case .picture: user.picture = text
        case .test: user.test = flag() ?? false
        case .password:
            if let b = CellValues.bool(text) { user.hasPassword = b }
            else if !passwordIsFlagOnly { user.hash.hash = text }
            else if !text.isEmpty { problem(ExportProblem.Code.invalidBoolean, "is not true/false (the hash is in another column)") }
        case .passwordHash: user.hash.hash = text
        case .passwordHashType: user.hash.type = text
        case .passwordSalt: user.hash.salt = text
        case .passwordIterations: user.hash.iterations = text
        case .passwordMemory: user.hash.memory = text
        case .passwordThreads: user.hash.threads = text
        case .passwordDigest: user.hash.digest = text
        case .passwordSignerKey: user.hash.signerKey = text
        case .passwordSaltSeparator: user.hash.saltSeparator = text
        }
    }

    /// The text lower-cased (`String.lowercased()`): as it is when it has no upper-case ASCII and no non-ASCII byte.
    private func lowercased(_ text: TextSpan) -> TextSpan {
        guard text.buffer.contains(where: { $0 &- 65 < 26 || $0 >= 0x80 }) else { return text }
        return arena.copy(text.string.lowercased())
    }
}

/// What reading one record yields on the view path: a user (valid until the reader's next record) or a problem.
public enum ViewItem {
    case user(UserView)
    case problem(ExportProblem)
}

/// What one step of a view reader gave: a user (in the caller's view, valid until the next step), a record that could
/// not be read, or the end of the input. The readers fill the caller's view in place: a view is large, and copying
/// it per row cost more than reading the row.
public enum ReadStep {
    case user
    case problem(ExportProblem)
    case end

    var problem: ExportProblem? { if case .problem(let p) = self { return p } else { return nil } }
}
