import AsyncHTTPClient
import Foundation
import HTTPRetry
import NIOCore
import NIOHTTP1
import Synchronization

/// The part of Descope's Management API that `pull` reads, over AsyncHTTPClient with keep-alive.
/// 429 → wait `Retry-After` (every call waits: the limit is the project's) and send again; 408, 5xx and
/// transport failures → exponential backoff with full jitter; 401/403 → `DescopeError.keyRejected` at once.
/// Every method throws `DescopeError`, or `CancellationError` when its task is cancelled.
public final class DescopeClient: Sendable {
    public let configuration: DescopeClientConfiguration
    public let projectId: String
    private let authorization: String
    private let baseURL: String
    private let http: HTTPClient
    /// No send starts before this instant (set by a 429's `Retry-After`).
    private let pausedUntil = Mutex<ContinuousClock.Instant?>(nil)
    private let counters = Mutex(DescopeTraffic())

    public init(credentials: ManagementCredentials, configuration: DescopeClientConfiguration = .init()) {
        self.configuration = configuration
        self.projectId = credentials.projectId
        self.authorization = credentials.authorization
        var base = configuration.baseURL
        while base.hasSuffix("/") { base.removeLast() }
        self.baseURL = base
        var http = HTTPClient.Configuration()
        http.timeout = .init(connect: .nanoseconds(Int64(configuration.connectTimeout.nanoseconds)))
        http.connectionPool = .init(idleTimeout: .seconds(60),
                                    concurrentHTTP1ConnectionsPerHostSoftLimit: configuration.maxConnections)
        http.redirectConfiguration = .disallow
        http.httpVersion = .http1Only
        self.http = HTTPClient(eventLoopGroupProvider: .singleton, configuration: http)
    }

    /// Closes the connections. Call once, after the last request.
    public func shutdown() async throws { try await http.shutdown() }

    /// Requests, retries and waits so far.
    public var traffic: DescopeTraffic { counters.withLock { $0 } }

    // MARK: - Endpoints

    /// `POST /v2/mgmt/user/search`: one page of users.
    public func searchUsers(_ search: SearchUsersRequest) async throws -> SearchUsersAnswer {
        let path = "/v2/mgmt/user/search"
        let body = try await perform(.POST, path, body: try JSONEncoder().encode(search))
        do { return try SearchUsersAnswer(body: body) } catch {
            throw DescopeError(kind: .undecodable, status: 200, message: error.description, method: "POST", path: path,
                               attempts: 1)
        }
    }

    /// `GET /v1/mgmt/tenant/all`: `{"tenants":[…]}`, as sent.
    public func loadAllTenants() async throws -> [UInt8] {
        try await perform(.GET, "/v1/mgmt/tenant/all")
    }

    /// `POST /v1/mgmt/role/search` with `{}`; where that is not served (404, 405), `GET /v1/mgmt/role/all`.
    public func loadAllRoles() async throws -> [UInt8] {
        do {
            return try await perform(.POST, "/v1/mgmt/role/search", body: Data("{}".utf8))
        } catch let error as DescopeError where error.kind == .refused && (error.status == 404 || error.status == 405) {
            return try await perform(.GET, "/v1/mgmt/role/all")
        }
    }

    // MARK: - One call with its retries

