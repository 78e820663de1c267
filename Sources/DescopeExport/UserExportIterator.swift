/// Walks the inputs of a `UserExport`. Joining (inputs with hashes — support CSVs, users files with `hashedPassword` —
/// and Search Users inputs both present) takes three phases: keep every Search Users record in the join (bounded
/// memory, see `SearchUsersJoin`), stream the hash sources joining each user, then yield the Search Users records
/// no row matched. Without a join the inputs are streamed one after the other.
public final class UserExportIterator: IteratorProtocol {
    private let export: UserExport
    private let joining: Bool
    /// Inputs streamed as users, in order (the hash sources when joining, else all).
    private let primary: [Int]
    /// Inputs kept for the join (the Search Users files when joining).
    private let secondary: [Int]

    private enum Phase { case indexing(Int), replaying(Int), keys, streaming(Int), unmatched, done }
    // The iterator is confined to its one reader: its state skips dynamic exclusivity checks (one per row each).
    @exclusivity(unchecked) private var phase: Phase
    @exclusivity(unchecked) private var csv: CSVUserReader?
    @exclusivity(unchecked) private var json: SearchUsersViewReader?
    @exclusivity(unchecked) private var join: SearchUsersJoin?
    /// Users of the joined side seen so far (the join's row numbers).
    @exclusivity(unchecked) private var row = 0
    @exclusivity(unchecked) private var unmatchedPosition: Int64 = 0
    /// Search Users records that could not be read while indexing: kept for the export's next pass (`keepsJoin`),
    /// or said again by this one when it took a kept join.
    @exclusivity(unchecked) private var indexingProblems: [ExportProblem] = []
    /// Joined views' merged lists live here until the next record.
    private let arena = ViewArena()
    /// The streaming input's counts, kept here per row and added to the report when the input ends (updating the
    /// report's nested arrays per row cost more than reading the row).
    @exclusivity(unchecked) private var counts = Counts()
    private struct Counts {
        var input = -1
        var records = 0, users = 0, problems = 0, joinedByUserId = 0, joinedByEmail = 0, joinedByLoginId = 0, onlyInCSV = 0
    }

    private func flushCounts() {
        guard counts.input >= 0 else { return }
        let c = counts
        export.report.inputs[c.input].records += c.records
        export.report.inputs[c.input].users += c.users
        export.report.inputs[c.input].problems += c.problems
        export.report.users += c.users
        export.report.problems += c.problems
        export.report.joinedByUserId += c.joinedByUserId
        export.report.joinedByEmail += c.joinedByEmail
        export.report.joinedByLoginId += c.joinedByLoginId
        export.report.onlyInCSV += c.onlyInCSV
        counts = Counts()
    }

    init(export: UserExport) {
        self.export = export
        let hashInputs = export.formats.indices.filter { export.formats[$0].carriesHashes }
        let searchInputs = export.formats.indices.filter { !export.formats[$0].carriesHashes }
        joining = !hashInputs.isEmpty && !searchInputs.isEmpty
        primary = joining ? hashInputs : Array(export.formats.indices)
        secondary = joining ? searchInputs : []
        phase = joining ? .indexing(0) : .streaming(0)
        export.report = ExportReport(inputs: zip(export.inputs, export.formats).map { ExportReport.Input(path: $0, format: $1) })
        export.report.joinPerformed = joining
        if joining, let kept = export.keptJoin {
            // A second pass: the Search Users side as the first pass indexed it, its unreadable records said again
            // (should the join not rewind, the files are read again).
            export.keptJoin = nil
            if kept.join.canRewind, (try? kept.join.rewind()) != nil {
                join = kept.join
                indexingProblems = kept.problems
                export.report = kept.report
                phase = .replaying(0)
            }
        }
    }

    /// The next user as an owned copy, or a problem; nil at the end of the inputs.
    public func next() -> ExportItem? {
        switch nextView() {
        case .user(let view)?: return .user(DescopeUser(view))
        case .problem(let problem)?: return .problem(problem)
        case nil: return nil
        }
    }

