import DescopeExport

/// The tenants export (`--tenants F`) by id: memberships get their organization names from it, and a
/// membership whose tenant is missing from it is reported. Small (Descope returns every tenant in one call).
public struct TenantDirectory: Sendable {
    public private(set) var tenants: [String: DescopeTenant] = [:]
    /// Records of the tenants file that could not be read.
    public private(set) var problems: [ExportProblem] = []

    public init(_ tenants: [DescopeTenant] = []) {
        for t in tenants where self.tenants[t.id] == nil { self.tenants[t.id] = t }
    }

    public static func load(path: String, options: ExportOptions = ExportOptions()) throws(ExportError) -> TenantDirectory {
        var directory = TenantDirectory()
        for item in try TenantExport(path: path, options: options) {
            switch item {
            case .success(let tenant): if directory.tenants[tenant.id] == nil { directory.tenants[tenant.id] = tenant }
            case .failure(let problem): directory.problems.append(problem)
            }
        }
        return directory
    }

    public var isEmpty: Bool { tenants.isEmpty }
    public subscript(id: String) -> DescopeTenant? { tenants[id] }
}
