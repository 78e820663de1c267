import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// One send of one request, and the reading of its answer: no retries, no limits. The client's retry loop,
/// the circuit breaker's probe and the connection check all send through it.
struct WorkOSTransport: Sendable {
    let http: HTTPClient
    let baseURL: String
    let apiKey: APIKey
    let configuration: WorkOSClientConfiguration

    /// A request before it is sent: everything needed to send it again identically.
    struct Call: Sendable {
        /// Which budget the request spends.
        enum Budget: Sendable { case write, read, organizationDelete }

        var method: HTTPMethod
        var path: String
        var query: [(String, String)] = []
        var body: [UInt8]? = nil
        var idempotencyKey: String? = nil
        /// Deadline of one send; nil takes the configuration's `requestTimeout`.
        var timeout: Duration? = nil

        var isWrite: Bool { method == .POST || method == .PUT || method == .PATCH || method == .DELETE }
        var budget: Budget {
            if method == .DELETE && path.hasPrefix("/organizations/") { return .organizationDelete }
            return isWrite ? .write : .read
        }
    }

    /// What came back from one send.
    struct Answer: Sendable {
        var status: Int
        var requestId: String?
        var retryAfter: String?
        var body: ByteBuffer
    }

    func send(_ call: Call) async throws -> Answer {
        var request = HTTPClientRequest(url: baseURL + call.path + QueryString.encode(call.query))
        request.method = call.method
        request.headers.add(name: "Authorization", value: "Bearer \(apiKey.secret)")
        request.headers.add(name: "Accept", value: "application/json")
        request.headers.add(name: "User-Agent", value: "hashport/0.1")
        if let key = call.idempotencyKey { request.headers.add(name: "Idempotency-Key", value: key) }
        if let body = call.body {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(bytes: body))
        }
        let timeout = call.timeout ?? configuration.requestTimeout
        let response = try await http.execute(request, timeout: timeout.timeAmount)
        let body = try await response.body.collect(upTo: configuration.maxResponseBytes)
        return Answer(status: Int(response.status.code), requestId: response.headers.first(name: "X-Request-Id"),
                      retryAfter: response.headers.first(name: "Retry-After"), body: body)
    }

    func decode<Value: Decodable>(_ type: Value.Type, _ answer: Answer, attempts: Int) throws -> Value {
        // A delete answers 202/204 with no body worth reading.
        if let none = NoContent() as? Value { return none }
        do {
            return try JSONDecoder().decode(Value.self, from: Data(answer.body.readableBytesView))
        } catch {
            throw WorkOSError(delivery: .answered, status: answer.status, code: "undecodable_response",
                              message: "WorkOS answered \(answer.status) with a body hashport cannot read: \(error)",
                              requestId: answer.requestId, attempts: attempts)
        }
    }

    func error(from answer: Answer, attempts: Int) -> WorkOSError {
        let retryAfter = RetryAfter.parse(answer.retryAfter, now: Date().timeIntervalSince1970,
                                          cap: configuration.retry.maxRetryAfter)
        if answer.status == 401 {
            return WorkOSError(delivery: .answered, status: 401, code: "unauthorized",
                               message: WorkOSError.apiKeyRejectedMessage, requestId: answer.requestId,
                               attempts: attempts)
        }
        let body = try? JSONDecoder().decode(ErrorBody.self, from: Data(answer.body.readableBytesView))
        return WorkOSError(delivery: .answered, status: answer.status, code: body?.code,
                           errors: body?.errors ?? [],
                           message: body?.message ?? "HTTP \(answer.status) with no error message",
                           requestId: answer.requestId, retryAfter: retryAfter, attempts: attempts)
    }

    /// The breaker's probe: `GET /user_management/users?limit=1`. Nil when WorkOS answered anything but an
    /// outage status, else the cause in a few words.
    func probe(timeout: Duration) async -> String? {
        do {
            let answer = try await send(Call(method: .GET, path: "/user_management/users", query: [("limit", "1")],
                                             timeout: timeout))
            return WorkOSError.isOutageStatus(answer.status) ? "HTTP \(answer.status)" : nil
        } catch {
            return TransportFailure.cause(of: error)
        }
    }
}

/// The value of an answer whose body does not matter (a delete's 202 or 204).
public struct NoContent: Decodable, Sendable, Hashable {
    public init() {}
}

extension Duration {
    var timeAmount: TimeAmount {
        let (seconds, attoseconds) = components
        return .nanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
    }
}
