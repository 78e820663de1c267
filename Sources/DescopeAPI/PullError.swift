/// Why a pull stopped before finishing. The users committed so far stay in the directory.
public enum PullError: Error, Sendable, CustomStringConvertible {
    /// Descope refused or kept failing (`DescopeError.kind` says which).
    case descope(DescopeError)
    /// A file in the output directory could not be created, read or written.
    case localFile(path: String, reason: String)
    /// The directory holds a pull with other options (another project, another `--since`).
    case differentPull(directory: String, reason: String)
    /// The directory holds pull output files but no state: not ours to overwrite.
    case notEmpty(directory: String, files: [String])
    /// Anything else (a bug): said as it is.
    case unexpected(String)

    public var description: String {
        switch self {
        case .descope(let error): return error.description
        case let .localFile(path, reason): return "\(path): \(reason)"
        case let .differentPull(directory, reason):
            return "\(directory) holds an unfinished pull \(reason): rerun it with the same options to finish it, "
                + "choose another --out, or pass --restart to discard it"
        case let .notEmpty(directory, files):
            return "\(directory) already holds \(files.joined(separator: ", ")) from something other than an "
                + "unfinished pull: choose another --out, or pass --restart to replace them"
        case .unexpected(let reason): return "unexpected failure: \(reason)"
        }
    }

    /// True for problems of the command line or the local files (exit 2), false for Descope's side (exit 1).
    public var isUsage: Bool {
        switch self {
        case .descope(let error): return error.kind == .keyRejected
        case .localFile, .differentPull, .notEmpty: return true
        case .unexpected: return false
        }
    }
}
