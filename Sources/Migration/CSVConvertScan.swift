import DescopeExport
import PasswordHashes

/// `convert`'s fast path over one support CSV: a plain row (as `CSVPreflightScan` defines it, and not part of a
/// duplicate-email group) is written as its JSONL record straight from the field bytes; every other row is mapped
/// by `UserMapper` and written by `ConvertWriter`. Both give the same bytes (the tests compare whole outputs).
struct CSVConvertScan {
    let scan: CSVPreflightScan
    let mapper: UserMapper
    let hashes: HashShapeCache

    init(reader: CSVUserReader, mapper: UserMapper, hashes: HashShapeCache) {
        scan = CSVPreflightScan(reader: reader, mapper: mapper, canaries: nil, hashes: hashes)
        self.mapper = mapper
        self.hashes = hashes
    }

    func run(writer: ConvertWriter, report: inout PreflightReport, progress: (@Sendable (Int) -> Void)?) throws(OutputFile.OpenError) {
        let reader = scan.reader
        let csv = reader.csv
        let fastPathOn = writer.format == .jsonl && scan.userId >= 0 && scan.email >= 0 && mapper.options.saltEncoding == .auto
        let duplicates = mapper.duplicates
        while csv.nextRecord() {
            if let progress, (report.users + 1) & 0xFFFF == 0 { progress(report.users + 1) }
            if fastPathOn, let (fingerprint, shape) = scan.fastRow(csv) {
                guard duplicates.groups.isEmpty || duplicates.groups[fingerprint] == nil, loginIdsArePlain(csv) else {
                    // Plain, but in a duplicate group (or with a login-id list): the general path decides and counts.
                    if shape >= 0 { hashes.uncount(shape) }
                    try fallBack(writer: writer, report: &report, hashes: hashes)
                    continue
                }
                var problem: MigrationProblem?
                var workOS: WorkOSPasswordHash?
                if shape < 0 {
                    problem = UserMapper.noPasswordHash
                } else if let refusal = hashes.shapes[shape].refusal {
                    problem = refusal
                } else {
                    workOS = csv.withField(scan.hash) { hashes.workOS($0, shape: shape) }
                    if workOS == nil {
                        hashes.uncount(shape)
                        try fallBack(writer: writer, report: &report, hashes: hashes)
                        continue
                    }
                }
                try writer.appendRaw { out in appendRecord(csv, workOS: workOS, problem: problem, to: &out) }
                report.users += 1
                report.rowsReadInPlace += 1
                if let problem {
                    report.outcomes.readyWithoutPassword += 1
                    report.note(problem, row: csv.line)
                } else {
                    report.outcomes.ready += 1
                }
                continue
            }
            try fallBack(writer: writer, report: &report, hashes: hashes)
        }
        for (shape, count) in zip(hashes.shapes, hashes.rows) where count > 0 {
            report.countHash(family: shape.family, label: shape.label, importable: shape.importable, count: count)
        }
        hashes.resetCounts()
    }

    private func fallBack(writer: ConvertWriter, report: inout PreflightReport, hashes: HashShapeCache) throws(OutputFile.OpenError) {
        switch scan.reader.currentItem() {
        case .problem(let problem):
            report.add(problem)
            try writer.writeUnreadable(problem)
        case .user(let user):
            let mapped = mapper.map(user, hashes: hashes)
            report.add(mapped)
            try writer.write(mapped)
        }
    }

    /// Login ids equal to the email (checked by `fastRow`) and free of list separators, so the list is that one email.
    private func loginIdsArePlain(_ csv: CSVReader) -> Bool {
        guard scan.loginIds >= 0, csv.rawLength(scan.loginIds) != 0 else { return true }
        return csv.withField(scan.email) { !$0.contains(UInt8(ascii: "|")) && !$0.contains(UInt8(ascii: ";")) }
    }

