import Hummingbird

/// While the emulator hangs, a request is read and held with no answer; when the hang ends, its connection
/// is closed unanswered and nothing was applied. Runs before every route, so reads, writes and logins alike.
struct HangMiddleware: RouterMiddleware {
    typealias Context = EmulatorContext
    let hang: HangSwitch
    let counters: EmulatorCounters

    func handle(_ request: Request, context: EmulatorContext,
                next: (Request, EmulatorContext) async throws -> Response) async throws -> Response {
        guard hang.isHanging else { return try await next(request, context) }
        await counters.record { $0.hungRequests += 1 }
        // Polled, so that ending the hang early (`EmulatorServer.endHang()`) lets go of the held requests.
        while hang.isHanging, !Task.isCancelled {
            try? await Task.sleep(for: .milliseconds(50))
        }
        try? await context.channel.close()
        throw DroppedConnection()
    }
}
