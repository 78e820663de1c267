/// Support-CSV records → `DescopeUser`s: the header resolved once, then every record checked (field count,
/// quoting, UTF-8 of the fields used) and its mapped fields read. Unmapped fields never become Strings.
public final class CSVUserReader {
    public let csv: CSVReader
    public let layout: CSVColumnLayout
    /// (field index, column) of every mapped column, in field order.
    private let mapped: [(index: Int, column: ExportColumn)]
    /// `password` holds the has-a-password flag, not a hash, when a hash column also exists.
    private let passwordIsFlagOnly: Bool
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
    }

    /// The next user or problem; nil at the end of the file.
    public func next() -> ExportItem? {
        guard csv.nextRecord() else { return nil }
        return currentItem()
    }

    /// The record `csv` is on as a user or a problem — for callers that step `csv.nextRecord()` themselves and
    /// read most rows from the field bytes (inspect's fast path), making a `DescopeUser` only for the others.
    public func currentItem() -> ExportItem {
        recordsRead += 1
        let location = SourceLocation(file: csv.path, line: csv.line)
        if let problem = recordProblem(location) { problemsFound += 1; return .problem(problem) }
        return currentUser()
    }

    /// A record checked for quoting and field count, before any String is made.
    public enum CheckedRecord: Sendable, Hashable {
        /// Fields can be read from `csv` by the indexes in `layout` (or turned into a user with `currentUser()`).
        case record(SourceLocation)
        case problem(ExportProblem)
    }

    /// Advances to the next record and checks it, without building a user: the fast path for callers that
    /// read a few fields by index (`csv.withField(layout[.passwordHash]!)`). Nil at the end of the file.
    public func nextCheckedRecord() -> CheckedRecord? {
        guard csv.nextRecord() else { return nil }
        recordsRead += 1
        let location = SourceLocation(file: csv.path, line: csv.line)
        if let problem = recordProblem(location) { problemsFound += 1; return .problem(problem) }
        return .record(location)
    }

    /// The current (checked, well-formed) record as a user; a problem when a mapped field is not UTF-8.
    public func currentUser() -> ExportItem {
        let location = SourceLocation(file: csv.path, line: csv.line)
        var user = DescopeUser(source: location)
        for (index, column) in mapped {
            guard let text = csv.string(at: index) else {
                problemsFound += 1
                return .problem(ExportProblem(location: location, code: ExportProblem.Code.invalidUTF8,
                    message: "line \(csv.line): column '\(layout.headers[index])' is not valid UTF-8"))
            }
            assign(text, to: column, of: &user, header: layout.headers[index])
        }
        for field in layout.customAttributeFields {
            guard let text = csv.string(at: field.index) else {
                problemsFound += 1
                return .problem(ExportProblem(location: location, code: ExportProblem.Code.invalidUTF8,
                    message: "line \(csv.line): column '\(layout.headers[field.index])' is not valid UTF-8"))
            }
            if !text.isEmpty { user.customAttributes.append(CustomAttribute(key: field.key, value: .string(text))) }
        }
        for field in layout.hashObjectFields {
            guard let text = csv.string(at: field.index) else {
                problemsFound += 1
                return .problem(ExportProblem(location: location, code: ExportProblem.Code.invalidUTF8,
                    message: "line \(csv.line): column '\(layout.headers[field.index])' is not valid UTF-8"))
            }
            let value = text.trimmingSpaces
            if !value.isEmpty { user.hash.objectFields.append(HashObjectCell(kind: field.kind, field: field.field, value: value)) }
        }
        return .user(user)
    }

    /// A record that cannot be read field by field: broken quoting, too long, or the wrong number of fields.
    private func recordProblem(_ location: SourceLocation) -> ExportProblem? {
        let line = csv.line
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
        let expected = layout.headers.count
        guard csv.fieldCount != expected else { return nil }
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

    private func assign(_ text: String, to column: ExportColumn, of user: inout DescopeUser, header: String) {
        func nonEmpty() -> String? { text.isEmpty ? nil : text }
        func problem(_ code: String, _ why: String) {
            user.problems.append(ExportProblem(location: user.source, code: code,
                message: "line \(user.source.line): column '\(header)' \(why)"))
        }
        func flag() -> Bool? {
            if text.trimmingSpaces.isEmpty { return nil }
            if let b = CellValues.bool(text) { return b }
            problem(ExportProblem.Code.invalidBoolean, "is not true/false: '\(text.prefix(20))'")
            return nil
        }
        func list() -> [String] {
            switch CellValues.list(text) {
            case .success(let items): return items
            case .failure(let e): problem(ExportProblem.Code.invalidList, e.reason); return []
            }
        }
        switch column {
        case .userId: user.userId = nonEmpty()
        case .loginIds: user.loginIds = list()
        case .email: user.email = nonEmpty()
        case .emailVerified: user.verifiedEmail = flag()
        case .phone: user.phone = nonEmpty()
        case .phoneVerified: user.verifiedPhone = flag()
        case .name: user.name = nonEmpty()
        case .givenName: user.givenName = nonEmpty()
        case .middleName: user.middleName = nonEmpty()
        case .familyName: user.familyName = nonEmpty()
        case .status: user.status = nonEmpty()?.trimmingSpaces.lowercased()
        case .createdAt:
            guard !text.trimmingSpaces.isEmpty else { return }
            if let t = CellValues.epochSeconds(text) { user.createdTime = t } else {
                problem(ExportProblem.Code.invalidCreatedTime,
                        "is not epoch seconds, epoch milliseconds or ISO-8601: '\(text.prefix(40))'")
            }
        case .projectRoles: user.roleNames = list()
        case .tenants:
            switch CellValues.tenants(text) {
            case .success(let t): user.tenants = t
            case .failure(let e): problem(ExportProblem.Code.invalidTenants, e.reason)
            }
        case .customAttributes:
            switch CellValues.customAttributes(text) {
            case .success(let attributes): user.customAttributes.append(contentsOf: attributes)
            case .failure(let e): problem(ExportProblem.Code.invalidCustomAttributes, e.reason)
            }
        case .picture: user.picture = nonEmpty()
        case .test: user.test = flag() ?? false
        case .password:
            if let b = CellValues.bool(text) { user.hasPassword = b }
            else if !passwordIsFlagOnly { user.hash.hash = nonEmpty() }
            else if !text.isEmpty { problem(ExportProblem.Code.invalidBoolean, "is not true/false (the hash is in another column)") }
        case .passwordHash: user.hash.hash = nonEmpty()
        case .passwordHashType: user.hash.type = nonEmpty()
        case .passwordSalt: user.hash.salt = nonEmpty()
        case .passwordIterations: user.hash.iterations = nonEmpty()
        case .passwordMemory: user.hash.memory = nonEmpty()
        case .passwordThreads: user.hash.threads = nonEmpty()
        case .passwordDigest: user.hash.digest = nonEmpty()
        case .passwordSignerKey: user.hash.signerKey = nonEmpty()
        case .passwordSaltSeparator: user.hash.saltSeparator = nonEmpty()
        }
    }
}
