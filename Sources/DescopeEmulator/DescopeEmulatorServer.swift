import Hummingbird
import Logging
import NIOConcurrencyHelpers
import ServiceLifecycle

/// A local Descope: a Hummingbird server on loopback answering the Management API endpoints `pull` reads
/// with Descope's semantics (0-based pages of at most 100, an empty page past the end, `total`, negative
/// values refused, time filters in epoch ms, `createdTime` in seconds), plus fault switches and
/// `/emulator/…` controls to add or modify users while a client pulls.
///
/// ```
/// let store = try DescopeStore(users: bytes)
/// let emulator = DescopeEmulatorServer(store: store, configuration: .init(managementKey: "K…"))
/// let port = try await emulator.start()          // a free port
/// … pull from emulator.baseURL …
/// try await emulator.shutdown()
/// ```
public final class DescopeEmulatorServer: Sendable {
    public let configuration: DescopeEmulatorConfiguration
    public let store: DescopeStore
    private let counters = DescopeEmulatorCounters()
    private let dice: FaultDice
    private let logger: Logger
    private let running = NIOLockedValueBox<Running?>(nil)

    private struct Running: Sendable {
        var group: ServiceGroup
        var task: Task<Void, any Error>
        var host: String
        var port: Int
    }

    public init(store: DescopeStore, configuration: DescopeEmulatorConfiguration = .init(), logger: Logger? = nil) {
        self.store = store
        self.configuration = configuration
        self.dice = FaultDice(seed: configuration.seed)
        self.logger = logger ?? {
            var logger = Logger(label: "hashport.descope-emulator")
            logger.logLevel = .warning
            return logger
        }()
    }

    func makeRouter() -> Router<BasicRequestContext> {
        let router = Router(context: BasicRequestContext.self)
        router.add(middleware: DescopeErrorMiddleware())
        router.add(middleware: StatisticsMiddleware(statistics: counters))
        router.add(middleware: LatencyMiddleware(latency: configuration.latency))
        router.add(middleware: ManagementAuthMiddleware(projectId: configuration.projectId,
                                                        managementKey: configuration.managementKey))
        router.add(middleware: FaultMiddleware(rateLimitedRate: configuration.rateLimitedRate,
                                               failRate: configuration.failRate,
                                               retryAfterSeconds: configuration.retryAfterSeconds, dice: dice))
        ManagementRoutes(store: store).register(on: router)
        ControlRoutes(store: store).register(on: router)
        return router
    }

    /// Starts listening and returns the bound port (`port: 0` picks a free one).
    /// With `stopOnSignals`, SIGINT and SIGTERM stop it gracefully.
    @discardableResult
    public func start(host: String = "127.0.0.1", port: Int = 0, stopOnSignals: Bool = false) async throws -> Int {
        guard running.withLockedValue({ $0 }) == nil else { throw DescopeEmulatorError.alreadyRunning }
        let (ports, announce) = AsyncStream<Int>.makeStream()
        let app = Application(router: makeRouter(), configuration: .init(address: .hostname(host, port: port)),
                              onServerRunning: { channel in
                                  announce.yield(channel.localAddress?.port ?? port)
                                  announce.finish()
                              },
                              logger: logger)
        var groupConfiguration = ServiceGroupConfiguration(
            services: [.init(service: app)],
            gracefulShutdownSignals: stopOnSignals ? [.sigterm, .sigint] : [], logger: logger)
        groupConfiguration.maximumGracefulShutdownDuration = .seconds(5)
        let group = ServiceGroup(configuration: groupConfiguration)
        let task = Task {
            defer { announce.finish() }
            try await group.run()
        }
        var iterator = ports.makeAsyncIterator()
        guard let bound = await iterator.next() else {
            try await task.value
            throw DescopeEmulatorError.didNotStart
        }
        running.withLockedValue { $0 = Running(group: group, task: task, host: host, port: bound) }
        return bound
    }

    /// `http://host:port`, nil when not running.
    public var baseURL: String? {
        running.withLockedValue { r in r.map { "http://\($0.host):\($0.port)" } }
    }

    /// Waits until the server stops (after `shutdown()`, or a signal when started with `stopOnSignals`).
    public func wait() async throws {
        guard let task = running.withLockedValue({ $0?.task }) else { return }
        try await task.value
        running.withLockedValue { $0 = nil }
    }

    /// Stops listening and waits for the server to finish.
    public func shutdown() async throws {
        guard let current = running.withLockedValue({ $0 }) else { return }
        await current.group.triggerGracefulShutdown()
        try await current.task.value
        running.withLockedValue { $0 = nil }
    }

    /// Requests, pages served, 401s, 429s and injected failures so far.
    public var statistics: DescopeEmulatorStatistics { counters.value }
}

public enum DescopeEmulatorError: Error, Sendable, CustomStringConvertible {
    case alreadyRunning
    case didNotStart

    public var description: String {
        switch self {
        case .alreadyRunning: return "the Descope emulator is already running"
        case .didNotStart: return "the Descope emulator stopped before it started listening"
        }
    }
}