    /// The record `ConvertWriter.appendJSONL` writes for the same row, from the bytes.
    private func appendRecord(_ csv: CSVReader, workOS: WorkOSPasswordHash?, problem: MigrationProblem?, to out: inout [UInt8]) {
        JSONText.appendRaw("{\"row\":", to: &out)
        JSONText.appendInt(csv.line, to: &out)
        JSONText.appendRaw(",\"source_user_id\":", to: &out)
        csv.withField(scan.userId) { JSONText.appendString(bytes: $0, to: &out) }
        if problem == nil {
            JSONText.appendRaw(",\"status\":\"ready\",\"user\":{\"email\":", to: &out)
        } else {
            JSONText.appendRaw(",\"status\":\"ready_without_password\",\"user\":{\"email\":", to: &out)
        }
        csv.withField(scan.email) { JSONText.appendString(bytes: $0, to: &out) }
        appendNames(csv, to: &out)
        if scan.emailVerified >= 0 {
            csv.withField(scan.emailVerified) { b in
                if b.count == 4 { JSONText.appendRaw(",\"email_verified\":true", to: &out) }
                else if b.count == 5 { JSONText.appendRaw(",\"email_verified\":false", to: &out) }
            }
        }
        JSONText.appendRaw(",\"external_id\":", to: &out)
        csv.withField(scan.userId) { JSONText.appendString(bytes: $0, to: &out) }
        appendMetadata(csv, to: &out)
        if let workOS {
            JSONText.appendRaw(",\"password_hash\":", to: &out); JSONText.appendString(workOS.string, to: &out)
            JSONText.appendRaw(",\"password_hash_type\":", to: &out); JSONText.appendString(workOS.type, to: &out)
        }
        JSONText.appendRaw("},\"memberships\":[],\"problems\":[", to: &out)
        if let problem { ConvertWriter.appendProblem(problem, to: &out) }
        JSONText.appendRaw("]}\n", to: &out)
    }

    /// given/family names trimmed; when both are empty, the display name split at its first space or tab.
    private func appendNames(_ csv: CSVReader, to out: inout [UInt8]) {
        let given = trimmed(csv, scan.givenName), family = trimmed(csv, scan.familyName)
        if !given.isEmpty || !family.isEmpty {
            if !given.isEmpty { JSONText.appendRaw(",\"first_name\":", to: &out); JSONText.appendString(bytes: given, to: &out) }
            if !family.isEmpty { JSONText.appendRaw(",\"last_name\":", to: &out); JSONText.appendString(bytes: family, to: &out) }
            return
        }
        let name = trimmed(csv, scan.name)
        guard !name.isEmpty else { return }
        if let space = name.firstIndex(where: { $0 == 0x20 || $0 == 0x09 }) {
            JSONText.appendRaw(",\"first_name\":", to: &out); JSONText.appendString(bytes: name[..<space], to: &out)
            let rest = Self.trim(name[(space + 1)...])
            if !rest.isEmpty { JSONText.appendRaw(",\"last_name\":", to: &out); JSONText.appendString(bytes: rest, to: &out) }
        } else {
            JSONText.appendRaw(",\"first_name\":", to: &out); JSONText.appendString(bytes: name, to: &out)
        }
    }

    /// descope_login_ids, descope_status, descope_created_at, descope_middle_name — in `MetadataBuilder`'s order.
    private func appendMetadata(_ csv: CSVReader, to out: inout [UInt8]) {
        var first = true
        func key(_ k: StaticString, _ out: inout [UInt8]) {
            if first { JSONText.appendRaw(",\"metadata\":{", to: &out) } else { out.append(0x2C) }
            first = false
            out.append(0x22); JSONText.appendRaw(k, to: &out); out.append(0x22); out.append(0x3A)
        }
        if scan.loginIds >= 0, csv.rawLength(scan.loginIds) != 0 {
            key("descope_login_ids", &out)
            csv.withField(scan.loginIds) { b in
                var inner: [UInt8] = [0x5B]
                JSONText.appendString(bytes: b, to: &inner)
                inner.append(0x5D)
                JSONText.appendString(bytes: inner, to: &out)
            }
        }
        if scan.status >= 0, csv.rawLength(scan.status) != 0 {
            key("descope_status", &out)
            csv.withField(scan.status) { JSONText.appendString(bytes: $0, to: &out) }
        }
        if scan.createdAt >= 0, csv.rawLength(scan.createdAt) != 0 {
            let seconds: Int64 = csv.withField(scan.createdAt) { b in
                var v: Int64 = 0
                for c in b { v = v &* 10 &+ Int64(c &- 0x30) }
                return v >= 100_000_000_000 ? v / 1000 : v
            }
            key("descope_created_at", &out)
            JSONText.appendString(ISO8601.utcString(unixSeconds: seconds), to: &out)
        }
        if scan.middleName >= 0, csv.rawLength(scan.middleName) != 0 {
            key("descope_middle_name", &out)
            csv.withField(scan.middleName) { JSONText.appendString(bytes: $0, to: &out) }
        }
        if !first { out.append(0x7D) }
    }

    private func trimmed(_ csv: CSVReader, _ index: Int) -> ArraySlice<UInt8> {
        guard index >= 0, csv.rawLength(index) != 0 else { return [] }
        return Self.trim(csv.withField(index) { ArraySlice($0) })
    }

    static func trim(_ b: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
        func ws(_ c: UInt8) -> Bool { c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0D }
        guard let start = b.firstIndex(where: { !ws($0) }), let end = b.lastIndex(where: { !ws($0) }) else { return [] }
        return b[start...end]
    }
}
