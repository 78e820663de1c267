import Mapping
import Preflight
import DescopeExport
import PasswordHashes

/// Opens the import's inputs exactly as `convert` reads them: the export files joined into one stream
/// of users (DescopeExport), duplicate emails found by a first pass, each user mapped by `UserMapper`,
/// and the tenants file.
public enum ImportInputReader {
    public static func open(inputs: [String], mapping: MappingOptions, export: ExportOptions) throws -> ImportInput {
        // Fails here, before any work, for a missing file, an unknown format or a bad --map.
        _ = try UserExport(inputs: inputs, options: export)
        let directory = mapping.tenants ?? TenantDirectory()
        let tenants = directory.tenants.values.sorted { ($0.source.line, $0.id) < ($1.source.line, $1.id) }

        // First pass: emails on more than one row (bounded memory, spills to disk), as convert finds them.
        let duplicates = try Conversion(inputs: inputs, exportOptions: export, mappingOptions: mapping, outputPath: "").duplicateIndex()
        let mapper = UserMapper(options: mapping, duplicates: duplicates)

        var input = ImportInput(tenants: tenants) {
            let iterator = try UserExport(inputs: inputs, options: export).makeIterator()
            let hashes = HashShapes(saltEncoding: mapping.saltEncoding)
            return AnyIterator {
                switch iterator.nextView() {
                case nil: return nil
                case .user(let view): return .user(mapper.map(view, hashes: hashes))
                case .problem(let problem): return .unreadable(problem)
                }
            }
        }
        input.tenantProblems = directory.problems
        return input
    }
}