    /// The next user as a view (valid until the next call) or a problem; nil at the end of the inputs.
    public func nextView() -> ViewItem? {
        var view = UserView(source: SourceLocation(file: "", line: 0))
        switch next(into: &view) {
        case .user: return .user(view)
        case .problem(let p): return .problem(p)
        case .end: return nil
        }
    }

    /// The next user into `view` (valid until the next call), a problem, or the end of the inputs.
    public func next(into view: inout UserView) -> ReadStep {
        while true {
            switch phase {
            case .done:
                return .end
            case .indexing(let k):
                guard k < secondary.count else {
                    json = nil
                    do throws(ExportError) {
                        try join?.finishBuilding()
                        phase = join?.needsKeys == true ? .keys : .streaming(0)
                    } catch { return fail(error) }
                    keepJoin()
                    continue
                }
                if let problem = indexNext(input: secondary[k], into: &view) {
                    if export.keepsJoin, indexingProblems.count <= Self.keptProblemLimit { indexingProblems.append(problem) }
                    return .problem(problem)
                }
                phase = .indexing(k + 1)
            case .replaying(let i):
                guard i < indexingProblems.count else { indexingProblems = []; phase = .streaming(0); continue }
                phase = .replaying(i + 1)
                return .problem(indexingProblems[i])
            case .keys:
                do throws(ExportError) { try readKeys(into: &view) } catch { return fail(error) }
                phase = .streaming(0)
            case .streaming(let k):
                guard k < primary.count else {
                    csv = nil; json = nil
                    phase = joining ? .unmatched : .done
                    continue
                }
                let step = streamNext(input: primary[k], into: &view)
                if case .end = step { phase = .streaming(k + 1); continue }
                return step
            case .unmatched:
                do throws(ExportError) {
                    guard let unmatched = try join?.nextUnmatched(&unmatchedPosition) else { phase = .done; join = nil; continue }
                    export.report.onlyInSearchUsers += 1
                    export.report.users += 1
                    view = unmatched
                    return .user
                } catch { return fail(error) }
            }
        }
    }

    /// More unreadable Search Users records than this and the join is not kept: the next pass reads them again rather
    /// than hold them all.
    static let keptProblemLimit = 10_000

    /// Leaves the built join for the export's next pass, when asked to.
    private func keepJoin() {
        guard export.keepsJoin, let join, indexingProblems.count <= Self.keptProblemLimit else { return }
        export.keptJoin = KeptJoin(join: join, problems: indexingProblems, report: export.report)
        indexingProblems = []
    }

    /// Keeps one Search Users record in the join; returns only problems (nil: this input is finished).
    private func indexNext(input: Int, into view: inout UserView) -> ExportProblem? {
        do throws(ExportError) {
            if join == nil {
                join = try SearchUsersJoin(directory: export.options.temporaryDirectory, memoryBudget: export.options.joinMemoryBytes)
            }
            join?.inputNames[input] = export.inputs[input]
            if json == nil { json = try SearchUsersViewReader(path: export.inputs[input], options: export.options) }
            while let step = json?.next(into: &view) {
                switch step {
                case .end:
                    json = nil
                    return nil
                case .problem(let problem):
                    export.report.inputs[input].records += 1
                    export.report.inputs[input].problems += 1
                    export.report.problems += 1
                    return problem
                case .user:
                    export.report.inputs[input].records += 1
                    export.report.inputs[input].users += 1
                    try join?.add(view, input: input)
                }
            }
            return nil
        } catch { return fail(error, input: input).problem }
    }

    /// Partitioned join: the hash sources' keys, read once ahead of the rows.
    private func readKeys(into view: inout UserView) throws(ExportError) {
        var n = 0
        for input in primary {
            let reader = try Reader(input: input, export: export)
            while true {
                switch reader.next(into: &view) {
                case .end: break
                case .problem: continue
                case .user: try join?.addKeys(of: view, row: n); n += 1; continue
                }
                break
            }
        }
        try join?.finishKeys()
    }

