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

    private enum Phase { case indexing(Int), keys, streaming(Int), unmatched, done }
    private var phase: Phase
    private var csv: CSVUserReader?
    private var json: SearchUsersReader?
    private var join: SearchUsersJoin?
    /// Users of the joined side seen so far (the join's row numbers).
    private var row = 0
    private var unmatchedPosition: Int64 = 0
    /// Joined views' merged lists live here until the next record.
    private let arena = ViewArena()

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
        while true {
            switch phase {
            case .done:
                return nil
            case .indexing(let k):
                guard k < secondary.count else {
                    json = nil
                    do throws(ExportError) {
                        try join?.finishBuilding()
                        phase = join?.needsKeys == true ? .keys : .streaming(0)
                    } catch { return fail(error) }
                    continue
                }
                if let item = indexNext(input: secondary[k]) { return item }
                phase = .indexing(k + 1)
            case .keys:
                do throws(ExportError) { try readKeys() } catch { return fail(error) }
                phase = .streaming(0)
            case .streaming(let k):
                guard k < primary.count else {
                    csv = nil; json = nil
                    phase = joining ? .unmatched : .done
                    continue
                }
                if let item = streamNext(input: primary[k]) { return item }
                phase = .streaming(k + 1)
            case .unmatched:
                do throws(ExportError) {
                    guard let view = try join?.nextUnmatched(&unmatchedPosition) else { phase = .done; join = nil; continue }
                    export.report.onlyInSearchUsers += 1
                    export.report.users += 1
                    return .user(view)
                } catch { return fail(error) }
            }
        }
    }

    /// Keeps one Search Users record in the join; returns only problems (nil: this input is finished).
    private func indexNext(input: Int) -> ViewItem? {
        do throws(ExportError) {
            if join == nil {
                join = try SearchUsersJoin(directory: export.options.temporaryDirectory, memoryBudget: export.options.joinMemoryBytes)
            }
            join?.inputNames[input] = export.inputs[input]
            if json == nil { json = try SearchUsersReader(path: export.inputs[input], options: export.options) }
            while let item = json?.nextView() {
                export.report.inputs[input].records += 1
                switch item {
                case .problem:
                    export.report.inputs[input].problems += 1
                    export.report.problems += 1
                    return item
                case .user(let view):
                    export.report.inputs[input].users += 1
                    try join?.add(view, input: input)
                }
            }
            json = nil
            return nil
        } catch { return fail(error, input: input) }
    }

    /// Partitioned join: the hash sources' keys, read once ahead of the rows.
    private func readKeys() throws(ExportError) {
        var n = 0
        for input in primary {
            let reader = try Reader(input: input, export: export)
            while let item = reader.next() {
                if case .user(let view) = item { try join?.addKeys(of: view, row: n); n += 1 }
            }
        }
        try join?.finishKeys()
    }

    private func streamNext(input: Int) -> ViewItem? {
        do throws(ExportError) {
            let item: ViewItem?
            switch export.formats[input] {
            case .csv:
                if csv == nil {
                    csv = try CSVUserReader(path: export.inputs[input], options: export.options)
                    fillColumns(input: input)
                }
                item = csv?.nextView()
            case .searchUsersJSON, .usersWithHashesJSON:
                if json == nil { json = try SearchUsersReader(path: export.inputs[input], options: export.options) }
                item = json?.nextView()
            }
            guard let item else { csv = nil; json = nil; return nil }
            export.report.inputs[input].records += 1
            switch item {
            case .problem:
                export.report.inputs[input].problems += 1
                export.report.problems += 1
                return item
            case .user(var view):
                export.report.inputs[input].users += 1
                export.report.users += 1
                if joining, let join {
                    defer { row += 1 }
                    if let (search, key) = try join.match(view, row: row) {
                        arena.reset()
                        view = view.joined(with: search, arena: arena)
                        switch key {
                        case .userId: export.report.joinedByUserId += 1
                        case .email: export.report.joinedByEmail += 1
                        case .loginId: export.report.joinedByLoginId += 1
                        }
                    } else {
                        export.report.onlyInCSV += 1
                    }
                }
                return .user(view)
            }
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
    private func fail(_ error: ExportError, input: Int? = nil) -> ViewItem {
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
        let json: SearchUsersReader?
        init(input: Int, export: UserExport) throws(ExportError) {
            if export.formats[input] == .csv {
                csv = try CSVUserReader(path: export.inputs[input], options: export.options); json = nil
            } else {
                json = try SearchUsersReader(path: export.inputs[input], options: export.options); csv = nil
            }
        }
        func next() -> ViewItem? { csv?.nextView() ?? json?.nextView() }
    }
}
