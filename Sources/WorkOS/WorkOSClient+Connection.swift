import Foundation

/// What the connection check found: WorkOS answered the key, and how the key is classed.
public struct WorkOSConnection: Sendable, Hashable {
    /// `X-Request-Id` of the answer.
    public var requestId: String?
    /// `sk_live_…`: the production environment.
    public var isProductionKey: Bool
}

/// Why WorkOS cannot be used at all: said before anything is written, in a sentence a user can act on.
public enum WorkOSConnectionProblem: Error, Sendable, Hashable, CustomStringConvertible {
    /// Nothing answered at the address: refused, timed out, host not found, TLS failure.
    case unreachable(baseURL: String, cause: String)
    /// WorkOS answered 401.
    case apiKeyRejected(requestId: String?)
    /// WorkOS answered, but not with a list of users (403, 5xx after the retries, a body that is not WorkOS's).
    case refused(baseURL: String, status: Int, message: String, requestId: String?)

    public var description: String {
        switch self {
        case let .unreachable(baseURL, cause):
            return "cannot reach WorkOS at \(baseURL): \(cause)"
        case let .apiKeyRejected(requestId):
            return WorkOSError.apiKeyRejectedMessage + (requestId.map { " (request \($0))" } ?? "")
        case let .refused(baseURL, status, message, requestId):
            return "WorkOS at \(baseURL) answered HTTP \(status) to a read of one user: \(message)"
                + (requestId.map { " (request \($0))" } ?? "")
        }
    }
}

extension WorkOSClient {
    /// One read (`GET /user_management/users?limit=1`) that proves the address and the key before anything
    /// is written. Fails within seconds: no breaker, one send for a transport failure (a refused connection
    /// fails at once; a silent host after `timeout`), three for 5xx or 429.
    public func checkConnection(timeout: Duration = .seconds(6)) async throws -> WorkOSConnection {
        let call = Call(method: .GET, path: "/user_management/users", query: [("limit", "1")], timeout: timeout)
        var attempt = 0
        while true {
            attempt += 1
            let answer: WorkOSTransport.Answer
            do {
                answer = try await transport.send(call)
            } catch {
                if Task.isCancelled { throw CancellationError() }
                throw WorkOSConnectionProblem.unreachable(baseURL: baseURL, cause: TransportFailure.cause(of: error))
            }
            if (200..<300).contains(answer.status) {
                guard (try? transport.decode(ListResponse<User>.self, answer, attempts: attempt)) != nil else {
                    throw WorkOSConnectionProblem.refused(
                        baseURL: baseURL, status: answer.status, message: "the answer is not a WorkOS list of users "
                            + "(is --base-url the WorkOS API?)", requestId: answer.requestId)
                }
                return WorkOSConnection(requestId: answer.requestId,
                                        isProductionKey: apiKeySecret.hasPrefix("sk_live_"))
            }
            let failure = transport.error(from: answer, attempts: attempt)
            if failure.isAPIKeyRejected { throw WorkOSConnectionProblem.apiKeyRejected(requestId: answer.requestId) }
            guard failure.isRetryable, attempt < 3 else {
                throw WorkOSConnectionProblem.refused(baseURL: baseURL, status: answer.status, message: failure.message,
                                                      requestId: answer.requestId)
            }
            try await Task.sleep(for: min(failure.retryAfter ?? .seconds(1), .seconds(3)))
        }
    }
}
