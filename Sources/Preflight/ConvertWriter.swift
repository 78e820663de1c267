import Mapping
import DescopeExport
import PasswordHashes

/// Writes mapped users to the file `convert` was asked for: JSONL (DESIGN §3) or the CSV WorkOS's migrations CLI reads.
public final class ConvertWriter {
    public enum Format: String, Sendable {
        case jsonl, csv
        /// From the output file's extension: `.csv` → CSV, anything else → JSONL.
        public init(path: String) { self = path.lowercased().hasSuffix(".csv") ? .csv : .jsonl }
    }

    /// The CSV columns of WorkOS's migrations CLI, in order.
    public static let csvColumns = ["email", "first_name", "last_name", "email_verified", "password_hash",
                                    "password_hash_type", "external_id", "metadata", "org_external_id", "role_slugs"]

    public let format: Format
    private let file: OutputFile
    public private(set) var recordsWritten = 0

    public init(path: String, format: Format? = nil) throws(OutputFile.OpenError) {
        self.format = format ?? Format(path: path)
        file = try OutputFile(path: path)
        if self.format == .csv {
            try file.append { out in
                out.append(contentsOf: Self.csvColumns.joined(separator: ",").utf8)
                out.append(0x0A)
            }
        }
    }

    /// One mapped row. JSONL: every row, whatever its outcome. CSV: only rows WorkOS should create (the CLI has no
    /// status column); a user in several tenants gets one line per membership (same user fields), as the CLI expects.
    public func write(_ view: UserView, _ row: RowMapping, problems: [MigrationProblem], hashes: HashShapes) throws(OutputFile.OpenError) {
        let fields = Fields(view: view, row: row, hashes: hashes)
        switch format {
        case .jsonl:
            try file.append { Self.appendJSONL(fields, problems: problems, to: &$0) }
            recordsWritten += 1
        case .csv:
            guard row.status.isImportable else { return }
            try file.append { Self.appendCSV(fields, to: &$0) }
            recordsWritten += 1
        }
    }

    /// An owned user mapped and written as `convert` would (tests, small callers).
    public func write(_ user: DescopeUser, mapper: UserMapper) throws(OutputFile.OpenError) {
        let arena = ViewArena(chunkSize: 4096)
        let view = UserView(user, arena: arena)
        let hashes = HashShapes(saltEncoding: mapper.options.saltEncoding)
        var problems = ProblemList()
        let row = mapper.map(view, hashes: hashes, into: &problems)
        try write(view, row, problems: problems.sorted, hashes: hashes)
    }

    public func finish() throws(OutputFile.OpenError) { try file.finish() }

    /// JSONL only: a record the reader could not read is still a line, `rejected`, so no row goes missing.
    public func writeUnreadable(_ problem: ExportProblem) throws(OutputFile.OpenError) {
        guard format == .jsonl else { return }
        try file.append { out in
            JSONText.appendRaw("{\"row\":", to: &out)
            JSONText.appendInt(problem.location.line, to: &out)
            JSONText.appendRaw(",\"source_user_id\":null,\"status\":\"rejected\",\"user\":null,\"memberships\":[],\"problems\":[{\"code\":", to: &out)
            JSONText.appendString(problem.code, to: &out)
            JSONText.appendRaw(",\"severity\":\"error\",\"message\":", to: &out)
            JSONText.appendString(problem.message, to: &out)
            JSONText.appendRaw("}]}\n", to: &out)
        }
        recordsWritten += 1
    }

    // MARK: JSONL

    /// What a row's record is made of: the view's and the mapping's spans.
    struct Fields {
        let view: UserView
        let row: RowMapping
        let hashes: HashShapes
    }

    /// `{"row":2,"source_user_id":"U…","status":"ready","user":{…},"memberships":[…],"problems":[…]}`
    static func appendJSONL(_ f: Fields, problems: [MigrationProblem], to out: inout [UInt8]) {
        JSONText.appendRaw("{\"row\":", to: &out)
        JSONText.appendInt(f.view.source.line, to: &out)
        JSONText.appendRaw(",\"source_user_id\":", to: &out)
        if f.view.userId.isEmpty { JSONText.appendRaw("null", to: &out) } else { JSONText.appendString(contiguous: f.view.userId.bytes, to: &out) }
        JSONText.appendRaw(",\"status\":\"", to: &out)
        out.append(contentsOf: f.row.status.name.utf8)
        JSONText.appendRaw("\",\"user\":", to: &out)
        appendUserBody(f, to: &out)
        JSONText.appendRaw(",\"memberships\":[", to: &out)
        for (i, m) in f.row.memberships.enumerated() {
            if i > 0 { out.append(0x2C) }
            JSONText.appendRaw("{\"tenant_id\":", to: &out)
            JSONText.appendString(m.tenantId, to: &out)
            JSONText.appendRaw(",\"role_slugs\":[", to: &out)
            for (j, slug) in m.roleSlugs.enumerated() {
                if j > 0 { out.append(0x2C) }
                JSONText.appendString(slug, to: &out)
            }
            JSONText.appendRaw("]}", to: &out)
        }
        JSONText.appendRaw("],\"problems\":[", to: &out)
        for (i, p) in problems.enumerated() {
            if i > 0 { out.append(0x2C) }
            Self.appendProblem(p, to: &out)
        }
        JSONText.appendRaw("]}\n", to: &out)
    }

