import Foundation

/// Descope role names → WorkOS role slugs (`--role-map F`).
///
/// JSON: `{"Descope Role": "slug", "T2IMjm…:Descope Role": "slug"}` — a `tenantId:` prefix makes an entry
/// apply to one tenant only (role names repeat across tenants) and wins over the plain name.
/// CSV: `role,slug` or `tenant_id,role,slug` rows; a header row naming those columns is skipped.
public struct RoleMap: Sendable, Hashable {
    private var byName: [String: String] = [:]
    private var byTenantAndName: [String: String] = [:]

    public init() {}

    /// Entries given in code (tests, callers building a map themselves).
    public init(_ entries: [String: String], perTenant: [String: [String: String]] = [:]) {
        byName = entries
        for (tenant, map) in perTenant { for (role, slug) in map { byTenantAndName[tenant + "\u{0}" + role] = slug } }
    }

    public var isEmpty: Bool { byName.isEmpty && byTenantAndName.isEmpty }

    /// The slug for a role of a tenant, nil when the map has no entry.
    public func slug(forRole role: String, tenantId: String) -> String? {
        byTenantAndName[tenantId + "\u{0}" + role] ?? byName[role]
    }

    public enum LoadError: Error, CustomStringConvertible, Equatable {
        case unreadable(path: String, reason: String)
        case invalid(path: String, line: Int, reason: String)
        public var description: String {
            switch self {
            case let .unreadable(path, reason): return "role map \(path): cannot read it: \(reason)"
            case let .invalid(path, line, reason): return "role map \(path):\(line): \(reason)"
            }
        }
    }

    /// Reads a role map file: JSON when the first non-blank character is `{`, else CSV.
    public static func load(path: String) throws(LoadError) -> RoleMap {
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
            throw .unreadable(path: path, reason: error.localizedDescription)
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw .invalid(path: path, line: 1, reason: "not UTF-8 text")
        }
        let trimmed = text.drop { $0 == "\u{FEFF}" || $0.isWhitespace }
        return trimmed.first == "{" ? try parseJSON(data, path: path) : try parseCSV(text, path: path)
    }

    static func parseJSON(_ data: Data, path: String) throws(LoadError) -> RoleMap {
        let object: Any
        do { object = try JSONSerialization.jsonObject(with: data) } catch {
            throw .invalid(path: path, line: 1, reason: "not valid JSON")
        }
        guard let dict = object as? [String: Any] else {
            throw .invalid(path: path, line: 1, reason: "expected an object {\"Descope Role\": \"slug\"}")
        }
        var map = RoleMap()
        for (key, value) in dict {
            guard let slug = value as? String, !slug.isEmpty else {
                throw .invalid(path: path, line: 1, reason: "the value of \"\(key)\" must be a non-empty slug string")
            }
            try map.add(key: key, slug: slug, path: path, line: 1)
        }
        return map
    }

    static func parseCSV(_ text: String, path: String) throws(LoadError) -> RoleMap {
        var map = RoleMap()
        var lineNumber = 0
        for rawLine in text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" }) {
            lineNumber += 1
            let line = rawLine.trimmingCharacters(in: CharacterSet(charactersIn: "\u{FEFF}\r ").union(.whitespaces))
            if line.isEmpty || line.hasPrefix("#") { continue }
            let cells = line.split(separator: ",", omittingEmptySubsequences: false)
                .map { $0.trimmingCharacters(in: .whitespaces).trimmingCharacters(in: CharacterSet(charactersIn: "\"")) }
            if lineNumber == 1, cells.last?.lowercased() == "slug" || cells.last?.lowercased() == "role_slug" { continue }
            switch cells.count {
            case 2:
                guard !cells[0].isEmpty, !cells[1].isEmpty else {
                    throw .invalid(path: path, line: lineNumber, reason: "role and slug must not be empty")
                }
                try map.add(key: cells[0], slug: cells[1], path: path, line: lineNumber)
            case 3:
                guard !cells[0].isEmpty, !cells[1].isEmpty, !cells[2].isEmpty else {
                    throw .invalid(path: path, line: lineNumber, reason: "tenant_id, role and slug must not be empty")
                }
                map.byTenantAndName[cells[0] + "\u{0}" + cells[1]] = cells[2]
            default:
                throw .invalid(path: path, line: lineNumber,
                               reason: "expected `role,slug` or `tenant_id,role,slug`, found \(cells.count) fields")
            }
        }
        return map
    }

    private mutating func add(key: String, slug: String, path: String, line: Int) throws(LoadError) {
        // "T…:Role" is tenant-specific only when the prefix looks like a Descope tenant id.
        if let colon = key.firstIndex(of: ":"), key.hasPrefix("T"), !key[..<colon].contains(" ") {
            let tenant = String(key[..<colon]), role = String(key[key.index(after: colon)...])
            guard !role.isEmpty else { throw .invalid(path: path, line: line, reason: "empty role name in \"\(key)\"") }
            byTenantAndName[tenant + "\u{0}" + role] = slug
        } else {
            byName[key] = slug
        }
    }
}
