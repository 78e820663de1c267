/// Walks the inputs of a `UserExport`. Joining (inputs with hashes — support CSVs, users files with `hashedPassword` —
/// and Search Users inputs both present) takes three
/// phases: index every Search Users record on disk, stream the CSVs joining each user, then yield the
/// Search Users records no CSV row matched. Without a join the inputs are streamed one after the other.
public final class UserExportIterator: IteratorProtocol {
    private let export: UserExport
    private let joining: Bool
    /// Inputs streamed as users, in order (the CSVs when joining, else all).
    private let primary: [Int]
    /// Inputs indexed for the join (the Search Users files when joining).
    private let secondary: [Int]

    private enum Phase { case indexing(Int), streaming(Int), unmatched, done }
    private var phase: Phase
    private var csv: CSVUserReader?
    private var json: SearchUsersReader?
    private var index: SearchUsersIndex?

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

    /// Owned users handed out as views (JSON inputs, joined users) live here until the next record.
    private let arena = ViewArena()

    /// The next user as a view (valid until the next call) or a problem; nil at the end of the inputs.
    /// A support CSV read alone is viewed in place; other users are viewed from their owned copies.
    public func nextView() -> ViewItem? {
        while case .streaming(let k) = phase, !joining, k < primary.count, export.formats[primary[k]] == .csv {
            if let item = streamCSVView(input: primary[k]) { return item }
            csv = nil
            phase = .streaming(k + 1)
        }
        switch next() {
        case .user(let user)?:
            arena.reset()
            return .user(UserView(user, arena: arena))
        case .problem(let problem)?: return .problem(problem)
        case nil: return nil
        }
    }

    /// A CSV read alone, record by record as views; nil when it is finished (the caller moves on).
    private func streamCSVView(input: Int) -> ViewItem? {
        do throws(ExportError) {
            if csv == nil {
                csv = try CSVUserReader(path: export.inputs[input], options: export.options)
                fillColumns(input: input)
            }
        } catch { return .problem(fail(error, input: input).problem!) }
        guard let item = csv?.nextView() else { return nil }
        export.report.inputs[input].records += 1
        switch item {
        case .problem:
            export.report.inputs[input].problems += 1
            export.report.problems += 1
        case .user:
            export.report.inputs[input].users += 1
            export.report.users += 1
        }
        return item
    }

    public func next() -> ExportItem? {
        while true {
            switch phase {
            case .done:
                return nil
            case .indexing(let k):
                guard k < secondary.count else {
                    json = nil
                    do throws(ExportError) { try index?.finishBuilding() } catch { return fail(error) }
                    phase = .streaming(0)
                    continue
                }
                if let item = indexNext(input: secondary[k]) { return item }
                phase = .indexing(k + 1)
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
                    guard let record = try index?.nextUnmatched() else { phase = .done; index = nil; continue }
                    let location = SourceLocation(file: export.inputs[record.input], line: record.element)
                    guard let user = SearchUsersReader.decode(raw: record.raw, location: location) else { continue }
                    export.report.onlyInSearchUsers += 1
                    export.report.users += 1
                    return .user(user)
                } catch { return fail(error) }
            }
        }
    }

    /// Reads one Search Users record into the index; returns only problems (nil: this input is finished).
    private func indexNext(input: Int) -> ExportItem? {
        let path = export.inputs[input]
        do throws(ExportError) {
            if index == nil {
                index = try SearchUsersIndex(directory: export.options.temporaryDirectory,
                                             cacheBytes: export.options.joinIndexCacheBytes)
            }
            if json == nil { json = try SearchUsersReader(path: path, options: export.options) }
            while let (item, raw) = json?.nextWithRaw() {
                export.report.inputs[input].records += 1
                switch item {
                case .problem(let p):
                    export.report.inputs[input].problems += 1
                    export.report.problems += 1
                    return .problem(p)
                case .user(let user):
                    export.report.inputs[input].users += 1
                    try index?.insert(input: input, element: user.source.line, user: user, raw: raw)
                }
            }
            json = nil
            return nil
        } catch { return fail(error, input: input) }
    }

    private func streamNext(input: Int) -> ExportItem? {
        let path = export.inputs[input]
        do throws(ExportError) {
            let item: ExportItem?
            switch export.formats[input] {
            case .csv:
                if csv == nil {
                    csv = try CSVUserReader(path: path, options: export.options)
                    fillColumns(input: input)
                }
                item = csv?.next()
            case .searchUsersJSON, .usersWithHashesJSON:
                if json == nil { json = try SearchUsersReader(path: path, options: export.options) }
                item = json?.next()
            }
            guard let item else { csv = nil; json = nil; return nil }
            export.report.inputs[input].records += 1
            switch item {
            case .problem:
                export.report.inputs[input].problems += 1
                export.report.problems += 1
                return item
            case .user(var user):
                export.report.inputs[input].users += 1
                export.report.users += 1
                if joining, let index {
                    if let (record, key) = try index.match(user) {
                        let location = SourceLocation(file: export.inputs[record.input], line: record.element)
                        if let search = SearchUsersReader.decode(raw: record.raw, location: location) {
                            user = user.joined(with: search)
                        }
                        switch key {
                        case .userId: export.report.joinedByUserId += 1
                        case .email: export.report.joinedByEmail += 1
                        case .loginId: export.report.joinedByLoginId += 1
                        }
                    } else {
                        export.report.onlyInCSV += 1
                    }
                }
                return .user(user)
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

    /// An input that failed after the run started (deleted, unreadable, index failure) ends the run with a problem.
    private func fail(_ error: ExportError, input: Int? = nil) -> ExportItem {
        phase = .done
        csv = nil; json = nil; index = nil
        let file = input.map { export.inputs[$0] } ?? "join"
        export.report.problems += 1
        return .problem(ExportProblem(location: SourceLocation(file: file, line: 0), code: ExportProblem.Code.readError,
                                      message: "\(error); reading stopped"))
    }
}
