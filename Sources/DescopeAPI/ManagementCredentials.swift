import Foundation

/// A Descope project id and management key. The key never appears in `description`, logs or errors;
/// it leaves this value only as the `Authorization` header.
public struct ManagementCredentials: Sendable, CustomStringConvertible, CustomDebugStringConvertible {
    public static let projectIdVariable = "DESCOPE_PROJECT_ID"
    public static let keyVariable = "DESCOPE_MANAGEMENT_KEY"

    public let projectId: String
    private let managementKey: String

    /// Refuses an empty or malformed id or key; whitespace around either (a file's trailing newline) is trimmed.
    public init(projectId: String, managementKey: String) throws(ManagementCredentialsError) {
        let project = projectId.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !project.isEmpty else { throw .missingProjectId }
        guard !project.contains(where: { $0.isWhitespace || $0 == ":" }), project.count <= 256 else {
            throw .malformedProjectId
        }
        let key = managementKey.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !key.isEmpty else { throw .emptyKey }
        guard !key.contains(where: { $0.isWhitespace || $0.isNewline }) else { throw .malformedKey }
        self.projectId = project
        self.managementKey = key
    }

    /// `Bearer <ProjectId>:<ManagementKey>`, Descope's management authentication.
    var authorization: String { "Bearer \(projectId):\(managementKey)" }

    public var description: String { "ManagementCredentials(project: \(projectId), key: redacted)" }
    public var debugDescription: String { description }

    /// The project id from `--project-id` when given, else `DESCOPE_PROJECT_ID`; the key from
    /// `--management-key-file` when given, else `DESCOPE_MANAGEMENT_KEY`.
    public static func load(projectId: String?, keyFile: String?,
                            environment: [String: String] = ProcessInfo.processInfo.environment)
        throws(ManagementCredentialsError) -> ManagementCredentials {
        guard let project = projectId ?? environment[projectIdVariable] else { throw .missingProjectId }
        let key: String
        if let keyFile {
            guard FileManager.default.fileExists(atPath: keyFile) else { throw .fileNotFound(keyFile) }
            guard let data = FileManager.default.contents(atPath: keyFile),
                  let text = String(data: data, encoding: .utf8) else { throw .fileUnreadable(keyFile) }
            key = text
        } else {
            guard let value = environment[keyVariable] else { throw .missingKey }
            key = value
        }
        return try ManagementCredentials(projectId: project, managementKey: key)
    }

    /// True for `--management-key …` or `--management-key=…`: argv is visible to every user through `ps`.
    public static func isCommandLineKey(_ argument: String) -> Bool {
        argument == "--management-key" || argument.hasPrefix("--management-key=")
    }
}

/// Why no credentials could be loaded. Messages never contain the key.
public enum ManagementCredentialsError: Error, Sendable, Hashable, CustomStringConvertible {
    case missingProjectId
    case malformedProjectId
    case missingKey
    case emptyKey
    case malformedKey
    case fileNotFound(String)
    case fileUnreadable(String)
    case givenOnCommandLine

    public var description: String {
        switch self {
        case .missingProjectId: return "no Descope project id: pass --project-id or set DESCOPE_PROJECT_ID"
        case .malformedProjectId: return "the Descope project id contains whitespace or ':'"
        case .missingKey: return "no Descope management key: set DESCOPE_MANAGEMENT_KEY or pass --management-key-file"
        case .emptyKey: return "the Descope management key is empty"
        case .malformedKey: return "the Descope management key contains whitespace inside it"
        case .fileNotFound(let path): return "management key file not found: \(path)"
        case .fileUnreadable(let path): return "management key file is not readable UTF-8 text: \(path)"
        case .givenOnCommandLine:
            return "a management key on the command line is refused (visible to other users in `ps`): "
                + "set DESCOPE_MANAGEMENT_KEY or pass --management-key-file"
        }
    }
}
