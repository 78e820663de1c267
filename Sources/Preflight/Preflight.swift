import Mapping
import DescopeExport
import PasswordHashes

/// `inspect`'s engine: one pass over the inputs, every row mapped and counted; duplicate emails found in
/// bounded memory and settled at the end; canaries verified as their rows go by.
public struct Preflight {
    public var inputs: [String]
    public var exportOptions: ExportOptions
    public var mapper: UserMapper
    public var canaries: CanaryCheck?
    /// Called about every 65,536 rows with the rows read so far (the command prints it when stderr is a terminal).
    public var progress: (@Sendable (Int) -> Void)?
    /// Entries of the duplicate-email buffer before it spills to disk (see `DuplicateEmailFinder`).
    public var duplicateBufferEntries = 1 << 20

    public init(inputs: [String], exportOptions: ExportOptions = ExportOptions(), mapper: UserMapper = UserMapper(),
                canaries: CanaryCheck? = nil) {
        self.inputs = inputs; self.exportOptions = exportOptions; self.mapper = mapper; self.canaries = canaries
    }

    public enum Failure: Error, CustomStringConvertible {
        case export(ExportError)
        case duplicates(DuplicateEmailError)
        public var description: String {
            switch self {
            case .export(let e): return e.description
            case .duplicates(let e): return e.description
            }
        }
    }

    public func run() throws(Failure) -> PreflightReport {
        do { return try runUntyped() } catch let failure as Failure { throw failure } catch let error as ExportError {
            throw .export(error)
        } catch let error as DuplicateEmailError { throw .duplicates(error) } catch {
            throw .export(.unreadable(path: inputs.first ?? "", reason: "\(error)"))
        }
    }

    private func runUntyped() throws -> PreflightReport {
        let export = try UserExport(inputs: inputs, options: exportOptions)
        let finder = DuplicateEmailFinder(capacity: duplicateBufferEntries, temporaryDirectory: exportOptions.temporaryDirectory)
        let hashes = HashShapes(saltEncoding: mapper.options.saltEncoding)
        var sink = ReportSink()
        sink.report.inputs = inputs
        sink.report.notes = Self.columnNotes(export)
        let rows = export.makeIterator()
        var seen = 0
        var view = UserView(source: SourceLocation(file: "", line: 0))
        reading: while true {
            seen += 1
            if let progress, seen & 0xFFFF == 0 { progress(seen) }
            switch rows.next(into: &view) {
            case .end:
                break reading
            case .problem(let problem):
                sink.report.add(problem)
            case .user:
                sink.row = view.source.line
                let row = mapper.map(view, hashes: hashes, into: &sink)
                sink.report.add(row)
                if let fingerprint = row.claimedEmail {
                    try finder.add(fingerprint: fingerprint, file: finder.fileIndex(for: view.source.file), line: view.source.line,
                                   tag: Self.tag(row.status))
                }
                if let canaries, canaries.wants(email: row.email.string, userId: view.userId.nonEmptyString) {
                    canaries.check(MappedUser(view, row, problems: [], hashes: hashes))
                }
            }
        }
        var report = sink.report
        report.countHashes(hashes)
        Self.settle(try finder.finish(), into: &report)
        if let canaries { report.canaries = canaries.results() }
        return report
    }

    /// Recognised and ignored CSV columns, said once (never fatal).
    static func columnNotes(_ export: UserExport) -> [String] {
        var notes: [String] = []
        for (path, format) in zip(export.inputs, export.formats) where format == .csv {
            guard let reader = try? CSVUserReader(path: path, options: export.options) else { continue }
            let layout = reader.layout
            let known = layout.recognised.map { $0.header == $0.column.rawValue ? $0.header : "\($0.column.rawValue)←'\($0.header)'" }
            notes.append("\(path): columns \(known.joined(separator: ", "))"
                + (layout.customAttributeFields.isEmpty ? "" : ", \(layout.customAttributeFields.count) custom attribute column(s)")
                + (layout.hashObjectFields.isEmpty ? "" : ", \(layout.hashObjectFields.count) hashedPassword.<kind>.<field> column(s)"))
            if !layout.unknownHeaders.isEmpty {
                notes.append("\(path): ignored unknown columns \(layout.unknownHeaders.map { "'\($0)'" }.joined(separator: ", "))")
            }
            if !layout.duplicateHeaders.isEmpty {
                notes.append("\(path): ignored repeated columns \(layout.duplicateHeaders.map { "'\($0)'" }.joined(separator: ", "))")
            }
        }
        return notes
    }

    static func tag(_ status: RowStatus) -> UInt8 {
        switch status {
        case .ready: return 0
        case .readyWithoutPassword: return 1
        case .rejected: return 2
        }
    }

    /// Moves every row of a duplicate group to `rejected`, with the problem naming the other rows.
    static func settle(_ duplicates: DuplicateEmailIndex, into report: inout PreflightReport) {
        var rows: [(RowRef, [RowRef])] = []
        for group in duplicates.groups.values { for ref in group { rows.append((ref, group)) } }
        rows.sort { ($0.0.file, $0.0.line) < ($1.0.file, $1.0.line) }
        for (ref, group) in rows {
            switch ref.tag {
            case 0: report.outcomes.ready -= 1; report.outcomes.rejected += 1
            case 1: report.outcomes.readyWithoutPassword -= 1; report.outcomes.rejected += 1
            default: break
            }
            // Worded for the first row only: the report keeps one message per code.
            report.note(code: DuplicateEmailIndex.problemCode, severity: DuplicateEmailIndex.problemSeverity, row: ref.line) {
                DuplicateEmailIndex.message(others: group.filter { $0 != ref }.map(duplicates.location), row: duplicates.location(ref))
            }
        }
        report.duplicateEmailRows = rows.count
    }
}
