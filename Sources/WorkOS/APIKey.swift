import Foundation

/// A WorkOS API key. Its text never appears in `description`, logs or errors.
public struct APIKey: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible {
    /// The secret itself; only the HTTP layer should read it.
    public let secret: String

    /// Refuses an empty key; surrounding whitespace (a trailing newline in a file) is trimmed.
    public init(_ secret: String) throws(APIKeyError) {
        let trimmed = secret.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { throw .empty }
        guard !trimmed.contains(where: { $0.isWhitespace || $0.isNewline }) else { throw .malformed }
        self.secret = trimmed
    }

    public var description: String { "APIKey(redacted)" }
    public var debugDescription: String { description }

    public static let environmentVariable = "WORKOS_API_KEY"

    /// The key from `--api-key-file` when given, else from `WORKOS_API_KEY`.
    public static func load(file: String?,
                            environment: [String: String] = ProcessInfo.processInfo.environment)
        throws(APIKeyError) -> APIKey {
        if let file { return try fromFile(file) }
        return try fromEnvironment(environment)
    }

    public static func fromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment)
        throws(APIKeyError) -> APIKey {
        guard let value = environment[environmentVariable] else { throw .missing }
        return try APIKey(value)
    }

    public static func fromFile(_ path: String) throws(APIKeyError) -> APIKey {
        guard FileManager.default.fileExists(atPath: path) else { throw .fileNotFound(path) }
        guard let data = FileManager.default.contents(atPath: path),
              let text = String(data: data, encoding: .utf8) else { throw .fileUnreadable(path) }
        return try APIKey(text)
    }

    /// Refuses a key given on the command line (`--api-key …`, or any argument that looks like a key):
    /// argv is visible to every user of the machine through `ps`.
    public static func refuseCommandLineKey(in arguments: [String]) throws(APIKeyError) {
        for argument in arguments {
            if argument == "--api-key" || argument.hasPrefix("--api-key=") || argument.hasPrefix("sk_") {
                throw .givenOnCommandLine
            }
        }
    }
}

/// Why no API key could be loaded. Messages never contain the key.
public enum APIKeyError: Error, Sendable, Hashable, CustomStringConvertible {
    case missing
    case empty
    case malformed
    case fileNotFound(String)
    case fileUnreadable(String)
    case givenOnCommandLine

    public var description: String {
        switch self {
        case .missing: return "no WorkOS API key: set WORKOS_API_KEY or pass --api-key-file"
        case .empty: return "the WorkOS API key is empty"
        case .malformed: return "the WorkOS API key contains whitespace inside it"
        case .fileNotFound(let path): return "API key file not found: \(path)"
        case .fileUnreadable(let path): return "API key file is not readable UTF-8 text: \(path)"
        case .givenOnCommandLine:
            return "an API key on the command line is refused (visible to other users in `ps`): "
                + "set WORKOS_API_KEY or pass --api-key-file"
        }
    }
}