    private func streamNext(input: Int, into view: inout UserView) -> ReadStep {
        do throws(ExportError) {
            let step: ReadStep
            switch export.formats[input] {
            case .csv:
                if csv == nil {
                    csv = try CSVUserReader(path: export.inputs[input], options: export.options)
                    fillColumns(input: input)
                }
                // Called through an unretained reference: the reader is held by `csv` for the call, and a retain and
                // release per row (atomic, they wait for the row's stores) cost more than splitting a plain row.
                step = Unmanaged.passUnretained(csv!)._withUnsafeGuaranteedRef { $0.next(into: &view) }
            case .searchUsersJSON, .usersWithHashesJSON:
                if json == nil { json = try SearchUsersViewReader(path: export.inputs[input], options: export.options) }
                step = json!.next(into: &view)
            }
            if counts.input != input { flushCounts(); counts.input = input }
            switch step {
            case .end:
                csv = nil; json = nil
                flushCounts()
            case .problem:
                counts.records += 1
                counts.problems += 1
            case .user:
                counts.records += 1
                counts.users += 1
                if joining, let join {
                    defer { row += 1 }
                    if let (search, key) = try join.match(view, row: row) {
                        arena.reset()
                        view.join(with: search, arena: arena)
                        switch key {
                        case .userId: counts.joinedByUserId += 1
                        case .email: counts.joinedByEmail += 1
                        case .loginId: counts.joinedByLoginId += 1
                        }
                    } else {
                        counts.onlyInCSV += 1
                    }
                }
            }
            return step
        } catch { return fail(error, input: input) }
    }

    private func fillColumns(input: Int) {
        guard let layout = csv?.layout else { return }
        export.report.inputs[input].recognisedColumns = layout.recognised.map {
            ExportReport.RecognisedColumn(column: $0.column, header: $0.header)
        }
        export.report.inputs[input].customAttributeColumns = layout.customAttributeFields.map { layout.headers[$0.index] }
        export.report.inputs[input].hashObjectColumns = layout.hashObjectFields.map { layout.headers[$0.index] }
        export.report.inputs[input].unknownColumns = layout.unknownHeaders
        export.report.inputs[input].duplicateColumns = layout.duplicateHeaders
    }

    /// An input that failed after the run started (deleted, unreadable, join failure) ends the run with a problem.
    private func fail(_ error: ExportError, input: Int? = nil) -> ReadStep {
        flushCounts()
        phase = .done
        csv = nil; json = nil; join = nil
        let file = input.map { export.inputs[$0] } ?? "join"
        export.report.problems += 1
        return .problem(ExportProblem(location: SourceLocation(file: file, line: 0), code: ExportProblem.Code.readError,
                                      message: "\(error); reading stopped"))
    }

    /// One input read as views, whatever its format (the partitioned join's pass over the keys).
    private struct Reader {
        let csv: CSVUserReader?
        let json: SearchUsersViewReader?
        init(input: Int, export: UserExport) throws(ExportError) {
            if export.formats[input] == .csv {
                csv = try CSVUserReader(path: export.inputs[input], options: export.options); json = nil
            } else {
                json = try SearchUsersViewReader(path: export.inputs[input], options: export.options); csv = nil
            }
        }
        func next(into view: inout UserView) -> ReadStep { csv?.next(into: &view) ?? json!.next(into: &view) }
    }
}

/// A built join left by one pass over an export for the next (`UserExport.keepsJoin`).
struct KeptJoin {
    let join: SearchUsersJoin
    /// The Search Users records that could not be read, in the order the first pass said them.
    let problems: [ExportProblem]
    /// The export's report as indexing left it (the Search Users inputs' counts).
    let report: ExportReport
}