    /// One entry of a record's `problems`: `{"code":…,"severity":…,"message":…}`.
    static func appendProblem(_ p: MigrationProblem, to out: inout [UInt8]) {
        JSONText.appendRaw("{\"code\":", to: &out)
        JSONText.appendString(p.code, to: &out)
        JSONText.appendRaw(",\"severity\":\"", to: &out)
        out.append(contentsOf: p.severity.rawValue.utf8)
        JSONText.appendRaw("\",\"message\":", to: &out)
        JSONText.appendString(p.message, to: &out)
        out.append(0x7D)
    }

    /// The WorkOS create-user body, snake_case, empty fields omitted (workos-api.md).
    static func appendUserBody(_ f: Fields, to out: inout [UInt8]) {
        JSONText.appendRaw("{\"email\":", to: &out)
        JSONText.appendString(contiguous: f.row.email.bytes, to: &out)
        if !f.row.firstName.isEmpty { JSONText.appendRaw(",\"first_name\":", to: &out); JSONText.appendString(contiguous: f.row.firstName.bytes, to: &out) }
        if !f.row.lastName.isEmpty { JSONText.appendRaw(",\"last_name\":", to: &out); JSONText.appendString(contiguous: f.row.lastName.bytes, to: &out) }
        if let v = f.view.verifiedEmail {
            if v { JSONText.appendRaw(",\"email_verified\":true", to: &out) } else { JSONText.appendRaw(",\"email_verified\":false", to: &out) }
        }
        if !f.row.externalId.isEmpty { JSONText.appendRaw(",\"external_id\":", to: &out); JSONText.appendString(contiguous: f.row.externalId.bytes, to: &out) }
        var first = true
        MetadataBuilder().forEachEntry(f.view, keepUserId: f.row.keepUserIdInMetadata) { key, value, _ in
            JSONText.appendRaw(first ? ",\"metadata\":{" : ",", to: &out)
            first = false
            JSONText.appendString(contiguous: key, to: &out); out.append(0x3A)
            value.withText { JSONText.appendString(contiguous: $0, to: &out) }
        }
        if !first { out.append(0x7D) }
        if f.row.carriesPassword, let verdict = f.row.hash {
            JSONText.appendRaw(",\"password_hash\":\"", to: &out)
            // WorkOS strings are ASCII without quotes or backslashes: written as they are.
            f.hashes.appendWorkOSString(verdict, to: &out)
            JSONText.appendRaw("\",\"password_hash_type\":", to: &out); JSONText.appendString(f.hashes.workOSType(verdict), to: &out)
        }
        out.append(0x7D)
    }

    // MARK: CSV

    static func appendCSV(_ f: Fields, to out: inout [UInt8]) {
        var metadata: [UInt8] = []
        MetadataBuilder().forEachEntry(f.view, keepUserId: f.row.keepUserIdInMetadata) { key, value, _ in
            metadata.append(metadata.isEmpty ? 0x7B : 0x2C)
            JSONText.appendString(contiguous: key, to: &metadata); metadata.append(0x3A)
            value.withText { JSONText.appendString(contiguous: $0, to: &metadata) }
        }
        if !metadata.isEmpty { metadata.append(0x7D) }
        var hash: [UInt8] = [], type = ""
        if f.row.carriesPassword, let verdict = f.row.hash {
            f.hashes.appendWorkOSString(verdict, to: &hash)
            type = f.hashes.workOSType(verdict)
        }
        let memberships: [MappedMembership?] = f.row.memberships.isEmpty ? [nil] : f.row.memberships
        for membership in memberships {
            appendCell(f.row.email.bytes, to: &out); out.append(0x2C)
            appendCell(f.row.firstName.bytes, to: &out); out.append(0x2C)
            appendCell(f.row.lastName.bytes, to: &out); out.append(0x2C)
            if let v = f.view.verifiedEmail { out.append(contentsOf: (v ? "true" : "false").utf8) }
            out.append(0x2C)
            hash.withUnsafeBytes { appendCell($0, to: &out) }; out.append(0x2C)
            appendCell(type, to: &out); out.append(0x2C)
            appendCell(f.row.externalId.bytes, to: &out); out.append(0x2C)
            metadata.withUnsafeBytes { appendCell($0, to: &out) }; out.append(0x2C)
            appendCell(membership?.tenantId ?? "", to: &out); out.append(0x2C)
            appendCell(membership?.roleSlugs.joined(separator: ",") ?? "", to: &out)
            out.append(0x0A)
        }
    }

    /// RFC 4180 cell: quoted when it holds `,` `"` CR or LF; a leading `= + - @` is NOT altered (hashes start
    /// with `$`, and altering data would break the import), so open the file in a spreadsheet with care.
    static func appendCell(_ b: UnsafeRawBufferPointer, to out: inout [UInt8]) {
        let needsQuotes = b.contains { (c: UInt8) -> Bool in c == 0x2C || c == 0x22 || c == 0x0A || c == 0x0D }
        guard needsQuotes else { out.append(contentsOf: b); return }
        out.append(0x22)
        for c in b {
            if c == 0x22 { out.append(0x22) }
            out.append(c)
        }
        out.append(0x22)
    }

    static func appendCell(_ s: String, to out: inout [UInt8]) {
        var s = s
        s.withUTF8 { appendCell(UnsafeRawBufferPointer($0), to: &out) }
    }
}
