import DescopeExport

/// `convert`'s engine: a first pass finds duplicate emails (bounded memory), a second maps every row and
/// writes it to the output file (JSONL: every row with its outcome; CSV: the rows WorkOS should create).
public struct Conversion {
    public var inputs: [String]
    public var exportOptions: ExportOptions
    public var mappingOptions: MappingOptions
    public var outputPath: String
    public var format: ConvertWriter.Format
    public var progress: (@Sendable (Int) -> Void)?
    public var duplicateBufferEntries = 1 << 20
    /// Plain rows of support CSVs are written from their bytes (`CSVConvertScan`); off, every row goes through
    /// `DescopeUser` and `UserMapper` (the tests compare the two outputs byte for byte).
    public var fastPath = true

    public init(inputs: [String], exportOptions: ExportOptions = ExportOptions(),
                mappingOptions: MappingOptions = MappingOptions(), outputPath: String, format: ConvertWriter.Format? = nil) {
        self.inputs = inputs; self.exportOptions = exportOptions; self.mappingOptions = mappingOptions
        self.outputPath = outputPath; self.format = format ?? ConvertWriter.Format(path: outputPath)
    }

    public enum Failure: Error, CustomStringConvertible {
        case export(ExportError)
        case duplicates(DuplicateEmailError)
        case output(OutputFile.OpenError)
        public var description: String {
            switch self {
            case .export(let e): return e.description
            case .duplicates(let e): return e.description
            case .output(let e): return e.description
            }
        }
    }

    /// Returns the counts of what was written (same shape as `inspect`'s report, without canaries).
    public func run() throws(Failure) -> PreflightReport {
        let duplicates = try findDuplicates()
        let mapper = UserMapper(options: mappingOptions, duplicates: duplicates)
        let export: UserExport
        do { export = try UserExport(inputs: inputs, options: exportOptions) } catch { throw .export(error) }
        let writer: ConvertWriter
        do { writer = try ConvertWriter(path: outputPath, format: format) } catch { throw .output(error) }
        var report = PreflightReport()
        report.inputs = inputs
        report.duplicateEmailRows = duplicates.duplicateRowCount
        let hashes = mappingOptions.saltEncoding == .auto ? HashShapeCache(saltEncoding: .auto) : nil
        do throws(OutputFile.OpenError) {
            if fastPath, let hashes, export.formats.allSatisfy({ $0 == .csv }) {
                for path in inputs {
                    let reader: CSVUserReader
                    do { reader = try CSVUserReader(path: path, options: exportOptions) } catch {
                        report.add(ExportProblem(location: SourceLocation(file: path, line: 0), code: ExportProblem.Code.readError,
                                                 message: "\(error)"))
                        continue
                    }
                    try CSVConvertScan(reader: reader, mapper: mapper, hashes: hashes).run(writer: writer, report: &report, progress: progress)
                }
                try writer.finish()
                return report
            }
            for item in export {
                switch item {
                case .problem(let problem):
                    report.add(problem)
                    if format == .jsonl { try writer.writeUnreadable(problem) }
                case .user(let user):
                    let mapped = mapper.map(user, hashes: hashes)
                    report.add(mapped)
                    try writer.write(mapped)
                }
                if let progress, report.users & 0xFFFF == 0 { progress(report.users) }
            }
            try writer.finish()
        } catch { throw .output(error) }
        return report
    }

    /// Pass 1 alone: the rows that share an email (the importer runs it before streaming users to WorkOS).
    public func duplicateIndex() throws(Failure) -> DuplicateEmailIndex { try findDuplicates() }

    /// Pass 1: the email every row claims, into the bounded-memory duplicate finder.
    func findDuplicates() throws(Failure) -> DuplicateEmailIndex {
        let mapper = UserMapper(options: mappingOptions)
        let export: UserExport
        do { export = try UserExport(inputs: inputs, options: exportOptions) } catch { throw .export(error) }
        let finder = DuplicateEmailFinder(capacity: duplicateBufferEntries, temporaryDirectory: exportOptions.temporaryDirectory)
        do {
            if export.formats.allSatisfy({ $0 == .csv }) {
                for path in inputs {
                    let reader: CSVUserReader
                    do { reader = try CSVUserReader(path: path, options: exportOptions) } catch { throw Failure.export(error) }
                    try CSVEmailScan(reader: reader, mapper: mapper).run(into: finder)
                }
            } else {
                for case .user(let user) in export {
                    if let key = mapper.duplicateKey(for: user) { try finder.add(email: key, at: user.source) }
                }
            }
            return try finder.finish()
        } catch let error as DuplicateEmailError { throw .duplicates(error) } catch let error as Failure { throw error } catch {
            throw .export(.unreadable(path: inputs.first ?? "", reason: "\(error)"))
        }
    }
}

/// Pass 1 of `convert` over a support CSV: each row's claimed email from its bytes when the row is plain
/// (ASCII email without surrounding spaces, enabled, not a test user), else through `DescopeUser` — the same
/// answer as `UserMapper.duplicateKey(for:)`.
struct CSVEmailScan {
    let reader: CSVUserReader
    let mapper: UserMapper
    let email, status, test: Int

    init(reader: CSVUserReader, mapper: UserMapper) {
        self.reader = reader; self.mapper = mapper
        email = reader.layout[.email] ?? -1
        status = reader.layout[.status] ?? -1
        test = reader.layout[.test] ?? -1
    }

    func run(into finder: DuplicateEmailFinder) throws(DuplicateEmailError) {
        let csv = reader.csv
        let file = finder.fileIndex(for: csv.path)
        let fields = reader.layout.headers.count
        while csv.nextRecord() {
            if email >= 0, let plain = csv.plainFields, plain.count == fields, let fingerprint = plainEmail(csv, plain) {
                try finder.add(fingerprint: fingerprint, file: file, line: csv.line, tag: 0)
                continue
            }
            if case .user(let user) = reader.currentItem(), let key = mapper.duplicateKey(for: user) {
                try finder.add(fingerprint: EmailAddress.fingerprint(key), file: file, line: csv.line, tag: 0)
            }
        }
    }

    /// The fingerprint of a plain row's email, nil when the row needs the general path (or claims nothing).
    @inline(__always)
    private func plainEmail(_ csv: CSVReader, _ f: CSVReader.PlainFields) -> UInt64? {
        guard csv.recordIsASCII else { return nil }
        if status >= 0, !CSVPreflightScan.isActiveStatus(f[status]) { return nil }
        if test >= 0, !CSVPreflightScan.isNotTest(f[test]) { return nil }
        // Valid means no space or tab either, so the address needs no trimming.
        return EmailAddress.fingerprintIfValid(followedByPadding: f[email])
    }
}
