import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOHTTP1

/// The WorkOS API over AsyncHTTPClient: keep-alive connections, one token bucket for every write,
/// retries with backoff and jitter, 429 pauses for everyone, and a distinct stop on a refused key.
///
/// Every method returns the decoded answer with its request id, or throws `WorkOSError`
/// (or `CancellationError` when the task is cancelled).
public final class WorkOSClient: Sendable {
    public let configuration: WorkOSClientConfiguration
    /// The write budget; share it with other clients of the same environment by passing it in.
    public let writeBucket: TokenBucket
    private let apiKey: APIKey
    private let http: HTTPClient
    private let baseURL: String
    private let logger: Logger

    public init(apiKey: APIKey, configuration: WorkOSClientConfiguration = .init(),
                writeBucket: TokenBucket? = nil, logger: Logger = Logger(label: "hashport.workos")) {
        self.apiKey = apiKey
        self.configuration = configuration
        self.writeBucket = writeBucket ?? TokenBucket(rate: configuration.writesPerSecond,
                                                      burst: configuration.writeBurst,
                                                      headroom: configuration.writeHeadroom)
        var base = configuration.baseURL
        while base.hasSuffix("/") { base.removeLast() }
        self.baseURL = base
        self.logger = logger
        var http = HTTPClient.Configuration()
        http.timeout = .init(connect: configuration.connectTimeout.timeAmount)
        http.connectionPool = .init(idleTimeout: .seconds(60),
                                    concurrentHTTP1ConnectionsPerHostSoftLimit: max(1, configuration.maxConnections))
        http.redirectConfiguration = .disallow
        http.httpVersion = .http1Only
        self.http = HTTPClient(eventLoopGroupProvider: .singleton, configuration: http)
    }

    /// Closes the connections. Call once, after the last request.
    public func shutdown() async throws {
        try await http.shutdown()
    }

    // MARK: - One logical call, with its retries

    /// A request before it is sent: everything needed to send it again identically.
    struct Call: Sendable {
        var method: HTTPMethod
        var path: String
        var query: [(String, String)] = []
        var body: [UInt8]? = nil
        var idempotencyKey: String? = nil
        var isWrite: Bool { method == .POST || method == .PUT || method == .PATCH || method == .DELETE }
    }

    /// What came back from one send.
    struct Answer: Sendable {
        var status: Int
        var requestId: String?
        var retryAfter: String?
        var body: ByteBuffer
    }

    /// Sends `call` until it succeeds or the retry policy gives up; 404 answers are returned as nil
    /// when `notFoundIsNil`.
    func perform<Value: Decodable & Sendable>(_ call: Call, as type: Value.Type,
                                              notFoundIsNil: Bool = false) async throws -> WorkOSResponse<Value?> {
        let policy = configuration.retry
        var attempt = 0
        var sawAmbiguous = false
        while true {
            attempt += 1
            if call.isWrite { try await writeBucket.acquire() }
            var failure: WorkOSError
            do {
                let answer = try await send(call)
                if (200..<300).contains(answer.status) {
                    return WorkOSResponse(value: try decode(Value.self, answer, attempts: attempt),
                                          requestId: answer.requestId, attempts: attempt)
                }
                if answer.status == 404 && notFoundIsNil {
                    return WorkOSResponse(value: nil, requestId: answer.requestId, attempts: attempt)
                }
                failure = error(from: answer, attempts: attempt)
            } catch let error as CancellationError {
                throw error
            } catch let error as WorkOSError {
                throw error
            } catch {
                if Task.isCancelled { throw CancellationError() }
                failure = WorkOSError(delivery: TransportFailure.delivery(of: error),
                                      message: TransportFailure.message(of: error), attempts: attempt)
            }
            if failure.delivery == .ambiguous { sawAmbiguous = true }
            if failure.isAPIKeyRejected { throw failure }
            if failure.isRateLimited {
                // Everyone waits, not just this request: the limit is per environment.
                await writeBucket.pause(for: policy.delay(after: failure, retry: attempt))
            }
            guard policy.shouldRetry(failure, afterAttempt: attempt) else {
                if sawAmbiguous && failure.isRetryable { failure.delivery = .ambiguous }
                throw failure
            }
            let wait = failure.isRateLimited ? Duration.zero : policy.delay(forRetry: attempt)
            logger.debug("retrying after failure", metadata: [
                "method": "\(call.method.rawValue)", "path": "\(call.path)", "attempt": "\(attempt)",
                "failure": "\(failure.status.map(String.init) ?? failure.delivery.rawValue)",
                "request_id": "\(failure.requestId ?? "-")",
            ])
            if wait > .zero { try await Task.sleep(for: wait) }
        }
    }

    /// Like `perform`, for calls whose success value is never nil.
    func performRequired<Value: Decodable & Sendable>(_ call: Call, as type: Value.Type) async throws
        -> WorkOSResponse<Value> {
        let response = try await perform(call, as: type)
        guard let value = response.value else {
            throw WorkOSError(delivery: .answered, status: 404, message: "not found",
                              requestId: response.requestId, attempts: response.attempts)
        }
        return WorkOSResponse(value: value, requestId: response.requestId, attempts: response.attempts)
    }

    private func send(_ call: Call) async throws -> Answer {
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
        let response = try await http.execute(request, timeout: configuration.requestTimeout.timeAmount)
        let body = try await response.body.collect(upTo: configuration.maxResponseBytes)
        return Answer(status: Int(response.status.code), requestId: response.headers.first(name: "X-Request-Id"),
                      retryAfter: response.headers.first(name: "Retry-After"), body: body)
    }

    private func decode<Value: Decodable>(_ type: Value.Type, _ answer: Answer, attempts: Int) throws -> Value {
        do {
            return try JSONDecoder().decode(Value.self, from: Data(answer.body.readableBytesView))
        } catch {
            throw WorkOSError(delivery: .answered, status: answer.status, code: "undecodable_response",
                              message: "WorkOS answered \(answer.status) with a body hashport cannot read: \(error)",
                              requestId: answer.requestId, attempts: attempts)
        }
    }

    private func error(from answer: Answer, attempts: Int) -> WorkOSError {
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

    var apiKeySecret: String { apiKey.secret }

    /// The caller's key, else a fresh one for this logical create, reused by each of its retries.
    func idempotencyKey(_ given: String?) -> String { given ?? "hashport-" + UUID().uuidString }

    func encodeBody(_ value: some Encodable) throws -> [UInt8] {
        do {
            return Array(try JSONEncoder().encode(value))
        } catch {
            throw WorkOSError(delivery: .notSent, code: "unencodable_request",
                              message: "could not encode the request body: \(error)", attempts: 0)
        }
    }
}

extension Duration {
    var timeAmount: TimeAmount {
        let (seconds, attoseconds) = components
        return .nanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
    }
}
