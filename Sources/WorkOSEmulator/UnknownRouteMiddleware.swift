import Hummingbird

/// Answers a path the emulator does not serve as WorkOS would: a JSON 404 with an `X-Request-Id`,
/// instead of Hummingbird's empty one.
struct UnknownRouteMiddleware: RouterMiddleware {
    typealias Context = EmulatorContext

    func handle(_ request: Request, context: EmulatorContext,
                next: (Request, EmulatorContext) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as HTTPError {
            let status = Int(error.status.code)
            let reply = status == 404
                ? APIReply.error(404, code: "not_found",
                                 message: "\(request.method.rawValue) \(request.uri.path) is not served by the emulator.")
                : APIReply.error(status, code: "http_error", message: error.body ?? "HTTP \(status)")
            return EmulatorAPI.response(reply, ObjectID.requestID())
        }
    }
}
