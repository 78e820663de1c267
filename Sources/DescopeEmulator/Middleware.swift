import HTTPTypes
import Hummingbird

/// Unknown paths and framework errors answered as Descope would: JSON with an error code.
struct DescopeErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context,
                next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as HTTPError {
            if error.status == .notFound {
                return DescopeReply.error(.notFound, code: "E_NOT_FOUND", description: "Not found",
                                          message: "\(request.method.rawValue) \(request.uri.path) is not served by the emulator")
            }
            return DescopeReply.error(error.status, code: "E_HTTP", description: error.status.reasonPhrase,
                                      message: error.body ?? "HTTP \(error.status.code)")
        }
    }
}

/// Counts requests and answers (tests wait on them; the command prints them at exit).
struct StatisticsMiddleware<Context: RequestContext>: RouterMiddleware {
    let statistics: DescopeEmulatorCounters

    func handle(_ request: Request, context: Context,
                next: (Request, Context) async throws -> Response) async throws -> Response {
        let response = try await next(request, context)
        guard !request.isEmulatorControl else { return response }
        let isSearch = request.uri.path.hasSuffix("/mgmt/user/search")
        statistics.record { s in
            s.requests += 1
            switch response.status.code {
            case 200 where isSearch: s.searchPagesServed += 1
            case 401, 403: s.unauthorized += 1
            case 429: s.rateLimited += 1
            case 500...: s.injectedFailures += 1
            default: break
            }
        }
        return response
    }
}

/// `--latency-ms`: every API answer waits this long first.
struct LatencyMiddleware<Context: RequestContext>: RouterMiddleware {
    let latency: Duration

    func handle(_ request: Request, context: Context,
                next: (Request, Context) async throws -> Response) async throws -> Response {
        if latency > .zero, !request.isEmulatorControl { try await Task.sleep(for: latency) }
        return try await next(request, context)
    }
}

/// `Authorization: Bearer <ProjectId>:<ManagementKey>`; 401 otherwise (the key is compared in constant time).
struct ManagementAuthMiddleware<Context: RequestContext>: RouterMiddleware {
    let projectId: String
    let managementKey: String?

    func handle(_ request: Request, context: Context,
                next: (Request, Context) async throws -> Response) async throws -> Response {
        if request.isEmulatorControl || accepts(request.headers[.authorization]) {
            return try await next(request, context)
        }
        return DescopeReply.error(.unauthorized, code: "E_UNAUTHORIZED", description: "Unauthorized request",
                                  message: "the project id or management key is not valid")
    }

    private func accepts(_ header: String?) -> Bool {
        guard let header, header.hasPrefix("Bearer ") else { return false }
        let credentials = header.dropFirst("Bearer ".count)
        guard let colon = credentials.firstIndex(of: ":") else { return false }
        let project = credentials[..<colon], key = credentials[credentials.index(after: colon)...]
        guard project == projectId, !key.isEmpty else { return false }
        guard let managementKey else { return true }
        return Self.constantTimeEqual(Array(key.utf8), Array(managementKey.utf8))
    }

    static func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        var difference: UInt8 = 0
        for i in 0..<a.count { difference |= a[i] ^ b[i] }
        return difference == 0
    }
}

/// The fault switches: a seeded share of API requests answered 429 (with `Retry-After`) or 500/503.
struct FaultMiddleware<Context: RequestContext>: RouterMiddleware {
    let rateLimitedRate: Double
    let failRate: Double
    let retryAfterSeconds: Int
    let dice: FaultDice

    func handle(_ request: Request, context: Context,
                next: (Request, Context) async throws -> Response) async throws -> Response {
        guard !request.isEmulatorControl, rateLimitedRate > 0 || failRate > 0 else {
            return try await next(request, context)
        }
        let roll = dice.roll()
        if roll < rateLimitedRate {
            var headers = HTTPFields()
            headers[.retryAfter] = String(retryAfterSeconds)
            return DescopeReply.error(.tooManyRequests, code: "E_RATE_LIMITED", description: "Too many requests",
                                      message: "rate limit exceeded (injected by the emulator)", headers: headers)
        }
        if roll < rateLimitedRate + failRate {
            let status: HTTPResponse.Status = dice.roll() < 0.5 ? .internalServerError : .serviceUnavailable
            return DescopeReply.error(status, code: "E_SERVER", description: status.reasonPhrase,
                                      message: "server error (injected by the emulator)")
        }
        return try await next(request, context)
    }
}
