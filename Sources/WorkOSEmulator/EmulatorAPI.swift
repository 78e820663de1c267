import Foundation
import GRDB
import HTTPTypes
import Hummingbird
import NIOCore

/// What every endpoint shares: the key check, latency, the write limit, injected faults, idempotency,
/// and the `X-Request-Id` on every answer.
final class EmulatorAPI: Sendable {
    let configuration: EmulatorConfiguration
    let store: EmulatorStore
    let counters = EmulatorCounters()
    let hang: HangSwitch
    private let dice: FaultDice
    private let writeLimiter: WriteRateLimiter?
    let loginLimiter: LoginRateLimiter?

    init(configuration: EmulatorConfiguration, store: EmulatorStore) {
        self.configuration = configuration
        self.store = store
        self.hang = HangSwitch(configuration: configuration)
        self.dice = FaultDice(seed: configuration.seed)
        self.writeLimiter = configuration.rateLimit.map { WriteRateLimiter(limit: $0, window: configuration.rateLimitWindow) }
        self.loginLimiter = configuration.authenticateLimitPerEmail.map { LoginRateLimiter(limit: $0) }
    }

    /// How an endpoint is guarded.
    enum Kind {
        case read
        /// A write; `limited` when it counts against the `/user_management/*` write limit.
        case write(limited: Bool)
        /// `authenticate`: the key is checked in the body (`client_secret`), not in the header.
        case login
    }

    /// The request as a handler sees it.
    struct Incoming: Sendable {
        var body: [UInt8]
        var query: [String: String]
        var parameters: [String: String]
        var idempotencyKey: String?
        var fingerprint: [UInt8]
    }

    static let requestIDHeader = HTTPField.Name("X-Request-Id")!
    static let idempotencyHeader = HTTPField.Name("Idempotency-Key")!

    func handle(_ request: Request, _ context: EmulatorContext, kind: Kind, parameterNames: [String] = [],
                _ handler: @escaping @Sendable (Incoming) async throws -> APIReply) async throws -> Response {
        let requestID = ObjectID.requestID()
        await counters.record { $0.requests += 1 }
        if configuration.latency > .zero { try await Task.sleep(for: configuration.latency) }

        if case .login = kind {} else {
            guard let key = bearerKey(request), configuration.accepts(key: key) else {
                await counters.record { $0.unauthorized += 1 }
                return respond(.unauthorized, requestID)
            }
        }
        var isWrite = false
        if case .write(let limited) = kind {
            isWrite = true
            if limited, let writeLimiter, let wait = await writeLimiter.admit() {
                await counters.record { $0.rateLimited += 1 }
                return respond(.rateLimited(retryAfter: wait), requestID)
            }
        }
        if dice.roll(configuration.failRate) {
            await counters.record { $0.injectedFailures += 1 }
            return respond(.error(500, code: "server_error", message: "Internal server error (injected by the emulator)."),
                           requestID)
        }

        let buffer = try await request.body.collect(upTo: context.maxUploadSize)
        let body = Array(buffer.readableBytesView)
        var query: [String: String] = [:]
        for (name, value) in request.uri.queryParameters { query[String(name)] = String(value) }
        var parameters: [String: String] = [:]
        for name in parameterNames {
            if let raw = context.parameters.get(name) { parameters[name] = raw.removingPercentEncoding ?? raw }
        }
        let fingerprint = Array("\(request.method.rawValue) \(request.uri.path)\n".utf8) + CanonicalJSON.bytes(body)
        let incoming = Incoming(body: body, query: query, parameters: parameters,
                                idempotencyKey: request.headers[Self.idempotencyHeader], fingerprint: fingerprint)
        // A handler refuses by throwing `Refusal` anywhere (decoding, validation, inside a transaction).
        let reply: APIReply
        do { reply = try await handler(incoming) } catch let refusal as Refusal { reply = refusal.reply }

        if isWrite, (200..<300).contains(reply.status) {
            if dice.roll(configuration.dropRate) {
                await counters.record { $0.droppedConnections += 1 }
                // The write is applied; the client never hears of it.
                try? await context.channel.close()
                throw DroppedConnection()
            }
        }
        return respond(reply, requestID)
    }

    /// Runs a write in a transaction with its idempotency record.
    func write(_ incoming: Incoming, _ apply: @escaping @Sendable (Database) throws -> APIReply) async throws -> APIReply {
        let key = incoming.idempotencyKey.flatMap { $0.isEmpty ? nil : $0 }
        let (reply, replayed) = try await store.write(idempotencyKey: key, request: incoming.fingerprint,
                                                      ttl: configuration.idempotencyTTL, apply)
        if replayed {
            await counters.record { $0.idempotentReplays += 1 }
        } else if (200..<300).contains(reply.status) {
            await counters.record { $0.writesApplied += 1 }
            hang.noteAppliedWrite()
        }
        return reply
    }

    private func bearerKey(_ request: Request) -> String? {
        guard let header = request.headers[.authorization] else { return nil }
        let prefix = "Bearer "
        guard header.hasPrefix(prefix) else { return nil }
        return String(header.dropFirst(prefix.count)).trimmingCharacters(in: .whitespaces)
    }

    func respond(_ reply: APIReply, _ requestID: String) -> Response { Self.response(reply, requestID) }

    static func response(_ reply: APIReply, _ requestID: String) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "application/json"
        headers[Self.requestIDHeader] = requestID
        for (name, value) in reply.headers {
            if let name = HTTPField.Name(name) { headers[name] = value }
        }
        return Response(status: HTTPResponse.Status(code: reply.status), headers: headers,
                        body: ResponseBody(byteBuffer: ByteBuffer(bytes: reply.body)))
    }
}

/// Thrown after a dropped-connection fault so nothing is written back.
struct DroppedConnection: Error {}
