import Hummingbird
import Logging
import NIOConcurrencyHelpers
import NIOCore
import ServiceLifecycle
import WorkOS

/// A local WorkOS: a Hummingbird server on loopback answering as production does.
///
/// ```
/// let emulator = try EmulatorServer(configuration: .init(rateLimit: 50))
/// let port = try await emulator.start()          // a free port
/// … talk HTTP to emulator.baseURL …
/// let state = try await emulator.snapshot()
/// try await emulator.shutdown()
/// ```
public final class EmulatorServer: Sendable {
    public let configuration: EmulatorConfiguration
    private let api: EmulatorAPI
    private let logger: Logger
    private let running = NIOLockedValueBox<Running?>(nil)

    private struct Running: Sendable {
        var group: ServiceGroup
        var task: Task<Void, any Error>
        var host: String
        var port: Int
    }

    /// Opens the state (the SQLite file when `statePath` is set, else memory). Nothing listens yet.
    public init(configuration: EmulatorConfiguration = .init(), logger: Logger? = nil) throws {
        self.configuration = configuration
        self.api = EmulatorAPI(configuration: configuration, store: try EmulatorStore(path: configuration.statePath))
        self.logger = logger ?? {
            var logger = Logger(label: "hashport.emulator")
            logger.logLevel = .warning
            return logger
        }()
    }

    /// Starts listening and returns the bound port (`port: 0` picks a free one).
    /// With `stopOnSignals`, SIGINT and SIGTERM stop it gracefully.
    @discardableResult
    public func start(host: String = "127.0.0.1", port: Int = 0, stopOnSignals: Bool = false) async throws -> Int {
        guard running.withLockedValue({ $0 }) == nil else { throw EmulatorServerError.alreadyRunning }
        let router = Router(context: EmulatorContext.self)
        router.add(middleware: HangMiddleware(hang: api.hang, counters: api.counters))
        router.add(middleware: UnknownRouteMiddleware())
        UserRoutes(api: api).register(on: router)
        OrganizationRoutes(api: api).register(on: router)
        MembershipRoutes(api: api).register(on: router)
        AuthenticateRoute(api: api).register(on: router)

        let (ports, announce) = AsyncStream<Int>.makeStream()
        let app = Application(router: router,
                              configuration: .init(address: .hostname(host, port: port)),
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
            throw EmulatorServerError.didNotStart
        }
        running.withLockedValue { $0 = Running(group: group, task: task, host: host, port: bound) }
        return bound
    }

    /// The port it listens on, nil when not running.
    public var port: Int? { running.withLockedValue { $0?.port } }

    /// `http://host:port`, nil when not running.
    public var baseURL: String? {
        running.withLockedValue { r in r.map { "http://\($0.host):\($0.port)" } }
    }

    /// Waits until the server stops (after `shutdown()` or a signal when started with `stopOnSignals`).
    public func wait() async throws {
        guard let task = running.withLockedValue({ $0?.task }) else { return }
        try await task.value
        running.withLockedValue { $0 = nil }
    }

    /// Stops listening and waits for the server to finish. The state stays readable.
    public func shutdown() async throws {
        guard let current = running.withLockedValue({ $0 }) else { return }
        await current.group.triggerGracefulShutdown()
        try await current.task.value
        running.withLockedValue { $0 = nil }
    }

    /// Everything held now: users with their hashes, organizations, memberships.
    public func snapshot() async throws -> EmulatorSnapshot {
        try await api.store.read { db in
            EmulatorSnapshot(users: try UserTable.all(db), organizations: try OrganizationTable.all(db),
                             memberships: try MembershipTable.all(db))
        }
    }

    /// Hangs from now for `duration`: connections are accepted and requests read, none is answered or applied.
    public func hang(for duration: Duration) { api.hang.hang(for: duration) }

    /// Hangs for `duration` once `writes` more writes have been applied (the answer to the last of them is sent).
    public func hang(afterWrites writes: Int, for duration: Duration) { api.hang.hang(afterWrites: writes, for: duration) }

    /// Ends a hang now (and cancels a `hangAfterWrites` not reached yet); held requests are closed unanswered.
    public func endHang() { api.hang.end() }

    /// True while the emulator hangs.
    public var isHanging: Bool { api.hang.isHanging }

    /// Requests, applied writes, 429s and injected faults since the server was created.
    public func statistics() async -> EmulatorStatistics {
        await api.counters.value
    }
}

public enum EmulatorServerError: Error, Sendable, CustomStringConvertible {
    case alreadyRunning
    case didNotStart

    public var description: String {
        switch self {
        case .alreadyRunning: return "the emulator is already running"
        case .didNotStart: return "the emulator stopped before it started listening"
        }
    }
}
