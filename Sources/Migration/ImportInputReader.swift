import DescopeExport

/// Opens the import's inputs exactly as `convert` reads them: the export files joined into one stream
/// of users (DescopeExport), duplicate emails found by a first pass, each user mapped by `UserMapper`,
/// and the tenants file.
public enum ImportInputReader {
    public static func open(inputs: [String], mapping: MappingOptions, export: ExportOptions) throws -> ImportInput {
        // Fails here, before any work, for a missing file, an unknown format or a bad --map.
        _ = try UserExport(inputs: inputs, options: export)
        let directory = mapping.tenants ?? TenantDirectory()
        let tenants = directory.tenants.values.sorted { ($0.source.line, $0.id) < ($1.source.line, $1.id) }

        // First pass: emails on more than one row (bounded memory, spills to disk).
        let finder = DuplicateEmailFinder(temporaryDirectory: export.temporaryDirectory)
        let probe = UserMapper(options: mapping)
        for item in try UserExport(inputs: inputs, options: export) {
            if case .user(let user) = item, let email = probe.duplicateKey(for: user) {
                try finder.add(email: email, at: user.source)
            }
        }
        let mapper = UserMapper(options: mapping, duplicates: try finder.finish())

        var input = ImportInput(tenants: tenants) {
            let iterator = try UserExport(inputs: inputs, options: export).makeIterator()
            return AnyIterator {
                switch iterator.next() {
                case nil: return nil
                case .user(let user): return .user(mapper.map(user))
                case .problem(let problem): return .unreadable(problem)
                }
            }
        }
        input.tenantProblems = directory.problems
        return input
    }
}
