import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOHTTP1

/// The WorkOS API over AsyncHTTPClient: keep-alive connections, one token bucket for every write and one
/// for reads, retries with backoff and jitter, 429 pauses for everyone, a circuit breaker that holds every
/// request through an outage, and a distinct stop on a refused key.
///
/// Every method returns the decoded answer with its request id, or throws `WorkOSError`, `WorkOSOutage`
/// (an outage longer than the breaker's limit) or `CancellationError` (the task was cancelled).
public final class WorkOSClient: Sendable {
    public let configuration: WorkOSClientConfiguration
    /// The write budget; share it with other clients of the same environment by passing it in.
    public let writeBucket: TokenBucket
    /// The read budget (WorkOS: 1,000 `/user_management` reads per 10 s).
    public let readBucket: TokenBucket
    /// `DELETE /organizations/{id}` has a limit of its own: 50 per 60 s per API key.
    let organizationDeleteBucket: TokenBucket
    /// Nil when the configuration turns it off.
    public let breaker: CircuitBreaker?
    let transport: WorkOSTransport
    private let logger: Logger

    public init(apiKey: APIKey, configuration: WorkOSClientConfiguration = .init(),
                writeBucket: TokenBucket? = nil, logger: Logger = Logger(label: "hashport.workos")) {
        self.configuration = configuration
        self.writeBucket = writeBucket ?? TokenBucket(rate: configuration.writesPerSecond,
                                                      burst: configuration.writeBurst,
                                                      headroom: configuration.writeHeadroom)
        self.readBucket = TokenBucket(rate: configuration.readsPerSecond, burst: configuration.writeBurst,
                                      headroom: configuration.writeHeadroom)
        self.organizationDeleteBucket = TokenBucket(rate: 50.0 / 60.0, burst: 5, headroom: 0.1)
        var base = configuration.baseURL
        while base.hasSuffix("/") { base.removeLast() }
        self.logger = logger
        var http = HTTPClient.Configuration()
        http.timeout = .init(connect: configuration.connectTimeout.timeAmount)
        http.connectionPool = .init(idleTimeout: .seconds(60),
                                    concurrentHTTP1ConnectionsPerHostSoftLimit: max(1, configuration.maxConnections))
        // A refused connection fails the request at once with its cause; the retry policy and the breaker
        // decide what happens next (the pool's own retries would hide the cause until the connect timeout).
        http.connectionPool.retryConnectionEstablishment = false
        http.redirectConfiguration = .disallow
        http.httpVersion = .http1Only
        let transport = WorkOSTransport(http: HTTPClient(eventLoopGroupProvider: .singleton, configuration: http),
                                        baseURL: base, apiKey: apiKey, configuration: configuration)
        self.transport = transport
        self.breaker = configuration.circuitBreaker.map { policy in
            CircuitBreaker(policy: policy) { timeout in await transport.probe(timeout: timeout) }
        }
    }

    /// The base URL requests go to (no trailing slash).
    public var baseURL: String { transport.baseURL }

    /// Closes the connections. Call once, after the last request.
    public func shutdown() async throws {
        breaker?.shutdown()
        try await transport.http.shutdown()
    }

    typealias Call = WorkOSTransport.Call

    // MARK: - One logical call, with its retries

    /// Sends `call` until it succeeds or the retry policy gives up; 404 answers are returned as nil
    /// when `notFoundIsNil`. Failures during an outage (the breaker open) do not use up the retries.
    func perform<Value: Decodable & Sendable>(_ call: Call, as type: Value.Type,
                                              notFoundIsNil: Bool = false) async throws -> WorkOSResponse<Value?> {
        let policy = configuration.retry
        var attempt = 0
        var sawAmbiguous = false
        while true {
            attempt += 1
            try await breaker?.admit()
            try await bucket(for: call).acquire()
            var failure: WorkOSError
            var cause: String
            do {
                let answer = try await transport.send(call)
                if !WorkOSError.isOutageStatus(answer.status) { breaker?.recordAnswer() }
                if (200..<300).contains(answer.status) {
                    return WorkOSResponse(value: try transport.decode(Value.self, answer, attempts: attempt),
                                          requestId: answer.requestId, attempts: attempt)
                }
                if answer.status == 404 && notFoundIsNil {
                    return WorkOSResponse(value: nil, requestId: answer.requestId, attempts: attempt)
                }
                failure = transport.error(from: answer, attempts: attempt)
                cause = "HTTP \(answer.status)"
            } catch let error as CancellationError {
                throw error
            } catch let error as WorkOSError {
                throw error
            } catch {
                if Task.isCancelled { throw CancellationError() }
                failure = WorkOSError(delivery: TransportFailure.delivery(of: error),
                                      message: TransportFailure.message(of: error), attempts: attempt)
                cause = TransportFailure.cause(of: error)
            }
            if failure.delivery == .ambiguous { sawAmbiguous = true }
            if failure.isAPIKeyRejected { throw failure }
            if failure.isOutage, let breaker {
                if breaker.recordOutageFailure(cause: cause) {
                    // WorkOS is down for everyone: this send does not count against the request.
                    attempt -= 1
                    continue
                }
                if let gaveUp = breaker.gaveUp { throw gaveUp }
            }
            if failure.isRateLimited {
                // Everyone waits, not just this request: the limit is per environment.
                await bucket(for: call).pause(for: policy.delay(after: failure, retry: attempt))
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

    private func bucket(for call: Call) -> TokenBucket {
        switch call.budget {
        case .write: return writeBucket
        case .read: return readBucket
        case .organizationDelete: return organizationDeleteBucket
        }
    }

    var apiKeySecret: String { transport.apiKey.secret }

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
