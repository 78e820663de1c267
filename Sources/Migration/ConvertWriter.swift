import DescopeExport

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

    /// JSONL: every row, whatever its outcome. CSV: only rows WorkOS should create (the CLI has no status column);
    /// a user in several tenants gets one line per membership (same user fields), as the CLI expects.
    public func write(_ user: MappedUser) throws(OutputFile.OpenError) {
        switch format {
        case .jsonl:
            try file.append { Self.appendJSONL(user, to: &$0) }
            recordsWritten += 1
        case .csv:
            guard user.status.isImportable else { return }
            try file.append { Self.appendCSV(user, to: &$0) }
            recordsWritten += 1
        }
    }

    public func finish() throws(OutputFile.OpenError) { try file.finish() }

    /// One record written by the caller (convert's fast path writes plain rows from their bytes).
    func appendRaw(_ body: (inout [UInt8]) -> Void) throws(OutputFile.OpenError) {
        try file.append(body)
        recordsWritten += 1
    }

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

    /// `{"row":2,"source_user_id":"U…","status":"ready","user":{…},"memberships":[…],"problems":[…]}`
    static func appendJSONL(_ user: MappedUser, to out: inout [UInt8]) {
        JSONText.appendRaw("{\"row\":", to: &out)
        JSONText.appendInt(user.row, to: &out)
        JSONText.appendRaw(",\"source_user_id\":", to: &out)
        if let id = user.sourceUserId { JSONText.appendString(id, to: &out) } else { JSONText.appendRaw("null", to: &out) }
        JSONText.appendRaw(",\"status\":\"", to: &out)
        out.append(contentsOf: user.status.name.utf8)
        JSONText.appendRaw("\",\"user\":", to: &out)
        appendUserBody(user.user, to: &out)
        JSONText.appendRaw(",\"memberships\":[", to: &out)
        for (i, m) in user.memberships.enumerated() {
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
        for (i, p) in user.problems.enumerated() {
            if i > 0 { out.append(0x2C) }
            Self.appendProblem(p, to: &out)
        }
        JSONText.appendRaw("]}\n", to: &out)
    }

    /// One entry of a record's `problems`: `{"code":…,"severity":…,"message":…}` (both convert paths).
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
    public static func appendUserBody(_ body: WorkOSUserBody, to out: inout [UInt8]) {
        JSONText.appendRaw("{\"email\":", to: &out)
        JSONText.appendString(body.email, to: &out)
        if let v = body.firstName { JSONText.appendRaw(",\"first_name\":", to: &out); JSONText.appendString(v, to: &out) }
        if let v = body.lastName { JSONText.appendRaw(",\"last_name\":", to: &out); JSONText.appendString(v, to: &out) }
        if let v = body.emailVerified {
            if v { JSONText.appendRaw(",\"email_verified\":true", to: &out) } else { JSONText.appendRaw(",\"email_verified\":false", to: &out) }
        }
        if let v = body.externalId { JSONText.appendRaw(",\"external_id\":", to: &out); JSONText.appendString(v, to: &out) }
        if !body.metadata.isEmpty {
            JSONText.appendRaw(",\"metadata\":", to: &out)
            appendMetadata(body.metadata, to: &out)
        }
        if let hash = body.passwordHash {
            JSONText.appendRaw(",\"password_hash\":", to: &out); JSONText.appendString(hash.string, to: &out)
            JSONText.appendRaw(",\"password_hash_type\":", to: &out); JSONText.appendString(hash.type, to: &out)
        }
        out.append(0x7D)
    }

    static func appendMetadata(_ metadata: [(key: String, value: String)], to out: inout [UInt8]) {
        out.append(0x7B)
        for (i, (k, v)) in metadata.enumerated() {
            if i > 0 { out.append(0x2C) }
            JSONText.appendString(k, to: &out); out.append(0x3A); JSONText.appendString(v, to: &out)
        }
        out.append(0x7D)
    }

    // MARK: CSV

    static func appendCSV(_ user: MappedUser, to out: inout [UInt8]) {
        let body = user.user
        var metadata: [UInt8] = []
        if !body.metadata.isEmpty { appendMetadata(body.metadata, to: &metadata) }
        let memberships: [MappedMembership?] = user.memberships.isEmpty ? [nil] : user.memberships
        for membership in memberships {
            appendCell(body.email, to: &out); out.append(0x2C)
            appendCell(body.firstName ?? "", to: &out); out.append(0x2C)
            appendCell(body.lastName ?? "", to: &out); out.append(0x2C)
            if let v = body.emailVerified { out.append(contentsOf: (v ? "true" : "false").utf8) }
            out.append(0x2C)
            appendCell(body.passwordHash?.string ?? "", to: &out); out.append(0x2C)
            appendCell(body.passwordHash?.type ?? "", to: &out); out.append(0x2C)
            appendCell(body.externalId ?? "", to: &out); out.append(0x2C)
            appendCell(String(decoding: metadata, as: UTF8.self), to: &out); out.append(0x2C)
            appendCell(membership?.tenantId ?? "", to: &out); out.append(0x2C)
            appendCell(membership?.roleSlugs.joined(separator: ",") ?? "", to: &out)
            out.append(0x0A)
        }
    }

    /// RFC 4180 cell: quoted when it holds `,` `"` CR or LF; a leading `= + - @` is NOT altered (hashes start
    /// with `$`, and altering data would break the import), so open the file in a spreadsheet with care.
    static func appendCell(_ s: String, to out: inout [UInt8]) {
        let needsQuotes = s.utf8.contains { (b: UInt8) -> Bool in b == 0x2C || b == 0x22 || b == 0x0A || b == 0x0D }
        guard needsQuotes else { out.append(contentsOf: s.utf8); return }
        out.append(0x22)
        for b in s.utf8 {
            if b == 0x22 { out.append(0x22) }
            out.append(b)
        }
        out.append(0x22)
    }
}
