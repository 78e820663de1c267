/// A Descope Management API call that did not succeed. Its text never holds the management key.
public struct DescopeError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Kind: String, Sendable, Hashable {
        /// 401 or 403: the project id or management key is wrong, or the key lacks the permission.
        case keyRejected
        /// Descope answered with an error status (the request itself is refused: retrying cannot help).
        case refused
        /// 408, 429, 5xx or a transport failure, still failing after every retry.
        case unavailable
        /// A 2xx answer whose body is not what the endpoint returns.
        case undecodable
    }

    public var kind: Kind
    /// HTTP status; nil for a transport failure.
    public var status: Int?
    /// Descope's `errorCode` (`E011003`…), when the body had one.
    public var code: String?
    public var message: String
    public var method: String
    public var path: String
    public var attempts: Int

    public init(kind: Kind, status: Int? = nil, code: String? = nil, message: String, method: String, path: String,
                attempts: Int) {
        self.kind = kind; self.status = status; self.code = code; self.message = message
        self.method = method; self.path = path; self.attempts = attempts
    }

    /// True for the answers and failures that a later try may not repeat.
    static func isRetryable(status: Int) -> Bool { status == 408 || status == 429 || status >= 500 }

    public var description: String {
        let call = "\(method) \(path)"
        switch kind {
        case .keyRejected:
            return "Descope refused the management key (HTTP \(status.map(String.init) ?? "?") on \(call)): check "
                + "DESCOPE_MANAGEMENT_KEY or --management-key-file, and that --project-id is the key's project"
        case .refused:
            return "Descope refused \(call) with HTTP \(status.map(String.init) ?? "?")"
                + (code.map { " \($0)" } ?? "") + ": \(message)"
        case .unavailable:
            return "Descope did not answer \(call) after \(attempts) attempt\(attempts == 1 ? "" : "s"): \(message)"
        case .undecodable:
            return "Descope answered \(call) with a body hashport cannot read: \(message)"
        }
    }
}
