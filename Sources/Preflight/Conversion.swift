import Mapping
import DescopeExport
import PasswordHashes

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
        let export = try makeExport()
        // One export for both passes: the second takes the join the first built (the Search Users files read once).
        export.keepsJoin = true
        let duplicates = try findDuplicates(in: export)
        let mapper = UserMapper(options: mappingOptions, duplicates: duplicates)
        let writer: ConvertWriter
        do { writer = try ConvertWriter(path: outputPath, format: format) } catch { throw .output(error) }
        let hashes = HashShapes(saltEncoding: mappingOptions.saltEncoding)
        var report = PreflightReport()
        report.inputs = inputs
        report.duplicateEmailRows = duplicates.duplicateRowCount
        var problems = ProblemList()
        do throws(OutputFile.OpenError) {
            let rows = export.makeIterator()
            var view = UserView(source: SourceLocation(file: "", line: 0))
            reading: while true {
                switch rows.next(into: &view) {
                case .end:
                    break reading
                case .problem(let problem):
                    report.add(problem)
                    if format == .jsonl { try writer.writeUnreadable(problem) }
                case .user:
                    problems.removeAll()
                    let row = mapper.map(view, hashes: hashes, into: &problems)
                    report.add(row)
                    let sorted = problems.sorted
                    for p in sorted { report.note(code: p.code, severity: p.severity, row: view.source.line) { p.message } }
                    try writer.write(view, row, problems: sorted, hashes: hashes)
                }
                if let progress, report.users & 0xFFFF == 0 { progress(report.users) }
            }
            try writer.finish()
        } catch { throw .output(error) }
        report.countHashes(hashes)
        return report
    }

    /// Pass 1 alone: the rows that share an email (the importer runs it before streaming users to WorkOS).
    public func duplicateIndex() throws(Failure) -> DuplicateEmailIndex { try findDuplicates(in: makeExport()) }

    private func makeExport() throws(Failure) -> UserExport {
        do { return try UserExport(inputs: inputs, options: exportOptions) } catch { throw .export(error) }
    }

    /// Pass 1: the email every row claims, into the bounded-memory duplicate finder.
    func findDuplicates(in export: UserExport) throws(Failure) -> DuplicateEmailIndex {
        let mapper = UserMapper(options: mappingOptions)
        let finder = DuplicateEmailFinder(capacity: duplicateBufferEntries, temporaryDirectory: exportOptions.temporaryDirectory)
        do throws(DuplicateEmailError) {
            let rows = export.makeIterator()
            var view = UserView(source: SourceLocation(file: "", line: 0))
            reading: while true {
                switch rows.next(into: &view) {
                case .end: break reading
                case .problem: continue
                case .user:
                    guard let fingerprint = mapper.claimedEmail(view) else { continue }
                    try finder.add(fingerprint: fingerprint, file: finder.fileIndex(for: view.source.file), line: view.source.line, tag: 0)
                }
            }
            return try finder.finish()
        } catch { throw .duplicates(error) }
    }
}