    func perform(_ method: HTTPMethod, _ path: String, body: Data? = nil) async throws -> [UInt8] {
        let policy = configuration.retry
        var failures = 0
        var rateLimited = 0
        while true {
            try await waitWhilePaused()
            let attempt = failures + rateLimited + 1
            counters.withLock { $0.requests += 1 }
            let failure: DescopeError
            var retryAfter: Duration?
            do {
                let answer = try await send(method, path, body: body)
                if (200..<300).contains(answer.status) { return answer.body }
                failure = Self.error(from: answer, method: method.rawValue, path: path, attempts: attempt)
                retryAfter = RetryAfter.parse(answer.retryAfter, now: Date().timeIntervalSince1970,
                                              cap: policy.maxRetryAfter)
            } catch let error as CancellationError {
                throw error
            } catch {
                if Task.isCancelled { throw CancellationError() }
                failure = DescopeError(kind: .unavailable, message: Self.transportMessage(error),
                                       method: method.rawValue, path: path, attempts: attempt)
            }
            guard failure.kind == .unavailable else { throw failure }
            let wait: Duration
            if failure.status == 429 {
                rateLimited += 1
                guard rateLimited <= configuration.maxRateLimitedWaits else { throw failure }
                wait = policy.delay(retryAfter: retryAfter, retry: rateLimited)
                pause(for: wait)
                counters.withLock { $0.rateLimited += 1; $0.waitedSeconds += wait.seconds }
            } else {
                failures += 1
                guard failures < policy.maxAttempts else { throw failure }
                wait = policy.delay(forRetry: failures)
                counters.withLock { $0.retried += 1; $0.waitedSeconds += wait.seconds }
            }
            if wait > .zero { try await Task.sleep(for: wait) }
        }
    }

    private struct Answer {
        var status: Int
        var retryAfter: String?
        var body: [UInt8]
    }

    private func send(_ method: HTTPMethod, _ path: String, body: Data?) async throws -> Answer {
        var request = HTTPClientRequest(url: baseURL + path)
        request.method = method
        request.headers.add(name: "Authorization", value: authorization)
        request.headers.add(name: "Accept", value: "application/json")
        request.headers.add(name: "User-Agent", value: "hashport/0.1")
        if let body {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(bytes: body))
        }
        let timeout = TimeAmount.nanoseconds(Int64(configuration.requestTimeout.nanoseconds))
        let response = try await http.execute(request, timeout: timeout)
        let bytes = try await response.body.collect(upTo: configuration.maxResponseBytes)
        return Answer(status: Int(response.status.code), retryAfter: response.headers.first(name: "Retry-After"),
                      body: Array(bytes.readableBytesView))
    }

    private func pause(for wait: Duration) {
        let until = ContinuousClock.now + wait
        pausedUntil.withLock { current in
            if current.map({ $0 < until }) ?? true { current = until }
        }
    }

    private func waitWhilePaused() async throws {
        while let until = pausedUntil.withLock({ $0 }), until > .now {
            try await Task.sleep(until: until, clock: .continuous)
        }
    }

    /// Descope's error body: `{"errorCode":"E011003","errorDescription":"…","errorMessage":"…"}`.
    private struct ErrorBody: Decodable {
        var errorCode: String?
        var errorDescription: String?
        var errorMessage: String?
        var message: String?
    }

    private static func error(from answer: Answer, method: String, path: String, attempts: Int) -> DescopeError {
        let kind: DescopeError.Kind
        switch answer.status {
        case 401, 403: kind = .keyRejected
        case let s where DescopeError.isRetryable(status: s): kind = .unavailable
        default: kind = .refused
        }
        let body = try? JSONDecoder().decode(ErrorBody.self, from: Data(answer.body))
        let text = [body?.errorDescription, body?.errorMessage ?? body?.message]
            .compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: ": ")
        return DescopeError(kind: kind, status: answer.status, code: body?.errorCode,
                            message: text.isEmpty ? "HTTP \(answer.status) with no error message" : text,
                            method: method, path: path, attempts: attempts)
    }

    /// A transport failure described with nothing from the request (no header, so no key) in it.
    private static func transportMessage(_ error: any Error) -> String {
        if let error = error as? HTTPClientError { return "transport failure: \(error)" }
        return "transport failure: \(String(describing: type(of: error))): \(error)"
    }
}

/// What a client has sent so far.
public struct DescopeTraffic: Sendable, Hashable {
    public var requests = 0
    /// 429 answers waited out.
    public var rateLimited = 0
    /// Sends repeated after a 408, 5xx or transport failure.
    public var retried = 0
    /// Time spent waiting before retries.
    public var waitedSeconds = 0.0
    public init() {}
}

extension Duration {
    var nanoseconds: Double { seconds * 1e9 }
}
